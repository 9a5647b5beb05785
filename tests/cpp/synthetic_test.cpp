#include "cartera/synthetic.hpp"

#include "cartera/value.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

TEST(synthetic_test, is_deterministic_for_a_seed_and_any_thread_count) {
  synthetic_options options;
  options.customers = 40'000;
  const book a = synthetic_book(options, {.threads = 1});
  const book b = synthetic_book(options, {.threads = 3});
  ASSERT_EQ(a.transactions().amount.size(), b.transactions().amount.size());
  EXPECT_TRUE((a.transactions().amount == b.transactions().amount).all());
  EXPECT_TRUE((a.interactions().channel.codes == b.interactions().channel.codes).all());
  EXPECT_TRUE((a.complaints().opened == b.complaints().opened).all());
  options.seed = 7;
  const book c = synthetic_book(options);
  EXPECT_NE(a.transactions().amount.size(), c.transactions().amount.size());
}

TEST(synthetic_test, has_the_promised_shape) {
  synthetic_options options;
  options.customers = 20'000;
  options.managers = 200;
  const book b = synthetic_book(options);
  EXPECT_EQ(b.customer_count(), 20'000);
  EXPECT_EQ(b.manager_count(), 200);
  EXPECT_EQ(b.customers().id[0], "C0000001");
  EXPECT_EQ(b.managers().id[199], "M00200");
  EXPECT_LE(b.last_day(), options.end);
  // About 10 purchases a customer over the history (fewer: some join late or lapse).
  const double per_customer = static_cast<double>(b.transactions().amount.size()) / 20'000;
  EXPECT_GT(per_customer, 6);
  EXPECT_LT(per_customer, 10);
  EXPECT_GT(b.complaints().customer.size(), 800);
  EXPECT_GT(b.referrals().referrer.size(), 1200);
  // Managed customers are served by a manager of their region.
  const auto& people = b.customers();
  for (index_t c = 0; c < b.customer_count(); ++c) {
    if (people.manager[c] != no_index) {
      ASSERT_EQ(b.managers().region.codes[people.manager[c]], people.region.codes[c]);
    }
  }
}

TEST(synthetic_test, value_is_pareto_shaped_and_behaviours_show_in_the_trend) {
  synthetic_options options;
  options.customers = 20'000;
  const book b = synthetic_book(options);
  const value_table v = compute_value(b, options.end);
  // The top 20 % of customers by lifetime value hold most of it.
  std::vector<double> values(v.lifetime_monetary.begin(), v.lifetime_monetary.end());
  std::sort(values.rbegin(), values.rend());
  double top = 0, all = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    all += values[i];
    if (i < values.size() / 5) top += values[i];
  }
  EXPECT_GT(top / all, 0.6);
  // Declining customers' median trend is well below growing customers'.
  const auto behaviours = synthetic_behaviours(options);
  std::vector<double> declining, growing;
  for (std::size_t c = 0; c < behaviours.size(); ++c) {
    const double trend = v.trend[static_cast<Eigen::Index>(c)];
    if (v.usual[static_cast<Eigen::Index>(c)] <= 0) continue;
    if (behaviours[c] == synthetic_behaviour::declining) declining.push_back(trend);
    if (behaviours[c] == synthetic_behaviour::growing) growing.push_back(trend);
  }
  const auto median = [](std::vector<double> x) {
    std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2), x.end());
    return x[x.size() / 2];
  };
  EXPECT_LT(median(declining), 0.5);
  EXPECT_GT(median(growing), 1.5);
}

TEST(synthetic_test, rejects_bad_options) {
  synthetic_options options;
  options.customers = -1;
  EXPECT_THROW_MSG((void)synthetic_book(options), invalid_input,
                   "synthetic_options.customers (value -1): must be >= 0");
}

}  // namespace
}  // namespace cartera
