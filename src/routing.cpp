#include "cartera/routing.hpp"

#include <string>

#include "cartera/error.hpp"

namespace cartera {

routing_result route(const assignment_problem& arrivals, std::vector<std::int64_t> load, std::vector<double> time) {
  arrivals.validate();
  const auto m = static_cast<std::size_t>(arrivals.managers);
  if (load.size() != m) throw invalid_input({"routing", "load", -1, std::to_string(load.size()) + " entries"}, "must hold one entry per manager (" + std::to_string(m) + ")");
  if (time.empty()) time.assign(m, 0);
  if (time.size() != m) throw invalid_input({"routing", "time", -1, std::to_string(time.size()) + " entries"}, "must hold one entry per manager (" + std::to_string(m) + ")");
  routing_result r;
  r.manager.assign(static_cast<std::size_t>(arrivals.customers), no_index);
  r.reason.assign(static_cast<std::size_t>(arrivals.customers), unassigned_reason::assigned);
  for (std::size_t c = 0; c < static_cast<std::size_t>(arrivals.customers); ++c) {
    std::int64_t best = -1;
    for (std::int64_t a = arrivals.offsets[c]; a < arrivals.offsets[c + 1]; ++a) {
      const auto k = static_cast<std::size_t>(a);
      const auto j = static_cast<std::size_t>(arrivals.manager[k]);
      const double minutes = arrivals.workload.empty() ? 0 : arrivals.workload[k];
      const bool room = load[j] < arrivals.capacity[j] && (arrivals.workload.empty() || time[j] + minutes <= arrivals.time_budget[j]);
      if (room && (best < 0 || arrivals.cost[k] < arrivals.cost[static_cast<std::size_t>(best)])) best = a;
    }
    if (best < 0) {
      r.reason[c] = arrivals.offsets[c] == arrivals.offsets[c + 1] ? unassigned_reason::no_candidate : unassigned_reason::capacity_exhausted;
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

}  // namespace cartera
