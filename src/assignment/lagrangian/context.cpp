#include "assignment/lagrangian/context.hpp"

#include <algorithm>

namespace cartera::detail::lagrangian {

context::context(const assignment_problem& problem, const assignment_options& options)
    : p(problem),
      o(options),
      n(static_cast<std::size_t>(problem.customers)),
      m(static_cast<std::size_t>(problem.managers)),
      timed(!problem.workload.empty()),
      valued(!problem.value_balance.low.empty() && problem.value_balance.penalty > 0),
      start_(std::chrono::steady_clock::now()) {
  // A manager can carry no more customers than have it as a candidate: this keeps the
  // dual's manager terms finite when capacities are "unlimited".
  std::vector<std::int64_t> reachable(m, 0);
  for (const index_t j : p.manager) ++reachable[static_cast<std::size_t>(j)];
  // A pass of exchanges reads each member's arcs for each arc of each customer: about
  // arcs × (customers per manager) × (arcs per customer) = arcs² / managers. Where that is
  // cheap, every step's solution gets the full local search; else only the end.
  const auto arcs = static_cast<double>(p.manager.size());
  small = arcs * arcs / static_cast<double>(std::max<std::size_t>(m, 1)) <= 3e8;
  manager_terms = (!p.band.low.empty() && p.band.penalty > 0) || valued ||
                  std::any_of(p.fixed_cost.begin(), p.fixed_cost.end(), [](double f) { return f > 0; });
  cheapest.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    two_cheapest& best = cheapest[c];
    best = {p.leave_out[c], infinite, left};
    for (std::int64_t a = first(c); a < last(c); ++a) {
      const double v = p.cost[static_cast<std::size_t>(a)];
      if (v < best.best) {
        best.second = best.best;
        best.best = v;
        best.arc = a;
      } else if (v < best.second) {
        best.second = v;
      }
    }
  }
  if (timed) {
    reach_offsets.assign(m + 1, 0);
    for (const index_t j : p.manager) ++reach_offsets[static_cast<std::size_t>(j) + 1];
    for (std::size_t j = 0; j < m; ++j) reach_offsets[j + 1] += reach_offsets[j];
    reach.resize(p.manager.size());
    std::vector<std::int64_t> next(reach_offsets.begin(), reach_offsets.end() - 1);
    for (std::size_t c = 0; c < n; ++c) {
      for (std::int64_t a = first(c); a < last(c); ++a) {
        reach[static_cast<std::size_t>(next[manager_of(a)]++)] = {static_cast<index_t>(c),
                                                                  static_cast<std::uint32_t>(a - first(c))};
      }
    }
  }
  capacity.resize(m);
  budget.assign(m, infinite);
  for (std::size_t j = 0; j < m; ++j) {
    capacity[j] = std::min(p.capacity[j], reachable[j]);
    if (timed) budget[j] = p.time_budget[j];
  }
}

}  // namespace cartera::detail::lagrangian
