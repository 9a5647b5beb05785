#include "cartera/structure.hpp"

#include <cmath>

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

column_set columns(real_column providers, real_column peer) {
  column_set set(static_cast<index_t>(providers.size()));
  set.add("providers", std::move(providers));
  if (peer.size() > 0) set.add("peer_exchange", std::move(peer));
  return set;
}

std::vector<std::string_view> names(const structure_table& t) {
  std::vector<std::string_view> out;
  for (const auto s : t.structure) out.push_back(structure_name(s));
  return out;
}

std::string reason(const structure_table& t, std::size_t row) {
  return t.reason.categories[static_cast<std::size_t>(t.reason.codes[static_cast<Eigen::Index>(row)])];
}

TEST(structure_test, the_two_by_two_table_with_reasons) {
  const structure_table t = classify_structures(columns(reals({1, 1, 3, 2, 0}), reals({0, 1, 0, 1, 0})));
  EXPECT_EQ(names(t), (std::vector<std::string_view>{"interview", "group", "panel", "workbench", "interview"}));
  EXPECT_EQ(reason(t, 0), "1 provider < 2, private information");
  EXPECT_EQ(reason(t, 3), "2 providers ≥ 2, peer exchange valuable");
  EXPECT_EQ(reason(t, 4), "0 providers < 2, private information");
  EXPECT_EQ(t.reason.categories.size(), 5u);
}

TEST(structure_test, without_a_peer_column_information_is_private) {
  const structure_table t = classify_structures(columns(reals({1, 5}), {}));
  EXPECT_EQ(names(t), (std::vector<std::string_view>{"interview", "panel"}));
}

TEST(structure_test, rules_come_first_and_fall_back_to_the_table) {
  column_set set = columns(reals({1, 4, 1}), reals({0, 0, 1}));
  set.add("segment", labels({"Premium", "Premium", "Medio"}));
  structure_policy p;
  p.many_providers = 3;
  p.rules = {{"workbench", "segment == 'Premium' and providers >= 4"},
             {"interview", "peer_exchange and providers < 1"}};
  const structure_table t = classify_structures(set, p);
  EXPECT_EQ(names(t), (std::vector<std::string_view>{"interview", "workbench", "group"}));
  EXPECT_EQ(reason(t, 1), "rule 1: segment == 'Premium' and providers >= 4");
  EXPECT_EQ(reason(t, 2), "1 provider < 3, peer exchange valuable");
}

TEST(structure_test, counts_per_portfolio) {
  const structure_table t = classify_structures(columns(reals({1, 1, 3, 2}), reals({0, 1, 0, 1})));
  const std::vector<index_t> manager = {0, 1, 0, -1};
  const auto counts = count_structures(t.structure, manager, 2);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0], (structure_counts{1, 0, 1, 0}));
  EXPECT_EQ(counts[1], (structure_counts{0, 1, 0, 0}));
  EXPECT_EQ(counts[2], (structure_counts{0, 0, 0, 1}));
  EXPECT_THROW_MSG((void)count_structures(t.structure, std::vector<index_t>{0, 1, 2, 0}, 2), unknown_id,
                   "structure.manager row 2 (value 2): no such manager");
}

TEST(structure_test, bad_input_is_named) {
  EXPECT_THROW_MSG((void)classify_structures(columns(reals({1, NAN}), {})), invalid_input,
                   "structure.providers row 1 (value nan): must be a number >= 0");
  EXPECT_THROW_MSG((void)classify_structures(columns(reals({1, 2}), reals({0, NAN}))), invalid_input,
                   "structure.peer_exchange row 1 (value NaN): must be 0 or 1, not missing");
  column_set none(2);
  none.add("areas", reals({1, 2}));
  EXPECT_THROW(classify_structures(none), invalid_input);
  structure_policy p;
  p.rules = {{"village", "providers > 1"}};
  EXPECT_THROW_MSG(
      (void)classify_structures(columns(reals({1}), {}), p), invalid_input,
      "structure_policy.rules row 0 (value 'village'): a rule's label must be interview, group, panel or workbench");
}

}  // namespace
}  // namespace cartera
