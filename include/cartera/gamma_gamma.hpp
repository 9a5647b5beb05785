#pragma once
/// \file gamma_gamma.hpp
/// What will a customer spend per purchase? The Gamma-Gamma model (Fader, Hardie & Lee
/// 2005, "RFM and CLV"; Fader & Hardie 2013, "The Gamma-Gamma model of monetary value"):
/// each purchase's value is Gamma(p, ν) around the customer's own ν ~ Gamma(q, γ), so the
/// mean of a customer's x purchases is pulled towards the population mean pγ/(q−1) the
/// fewer they are. Fitted by maximum likelihood (L-BFGS, LBFGS++) on the customers with
/// repeat purchases.

#include <span>

#include "cartera/bg_nbd.hpp"
#include "cartera/columns.hpp"
#include "cartera/execution.hpp"

namespace cartera {

/// Each customer's repeat purchases: how many (x) and their mean value (m), as
/// compute_repeat_summary gives them (frequency and monetary).
struct spend_history {
  std::span<const double> frequency;
  std::span<const double> monetary;
  /// How many customers each row stands for, as repeat_history::weight; empty: one each.
  std::span<const double> weight = {};

  [[nodiscard]] std::size_t size() const noexcept { return frequency.size(); }
  /// The customers row `row` stands for.
  [[nodiscard]] double weight_of(std::size_t row) const noexcept { return weight.empty() ? 1.0 : weight[row]; }

  /// Throws invalid_input naming `table`, the column, the row and the value: columns of
  /// different lengths, a frequency negative, not whole or not finite, a mean spend
  /// negative or not finite, or positive without repeat purchases, or a weight not
  /// positive and finite.
  void check(std::string_view table) const;
};

/// Gamma-Gamma parameters by their published names (lifetimes calls γ "v").
struct gamma_gamma_params {
  double p = 1.0;
  double q = 1.0;
  double gamma = 1.0;  ///< in the spend's currency
};

struct gamma_gamma_fit {
  gamma_gamma_params params;
  double log_likelihood = 0.0;  ///< at params, summed over the customers fitted (no penalty)
  double customers = 0;         ///< fitted on: those with repeat purchases and a positive spend (their weight)
  int evaluations = 0;
  bool converged = false;
};

/// The log-likelihood of the customers with repeat purchases and a positive mean spend.
[[nodiscard]] double gamma_gamma_log_likelihood(const gamma_gamma_params& params, const spend_history& history);

/// The maximum-likelihood fit on the customers with repeat purchases and a positive mean
/// spend (the others carry no information on spend). Throws invalid_input for a bad
/// history or one without such a customer.
[[nodiscard]] gamma_gamma_fit fit_gamma_gamma(const spend_history& history, const model_fit_options& options = {});

/// E[spend per purchase | x, m] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m per customer;
/// the population mean pγ/(q−1) for a customer without repeat purchases. Throws
/// invalid_input when q ≤ 1 (the population mean does not exist).
[[nodiscard]] real_column gamma_gamma_expected_spend(const gamma_gamma_params& params, const spend_history& history,
                                                     const execution& run = {});

}  // namespace cartera
