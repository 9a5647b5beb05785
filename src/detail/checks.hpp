#pragma once
// The checks every part of cartera makes of its inputs, in one place: each failure is an
// invalid_input naming the table (or the policy), the column (or the field), the row and
// the value, in cartera::error's one message format.

#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "cartera/error.hpp"
#include "detail/format.hpp"

namespace cartera::detail {

/// Throws invalid_input: `where` went wrong, for `problem`.
[[noreturn]] inline void fail(location where, const std::string& problem) {
  throw invalid_input(std::move(where), problem);
}

/// A policy's (or options') field held to its rule: throws naming the field and its value
/// unless `ok`.
inline void require(bool ok, std::string_view policy, std::string_view field, const std::string& value,
                    std::string_view rule) {
  if (!ok) fail({std::string(policy), std::string(field), -1, value}, std::string(rule));
}
inline void require(bool ok, std::string_view policy, std::string_view field, double value, std::string_view rule) {
  if (!ok) fail({std::string(policy), std::string(field), -1, format_number(value)}, std::string(rule));
}

/// The rules of one policy's fields: check(ok, field, value, rule) throws naming the policy,
/// the field and its value unless `ok`.
class policy_checks {
 public:
  explicit policy_checks(std::string_view policy) : policy_(policy) {}
  void operator()(bool ok, std::string_view field, double value, std::string_view rule) const {
    require(ok, policy_, field, value, rule);
  }
  void operator()(bool ok, std::string_view field, const std::string& value, std::string_view rule) const {
    require(ok, policy_, field, value, rule);
  }

 private:
  std::string_view policy_;
};

/// How a size is counted in messages: rows of a table, entries of an array.
enum class counted { rows, entries };

/// A column (or array) that holds one value per `per` must have `expected` of them; an
/// optional one may be empty (absent).
inline void check_size(std::string_view table, std::string_view column, std::size_t size, std::size_t expected,
                       std::string_view per, counted unit = counted::rows, bool optional = false) {
  if ((optional && size == 0) || size == expected) return;
  const bool rows = unit == counted::rows;
  fail({std::string(table), std::string(column), -1, std::to_string(size) + (rows ? " rows" : " entries")},
       std::string(rows ? "must have one row per " : "must hold one entry per ") + std::string(per) + " (" +
           std::to_string(expected) + ")");
}

/// What a column of numbers allows besides finite values >= 0.
struct number_rule {
  bool infinity = false;  ///< +inf allowed (an unlimited budget)
  bool negative = false;  ///< values below 0 allowed (coordinates)
};

/// Every value a number (NaN never) within `rule`; the first that is not is named by its row.
template <typename Values>
void check_numbers(std::string_view table, std::string_view column, const Values& values, number_rule rule = {}) {
  const auto problem = [&] {
    if (rule.negative) return std::string(rule.infinity ? "must be a number" : "must be finite");
    return std::string(rule.infinity ? "must be >= 0" : "must be finite and >= 0");
  };
  std::int64_t row = 0;
  for (const double v : values) {
    if (std::isnan(v) || (!rule.negative && v < 0) || (!rule.infinity && std::isinf(v))) {
      fail({std::string(table), std::string(column), row, format_number(v)}, problem());
    }
    ++row;
  }
}

/// Optional weights of rows (how many customers each stands for): none, or one per row,
/// each positive and finite.
template <typename Values>
void check_weights(std::string_view table, const Values& weights, std::size_t rows) {
  const auto size = static_cast<std::size_t>(std::size(weights));
  if (size != 0 && size != rows) {
    fail({std::string(table), "weight", -1, std::to_string(size) + " weights"},
         "must hold one weight per row (" + std::to_string(rows) + ")");
  }
  std::int64_t row = 0;
  for (const double w : weights) {
    if (!(std::isfinite(w) && w > 0))
      fail({std::string(table), "weight", row, format_number(w)}, "must be finite and > 0");
    ++row;
  }
}

/// Codes of at most 64 labels (-1: none), as bit masks hold them.
template <typename Values>
void check_codes(std::string_view table, std::string_view column, const Values& codes) {
  std::int64_t row = 0;
  for (const auto code : codes) {
    if (code < -1 || code > 63)
      fail({std::string(table), std::string(column), row, std::to_string(code)}, "must be -1 or a code in 0..63");
    ++row;
  }
}

}  // namespace cartera::detail
