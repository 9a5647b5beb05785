#pragma once
/// \file error.hpp
/// The exception hierarchy. Every error cartera throws derives from cartera::error and
/// says where it happened: the table, the column, the row and the offending value.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace cartera {

/// Where in the input a problem was found. Empty strings and row -1 mean "not applicable".
struct location {
  std::string table;
  std::string column;
  std::int64_t row = -1;
  std::string value;
};

/// Base of all cartera exceptions; derives from std::runtime_error.
class error : public std::runtime_error {
 public:
  error(location where, const std::string& problem)
      : std::runtime_error(format(where, problem)), where_(std::move(where)) {}

  /// The table, column, row and value the message is about.
  [[nodiscard]] const location& where() const noexcept { return where_; }

 private:
  static std::string format(const location& where, const std::string& problem) {
    std::string text;
    if (!where.table.empty()) text += where.table;
    if (!where.column.empty()) text += (text.empty() ? "" : ".") + where.column;
    if (where.row >= 0) text += " row " + std::to_string(where.row);
    if (!where.value.empty()) text += " (value " + where.value + ")";
    if (!text.empty()) text += ": ";
    return text + problem;
  }

  location where_;
};

/// A value that breaks a documented rule: NaN, negative, out of range, duplicated,
/// a missing column or a column of the wrong length. Python: ValueError.
class invalid_input : public error {
  using error::error;
};

/// An id that is not in the table it should refer to. Python: KeyError (and ValueError).
class unknown_id : public invalid_input {
  using invalid_input::invalid_input;
};

/// A column or argument of the wrong type (floats where integers are needed).
/// Python: TypeError.
class type_mismatch : public error {
  using error::error;
};

}  // namespace cartera
