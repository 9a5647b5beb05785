#pragma once
// A tabu search that crosses the time budgets (strategic oscillation), for small problems
// whose moves change nothing but pair costs: the shape of the tabu searches that lead on
// generalized assignment instances (Díaz & Fernández 2001; Yagiura, Ibaraki & Glover
// 2004). Minutes over a manager's budget are allowed at a price per minute, raised while
// the manager is over and lowered while every manager is within, so the search keeps
// crossing the frontier of feasible plans instead of stopping at its first local optimum.
// Each step takes the best move that is not tabu: a shift of one customer (leaving out
// included) or a swap of two between their managers; a customer may not go back to the
// manager it just left for a few steps, unless that gives the best plan yet.

#include <cstdint>
#include <functional>
#include <vector>

#include "assignment/lagrangian/dual.hpp"
#include "assignment/lagrangian/primal.hpp"

namespace cartera::detail::lagrangian {

class oscillating_search {
 public:
  oscillating_search(context& ctx, primal_state& plan, const dual_prices& prices)
      : ctx_(ctx), plan_(plan), prices_(prices) {}

  /// Applies where it is built for: small problems with time budgets and pair costs only.
  [[nodiscard]] bool applies() const { return ctx_.small && ctx_.timed && !ctx_.manager_terms && ctx_.n > 1; }
  /// Searches from the best plan until `stop` says so, or for 20 steps per iteration of
  /// the options; keeps the best feasible plan in plan.best_arc and plan.best_objective.
  void run(std::int64_t iteration, const std::function<bool(std::int64_t)>& stop);

 private:
  struct move {
    double change = infinite;  // in the priced objective
    std::size_t first = 0, second = 0;
    std::int64_t first_arc = left, second_arc = left;  // second == first: a shift
  };
  [[nodiscard]] double over(std::size_t j, double minutes) const {
    return std::max(0.0, minutes - ctx_.budget[j] * (1 + 1e-12));
  }
  // The priced change of manager j's minutes by `delta`, and the same in minutes over.
  [[nodiscard]] double priced(std::size_t j, double delta, double& excess_change) const {
    const double change = over(j, plan_.time[j] + delta) - over(j, plan_.time[j]);
    excess_change += change;
    return price_[j] * change;
  }
  void prepare();
  [[nodiscard]] move best_move(std::int64_t step) const;
  [[nodiscard]] std::int64_t arc_to(std::size_t c, std::size_t j) const;
  void apply(const move& chosen, std::int64_t step, std::uint64_t& random_state);
  void kick(std::uint64_t& random_state);

  context& ctx_;
  primal_state& plan_;
  const dual_prices& prices_;
  std::vector<double> price_, base_price_;  // per manager: the price of a minute over its budget
  std::vector<std::int64_t> tabu_until_;    // per arc: the step until which it may not be taken again
  std::vector<std::int64_t> by_manager_;    // per customer, its arcs ordered by manager (for swaps)
  // Per customer, its cheapest arcs at the bound's prices: candidate_arcs_[candidate_offsets_[c] ..).
  std::vector<std::int64_t> candidate_offsets_, candidate_arcs_;
  double cost_ = 0, excess_ = 0;  // of the current plan
};

}  // namespace cartera::detail::lagrangian
