#include "cartera/campaigns.hpp"

#include "cartera/contact_plan.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

day_t on(unsigned month, unsigned day) { return make_day(2024, month, day); }

// Customers a and b with m0, c with m1, d with nobody. Campaign "spring" reached all four on
// 03-01, "summer" reached a on 06-20, and "autumn" will reach b on 09-01.
//   a bought on 03-05 and 03-10, m0 called on 03-07; a bought again on 06-22.
//   b bought on 03-01 (the campaign's day: not after it).
//   c called us on 03-08; m0 (not c's manager) called back on 03-09.
//   d bought on 03-20, past the 14 days.
book with_campaign_history() {
  customer_table c = customers({"a", "b", "c", "d"});
  c.manager = ints({0, 0, 1, -1});
  transaction_table t;
  t.customer = ints({0, 0, 0, 1, 3});
  t.day = ints({on(3, 5), on(3, 10), on(6, 22), on(3, 1), on(3, 20)});
  t.amount = reals({40, 60, 25, 10, 10});
  interaction_table in;
  in.customer = ints({0, 2, 2});
  in.manager = ints({0, -1, 0});
  in.day = ints({on(3, 7), on(3, 8), on(3, 9)});
  in.channel = labels({"call", "call", "call"});
  in.proactive = flags({1, 0, 1});
  campaign_table k;
  k.customer = ints({0, 1, 2, 3, 0, 1});
  k.day = ints({on(3, 1), on(3, 1), on(3, 1), on(3, 1), on(6, 20), on(9, 1)});
  k.campaign = labels({"spring", "spring", "spring", "spring", "summer", "autumn"});
  return book(std::move(c), managers({"m0", "m1"}), std::move(t), std::move(in), {}, {}, std::move(k));
}

std::vector<std::string_view> outcomes(const campaign_responses& r) {
  std::vector<std::string_view> out;
  for (const auto o : r.outcome) out.push_back(outcome_name(o));
  return out;
}

TEST(campaigns_test, responses_and_follow_ups_by_hand) {
  const book b = with_campaign_history();
  const campaign_responses r = measure_campaigns(b, on(6, 25));
  // By customer, then day: a's spring and summer, b's spring (autumn is still to come), c's, d's.
  EXPECT_EQ(r.row, (std::vector<std::int64_t>{0, 1, 2, 4, 5}));
  EXPECT_EQ(outcomes(r),
            (std::vector<std::string_view>{"followed_up", "follow_up_due", "no_response", "missed", "no_response"}));
  EXPECT_EQ(r.response_day, (std::vector<day_t>{on(3, 5), on(6, 22), no_day, on(3, 8), no_day}));
  EXPECT_EQ(r.bought, (std::vector<std::uint8_t>{1, 1, 0, 0, 0}));
  EXPECT_EQ(r.revenue, (std::vector<double>{100, 25, 0, 0, 0}));
  EXPECT_EQ(r.follow_up_day, (std::vector<day_t>{on(3, 7), no_day, no_day, no_day, no_day}));
}

TEST(campaigns_test, the_evaluation_day_decides_what_is_still_open) {
  const book b = with_campaign_history();
  const campaign_responses r = measure_campaigns(b, on(3, 6));
  // a responded on 03-05 and m0 has not called yet; the others' windows are still open.
  EXPECT_EQ(outcomes(r), (std::vector<std::string_view>{"follow_up_due", "waiting", "waiting", "waiting"}));
}

TEST(campaigns_test, policy_windows_and_managers_given) {
  const book b = with_campaign_history();
  campaign_policy p;
  p.response_days = 30;  // d's purchase of 03-20 is a response now
  const std::vector<index_t> everyone_with_m0 = {0, 0, 0, 0};
  const campaign_responses r = measure_campaigns(b, on(6, 25), p, everyone_with_m0);
  // With m0 as c's manager, m0's call of 03-09 follows c up.
  EXPECT_EQ(outcomes(r),
            (std::vector<std::string_view>{"followed_up", "follow_up_due", "no_response", "followed_up", "missed"}));
}

TEST(campaigns_test, bad_rows_are_named) {
  campaign_table t;
  t.customer = ints({0, 9});
  t.day = ints({on(3, 1), on(3, 1)});
  EXPECT_THROW(book(customers({"a"}), {}, {}, {}, {}, {}, std::move(t)), unknown_id);
  const book b = with_campaign_history();
  campaign_policy p;
  p.follow_up_days = 0;
  EXPECT_THROW((void)measure_campaigns(b, on(6, 25), p), invalid_input);
}

TEST(campaigns_test, the_plan_follows_up_the_responses_still_due) {
  const book b = with_campaign_history();
  const day_t start = on(6, 26);
  const campaign_responses r = measure_campaigns(b, start - 1);
  contact_policy policy;
  const std::vector<index_t> manager = {0, 0, 1, -1}, tier = {0, 0, 0, 0};
  const std::vector<stage> stages(4, stage::contactar);
  const std::vector<double> budget = {10'000, 10'000};
  contact_inputs in{manager, tier, stages, budget};
  in.responses = &r;
  const contact_plan plan = plan_contacts(b, in, start, 7, policy);
  bool found = false;
  for (std::size_t k = 0; k < plan.contacts.customer.size(); ++k) {
    if (plan.contacts.purpose[k] != contact_purpose::follow_up) continue;
    EXPECT_EQ(plan.contacts.customer[k], 0);
    EXPECT_EQ(plan.contacts.day[k], start);
    const auto code = static_cast<std::size_t>(plan.contacts.reason.codes[static_cast<Eigen::Index>(k)]);
    EXPECT_EQ(plan.contacts.reason.categories[code],
              "follow-up of the response to campaign summer of 2024-06-20 (bought on 2024-06-22)");
    found = true;
  }
  EXPECT_TRUE(found);
  // Without the responses nobody is due a follow-up.
  in.responses = nullptr;
  const contact_plan without = plan_contacts(b, in, start, 7, policy);
  for (const auto p : without.contacts.purpose) EXPECT_NE(p, contact_purpose::follow_up);
}

}  // namespace
}  // namespace cartera
