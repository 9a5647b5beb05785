#include "assignment/lagrangian/knapsack.hpp"

#include <algorithm>
#include <cmath>

namespace cartera::detail::lagrangian {

knapsack_choice knapsack_cores::in_whole_minutes(std::span<const knapsack_item> core, double limit) {
  std::int64_t total = 0;
  for (const knapsack_item& item : core) total += static_cast<std::int64_t>(item.work);
  const auto width = static_cast<std::size_t>(std::min(static_cast<std::int64_t>(std::floor(limit + 1e-9)), total) + 1);
  best_profit_.assign(width, 0.0);
  taken_.assign(core.size() * width, 0);
  for (std::size_t i = 0; i < core.size(); ++i) {
    const auto w = static_cast<std::size_t>(core[i].work);
    const double v = core[i].profit;
    if (v <= 0) continue;
    std::uint8_t* take = taken_.data() + i * width;
    for (std::size_t r = width; r-- > w;) {
      if (best_profit_[r - w] + v > best_profit_[r]) {
        best_profit_[r] = best_profit_[r - w] + v;
        take[r] = 1;
      }
    }
  }
  knapsack_choice best{0, best_profit_[width - 1], 0};
  for (std::size_t i = core.size(), r = width - 1; i-- > 0;) {
    if (taken_[i * width + r]) {
      best.taken |= std::uint64_t{1} << i;
      best.minutes += core[i].work;
      r -= static_cast<std::size_t>(core[i].work);
    }
  }
  return best;
}

knapsack_choice knapsack_cores::by_pareto_states(std::span<const knapsack_item> core, double limit) {
  states_.assign(1, {0.0, 0.0, 0});
  for (std::size_t i = 0; i < core.size(); ++i) {
    const double w = core[i].work, v = core[i].profit;
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (v <= 0) continue;
    if (std::isinf(limit)) {
      states_[0] = {states_[0].minutes + w, states_[0].profit + v, states_[0].taken | bit};
      continue;
    }
    // Merge the states without the item and those with it, by minutes, keeping each only
    // where it earns more than every state with fewer minutes.
    merged_.clear();
    const auto keep = [&](const knapsack_choice& s) {
      if (merged_.empty() || s.profit > merged_.back().profit) merged_.push_back(s);
    };
    std::size_t without = 0;
    for (const knapsack_choice& from : states_) {
      const knapsack_choice with{from.minutes + w, from.profit + v, from.taken | bit};
      if (with.minutes > limit) break;
      while (without < states_.size() &&
             (states_[without].minutes < with.minutes ||
              (states_[without].minutes == with.minutes && states_[without].profit >= with.profit))) {
        keep(states_[without++]);
      }
      keep(with);
    }
    for (; without < states_.size(); ++without) keep(states_[without]);
    states_.swap(merged_);
    // A safeguard: keep every other state if the front grows wild (each stays feasible).
    if (states_.size() > 16384) {
      for (std::size_t k = 1; 2 * k < states_.size(); ++k) states_[k] = states_[2 * k];
      states_.resize((states_.size() + 1) / 2);
    }
  }
  return states_.back();
}

}  // namespace cartera::detail::lagrangian
