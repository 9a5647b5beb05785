#include "cartera/segmentation.hpp"

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

std::vector<int> codes(const categorical& c) { return {c.codes.begin(), c.codes.end()}; }
std::vector<int> ints_of(const int_column& c) { return {c.begin(), c.end()}; }

TEST(segmentation_test, abc_by_hand) {
  // Total 100: 50 (A: 0 before), 30 (A: 50 before), 10 (B: 80 before), 6 (B: 90), 4 (C: 96), 0 (C).
  const std::vector<double> value = {10, 50, 0, 4, 30, 6};
  const abc_table t = classify_abc(value);
  EXPECT_EQ(codes(t.abc), (std::vector<int>{1, 0, 2, 2, 0, 1}));
  EXPECT_EQ(ints_of(t.rank), (std::vector<int>{3, 1, 6, 5, 2, 4}));
  EXPECT_DOUBLE_EQ(t.cumulative[4], 0.8);
  EXPECT_DOUBLE_EQ(t.share[0], 0.1);
  const pareto_curve curve = make_pareto_curve(value);
  EXPECT_EQ(curve.value.size(), 7);
  EXPECT_DOUBLE_EQ(curve.value[2], 0.8);
  EXPECT_DOUBLE_EQ(curve.customers[3], 0.5);
  EXPECT_DOUBLE_EQ(curve.value[6], 1.0);
}

TEST(segmentation_test, abc_ties_follow_customer_order_and_cuts_are_configurable) {
  const std::vector<double> value = {25, 25, 25, 25};
  EXPECT_EQ(codes(classify_abc(value).abc), (std::vector<int>{0, 0, 0, 0}));  // 0, 25, 50, 75 before: all below 80
  const abc_table strict = classify_abc(value, {0.5, 0.75});
  EXPECT_EQ(codes(strict.abc), (std::vector<int>{0, 0, 1, 2}));
  EXPECT_THROW((void)classify_abc(value, {0.9, 0.8}), invalid_input);
}

column_set two_variables() {
  column_set c(5);
  c.add("monetary", reals({100, 0, 50, 25, std::numeric_limits<double>::quiet_NaN()}));
  c.add("recency", reals({10, 200, 30, 5, 100}));
  return c;
}

TEST(segmentation_test, score_by_hand_with_min_max) {
  score_policy p;
  p.variables = {{"monetary", 3.0, normalisation::min_max, true}, {"recency", 1.0, normalisation::min_max, false}};
  p.tiers = {"Low", "High"};
  p.cuts = {0.5};
  p.quantile_cuts = false;
  const score_table t = apply_score(fit_score(p, two_variables()), two_variables());
  // Row 0: 3 × 1 + 1 × (1 − 5/195) over 4.
  EXPECT_NEAR(t.score[0], (3.0 + (1 - 5.0 / 195)) / 4, 1e-12);
  EXPECT_NEAR(t.score[1], 0.0, 1e-12);
  EXPECT_NEAR(t.score[4], (1 - 95.0 / 195) / 4, 1e-12);  // missing monetary contributes nothing
  EXPECT_EQ(ints_of(t.rank), (std::vector<int>{1, 5, 2, 3, 4}));
  EXPECT_EQ(codes(t.tier), (std::vector<int>{1, 0, 1, 0, 0}));
  EXPECT_EQ(t.reason.categories[static_cast<std::size_t>(t.reason.codes[0])],
            "High: score >= 0.5 (top: monetary, recency)");
  EXPECT_EQ(t.reason.categories[static_cast<std::size_t>(t.reason.codes[1])],
            "Low: score < 0.5 (top: monetary, recency)");
}

