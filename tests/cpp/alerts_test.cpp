#include "cartera/alerts.hpp"

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

// As of day 1000: a complained (valuable), b declines, c grows, d lapsed, e was lost long
// ago, f costs more than it brings, g is quiet.
book moments() {
  auto people = customers({"a", "b", "c", "d", "e", "f", "g"});
  people.since = ints({0, 0, 0, 0, 0, 0, 0});
  transaction_table t;
  t.customer = ints({0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 4});
  t.day = ints({950, 950, 850, 760, 670, 580, 990, 850, 760, 670, 580, 500, 100});
  t.amount = reals({5000, 10, 100, 100, 100, 100, 300, 100, 100, 100, 100, 4000, 3000});
  interaction_table in;
  in.customer = ints({5});
  in.day = ints({990});
  in.channel = labels({"visit"});
  complaint_table co;
  co.customer = ints({0, 0});
  co.opened = ints({969, 980});
  co.resolved = ints({975, no_day});
  return book(std::move(people), {}, std::move(t), std::move(in), std::move(co));
}

// Seven customers are too few for the rate tests to tell a change from chance: these tests
// check the spend thresholds alone (false_discovery_rate = 1), the tests are checked below.
alert_policy thresholds_alone() {
  alert_policy p;
  p.false_discovery_rate = 1;
  return p;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

TEST(alerts_test, finds_each_moment_of_truth_in_priority_order) {
  const book b = moments();
  const value_table v = compute_value(b, 1000);
  const std::vector<std::uint8_t> valuable = {1, 1, 0, 1, 1, 0, 0};
  const alert_table a = detect_alerts(b, v, 1000, {}, thresholds_alone(), valuable);
  std::vector<std::pair<index_t, std::string_view>> seen;
  for (std::size_t k = 0; k < a.customer.size(); ++k) seen.emplace_back(a.customer[k], alert_name(a.kind[k]));
  EXPECT_EQ(seen, (std::vector<std::pair<index_t, std::string_view>>{{0, "valuable_complainer"},
                                                                     {1, "declining"},
                                                                     {3, "lapsed_valuable"},
                                                                     {2, "growing"},
                                                                     {0, "mvc"},
                                                                     {5, "below_zero"}}));
  EXPECT_EQ(a.urgent[0], 1);
  EXPECT_EQ(a.reason[0], "valuable; complaint opened 1972-09-07 (20 days ago), unresolved: act within 10 days");
  EXPECT_PRED2(starts_with, a.reason[1], "valuable; recent spend 10.00 is 10 % of usual 100.00 (below 40 %); ");
  EXPECT_PRED2(starts_with, a.reason[2], "valuable; last purchase 1971-05-16 (500 days ago); silent 500 days ");
  EXPECT_PRED2(starts_with, a.reason[3], "recent spend 300.00 is 300 % of usual 100.00 (above 150 %); ");
  EXPECT_EQ(a.reason[5], "contribution -60.00 = margin 0.00 - cost to serve 60.00");
  EXPECT_TRUE(std::is_sorted(a.priority.rbegin(), a.priority.rend()));
}

TEST(alerts_test, declining_is_about_valuable_customers_unless_the_policy_says_everyone) {
  const book b = moments();
  const value_table v = compute_value(b, 1000);
  const std::vector<std::uint8_t> valuable = {1, 0, 0, 1, 1, 0, 0};  // b declines, and is not valuable
  const auto declining = [](const alert_table& a) {
    std::vector<std::string> reasons;
    for (std::size_t k = 0; k < a.kind.size(); ++k) {
      if (a.kind[k] == alert_kind::declining) reasons.push_back(a.reason[k]);
    }
    return reasons;
  };
  EXPECT_TRUE(declining(detect_alerts(b, v, 1000, {}, thresholds_alone(), valuable)).empty());
  alert_policy everyone = thresholds_alone();
  everyone.declining_valuable_only = false;
  const std::vector<std::string> found = declining(detect_alerts(b, v, 1000, {}, everyone, valuable));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_PRED2(starts_with, found[0], "recent spend 10.00 is 10 % of usual 100.00 (below 40 %); ");
}

TEST(alerts_test, boundaries_of_the_windows) {
  const book b = moments();
  const value_table v = compute_value(b, 1000);
  const std::vector<std::uint8_t> valuable = {1, 1, 0, 1, 1, 0, 0};
  alert_policy p = thresholds_alone();
  p.complaint_days = 20;        // the complaint of day 980 is exactly 20 days old: out
  p.lapsed_days = 499;          // d's last purchase is 500 days old: out
  p.declining_trend = 0.1;      // b's trend is exactly 0.1: not below
  p.growing_min_purchases = 5;  // c bought 4 times in the window: not enough to call it a trend
  const alert_table a = detect_alerts(b, v, 1000, {}, p, valuable);
  for (const alert_kind kind : a.kind) {
    EXPECT_NE(kind, alert_kind::valuable_complainer);
    EXPECT_NE(kind, alert_kind::lapsed_valuable);
    EXPECT_NE(kind, alert_kind::declining);
    EXPECT_NE(kind, alert_kind::growing);
  }
}

TEST(alerts_test, valuable_defaults_to_the_top_share_by_lifetime_spend) {
  const book b = moments();
  const value_table v = compute_value(b, 1000);
  alert_policy p;
  p.valuable_share = 0.3;  // ⌈2.1⌉ = 3 customers: a (5000), d (4000), e (3000)
  const alert_table a = detect_alerts(b, v, 1000, {}, p);
  EXPECT_EQ(a.kind[0], alert_kind::valuable_complainer);
  p.below_zero_by_share = true;
  p.below_zero_share = 0.3;  // f, g and then the lowest positive contribution
  const alert_table share = detect_alerts(b, v, 1000, {}, p);
  int below = 0;
  for (const alert_kind kind : share.kind) below += kind == alert_kind::below_zero;
  EXPECT_EQ(below, 3);
  p.mvc_share = 1.5;
  EXPECT_THROW_MSG((void)detect_alerts(b, v, 1000, {}, p), invalid_input,
                   "alert_policy.mvc_share (value 1.5): must be in [0, 1]");
}

}  // namespace
}  // namespace cartera
