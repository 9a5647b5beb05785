#pragma once
/// \file rules.hpp
/// A small, safe language of conditions over customer columns, and ordered rule lists.
///
///     margin > 0 and products >= 3
///     tier == "Premium" or value_rank <= 0.1
///     not declining
///
/// Grammar (lowest precedence first):
///     condition  := and_term ("or" and_term)*
///     and_term   := not_term ("and" not_term)*
///     not_term   := "not" not_term | comparison
///     comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand)?
///     operand    := number | string | "true" | "false" | column | "(" condition ")"
/// Numbers compare as numbers (NaN compares false), labels and strings with == and !=
/// (a missing label equals nothing), and a number standing alone means "is non-zero". Column
/// names are letters, digits, "_" and "."; strings are in single or double quotes. Nothing
/// can run but comparisons: no calls, no assignments.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cartera/columns_set.hpp"

namespace cartera {

namespace detail {
struct rule_node;
}

/// A parsed condition. Parsing checks the syntax; evaluation checks the columns and types.
class condition {
 public:
  /// Throws invalid_input: 'rule "x > and y": position 5: expected a value, found "and"'.
  explicit condition(std::string_view text);

  /// True or false for every row. Throws invalid_input for an unknown column (naming the
  /// columns there are) or a comparison of a number with a label.
  [[nodiscard]] flag_column evaluate(const column_set& columns) const;

  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  /// The columns the condition reads, in order of first mention.
  [[nodiscard]] std::vector<std::string> columns() const;

 private:
  std::string text_;
  std::shared_ptr<const detail::rule_node> root_;
};

/// One labelled condition of an ordered rule list.
struct rule {
  std::string label;
  std::string condition;
};

/// Rule labels per row: the first rule that matches wins; rows no rule matches get the
/// default label and rule -1.
struct rule_labels {
  categorical label;  ///< categories: the rules' distinct labels in order, then the default
  int_column rule;    ///< index of the matching rule, -1 for the default
};

/// Applies an ordered rule list. Errors name the rule by position and label.
[[nodiscard]] rule_labels apply_rules(std::span<const rule> rules, std::string_view default_label,
                                      const column_set& columns);

}  // namespace cartera
