#include "cartera/readiness.hpp"

#include <cmath>

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

const day_t as_of = make_day(2025, 12, 31);

// a: reachable, bought 100 this year, talked with us early and late in the year.
// b: reachable, bought 300 this year, talked with us late in the year.
// c: unreachable, bought two years ago, a contact this year that was not a conversation.
// d: reachable, never bought, a conversation 400 days ago.
book readiness_book() {
  customer_table c = customers({"a", "b", "c", "d"});
  c.reachable = flags({1, 1, 0, 1});
  transaction_table t;
  t.customer = ints({0, 1, 2});
  t.day = ints({as_of - 20, as_of - 30, as_of - 700});
  t.amount = reals({100, 300, 50});
  interaction_table in;
  in.customer = ints({0, 0, 1, 2, 3});
  in.day = ints({as_of - 300, as_of - 10, as_of - 5, as_of - 50, as_of - 400});
  in.channel = labels({"call", "call", "visit", "email", "call"});
  in.two_way = flags({1, 1, 1, 0, 1});
  return book(std::move(c), {}, std::move(t), std::move(in));
}

TEST(readiness_test, the_four_steps_by_hand) {
  const book b = readiness_book();
  const value_table v = compute_value(b, as_of);
  const std::vector<stage> stages = {stage::intimar, stage::contactar, stage::confiar, stage::relacionar};
  readiness_policy p;
  p.mvc_share = 0.25;  // one customer of four
  const std::vector<index_t> preferred = {0, 1, -1, 0}, planned = {0, 0, 1, -1};
  const book_readiness r = measure_readiness(b, v, stages, as_of, p, preferred, planned);
  EXPECT_EQ(r.customers, 4);
  EXPECT_DOUBLE_EQ(r.identify, 0.75);
  EXPECT_DOUBLE_EQ(r.differentiate, 0.5);        // a and b bought in the window
  EXPECT_DOUBLE_EQ(r.mvc_revenue_share, 0.75);   // b's 300 of 400
  EXPECT_DOUBLE_EQ(r.interact, 0.5);             // a and b talked with us this year
  EXPECT_DOUBLE_EQ(r.dialogue_continuity, 0.5);  // a in both halves of it
  EXPECT_DOUBLE_EQ(r.individualise, 0.5);
  EXPECT_DOUBLE_EQ(r.preferred_channel_kept, 0.5);  // a kept; b planned on another channel
  EXPECT_TRUE(std::isnan(measure_readiness(b, v, stages, as_of, p).preferred_channel_kept));
}

TEST(readiness_test, bad_inputs_are_named) {
  const book b = readiness_book();
  const value_table v = compute_value(b, as_of);
  const std::vector<stage> three(3, stage::contactar), four(4, stage::contactar);
  EXPECT_THROW((void)measure_readiness(b, v, three, as_of), invalid_input);
  const std::vector<index_t> preferred = {0, 0, 0, 0};
  EXPECT_THROW((void)measure_readiness(b, v, four, as_of, {}, preferred), invalid_input);
  readiness_policy p;
  p.mvc_share = 0;
  EXPECT_THROW((void)measure_readiness(b, v, four, as_of, p), invalid_input);
}

}  // namespace
}  // namespace cartera
