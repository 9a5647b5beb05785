#pragma once
/// \file pareto_nbd.hpp
/// Will a customer come back? The Pareto/NBD model of repeat purchases (Schmittlein,
/// Morrison & Colombo 1987): while alive, a customer buys at a Poisson rate λ ~ Gamma(r, α)
/// and drops out at an exponential time of rate μ ~ Gamma(s, β), at any moment rather than
/// only after a purchase as in BG/NBD. Fitted by maximum likelihood (L-BFGS, LBFGS++) on the
/// repeat histories of bg_nbd.hpp, it gives the probability that a customer is still alive
/// and the purchases to expect in a horizon.
///
/// Design notes. The likelihood of a history (x, t_x, T) is (Fader, Hardie & Lee 2005, "A
/// note on deriving the Pareto/NBD model and related expressions")
///   Γ(r+x) α^r β^s / Γ(r) · [(α+T)^−(r+x) (β+T)^−s + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ],
/// the integral being the dropout between the last purchase and the end. Where the paper
/// writes the integral with Gauss's 2F1, whose series converges slowly as |α−β| nears
/// max(α, β) + t_x, it is taken here by adaptive Gauss–Kronrod quadrature after the change of variable
/// y = ((m+τ)/(m+t_x))^−(r+s+x), m = max(α, β), under which the integrand is the bounded,
/// smooth ratio ((m+τ)/(min+τ))^e (integrated in v = −ln y, smooth at both ends); its derivatives in the parameters are
/// integrals of the same kind, taken in the same pass, so the gradient is exact to the quadrature's precision.

#include "cartera/bg_nbd.hpp"

namespace cartera {

/// Pareto/NBD parameters by their published names.
struct pareto_nbd_params {
  double r = 1.0;      ///< shape of the purchase rate's Gamma
  double alpha = 1.0;  ///< scale of the purchase rate's Gamma, in the history's time unit
  double s = 1.0;      ///< shape of the dropout rate's Gamma
  double beta = 1.0;   ///< scale of the dropout rate's Gamma, in the history's time unit
};

struct pareto_nbd_fit {
  pareto_nbd_params params;
  double log_likelihood = 0.0;  ///< at params, summed over customers (no penalty)
  int evaluations = 0;          ///< of the log-likelihood and its gradient
  bool converged = false;       ///< as bg_nbd_fit's
};

/// The log-likelihood summed over customers; throws invalid_input for a parameter that is
/// not positive and finite.
[[nodiscard]] double pareto_nbd_log_likelihood(const pareto_nbd_params& params, const repeat_history& history,
                                               const execution& run = {});

/// The maximum-likelihood fit. Throws invalid_input for a bad history (repeat_history::check)
/// or one without any customer, and for a penalizer that is negative.
[[nodiscard]] pareto_nbd_fit fit_pareto_nbd(const repeat_history& history, const model_fit_options& options = {});

/// P(alive | x, t_x, T) per customer.
[[nodiscard]] real_column pareto_nbd_p_alive(const pareto_nbd_params& params, const repeat_history& history,
                                             const execution& run = {});

/// E[purchases in the next `horizon` | x, t_x, T] per customer:
/// (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+horizon))^(s−1)] · P(alive).
[[nodiscard]] real_column pareto_nbd_expected_purchases(const pareto_nbd_params& params, const repeat_history& history,
                                                        double horizon, const execution& run = {});

/// The purchases to expect period by period, discounted, as bg_nbd_discounted_purchases:
/// Σ_k [E(k·period) − E((k−1)·period)] / (1 + discount_rate)^k for k = 1..periods.
[[nodiscard]] real_column pareto_nbd_discounted_purchases(const pareto_nbd_params& params,
                                                          const repeat_history& history, double period, int periods,
                                                          double discount_rate, const execution& run = {});

}  // namespace cartera
