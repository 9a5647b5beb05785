#include "cartera/value.hpp"

#include <cmath>
#include <limits>
#include <set>

#include "cartera/synthetic.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;
constexpr double inf = std::numeric_limits<double>::infinity();

// Customers a (regular), b (contacts only), c (new), d (slowing down), as of day 1000.
book hand_book() {
  auto people = customers({"a", "b", "c", "d"});
  people.since = ints({500, no_day, no_day, 700});
  transaction_table t;
  t.customer = ints({0, 0, 0, 0, 0, 2, 3, 3});
  t.day = ints({990, 950, 800, 600, 1005, 980, 995, 820});
  t.amount = reals({100, 50, 200, 400, 999, 30, 10, 40});
  t.margin = reals({20, 5, -10, 100, 1, 3, 1, 4});
  interaction_table in;
  in.customer = ints({1, 1, 1});
  in.day = ints({900, 950, 100});
  in.channel = labels({"visit", "email", "call"});
  return book(std::move(people), {}, std::move(t), std::move(in));
}

TEST(value_test, matches_a_hand_computed_book) {
  const value_table v = compute_value(hand_book(), 1000);
  // a: window (635, 1000] holds 990, 950, 800; 600 is outside, 1005 is after as_of.
  EXPECT_EQ(v.recency[0], 10);
  EXPECT_EQ(v.frequency[0], 3);
  EXPECT_EQ(v.monetary[0], 350);
  EXPECT_DOUBLE_EQ(v.monetary_mean[0], 350.0 / 3);
  EXPECT_EQ(v.margin[0], 15);
  EXPECT_EQ(v.lifetime_monetary[0], 750);
  EXPECT_EQ(v.first_purchase[0], 600);
  EXPECT_EQ(v.last_purchase[0], 990);
  EXPECT_EQ(v.tenure[0], 500);
  // recent (910, 1000]: 150; four earlier periods of 90 days back to day 640... 550: 600.
  EXPECT_EQ(v.recent[0], 150);
  EXPECT_EQ(v.usual[0], 150);
  EXPECT_EQ(v.trend[0], 1);
  // b never bought: defined values, and cost to serve from the two contacts in the window.
  EXPECT_EQ(v.recency[1], inf);
  EXPECT_EQ(v.frequency[1], 0);
  EXPECT_EQ(v.monetary_mean[1], 0);
  EXPECT_EQ(v.first_purchase[1], no_day);
  EXPECT_EQ(v.trend[1], 1);
  EXPECT_EQ(v.interactions[1], 2);
  EXPECT_EQ(v.cost_to_serve[1], 62);
  EXPECT_EQ(v.contribution[1], -62);
  EXPECT_EQ(v.tenure[1], 900);  // known from the first contact
  // c is new: no earlier period to compare with.
  EXPECT_EQ(v.usual[2], 0);
  EXPECT_EQ(v.trend[2], inf);
  EXPECT_EQ(v.tenure[2], 20);
  // d known for 300 days: three earlier periods, 40 in them.
  EXPECT_DOUBLE_EQ(v.usual[3], 40.0 / 3);
  EXPECT_DOUBLE_EQ(v.trend[3], 10 / (40.0 / 3));
}

TEST(value_test, window_boundaries_are_exclusive_at_the_start_and_inclusive_at_as_of) {
  value_policy policy;
  policy.window_days = 10;
  policy.recent_days = 10;
  const book b(customers({"a"}), {}, [] {
    transaction_table t;
    t.customer = ints({0, 0, 0});
    t.day = ints({90, 91, 100});
    t.amount = reals({1, 2, 4});
    return t;
  }());
  const value_table v = compute_value(b, 100, policy);
  EXPECT_EQ(v.frequency[0], 2);  // 91 and 100; 90 is exactly one window back
  EXPECT_EQ(v.recent[0], 6);
  EXPECT_EQ(v.recency[0], 0);
}

TEST(value_test, margin_defaults_to_amount_times_margin_rate) {
  value_policy policy;
  policy.margin_rate = 0.25;
  transaction_table t;
  t.customer = ints({0});
  t.day = ints({5});
  t.amount = reals({80});
  const value_table v = compute_value(book(customers({"a"}), {}, t), 10, policy);
  EXPECT_EQ(v.margin[0], 20);
}

