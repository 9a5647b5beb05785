#include "cartera/columns.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_map>

#include "detail/parallel.hpp"

namespace cartera {

void text_view::check(std::string_view table, std::string_view column) const {
  const auto fail = [&](std::int64_t row, const std::string& value, const std::string& what) {
    throw invalid_input({std::string(table), std::string(column), row, value}, what);
  };
  if (!missing.empty() && missing.size() != size()) {
    fail(-1, std::to_string(missing.size()), "missing flags for " + std::to_string(size()) + " texts");
  }
  if (offsets.empty()) return;
  if (offsets.front() < 0) fail(0, std::to_string(offsets.front()), "text offsets start before the bytes");
  for (std::size_t row = 0; row + 1 < offsets.size(); ++row) {
    if (offsets[row + 1] < offsets[row]) {
      fail(static_cast<std::int64_t>(row), std::to_string(offsets[row + 1]), "text offsets go backwards");
    }
  }
  if (static_cast<std::size_t>(offsets.back()) > bytes.size()) {
    fail(static_cast<std::int64_t>(size()) - 1, std::to_string(offsets.back()), "text offsets run past the bytes");
  }
}

categorical categorical::encode(std::span<const std::string> values) {
  categorical result;
  result.codes.resize(static_cast<Eigen::Index>(values.size()));
  std::unordered_map<std::string_view, index_t> seen;
  for (std::size_t row = 0; row < values.size(); ++row) {
    const std::string& value = values[row];
    index_t code = no_index;
    if (!value.empty()) {
      const auto [it, inserted] = seen.try_emplace(value, static_cast<index_t>(result.categories.size()));
      if (inserted) result.categories.push_back(value);
      code = it->second;
    }
    result.codes[static_cast<Eigen::Index>(row)] = code;
  }
  return result;
}

index_t categorical::code_of(std::string_view category) const {
  for (std::size_t code = 0; code < categories.size(); ++code) {
    if (categories[code] == category) return static_cast<index_t>(code);
  }
  return no_index;
}

id_index::id_index(std::vector<std::string> ids, std::string_view table) : ids_(std::move(ids)) {
  if (ids_.size() >= static_cast<std::size_t>(std::numeric_limits<index_t>::max() / 2)) {
    throw invalid_input({std::string(table), "id", -1, std::to_string(ids_.size())},
                        "too many rows for 32-bit indices");
  }
  slots_.assign(std::bit_ceil(std::max<std::size_t>(16, 2 * ids_.size())), no_index);
  for (std::size_t row = 0; row < ids_.size(); ++row) {
    const std::string& id = ids_[row];
    if (id.empty()) throw invalid_input({std::string(table), "id", static_cast<std::int64_t>(row), "''"}, "empty id");
    index_t& slot = slots_[slot_of(id)];
    if (slot != no_index) {
      throw invalid_input({std::string(table), "id", static_cast<std::int64_t>(row), "'" + id + "'"},
                          "duplicate id, first seen at row " + std::to_string(slot));
    }
    slot = static_cast<index_t>(row);
  }
}

std::size_t id_index::slot_of(std::string_view id) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = std::hash<std::string_view>{}(id)&mask;
  while (slots_[slot] != no_index && ids_[static_cast<std::size_t>(slots_[slot])] != id) slot = (slot + 1) & mask;
  return slot;
}

std::optional<index_t> id_index::find(std::string_view id) const {
  if (slots_.empty()) return std::nullopt;
  const index_t row = slots_[slot_of(id)];
  if (row == no_index) return std::nullopt;
  return row;
}

index_t id_index::at(std::string_view id, const location& where) const {
  if (const auto row = find(id)) return *row;
  throw unknown_id(where, "unknown id");
}

int_column id_index::encode(std::span<const std::string> ids, std::string_view table, std::string_view column) const {
  int_column rows(static_cast<Eigen::Index>(ids.size()));
  for (std::size_t row = 0; row < ids.size(); ++row) {
    rows[static_cast<Eigen::Index>(row)] =
        at(ids[row], {std::string(table), std::string(column), static_cast<std::int64_t>(row), "'" + ids[row] + "'"});
  }
  return rows;
}

int_column id_index::find_all(const text_view& ids, const execution& run) const {
  int_column rows = int_column::Constant(static_cast<Eigen::Index>(ids.size()), no_index);
  if (slots_.empty()) return rows;
  const std::size_t mask = slots_.size() - 1;
  // A lookup is two cache misses (the slot, then the id it holds); a batch of lookups
  // fetches all its slots, then all their ids, before comparing, so the misses overlap.
  constexpr std::size_t batch = 32;
  detail::parallel_for(static_cast<std::int64_t>(ids.size()), run, [&](std::int64_t begin, std::int64_t end) {
    std::size_t start[batch];
    for (auto first = static_cast<std::size_t>(begin); first < static_cast<std::size_t>(end); first += batch) {
      const std::size_t count = std::min(batch, static_cast<std::size_t>(end) - first);
      for (std::size_t k = 0; k < count; ++k) {
        start[k] = std::hash<std::string_view>{}(ids[first + k]) & mask;
        __builtin_prefetch(&slots_[start[k]]);
      }
      for (std::size_t k = 0; k < count; ++k) {
        const index_t row = slots_[start[k]];
        if (row != no_index) __builtin_prefetch(&ids_[static_cast<std::size_t>(row)]);
      }
      for (std::size_t k = 0; k < count; ++k) {
        if (ids.is_missing(first + k)) continue;
        const std::string_view id = ids[first + k];
        std::size_t slot = start[k];
        while (slots_[slot] != no_index && ids_[static_cast<std::size_t>(slots_[slot])] != id) slot = (slot + 1) & mask;
        rows[static_cast<Eigen::Index>(first + k)] = slots_[slot];
      }
    }
  });
  return rows;
}

}  // namespace cartera
