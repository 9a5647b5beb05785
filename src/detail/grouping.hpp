#pragma once
// Groups event rows by customer (a stable counting sort), then orders each group by day,
// so that every customer's events form one contiguous, chronological run. O(n) plus a
// sort of any group that arrived out of day order. Ten million rows are the normal case:
// the sort reads (day, row) pairs placed side by side, and columns are gathered on every
// hardware thread (each position is written by one thread, so results never change).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "cartera/columns.hpp"
#include "detail/parallel.hpp"

namespace cartera::detail {

struct grouping {
  std::vector<std::int64_t> order;    ///< order[k] = input row placed at position k; empty when
                                      ///< the rows were already in place
  std::vector<std::int64_t> offsets;  ///< group g is positions [offsets[g], offsets[g + 1])
};

template <typename Iterator, typename Less>
void insertion_sort(Iterator first, Iterator last, Less less) {
  for (Iterator i = first; i != last; ++i) {
    const auto value = *i;
    Iterator j = i;
    for (; j != first && less(value, *(j - 1)); --j) *j = *(j - 1);
    *j = value;
  }
}

/// Groups rows by `key` (values in [0, groups)), ordered by `day` within a group, and rows
/// of one day by `same_day` (a strict weak order on their other columns), so that the order
/// the rows came in never shows in a result.
template <typename SameDay>
grouping group_by(const int_column& key, const int_column& day, index_t groups, SameDay same_day) {
  grouping result;
  const auto rows = static_cast<std::int64_t>(key.size());
  result.offsets.assign(static_cast<std::size_t>(groups) + 1, 0);
  for (std::int64_t row = 0; row < rows; ++row) ++result.offsets[static_cast<std::size_t>(key[row]) + 1];
  for (std::size_t g = 0; g < static_cast<std::size_t>(groups); ++g) result.offsets[g + 1] += result.offsets[g];
  struct dated_row {
    std::int32_t day;
    std::int64_t row;
  };
  std::vector<dated_row> placed(static_cast<std::size_t>(rows));
  std::vector<std::int64_t> next(result.offsets.begin(), result.offsets.end() - 1);
  for (std::int64_t row = 0; row < rows; ++row) {
    placed[static_cast<std::size_t>(next[static_cast<std::size_t>(key[row])]++)] = {day[row], row};
  }
  const auto by_day = [&](const dated_row& a, const dated_row& b) {
    return a.day < b.day || (a.day == b.day && same_day(a.row, b.row));
  };
  parallel_for(groups, {}, [&](std::int64_t first_group, std::int64_t last_group) {
    for (auto g = static_cast<std::size_t>(first_group); g < static_cast<std::size_t>(last_group); ++g) {
      const auto first = placed.begin() + result.offsets[g];
      const auto last = placed.begin() + result.offsets[g + 1];
      if (std::is_sorted(first, last, by_day)) continue;
      if (last - first <= 32) {
        insertion_sort(first, last, by_day);  // stable, and no allocation for the many small groups
      } else {
        std::stable_sort(first, last, by_day);
      }
    }
  });
  bool in_place = true;
  for (std::int64_t k = 0; k < rows && in_place; ++k) in_place = placed[static_cast<std::size_t>(k)].row == k;
  if (in_place) return result;
  result.order.resize(static_cast<std::size_t>(rows));
  for (std::size_t k = 0; k < placed.size(); ++k) result.order[k] = placed[k].row;
  return result;
}

/// Rows compared column by column (the first that differs decides): a same-day order for
/// group_by. Absent (empty) columns compare equal; NaN sorts after every number.
class row_order {
 public:
  template <typename... Columns>
  static auto of(const Columns&... columns) {
    return [&columns...](std::int64_t a, std::int64_t b) {
      int decided = 0;
      ((decided = decided != 0 ? decided : compare(columns, a, b)), ...);
      return decided < 0;
    };
  }

 private:
  template <typename Column>
  static int compare(const Column& column, std::int64_t a, std::int64_t b) {
    if (column.size() == 0) return 0;
    return compare_values(column[a], column[b]);
  }
  static int compare(const categorical& column, std::int64_t a, std::int64_t b) { return compare(column.codes, a, b); }
  template <typename T>
  static int compare_values(T x, T y) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) == std::isnan(y) ? 0 : (std::isnan(x) ? 1 : -1);
    }
    return x < y ? -1 : (y < x ? 1 : 0);
  }
};

/// The column reordered: result[k] = column[order[k]]. An empty (absent) column stays
/// empty, and an empty order (rows already in place) moves the column unchanged.
template <typename Column>
Column gather(Column&& column, const std::vector<std::int64_t>& order) {
  if (column.size() == 0 || order.empty()) return std::move(column);
  Column result(static_cast<Eigen::Index>(order.size()));
  parallel_for(static_cast<std::int64_t>(order.size()), {}, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k) result[k] = column[order[static_cast<std::size_t>(k)]];
  });
  return result;
}

inline categorical gather(categorical&& column, const std::vector<std::int64_t>& order) {
  return {std::move(column.categories), gather(std::move(column.codes), order)};
}

/// The rows `rows` of a column, in that order (an absent column stays absent).
template <typename Column>
Column select(const Column& column, const std::vector<std::int64_t>& rows) {
  if (column.size() == 0) return {};
  Column result(static_cast<Eigen::Index>(rows.size()));
  parallel_for(static_cast<std::int64_t>(rows.size()), {}, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t k = begin; k < end; ++k) result[k] = column[rows[static_cast<std::size_t>(k)]];
  });
  return result;
}

inline categorical select(const categorical& column, const std::vector<std::int64_t>& rows) {
  if (column.empty()) return {};
  return {column.categories, select(column.codes, rows)};
}

/// Reorders every column of a table in place by the same order.
template <typename... Columns>
void reorder(const std::vector<std::int64_t>& order, Columns&... columns) {
  ((columns = gather(std::move(columns), order)), ...);
}

}  // namespace cartera::detail