TEST(value_test, channel_costs_come_from_the_policy) {
  value_policy policy;
  policy.channel_costs = {{"visit", 100.0}};
  policy.other_channel_cost = 1.0;
  const value_table v = compute_value(hand_book(), 1000, policy);
  EXPECT_EQ(v.cost_to_serve[1], 101);
}

TEST(value_test, rejects_a_bad_policy) {
  value_policy policy;
  policy.recent_days = 0;
  EXPECT_THROW_MSG((void)compute_value(hand_book(), 1000, policy), invalid_input,
                   "value_policy.recent_days (value 0): must be positive");
  policy = {};
  policy.channel_costs["visit"] = -1;
  EXPECT_THROW((void)compute_value(hand_book(), 1000, policy), invalid_input);
}

// A direct, row-by-row restatement of the definitions, to check the fast path against.
TEST(value_test, agrees_with_a_brute_force_on_a_synthetic_book) {
  synthetic_options options;
  options.customers = 3000;
  options.managers = 30;
  const book b = synthetic_book(options);
  const day_t as_of = options.end - 200;
  const value_policy policy;
  const value_table v = compute_value(b, as_of, policy, {.threads = 2});
  const auto& t = b.transactions();
  const auto& in = b.interactions();
  const auto n = b.customer_count();
  std::vector<double> monetary(static_cast<std::size_t>(n)), recent(static_cast<std::size_t>(n)),
      earlier(static_cast<std::size_t>(n)), cost(static_cast<std::size_t>(n));
  std::vector<int> frequency(static_cast<std::size_t>(n));
  std::vector<day_t> last(static_cast<std::size_t>(n), no_day), known(static_cast<std::size_t>(n), no_day);
  const auto see = [&](std::size_t c, day_t day) {
    if (day <= as_of && (known[c] == no_day || day < known[c])) known[c] = day;
  };
  for (Eigen::Index k = 0; k < t.customer.size(); ++k) {
    const auto c = static_cast<std::size_t>(t.customer[k]);
    const day_t day = t.day[k];
    if (day > as_of) continue;
    see(c, day);
    last[c] = std::max(last[c] == no_day ? day : last[c], day);
    if (as_of - day < policy.window_days) {
      ++frequency[c];
      monetary[c] += t.amount[k];
    }
    if (as_of - day < policy.recent_days)
      recent[c] += t.amount[k];
    else if (as_of - day < policy.recent_days * (policy.usual_periods + 1))
      earlier[c] += t.amount[k];
  }
  for (Eigen::Index k = 0; k < in.customer.size(); ++k) {
    const auto c = static_cast<std::size_t>(in.customer[k]);
    if (in.day[k] > as_of) continue;
    see(c, in.day[k]);
    if (as_of - in.day[k] < policy.window_days) {
      cost[c] += policy.channel_costs.at(in.channel.categories[static_cast<std::size_t>(in.channel.codes[k])]);
    }
  }
  int compared_trends = 0;
  for (index_t c = 0; c < n; ++c) {
    const auto i = static_cast<std::size_t>(c);
    see(i, b.customers().since[c]);
    EXPECT_EQ(v.frequency[c], frequency[i]) << c;
    EXPECT_NEAR(v.monetary[c], monetary[i], 1e-6) << c;
    EXPECT_NEAR(v.cost_to_serve[c], cost[i], 1e-9) << c;
    EXPECT_EQ(v.recency[c], last[i] == no_day ? inf : as_of - last[i]) << c;
    const int periods =
        known[i] == no_day ? 0 : std::min<int>(policy.usual_periods, (as_of - known[i]) / policy.recent_days);
    const double usual = periods > 0 ? earlier[i] / periods : 0;
    EXPECT_NEAR(v.usual[c], usual, 1e-6) << c;
    if (usual > 0) {
      EXPECT_NEAR(v.trend[c], recent[i] / usual, 1e-9) << c;
      ++compared_trends;
    }
  }
  EXPECT_GT(compared_trends, 1000);
}

TEST(value_test, results_do_not_depend_on_the_thread_count) {
  synthetic_options options;
  options.customers = 50'000;
  const book b = synthetic_book(options);
  const value_table one = compute_value(b, options.end, {}, {.threads = 1});
  const value_table four = compute_value(b, options.end, {}, {.threads = 4});
  EXPECT_TRUE((one.monetary == four.monetary).all());
  EXPECT_TRUE((one.contribution == four.contribution).all());
  EXPECT_TRUE((one.trend == four.trend).all());
}

