#include "cartera/stages.hpp"

#include <functional>

#include "cartera/synthetic.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

// A one-customer book written event by event.
struct story {
  struct contact {
    day_t day;
    bool two_way = true;
    bool relational = true;
    index_t manager = 0;
  };
  struct purchase {
    day_t day;
    index_t product = 0;
    bool proactive = false;
  };
  std::vector<contact> contacts;
  std::vector<purchase> purchases;
  std::vector<std::pair<day_t, day_t>> complaints;  // opened, resolved (no_day if open)
  std::vector<day_t> referrals;
  day_t since = no_day;
  double profile = 1.0;
  std::uint8_t reachable = 1;

  [[nodiscard]] book make() const {
    auto people = customers({"ana", "luis"});
    people.since = ints({since, no_day});
    people.profile = reals({profile, 0});
    people.reachable = flags({reachable, 1});
    interaction_table in;
    const auto n = static_cast<Eigen::Index>(contacts.size());
    in.customer = int_column::Zero(n);
    in.manager.resize(n);
    in.day.resize(n);
    in.channel = {{"call"}, int_column::Zero(n)};
    in.two_way.resize(n);
    in.relational.resize(n);
    for (Eigen::Index k = 0; k < n; ++k) {
      const auto& c = contacts[static_cast<std::size_t>(k)];
      in.manager[k] = c.manager;
      in.day[k] = c.day;
      in.two_way[k] = c.two_way;
      in.relational[k] = c.relational;
    }
    transaction_table tx;
    const auto p = static_cast<Eigen::Index>(purchases.size());
    tx.customer = int_column::Zero(p);
    tx.day.resize(p);
    tx.amount = real_column::Ones(p);
    tx.product = {{"cards", "loans", "funds"}, int_column(p)};
    tx.proactive.resize(p);
    for (Eigen::Index k = 0; k < p; ++k) {
      const auto& b = purchases[static_cast<std::size_t>(k)];
      tx.day[k] = b.day;
      tx.product.codes[k] = b.product;
      tx.proactive[k] = b.proactive;
    }
    complaint_table co;
    const auto q = static_cast<Eigen::Index>(complaints.size());
    co.customer = int_column::Zero(q);
    co.opened.resize(q);
    co.resolved.resize(q);
    for (Eigen::Index k = 0; k < q; ++k) {
      co.opened[k] = complaints[static_cast<std::size_t>(k)].first;
      co.resolved[k] = complaints[static_cast<std::size_t>(k)].second;
    }
    referral_table re;
    const auto r = static_cast<Eigen::Index>(referrals.size());
    re.referrer = int_column::Zero(r);
    re.referred = int_column::Ones(r);
    re.day.resize(r);
    for (Eigen::Index k = 0; k < r; ++k) re.day[k] = referrals[static_cast<std::size_t>(k)];
    return book(std::move(people), managers({"m1", "m2"}), std::move(tx), std::move(in), std::move(co), std::move(re));
  }
};

// A policy small enough to write cases by hand: window 100 days, no hysteresis.
stage_policy small_policy() {
  stage_policy p;
  p.window_days = 100;
  p.grace_days = 1;
  p.contactar.min_contacts = 1;
  p.relacionar.min_two_way = 2;
  p.relacionar.min_two_way_share = 0.5;
  p.intimar.min_relational = 2;
  p.intimar.min_profile = 0.5;
  p.intimar.min_breadth = 2;
  p.intimar.max_gap_days = 30;
  p.confiar.min_tenure_days = 200;
  p.confiar.min_unprompted = 2;
  p.confiar.min_trust_signals = 1;
  p.confiar.max_open_complaint_days = 10;
  return p;
}

struct verdict {
  stage current;
  stage reached;
  criterion blocking;
  double value;
};

verdict judge(const story& s, day_t day, const stage_policy& p = small_policy()) {
  const stage_table t = evaluate_stages(s.make(), day, p);
  const criterion b = t.blocking[0];
  return {t.current[0], t.reached[0], b, t.values[static_cast<std::size_t>(b)][0]};
}

// A customer who satisfies every criterion on day 1000.
story trusted() {
  story s;
  s.since = 700;
  s.contacts = {{950}, {975, true, true, 1}, {1000}};
  s.purchases = {{960, 0}, {990, 1}};
  s.referrals = {980};
  return s;
}

TEST(stages_test, customers_without_contacts_stand_below_the_ladder) {
  story s;
  s.purchases = {{990}};
  const verdict v = judge(s, 1000);
  EXPECT_EQ(v.current, stage::sin_contacto);
  EXPECT_EQ(v.blocking, criterion::contacts);
  EXPECT_EQ(v.value, 0);
}

