#pragma once
/// \file assignment.hpp
/// Which manager serves which customer: the realignment of a whole book, optimised.
///
/// Every customer has a sparse list of candidate managers with a pair cost (and, when
/// managers have time budgets, the minutes per period the pair takes), and a price for being
/// left without a personal manager (their value: the solver decides who is worth one when
/// capacity is short). Managers have a customer capacity, optionally a time budget, a fixed
/// cost paid when they serve anyone, and soft targets on their load and on the value they
/// serve. Customers may be pinned to a manager, and a budget may limit how many change
/// manager. The solution minimises the pair costs used, the prices of the customers left
/// out, the fixed costs of the managers used and the soft targets' penalties.
///
/// Solvers are chosen by name (`assignment_options::solver`):
/// - `"auction"`: exact for the capacity-only problem (no time budgets, bands or fixed
///   costs), a forward auction with similar objects (a manager of capacity k is k identical
///   slots) and ε-scaling, bidding in rounds on every core while many customers wait (the
///   same answer whatever the number of threads). Costs are rounded to multiples of
///   1 / cost_scale and the arithmetic is exact in integers: the solution is optimal for the
///   rounded costs, and objective and bound are reported in them.
/// - `"flow"`: the same problem and guarantee, by successive shortest paths written for the
///   bipartite shape; fast on small books, slow on large contested ones.
/// - `"lagrangian"`: any problem (a generalized assignment problem when workloads differ).
///   Subgradient optimisation of the Lagrangian dual of the manager constraints gives the
///   lower bound; a greedy with regret on the dual-adjusted costs, then local search (shift,
///   swap, ejection), gives the solution. Stops on the gap, the time or iteration limit.
///   Fixed costs and the value band (penalties >= 0) are left out of the bound: it stays
///   valid, and is looser when they weigh.
/// - `"boost"`: the capacity-only problem as a general minimum-cost flow solved by
///   Boost.Graph's successive shortest paths: slow, for cross-checking.
/// - `"auto"` (default): `"auction"` when it applies, else `"lagrangian"`.
/// More solvers can be registered with register_assignment_solver().
///
/// Every result says how the solve ended (solve_status: optimal, feasible, stopped,
/// infeasible) and, when stopped, by what (stop_reason); customers a stopped solve left
/// unsettled have the reason solve_stopped.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera {

/// A soft target on each manager's number of customers: every customer below `low` or above
/// `high` costs `penalty`. Empty vectors mean no band.
struct load_band {
  std::vector<std::int64_t> low;   ///< per manager
  std::vector<std::int64_t> high;  ///< per manager, >= low
  double penalty = 0;              ///< per customer outside the band, finite and >= 0
};

/// A soft target on the value each manager serves (the sum of their customers' `value`):
/// every unit of value below `low` or above `high` costs `penalty`. Empty vectors mean no
/// target.
struct value_band {
  std::vector<double> value;  ///< per customer, finite and >= 0
  std::vector<double> low;    ///< per manager, finite and >= 0
  std::vector<double> high;   ///< per manager, >= low (may be +inf)
  double penalty = 0;         ///< per unit of value outside the band, finite and >= 0
};

/// The realignment problem, candidates stored per customer (CSR).
struct assignment_problem {
  index_t customers = 0;
  index_t managers = 0;
  /// Customer c's candidates are arcs [offsets[c], offsets[c + 1]).
  std::vector<std::int64_t> offsets = {0};
  std::vector<index_t> manager;        ///< per arc: the candidate manager (each at most once per customer)
  std::vector<double> cost;            ///< per arc: the pair cost, finite and >= 0
  std::vector<double> workload;        ///< per arc: minutes per period, finite and >= 0; empty: no time budgets
  std::vector<double> leave_out;       ///< per customer: the price of no personal manager, finite and >= 0
  std::vector<std::int64_t> capacity;  ///< per manager: most customers, >= 0
  std::vector<double> time_budget;     ///< per manager: most minutes per period (may be +inf); empty: none
  load_band band;                      ///< soft load targets
  value_band value_balance;            ///< soft targets on the value each manager serves
  /// Per manager: paid once when they serve at least one customer (a portfolio opened),
  /// finite and >= 0. Empty: none.
  std::vector<double> fixed_cost;
  /// Per customer: the manager it must keep (one of its candidates), or no_index. Empty: no pins.
  std::vector<index_t> pinned;
  /// Per customer: the manager serving it now, or no_index. Empty: nobody has one.
  std::vector<index_t> current;
  /// Most customers that may leave a current manager who is still among their candidates
  /// (-1: no limit). Customers whose current manager is not a candidate must move anyway
  /// and do not count against it. When capacities or pins force more moves than this, the
  /// solution moving the fewest is returned (result.moves says how many).
  std::int64_t move_budget = -1;

  /// Throws invalid_input naming the array, the position and the value of a problem,
  /// including pins that exceed a manager's capacity or time budget.
  void validate() const;
  /// True when no time budget, band or fixed cost applies: the exact solvers' case.
  [[nodiscard]] bool capacity_only() const;
};

