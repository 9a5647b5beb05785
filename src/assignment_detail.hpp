#pragma once
// What the assignment solvers share: integer costs, the result's bookkeeping, and the
// built-in solvers behind the registry.

#include <cstdint>
#include <vector>

#include "cartera/assignment.hpp"

namespace cartera::detail {

/// A cost as an integer multiple of 1 / scale.
std::int64_t scaled(double value, double scale);

/// Loads, time, reasons, moves and objective of an assignment (manager per customer,
/// no_index for left out); costs rounded to 1 / scale when scale > 0.
assignment_result finish(const assignment_problem& problem, std::vector<index_t> manager_of, double scale);

/// An exact solver's output: optimal for the costs rounded to 1 / scale, so the bound is
/// the objective.
solver_output exact_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches, double scale);

solver_output solve_auction(const assignment_problem& problem, const assignment_options& options);
solver_output solve_flow(const assignment_problem& problem, const assignment_options& options);
solver_output solve_boost(const assignment_problem& problem, const assignment_options& options);
solver_output solve_lagrangian(const assignment_problem& problem, const assignment_options& options);

}  // namespace cartera::detail
