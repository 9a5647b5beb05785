// The Pareto/NBD model against its closed form (α = β), a brute-force integral, finite
// differences of its gradient, and a fit on customers drawn from known parameters.
#include "cartera/pareto_nbd.hpp"

#include <cmath>
#include <random>
#include <vector>

#include "test_support.hpp"

namespace cartera {
namespace {

struct history_columns {
  std::vector<double> frequency, recency, age, weight;
  [[nodiscard]] repeat_history view() const { return {frequency, recency, age, weight}; }
};

double log_likelihood_of(const pareto_nbd_params& p, double x, double t_x, double t) {
  const history_columns h{{x}, {t_x}, {t}, {}};
  return pareto_nbd_log_likelihood(p, h.view());
}

// The likelihood with the dropout integral taken by Simpson's rule on a fine grid of τ.
double brute_force(const pareto_nbd_params& p, double x, double t_x, double t) {
  const int steps = 200'000;
  const double h = (t - t_x) / steps;
  const auto f = [&](double tau) { return std::pow(p.alpha + tau, -(p.r + x)) * std::pow(p.beta + tau, -(p.s + 1)); };
  double integral = f(t_x) + f(t);
  for (int k = 1; k < steps; ++k) integral += (k % 2 == 1 ? 4 : 2) * f(t_x + k * h);
  integral *= h / 3;
  const double alive = std::pow(p.alpha + t, -(p.r + x)) * std::pow(p.beta + t, -p.s);
  return std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta) +
         std::log(alive + p.s * integral);
}

TEST(pareto_nbd_test, equals_its_closed_form_when_alpha_equals_beta) {
  // With α = β the integral is ((α+t_x)^−k − (α+T)^−k) / k, k = r+s+x.
  const pareto_nbd_params p{0.6, 8.0, 0.7, 8.0};
  for (const auto& [x, t_x, t] : std::vector<std::array<double, 3>>{{0, 0, 30}, {2, 10, 30}, {40, 29, 30}}) {
    const double k = p.r + p.s + x;
    const double expected =
        std::lgamma(p.r + x) - std::lgamma(p.r) + (p.r + p.s) * std::log(p.alpha) +
        std::log(std::pow(p.alpha + t, -k) + p.s / k * (std::pow(p.alpha + t_x, -k) - std::pow(p.alpha + t, -k)));
    EXPECT_NEAR(log_likelihood_of(p, x, t_x, t), expected, 1e-12 * std::abs(expected)) << x;
  }
  // A customer seen only at their first purchase, at the end: nothing to explain.
  EXPECT_NEAR(log_likelihood_of(p, 0, 0, 0), 0.0, 1e-14);
}

TEST(pareto_nbd_test, matches_a_brute_force_integral_either_way_round) {
  for (const pareto_nbd_params& p : {pareto_nbd_params{0.55, 10.6, 0.61, 11.7}, pareto_nbd_params{2.0, 3.0, 0.3, 40.0},
                                     pareto_nbd_params{0.3, 40.0, 1.5, 2.0}}) {
    for (const auto& [x, t_x, t] :
         std::vector<std::array<double, 3>>{{0, 0, 39}, {1, 2, 39}, {7, 30.5, 39}, {25, 5, 60}, {120, 70, 78}}) {
      const double expected = brute_force(p, x, t_x, t);
      EXPECT_NEAR(log_likelihood_of(p, x, t_x, t), expected, 1e-9 * std::abs(expected))
          << p.alpha << " " << p.beta << " x=" << x;
    }
  }
}

TEST(pareto_nbd_test, probability_alive_and_expected_purchases_behave) {
  const pareto_nbd_params p{0.55, 10.6, 0.61, 11.7};
  const history_columns h{{0, 3, 3, 3}, {0, 38, 20, 2}, {39, 39, 39, 39}, {}};
  const real_column alive = pareto_nbd_p_alive(p, h.view());
  // The longer since the last purchase, the less likely alive.
  EXPECT_GT(alive[1], alive[2]);
  EXPECT_GT(alive[2], alive[3]);
  for (Eigen::Index k = 0; k < alive.size(); ++k) EXPECT_TRUE(alive[k] > 0 && alive[k] < 1);
  // With s = 1 the expected purchases take their limit, between s = 1 ± 1e-6.
  const real_column at_one = pareto_nbd_expected_purchases({0.55, 10.6, 1.0, 11.7}, h.view(), 39);
  const real_column below = pareto_nbd_expected_purchases({0.55, 10.6, 1.0 - 1e-6, 11.7}, h.view(), 39);
  const real_column above = pareto_nbd_expected_purchases({0.55, 10.6, 1.0 + 1e-6, 11.7}, h.view(), 39);
  for (Eigen::Index k = 0; k < at_one.size(); ++k) {
    EXPECT_GT(at_one[k], std::min(below[k], above[k]) - 1e-9);
    EXPECT_LT(at_one[k], std::max(below[k], above[k]) + 1e-9);
  }
  EXPECT_EQ(pareto_nbd_expected_purchases(p, h.view(), 0)[1], 0.0);
  EXPECT_THROW_MSG((void)pareto_nbd_p_alive({0.55, -1, 0.61, 11.7}, h.view()), invalid_input,
                   "pareto_nbd_params.alpha (value -1): must be positive and finite");
  EXPECT_THROW_MSG((void)pareto_nbd_expected_purchases(p, h.view(), -2), invalid_input,
                   "pareto_nbd_expected_purchases.horizon (value -2): must be a finite number, 0 or more");
}

TEST(pareto_nbd_test, discounted_purchases_sum_the_periods_discounted) {
  const pareto_nbd_params p{0.55, 10.6, 0.61, 11.7};
  const history_columns h{{0, 3, 7}, {0, 38, 20}, {39, 39, 52}, {}};
  const double period = 4.345, rate = 0.01;
  const real_column discounted = pareto_nbd_discounted_purchases(p, h.view(), period, 12, rate);
  for (Eigen::Index c = 0; c < discounted.size(); ++c) {
    double expected = 0;
    for (int k = 1; k <= 12; ++k) {
      const double gained = pareto_nbd_expected_purchases(p, h.view(), k * period)[c] -
                            pareto_nbd_expected_purchases(p, h.view(), (k - 1) * period)[c];
      expected += gained / std::pow(1 + rate, k);
    }
    EXPECT_NEAR(discounted[c], expected, 1e-12 * expected) << c;
    // Undiscounted, it is the purchases to expect over the whole horizon.
    EXPECT_NEAR(pareto_nbd_discounted_purchases(p, h.view(), period, 12, 0)[c],
                pareto_nbd_expected_purchases(p, h.view(), 12 * period)[c], 1e-12);
  }
  EXPECT_EQ(pareto_nbd_discounted_purchases(p, h.view(), period, 0, rate)[1], 0.0);
  EXPECT_THROW_MSG((void)pareto_nbd_discounted_purchases(p, h.view(), period, -1, rate), invalid_input,
                   "pareto_nbd_discounted_purchases.periods (value -1): must be 0 or more");
  EXPECT_THROW_MSG((void)pareto_nbd_discounted_purchases(p, h.view(), -4, 12, rate), invalid_input,
                   "pareto_nbd_discounted_purchases.period (value -4): must be a finite number, 0 or more");
}

// Customers drawn from the model: each buys at λ ~ Gamma(r, 1/α) from a first purchase at 0
// until a lifetime ~ Exp(μ), μ ~ Gamma(s, 1/β), seen for 60 to 100 weeks.
history_columns drawn(const pareto_nbd_params& p, int customers, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::gamma_distribution<double> rate(p.r, 1 / p.alpha), dropout(p.s, 1 / p.beta);
  std::uniform_real_distribution<double> unit(0, 1);
  history_columns h;
  for (int c = 0; c < customers; ++c) {
    const double lambda = rate(random), mu = dropout(random);
    const double t = 60 + 40 * unit(random);
    const double life = std::min(t, -std::log1p(-unit(random)) / mu);
    double now = 0, last = 0, x = 0;
    while (true) {
      now += -std::log1p(-unit(random)) / lambda;
      if (now > life) break;
      last = now;
      ++x;
    }
    h.frequency.push_back(x);
    h.recency.push_back(last);
    h.age.push_back(t);
  }
  return h;
}

TEST(pareto_nbd_test, the_fit_recovers_the_parameters_it_was_drawn_from) {
  const pareto_nbd_params truth{0.55, 10.6, 0.61, 11.7};
  const history_columns h = drawn(truth, 10'000, 7);
  const pareto_nbd_fit fit = fit_pareto_nbd(h.view());
  EXPECT_TRUE(fit.converged);
  EXPECT_NEAR(fit.params.r / truth.r, 1, 0.1);
  EXPECT_NEAR(fit.params.alpha / truth.alpha, 1, 0.15);
  EXPECT_NEAR(fit.params.s / truth.s, 1, 0.2);
  EXPECT_NEAR(fit.params.beta / truth.beta, 1, 0.3);
  EXPECT_NEAR(pareto_nbd_log_likelihood(fit.params, h.view()), fit.log_likelihood, 1e-6);
  // The maximum: no neighbour does better.
  for (int j = 0; j < 4; ++j) {
    for (const double step : {0.99, 1.01}) {
      pareto_nbd_params moved = fit.params;
      double* values[] = {&moved.r, &moved.alpha, &moved.s, &moved.beta};
      *values[j] *= step;
      EXPECT_LT(pareto_nbd_log_likelihood(moved, h.view()), fit.log_likelihood) << j << " " << step;
    }
  }
  // Distinct histories with their counts fit as the customers themselves.
  history_columns twice = h;
  twice.weight.assign(h.frequency.size(), 2.0);
  EXPECT_NEAR(fit_pareto_nbd(twice.view()).log_likelihood, 2 * fit.log_likelihood, 1e-6 * std::abs(fit.log_likelihood));
  EXPECT_THROW_MSG((void)fit_pareto_nbd(history_columns{}.view()), invalid_input,
                   "repeat_history: no customer to fit the model on");
}

}  // namespace
}  // namespace cartera
