#pragma once
/// \file routing.hpp
/// Online assignment: customers who arrive (new, or whose manager left) go to a manager now,
/// without re-solving the book.
///
/// route() with the realignment's inputs gives each arrival, in order, the cheapest manager
/// eligible under the policy (region, skills, pool, not forbidden) that still has room,
/// looking at every eligible manager however many are cheaper and full: the candidate cut
/// of a realignment (max_candidates) does not apply. route() with an assignment_problem
/// does the same over candidates chosen by any other rule.

#include <cstdint>
#include <vector>

#include "cartera/assignment.hpp"
#include "cartera/realignment.hpp"

namespace cartera {

struct routing_result {
  std::vector<index_t> manager;           ///< per arrival; no_index when none could take them
  std::vector<unassigned_reason> reason;  ///< no_candidate or capacity_exhausted when unrouted
  std::vector<std::int64_t> load;         ///< customers per manager, arrivals included
  std::vector<double> time;               ///< minutes per manager, arrivals included
};

/// Routes the problem's customers one after another, in order: each takes its cheapest
/// candidate with room (capacity and, with workloads, time budget) given `load` and `time`
/// (the managers' books before the arrivals; empty `time`: 0). Ties go to the candidate
/// listed first, so the result is deterministic. Leave-out prices, pins and moves are not
/// considered: routing places whoever it can.
[[nodiscard]] routing_result route(const assignment_problem& arrivals, std::vector<std::int64_t> load,
                                   std::vector<double> time = {});

/// Routes arrivals described as for a realignment, one after another, in order: each takes
/// the cheapest eligible manager (pair costs as build_realignment prices them; equal costs
/// spread by the same deterministic hash) with room in customers and, when managers have
/// time budgets, minutes (the arrival's workload, 1 without). `load` and `time` are the
/// managers' books before the arrivals (empty `time`: 0). Throws invalid_input naming the
/// table, column, row and value of a bad input.
[[nodiscard]] routing_result route(const realignment_customers& arrivals, const realignment_managers& managers,
                                   const realignment_policy& policy, std::vector<std::int64_t> load,
                                   std::vector<double> time = {},
                                   const std::vector<std::pair<index_t, index_t>>& forbidden = {});

}  // namespace cartera
