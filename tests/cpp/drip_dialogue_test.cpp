#include "cartera/drip_dialogue.hpp"

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

day_t on(int year, unsigned month, unsigned day) { return make_day(year, month, day); }

// a (tier 1) told us about the family in 2025 and the goals in 2023; b (tier 0) told us
// nothing. m0 is in sales, m1 in service.
book drip_book() {
  manager_table m = managers({"m0", "m1"});
  m.area = labels({"sales", "service"});
  profile_table p;
  p.customer = ints({0, 0});
  p.field = labels({"family", "goals"});
  p.learned = ints({on(2025, 1, 1), on(2023, 1, 1)});
  return book(customers({"a", "b"}), std::move(m), {}, {}, {}, {}, {}, std::move(p));
}

std::vector<drip_question> bank() {
  std::vector<drip_question> q(4);
  q[0] = {"goals", {1}, {}, 5, 365, {}};
  q[1] = {"family", {}, {}, 2, 730, {}};
  q[2] = {"other_providers", {}, {}, 4, 365, {"sales"}};
  q[3] = {"birthday", {}, {}, 1, 36500, {}};
  return q;
}

const std::vector<index_t> tiers = {1, 0};
const std::vector<stage> stages = {stage::relacionar, stage::contactar};

std::vector<std::vector<index_t>> asked(const contact_questions& q) {
  std::vector<std::vector<index_t>> out;
  for (std::size_t k = 0; k + 1 < q.offsets.size(); ++k) {
    out.emplace_back(q.question.begin() + q.offsets[k], q.question.begin() + q.offsets[k + 1]);
  }
  return out;
}

TEST(drip_dialogue_test, each_contact_asks_the_most_valuable_gaps_once_by_hand) {
  const book b = drip_book();
  planned_contacts plan;
  plan.manager = {1, 0, 0};
  plan.customer = {0, 0, 1};
  plan.day = {on(2026, 1, 5), on(2026, 1, 12), on(2026, 1, 6)};
  const auto q = bank();
  // a, by m1 (service): the goals (expired) and the birthday; other providers are for
  // sales; the family is known. a again, by m0 (sales): other providers, nothing asked
  // twice. b, by m0: other providers and the family (the goals do not suit tier 0).
  EXPECT_EQ(asked(choose_questions(b, plan, q, tiers, stages)),
            (std::vector<std::vector<index_t>>{{0, 3}, {2}, {2, 1}}));
  drip_policy one;
  one.questions_per_contact = 1;
  EXPECT_EQ(asked(choose_questions(b, plan, q, tiers, stages, one)),
            (std::vector<std::vector<index_t>>{{0}, {2}, {2}}));
}

TEST(drip_dialogue_test, an_answer_learned_after_the_contact_day_is_not_known_yet) {
  const book b = drip_book();
  planned_contacts plan;
  plan.manager = {0};
  plan.customer = {0};
  plan.day = {on(2024, 12, 1)};  // before the family was learned
  EXPECT_EQ(asked(choose_questions(b, plan, bank(), tiers, stages)), (std::vector<std::vector<index_t>>{{0, 2}}));
  plan.day = {on(2027, 6, 1)};  // the family's answer has expired by then
  drip_policy three;
  three.questions_per_contact = 3;
  EXPECT_EQ(asked(choose_questions(b, plan, bank(), tiers, stages, three)),
            (std::vector<std::vector<index_t>>{{0, 2, 1}}));
}

TEST(drip_dialogue_test, completeness_is_the_share_of_suited_questions_answered_and_valid) {
  const book b = drip_book();
  const std::vector<double> done = profile_completeness(b, on(2026, 1, 1), bank(), tiers, stages);
  EXPECT_DOUBLE_EQ(done[0], 0.25);  // the family, of four
  EXPECT_DOUBLE_EQ(done[1], 0.0);   // nothing, of three (the goals do not suit tier 0)
  EXPECT_DOUBLE_EQ(profile_completeness(b, on(2026, 1, 1), {}, tiers, stages)[0], 1.0);  // nothing to ask
}

TEST(drip_dialogue_test, bad_banks_and_tables_are_named) {
  const book b = drip_book();
  auto q = bank();
  q[1].valid_days = 0;
  EXPECT_THROW((void)profile_completeness(b, on(2026, 1, 1), q, tiers, stages), invalid_input);
  profile_table p;
  p.customer = ints({0});
  p.field = labels({"family"});
  p.learned = ints({on(2025, 1, 1)});
  p.by = ints({5});
  EXPECT_THROW(book(customers({"a"}), {}, {}, {}, {}, {}, {}, std::move(p)), unknown_id);
}

}  // namespace
}  // namespace cartera
