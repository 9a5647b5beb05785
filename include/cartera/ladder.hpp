#pragma once
/// \file ladder.hpp
/// Reports on the relationship ladder: how many customers stand at each stage, per
/// portfolio and overall; how they moved between two days; how long they stayed.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "cartera/stages.hpp"

namespace cartera {

using stage_counts = std::array<std::int64_t, stage_count>;

/// Customers per stage in each portfolio. Row m is manager m's portfolio; the last row
/// holds the customers without a manager.
struct ladder_table {
  std::vector<stage_counts> portfolios;
  stage_counts overall{};
};

/// Counts the ladder. `manager[c]` is customer c's manager (-1 for none); empty means
/// nobody has one.
[[nodiscard]] ladder_table count_ladder(std::span<const stage> stages, std::span<const index_t> manager,
                                        index_t managers);

/// The share of a portfolio at intimar or confiar: the customers it really holds.
/// 0 for an empty portfolio.
[[nodiscard]] double real_share(const stage_counts& counts);

/// transitions[from][to]: customers at `from` in `before` and at `to` in `after`.
using transition_matrix = std::array<std::array<std::int64_t, stage_count>, stage_count>;
[[nodiscard]] transition_matrix count_transitions(std::span<const stage> before, std::span<const stage> after);

/// For each stage below confiar, the share of its customers in `before` who stand higher
/// in `after` (0 when the stage had none).
[[nodiscard]] std::array<double, stage_count - 1> conversion(const transition_matrix& transitions);

/// How long a customer stood at a stage over a history: days are counted from each
/// evaluation day to the next (the last evaluation day counts as a single day).
struct stage_time {
  index_t customer;
  stage at;
  day_t first_entry;
  day_t latest_entry;
  std::int64_t days;
};

/// One row per customer and stage they stood at, in customer then stage order.
[[nodiscard]] std::vector<stage_time> time_in_stage(const stage_history& history);

/// The highest stage each customer reached on any day of the history.
[[nodiscard]] std::vector<stage> highest_stage(const stage_history& history);

}  // namespace cartera
