#pragma once
/// \file realignment.hpp
/// From customers and managers to an assignment_problem: who may serve whom, what each
/// pair costs, and what leaving a customer out costs.
///
/// A manager is a candidate for a customer when the manager's skills cover the customer's
/// segment, the manager serves the customer's pool (a label given by routing rules) and (by
/// default) both are in the same region; pairs listed as forbidden never are. Of the
/// candidates, the `max_candidates` cheapest are kept, and the current manager always
/// (while eligible, or whenever the assignment is locked). A pair costs
///
///     distance_weight × distance + fit_weight × |segment − manager level|
///       + continuity[stage reached with the current manager] when the customer has a
///         current manager and this is another one,
///
/// and leaving a customer out costs max(leave_out_floor, leave_out_weight × value) (plus the
/// continuity price when they have a manager now): the solver gives a personal manager to those worth one.
/// Every weight is policy data.

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "cartera/assignment.hpp"
#include "cartera/execution.hpp"
#include "cartera/stages.hpp"

namespace cartera {

/// Customers as the realignment sees them; every vector is per customer, optional ones
/// may be empty.
struct realignment_customers {
  std::vector<double> value;          ///< what the customer is worth (>= 0): the basis of the leave-out price
  std::vector<std::int32_t> segment;  ///< segment / tier code (0-based, ordered for fit); -1: none. Empty: all 0
  std::vector<std::int32_t> region;   ///< region code; -1: none. Empty: all in one region
  std::vector<std::int32_t> pool;     ///< pool code (0..63, from routing rules); -1: any manager. Empty: no pools
  std::vector<index_t> current;       ///< current manager or no_index. Empty: none
  std::vector<stage> current_stage;   ///< stage reached with the current manager. Empty: sin_contacto
  std::vector<std::uint8_t> manual;   ///< 1 when the current assignment was made by hand. Empty: none
  std::vector<double> workload;       ///< minutes per period. Empty: 1 each
  std::vector<double> x, y;           ///< coordinates for distances. Empty: no distances
  [[nodiscard]] index_t size() const { return static_cast<index_t>(value.size()); }
};

/// Managers as the realignment sees them; every vector is per manager.
struct realignment_managers {
  std::vector<std::int64_t> capacity;  ///< most customers (>= 0)
  std::vector<double> time_budget;     ///< minutes per period (may be +inf). Empty: none
  std::vector<double> fixed_cost;      ///< paid once when the manager serves anyone (>= 0). Empty: none
  std::vector<std::int32_t> region;    ///< region code; -1: none. Empty: all in one region
  std::vector<std::uint64_t> skills;   ///< bit s set: may serve segment s (segments 0..63). Empty: any
  std::vector<std::uint64_t> pools;    ///< bit p set: serves pool p (pools 0..63). Empty: any
  std::vector<std::int32_t> level;     ///< the segment the manager suits best; -1: none. Empty: no fit cost
  std::vector<double> x, y;            ///< coordinates. Empty: no distances
  [[nodiscard]] index_t size() const { return static_cast<index_t>(capacity.size()); }
};

struct realignment_policy {
  bool same_region = true;           ///< only managers of the customer's region are candidates
  std::int64_t max_candidates = 10;  ///< cheapest candidates kept per customer (0: all)
  double distance_weight = 1.0;      ///< per unit of Euclidean distance between coordinates
  double fit_weight = 1.0;           ///< per step between segment and manager level
  /// Price of moving a customer away from their current manager, by the stage reached
  /// with them (sin_contacto … confiar): trust built is what a move destroys.
  std::array<double, stage_count> continuity = {0, 5, 20, 60, 150};
  double leave_out_weight = 1.0;  ///< leave-out price per unit of value
  double leave_out_floor = 0;     ///< the least leave-out price, whatever the value
  bool lock_manual = true;        ///< manual current assignments are pinned
  std::int64_t move_budget = -1;  ///< most voluntary moves (-1: no limit)
  double move_share = 1.0;        ///< most voluntary moves as a share of customers with a manager
  /// Soft band: each manager's load target is its capacity's share of the book, ± this
  /// share of it; band_penalty per customer outside (0: no band).
  double band_tolerance = 0.1;
  double band_penalty = 0;
  /// Soft value balance: each manager's value target is its capacity's share of the
  /// customers' total value, ± this share of it; value_band_penalty per unit of value
  /// outside (0: no balance).
  double value_band_tolerance = 0.2;
  double value_band_penalty = 0;

  /// Throws invalid_input naming the field out of range.
  void validate() const;
};

/// Candidate pairs chosen by the caller, with their costs (used as they are).
struct given_candidates {
  std::vector<index_t> customer;
  std::vector<index_t> manager;
  std::vector<double> cost;
  std::vector<double> workload;  ///< per pair; empty: the customer's workload (or 1)
};

/// Builds the problem. `forbidden` pairs (customer, manager) are never candidates.
/// Throws invalid_input naming the table ("customers", "managers", "forbidden"), the
/// column, the row and the value of a problem.
[[nodiscard]] assignment_problem build_realignment(const realignment_customers& customers,
                                                   const realignment_managers& managers,
                                                   const realignment_policy& policy = {},
                                                   const std::vector<std::pair<index_t, index_t>>& forbidden = {},
                                                   const execution& run = {});

/// build_realignment with the candidates given instead of built: the policy still prices leaving out
/// and sets the locks, the move budget, the bands and the fixed costs. Throws invalid_input naming the
/// "candidates" column, row and value of a pair out of range.
[[nodiscard]] assignment_problem build_realignment_from_candidates(const realignment_customers& customers,
                                                                   const realignment_managers& managers,
                                                                   const realignment_policy& policy,
                                                                   const given_candidates& given);

}  // namespace cartera
