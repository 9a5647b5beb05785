#pragma once
/// \file assignment.hpp
/// Which manager serves which customer: the capacity-only problem, solved exactly.
///
/// Every customer has a sparse list of candidate managers with a pair cost, and a price for
/// being left without a personal manager (their value: the solver decides who is worth one
/// when capacity is short). Managers have a customer capacity. The solution minimises the
/// cost of the pairs used plus the prices of the customers left out.
///
/// Design notes. A minimum-cost flow (source → customer → manager → sink, plus a direct
/// customer → sink arc priced at the customer's value) solved by successive shortest paths
/// with Dijkstra on reduced costs (Edmonds & Karp 1972; Tomizawa 1971): customers enter one
/// at a time, each search stops as soon as the sink is settled, and node potentials keep
/// every reduced cost non-negative. Costs are rounded to multiples of 1 / cost_scale and the
/// arithmetic is exact in 64-bit integers, so the result is optimal for the rounded costs
/// and the lower bound equals the objective. A Boost.Graph minimum-cost-flow reference
/// solves the same problem for cross-checks.

#include <cstdint>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera {

/// The capacity-only problem, candidates stored per customer (CSR).
struct assignment_problem {
  index_t customers = 0;
  index_t managers = 0;
  /// Customer c's candidates are arcs [offsets[c], offsets[c + 1]).
  std::vector<std::int64_t> offsets = {0};
  std::vector<index_t> manager;   ///< per arc: the candidate manager
  std::vector<double> cost;       ///< per arc: the pair cost, finite and >= 0
  std::vector<double> leave_out;  ///< per customer: the price of no personal manager, finite and >= 0
  std::vector<std::int64_t> capacity;  ///< per manager: most customers, >= 0

  /// Throws invalid_input naming the array, the position and the value of a problem.
  void validate() const;
};

/// Why a customer has no manager.
enum class unassigned_reason : std::uint8_t {
  assigned = 0,
  no_candidate = 1,        ///< no eligible manager
  capacity_exhausted = 2,  ///< every candidate manager is full
  not_worth_it = 3,        ///< a candidate had room, but every pair costs more than leaving the customer out
};

struct capacity_options {
  /// Costs and prices are rounded to multiples of 1 / cost_scale before solving; the
  /// solution is optimal for the rounded costs (3 decimals by default).
  double cost_scale = 1000.0;
};

struct assignment_result {
  std::vector<index_t> manager;           ///< per customer; -1 when left out
  std::vector<unassigned_reason> reason;  ///< per customer
  std::vector<std::int64_t> load;         ///< customers per manager
  double objective = 0;                   ///< pair costs + prices of those left out (rounded costs)
  double bound = 0;                       ///< a proven lower bound of the objective
  double gap = 0;                         ///< (objective - bound) / max(1, |objective|)
  std::int64_t searches = 0;              ///< shortest-path searches that went beyond one arc
};

/// Solves the capacity-only problem exactly.
[[nodiscard]] assignment_result solve_capacity_assignment(const assignment_problem& problem,
                                                          const capacity_options& options = {});

/// The same problem as a minimum-cost flow solved by Boost.Graph's successive shortest
/// paths over a general graph: slower, for cross-checking.
[[nodiscard]] assignment_result solve_capacity_assignment_reference(const assignment_problem& problem,
                                                                    const capacity_options& options = {});

}  // namespace cartera
