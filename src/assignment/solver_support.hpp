#pragma once
// What the assignment solvers share: integer costs, the result's bookkeeping, and the
// built-in solvers behind the registry.

#include <chrono>
#include <cstdint>
#include <vector>

#include "cartera/assignment.hpp"

namespace cartera::detail {

/// 128-bit integers (a GCC and Clang extension), for exact sums and prices too large for 64.
__extension__ using wide_integer = __int128;

/// The exact solvers take costs and leave-out prices up to this many units of 1 / scale:
/// their integer arithmetic is exact below it.
inline constexpr double exact_range = 0x1p61;

/// A cost as an integer multiple of 1 / scale (|value| × scale below exact_range).
std::int64_t scaled(double value, double scale);

/// The largest cost or leave-out price of the problem, in units of 1 / scale.
double largest_scaled(const assignment_problem& problem, double scale);

/// The arc of customer c to manager m, or -1.
std::int64_t arc_to(const assignment_problem& problem, index_t c, index_t m);

/// The customers without a pin, as a problem of their own: pinned customers already use
/// their managers' room (customers, minutes, band, value band) and open them (fixed cost).
struct free_part {
  assignment_problem problem;
  std::vector<index_t> original;  ///< per free customer: its index in the full problem
};
free_part without_pins(const assignment_problem& problem);

/// A plan under a move budget: at most `budget` customers of `problem` (without pins) leave
/// a current manager who is still among their candidates. `kept` is false when no plan keeps
/// the budget (the one moving the fewest is returned); out.stopped_by when the time limit or
/// the progress callback cut the search. See src/assignment/move_budget.cpp.
struct budget_plan {
  solver_output out;
  bool kept = true;
};
budget_plan solve_within_move_budget(const assignment_problem& problem, std::int64_t budget,
                                     const assignment_solver& solve, const assignment_options& options,
                                     std::chrono::steady_clock::time_point start);

/// Loads, time, reasons, moves and objective of an assignment (manager per customer,
/// no_index for left out); costs rounded to 1 / scale when scale > 0.
assignment_result finish(const assignment_problem& problem, std::vector<index_t> manager_of, double scale);

/// After a stopped solve: customers left out who have a candidate cheaper than leaving them
/// out were not settled by the solver; their reason says so (solve_stopped).
void mark_unsettled(const assignment_problem& problem, assignment_result& result);

/// An exact solver's output: optimal for the costs rounded to 1 / scale, so the bound is
/// the objective.
solver_output exact_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches,
                           double scale);

/// When an exact solver must stop: past the options' time limit, or when their progress
/// callback says so (asked now and then; the objective is infinite until a solution
/// exists). Once it says stop, it stays stopped, and reason() says why.
class stop_watch {
 public:
  explicit stop_watch(const assignment_options& options)
      : options_(options), start_(std::chrono::steady_clock::now()) {}
  bool stop(std::int64_t iteration);
  [[nodiscard]] double seconds() const;
  [[nodiscard]] bool stopped() const noexcept { return reason_ != stop_reason::none; }
  [[nodiscard]] stop_reason reason() const noexcept { return reason_; }

 private:
  const assignment_options& options_;
  std::chrono::steady_clock::time_point start_;
  stop_reason reason_ = stop_reason::none;
};

/// A lower bound of the capacity-only problem from a price per manager (any prices >= 0
/// give one; +inf closes a manager with no room): the Lagrangian dual of the capacities,
/// Σ_c min(leave-out, min over candidates of cost + price) - Σ_j price_j × room_j, in costs
/// rounded to 1 / scale.
double price_bound(const assignment_problem& problem, const std::vector<double>& price, double scale);

/// An exact solver stopped early (for `reason`): its customers not yet placed are left out
/// (always feasible), and the bound comes from prices.
solver_output stopped_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches,
                             double scale, double bound, stop_reason reason);

solver_output solve_auction(const assignment_problem& problem, const assignment_options& options);
/// The auction's customers bid in rounds while at least this many wait (on every core),
/// then one after the other.
inline constexpr std::size_t auction_round_size = 32768;
/// The auction with another round size (tests: 1 bids in rounds to the end).
solver_output solve_auction_with_round_size(const assignment_problem& problem, const assignment_options& options,
                                            std::size_t round_size);
solver_output solve_flow(const assignment_problem& problem, const assignment_options& options);
solver_output solve_boost(const assignment_problem& problem, const assignment_options& options);
solver_output solve_lagrangian(const assignment_problem& problem, const assignment_options& options);

}  // namespace cartera::detail