/// Why a customer has no manager.
enum class unassigned_reason : std::uint8_t {
  assigned = 0,
  no_candidate = 1,        ///< no eligible manager
  capacity_exhausted = 2,  ///< every candidate manager is full (customers or time)
  not_worth_it = 3,        ///< a candidate had room, but every pair costs more than leaving the customer out
  /// The solve was stopped (time limit, progress callback) before it settled this customer:
  /// a candidate costs less than leaving them out, and a longer solve may place them.
  solve_stopped = 4,
};

/// How a solve ended, as OR-Tools' solvers report it.
enum class solve_status : std::uint8_t {
  optimal = 0,     ///< proven: the objective equals the lower bound (for the costs the solver used)
  feasible = 1,    ///< the solver ended by its own rule (gap limit, iterations) with a solution not proven optimal
  stopped = 2,     ///< the time limit or the progress callback cut the solve short: the best solution so far
  infeasible = 3,  ///< no solution keeps the move budget: the one moving the fewest customers is returned
};

/// What cut a solve short.
enum class stop_reason : std::uint8_t {
  none = 0,        ///< nothing: the solver ended by its own rule
  time_limit = 1,  ///< assignment_options::time_limit
  progress = 2,    ///< assignment_options::progress returned false
};

/// "optimal", "feasible", "stopped", "infeasible".
[[nodiscard]] const char* status_name(solve_status status);
/// "none", "time_limit", "progress".
[[nodiscard]] const char* stop_reason_name(stop_reason reason);

/// Where a running solver stands; see assignment_options::progress.
struct assignment_progress {
  std::int64_t iteration = 0;
  double seconds = 0;
  double objective = 0;  ///< best solution so far
  double bound = 0;      ///< best lower bound so far
};

struct assignment_options {
  std::string solver = "auto";  ///< "auto", "auction", "flow", "lagrangian", "boost" or a registered name
  /// The exact solvers round costs to multiples of 1 / cost_scale (3 decimals by default).
  double cost_scale = 1000.0;
  /// Seconds. The Lagrangian solver stops there with its best; "auction" and "flow" stop
  /// with the customers not yet placed left out (feasible) and a bound from their prices
  /// ("boost", the reference, always runs to the end).
  double time_limit = 60.0;
  double gap_limit = 1e-4;  ///< iterative solvers stop once (objective - bound) / objective is below
  /// Most Lagrangian iterations; they also bound the search after them (rounds of the
  /// iterated local search, or 20 steps of the tabu search each).
  std::int64_t iterations = 1000;
  std::uint64_t seed = 0;  ///< for randomised steps; results are deterministic given it
  /// Called now and then by the solvers; returning false stops them as the time limit
  /// does. The exact solvers report an infinite objective until they finish.
  std::function<bool(const assignment_progress&)> progress;
};

struct assignment_result {
  std::vector<index_t> manager;           ///< per customer; no_index when left out
  std::vector<unassigned_reason> reason;  ///< per customer
  std::vector<double> cost;               ///< per customer: the pair's cost, or the leave-out price when left out
  std::vector<std::int64_t> load;         ///< customers per manager
  std::vector<double> time;               ///< minutes per manager (0 without workloads)
  std::vector<double> value;              ///< value served per manager (with value_balance.value; else empty)
  /// pair costs + prices of those left out + fixed costs of the managers used + penalties
  double objective = 0;
  double bound = 0;                             ///< a proven lower bound of the optimal objective
  double gap = 0;                               ///< (objective - bound) / max(1, |objective|)
  std::int64_t moves = 0;                       ///< customers whose manager differs from `current`
  std::string solver;                           ///< the solver that ran
  solve_status status = solve_status::optimal;  ///< how the solve ended
  stop_reason stopped_by = stop_reason::none;   ///< what cut it short, when status is stopped
  double seconds = 0;                           ///< wall time
  std::int64_t iterations = 0;                  ///< solver iterations (Lagrangian steps, move-budget rounds)
  std::int64_t searches = 0;                    ///< "flow": shortest-path searches beyond one arc; "auction": bids
};

/// Solves a realignment problem with the solver named in `options`.
[[nodiscard]] assignment_result solve_assignment(const assignment_problem& problem,
                                                 const assignment_options& options = {});

/// A solver gets a validated problem without pins or move budget (solve_assignment deals
/// with both around it) and returns a manager per customer (no_index: left out) and a
/// lower bound of the optimal objective.
struct solver_output {
  std::vector<index_t> manager;
  double bound = 0;
  std::int64_t iterations = 0;
  std::int64_t searches = 0;
  bool rounded = false;                        ///< objective and bound are in costs rounded to 1 / cost_scale
  stop_reason stopped_by = stop_reason::none;  ///< set when the time limit or the callback cut the solve
};
using assignment_solver = std::function<solver_output(const assignment_problem&, const assignment_options&)>;

/// Adds (or replaces) a solver under `name`, for solve_assignment and benchmarks.
void register_assignment_solver(const std::string& name, assignment_solver solver);
/// The names solve_assignment accepts, sorted ("auto" excluded).
[[nodiscard]] std::vector<std::string> assignment_solvers();

/// The band penalty of one manager carrying `load` customers.
[[nodiscard]] double band_penalty(const load_band& band, index_t manager, std::int64_t load);
/// The value band's penalty of one manager serving `value`.
[[nodiscard]] double value_penalty(const value_band& band, index_t manager, double value);

}  // namespace cartera
