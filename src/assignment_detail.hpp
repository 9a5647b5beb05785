#pragma once
// What the capacity solvers share: integer costs and the result's bookkeeping.

#include <cstdint>
#include <vector>

#include "cartera/assignment.hpp"

namespace cartera::detail {

/// A cost as an integer multiple of 1 / scale.
std::int64_t scaled(double value, double scale);

/// Loads, reasons and objective of an assignment (manager per customer, -1 for left out).
assignment_result finish(const assignment_problem& problem, std::vector<index_t> manager_of, double scale);

}  // namespace cartera::detail
