#include "cartera/complaint_indicator.hpp"

#include <cmath>

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

day_t on(unsigned month, unsigned day, int year = 2024) { return make_day(year, month, day); }

// Managers m0 and m1; customers a and b with m0, c with m1, d with nobody. The complaints,
// as of 2024-12-31:
//   a 01-10 resolved 01-12 at the first contact; a 2025-01-05 (after the day: left out)
//   b 01-20 resolved 03-20 (60 days);  b 02-05 still open
//   c 01-15 resolved 01-25 at the first contact;  c 12-01 resolved 2025-01-03 (still open then)
//   d 12-20 open
// Purchases: a 03-01; b 01-20 (the day of its complaint: not after) and 09-01; c 02-01.
book with_complaints() {
  customer_table c = customers({"a", "b", "c", "d"});
  c.manager = ints({0, 0, 1, -1});
  transaction_table t;
  t.customer = ints({0, 1, 1, 2});
  t.day = ints({on(3, 1), on(1, 20), on(9, 1), on(2, 1)});
  t.amount = reals({10, 10, 10, 10});
  complaint_table k;
  k.customer = ints({0, 0, 1, 1, 2, 2, 3});
  k.opened = ints({on(1, 10), on(1, 5, 2025), on(1, 20), on(2, 5), on(1, 15), on(12, 1), on(12, 20)});
  k.resolved = ints({on(1, 12), no_day, on(3, 20), no_day, on(1, 25), on(1, 3, 2025), no_day});
  k.first_contact = flags({1, 0, 0, 0, 1, 0, 0});
  return book(std::move(c), managers({"m0", "m1"}), std::move(t), {}, std::move(k));
}

const std::vector<double> worth = {100, 300, 50, 0};
const std::vector<std::uint8_t> valuable = {0, 1, 1, 0};

TEST(complaint_indicator_test, figures_per_manager_and_month_by_hand) {
  const book b = with_complaints();
  const complaint_indicator_table t = complaint_indicator(b, on(12, 31), worth, valuable);
  EXPECT_EQ(t.manager, (std::vector<index_t>{0, 0, 1, 1, -1}));
  EXPECT_EQ(t.month, (std::vector<day_t>{on(1, 1), on(2, 1), on(1, 1), on(12, 1), on(12, 1)}));
  EXPECT_EQ(t.complaints, (std::vector<std::int64_t>{2, 1, 1, 1, 1}));
  EXPECT_EQ(t.resolved, (std::vector<std::int64_t>{2, 0, 1, 0, 0}));
  EXPECT_EQ(t.first_contact, (std::vector<std::int64_t>{1, 0, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(t.first_contact_share[0], 0.5);
  EXPECT_DOUBLE_EQ(t.first_contact_share_by_value[0], 0.25);  // a's 100 of a's and b's 400
  EXPECT_DOUBLE_EQ(t.first_contact_share[2], 1.0);
  EXPECT_TRUE(std::isnan(t.first_contact_share_by_value[4]));  // d is worth nothing
  EXPECT_DOUBLE_EQ(t.mean_days_to_resolve[0], 31.0);           // 2 and 60 days
  EXPECT_DOUBLE_EQ(t.median_days_to_resolve[0], 31.0);
  EXPECT_DOUBLE_EQ(t.median_days_to_resolve[2], 10.0);
  EXPECT_TRUE(std::isnan(t.mean_days_to_resolve[1]));
  // b's January complaint took 60 days, its February one is open past 30; c's January one
  // took 10; c's December one has been open exactly 30 days.
  EXPECT_EQ(t.valuable, (std::vector<std::int64_t>{1, 1, 1, 1, 0}));
  EXPECT_EQ(t.valuable_due, (std::vector<std::int64_t>{1, 1, 1, 1, 0}));
  EXPECT_EQ(t.valuable_in_time, (std::vector<std::int64_t>{0, 0, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(t.valuable_in_time_share[2], 1.0);
  EXPECT_TRUE(std::isnan(t.valuable_in_time_share[4]));
  // a bought 51 days after; b's next purchase came 225 days after; c bought 17 days after.
  EXPECT_EQ(t.stay_due, (std::vector<std::int64_t>{2, 1, 1, 0, 0}));
  EXPECT_EQ(t.stayed, (std::vector<std::int64_t>{1, 0, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(t.stayed_share[0], 0.5);
  EXPECT_DOUBLE_EQ(t.stayed_share_by_value[0], 0.25);
  EXPECT_TRUE(std::isnan(t.stayed_share[3]));
  EXPECT_EQ(t.value, (std::vector<double>{400, 300, 50, 50, 0}));
  EXPECT_EQ(t.first_contact_value, (std::vector<double>{100, 0, 50, 0, 0}));
  EXPECT_EQ(t.stay_due_value, (std::vector<double>{400, 300, 50, 0, 0}));
  EXPECT_EQ(t.stayed_value, (std::vector<double>{100, 0, 50, 0, 0}));
}

TEST(complaint_indicator_test, policy_days_move_the_limits) {
  const book b = with_complaints();
  complaint_policy p;
  p.response_days = 60;  // b's 60 days are now in time
  p.stay_days = 230;     // and b's purchase 225 days after counts; December's are too recent
  const complaint_indicator_table t = complaint_indicator(b, on(12, 31), worth, valuable, p);
  EXPECT_EQ(t.valuable_in_time[0], 1);
  EXPECT_EQ(t.valuable_due, (std::vector<std::int64_t>{1, 1, 1, 0, 0}));  // c's December one: 30 of 60 days
  EXPECT_EQ(t.stayed, (std::vector<std::int64_t>{2, 1, 1, 0, 0}));        // b's February one too: 209 days after
}

TEST(complaint_indicator_test, valuable_by_default_is_the_top_share_by_value) {
  const book b = with_complaints();
  // One customer in five, rounded up, of four: b alone.
  const complaint_indicator_table t = complaint_indicator(b, on(12, 31), worth);
  EXPECT_EQ(t.valuable, (std::vector<std::int64_t>{1, 1, 0, 0, 0}));
}

TEST(complaint_indicator_test, managers_given_replace_the_books) {
  const book b = with_complaints();
  const std::vector<index_t> everyone_with_m1 = {1, 1, 1, 1};
  const complaint_indicator_table t = complaint_indicator(b, on(12, 31), worth, valuable, {}, everyone_with_m1);
  EXPECT_EQ(t.manager, (std::vector<index_t>{1, 1, 1}));
  EXPECT_EQ(t.complaints, (std::vector<std::int64_t>{3, 1, 2}));  // January, February, December
}

TEST(complaint_indicator_test, bad_inputs_are_named) {
  const book b = with_complaints();
  EXPECT_THROW((void)complaint_indicator(b, on(12, 31), std::vector<double>{1, 2}), invalid_input);
  try {
    (void)complaint_indicator(b, on(12, 31), std::vector<double>{1, NAN, 2, 3});
    FAIL();
  } catch (const invalid_input& e) {
    EXPECT_NE(std::string(e.what()).find("row 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)complaint_indicator(b, on(12, 31), worth, valuable, {}, std::vector<index_t>{0, 0, 2, 0}),
               unknown_id);
  complaint_policy p;
  p.stay_days = 0;
  EXPECT_THROW((void)complaint_indicator(b, on(12, 31), worth, valuable, p), invalid_input);
}

TEST(complaint_indicator_test, a_book_without_complaints_has_no_rows) {
  const book b(customers({"a"}));
  EXPECT_TRUE(complaint_indicator(b, 0, std::vector<double>{1}).month.empty());
}

}  // namespace
}  // namespace cartera
