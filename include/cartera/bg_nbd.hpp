#pragma once
/// \file bg_nbd.hpp
/// Will a customer come back? The BG/NBD model of repeat purchases (Fader, Hardie & Lee
/// 2005, "Counting your customers the easy way"): while alive, a customer buys at a
/// Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability
/// p ~ Beta(a, b). Fitted by maximum likelihood (L-BFGS, LBFGS++) on each customer's
/// repeat history, it gives the probability that a customer is still alive and the
/// purchases to expect in a horizon.

#include <span>
#include <string_view>

#include "cartera/columns.hpp"
#include "cartera/execution.hpp"

namespace cartera {

/// Each customer's repeat history in one time unit, as compute_repeat_summary gives it
/// (lifetimes' definitions): frequency x = repeat purchase days, recency t_x = time from
/// the first to the last purchase, age T = time from the first purchase to the end.
struct repeat_history {
  std::span<const double> frequency;
  std::span<const double> recency;
  std::span<const double> age;
  /// How many customers each row stands for (a summary of distinct histories with their
  /// counts, as partitions of a book merge them); empty: one each. Fits and the
  /// log-likelihood weigh each row by it.
  std::span<const double> weight = {};

  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  /// The customers row `row` stands for.
  [[nodiscard]] double weight_of(std::size_t row) const noexcept { return weight.empty() ? 1.0 : weight[row]; }
  /// The customers the rows stand for: the sum of the weights.
  [[nodiscard]] double customers() const noexcept;

  /// Throws invalid_input naming `table`, the column, the row and the value: columns of
  /// different lengths, a value negative or not finite, a frequency not whole, a recency
  /// past the age, a recency without repeat purchases, or a weight not positive and finite.
  void check(std::string_view table) const;
};

/// BG/NBD parameters by their published names.
struct bg_nbd_params {
  double r = 1.0;      ///< shape of the purchase rate's Gamma
  double alpha = 1.0;  ///< scale of the purchase rate's Gamma, in the history's time unit
  double a = 1.0;      ///< Beta of the dropout probability
  double b = 1.0;
};

/// How a model is fitted.
struct model_fit_options {
  /// lifetimes' penalizer_coef: penalizer × (sum of the squared parameters) is added to
  /// the mean negative log-likelihood. 0 is plain maximum likelihood.
  double penalizer = 0.0;
  int max_iterations = 1000;
  /// The fit stops when the gradient of the mean negative log-likelihood (in the log of
  /// the parameters) is shorter than this.
  double tolerance = 1e-8;
  execution run;
};

struct bg_nbd_fit {
  bg_nbd_params params;
  double log_likelihood = 0.0;  ///< at params, summed over customers (no penalty)
  int evaluations = 0;          ///< of the log-likelihood and its gradient
  bool converged = false;       ///< the gradient is below the tolerance (or close to it, when the
                                ///< line search could not resolve any further)
};

/// The log-likelihood summed over customers; throws invalid_input for a parameter that is
/// not positive and finite.
[[nodiscard]] double bg_nbd_log_likelihood(const bg_nbd_params& params, const repeat_history& history,
                                           const execution& run = {});

/// The maximum-likelihood fit. Throws invalid_input for a bad history (see check) or one
/// without any customer, and for a penalizer that is negative.
[[nodiscard]] bg_nbd_fit fit_bg_nbd(const repeat_history& history, const model_fit_options& options = {});

/// P(alive | x, t_x, T) per customer: 1 for a customer without repeat purchases.
[[nodiscard]] real_column bg_nbd_p_alive(const bg_nbd_params& params, const repeat_history& history,
                                         const execution& run = {});

/// E[purchases in the next `horizon` | x, t_x, T] per customer (the paper's equation 10).
[[nodiscard]] real_column bg_nbd_expected_purchases(const bg_nbd_params& params, const repeat_history& history,
                                                    double horizon, const execution& run = {});

/// The purchases to expect period by period, discounted: Σ_k [E(k·period) − E((k−1)·period)]
/// / (1 + discount_rate)^k for k = 1..periods, per customer. Times the expected spend (and a
/// margin) it is the customer's lifetime value over the horizon, as lifetimes'
/// customer_lifetime_value computes it.
[[nodiscard]] real_column bg_nbd_discounted_purchases(const bg_nbd_params& params, const repeat_history& history,
                                                      double period, int periods, double discount_rate,
                                                      const execution& run = {});

}  // namespace cartera
