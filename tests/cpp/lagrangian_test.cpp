// The Lagrangian solver's parts alone (the solver whole is tested in assignment_test.cpp).
#include <random>

#include "assignment/lagrangian/knapsack.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using detail::lagrangian::knapsack_choice;
using detail::lagrangian::knapsack_cores;
using detail::lagrangian::knapsack_item;

// Every subset of the core, tried: the most profit within the limit.
double best_by_brute_force(const std::vector<knapsack_item>& core, double limit) {
  double best = 0;
  for (std::uint64_t subset = 0; subset < (std::uint64_t{1} << core.size()); ++subset) {
    double minutes = 0, profit = 0;
    for (std::size_t i = 0; i < core.size(); ++i) {
      if ((subset >> i) & 1) {
        minutes += core[i].work;
        profit += core[i].profit;
      }
    }
    if (minutes <= limit) best = std::max(best, profit);
  }
  return best;
}

// The choice holds what it says: its minutes within the limit, its profit the items'.
void expect_consistent(const std::vector<knapsack_item>& core, const knapsack_choice& choice, double limit) {
  double minutes = 0, profit = 0;
  for (std::size_t i = 0; i < core.size(); ++i) {
    if ((choice.taken >> i) & 1) {
      minutes += core[i].work;
      profit += core[i].profit;
    }
  }
  EXPECT_NEAR(minutes, choice.minutes, 1e-9);
  EXPECT_NEAR(profit, choice.profit, 1e-9);
  EXPECT_LE(minutes, limit + 1e-9);
}

TEST(lagrangian_test, the_knapsack_cores_find_the_best_choice_of_a_brute_force) {
  std::mt19937 random(29);
  knapsack_cores cores;
  for (int trial = 0; trial < 400; ++trial) {
    const bool whole = trial % 2 == 0;
    std::vector<knapsack_item> core(1 + random() % 14);
    for (std::size_t i = 0; i < core.size(); ++i) {
      const double work =
          whole ? static_cast<double>(random() % 30) : std::uniform_real_distribution<double>(0, 30)(random);
      const double profit = std::uniform_real_distribution<double>(-5, 50)(random);
      core[i] = {static_cast<index_t>(i), static_cast<std::int64_t>(i), work, profit, 0};
    }
    const double limit = static_cast<double>(random() % 80) + (whole ? 0 : 0.5);
    const double best = best_by_brute_force(core, limit);
    if (whole) {
      const knapsack_choice choice = cores.in_whole_minutes(core, limit);
      EXPECT_NEAR(choice.profit, best, 1e-9) << "whole minutes, trial " << trial;
      expect_consistent(core, choice, limit);
    }
    const knapsack_choice pareto = cores.by_pareto_states(core, limit);
    EXPECT_NEAR(pareto.profit, best, 1e-9) << "Pareto states, trial " << trial;
    expect_consistent(core, pareto, limit);
  }
  // Without a limit, every profitable item.
  const std::vector<knapsack_item> some = {{0, 0, 5, 3, 0}, {1, 1, 7, -1, 0}, {2, 2, 9, 2, 0}};
  const knapsack_choice all = cores.by_pareto_states(some, std::numeric_limits<double>::infinity());
  EXPECT_EQ(all.taken, 0b101u);
  EXPECT_DOUBLE_EQ(all.profit, 5);
}

}  // namespace
}  // namespace cartera