TEST(stages_test, a_trusted_customer_reaches_confiar) {
  const verdict v = judge(trusted(), 1000);
  EXPECT_EQ(v.current, stage::confiar);
  EXPECT_EQ(v.blocking, criterion::none);
}

TEST(stages_test, contactar_needs_a_reachable_customer) {
  story s = trusted();
  s.reachable = 0;
  EXPECT_EQ(judge(s, 1000).blocking, criterion::reachable);
  stage_policy p = small_policy();
  p.contactar.require_reachable = false;
  EXPECT_EQ(judge(s, 1000, p).current, stage::confiar);
}

TEST(stages_test, the_window_excludes_its_first_day_and_includes_the_last) {
  story s;
  s.contacts = {{900, false}};
  EXPECT_EQ(judge(s, 999).current, stage::contactar);      // 900 is in (899, 999]
  EXPECT_EQ(judge(s, 1000).current, stage::sin_contacto);  // 900 is not in (900, 1000]
  EXPECT_EQ(judge(s, 900).current, stage::contactar);
  EXPECT_EQ(judge(s, 899).current, stage::sin_contacto);  // not yet happened
}

TEST(stages_test, relacionar_counts_two_way_contacts_and_their_share) {
  story s;
  s.contacts = {{990, true}, {992, false}, {995, true}, {996, false}};
  verdict v = judge(s, 1000);
  EXPECT_EQ(v.current, stage::relacionar);  // 2 of 4 two-way: exactly the 0.5 share
  s.contacts.push_back({997, false});
  v = judge(s, 1000);
  EXPECT_EQ(v.current, stage::contactar);
  EXPECT_EQ(v.blocking, criterion::two_way_share);
  EXPECT_DOUBLE_EQ(v.value, 0.4);
  s.contacts = {{990, true}, {992, false}};
  v = judge(s, 1000);
  EXPECT_EQ(v.blocking, criterion::two_way);
  EXPECT_EQ(v.value, 1);
}

TEST(stages_test, intimar_needs_relational_contacts_profile_breadth_and_continuity) {
  story s = trusted();
  s.contacts[1].relational = false;
  s.contacts[2].relational = false;
  verdict v = judge(s, 1000);
  EXPECT_EQ(v.current, stage::relacionar);
  EXPECT_EQ(v.blocking, criterion::relational);
  EXPECT_EQ(v.value, 1);

  s = trusted();
  s.profile = 0.49;
  v = judge(s, 1000);
  EXPECT_EQ(v.blocking, criterion::profile);
  s.profile = 0.5;
  EXPECT_EQ(judge(s, 1000).current, stage::confiar);

  // Breadth: products bought + managers in contact. One product and one manager: 2.
  stage_policy broad = small_policy();
  broad.intimar.min_breadth = 3;
  s = trusted();
  s.purchases = {{960, 0}, {990, 0}};
  s.contacts[1].manager = 0;
  v = judge(s, 1000, broad);
  EXPECT_EQ(v.blocking, criterion::breadth);
  EXPECT_EQ(v.value, 2);
  s.contacts[1].manager = 1;
  EXPECT_EQ(judge(s, 1000, broad).current, stage::confiar);
}

TEST(stages_test, continuity_fails_on_a_gap_longer_than_allowed_including_the_last_one) {
  story s = trusted();
  s.contacts = {{940, true, true, 1}, {970}, {1000}};  // gaps of exactly 30
  EXPECT_EQ(judge(s, 1000).current, stage::confiar);
  s.contacts = {{939, true, true, 1}, {970}, {1000}};  // a gap of 31
  verdict v = judge(s, 1000);
  EXPECT_EQ(v.blocking, criterion::continuity);
  EXPECT_EQ(v.value, 31);
  // The conversation stopped: the last contact was 31 days ago.
  s.contacts = {{940, true, true, 1}, {955}, {969}};
  v = judge(s, 1000);
  EXPECT_EQ(v.blocking, criterion::continuity);
  EXPECT_EQ(v.value, 31);
}

