// The problem's checks, the solver registry, and what solve_assignment does around every
// solver: pins, the move budget, and the result's bookkeeping.
#include "cartera/assignment.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string>

#include "assignment/solver_support.hpp"
#include "detail/format.hpp"

namespace cartera {
namespace {

[[noreturn]] void fail(const char* column, std::int64_t row, const std::string& value, const std::string& problem) {
  throw invalid_input({"assignment_problem", column, row, value}, problem);
}

std::string count_text(std::size_t size, const char* what) { return std::to_string(size) + " " + what; }

void check_size(const char* column, std::size_t size, std::size_t expected, const char* per, bool optional) {
  if (optional && size == 0) return;
  if (size != expected) fail(column, -1, count_text(size, "entries"), std::string("must hold one entry per ") + per + " (" + std::to_string(expected) + ")");
}

void check_non_negative(const char* column, const std::vector<double>& values, bool infinity_allowed) {
  for (std::size_t k = 0; k < values.size(); ++k) {
    const double v = values[k];
    if (std::isnan(v) || v < 0 || (!infinity_allowed && std::isinf(v))) {
      fail(column, static_cast<std::int64_t>(k), detail::format_number(v), infinity_allowed ? "must be >= 0 (inf allowed)" : "must be finite and >= 0");
    }
  }
}

std::map<std::string, assignment_solver>& registry() {
  static std::map<std::string, assignment_solver> solvers = {
      {"auction", detail::solve_auction}, {"flow", detail::solve_flow}, {"lagrangian", detail::solve_lagrangian}, {"boost", detail::solve_boost}};
  return solvers;
}
std::mutex registry_mutex;

std::string automatic(const assignment_problem& p) { return p.capacity_only() ? "auction" : "lagrangian"; }

assignment_solver find_solver(const std::string& name, const assignment_problem& p) {
  const std::string chosen = name == "auto" ? automatic(p) : name;
  if ((chosen == "auction" || chosen == "flow" || chosen == "boost") && !p.capacity_only()) {
    throw invalid_input({"assignment_options", "solver", -1, chosen},
                        "solves the capacity-only problem; with time budgets, bands or fixed costs use \"lagrangian\"");
  }
  const std::lock_guard lock(registry_mutex);
  const auto found = registry().find(chosen);
  if (found == registry().end()) throw invalid_input({"assignment_options", "solver", -1, name}, "no such solver");
  return found->second;
}

using clock_type = std::chrono::steady_clock;

// The exact solvers count in integer units of 1 / cost_scale: a value too large for them is
// refused, never rounded into a wrong answer.
void check_exact_range(const assignment_problem& p, double scale) {
  const auto check = [&](const char* column, const std::vector<double>& values) {
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (values[k] * scale >= detail::exact_range) {
        fail(column, static_cast<std::int64_t>(k), detail::format_number(values[k]),
             "times cost_scale (" + detail::format_number(scale) + ") is beyond the exact solvers' integers (2^61); "
             "lower cost_scale, or use \"lagrangian\"");
      }
    }
  };
  check("cost", p.cost);
  check("leave_out", p.leave_out);
}

double seconds_since(clock_type::time_point start) { return std::chrono::duration<double>(clock_type::now() - start).count(); }

}  // namespace