TEST(segmentation_test, quantile_cuts_learned_once_apply_to_new_customers) {
  score_policy p;
  p.variables = {{"monetary", 1.0, normalisation::percentile, true}};
  p.cuts = {0.4, 0.8};
  column_set month(5);
  month.add("monetary", reals({10, 20, 30, 40, 50}));
  const score_model model = fit_score(p, month);
  const score_table same = apply_score(model, month);
  EXPECT_EQ(codes(same.tier), (std::vector<int>{0, 0, 1, 1, 2}));  // percentiles 0, .2, .4, .6, .8
  column_set next(3);
  next.add("monetary", reals({5, 35, 1000}));
  EXPECT_EQ(codes(apply_score(model, next).tier), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(same.tier.categories, (std::vector<std::string>{"Genérico", "Medio", "Premium"}));
}

TEST(segmentation_test, fitting_and_applying_at_once_gives_the_same_table) {
  score_policy p;
  p.variables = {{"monetary", 2.0}, {"recency", 1.0, normalisation::percentile, false}};
  const column_set c = two_variables();
  const auto [model, once] = fit_apply_score(p, c);
  const score_table twice = apply_score(fit_score(p, c), c);
  EXPECT_TRUE((once.score == twice.score).all());
  EXPECT_EQ(codes(once.tier), codes(twice.tier));
  EXPECT_EQ(once.reason.categories, twice.reason.categories);
  EXPECT_EQ(model.thresholds, fit_score(p, c).thresholds);
}

TEST(segmentation_test, tied_scores_share_a_tier) {
  score_policy p;
  p.variables = {{"monetary", 1.0, normalisation::min_max, true}};
  column_set equal(4);
  equal.add("monetary", testing::reals({5, 5, 5, 5}));
  EXPECT_EQ(codes(fit_apply_score(p, equal).second.tier), (std::vector<int>{0, 0, 0, 0}));
  column_set ties(6);
  ties.add("monetary", testing::reals({1, 2, 2, 2, 3, 4}));  // cut 0.5 falls inside the 2s; 4 has 5/6 < 0.85 below
  EXPECT_EQ(codes(fit_apply_score(p, ties).second.tier), (std::vector<int>{0, 0, 0, 0, 1, 1}));
}

TEST(segmentation_test, infinite_values_score_as_the_most_extreme_finite_ones) {
  // Trend is +inf for a customer with no usual spend; recency is +inf for one who never bought.
  const double inf = std::numeric_limits<double>::infinity();
  column_set c(5);
  c.add("trend", reals({0.5, 1.0, inf, 2.0, -inf}));
  for (const normalisation scale : {normalisation::min_max, normalisation::z_score}) {
    score_policy p;
    p.variables = {{"trend", 1.0, scale, true}};
    p.quantile_cuts = true;
    const auto [model, t] = fit_apply_score(p, c);
    for (Eigen::Index r = 0; r < 5; ++r) ASSERT_TRUE(std::isfinite(t.score[r])) << r;
    // +inf scores as the largest finite value (2.0), -inf as the smallest (0.5).
    EXPECT_DOUBLE_EQ(t.score[2], t.score[3]);
    EXPECT_DOUBLE_EQ(t.score[4], t.score[0]);
    if (scale == normalisation::min_max) {
      EXPECT_DOUBLE_EQ(t.score[2], 1.0);
      EXPECT_DOUBLE_EQ(t.score[4], 0.0);
      EXPECT_NEAR(t.score[1], 0.5 / 1.5, 1e-12);
    } else {
      EXPECT_NEAR(t.score[1],
                  (1.0 - 3.5 / 3) /
                      std::sqrt((std::pow(0.5 - 3.5 / 3, 2) + std::pow(1 - 3.5 / 3, 2) + std::pow(2 - 3.5 / 3, 2)) / 3),
                  1e-12);
    }
    EXPECT_EQ(codes(t.tier), (std::vector<int>{0, 0, 1, 1, 0}));  // cuts on five finite scores, ties together
    // Applied to new customers, the fitted extremes hold.
    column_set next(2);
    next.add("trend", reals({inf, 10.0}));
    const score_table later = apply_score(model, next);
    EXPECT_DOUBLE_EQ(later.score[0], t.score[3]);
    EXPECT_TRUE(std::isfinite(later.score[1]));
    // Lower is better: +inf is the worst.
    p.variables[0].higher_is_better = false;
    const score_table reversed = fit_apply_score(p, c).second;
    EXPECT_DOUBLE_EQ(reversed.score[2], reversed.score[3]);
    EXPECT_LT(reversed.score[2], reversed.score[1]);
  }
}

TEST(segmentation_test, z_scores_and_errors) {
  score_policy p;
  p.variables = {{"monetary", 1.0, normalisation::z_score, true}};
  p.quantile_cuts = false;
  p.cuts = {-1.0, 1.0};
  column_set c(4);
  c.add("monetary", reals({1, 2, 3, 4}));
  const score_table t = apply_score(fit_score(p, c), c);
  EXPECT_NEAR(t.score[0], -1.5 / std::sqrt(1.25), 1e-12);
  EXPECT_EQ(codes(t.tier), (std::vector<int>{0, 1, 1, 2}));
  p.variables[0].column = "monetry";
  EXPECT_THROW_MSG((void)fit_score(p, c), invalid_input, "score.monetry: unknown column; the columns are monetary");
  p.variables = {};
  EXPECT_THROW_MSG((void)fit_score(p, c), invalid_input,
                   "score_policy.variables (value 0): needs at least one variable");
}

TEST(segmentation_test, rfm_scores_share_ties_and_name_segments) {
  // Ten customers: recency 1..10 days, frequency and monetary rising with recency.
  std::vector<double> recency, frequency, monetary;
  for (int i = 1; i <= 10; ++i) {
    recency.push_back(i);
    frequency.push_back(i <= 2 ? 1 : i);
    monetary.push_back(100.0 * i);
  }
  const rfm_table t = apply_rfm(fit_rfm({}, recency, frequency, monetary), recency, frequency, monetary);
  EXPECT_EQ(ints_of(t.r), (std::vector<int>{5, 5, 4, 4, 3, 3, 2, 2, 1, 1}));
  EXPECT_EQ(ints_of(t.f), (std::vector<int>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}));  // the tied 1s share a score
  EXPECT_EQ(ints_of(t.m), (std::vector<int>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}));
  const auto segment = [&](int row) { return t.segment.categories[static_cast<std::size_t>(t.segment.codes[row])]; };
  EXPECT_EQ(segment(0), "New customers");
  EXPECT_EQ(segment(2), "Potential loyalists");
  EXPECT_EQ(segment(4), "Need attention");
  EXPECT_EQ(segment(6), "At risk");
  EXPECT_EQ(segment(9), "Can't lose them");
}

