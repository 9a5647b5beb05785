#pragma once
/// \file columns.hpp
/// The building blocks of every table: contiguous numeric columns (Eigen arrays),
/// dictionary-encoded categorical columns, and the map from external string ids to
/// dense row indices.

#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cartera/error.hpp"
#include "cartera/execution.hpp"

namespace cartera {

/// A dense row index into a table (customers, managers...); -1 means "none".
using index_t = std::int32_t;
inline constexpr index_t no_index = -1;

/// A column of doubles (amounts, margins, results).
using real_column = Eigen::Array<double, Eigen::Dynamic, 1>;
/// A column of 32-bit integers (days, row indices, counts, category codes).
using int_column = Eigen::Array<std::int32_t, Eigen::Dynamic, 1>;
/// A column of yes/no flags stored one byte each (0 or 1).
using flag_column = Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>;

/// A read-only view of a column's values.
template <typename Scalar>
[[nodiscard]] std::span<const Scalar> view(const Eigen::Array<Scalar, Eigen::Dynamic, 1>& column) {
  return {column.data(), static_cast<std::size_t>(column.size())};
}

/// A dictionary-encoded column: each row holds a code into `categories`, or -1 when
/// the value is missing.
struct categorical {
  std::vector<std::string> categories;
  int_column codes;

  /// Encodes strings; categories are numbered in order of first appearance, and empty
  /// strings are taken as missing.
  [[nodiscard]] static categorical encode(std::span<const std::string> values);

  /// The code of a category, or -1 when it is not among the categories.
  [[nodiscard]] index_t code_of(std::string_view category) const;

  [[nodiscard]] bool empty() const noexcept { return codes.size() == 0; }
};

/// Texts read in place, laid out as Arrow lays out a string column: text r is the bytes
/// [offsets[r], offsets[r + 1]) of `bytes`, and `missing` (empty when no text is) flags the
/// rows that hold none. The memory belongs to the caller and must outlive the view.
struct text_view {
  std::span<const std::int64_t> offsets;  ///< size() + 1 entries, non-decreasing
  std::span<const char> bytes;
  std::span<const std::uint8_t> missing;  ///< empty, or size() entries

  [[nodiscard]] std::size_t size() const noexcept { return offsets.empty() ? 0 : offsets.size() - 1; }
  [[nodiscard]] bool is_missing(std::size_t row) const noexcept { return !missing.empty() && missing[row] != 0; }
  [[nodiscard]] std::string_view operator[](std::size_t row) const noexcept {
    return {bytes.data() + offsets[row], static_cast<std::size_t>(offsets[row + 1] - offsets[row])};
  }

  /// Throws invalid_input naming `table` and `column` when the offsets do not describe
  /// texts inside `bytes` or `missing` has another length.
  void check(std::string_view table, std::string_view column) const;
};

/// External ids (the CRM's customer or manager keys) mapped once to dense indices
/// 0..size()-1, in the order given. Lookups take std::string_view and allocate nothing.
class id_index {
 public:
  id_index() = default;

  /// Takes the ids in row order; throws invalid_input naming the table, the row and the
  /// id when one is empty or repeated.
  id_index(std::vector<std::string> ids, std::string_view table);

  [[nodiscard]] index_t size() const noexcept { return static_cast<index_t>(ids_.size()); }
  [[nodiscard]] const std::string& operator[](index_t row) const { return ids_[static_cast<std::size_t>(row)]; }
  [[nodiscard]] const std::vector<std::string>& ids() const noexcept { return ids_; }

  /// The row of an id, if present.
  [[nodiscard]] std::optional<index_t> find(std::string_view id) const;

  /// The row of an id; throws unknown_id naming `where` when absent.
  [[nodiscard]] index_t at(std::string_view id, const location& where) const;

  /// Rows of many ids at once (an event table's customer column, say); throws unknown_id
  /// naming the table, the column and the first row whose id is absent.
  [[nodiscard]] int_column encode(std::span<const std::string> ids, std::string_view table,
                                  std::string_view column) const;

  /// Rows of many ids at once, -1 where an id is missing or absent: for cleaning, which
  /// keeps such rows aside instead of failing. Ten million lookups take a fraction of a
  /// second (memory is fetched ahead for a batch of ids at a time).
  [[nodiscard]] int_column find_all(const text_view& ids, const execution& run = {}) const;

 private:
  // Open addressing with linear probing over rows (-1 = empty), at most half full: one
  // allocation for the whole index instead of one node per id.
  [[nodiscard]] std::size_t slot_of(std::string_view id) const noexcept;

  std::vector<std::string> ids_;
  std::vector<index_t> slots_;
};

}  // namespace cartera
