#include "detail/rate_change.hpp"

#include <cmath>
#include <random>

#include "test_support.hpp"

namespace cartera::detail {
namespace {

// P(N = k) of the negative binomial with `shape` and success `p`, term by term.
double negative_binomial(int k, double shape, double p) {
  return std::exp(std::lgamma(shape + k) - std::lgamma(shape) - std::lgamma(k + 1.0) + shape * std::log(p) +
                  k * std::log1p(-p));
}

TEST(rate_change_test, window_tails_are_the_negative_binomial_summed_term_by_term) {
  const rate_prior prior{1.7, 120.0};
  for (const double days : {0.0, 3.0, 25.0}) {
    for (const int k : {0, 1, 4, 12}) {
      const double exposure = 300, window = 90, shape = prior.shape + days;
      const double rate = prior.rate + exposure, p = rate / (rate + window);
      double below = 0;  // P(N < k)
      for (int j = 0; j < k; ++j) below += negative_binomial(j, shape, p);
      const double exactly = negative_binomial(k, shape, p), none = negative_binomial(0, shape, p);
      const window_tails tails = purchase_window_tails(k, days, exposure, window, prior);
      EXPECT_NEAR(tails.at_most, below + exactly / 2, 1e-12);
      EXPECT_NEAR(tails.at_least, 1 - below - exactly / 2, 1e-12);
      EXPECT_NEAR(tails.none, none, 1e-15);
      EXPECT_NEAR(tails.expected, window * shape / rate, 1e-12);
      if (k >= 1) EXPECT_NEAR(tails.at_most_if_active(), (below - none + exactly / 2) / (1 - none), 1e-12);
    }
  }
}

TEST(rate_change_test, silence_is_the_chance_of_no_purchase_averaged_over_the_rate) {
  // Shape 1 (exponential rates, nothing seen): ∫ e^{-λs} β e^{-βλ} dλ = β / (β + s).
  EXPECT_NEAR(silence_probability(30, 0, 0, 0, {1.0, 60.0}), 60.0 / 90.0, 1e-15);
  // Otherwise the negative binomial's P(N = 0) over the silence, given none in the first 90 days.
  const rate_prior prior{2.0, 50.0};
  const double rate = prior.rate + 400;
  const double silent = negative_binomial(0, prior.shape + 6, rate / (rate + 200));
  const double first = negative_binomial(0, prior.shape + 6, rate / (rate + 90));
  EXPECT_NEAR(silence_probability(200, 90, 6, 400, prior), silent / first, 1e-14);
  // A customer of 10,000 purchase days: each probability alone underflows (e^-1250), their ratio does not.
  const double expected = std::exp(10'002 * (std::log1p(90 / 750.0) - std::log1p(100 / 750.0)));
  EXPECT_GT(expected, 1e-60);
  EXPECT_NEAR(silence_probability(100, 90, 10'000, 700, prior) / expected, 1.0, 1e-12);
}

TEST(rate_change_test, the_prior_recovers_the_spread_of_rates_it_was_drawn_from) {
  std::mt19937_64 random(7);
  std::gamma_distribution<double> rates(2.0, 1.0 / 150.0);  // shape 2, rate 150: a purchase every 75 days
  std::vector<double> days, exposure;
  for (int i = 0; i < 200'000; ++i) {
    exposure.push_back(360);
    days.push_back(static_cast<double>(std::poisson_distribution<int>(rates(random) * 360)(random)));
  }
  const rate_prior prior = fit_rate_prior(days, exposure, 90);
  EXPECT_NEAR(prior.shape, 2.0, 0.05);
  EXPECT_NEAR(prior.rate, 150.0, 4.0);
  EXPECT_FALSE(fit_rate_prior(std::vector<double>{0, 0}, exposure, 90).known());           // nobody bought
  EXPECT_FALSE(fit_rate_prior(days, std::vector<double>(days.size(), 30.0), 90).known());  // nobody seen long
  const rate_prior one = fit_rate_prior(std::vector<double>{4}, std::vector<double>{400}, 90);
  EXPECT_DOUBLE_EQ(one.shape, 1.0);
  EXPECT_DOUBLE_EQ(one.rate, 100.0);
}

TEST(rate_change_test, benjamini_hochberg_steps_up_from_the_largest_p_value_that_passes) {
  const std::vector<std::uint8_t> all(5, 1);
  // Sorted: 0.01 (<= 0.02), 0.05 (> 0.04), 0.055 (<= 0.06), 0.3, 0.9: the three smallest.
  const std::vector<double> p = {0.3, 0.055, 0.01, 0.9, 0.05};
  EXPECT_EQ(false_discovery_selection(p, all, 0.1), (std::vector<std::uint8_t>{0, 1, 1, 0, 1}));
  EXPECT_EQ(false_discovery_selection(p, all, 0.01), (std::vector<std::uint8_t>{0, 0, 0, 0, 0}));
  EXPECT_EQ(false_discovery_selection(p, all, 1.0), all);
  // Only the tests count: without the 0.9 and the 0.3, m = 3 and 0.055 <= 0.1 · 3 / 3.
  const std::vector<std::uint8_t> some = {0, 1, 1, 0, 1};
  EXPECT_EQ(false_discovery_selection(p, some, 0.1), (std::vector<std::uint8_t>{0, 1, 1, 0, 1}));
  EXPECT_EQ(false_discovery_selection(p, some, 0.05), (std::vector<std::uint8_t>{0, 0, 1, 0, 0}));
  const std::vector<double> with_nan = {0.01, std::nan(""), 0.02};
  EXPECT_EQ(false_discovery_selection(with_nan, std::vector<std::uint8_t>(3, 1), 0.1),
            (std::vector<std::uint8_t>{1, 0, 1}));
}

// The step-up procedure written out (flag the k smallest, k the largest that passes), for
// the cutoff to be checked against: engines select by the cutoff, one part at a time.
std::vector<std::uint8_t> step_up(const std::vector<double>& p, double q) {
  std::vector<std::size_t> order(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::size_t passed = 0;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (p[order[k]] <= q * static_cast<double>(k + 1) / static_cast<double>(p.size())) passed = k + 1;
  std::vector<std::uint8_t> flagged(p.size(), 0);
  for (std::size_t k = 0; k < passed; ++k) flagged[order[k]] = 1;
  return flagged;
}

TEST(rate_change_test, the_cutoff_from_the_small_p_values_alone_selects_as_the_step_up_procedure) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> uniform(0, 1);
  for (int round = 0; round < 200; ++round) {
    const double q = 0.05 + 0.3 * uniform(random);
    std::vector<double> p(40 + static_cast<std::size_t>(round));
    for (auto& x : p) {
      // Signals, noise and ties (rounded to a grid), as the tests of a book give them.
      x = uniform(random) < 0.3 ? uniform(random) * 0.01 : uniform(random);
      if (round % 3 == 0) x = std::round(x * 50) / 50;
    }
    std::vector<double> small;
    for (const double x : p)
      if (x <= q) small.push_back(x);
    const double cutoff = false_discovery_cutoff(small, static_cast<double>(p.size()), q);
    std::vector<std::uint8_t> selected(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) selected[i] = p[i] <= cutoff;
    EXPECT_EQ(selected, step_up(p, q)) << "round " << round;
  }
}

TEST(rate_change_test, each_customers_terms_sum_to_the_moments_the_prior_is_fitted_from) {
  const std::vector<double> days = {3, 0, 7, 1, 12, 4}, exposure = {365, 200, 365, 90, 365, 30};
  const rate_terms terms = rate_terms_of(days, exposure, 90);
  EXPECT_EQ(terms.counted, (std::vector<double>{1, 1, 1, 1, 1, 0}));  // seen 30 days: left out
  EXPECT_DOUBLE_EQ(terms.rate[2], 7.0 / 365);
  EXPECT_DOUBLE_EQ(terms.noise[3], 1.0 / 90 / 90);
  const rate_moments m = rate_moments_of(terms);
  EXPECT_EQ(m.count, 5);
  EXPECT_DOUBLE_EQ(m.rates, 3.0 / 365 + 7.0 / 365 + 1.0 / 90 + 12.0 / 365);
  const rate_prior fitted = fit_rate_prior(days, exposure, 90), summed = rate_prior_of(m);
  EXPECT_EQ(fitted.shape, summed.shape);
  EXPECT_EQ(fitted.rate, summed.rate);
}

}  // namespace
}  // namespace cartera::detail
