#pragma once
// Rows ordered by a value, ties by row, NaN last: one sort of (key, row) pairs, which is
// several times faster than sorting row numbers through an indirect comparison.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera::detail {

inline std::vector<index_t> order_by(std::span<const double> value, bool highest_first) {
  std::vector<std::pair<double, index_t>> pairs(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const double key = highest_first ? -value[i] : value[i];
    pairs[i] = {std::isnan(key) ? std::numeric_limits<double>::infinity() : key, static_cast<index_t>(i)};
  }
  std::sort(pairs.begin(), pairs.end());
  std::vector<index_t> order(value.size());
  for (std::size_t k = 0; k < pairs.size(); ++k) order[k] = pairs[k].second;
  return order;
}

/// Flags the first ⌈share × n⌉ rows of `order` whose value passes `eligible`.
template <typename Eligible>
std::vector<std::uint8_t> top_share(const std::vector<index_t>& order, double share, Eligible eligible) {
  std::vector<std::uint8_t> flags(order.size(), 0);
  const auto wanted = static_cast<std::size_t>(std::ceil(share * static_cast<double>(order.size())));
  for (std::size_t k = 0; k < std::min(wanted, order.size()); ++k) {
    if (eligible(order[k])) flags[static_cast<std::size_t>(order[k])] = 1;
  }
  return flags;
}

}  // namespace cartera::detail
