#include "cartera/ladder.hpp"

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;
using enum stage;

TEST(ladder_test, counts_each_portfolio_and_the_customers_without_a_manager) {
  const std::vector<stage> stages = {contactar, intimar, confiar, sin_contacto, intimar};
  const std::vector<index_t> manager = {0, 0, 1, no_index, 0};
  const ladder_table t = count_ladder(stages, manager, 2);
  ASSERT_EQ(t.portfolios.size(), 3u);
  EXPECT_EQ(t.portfolios[0], (stage_counts{0, 1, 0, 2, 0}));
  EXPECT_EQ(t.portfolios[1], (stage_counts{0, 0, 0, 0, 1}));
  EXPECT_EQ(t.portfolios[2], (stage_counts{1, 0, 0, 0, 0}));
  EXPECT_EQ(t.overall, (stage_counts{1, 1, 0, 2, 1}));
  EXPECT_DOUBLE_EQ(real_share(t.portfolios[0]), 2.0 / 3);
  EXPECT_EQ(real_share(stage_counts{}), 0);
  EXPECT_THROW((void)count_ladder(stages, std::vector<index_t>{0, 0, 7, 0, 0}, 2), unknown_id);
}

TEST(ladder_test, transitions_and_conversion) {
  const std::vector<stage> before = {contactar, contactar, relacionar, intimar, sin_contacto};
  const std::vector<stage> after = {relacionar, contactar, contactar, confiar, sin_contacto};
  const transition_matrix m = count_transitions(before, after);
  EXPECT_EQ(m[1][2], 1);
  EXPECT_EQ(m[1][1], 1);
  EXPECT_EQ(m[2][1], 1);
  EXPECT_EQ(m[3][4], 1);
  EXPECT_EQ(m[0][0], 1);
  const auto shares = conversion(m);
  EXPECT_EQ(shares[0], 0.0);
  EXPECT_EQ(shares[1], 0.5);
  EXPECT_EQ(shares[2], 0.0);
  EXPECT_EQ(shares[3], 1.0);
}

TEST(ladder_test, time_in_stage_counts_days_between_evaluations) {
  stage_history h;
  h.days = {0, 30, 60, 90};
  h.stages = {{contactar, sin_contacto}, {relacionar, sin_contacto}, {contactar, sin_contacto}, {contactar, contactar}};
  const std::vector<stage_time> rows = time_in_stage(h);
  ASSERT_EQ(rows.size(), 4u);
  // Customer 0 entered contactar on day 0 and again on day 60: 30 + 30 + 1 days.
  EXPECT_EQ(rows[0].customer, 0);
  EXPECT_EQ(rows[0].at, contactar);
  EXPECT_EQ(rows[0].first_entry, 0);
  EXPECT_EQ(rows[0].latest_entry, 60);
  EXPECT_EQ(rows[0].days, 61);
  EXPECT_EQ(rows[1].at, relacionar);
  EXPECT_EQ(rows[1].days, 30);
  EXPECT_EQ(rows[2].customer, 1);
  EXPECT_EQ(rows[2].at, sin_contacto);
  EXPECT_EQ(rows[2].days, 90);
  EXPECT_EQ(rows[3].first_entry, 90);
  EXPECT_EQ(highest_stage(h), (std::vector<stage>{relacionar, contactar}));
}

TEST(ladder_test, history_records_each_change_with_its_reason) {
  // One customer: contacts on days 900 and 910 (two-way); relacionar from 910 until the
  // first contact leaves the 100-day window on day 1000, nothing after 1010.
  auto people = customers({"ana"});
  interaction_table in;
  in.customer = ints({0, 0});
  in.day = ints({900, 910});
  in.channel = labels({"call", "call"});
  in.two_way = flags({1, 1});
  const book b(std::move(people), {}, {}, std::move(in));
  stage_policy p;
  p.window_days = 100;
  p.grace_days = 1;
  p.relacionar.min_two_way = 2;
  const std::vector<day_t> days = {850, 905, 950, 1005, 1020};
  const stage_history h = evaluate_stage_history(b, days, p);
  ASSERT_EQ(h.changes.size(), 4u);
  EXPECT_EQ(h.changes[0].day, 905);
  EXPECT_EQ(h.changes[0].from, sin_contacto);
  EXPECT_EQ(h.changes[0].to, contactar);
  EXPECT_EQ(h.changes[0].blocking, criterion::two_way);
  EXPECT_EQ(h.changes[0].value, 1);
  EXPECT_EQ(h.changes[1].to, relacionar);
  EXPECT_EQ(h.changes[2].day, 1005);
  EXPECT_EQ(h.changes[2].from, relacionar);
  EXPECT_EQ(h.changes[2].to, contactar);
  EXPECT_EQ(h.changes[3].day, 1020);  // 910 left the window too
  EXPECT_EQ(h.changes[3].to, sin_contacto);
  EXPECT_EQ(h.changes[3].blocking, criterion::contacts);
  const std::vector<day_t> unordered = {10, 5};
  EXPECT_THROW((void)evaluate_stage_history(b, unordered, p), invalid_input);
}

}  // namespace
}  // namespace cartera
