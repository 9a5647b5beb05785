#include "cartera/routing.hpp"

#include <limits>
#include <string>

#include "assignment/pairing.hpp"
#include "cartera/error.hpp"
#include "detail/checks.hpp"

namespace cartera {
namespace {

// The managers' books before the arrivals, checked; an empty `time` is all zeros.
void check_books(const std::vector<std::int64_t>& load, std::vector<double>& time, std::size_t managers) {
  detail::check_size("routing", "load", load.size(), managers, "manager", detail::counted::entries);
  if (time.empty()) time.assign(managers, 0);
  detail::check_size("routing", "time", time.size(), managers, "manager", detail::counted::entries);
}

routing_result unrouted(std::size_t arrivals) {
  routing_result r;
  r.manager.assign(arrivals, no_index);
  r.reason.assign(arrivals, unassigned_reason::assigned);
  return r;
}

}  // namespace

routing_result route(const assignment_problem& arrivals, std::vector<std::int64_t> load, std::vector<double> time) {
  arrivals.validate();
  check_books(load, time, static_cast<std::size_t>(arrivals.managers));
  routing_result r = unrouted(static_cast<std::size_t>(arrivals.customers));
  for (std::size_t c = 0; c < static_cast<std::size_t>(arrivals.customers); ++c) {
    std::int64_t best = -1;
    for (std::int64_t a = arrivals.offsets[c]; a < arrivals.offsets[c + 1]; ++a) {
      const auto k = static_cast<std::size_t>(a);
      const auto j = static_cast<std::size_t>(arrivals.manager[k]);
      const double minutes = arrivals.workload.empty() ? 0 : arrivals.workload[k];
      const bool room =
          load[j] < arrivals.capacity[j] && (arrivals.workload.empty() || time[j] + minutes <= arrivals.time_budget[j]);
      if (room && (best < 0 || arrivals.cost[k] < arrivals.cost[static_cast<std::size_t>(best)])) best = a;
    }
    if (best < 0) {
      r.reason[c] = arrivals.offsets[c] == arrivals.offsets[c + 1] ? unassigned_reason::no_candidate
                                                                   : unassigned_reason::capacity_exhausted;
      continue;
    }
    const auto j = static_cast<std::size_t>(arrivals.manager[static_cast<std::size_t>(best)]);
    r.manager[c] = static_cast<index_t>(j);
    ++load[j];
    if (!arrivals.workload.empty()) time[j] += arrivals.workload[static_cast<std::size_t>(best)];
  }
  r.load = std::move(load);
  r.time = std::move(time);
  return r;
}

routing_result route(const realignment_customers& arrivals, const realignment_managers& managers,
                     const realignment_policy& policy, std::vector<std::int64_t> load, std::vector<double> time,
                     const std::vector<std::pair<index_t, index_t>>& forbidden) {
  const detail::pairing pairs(arrivals, managers, policy, forbidden);
  check_books(load, time, static_cast<std::size_t>(managers.size()));
  const bool timed = !managers.time_budget.empty();
  routing_result r = unrouted(static_cast<std::size_t>(arrivals.size()));
  for (std::size_t c = 0; c < static_cast<std::size_t>(arrivals.size()); ++c) {
    index_t best = no_index;
    double best_cost = std::numeric_limits<double>::infinity();
    std::uint64_t best_tie = 0;
    bool eligible = false;
    const double minutes = pairs.workload(c);
    for (const index_t j : pairs.pool_of(c)) {
      if (!pairs.eligible(c, j)) continue;
      eligible = true;
      const auto k = static_cast<std::size_t>(j);
      if (load[k] >= managers.capacity[k] || (timed && time[k] + minutes > managers.time_budget[k])) continue;
      const double cost = pairs.cost(c, j);
      const std::uint64_t tie = detail::pairing::tie_break(static_cast<index_t>(c), j);
      if (best == no_index || cost < best_cost || (cost == best_cost && tie < best_tie)) {
        best = j;
        best_cost = cost;
        best_tie = tie;
      }
    }
    if (best == no_index) {
      r.reason[c] = eligible ? unassigned_reason::capacity_exhausted : unassigned_reason::no_candidate;
      continue;
    }
    r.manager[c] = best;
    ++load[static_cast<std::size_t>(best)];
    if (timed) time[static_cast<std::size_t>(best)] += minutes;
  }
  r.load = std::move(load);
  r.time = std::move(time);
  return r;
}

}  // namespace cartera
