#pragma once
// Has a customer's purchase rate changed? Each customer's rate is learned from their own
// purchase days, shrunk towards the book's spread of rates (a gamma prior fitted by moments
// across customers: the NBD model's mixing distribution), and the days observed in a
// window are compared with the negative binomial the customer's past predicts. Which
// customers to flag, among many tests, is chosen by the Benjamini–Hochberg procedure, so
// that the expected share of steady customers among those flagged stays under a bound.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include <boost/math/special_functions/beta.hpp>

#include "cartera/alerts.hpp"

namespace cartera::detail {

/// Purchase rates (purchase days per day) across customers, Gamma(shape, rate).
struct rate_prior {
  double shape = 0;
  double rate = 0;
  [[nodiscard]] bool known() const { return shape > 0 && rate > 0; }
};

/// The gamma prior whose mean and variance match the customers' observed rates
/// (`days[i]` purchase days over `exposure[i]` days), the Poisson part of the variance
/// taken out. Customers observed less than `min_exposure` days are left out. Unknown (not
/// known()) when nobody is left or nobody bought; exponential (shape 1) when one customer
/// is left; near-degenerate when rates do not vary.
/// Each customer's terms of the sums the prior is fitted from.
inline rate_terms rate_terms_of(std::span<const double> days, std::span<const double> exposure, double min_exposure) {
  rate_terms t;
  t.counted.assign(days.size(), 0.0), t.rate.assign(days.size(), 0.0);
  t.square.assign(days.size(), 0.0), t.noise.assign(days.size(), 0.0);
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (!(exposure[i] >= min_exposure) || exposure[i] <= 0) continue;
    const double rate = days[i] / exposure[i];
    t.counted[i] = 1;
    t.rate[i] = rate;
    t.square[i] = rate * rate;
    t.noise[i] = rate / exposure[i];  // a Poisson count's variance, on the rate's scale
  }
  return t;
}

/// The sums, in customer order.
inline rate_moments rate_moments_of(const rate_terms& t) {
  rate_moments m;
  for (std::size_t i = 0; i < t.rate.size(); ++i) {
    m.count += t.counted[i];
    m.rates += t.rate[i];
    m.squares += t.square[i];
    m.noise += t.noise[i];
  }
  return m;
}

inline rate_prior rate_prior_of(const rate_moments& m) {
  if (m.count == 0 || m.rates <= 0) return {};
  const double mean = m.rates / m.count;
  if (m.count < 2) return {1.0, 1.0 / mean};
  const double variance = m.squares / m.count - mean * mean - m.noise / m.count;
  // Rates that do not vary beyond the Poisson noise: a prior a thousand times surer than the mean.
  const double spread = variance > 0 ? variance : mean * mean * 1e-3;
  return {mean * mean / spread, mean / spread};
}

inline rate_prior fit_rate_prior(std::span<const double> days, std::span<const double> exposure, double min_exposure) {
  return rate_prior_of(rate_moments_of(rate_terms_of(days, exposure, min_exposure)));
}

/// The law of N, the purchase days in `window` days of a customer seen making `days`
/// purchase days in `exposure` days, with rates spread as `prior`: N is negative binomial
/// with shape prior.shape + days and success p = rate / (rate + window). Tail p-values are
/// mid-p (half the chance of k itself counted), which takes out most of the conservatism a
/// count's few possible values would otherwise put into them.
struct window_tails {
  double at_least;  ///< P(N > k) + P(N = k) / 2
  double at_most;   ///< P(N < k) + P(N = k) / 2
  double none;      ///< P(N = 0)
  double expected;  ///< E[N]
  /// at_most given N >= 1: for a customer known to be active in the window.
  [[nodiscard]] double at_most_if_active() const { return none < 1 ? (at_most - none) / (1 - none) : 1.0; }
};

inline window_tails purchase_window_tails(double k, double days, double exposure, double window,
                                          const rate_prior& prior) {
  const double shape = prior.shape + days;
  const double rate = prior.rate + exposure;
  const double p = rate / (rate + window);
  // P(N <= k) = I_p(shape, k + 1); P(N >= k) = 1 - P(N <= k - 1) = I_{1-p}(k, shape).
  const double up_to = boost::math::ibeta(shape, k + 1, p);
  const double from = k <= 0 ? 1.0 : boost::math::ibeta(k, shape, 1 - p);
  const double exactly = std::exp(std::lgamma(shape + k) - std::lgamma(shape) - std::lgamma(k + 1) +
                                  shape * std::log(p) + k * std::log1p(-p));
  const double none = std::exp(shape * std::log(p));
  // A count of 0 counts half of P(N = 0) in at_most; at_most_if_active removes it whole, as
  // an active customer's k is at least 1.
  return {from - exactly / 2, up_to - exactly / 2, none, window * shape / rate};
}

/// P(no purchase in `silence` days | none in the first `known` of them) for a customer seen
/// making `days` purchase days in `exposure` days, still buying at their rate: the ratio of
/// (rate / (rate + s))^shape at s = silence and s = known, taken in logs (either alone
/// underflows for a customer of many purchases).
inline double silence_probability(double silence, double known, double days, double exposure, const rate_prior& prior) {
  const double rate = prior.rate + exposure;
  return std::exp((prior.shape + days) * (std::log1p(known / rate) - std::log1p(silence / rate)));
}

/// Benjamini–Hochberg: flags the tests with the k smallest p-values, k the largest with
/// p_(k) <= q k / m among the m tests (`tested` flags which p-values are tests). The
/// expected share of true nulls among the flagged is at most q. q = 1 flags every test.
/// The same selection as a cutoff: the tests whose p-value is at most it are the flagged
/// ones (ties never straddle it: a p-value equal to the k-th passes at k or later). `p`
/// holds the m tests' p-values, or only those at most q (only those can pass), in any
/// order. -1 when none passes.
inline double false_discovery_cutoff(std::vector<double> p, double m, double q) {
  std::sort(p.begin(), p.end());
  double cutoff = -1;
  for (std::size_t k = 0; k < p.size(); ++k)
    if (p[k] <= q * static_cast<double>(k + 1) / m) cutoff = p[k];
  return cutoff;
}

inline std::vector<std::uint8_t> false_discovery_selection(std::span<const double> p,
                                                           std::span<const std::uint8_t> tested, double q) {
  std::vector<double> tests;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (tested[i] && !std::isnan(p[i])) tests.push_back(p[i]);  // a p-value that is not a number never passes
  const double cutoff = false_discovery_cutoff(tests, static_cast<double>(tests.size()), q);
  std::vector<std::uint8_t> flagged(p.size(), 0);
  for (std::size_t i = 0; i < p.size(); ++i) flagged[i] = tested[i] && p[i] <= cutoff;
  return flagged;
}

}  // namespace cartera::detail
