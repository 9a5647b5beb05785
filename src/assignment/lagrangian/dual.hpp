#pragma once
// The dual side of the Lagrangian solver: a price per customer carried (λ, free) and per
// minute (μ >= 0) on every manager. At given prices each customer simply takes its
// cheapest adjusted option c + λ + μ·w, or is left out; with the band's own minimum per
// manager that is the Lagrangian dual, a lower bound (evaluate). Subgradient steps with
// Polyak's rule climb it (step). On large problems the relaxation's choices are also votes
// for the primal side (primal recovery), the recent steps weighing most.

#include <cstdint>
#include <vector>

#include "assignment/lagrangian/context.hpp"

namespace cartera::detail::lagrangian {

class dual_prices {
 public:
  explicit dual_prices(context& ctx);

  /// The cost of `arc` adjusted by its manager's prices.
  [[nodiscard]] double adjusted(std::int64_t arc) const {
    const std::size_t j = ctx_.manager_of(arc);
    return ctx_.p.cost[static_cast<std::size_t>(arc)] + load_price[j] + time_price[j] * ctx_.work(arc);
  }

  /// The dual function at the current prices; leaves the relaxation's loads and minutes for
  /// step(), and casts the votes on large problems.
  double evaluate();
  /// One subgradient step of length theta·(best_objective − value)/|g|²; false when g is 0
  /// (the relaxation's choice is feasible: optimal).
  bool step(double theta, double value, double best_objective);
  /// The next step's votes weigh more than this one's (an exponential average).
  void next_ballot();

  std::vector<double> load_price, time_price;
  double bound = -infinite;             // the best dual value so far
  std::vector<double> best_time_price;  // the price per minute at the best bound
  std::vector<float> votes;             // per arc: steps it was the relaxation's choice, the recent ones weighing most

 private:
  // The manager's part of the dual: min over its load L in [0, capacity] of band(L) - λ·L,
  // reached at 0, the band's ends or the capacity. Returns the minimum and sets `at`.
  double manager_term(std::size_t j, std::int64_t& at) const;

  context& ctx_;
  std::vector<double> option_cost_;  // per customer: its cheapest adjusted option (leaving out included)
  std::vector<std::int64_t> count_, target_load_;
  std::vector<double> minutes_;
  std::vector<std::int64_t> block_count_;  // evaluate()'s loads per block of customers
  std::vector<double> block_minutes_;
  float vote_weight_ = 1;  // this step's vote
};

}  // namespace cartera::detail::lagrangian
