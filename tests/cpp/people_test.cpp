#include "cartera/people.hpp"

#include "cartera/stages.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

const day_t as_of = make_day(2025, 12, 31);

// a: Ana (finance, checked 2025-06-01) and Luis (systems, checked 2022-01-01); every
// interaction of the year with Ana. b: Eva (finance, never checked), two interactions. c:
// nobody. m0 is in systems, m1 in finance.
book people_book() {
  manager_table m = managers({"m0", "m1"});
  m.area = labels({"systems", "finance"});
  interaction_table in;
  in.customer = ints({0, 0, 0, 1, 1});
  in.day = ints({as_of - 100, as_of - 50, as_of - 10, as_of - 30, as_of - 20});
  in.channel = labels({"call", "call", "visit", "call", "call"});
  in.person = labels({"Ana", "Ana", "Ana", "Eva", "Eva"});
  people_table p;
  p.customer = ints({0, 0, 1});
  p.person = labels({"Ana", "Luis", "Eva"});
  p.area = labels({"finance", "systems", "finance"});
  p.updated = ints({make_day(2025, 6, 1), make_day(2022, 1, 1), no_day});
  return book(customers({"a", "b", "c"}), std::move(m), {}, std::move(in), {}, {}, {}, {}, std::move(p));
}

TEST(people_test, findings_by_hand) {
  const book b = people_book();
  // Kept by customer, then the day checked: Luis (2022), Ana (2025), Eva (never: first of b's).
  ASSERT_EQ(b.people().person.categories[static_cast<std::size_t>(b.people().person.codes[0])], "Luis");
  const std::vector<std::uint8_t> valuable = {1, 1, 0};
  const people_findings f = find_people_issues(b, as_of, valuable);
  EXPECT_EQ(f.customer, (std::vector<index_t>{0, 0, 1, 1}));
  EXPECT_EQ(f.finding, (std::vector<people_finding>{people_finding::single_threaded, people_finding::stale_person,
                                                    people_finding::few_people, people_finding::stale_person}));
  EXPECT_EQ(f.person, (std::vector<std::int64_t>{1, 0, -1, 2}));
  EXPECT_EQ(f.reason[0], "all 3 interactions of the last 365 days with Ana");
  EXPECT_EQ(f.reason[1], "Luis: not checked since 2022-01-01");
  EXPECT_EQ(f.reason[2], "1 named person, at least 2 wanted");
  EXPECT_EQ(f.reason[3], "Eva: never checked");
}

TEST(people_test, the_policy_moves_the_limits) {
  const book b = people_book();
  people_policy p;
  p.min_interactions = 2;  // b's two with Eva are single-threaded too
  p.stale_days = 2000;     // Luis was checked under 2000 days ago
  p.min_people = 1;
  const people_findings f = find_people_issues(b, as_of, {}, p);
  // c, valuable now (no flags given), has nobody.
  EXPECT_EQ(f.customer, (std::vector<index_t>{0, 1, 1, 2}));
  EXPECT_EQ(f.finding, (std::vector<people_finding>{people_finding::single_threaded, people_finding::single_threaded,
                                                    people_finding::stale_person, people_finding::few_people}));
  EXPECT_TRUE(find_people_issues(book(customers({"x"})), as_of).customer.empty());  // no people table
}

TEST(people_test, the_right_person_for_each_planned_contact) {
  const book b = people_book();
  planned_contacts plan;
  plan.manager = {0, 1, 0, 1};
  plan.customer = {0, 0, 1, 2};
  plan.day = std::vector<day_t>(4, as_of + 1);
  // m0 (systems) with a: Luis; m1 (finance) with a: Ana; m0 with b: nobody in systems, Eva;
  // c has nobody named.
  EXPECT_EQ(pair_people(b, plan), (std::vector<std::int64_t>{0, 1, 2, -1}));
}

TEST(people_test, breadth_counts_their_people_and_our_areas) {
  const book b = people_book();
  const stage_table s = evaluate_stages(b, as_of);
  // a: one person of theirs (Ana), no product, no manager, no area named: breadth 1.
  EXPECT_DOUBLE_EQ(s.values[static_cast<std::size_t>(criterion::breadth)][0], 1.0);
}

}  // namespace
}  // namespace cartera
