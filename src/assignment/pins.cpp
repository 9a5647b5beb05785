// Pins: customers held to a manager take that manager's room first, and the rest of the
// problem is solved without them.
#include <algorithm>

#include "assignment/solver_support.hpp"

namespace cartera::detail {

free_part without_pins(const assignment_problem& p) {
  free_part part;
  auto& q = part.problem;
  q.managers = p.managers;
  q.capacity = p.capacity;
  q.time_budget = p.time_budget;
  q.band = p.band;
  q.value_balance.low = p.value_balance.low;
  q.value_balance.high = p.value_balance.high;
  q.value_balance.penalty = p.value_balance.penalty;
  q.fixed_cost = p.fixed_cost;
  const bool timed = !p.workload.empty();
  const bool valued = !p.value_balance.value.empty();
  for (index_t c = 0; c < p.customers; ++c) {
    const index_t pin = p.pinned.empty() ? no_index : p.pinned[static_cast<std::size_t>(c)];
    if (pin != no_index) {
      const auto m = static_cast<std::size_t>(pin);
      --q.capacity[m];
      if (timed && !q.time_budget.empty()) q.time_budget[m] -= p.workload[static_cast<std::size_t>(arc_to(p, c, pin))];
      if (!q.band.low.empty()) {
        q.band.low[m] = std::max<std::int64_t>(0, q.band.low[m] - 1);
        q.band.high[m] = std::max<std::int64_t>(0, q.band.high[m] - 1);
      }
      if (valued && !q.value_balance.low.empty()) {
        const double v = p.value_balance.value[static_cast<std::size_t>(c)];
        q.value_balance.low[m] = std::max(0.0, q.value_balance.low[m] - v);
        q.value_balance.high[m] = std::max(0.0, q.value_balance.high[m] - v);
      }
      if (!q.fixed_cost.empty()) q.fixed_cost[m] = 0;  // open already
      continue;
    }
    part.original.push_back(c);
    for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      q.manager.push_back(p.manager[static_cast<std::size_t>(a)]);
      q.cost.push_back(p.cost[static_cast<std::size_t>(a)]);
      if (timed) q.workload.push_back(p.workload[static_cast<std::size_t>(a)]);
    }
    q.offsets.push_back(static_cast<std::int64_t>(q.manager.size()));
    q.leave_out.push_back(p.leave_out[static_cast<std::size_t>(c)]);
    if (valued) q.value_balance.value.push_back(p.value_balance.value[static_cast<std::size_t>(c)]);
    if (!p.current.empty()) q.current.push_back(p.current[static_cast<std::size_t>(c)]);
  }
  q.customers = static_cast<index_t>(part.original.size());
  // Rounding can leave a budget a hair below zero when pins fill it exactly.
  for (double& budget : q.time_budget) budget = std::max(0.0, budget);
  return part;
}

}  // namespace cartera::detail