void assignment_problem::validate() const {
  if (customers < 0) fail("customers", -1, std::to_string(customers), "must be >= 0");
  if (managers < 0) fail("managers", -1, std::to_string(managers), "must be >= 0");
  const auto n = static_cast<std::size_t>(customers), m = static_cast<std::size_t>(managers);
  if (offsets.size() != n + 1 || offsets.front() != 0) {
    fail("offsets", -1, count_text(offsets.size(), "entries"), "must hold customers + 1 entries starting at 0");
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (offsets[c + 1] < offsets[c]) fail("offsets", static_cast<std::int64_t>(c + 1), std::to_string(offsets[c + 1]), "must not decrease");
  }
  const auto arcs = static_cast<std::size_t>(offsets.back());
  check_size("manager", manager.size(), arcs, "arc", false);
  check_size("cost", cost.size(), arcs, "arc", false);
  check_size("workload", workload.size(), arcs, "arc", true);
  check_size("leave_out", leave_out.size(), n, "customer", false);
  check_size("capacity", capacity.size(), m, "manager", false);
  check_size("time_budget", time_budget.size(), m, "manager", true);
  check_size("pinned", pinned.size(), n, "customer", true);
  check_size("current", current.size(), n, "customer", true);
  check_size("band.low", band.low.size(), m, "manager", true);
  check_size("band.high", band.high.size(), m, "manager", band.low.empty());
  if (band.low.empty() && !band.high.empty()) fail("band.low", -1, "0 entries", "must be given with band.high");
  check_size("value_balance.value", value_balance.value.size(), n, "customer", true);
  check_size("value_balance.low", value_balance.low.size(), m, "manager", true);
  check_size("value_balance.high", value_balance.high.size(), m, "manager", value_balance.low.empty());
  if (value_balance.low.empty() != value_balance.high.empty()) fail("value_balance.low", -1, "0 entries", "must be given with value_balance.high");
  if (!value_balance.low.empty() && value_balance.value.empty()) fail("value_balance.value", -1, "0 entries", "must be given with value_balance.low");
  check_size("fixed_cost", fixed_cost.size(), m, "manager", true);
  check_non_negative("value_balance.value", value_balance.value, false);
  check_non_negative("value_balance.low", value_balance.low, false);
  check_non_negative("value_balance.high", value_balance.high, true);
  check_non_negative("fixed_cost", fixed_cost, false);
  if (!std::isfinite(value_balance.penalty) || value_balance.penalty < 0) {
    fail("value_balance.penalty", -1, detail::format_number(value_balance.penalty), "must be finite and >= 0");
  }
  for (std::size_t j = 0; j < value_balance.low.size(); ++j) {
    if (value_balance.high[j] < value_balance.low[j]) {
      fail("value_balance.high", static_cast<std::int64_t>(j), detail::format_number(value_balance.high[j]), "must be >= value_balance.low");
    }
  }
  check_non_negative("cost", cost, false);
  check_non_negative("workload", workload, false);
  check_non_negative("leave_out", leave_out, false);
  check_non_negative("time_budget", time_budget, true);
  if (!std::isfinite(band.penalty) || band.penalty < 0) fail("band.penalty", -1, detail::format_number(band.penalty), "must be finite and >= 0");
  if (!workload.empty() && time_budget.empty()) fail("time_budget", -1, "0 entries", "must be given with workloads");
  std::vector<std::int64_t> seen(m, -1);
  for (std::size_t c = 0; c < n; ++c) {
    for (auto a = static_cast<std::size_t>(offsets[c]); a < static_cast<std::size_t>(offsets[c + 1]); ++a) {
      const index_t j = manager[a];
      if (j < 0 || j >= managers) fail("manager", static_cast<std::int64_t>(a), std::to_string(j), "no such manager");
      if (seen[static_cast<std::size_t>(j)] == static_cast<std::int64_t>(c)) {
        fail("manager", static_cast<std::int64_t>(a), std::to_string(j), "repeats a candidate of customer " + std::to_string(c));
      }
      seen[static_cast<std::size_t>(j)] = static_cast<std::int64_t>(c);
    }
  }
  for (std::size_t j = 0; j < capacity.size(); ++j) {
    if (capacity[j] < 0) fail("capacity", static_cast<std::int64_t>(j), std::to_string(capacity[j]), "must be >= 0");
  }
  for (std::size_t j = 0; j < band.low.size(); ++j) {
    if (band.low[j] < 0) fail("band.low", static_cast<std::int64_t>(j), std::to_string(band.low[j]), "must be >= 0");
    if (band.high[j] < band.low[j]) fail("band.high", static_cast<std::int64_t>(j), std::to_string(band.high[j]), "must be >= band.low");
  }
  for (std::size_t c = 0; c < current.size(); ++c) {
    if (current[c] < no_index || current[c] >= managers) fail("current", static_cast<std::int64_t>(c), std::to_string(current[c]), "no such manager");
  }
  if (move_budget < -1) fail("move_budget", -1, std::to_string(move_budget), "must be >= 0, or -1 for no limit");
  if (pinned.empty()) return;
  std::vector<std::int64_t> pins(m, 0);
  std::vector<double> minutes(m, 0);
  for (std::size_t c = 0; c < n; ++c) {
    const index_t j = pinned[c];
    if (j == no_index) continue;
    if (j < no_index || j >= managers) fail("pinned", static_cast<std::int64_t>(c), std::to_string(j), "no such manager");
    const std::int64_t arc = detail::arc_to(*this, static_cast<index_t>(c), j);
    if (arc < 0) fail("pinned", static_cast<std::int64_t>(c), std::to_string(j), "is not among the customer's candidates");
    const auto k = static_cast<std::size_t>(j);
    if (++pins[k] > capacity[k]) {
      fail("pinned", static_cast<std::int64_t>(c), std::to_string(j),
           "pins more customers on manager " + std::to_string(j) + " than its capacity (" + std::to_string(capacity[k]) + ")");
    }
    if (!workload.empty()) {
      minutes[k] += workload[static_cast<std::size_t>(arc)];
      if (minutes[k] > time_budget[k] * (1 + 1e-12)) {
        fail("pinned", static_cast<std::int64_t>(c), std::to_string(j),
             "pins more minutes on manager " + std::to_string(j) + " than its time budget (" + detail::format_number(time_budget[k]) + ")");
      }
    }
  }
}

