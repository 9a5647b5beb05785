#include "cartera/bg_nbd.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "test_support.hpp"

namespace cartera {
namespace {

struct history_columns {
  std::vector<double> frequency, recency, age;
  [[nodiscard]] repeat_history view() const { return {frequency, recency, age}; }
};

// The CDNOW sample of 2,357 customers, in weeks, as lifetimes ships it (ID,frequency,recency,T).
history_columns cdnow() {
  const char* from_environment = std::getenv("CARTERA_DATA");
  const auto path = std::filesystem::path(from_environment != nullptr ? from_environment : CARTERA_TEST_DATA) /
                    "cdnow" / "cdnow_customers_summary.csv";
  std::ifstream file(path);
  history_columns h;
  std::string line;
  std::getline(file, line);
  while (std::getline(file, line)) {
    std::stringstream fields(line);
    std::string id, x, t_x, t;
    std::getline(fields, id, ',');
    std::getline(fields, x, ',');
    std::getline(fields, t_x, ',');
    std::getline(fields, t, ',');
    h.frequency.push_back(std::stod(x));
    h.recency.push_back(std::stod(t_x));
    h.age.push_back(std::stod(t));
  }
  return h;
}

TEST(bg_nbd_test, fits_the_published_cdnow_estimates) {
  const history_columns h = cdnow();
  ASSERT_EQ(h.frequency.size(), 2357U) << "the CDNOW summary (set CARTERA_DATA)";
  const bg_nbd_fit fit = fit_bg_nbd(h.view());
  EXPECT_TRUE(fit.converged);
  // Fader, Hardie & Lee (2005), table 1, and lifetimes' fit on the same data.
  EXPECT_NEAR(fit.params.r, 0.243, 0.0005);
  EXPECT_NEAR(fit.params.alpha, 4.414, 0.0005);
  EXPECT_NEAR(fit.params.a, 0.793, 0.0005);
  EXPECT_NEAR(fit.params.b, 2.426, 0.0005);
  EXPECT_NEAR(fit.log_likelihood, -9582.4, 0.05);
  EXPECT_NEAR(bg_nbd_log_likelihood(fit.params, h.view()), fit.log_likelihood, 1e-8);
  // Same fit on one thread and on two.
  model_fit_options one_thread;
  one_thread.run.threads = 1;
  EXPECT_EQ(fit_bg_nbd(h.view(), one_thread).params.r, fit.params.r);
}

TEST(bg_nbd_test, weighted_distinct_histories_fit_as_the_customers_themselves) {
  // CDNOW's 2,357 customers as their distinct histories, each counted: the same likelihood,
  // so the same fit (up to the order of the sums), as a book in partitions merges them.
  const history_columns h = cdnow();
  std::map<std::array<double, 3>, double> counted;
  for (std::size_t i = 0; i < h.frequency.size(); ++i) counted[{h.frequency[i], h.recency[i], h.age[i]}] += 1;
  history_columns distinct;
  std::vector<double> weight;
  for (const auto& [history, count] : counted) {
    distinct.frequency.push_back(history[0]);
    distinct.recency.push_back(history[1]);
    distinct.age.push_back(history[2]);
    weight.push_back(count);
  }
  ASSERT_LT(distinct.frequency.size(), h.frequency.size());
  repeat_history weighted = distinct.view();
  weighted.weight = weight;
  EXPECT_EQ(weighted.customers(), 2357.0);
  const bg_nbd_fit all = fit_bg_nbd(h.view()), merged = fit_bg_nbd(weighted);
  EXPECT_NEAR(merged.params.r, all.params.r, 1e-6 * all.params.r);
  EXPECT_NEAR(merged.params.alpha, all.params.alpha, 1e-6 * all.params.alpha);
  EXPECT_NEAR(merged.params.a, all.params.a, 1e-6 * all.params.a);
  EXPECT_NEAR(merged.params.b, all.params.b, 1e-6 * all.params.b);
  EXPECT_NEAR(merged.log_likelihood, all.log_likelihood, 1e-6);
  EXPECT_NEAR(bg_nbd_log_likelihood(all.params, weighted), bg_nbd_log_likelihood(all.params, h.view()), 1e-6);
  weight[3] = 0;
  EXPECT_THROW_MSG((void)fit_bg_nbd(weighted), invalid_input,
                   "repeat_history.weight row 3 (value 0): must be finite and > 0");
  weight.pop_back();
  weighted.weight = weight;
  EXPECT_THROW_MSG((void)fit_bg_nbd(weighted), invalid_input,
                   "repeat_history.weight (value " + std::to_string(weight.size()) +
                       " weights): must hold one weight per row (" + std::to_string(weight.size() + 1) + ")");
}

TEST(bg_nbd_test, the_fit_is_a_maximum_and_moves_with_the_time_unit) {
  const history_columns weeks = cdnow();
  history_columns days = weeks;
  for (auto& t : days.recency) t *= 7;
  for (auto& t : days.age) t *= 7;
  const bg_nbd_fit in_weeks = fit_bg_nbd(weeks.view());
  const bg_nbd_fit in_days = fit_bg_nbd(days.view());
  EXPECT_NEAR(in_days.params.alpha / 7, in_weeks.params.alpha, 1e-4 * in_weeks.params.alpha);
  EXPECT_NEAR(in_days.params.r, in_weeks.params.r, 1e-4 * in_weeks.params.r);
  // Every parameter moved by 0.1 % either way lowers the likelihood.
  for (int j = 0; j < 4; ++j) {
    for (const double factor : {0.999, 1.001}) {
      bg_nbd_params moved = in_weeks.params;
      double* value[] = {&moved.r, &moved.alpha, &moved.a, &moved.b};
      *value[j] *= factor;
      EXPECT_LT(bg_nbd_log_likelihood(moved, weeks.view()), in_weeks.log_likelihood) << j << " " << factor;
    }
  }
}

TEST(bg_nbd_test, p_alive_and_expected_purchases_match_hand_computed_values) {
  const bg_nbd_params p{0.243, 4.414, 0.793, 2.426};
  const std::vector<double> x = {0, 2, 2}, t_x = {0, 30.43, 5}, t = {38.86, 38.86, 38.86};
  const repeat_history h{x, t_x, t};
  const real_column alive = bg_nbd_p_alive(p, h);
  EXPECT_EQ(alive[0], 1.0);
  // 1 / (1 + a/(b+x−1) ((α+T)/(α+t_x))^(r+x))
  EXPECT_NEAR(alive[1], 1 / (1 + 0.793 / 3.426 * std::pow(43.274 / 34.844, 2.243)), 1e-12);
  EXPECT_LT(alive[2], alive[1]);  // the same purchases long ago: less likely alive
  // E[Y(t)] from the paper's equation 10 with 2F1 summed directly (no transformation).
  const auto direct = [&](double xx, double rec, double age, double horizon) {
    const double z = horizon / (p.alpha + age + horizon);
    double term = 1, sum = 1;
    for (int k = 0; k < 100000; ++k) {
      term *= (p.r + xx + k) * (p.b + xx + k) / ((p.a + p.b + xx - 1 + k) * (k + 1)) * z;
      sum += term;
    }
    const double numerator =
        (p.a + p.b + xx - 1) / (p.a - 1) * (1 - std::pow((p.alpha + age) / (p.alpha + age + horizon), p.r + xx) * sum);
    const double odds = xx > 0 ? p.a / (p.b + xx - 1) * std::pow((p.alpha + age) / (p.alpha + rec), p.r + xx) : 0;
    return numerator / (1 + odds);
  };
  const real_column expected = bg_nbd_expected_purchases(p, h, 39);
  for (Eigen::Index i = 0; i < 3; ++i) {
    EXPECT_NEAR(expected[i], direct(x[static_cast<std::size_t>(i)], t_x[static_cast<std::size_t>(i)], 38.86, 39), 1e-10)
        << i;
  }
  EXPECT_EQ(bg_nbd_expected_purchases(p, h, 0)[1], 0.0);
  // a = 1 is a removable singularity.
  const bg_nbd_params one{0.243, 4.414, 1.0, 2.426};
  bg_nbd_params near_one = one;
  near_one.a = 1.001;
  EXPECT_NEAR(bg_nbd_expected_purchases(one, h, 39)[1], bg_nbd_expected_purchases(near_one, h, 39)[1], 1e-2);
}

TEST(bg_nbd_test, expected_purchases_hold_when_dropout_is_nearly_the_same_for_everyone) {
  // a and b in the millions: p is a/(a+b) for everyone, and E[Y(t)] = P(alive) ·
  // (1 − ((α+T)/(α+T+pt))^(r+x)) / p.
  const bg_nbd_params p{1.96, 135.8, 54438.0, 6184399.0};
  const std::vector<double> x = {0, 3, 12}, t_x = {0, 200, 600}, t = {365, 400, 700};
  const repeat_history h{x, t_x, t};
  const real_column expected = bg_nbd_expected_purchases(p, h, 365);
  const real_column alive = bg_nbd_p_alive(p, h);
  const double q = p.a / (p.a + p.b);
  for (Eigen::Index i = 0; i < 3; ++i) {
    const auto c = static_cast<std::size_t>(i);
    const double point_mass = alive[i] * (1 - std::pow((p.alpha + t[c]) / (p.alpha + t[c] + q * 365), p.r + x[c])) / q;
    EXPECT_NEAR(expected[i], point_mass, 1e-6 * point_mass) << i;
  }
  // Where the series gives way to the quadrature, both give the same number.
  const bg_nbd_params moderate{0.5, 4, 30, 100};
  const std::vector<double> one_x = {2}, one_t_x = {10}, one_t = {20};
  const repeat_history one{one_x, one_t_x, one_t};
  const double switch_at = (1 - std::exp(-40.0 / 29)) * 24 / std::exp(-40.0 / 29);
  const double by_series = bg_nbd_expected_purchases(moderate, one, switch_at - 1e-9)[0];
  const double by_quadrature = bg_nbd_expected_purchases(moderate, one, switch_at + 1e-9)[0];
  EXPECT_NEAR(by_quadrature, by_series, 1e-7 * by_series);
  // And for a Beta narrow enough for its mean and curvature alone.
  const bg_nbd_params narrow{0.5, 4, 2000, 8000};
  const double narrow_switch = (1 - std::exp(-40.0 / 1999)) * 24 / std::exp(-40.0 / 1999);
  const double narrow_series = bg_nbd_expected_purchases(narrow, one, narrow_switch - 1e-9)[0];
  const double narrow_delta = bg_nbd_expected_purchases(narrow, one, narrow_switch + 1e-9)[0];
  EXPECT_NEAR(narrow_delta, narrow_series, 1e-7 * narrow_series);
}

TEST(bg_nbd_test, refuses_histories_that_cannot_be) {
  const std::vector<double> x = {1, 0.5}, t_x = {2, 1}, t = {3, 3};
  EXPECT_THROW_MSG((void)fit_bg_nbd({x, t_x, t}), invalid_input,
                   "repeat_history.frequency row 1 (value 0.5): must be a whole number of repeat purchases");
  const std::vector<double> x2 = {1, 1}, late = {2, 4};
  EXPECT_THROW_MSG((void)fit_bg_nbd({x2, late, t}), invalid_input,
                   "repeat_history.recency row 1 (value 4): is past T (3)");
  EXPECT_THROW_MSG((void)fit_bg_nbd({}), invalid_input, "repeat_history: no customer to fit the model on");
  EXPECT_THROW_MSG((void)bg_nbd_p_alive({0, 1, 1, 1}, {x2, t_x, t}), invalid_input,
                   "bg_nbd_params.r (value 0): must be positive and finite");
}

}  // namespace
}  // namespace cartera