TEST(stages_test, confiar_needs_tenure_unprompted_purchases_trust_and_no_old_open_complaint) {
  story s = trusted();
  s.since = 801;  // 199 days
  verdict v = judge(s, 1000);
  EXPECT_EQ(v.current, stage::intimar);
  EXPECT_EQ(v.blocking, criterion::tenure);
  EXPECT_EQ(v.value, 199);
  s.since = 800;
  EXPECT_EQ(judge(s, 1000).current, stage::confiar);

  s = trusted();
  s.purchases[1].proactive = true;  // we pushed that sale
  v = judge(s, 1000);
  EXPECT_EQ(v.blocking, criterion::unprompted);
  EXPECT_EQ(v.value, 1);

  s = trusted();
  s.referrals = {};
  EXPECT_EQ(judge(s, 1000).blocking, criterion::trust_signals);
  s.complaints = {{970, 975}};  // bought again (990) after complaining: stayed through a problem
  EXPECT_EQ(judge(s, 1000).current, stage::confiar);

  s = trusted();
  s.complaints = {{990, no_day}};  // open for exactly 10 days
  EXPECT_EQ(judge(s, 1000).current, stage::confiar);
  s.complaints = {{989, no_day}};
  v = judge(s, 1000);
  EXPECT_EQ(v.blocking, criterion::open_complaint);
  EXPECT_EQ(v.value, 11);
  s.complaints = {{989, 999}};  // resolved
  EXPECT_EQ(judge(s, 1000).current, stage::confiar);
}

TEST(stages_test, no_skipping_a_customer_failing_relacionar_stays_at_contactar) {
  story s = trusted();
  for (auto& c : s.contacts) c.two_way = false;
  const verdict v = judge(s, 1000);
  EXPECT_EQ(v.current, stage::contactar);
  EXPECT_EQ(v.blocking, criterion::two_way);
}

TEST(stages_test, demotion_waits_for_the_grace_period) {
  story s;
  s.contacts = {{900}, {910}};  // relacionar until the first leaves the window on day 1000
  stage_policy p = small_policy();
  p.grace_days = 20;
  verdict v = judge(s, 999, p);
  EXPECT_EQ(v.current, stage::relacionar);
  v = judge(s, 1000, p);  // criteria fail from day 1000 on
  EXPECT_EQ(v.reached, stage::contactar);
  EXPECT_EQ(v.current, stage::relacionar);
  EXPECT_EQ(judge(s, 1018, p).current, stage::relacionar);  // 19 days failing
  EXPECT_EQ(judge(s, 1019, p).current, stage::contactar);   // 20 days failing: demoted
  EXPECT_EQ(judge(s, 1009, p).current, stage::relacionar);
  EXPECT_EQ(judge(s, 1100, p).current, stage::sin_contacto);
}

TEST(stages_test, promotion_is_immediate) {
  story s;
  s.contacts = {{900, false}, {950}, {960}};
  stage_policy p = small_policy();
  p.grace_days = 60;
  EXPECT_EQ(judge(s, 959, p).current, stage::contactar);
  EXPECT_EQ(judge(s, 960, p).current, stage::relacionar);
}

TEST(stages_test, the_current_manager_relationship_counts_only_their_contacts) {
  story s = trusted();
  book b = s.make();
  // Customer ana has no current manager in this book: below the ladder with them.
  stage_table t = evaluate_stages(b, 1000, small_policy(), relationship::current_manager);
  EXPECT_EQ(t.current[0], stage::sin_contacto);
  EXPECT_EQ(t.blocking[0], criterion::contacts);
  // Pairs: ana with m1 has two contacts (950, 1000), ana with m2 one (975).
  const std::vector<index_t> who = {0, 0};
  const std::vector<index_t> with = {0, 1};
  t = evaluate_pair_stages(b, who, with, 1000, small_policy());
  EXPECT_EQ(t.values[static_cast<std::size_t>(criterion::contacts)][0], 2);
  EXPECT_EQ(t.values[static_cast<std::size_t>(criterion::contacts)][1], 1);
  EXPECT_EQ(t.current[1], stage::contactar);  // one two-way contact is not a relationship
  const auto pairs = interaction_pairs(b, 1000);
  EXPECT_EQ(pairs.first, who);
  EXPECT_EQ(pairs.second, with);
  EXPECT_THROW((void)evaluate_pair_stages(b, who, std::vector<index_t>{0, 5}, 1000, small_policy()), unknown_id);
}

TEST(stages_test, the_reason_says_what_held_and_what_failed) {
  story s = trusted();
  s.since = 900;
  const stage_table t = evaluate_stages(s.make(), 1000, small_policy());
  EXPECT_EQ(describe(t, 0, small_policy()),
            "intimar: relational contacts 3 >= 2, profile completeness 1 >= 0.50, breadth (products + people + "
            "managers + areas) 4 >= 2, "
            "longest gap between contacts (days) 25 <= 30; to reach confiar: tenure (days) 100 of 200");
}

