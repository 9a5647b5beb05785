#pragma once
/// \file columns_set.hpp
/// Named per-customer columns, the input of segmentation and rules: numbers (flags as 0
/// and 1, missing as NaN) and labels (categorical).

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera {

class column_set {
 public:
  /// A column is either numbers or labels.
  using column = std::variant<real_column, categorical>;

  column_set() = default;
  explicit column_set(index_t rows) : rows_(rows) {}

  /// Adds (or replaces) a column; throws invalid_input when its length is not rows().
  void add(std::string name, column values);

  [[nodiscard]] index_t rows() const noexcept { return rows_; }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }

  /// The column of that name, or nullptr.
  [[nodiscard]] const column* find(std::string_view name) const;
  /// The numeric column of that name; throws invalid_input naming the columns there are
  /// when it is absent or holds labels.
  [[nodiscard]] const real_column& numbers(std::string_view name, std::string_view user) const;

  /// "a, b, c": the names, for error messages.
  [[nodiscard]] std::string listing() const;

 private:
  index_t rows_ = 0;
  std::vector<std::string> names_;
  std::vector<column> columns_;
};

}  // namespace cartera
