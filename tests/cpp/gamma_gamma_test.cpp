#include "cartera/gamma_gamma.hpp"

#include <cmath>
#include <random>

#include "test_support.hpp"

namespace cartera {
namespace {

// Mean spends of customers drawn from the model: ν ~ Gamma(q, γ) per customer, then x
// purchases of Gamma(p, ν) each (rate ν).
struct drawn_spend {
  std::vector<double> frequency, monetary;
};

drawn_spend draw(std::size_t customers, double p, double q, double gamma, unsigned seed) {
  std::mt19937_64 random(seed);
  std::gamma_distribution<double> rate(q, 1 / gamma);
  std::uniform_int_distribution<int> purchases(0, 8);
  drawn_spend d;
  for (std::size_t c = 0; c < customers; ++c) {
    const int x = purchases(random);
    const double nu = rate(random);
    std::gamma_distribution<double> spend(p, 1 / nu);
    double total = 0;
    for (int k = 0; k < x; ++k) total += spend(random);
    d.frequency.push_back(x);
    d.monetary.push_back(x > 0 ? total / x : 0.0);
  }
  return d;
}

TEST(gamma_gamma_test, recovers_the_parameters_it_was_drawn_from_and_is_a_maximum) {
  const drawn_spend d = draw(200000, 6.0, 4.0, 15.0, 3);
  const spend_history h{d.frequency, d.monetary};
  const gamma_gamma_fit fit = fit_gamma_gamma(h);
  EXPECT_TRUE(fit.converged);
  EXPECT_NEAR(fit.params.p, 6.0, 0.3);
  EXPECT_NEAR(fit.params.q, 4.0, 0.2);
  EXPECT_NEAR(fit.params.gamma, 15.0, 1.0);
  EXPECT_NEAR(gamma_gamma_log_likelihood(fit.params, h), fit.log_likelihood, 1e-6);
  for (int j = 0; j < 3; ++j) {
    for (const double factor : {0.999, 1.001}) {
      gamma_gamma_params moved = fit.params;
      double* value[] = {&moved.p, &moved.q, &moved.gamma};
      *value[j] *= factor;
      EXPECT_LT(gamma_gamma_log_likelihood(moved, h), fit.log_likelihood) << j << " " << factor;
    }
  }
}

TEST(gamma_gamma_test, weighted_rows_fit_as_the_customers_they_stand_for) {
  // Each drawn customer twice, or once with weight 2: the same fit.
  const drawn_spend d = draw(5000, 6.0, 4.0, 15.0, 5);
  drawn_spend twice = d;
  twice.frequency.insert(twice.frequency.end(), d.frequency.begin(), d.frequency.end());
  twice.monetary.insert(twice.monetary.end(), d.monetary.begin(), d.monetary.end());
  const std::vector<double> two(d.frequency.size(), 2.0);
  const gamma_gamma_fit repeated = fit_gamma_gamma({twice.frequency, twice.monetary});
  const gamma_gamma_fit weighted = fit_gamma_gamma({d.frequency, d.monetary, two});
  EXPECT_EQ(weighted.customers, repeated.customers);
  EXPECT_NEAR(weighted.params.p, repeated.params.p, 1e-6 * repeated.params.p);
  EXPECT_NEAR(weighted.params.q, repeated.params.q, 1e-6 * repeated.params.q);
  EXPECT_NEAR(weighted.params.gamma, repeated.params.gamma, 1e-6 * repeated.params.gamma);
  EXPECT_NEAR(weighted.log_likelihood, repeated.log_likelihood, 1e-6 * std::abs(repeated.log_likelihood));
  const std::vector<double> bad = {1, -1};
  EXPECT_THROW_MSG((void)fit_gamma_gamma({{{2, 3}}, {{5, 6}}, bad}), invalid_input,
                   "repeat_history.weight row 1 (value -1): must be finite and > 0");
}

TEST(gamma_gamma_test, log_likelihood_and_expected_spend_by_hand) {
  const std::vector<double> x = {2, 0, 5}, m = {30, 0, 10};
  const spend_history h{x, m};
  const gamma_gamma_params p{6.25, 3.74, 15.45};
  // Customer 0 alone (the one without repeat purchases carries no information).
  const auto one = [&](double xx, double mm) {
    return std::lgamma(p.p * xx + p.q) - std::lgamma(p.p * xx) - std::lgamma(p.q) + p.q * std::log(p.gamma) +
           (p.p * xx - 1) * std::log(mm) + p.p * xx * std::log(xx) - (p.p * xx + p.q) * std::log(xx * mm + p.gamma);
  };
  EXPECT_NEAR(gamma_gamma_log_likelihood(p, h), one(2, 30) + one(5, 10), 1e-9);
  const real_column spend = gamma_gamma_expected_spend(p, h);
  const double population = p.p * p.gamma / (p.q - 1);
  EXPECT_NEAR(spend[1], population, 1e-12);
  const double own = p.p * 2 / (p.p * 2 + p.q - 1);
  EXPECT_NEAR(spend[0], (1 - own) * population + own * 30, 1e-12);
}

TEST(gamma_gamma_test, refuses_what_cannot_be) {
  const std::vector<double> x = {1, 0}, m = {10, 5};
  EXPECT_THROW_MSG((void)fit_gamma_gamma({x, m}), invalid_input,
                   "repeat_history.monetary_value row 1 (value 5): must be 0 without repeat purchases");
  const std::vector<double> none = {0, 0}, zero = {0, 0};
  EXPECT_THROW_MSG(
      (void)fit_gamma_gamma({none, zero}), invalid_input,
      "repeat_history.frequency: no customer with repeat purchases and a positive spend to fit the model on");
  const std::vector<double> good_x = {1}, good_m = {10};
  EXPECT_THROW_MSG((void)gamma_gamma_expected_spend({1, 0.5, 1}, {good_x, good_m}), invalid_input,
                   "gamma_gamma_params.q (value 0.5): must be above 1 for the mean spend to exist");
}

}  // namespace
}  // namespace cartera
