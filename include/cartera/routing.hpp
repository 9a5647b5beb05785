#pragma once
/// \file routing.hpp
/// Online assignment: customers who arrive (new, or whose manager left) go to a manager now,
/// without re-solving the book.
///
/// Build the arrivals' candidates as for a realignment (build_realignment: eligibility by
/// region, skills and forbidden pairs; pair costs), or by any other rule (the Python
/// package filters them with the segmentation rule language); route() then gives each
/// arrival, in order, its cheapest candidate that still has room.

#include <cstdint>
#include <vector>

#include "cartera/assignment.hpp"

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
[[nodiscard]] routing_result route(const assignment_problem& arrivals, std::vector<std::int64_t> load, std::vector<double> time = {});

}  // namespace cartera
