#include "cartera/rules.hpp"

#include <random>

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

column_set sample() {
  column_set c(4);
  c.add("margin", reals({10, -5, 0, std::numeric_limits<double>::quiet_NaN()}));
  c.add("products", reals({3, 4, 1, 5}));
  c.add("declining", reals({0, 1, 0, 1}));
  c.add("tier", labels({"Premium", "Medio", "", "Premium"}));
  c.add("segment", labels({"Premium", "Champions", "Lost", ""}));
  return c;
}

std::vector<int> rows_of(std::string_view text) {
  const flag_column f = condition(text).evaluate(sample());
  return {f.begin(), f.end()};
}

TEST(rules_test, compares_numbers_and_combines_conditions) {
  EXPECT_EQ(rows_of("margin > 0 and products >= 3"), (std::vector<int>{1, 0, 0, 0}));
  EXPECT_EQ(rows_of("margin <= 0 or products == 5"), (std::vector<int>{0, 1, 1, 1}));
  EXPECT_EQ(rows_of("not declining"), (std::vector<int>{1, 0, 1, 0}));
  EXPECT_EQ(rows_of("not (margin > 0 or declining)"), (std::vector<int>{0, 0, 1, 0}));
  EXPECT_EQ(rows_of("margin != 10"), (std::vector<int>{0, 1, 1, 0}));  // NaN compares false
  EXPECT_EQ(rows_of("products > 2.5e0 and .5 < 1"), (std::vector<int>{1, 1, 0, 1}));
  EXPECT_EQ(rows_of("true and not false"), (std::vector<int>{1, 1, 1, 1}));
  EXPECT_EQ(rows_of("declining == true"), (std::vector<int>{0, 1, 0, 1}));  // flags arrive as 0/1 numbers
}

TEST(rules_test, and_binds_tighter_than_or) {
  EXPECT_EQ(rows_of("products == 1 or products == 3 and margin > 0"), (std::vector<int>{1, 0, 1, 0}));
  EXPECT_EQ(rows_of("(products == 1 or products == 3) and margin > 0"), (std::vector<int>{1, 0, 0, 0}));
}

TEST(rules_test, compares_labels_with_strings_and_with_labels) {
  EXPECT_EQ(rows_of("tier == \"Premium\""), (std::vector<int>{1, 0, 0, 1}));
  EXPECT_EQ(rows_of("tier != 'Premium'"), (std::vector<int>{0, 1, 1, 0}));  // a missing tier is not Premium
  EXPECT_EQ(rows_of("tier == segment"), (std::vector<int>{1, 0, 0, 0}));
  EXPECT_EQ(rows_of("'a' == \"a\""), (std::vector<int>{1, 1, 1, 1}));
  EXPECT_EQ(rows_of("tier == 'Gold'"), (std::vector<int>{0, 0, 0, 0}));
}

TEST(rules_test, syntax_errors_point_at_the_position) {
  EXPECT_THROW_MSG(
      condition("margin > and x"), invalid_input,
      "rule \"margin > and x\": position 10: expected a number, a string, a column or \"(\", found \"and\"");
  EXPECT_THROW_MSG(condition("(margin > 0"), invalid_input,
                   "rule \"(margin > 0\": position 12: expected \")\", found the end");
  EXPECT_THROW_MSG(condition("margin = 0"), invalid_input,
                   "rule \"margin = 0\": position 8: unexpected \"=\"; compare with \"==\"");
  EXPECT_THROW_MSG(condition("tier == 'Premium"), invalid_input,
                   "rule \"tier == 'Premium\": position 9: string not closed");
  EXPECT_THROW_MSG(condition("margin > 0 margin"), invalid_input,
                   "rule \"margin > 0 margin\": position 12: expected \"and\", \"or\" or the end, found \"margin\"");
  EXPECT_THROW_MSG(condition("a $ b"), invalid_input, "rule \"a $ b\": position 3: unexpected character \"$\"");
  EXPECT_THROW_MSG(condition("3x > 1"), invalid_input, "rule \"3x > 1\": position 1: not a number: \"3x\"");
  EXPECT_THROW(condition(""), invalid_input);
}

TEST(rules_test, evaluation_errors_name_the_columns_and_types) {
  EXPECT_THROW_MSG(
      (void)condition("marg > 0").evaluate(sample()), invalid_input,
      "rule \"marg > 0\": position 1: unknown column \"marg\"; the columns are margin, products, declining, "
      "tier, segment");
  EXPECT_THROW_MSG((void)condition("tier > 'A'").evaluate(sample()), invalid_input,
                   "rule \"tier > 'A'\": position 6: labels compare only with == or !=");
  EXPECT_THROW_MSG((void)condition("tier == 3").evaluate(sample()), invalid_input,
                   "rule \"tier == 3\": position 6: cannot compare a label with a number");
  EXPECT_THROW_MSG((void)condition("tier").evaluate(sample()), invalid_input,
                   "rule \"tier\": position 1: a label is not a condition; compare it with == or !=");
}

TEST(rules_test, lists_the_columns_it_reads) {
  EXPECT_EQ(condition("a > 1 and (b == 'x' or a < 3)").columns(), (std::vector<std::string>{"a", "b"}));
}

TEST(rules_test, the_first_matching_rule_wins) {
  const std::vector<rule> rules = {
      {"VIP", "tier == 'Premium' and margin > 0"}, {"Watch", "declining"}, {"VIP", "products >= 5"}};
  const rule_labels r = apply_rules(rules, "Other", sample());
  EXPECT_EQ(r.label.categories, (std::vector<std::string>{"VIP", "Watch", "Other"}));
  EXPECT_EQ((std::vector<int>{r.label.codes.begin(), r.label.codes.end()}), (std::vector<int>{0, 1, 2, 1}));
  EXPECT_EQ((std::vector<int>{r.rule.begin(), r.rule.end()}), (std::vector<int>{0, 1, -1, 1}));
  const std::vector<rule> broken = {{"VIP", "tier == 'Premium'"}, {"Bad", "x >"}};
  EXPECT_THROW_MSG(
      (void)apply_rules(broken, "Other", sample()), invalid_input,
      "rules.1 (value 'Bad'): rule \"x >\": position 4: expected a number, a string, a column or \"(\", found the end");
}

// Random text from the language's own pieces and from stray characters: parsing and
// evaluating either work or throw invalid_input, never anything else (the sanitizer build
// runs this too).
TEST(rules_test, random_text_never_crashes) {
  const std::vector<std::string> pieces = {"margin", "tier",  "products",  "declining", "and",  "or",    "not",  "(",
                                           ")",      "==",    "!=",        "<",         "<=",   ">",     ">=",   "1",
                                           "2.5",    "-3",    "'Premium'", "\"x",       "true", "false", "=",    "$",
                                           " ",      "1e400", ".",         "'",         "\\",   "nan",   "((((("};
  std::mt19937 random(20261123);
  int parsed = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    const int length = static_cast<int>(random() % 12);
    for (int k = 0; k < length; ++k) {
      if (random() % 10 == 0) {
        text += static_cast<char>(random() % 256);
      } else {
        text += pieces[random() % pieces.size()];
        text += ' ';
      }
    }
    try {
      const condition c(text);
      ++parsed;
      (void)c.evaluate(sample());
    } catch (const invalid_input&) {
    }
  }
  EXPECT_GT(parsed, 100);
  EXPECT_THROW(condition(std::string(1000, '(') + "1"), invalid_input);  // too deep, not a stack overflow
}

}  // namespace
}  // namespace cartera