TEST(stages_test, short_reasons_are_shared_between_rows_alike) {
  story s;
  s.contacts = {{990, true}, {992, false}};
  const book b = s.make();  // ana: one two-way contact; luis: none
  const std::vector<index_t> rows = {0, 1, 0};
  const stage_table t = evaluate_stages(b, rows, 1000, small_policy());
  const categorical reasons = summarize_reasons(t, small_policy());
  EXPECT_EQ(reasons.categories, (std::vector<std::string>{"contactar; to reach relacionar: two-way contacts 1 of 2",
                                                          "sin_contacto; to reach contactar: contacts 0 of 1"}));
  EXPECT_EQ(reasons.codes[0], 0);
  EXPECT_EQ(reasons.codes[1], 1);
  EXPECT_EQ(reasons.codes[2], 0);
  stage_policy held = small_policy();
  held.grace_days = 30;
  const stage_table kept = evaluate_stages(b, 1100, held);  // the last contact left the window on day 1092
  EXPECT_EQ(summarize_reasons(kept, held).categories[0],
            "contactar (kept: the criteria give sin_contacto); to reach contactar: contacts 0 of 1");
}

TEST(stages_test, rejects_a_bad_policy) {
  stage_policy p;
  p.relacionar.min_two_way_share = 1.5;
  EXPECT_THROW_MSG((void)evaluate_stages(trusted().make(), 1000, p), invalid_input,
                   "stage_policy.relacionar.min_two_way_share (value 1.5): must be in [0, 1]");
}

// The stage with hysteresis is the highest stage the criteria gave on any day of the grace
// period: checked day by day against the evaluation that only visits the days that matter.
TEST(stages_test, hysteresis_matches_a_day_by_day_brute_force) {
  synthetic_options options;
  options.customers = 3000;
  options.managers = 30;
  options.interactions_per_customer = 30;
  const book b = synthetic_book(options);
  stage_policy p;
  p.grace_days = 45;
  stage_policy no_grace = p;
  no_grace.grace_days = 1;
  const day_t as_of = options.end - 100;
  const stage_table fast = evaluate_stages(b, as_of, p);
  std::vector<stage> slow(3000, stage::sin_contacto);
  for (day_t day = as_of - p.grace_days + 1; day <= as_of; ++day) {
    const stage_table t = evaluate_stages(b, day, no_grace);
    for (std::size_t c = 0; c < slow.size(); ++c) slow[c] = std::max(slow[c], t.current[c]);
  }
  int held = 0;
  for (std::size_t c = 0; c < slow.size(); ++c) {
    ASSERT_EQ(fast.current[c], slow[c]) << "customer " << c;
    held += fast.current[c] != fast.reached[c];
  }
  EXPECT_GT(held, 10);  // the case is not vacuous
}

// Raising any threshold (lowering a maximum) never moves a customer up.
TEST(stages_test, stricter_criteria_never_promote) {
  synthetic_options options;
  options.customers = 4000;
  options.interactions_per_customer = 30;
  const book b = synthetic_book(options);
  const day_t as_of = options.end;
  const stage_policy base;
  const stage_table before = evaluate_stages(b, as_of, base);
  const std::vector<std::function<void(stage_policy&)>> stricter = {
      [](stage_policy& p) { p.contactar.min_contacts += 2; },
      [](stage_policy& p) { p.relacionar.min_two_way += 1; },
      [](stage_policy& p) { p.relacionar.min_two_way_share += 0.2; },
      [](stage_policy& p) { p.intimar.min_relational += 1; },
      [](stage_policy& p) { p.intimar.min_profile += 0.2; },
      [](stage_policy& p) { p.intimar.min_breadth += 1; },
      [](stage_policy& p) { p.intimar.max_gap_days -= 30; },
      [](stage_policy& p) { p.confiar.min_tenure_days += 200; },
      [](stage_policy& p) { p.confiar.min_unprompted += 1; },
      [](stage_policy& p) { p.confiar.min_trust_signals += 1; },
      [](stage_policy& p) { p.confiar.max_open_complaint_days -= 25; },
  };
  int moved = 0;
  for (const auto& tighten : stricter) {
    stage_policy p = base;
    tighten(p);
    const stage_table after = evaluate_stages(b, as_of, p);
    for (std::size_t c = 0; c < after.current.size(); ++c) {
      ASSERT_LE(after.current[c], before.current[c]) << c;
      moved += after.current[c] != before.current[c];
    }
  }
  EXPECT_GT(moved, 100);
  std::array<int, stage_count> counts{};
  for (const stage s : before.current) ++counts[static_cast<std::size_t>(s)];
  for (const int count : counts) EXPECT_GT(count, 0);  // every stage is populated
}

}  // namespace
}  // namespace cartera
