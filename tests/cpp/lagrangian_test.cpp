// The Lagrangian solver: its knapsack cores alone against a brute force, and the solver
// whole against bounds and the exact optimum.
#include <random>

#include "assignment/lagrangian/knapsack.hpp"
#include "assignment_support.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace assignment_support;
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

TEST(lagrangian_test, lagrangian_bound_and_solution_bracket_the_optimum_with_time_budgets) {
  std::mt19937 random(3);
  int optimal = 0;
  constexpr int trials = 300;
  for (int trial = 0; trial < trials; ++trial) {
    const assignment_problem p =
        random_problem(random, 1 + static_cast<index_t>(random() % 7), 1 + static_cast<index_t>(random() % 3), 3, true);
    const assignment_result r = solve_assignment(p, {.iterations = 200});
    ASSERT_EQ(r.solver, "lagrangian");
    expect_feasible(p, r);
    const double best = brute_force(p);
    ASSERT_LE(r.bound, best + 1e-6) << "trial " << trial;
    ASSERT_GE(r.objective, best - 1e-6) << "trial " << trial;
    optimal += r.objective <= best + 1e-6;
  }
  EXPECT_GE(optimal, trials * 95 / 100);
}

// Tiny generalized assignment instances of type E's shape (heavy pairs are the cheap ones,
// capacities 80 % of a balanced share, every item placed), where the tabu search across the
// budgets does the searching: against the optimum of a brute force. Infeasible ones (no
// plan places every item) count too: their best leaves the fewest out.
TEST(lagrangian_test, the_tabu_search_finds_the_optimum_of_tiny_hard_instances) {
  std::mt19937 random(17);
  std::uniform_real_distribution<double> uniform(0, 1);
  int optimal = 0, feasible = 0;
  constexpr int trials = 200;
  for (int trial = 0; trial < trials; ++trial) {
    const auto n = static_cast<index_t>(5 + random() % 5), m = static_cast<index_t>(2 + random() % 2);
    assignment_problem p;
    p.customers = n;
    p.managers = m;
    std::vector<double> share(static_cast<std::size_t>(m), 0);
    for (index_t c = 0; c < n; ++c) {
      for (index_t j = 0; j < m; ++j) {
        const double weight = std::round(1 - 10 * std::log(1 - uniform(random)));
        p.manager.push_back(j);
        p.workload.push_back(std::max(weight, 1.0));
        p.cost.push_back(std::max(0.0, std::round(1000 / std::max(weight, 1.0) - 10 * uniform(random))));
        share[static_cast<std::size_t>(j)] += std::max(weight, 1.0);
      }
      p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
    }
    p.leave_out.assign(static_cast<std::size_t>(n), 1e6);
    p.capacity.assign(static_cast<std::size_t>(m), n);
    for (const double s : share) p.time_budget.push_back(std::floor(0.8 * s / m));
    const assignment_result r = solve_assignment(p, {.solver = "lagrangian", .time_limit = 600, .iterations = 100});
    expect_feasible(p, r);
    const double best = brute_force(p);
    ASSERT_LE(r.bound, best + 1e-6) << "trial " << trial;
    ASSERT_GE(r.objective, best - 1e-6) << "trial " << trial;
    optimal += r.objective <= best + 1e-6;
    feasible += best < 1e6;  // every item placed
  }
  EXPECT_GE(feasible, trials * 3 / 4);
  EXPECT_GE(optimal, trials - 2);  // 200 of 200 (189 with the iterated local search in its place)
}

// A book like the benchmark's, just large enough for the solver's large-problem path:
// 6,000 customers, 60 managers, 25 candidates each, 10 to 60 whole minutes a customer plus
// `offset`, budgets for 80 % of the minutes.
assignment_problem timed_book(double offset) {
  std::mt19937 random(11);
  assignment_problem p = random_problem(random, 6'000, 60, 25);
  double total = 0;
  for (index_t c = 0; c < p.customers; ++c) {
    const double minutes = 10 + static_cast<double>(random() % 51) + offset;
    total += minutes;
    for (auto a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a)
      p.workload.push_back(minutes);
  }
  p.capacity.assign(60, 120);
  p.time_budget.assign(60, std::round(0.8 * total / 60));
  return p;
}

TEST(lagrangian_test, lagrangian_large_books_with_time_budgets_come_close_to_the_bound) {
  // Whole minutes (the knapsacks' table over minutes) and minutes with no common unit (their
  // Pareto states): both within 0.7 % of the bound, never over a budget.
  for (const double offset : {0.0, 0.013}) {
    const assignment_problem p = timed_book(offset);
    // A limit far beyond need (even under the sanitizers): the search ends by itself, so
    // the same answer comes again.
    const assignment_options options{.solver = "lagrangian", .time_limit = 600};
    const assignment_result r = solve_assignment(p, options);
    expect_feasible(p, r);
    EXPECT_LE(r.gap, 0.007) << "offset " << offset;
    if (offset == 0) EXPECT_EQ(solve_assignment(p, options).manager, r.manager);
  }
}

TEST(lagrangian_test, lagrangian_is_near_the_flow_optimum_on_capacity_only_problems) {
  std::mt19937 random(5);
  for (int trial = 0; trial < 5; ++trial) {
    assignment_problem p = random_problem(random, 2000, 40, 6);
    for (auto& c : p.capacity) c = 20 + c * 10;
    const assignment_result exact = solve_assignment(p);
    const assignment_result r = solve_assignment(p, {.solver = "lagrangian"});
    expect_feasible(p, r);
    EXPECT_LE(r.bound, exact.objective + 1e-6);
    EXPECT_LE(r.objective, exact.objective * 1.01);
    EXPECT_LE(r.gap, 0.01);
  }
}

}  // namespace
}  // namespace cartera