bool assignment_problem::capacity_only() const {
  if (!band.low.empty() && band.penalty > 0) return false;
  if (!value_balance.low.empty() && value_balance.penalty > 0) return false;
  for (const double f : fixed_cost) {
    if (f > 0) return false;
  }
  if (workload.empty()) return true;
  for (std::size_t j = 0; j < time_budget.size(); ++j) {
    if (!std::isinf(time_budget[j])) return false;
  }
  return true;
}

double band_penalty(const load_band& band, index_t manager, std::int64_t load) {
  if (band.low.empty() || band.penalty == 0) return 0;
  const auto m = static_cast<std::size_t>(manager);
  const std::int64_t outside = std::max<std::int64_t>(0, band.low[m] - load) + std::max<std::int64_t>(0, load - band.high[m]);
  return band.penalty * static_cast<double>(outside);
}

double value_penalty(const value_band& band, index_t manager, double value) {
  if (band.low.empty() || band.penalty == 0) return 0;
  const auto m = static_cast<std::size_t>(manager);
  return band.penalty * (std::max(0.0, band.low[m] - value) + std::max(0.0, value - band.high[m]));
}

const char* status_name(solve_status status) {
  switch (status) {
    case solve_status::optimal: return "optimal";
    case solve_status::feasible: return "feasible";
    case solve_status::stopped: return "stopped";
    case solve_status::infeasible: return "infeasible";
  }
  return "?";
}

const char* stop_reason_name(stop_reason reason) {
  switch (reason) {
    case stop_reason::none: return "none";
    case stop_reason::time_limit: return "time_limit";
    case stop_reason::progress: return "progress";
  }
  return "?";
}

void register_assignment_solver(const std::string& name, assignment_solver solver) {
  if (name.empty() || name == "auto") throw invalid_input({"assignment_solvers", "name", -1, name}, "is reserved");
  const std::lock_guard lock(registry_mutex);
  registry()[name] = std::move(solver);
}

std::vector<std::string> assignment_solvers() {
  const std::lock_guard lock(registry_mutex);
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

assignment_result solve_assignment(const assignment_problem& problem, const assignment_options& options) {
  const auto start = clock_type::now();
  problem.validate();
  if (!(options.cost_scale > 0) || !std::isfinite(options.cost_scale)) {
    throw invalid_input({"assignment_options", "cost_scale", -1, detail::format_number(options.cost_scale)}, "must be positive and finite");
  }
  if (!(options.time_limit >= 0)) throw invalid_input({"assignment_options", "time_limit", -1, detail::format_number(options.time_limit)}, "must be >= 0");
  if (!(options.gap_limit >= 0)) throw invalid_input({"assignment_options", "gap_limit", -1, detail::format_number(options.gap_limit)}, "must be >= 0");
  const assignment_solver solve = find_solver(options.solver, problem);
  const std::string name = options.solver == "auto" ? automatic(problem) : options.solver;
  if (name == "auction" || name == "flow" || name == "boost") check_exact_range(problem, options.cost_scale);

  // Without pins the problem goes to the solver as it is (no copy of its arcs).
  const bool pins = std::any_of(problem.pinned.begin(), problem.pinned.end(), [](index_t m) { return m != no_index; });
  detail::free_part part;
  if (pins) part = detail::without_pins(problem);
  const assignment_problem& unpinned = pins ? part.problem : problem;
  solver_output out;
  bool budget_kept = true;
  if (problem.move_budget >= 0 && !problem.current.empty()) {
    std::int64_t forced = 0;  // pinned away from a current manager who is still a candidate
    for (index_t c = 0; c < problem.customers; ++c) {
      const index_t pin = problem.pinned.empty() ? no_index : problem.pinned[static_cast<std::size_t>(c)];
      const index_t now = problem.current[static_cast<std::size_t>(c)];
      forced += pin != no_index && now != no_index && pin != now && detail::arc_to(problem, c, now) >= 0;
    }
    if (forced > problem.move_budget) {
      throw invalid_input({"assignment_problem", "move_budget", -1, std::to_string(problem.move_budget)},
                          "is below the " + std::to_string(forced) + " moves that pins force");
    }
    detail::budget_plan planned = detail::solve_within_move_budget(unpinned, problem.move_budget - forced, solve, options, start);
    out = std::move(planned.out);
    budget_kept = planned.kept;
  } else {
    // The time limit counts from the call: checking and copying the problem used some.
    assignment_options rest = options;
    rest.time_limit = std::max(0.0, options.time_limit - seconds_since(start));
    out = solve(unpinned, rest);
  }

  const double scale = out.rounded ? options.cost_scale : 0;
  std::vector<index_t> manager_of = out.manager;
  if (pins) {
    manager_of = problem.pinned;
    for (std::size_t k = 0; k < part.original.size(); ++k) manager_of[static_cast<std::size_t>(part.original[k])] = out.manager[k];
  }
  assignment_result result = detail::finish(problem, std::move(manager_of), scale);
  // The pinned customers' costs are fixed: they join the free part's bound.
  const double pinned_cost = pins ? result.objective - detail::finish(part.problem, out.manager, scale).objective : 0;
  result.bound = std::min(result.objective, out.bound + pinned_cost);
  result.gap = (result.objective - result.bound) / std::max(1.0, std::abs(result.objective));
  result.stopped_by = out.stopped_by;
  const bool proven = result.objective - result.bound <= (scale > 0 ? 0.5 / scale : 1e-9 * std::max(1.0, std::abs(result.objective)));
  result.status = !budget_kept                        ? solve_status::infeasible
                  : proven                            ? solve_status::optimal
                  : out.stopped_by != stop_reason::none ? solve_status::stopped
                                                      : solve_status::feasible;
  if (result.status == solve_status::stopped) detail::mark_unsettled(problem, result);
  result.solver = name;
  result.iterations = out.iterations;
  result.searches = out.searches;
  result.seconds = seconds_since(start);
  return result;
}

namespace detail {

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

double stop_watch::seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

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
      if (room[j] > 0 && std::isfinite(price[j])) best = std::min(best, rounded(p.cost[static_cast<std::size_t>(a)]) + price[j]);
    }
    bound += best;
  }
  return bound;
}

