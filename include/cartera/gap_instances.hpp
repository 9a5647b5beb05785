#pragma once
/// \file gap_instances.hpp
/// Published generalized assignment problem instances (OR-Library format) as realignment
/// problems, for tests and benchmarks of the assignment solvers.

#include <istream>

#include "cartera/assignment.hpp"

namespace cartera {

/// Reads `m n`, the m×n cost matrix, the m×n weight matrix (agent by agent) and the m
/// capacities. Agents become managers (time budget = capacity, no customer cap), items
/// become customers with every agent as a candidate (workload = weight). Every item must
/// be assigned: leaving one out is priced above any complete assignment (one more than the
/// sum of every item's dearest cost), so an optimum leaves none out when any fits.
/// Throws invalid_input naming the instance's position of a missing or bad number.
[[nodiscard]] assignment_problem read_orlibrary_gap(std::istream& in);

}  // namespace cartera
