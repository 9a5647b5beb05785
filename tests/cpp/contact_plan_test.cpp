#include "cartera/contact_plan.hpp"

#include <random>
#include <set>

#include "cartera/team_sizing.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

const day_t monday = make_day(2026, 1, 5);

// Two channels, two tiers; "high" customers get 2 calls per 28 days, "low" ones 1.
contact_policy small_policy() {
  contact_policy p;
  p.channels = {"visit", "call"};
  p.minutes = {60, 15};
  p.tiers = {"low", "high"};
  for (int t = 0; t < 2; ++t) {
    for (int s = 0; s < stage_count; ++s)
      p.cadence.push_back({t == 0 ? 1.0 : 2.0, contact_nature::transactional, {0, 1}});
  }
  return p;
}

struct fixture {
  std::vector<index_t> manager;
  std::vector<index_t> tier;
  std::vector<stage> stages;
  std::vector<double> budget;
  std::vector<std::int32_t> cap;
  contact_inputs inputs() const {
    contact_inputs in{manager, tier, stages, budget};
    in.max_contacts = cap;
    return in;
  }
};

alert_table alerts_for(std::vector<index_t> customer, std::vector<alert_kind> kind, std::vector<double> priority) {
  alert_table a;
  a.urgent.assign(customer.size(), 0);
  a.reason.assign(customer.size(), "");
  a.customer = std::move(customer);
  a.kind = std::move(kind);
  a.priority = std::move(priority);
  return a;
}

std::vector<std::string_view> purposes(const contact_plan& plan) {
  std::vector<std::string_view> out;
  for (const auto p : plan.contacts.purpose) out.push_back(purpose_name(p));
  return out;
}

TEST(contact_plan_test, alerts_first_then_higher_tiers_within_the_budget) {
  const book b(customers({"a", "b", "c", "d"}));
  // 90 minutes a period → 45 in a 14-day horizon: three calls.
  fixture f{{0, 0, 0, 0}, {1, 1, 1, 0}, std::vector<stage>(4, stage::contactar), {90}, {}};
  const alert_table a = alerts_for({1, 0}, {alert_kind::declining, alert_kind::valuable_complainer}, {4.5, 5.9});
  contact_inputs in = f.inputs();
  in.alerts = &a;
  const contact_plan plan = plan_contacts(b, in, monday, 14, small_policy());
  EXPECT_EQ(plan.contacts.customer, (std::vector<index_t>{0, 1, 2}));
  EXPECT_EQ(purposes(plan), (std::vector<std::string_view>{"alert", "alert", "cadence"}));
  EXPECT_EQ(plan.contacts.day[0], monday);
  EXPECT_EQ(plan.contacts.day[1], monday);
  EXPECT_EQ(plan.contacts.alert[0], alert_kind::valuable_complainer);
  EXPECT_DOUBLE_EQ(plan.managers.planned[0], 45.0);
  EXPECT_DOUBLE_EQ(plan.managers.budget[0], 45.0);
  EXPECT_DOUBLE_EQ(plan.managers.demand[0], 60.0);
  EXPECT_EQ(plan.managers.reached[0], 3);
  ASSERT_EQ(plan.unmet.customer, (std::vector<index_t>{3}));
  EXPECT_EQ(plan.unmet.reason[0], unmet_reason::time_budget);
  EXPECT_EQ(plan.customers.status[3], customer_plan_status::not_planned);
  EXPECT_EQ(plan.customers.status[0], customer_plan_status::planned);
  const auto reason = plan.contacts.reason.categories[static_cast<std::size_t>(plan.contacts.reason.codes[2])];
  EXPECT_EQ(reason, "cadence: high × contactar, 2 per 28 days");
}

