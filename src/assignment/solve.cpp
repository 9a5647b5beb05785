// solve_assignment: the solver registry, and what it does around every solver — the
// checks of the options, pins, the move budget, the status and the result's bookkeeping.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <string>

#include "assignment/solver_support.hpp"
#include "cartera/assignment.hpp"
#include "detail/checks.hpp"

namespace cartera {
namespace {

std::map<std::string, assignment_solver>& registry() {
  static std::map<std::string, assignment_solver> solvers = {{"auction", detail::solve_auction},
                                                             {"flow", detail::solve_flow},
                                                             {"lagrangian", detail::solve_lagrangian},
                                                             {"boost", detail::solve_boost}};
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
        detail::fail({"assignment_problem", column, static_cast<std::int64_t>(k), detail::format_number(values[k])},
                     "times cost_scale (" + detail::format_number(scale) +
                         ") is beyond the exact solvers' integers (2^61); "
                         "lower cost_scale, or use \"lagrangian\"");
      }
    }
  };
  check("cost", p.cost);
  check("leave_out", p.leave_out);
}

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

}  // namespace

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
    throw invalid_input({"assignment_options", "cost_scale", -1, detail::format_number(options.cost_scale)},
                        "must be positive and finite");
  }
  if (!(options.time_limit >= 0))
    throw invalid_input({"assignment_options", "time_limit", -1, detail::format_number(options.time_limit)},
                        "must be >= 0");
  if (!(options.gap_limit >= 0))
    throw invalid_input({"assignment_options", "gap_limit", -1, detail::format_number(options.gap_limit)},
                        "must be >= 0");
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
    detail::budget_plan planned =
        detail::solve_within_move_budget(unpinned, problem.move_budget - forced, solve, options, start);
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
    for (std::size_t k = 0; k < part.original.size(); ++k)
      manager_of[static_cast<std::size_t>(part.original[k])] = out.manager[k];
  }
  assignment_result result = detail::finish(problem, std::move(manager_of), scale);
  // The pinned customers' costs are fixed: they join the free part's bound.
  const double pinned_cost = pins ? result.objective - detail::finish(part.problem, out.manager, scale).objective : 0;
  result.bound = std::min(result.objective, out.bound + pinned_cost);
  result.gap = (result.objective - result.bound) / std::max(1.0, std::abs(result.objective));
  result.stopped_by = out.stopped_by;
  const bool proven =
      result.objective - result.bound <= (scale > 0 ? 0.5 / scale : 1e-9 * std::max(1.0, std::abs(result.objective)));
  result.status = !budget_kept                          ? solve_status::infeasible
                  : proven                              ? solve_status::optimal
                  : out.stopped_by != stop_reason::none ? solve_status::stopped
                                                        : solve_status::feasible;
  if (result.status == solve_status::stopped) detail::mark_unsettled(problem, result);
  result.solver = name;
  result.iterations = out.iterations;
  result.searches = out.searches;
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace cartera
