// What the assignment solvers share: integer costs, the stop watch, the price bound, and
// the result's bookkeeping (loads, minutes, reasons, objective) for any plan.
#include "assignment/solver_support.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace cartera::detail {

std::int64_t scaled(double value, double scale) { return std::llround(value * scale); }

double largest_scaled(const assignment_problem& p, double scale) {
  double largest = 0;
  for (const double c : p.cost) largest = std::max(largest, c);
  for (const double c : p.leave_out) largest = std::max(largest, c);
  return largest * scale;
}

std::int64_t arc_to(const assignment_problem& p, index_t c, index_t m) {
  for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
    if (p.manager[static_cast<std::size_t>(a)] == m) return a;
  }
  return -1;
}

bool stop_watch::stop(std::int64_t iteration) {
  if (stopped()) return true;
  if (seconds() >= options_.time_limit) {
    reason_ = stop_reason::time_limit;
  } else if (options_.progress && !options_.progress({iteration, seconds(), std::numeric_limits<double>::infinity(),
                                                      -std::numeric_limits<double>::infinity()})) {
    reason_ = stop_reason::progress;
  }
  return stopped();
}

double stop_watch::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double price_bound(const assignment_problem& p, const std::vector<double>& price, double scale) {
  std::vector<std::int64_t> room(static_cast<std::size_t>(p.managers), 0);
  for (const index_t j : p.manager) ++room[static_cast<std::size_t>(j)];
  double bound = 0;
  for (std::size_t j = 0; j < room.size(); ++j) {
    room[j] = std::min(room[j], p.capacity[j]);
    if (room[j] > 0 && std::isfinite(price[j])) bound -= price[j] * static_cast<double>(room[j]);
  }
  const auto rounded = [&](double cost) { return static_cast<double>(scaled(cost, scale)) / scale; };
  for (index_t c = 0; c < p.customers; ++c) {
    double best = rounded(p.leave_out[static_cast<std::size_t>(c)]);
    for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      const auto j = static_cast<std::size_t>(p.manager[static_cast<std::size_t>(a)]);
      if (room[j] > 0 && std::isfinite(price[j]))
        best = std::min(best, rounded(p.cost[static_cast<std::size_t>(a)]) + price[j]);
    }
    bound += best;
  }
  return bound;
}

solver_output stopped_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches,
                             double scale, double bound, stop_reason reason) {
  const double objective = finish(problem, manager_of, scale).objective;
  return {.manager = std::move(manager_of),
          .bound = std::min(bound, objective),
          .iterations = 0,
          .searches = searches,
          .rounded = true,
          .stopped_by = reason};
}

void mark_unsettled(const assignment_problem& p, assignment_result& r) {
  for (index_t c = 0; c < p.customers; ++c) {
    auto& reason = r.reason[static_cast<std::size_t>(c)];
    if (reason != unassigned_reason::capacity_exhausted && reason != unassigned_reason::not_worth_it) continue;
    for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      if (p.cost[static_cast<std::size_t>(a)] < p.leave_out[static_cast<std::size_t>(c)])
        reason = unassigned_reason::solve_stopped;
    }
  }
}

solver_output exact_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches,
                           double scale) {
  const double objective = finish(problem, manager_of, scale).objective;
  return {.manager = std::move(manager_of), .bound = objective, .iterations = 0, .searches = searches, .rounded = true};
}

assignment_result finish(const assignment_problem& p, std::vector<index_t> manager_of, double scale) {
  // Rounded costs add up exactly as integers (units of 1 / scale, 128 bits: a million costs
  // near the exact range fit), divided once at the end.
  double objective = 0;
  wide_integer rounded = 0;
  const auto add = [&](double value) {
    if (scale > 0)
      rounded += scaled(value, scale);
    else
      objective += value;
  };
  assignment_result r;
  r.manager = std::move(manager_of);
  r.load.assign(static_cast<std::size_t>(p.managers), 0);
  r.time.assign(static_cast<std::size_t>(p.managers), 0);
  const bool valued = !p.value_balance.value.empty();
  if (valued) r.value.assign(static_cast<std::size_t>(p.managers), 0);
  r.reason.assign(static_cast<std::size_t>(p.customers), unassigned_reason::assigned);
  r.cost.assign(static_cast<std::size_t>(p.customers), 0);
  for (index_t c = 0; c < p.customers; ++c) {
    const index_t m = r.manager[static_cast<std::size_t>(c)];
    if (!p.current.empty() && p.current[static_cast<std::size_t>(c)] != no_index)
      r.moves += p.current[static_cast<std::size_t>(c)] != m;
    if (m == no_index) {
      r.cost[static_cast<std::size_t>(c)] = p.leave_out[static_cast<std::size_t>(c)];
      add(p.leave_out[static_cast<std::size_t>(c)]);
      continue;
    }
    const auto arc = static_cast<std::size_t>(arc_to(p, c, m));
    ++r.load[static_cast<std::size_t>(m)];
    if (!p.workload.empty()) r.time[static_cast<std::size_t>(m)] += p.workload[arc];
    if (valued) r.value[static_cast<std::size_t>(m)] += p.value_balance.value[static_cast<std::size_t>(c)];
    r.cost[static_cast<std::size_t>(c)] = p.cost[arc];
    add(p.cost[arc]);
  }
  for (index_t j = 0; j < p.managers; ++j) {
    const auto k = static_cast<std::size_t>(j);
    objective += band_penalty(p.band, j, r.load[k]);
    if (valued) objective += value_penalty(p.value_balance, j, r.value[k]);
    if (!p.fixed_cost.empty() && r.load[k] > 0) objective += p.fixed_cost[k];
  }
  for (index_t c = 0; c < p.customers; ++c) {
    if (r.manager[static_cast<std::size_t>(c)] != no_index) continue;
    const auto first = p.offsets[static_cast<std::size_t>(c)], last = p.offsets[static_cast<std::size_t>(c) + 1];
    bool room = false;
    for (std::int64_t a = first; a < last; ++a) {
      const auto m = static_cast<std::size_t>(p.manager[static_cast<std::size_t>(a)]);
      const bool time_left =
          p.workload.empty() || r.time[m] + p.workload[static_cast<std::size_t>(a)] <= p.time_budget[m];
      room = room || (r.load[m] < p.capacity[m] && time_left);
    }
    r.reason[static_cast<std::size_t>(c)] = first == last ? unassigned_reason::no_candidate
                                            : room        ? unassigned_reason::not_worth_it
                                                          : unassigned_reason::capacity_exhausted;
  }
  r.objective = scale > 0 ? objective + static_cast<double>(rounded) / scale : objective;
  return r;
}

}  // namespace cartera::detail