TEST(contact_plan_test, campaigns_and_recent_contacts_count_toward_the_cap) {
  // a: cap 1 and a campaign in the horizon; b: cap 2, one proactive contact 10 days ago and
  // the campaign; c: cap 0.
  interaction_table history;
  history.customer = ints({1});
  history.day = ints({monday - 10});
  history.channel = labels({"call"});
  history.proactive = flags({1});
  const book b(customers({"a", "b", "c"}), {}, {}, std::move(history));
  fixture f{{0, 0, 0}, {1, 1, 1}, std::vector<stage>(3, stage::relacionar), {10'000}, {1, 2, 0}};
  campaign_table campaigns;
  campaigns.customer = ints({0, 1});
  campaigns.day = ints({monday + 3, monday + 3});
  contact_inputs in = f.inputs();
  in.campaigns = &campaigns;
  const contact_plan plan = plan_contacts(b, in, monday, 28, small_policy());
  // b's next call is due 14 days after the last one (day 4), but until day 18 a window
  // would hold the old call, the campaign and this one: day 18 is the first that fits, and
  // then the second cadence call no longer does.
  EXPECT_EQ(plan.contacts.customer, (std::vector<index_t>{1}));
  EXPECT_EQ(plan.contacts.day, (std::vector<day_t>{monday + 18}));
  std::multiset<std::pair<index_t, unmet_reason>> unmet;
  for (std::size_t k = 0; k < plan.unmet.customer.size(); ++k)
    unmet.emplace(plan.unmet.customer[k], plan.unmet.reason[k]);
  for (const auto& [customer, why] : unmet) EXPECT_EQ(why, unmet_reason::contact_cap) << customer;
  EXPECT_EQ(unmet.count({0, unmet_reason::contact_cap}), 2u);
  EXPECT_EQ(unmet.count({1, unmet_reason::contact_cap}), 1u);
  EXPECT_EQ(unmet.count({2, unmet_reason::contact_cap}), 2u);
}

TEST(contact_plan_test, a_cap_leaves_room_in_a_later_window) {
  // One call 20 days before the horizon, cap 1 per 28 days: the next call waits until the
  // old one leaves the window (day -20 + 28 = day 8 of the horizon, the Tuesday of week 2).
  interaction_table history;
  history.customer = ints({0});
  history.day = ints({monday - 20});
  history.channel = labels({"call"});
  history.proactive = flags({1});
  const book b(customers({"a"}), {}, {}, std::move(history));
  fixture f{{0}, {0}, {stage::contactar}, {10'000}, {1}};
  contact_policy p = small_policy();
  p.cadence[1].contacts = 4;  // low × contactar: due every 7 days, so due now
  const contact_plan plan = plan_contacts(b, f.inputs(), monday, 14, p);
  ASSERT_EQ(plan.contacts.day.size(), 1u);
  EXPECT_EQ(plan.contacts.day[0], monday + 8);
}

TEST(contact_plan_test, follow_up_carries_the_last_conversation) {
  interaction_table history;
  history.customer = ints({0, 0});
  history.day = ints({monday - 40, monday - 3});
  history.channel = labels({"visit", "call"});
  history.proactive = flags({1, 0});
  history.two_way = flags({1, 1});
  history.relational = flags({1, 1});
  const book b(customers({"a"}), {}, {}, std::move(history));
  fixture f{{0}, {0}, {stage::intimar}, {10'000}, {}};
  const contact_plan plan = plan_contacts(b, f.inputs(), monday, 14, small_policy());
  ASSERT_EQ(plan.contacts.customer.size(), 1u);
  EXPECT_EQ(plan.contacts.purpose[0], contact_purpose::follow_up);
  EXPECT_EQ(plan.contacts.day[0], monday);
  EXPECT_EQ(plan.contacts.last_day[0], monday - 3);
  EXPECT_EQ(b.interactions().channel.categories[static_cast<std::size_t>(plan.contacts.last_channel[0])], "call");
  EXPECT_EQ(plan.contacts.last_note.categories[static_cast<std::size_t>(plan.contacts.last_note.codes[0])],
            "customer-initiated, two-way, relational");
  EXPECT_EQ(plan.contacts.reason.categories[0], "follow-up of the call of 2026-01-02");
  // The preferred channel is learned from the two-way contacts: a tie, the latest wins; the
  // low tier's mix holds only calls, so a visit preference would not be used.
  EXPECT_EQ(preferred_channels(b, monday, small_policy()), (std::vector<index_t>{1}));
}

TEST(contact_plan_test, every_customer_has_a_status) {
  customer_table people = customers({"a", "b", "c", "d"});
  people.reachable = flags({1, 0, 1, 1});
  const book b(std::move(people));
  contact_policy p = small_policy();
  p.cadence[0].contacts = 0;  // low × sin_contacto: nothing due
  fixture f{{0, 0, -1, 0},
            {1, 1, 1, 0},
            {stage::contactar, stage::contactar, stage::contactar, stage::sin_contacto},
            {10'000},
            {}};
  const contact_plan plan = plan_contacts(b, f.inputs(), monday, 14, p);
  std::vector<std::string_view> status;
  for (const auto s : plan.customers.status) status.push_back(status_name(s));
  EXPECT_EQ(status, (std::vector<std::string_view>{"planned", "unreachable", "no_manager", "nothing_due"}));
}

TEST(contact_plan_test, contacts_spread_over_working_days) {
  std::vector<std::string> ids;
  for (int c = 0; c < 40; ++c) ids.push_back("c" + std::to_string(c));
  const book b(customers(ids));
  fixture f{
      std::vector<index_t>(40, 0), std::vector<index_t>(40, 1), std::vector<stage>(40, stage::intimar), {100'000}, {}};
  const contact_plan plan = plan_contacts(b, f.inputs(), monday, 28, small_policy());
  std::set<day_t> days;
  for (const day_t d : plan.contacts.day) {
    days.insert(d);
    EXPECT_LT(((d % 7) + 3) % 7, 5) << format_day(d);  // Monday..Friday
  }
  EXPECT_GE(days.size(), 15u);
  EXPECT_EQ(plan.contacts.customer.size(), 80u);  // two each
}

TEST(contact_plan_test, random_books_never_break_a_budget_or_a_cap) {
  std::mt19937_64 random(11);
  const contact_policy p = small_policy();
  for (int round = 0; round < 40; ++round) {
    const int n = 1 + static_cast<int>(random() % 60);
    const int managers = 1 + static_cast<int>(random() % 4);
    std::vector<std::string> ids;
    for (int c = 0; c < n; ++c) ids.push_back("c" + std::to_string(c));
    interaction_table history;
    const int past = static_cast<int>(random() % 100);
    history.customer.resize(past);
    history.day.resize(past);
    history.proactive.resize(past);
    for (int k = 0; k < past; ++k) {
      history.customer[k] = static_cast<std::int32_t>(random() % static_cast<unsigned>(n));
      history.day[k] = monday - 1 - static_cast<std::int32_t>(random() % 60);
      history.proactive[k] = static_cast<std::uint8_t>(random() % 2);
    }
    history.channel = labels(std::vector<std::string>(static_cast<std::size_t>(past), "call"));
    const book b(customers(ids), {}, {}, history);
    fixture f;
    for (int c = 0; c < n; ++c) {
      f.manager.push_back(static_cast<index_t>(random() % static_cast<unsigned>(managers + 1)) - 1);
      f.tier.push_back(static_cast<index_t>(random() % 2));
      f.stages.push_back(static_cast<stage>(random() % stage_count));
      f.cap.push_back(static_cast<std::int32_t>(random() % 4) - 1);
    }
    for (int m = 0; m < managers; ++m) f.budget.push_back(static_cast<double>(random() % 400));
    campaign_table campaigns;
    const int sent = static_cast<int>(random() % 30);
    campaigns.customer.resize(sent);
    campaigns.day.resize(sent);
    for (int k = 0; k < sent; ++k) {
      campaigns.customer[k] = static_cast<std::int32_t>(random() % static_cast<unsigned>(n));
      campaigns.day[k] = monday - 10 + static_cast<std::int32_t>(random() % 50);
    }
    const alert_table a = alerts_for({0}, {alert_kind::declining}, {4.2});
    contact_inputs in = f.inputs();
    in.campaigns = &campaigns;
    in.alerts = &a;
    const int days = 7 + static_cast<int>(random() % 28);
    const contact_plan plan = plan_contacts(b, in, monday, days, p);

    // Budgets: the horizon's share of each manager's, and no unmet-for-time want that fits.
    std::vector<double> used(static_cast<std::size_t>(managers), 0.0);
    std::vector<std::vector<day_t>> contacts(static_cast<std::size_t>(n));
    for (Eigen::Index k = 0; k < history.customer.size(); ++k) {
      if (history.proactive[k]) contacts[static_cast<std::size_t>(history.customer[k])].push_back(history.day[k]);
    }
    for (Eigen::Index k = 0; k < campaigns.customer.size(); ++k)
      contacts[static_cast<std::size_t>(campaigns.customer[k])].push_back(campaigns.day[k]);
    std::vector<int> planned(static_cast<std::size_t>(n), 0);
    for (std::size_t k = 0; k < plan.contacts.customer.size(); ++k) {
      const auto c = static_cast<std::size_t>(plan.contacts.customer[k]);
      EXPECT_EQ(plan.contacts.manager[k], f.manager[c]);
      used[static_cast<std::size_t>(plan.contacts.manager[k])] += plan.contacts.minutes[k];
      EXPECT_GE(plan.contacts.day[k], monday);
      EXPECT_LT(plan.contacts.day[k], monday + days);
      contacts[c].push_back(plan.contacts.day[k]);
      ++planned[c];
    }
    for (int m = 0; m < managers; ++m) {
      EXPECT_LE(used[static_cast<std::size_t>(m)], f.budget[static_cast<std::size_t>(m)] * days / 28 + 1e-9);
      EXPECT_DOUBLE_EQ(used[static_cast<std::size_t>(m)], plan.managers.planned[static_cast<std::size_t>(m)]);
    }
    for (std::size_t k = 0; k < plan.unmet.customer.size(); ++k) {
      if (plan.unmet.reason[k] != unmet_reason::time_budget) continue;
      const auto m = static_cast<std::size_t>(plan.unmet.manager[k]);
      EXPECT_GT(used[m] + plan.unmet.minutes[k], f.budget[m] * days / 28 + 1e-9);
    }
    // Caps: in every window of 28 days that holds a planned contact (the past and the
    // campaigns are given: only windows the plan adds to are the plan's doing).
    for (int c = 0; c < n; ++c) {
      auto& all = contacts[static_cast<std::size_t>(c)];
      std::sort(all.begin(), all.end());
      const int cap = f.cap[static_cast<std::size_t>(c)] < 0 ? p.max_contacts : f.cap[static_cast<std::size_t>(c)];
      for (std::size_t k = 0; k < plan.contacts.customer.size(); ++k) {
        if (plan.contacts.customer[k] != c) continue;
        const day_t d = plan.contacts.day[k];
        for (day_t from = d - 27; from <= d; ++from) {
          const auto inside =
              std::count_if(all.begin(), all.end(), [&](day_t x) { return x >= from && x < from + 28; });
          EXPECT_LE(inside, cap) << "customer " << c << " window from " << from;
        }
      }
      const auto cu = static_cast<std::size_t>(c);
      EXPECT_EQ(plan.customers.planned[cu], planned[cu]);
      const auto missed = std::count(plan.unmet.customer.begin(), plan.unmet.customer.end(), c);
      EXPECT_EQ(plan.customers.wanted[cu], planned[cu] + missed);
    }
  }
}

TEST(contact_plan_test, bad_input_is_named) {
  const book b(customers({"a", "b"}));
  fixture f{{0, 3}, {0, 0}, {stage::contactar, stage::contactar}, {100}, {}};
  EXPECT_THROW_MSG((void)plan_contacts(b, f.inputs(), monday, 14, small_policy()), unknown_id,
                   "customers.manager row 1 (value 3): no such manager");
  f.manager = {0, 0};
  f.tier = {0, 2};
  EXPECT_THROW_MSG((void)plan_contacts(b, f.inputs(), monday, 14, small_policy()), invalid_input,
                   "customers.tier row 1 (value 2): no such tier in the contact policy");
  f.tier = {0, 0};
  f.budget = {-5};
  EXPECT_THROW_MSG((void)plan_contacts(b, f.inputs(), monday, 14, small_policy()), invalid_input,
                   "managers.time_budget row 0 (value -5): minutes per period must be finite and >= 0");
  f.budget = {100};
  f.stages = {stage::contactar};
  EXPECT_THROW_MSG((void)plan_contacts(b, f.inputs(), monday, 14, small_policy()), invalid_input,
                   "contact_inputs.stage (value 1 rows): must have one row per customer (2)");
  contact_policy p = small_policy();
  p.cadence[3].mix = {0.5, 0.4};
  f.stages = {stage::contactar, stage::contactar};
  EXPECT_THROW_MSG((void)plan_contacts(b, f.inputs(), monday, 14, p), invalid_input,
                   "contact_policy.cadence[low, intimar].mix (value 0.9): shares must sum to 1");
  EXPECT_THROW_MSG((void)plan_contacts(b, f.inputs(), monday, 0, small_policy()), invalid_input,
                   "contact_plan.days (value 0): must be >= 1");
}

TEST(team_sizing_test, by_hand) {
  // Workloads: high = 2 calls × 15 = 30 minutes a period, low = 1 call = 15.
  const std::vector<index_t> tier = {1, 1, 1, 0, 0, 0, 0, 0};
  const std::vector<stage> stages(8, stage::contactar);
  const team_sizing t = size_team(tier, stages, small_policy(), 60, 3);
  EXPECT_EQ(t.customers, (std::vector<std::int64_t>{5, 3}));
  EXPECT_DOUBLE_EQ(t.minutes_per_customer[1], 30.0);
  EXPECT_DOUBLE_EQ(t.total_minutes, 165.0);
  EXPECT_EQ(t.largest_portfolio, (std::vector<std::int64_t>{3, 2}));  // low: 60 / 15 = 4, capped at 3
  EXPECT_EQ(t.managers_by_time, 3);                                   // 165 / 60
  EXPECT_EQ(t.managers_by_capacity, 3);                               // 8 / 3
  EXPECT_EQ(t.managers_needed, 3);
  EXPECT_DOUBLE_EQ(t.customer_coverage, 1.0);
  // One manager: 60 minutes serve the 2 high customers in full (60), nobody else.
  const team_sizing one = size_team(tier, stages, small_policy(), 60, 3, 1);
  EXPECT_EQ(one.team, 1);
  EXPECT_DOUBLE_EQ(one.coverage[1], 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(one.coverage[0], 0.0);
  EXPECT_DOUBLE_EQ(one.customer_coverage, 2.0 / 8.0);
  EXPECT_DOUBLE_EQ(one.minute_coverage, 60.0 / 165.0);
}

TEST(team_sizing_test, default_policy_numbers) {
  // Premium at intimar takes 2 × (0.5 × 90 + 0.25 × 30 + 0.25 × 15) = 112.5 minutes.
  const contact_policy p;
  EXPECT_DOUBLE_EQ(p.workload(2, stage::intimar), 112.5);
  const team_sizing t = size_team(std::vector<index_t>{2}, std::vector<stage>{stage::intimar}, p, 4800);
  EXPECT_EQ(t.largest_portfolio[2], 42);  // 4800 / 112.5
}

}  // namespace
}  // namespace cartera
