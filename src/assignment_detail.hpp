#pragma once
// What the assignment solvers share: integer costs, the result's bookkeeping, and the
// built-in solvers behind the registry.

#include <chrono>
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

/// When an exact solver must stop: past the options' time limit, or when their progress
/// callback says so (asked now and then; the objective is infinite until a solution
/// exists). Once it says stop, it stays stopped.
class stop_watch {
 public:
  explicit stop_watch(const assignment_options& options) : options_(options), start_(std::chrono::steady_clock::now()) {}
  bool stop(std::int64_t iteration);
  [[nodiscard]] double seconds() const;
  [[nodiscard]] bool stopped() const noexcept { return stopped_; }

 private:
  const assignment_options& options_;
  std::chrono::steady_clock::time_point start_;
  bool stopped_ = false;
};

/// A lower bound of the capacity-only problem from a price per manager (any prices >= 0
/// give one; +inf closes a manager with no room): the Lagrangian dual of the capacities,
/// Σ_c min(leave-out, min over candidates of cost + price) - Σ_j price_j × room_j, in costs
/// rounded to 1 / scale.
double price_bound(const assignment_problem& problem, const std::vector<double>& price, double scale);

/// An exact solver stopped early: its customers not yet placed are left out (always
/// feasible), and the bound comes from prices.
solver_output stopped_output(const assignment_problem& problem, std::vector<index_t> manager_of, std::int64_t searches,
                             double scale, double bound);

solver_output solve_auction(const assignment_problem& problem, const assignment_options& options);
solver_output solve_flow(const assignment_problem& problem, const assignment_options& options);
solver_output solve_boost(const assignment_problem& problem, const assignment_options& options);
solver_output solve_lagrangian(const assignment_problem& problem, const assignment_options& options);

}  // namespace cartera::detail
