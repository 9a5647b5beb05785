#pragma once
/// \file repeated_rows.hpp
/// Exact duplicate rows of a table: the lines a raw export repeats, found in one pass.

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "cartera/columns.hpp"
#include "cartera/execution.hpp"

namespace cartera {

/// One column as repeated_rows compares it: one code per row, equal exactly when the
/// values are (a number's bits, a reference's row, a text's dictionary code), or texts
/// compared byte for byte (a missing text equals only another missing one).
using row_values = std::variant<std::span<const std::uint64_t>, text_view>;

/// For every row equal in every column to an earlier row, the first such row; -1 for the
/// other rows. Only rows where `keep` is nonzero take part (`keep` empty: every row).
/// Throws invalid_input when the columns, or `keep`, differ in length. Linear time: rows
/// are split by hash into buckets small enough to be matched in cache.
[[nodiscard]] std::vector<std::int64_t> repeated_rows(std::span<const row_values> columns,
                                                      std::span<const std::uint8_t> keep, const execution& run = {});

}  // namespace cartera
