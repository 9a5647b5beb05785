#pragma once
// The assignment problem's and result's fields, listed once: the names Python sees them by,
// in the order the constructor, `fields`, to_dict and pickling use.

#include <cstdint>
#include <vector>

#include "cartera/assignment.hpp"

namespace cartera::python {

/// What a problem's field is to Python: a column it must give, a column it may leave out
/// (None: empty), or a number.
enum class field_role { required, optional, scalar };

/// Calls visit(name, member, role, doc) for every field of a problem (const or not).
template <typename Problem, typename Visit>
void for_each_problem_field(Problem& p, Visit&& visit) {
  using role = field_role;
  visit("offsets", p.offsets, role::required,
        "Customer c's candidates are arcs offsets[c]:offsets[c + 1] (customers + 1 entries).");
  visit("manager", p.manager, role::required, "Per arc: the candidate manager.");
  visit("cost", p.cost, role::required, "Per arc: the pair cost.");
  visit("leave_out", p.leave_out, role::required, "Per customer: the price of no personal manager.");
  visit("capacity", p.capacity, role::required, "Per manager: most customers.");
  visit("workload", p.workload, role::optional, "Per arc: minutes per period (with time budgets).");
  visit("time_budget", p.time_budget, role::optional, "Per manager: most minutes per period.");
  visit("band_low", p.band.low, role::optional, "Per manager: the load band's low end.");
  visit("band_high", p.band.high, role::optional, "Per manager: the load band's high end.");
  visit("band_penalty", p.band.penalty, role::scalar, "Price per customer outside the load band.");
  visit("value", p.value_balance.value, role::optional, "Per customer: the value the value band counts.");
  visit("value_low", p.value_balance.low, role::optional, "Per manager: the value band's low end.");
  visit("value_high", p.value_balance.high, role::optional, "Per manager: the value band's high end.");
  visit("value_penalty", p.value_balance.penalty, role::scalar, "Price per unit of value outside the value band.");
  visit("fixed_cost", p.fixed_cost, role::optional, "Per manager: paid once when they serve anyone.");
  visit("pinned", p.pinned, role::optional, "Per customer: the manager it must keep, or -1.");
  visit("current", p.current, role::optional, "Per customer: the manager serving it now, or -1.");
  visit("move_budget", p.move_budget, role::scalar, "Most voluntary moves (-1: no limit).");
}

/// Calls visit(name, member, doc) for every column of a result (the per-customer and
/// per-manager vectors; the figures are bound one by one).
template <typename Result, typename Visit>
void for_each_result_column(Result& r, Visit&& visit) {
  visit("manager", r.manager, "Per customer: the manager's position, or -1 when left out.");
  visit("cost", r.cost, "Per customer: the pair's cost, or the leave-out price when left out.");
  visit("load", r.load, "Per manager: customers served.");
  visit("time", r.time, "Per manager: minutes per period (0 without workloads).");
}

/// Calls visit(name, member, doc) for every figure of a result but its status and stop
/// reason (bound by name).
template <typename Result, typename Visit>
void for_each_result_figure(Result& r, Visit&& visit) {
  visit("objective", r.objective, "Pair costs + leave-out prices + fixed costs + band penalties.");
  visit("bound", r.bound, "A proven lower bound of the optimum.");
  visit("gap", r.gap, "(objective - bound) / max(1, |objective|).");
  visit("moves", r.moves, "Customers whose manager changes.");
  visit("solver", r.solver, "The solver that ran.");
  visit("seconds", r.seconds, "Wall time of the solve.");
  visit("iterations", r.iterations, "Solver iterations.");
  visit("searches", r.searches, "flow: shortest-path searches; auction: bids.");
}

}  // namespace cartera::python