solver_output stopped_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches,
                             double scale, double bound, stop_reason reason) {
  const double objective = finish(problem, manager_of, scale).objective;
  return {.manager = std::move(manager_of), .bound = std::min(bound, objective), .iterations = 0, .searches = searches, .rounded = true,
          .stopped_by = reason};
}

void mark_unsettled(const assignment_problem& p, assignment_result& r) {
  for (index_t c = 0; c < p.customers; ++c) {
    auto& reason = r.reason[static_cast<std::size_t>(c)];
    if (reason != unassigned_reason::capacity_exhausted && reason != unassigned_reason::not_worth_it) continue;
    for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      if (p.cost[static_cast<std::size_t>(a)] < p.leave_out[static_cast<std::size_t>(c)]) reason = unassigned_reason::solve_stopped;
    }
  }
}

solver_output exact_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches, double scale) {
  const double objective = finish(problem, manager_of, scale).objective;
  return {.manager = std::move(manager_of), .bound = objective, .iterations = 0, .searches = searches, .rounded = true};
}

assignment_result finish(const assignment_problem& p, std::vector<index_t> manager_of, double scale) {
  // Rounded costs add up exactly as integers (units of 1 / scale, 128 bits: a million costs
  // near the exact range fit), divided once at the end.
  double objective = 0;
  wide_integer rounded = 0;
  const auto add = [&](double value) {
    if (scale > 0) rounded += scaled(value, scale);
    else objective += value;
  };
  assignment_result r;
  r.manager = std::move(manager_of);
  r.load.assign(static_cast<std::size_t>(p.managers), 0);
  r.time.assign(static_cast<std::size_t>(p.managers), 0);
  const bool valued = !p.value_balance.value.empty();
  if (valued) r.value.assign(static_cast<std::size_t>(p.managers), 0);
  r.reason.assign(static_cast<std::size_t>(p.customers), unassigned_reason::assigned);
  for (index_t c = 0; c < p.customers; ++c) {
    const index_t m = r.manager[static_cast<std::size_t>(c)];
    if (!p.current.empty() && p.current[static_cast<std::size_t>(c)] != no_index) r.moves += p.current[static_cast<std::size_t>(c)] != m;
    if (m == no_index) {
      add(p.leave_out[static_cast<std::size_t>(c)]);
      continue;
    }
    const auto arc = static_cast<std::size_t>(arc_to(p, c, m));
    ++r.load[static_cast<std::size_t>(m)];
    if (!p.workload.empty()) r.time[static_cast<std::size_t>(m)] += p.workload[arc];
    if (valued) r.value[static_cast<std::size_t>(m)] += p.value_balance.value[static_cast<std::size_t>(c)];
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
      const bool time_left = p.workload.empty() || r.time[m] + p.workload[static_cast<std::size_t>(a)] <= p.time_budget[m];
      room = room || (r.load[m] < p.capacity[m] && time_left);
    }
    r.reason[static_cast<std::size_t>(c)] = first == last ? unassigned_reason::no_candidate
                                           : room         ? unassigned_reason::not_worth_it
                                                          : unassigned_reason::capacity_exhausted;
  }
  r.objective = scale > 0 ? objective + static_cast<double>(rounded) / scale : objective;
  return r;
}

}  // namespace detail
}  // namespace cartera