TEST(segmentation_test, rfm_fit_and_apply_at_once_gives_the_same_scores) {
  // An infinite recency (never bought) is fitted like any other: the worst.
  const double never = std::numeric_limits<double>::infinity();
  const std::vector<double> recency = {5, 1, 5, std::numeric_limits<double>::quiet_NaN(), 9, 2, never, never};
  const std::vector<double> frequency = {1, 2, 2, 3, 1, 7, 0, 0};
  const std::vector<double> monetary = {10, 20, 20, 5, 0, 70, 0, 0};
  const auto [model, once] = fit_apply_rfm({}, recency, frequency, monetary);
  const rfm_table twice = apply_rfm(fit_rfm({}, recency, frequency, monetary), recency, frequency, monetary);
  EXPECT_EQ(ints_of(once.r), ints_of(twice.r));
  EXPECT_EQ(ints_of(once.f), ints_of(twice.f));
  EXPECT_EQ(ints_of(once.m), ints_of(twice.m));
  EXPECT_EQ(codes(once.segment), codes(twice.segment));
  EXPECT_EQ(model.recency, (std::vector<double>{1, 2, 5, 5, 9, never, never}));
  EXPECT_EQ(once.r[3], 1);  // a missing recency is the worst
}

TEST(segmentation_test, every_rfm_cell_has_a_named_segment) {
  std::vector<double> recency, frequency, monetary;
  for (int r = 0; r < 5; ++r) {
    for (int fm = 0; fm < 5; ++fm) {
      recency.push_back(5 - r);
      frequency.push_back(fm);
      monetary.push_back(fm);
    }
  }
  const rfm_table t = apply_rfm(fit_rfm({}, recency, frequency, monetary), recency, frequency, monetary);
  for (Eigen::Index i = 0; i < t.segment.codes.size(); ++i) {
    EXPECT_NE(t.segment.categories[static_cast<std::size_t>(t.segment.codes[i])], "Others") << i;
  }
}

}  // namespace
}  // namespace cartera
