#pragma once
// Groups event rows by customer (a stable counting sort), then orders each group by day,
// so that every customer's events form one contiguous, chronological run. O(n) plus a
// sort of any group that arrived out of day order.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera::detail {

struct grouping {
  std::vector<std::int64_t> order;    ///< order[k] = input row placed at position k
  std::vector<std::int64_t> offsets;  ///< group g is positions [offsets[g], offsets[g + 1])
};

/// Groups rows by `key` (values in [0, groups)), ordered by `day` within a group.
inline grouping group_by(const int_column& key, const int_column& day, index_t groups) {
  grouping result;
  const auto rows = static_cast<std::int64_t>(key.size());
  result.offsets.assign(static_cast<std::size_t>(groups) + 1, 0);
  for (std::int64_t row = 0; row < rows; ++row) ++result.offsets[static_cast<std::size_t>(key[row]) + 1];
  for (std::size_t g = 0; g < static_cast<std::size_t>(groups); ++g) result.offsets[g + 1] += result.offsets[g];
  result.order.resize(static_cast<std::size_t>(rows));
  std::vector<std::int64_t> next(result.offsets.begin(), result.offsets.end() - 1);
  for (std::int64_t row = 0; row < rows; ++row) {
    result.order[static_cast<std::size_t>(next[static_cast<std::size_t>(key[row])]++)] = row;
  }
  for (std::size_t g = 0; g < static_cast<std::size_t>(groups); ++g) {
    const auto first = result.order.begin() + result.offsets[g];
    const auto last = result.order.begin() + result.offsets[g + 1];
    const auto by_day = [&](std::int64_t a, std::int64_t b) { return day[a] < day[b]; };
    if (!std::is_sorted(first, last, by_day)) std::stable_sort(first, last, by_day);
  }
  return result;
}

/// The column reordered: result[k] = column[order[k]]. An empty (absent) column stays empty.
template <typename Column>
Column gather(const Column& column, const std::vector<std::int64_t>& order) {
  if (column.size() == 0) return column;
  Column result(static_cast<Eigen::Index>(order.size()));
  for (std::size_t k = 0; k < order.size(); ++k) result[static_cast<Eigen::Index>(k)] = column[order[k]];
  return result;
}

inline categorical gather(const categorical& column, const std::vector<std::int64_t>& order) {
  return {column.categories, gather(column.codes, order)};
}

}  // namespace cartera::detail