TEST(value_test, repeat_summary_merges_purchases_of_one_day) {
  transaction_table t;
  t.customer = ints({0, 0, 0, 0, 1});
  t.day = ints({10, 10, 17, 24, 30});
  t.amount = reals({5, 5, 20, 40, 7});
  const book b(customers({"a", "b", "c"}), {}, t);
  const repeat_summary weeks = compute_repeat_summary(b, 38, 7.0);
  EXPECT_EQ(weeks.frequency[0], 2);
  EXPECT_EQ(weeks.recency[0], 2);
  EXPECT_EQ(weeks.age[0], 4);
  EXPECT_EQ(weeks.monetary[0], 30);  // repeat days 17 and 24; the first day is left out
  EXPECT_EQ(weeks.frequency[1], 0);
  EXPECT_EQ(weeks.monetary[1], 0);
  EXPECT_DOUBLE_EQ(weeks.age[1], 8.0 / 7);
  EXPECT_EQ(weeks.purchased[2], 0);
  EXPECT_EQ(weeks.age[2], 0);
  const repeat_summary early = compute_repeat_summary(b, 20);
  EXPECT_EQ(early.frequency[0], 1);
  EXPECT_EQ(early.purchased[1], 0);
}

// a bought 100 and 50, gave back 30 in the window and 10 long before; b only gave back 5.
book book_with_returns() {
  transaction_table t;
  t.customer = ints({0, 0, 0, 0, 1});
  t.day = ints({990, 950, 995, 500, 990});
  t.amount = reals({100, 50, -30, -10, -5});
  t.margin = reals({20, 5, -6, -2, -1});
  return book(customers({"a", "b"}), {}, std::move(t));
}

TEST(value_test, nets_returns_out_of_amounts_and_margins) {
  const value_table v = compute_value(book_with_returns(), 1000);
  EXPECT_EQ(v.frequency[0], 2);
  EXPECT_EQ(v.monetary[0], 120);
  EXPECT_EQ(v.monetary_mean[0], 60);
  EXPECT_EQ(v.margin[0], 19);
  EXPECT_EQ(v.contribution[0], 19);
  EXPECT_EQ(v.lifetime_monetary[0], 110);
  EXPECT_EQ(v.returned[0], 30);
  EXPECT_EQ(v.returns[0], 1);
  EXPECT_DOUBLE_EQ(v.return_rate[0], 0.2);
  // A return is never a purchase: the last purchase is 990, not the return of 995.
  EXPECT_EQ(v.recency[0], 10);
  EXPECT_EQ(v.last_purchase[0], 990);
  EXPECT_EQ(v.recent[0], 150);
  EXPECT_EQ(v.first_purchase[0], 950);
  // b never bought: a return alone leaves recency, frequency and trend as for no purchase.
  EXPECT_EQ(v.frequency[1], 0);
  EXPECT_EQ(v.recency[1], inf);
  EXPECT_EQ(v.trend[1], 1);
  EXPECT_EQ(v.monetary[1], -5);
  EXPECT_EQ(v.return_rate[1], inf);
  EXPECT_EQ(v.tenure[1], 0);
}

TEST(value_test, return_margin_defaults_to_amount_times_margin_rate) {
  transaction_table t;
  t.customer = ints({0, 0});
  t.day = ints({10, 11});
  t.amount = reals({100, -40});
  value_policy policy;
  policy.margin_rate = 0.25;
  const value_table v = compute_value(book(customers({"a"}), {}, std::move(t)), 20, policy);
  EXPECT_EQ(v.margin[0], 15);
  EXPECT_EQ(v.return_rate[0], 0.4);
}

TEST(value_test, repeat_summary_counts_purchases_only) {
  const repeat_summary r = compute_repeat_summary(book_with_returns(), 1000);
  EXPECT_EQ(r.frequency[0], 1);
  EXPECT_EQ(r.recency[0], 40);
  EXPECT_EQ(r.monetary[0], 100);
  EXPECT_EQ(r.purchased[1], 0);
}

}  // namespace
}  // namespace cartera
