#include "cartera/ladder.hpp"

#include <algorithm>
#include <string>
#include "detail/checks.hpp"

namespace cartera {
namespace {

std::size_t index(stage s) { return static_cast<std::size_t>(s); }

}  // namespace

ladder_table count_ladder(std::span<const stage> stages, std::span<const index_t> manager, index_t managers) {
  detail::check_size("ladder", "manager", manager.size(), stages.size(), "stage", detail::counted::rows, true);
  ladder_table table;
  table.portfolios.assign(static_cast<std::size_t>(managers) + 1, stage_counts{});
  for (std::size_t c = 0; c < stages.size(); ++c) {
    const index_t m = manager.empty() ? no_index : manager[c];
    if (m < no_index || m >= managers) {
      throw unknown_id({"ladder", "manager", static_cast<std::int64_t>(c), std::to_string(m)}, "no such manager");
    }
    const std::size_t row = m == no_index ? static_cast<std::size_t>(managers) : static_cast<std::size_t>(m);
    ++table.portfolios[row][index(stages[c])];
    ++table.overall[index(stages[c])];
  }
  return table;
}

double real_share(const stage_counts& counts) {
  std::int64_t total = 0;
  for (const auto count : counts) total += count;
  if (total == 0) return 0.0;
  return static_cast<double>(counts[index(stage::intimar)] + counts[index(stage::confiar)]) /
         static_cast<double>(total);
}

transition_matrix count_transitions(std::span<const stage> before, std::span<const stage> after) {
  if (before.size() != after.size()) {
    throw invalid_input({"transitions", "after", -1, std::to_string(after.size()) + " rows"},
                        "must have as many rows as before (" + std::to_string(before.size()) + ")");
  }
  transition_matrix counts{};
  for (std::size_t c = 0; c < before.size(); ++c) ++counts[index(before[c])][index(after[c])];
  return counts;
}

std::array<double, stage_count - 1> conversion(const transition_matrix& transitions) {
  std::array<double, stage_count - 1> shares{};
  for (std::size_t from = 0; from + 1 < stage_count; ++from) {
    std::int64_t total = 0, higher = 0;
    for (std::size_t to = 0; to < stage_count; ++to) {
      total += transitions[from][to];
      if (to > from) higher += transitions[from][to];
    }
    shares[from] = total > 0 ? static_cast<double>(higher) / static_cast<double>(total) : 0.0;
  }
  return shares;
}

std::vector<stage_time> time_in_stage(const stage_history& history) {
  std::vector<stage_time> rows;
  if (history.days.empty()) return rows;
  const std::size_t customers = history.stages.front().size();
  const std::size_t dates = history.days.size();
  for (std::size_t c = 0; c < customers; ++c) {
    std::array<stage_time, stage_count> per_stage{};
    for (std::size_t s = 0; s < stage_count; ++s)
      per_stage[s] = {static_cast<index_t>(c), static_cast<stage>(s), no_day, no_day, 0};
    for (std::size_t d = 0; d < dates; ++d) {
      const stage at = history.stages[d][c];
      stage_time& row = per_stage[index(at)];
      const bool entered = d == 0 || history.stages[d - 1][c] != at;
      if (entered) {
        if (row.first_entry == no_day) row.first_entry = history.days[d];
        row.latest_entry = history.days[d];
      }
      row.days += d + 1 < dates ? history.days[d + 1] - history.days[d] : 1;
    }
    for (const auto& row : per_stage) {
      if (row.first_entry != no_day) rows.push_back(row);
    }
  }
  return rows;
}

std::vector<stage> highest_stage(const stage_history& history) {
  if (history.stages.empty()) return {};
  std::vector<stage> highest = history.stages.front();
  for (const auto& day : history.stages) {
    for (std::size_t c = 0; c < highest.size(); ++c) highest[c] = std::max(highest[c], day[c]);
  }
  return highest;
}

}  // namespace cartera
