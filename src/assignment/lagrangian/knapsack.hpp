#pragma once
// The knapsack cores of repack(): the best choice among at most 64 items within a limit
// of minutes, solved exactly by dynamic programming (Martello & Toth 1990, ch. 2). Items
// with a profit of 0 or less are never taken.

#include <cstdint>
#include <span>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera::detail::lagrangian {

/// A customer repack() may choose for a manager.
struct knapsack_item {
  index_t customer;
  std::int64_t arc;  // its arc to the manager; -2: a member already
  double work, profit;
  double cost_now;  // its cost where it is now (its leave-out price when left out)
};

/// A choice of items: its minutes, its profit, and bit i for the core's i-th item.
struct knapsack_choice {
  double minutes, profit;
  std::uint64_t taken;
};

/// The two cores, with their working memory kept between calls.
class knapsack_cores {
 public:
  /// When every item's minutes are whole: the textbook table over minutes 0..limit.
  knapsack_choice in_whole_minutes(std::span<const knapsack_item> core, double limit);
  /// For any minutes: dynamic programming over the Pareto-optimal (minutes, profit) states,
  /// each keeping its items as bits. Without a limit (+inf) every profitable item is taken.
  knapsack_choice by_pareto_states(std::span<const knapsack_item> core, double limit);

 private:
  std::vector<double> best_profit_;               // in_whole_minutes(): best profit by minutes,
  std::vector<std::uint8_t> taken_;               // and whether each item is in it
  std::vector<knapsack_choice> states_, merged_;  // by_pareto_states()'s fronts
};

}  // namespace cartera::detail::lagrangian
