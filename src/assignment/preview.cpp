#include "cartera/preview.hpp"

#include <string>

#include "cartera/error.hpp"
#include "detail/checks.hpp"

namespace cartera {
namespace {

void check_managers(const char* column, std::span<const index_t> managers_of, index_t managers) {
  for (std::size_t c = 0; c < managers_of.size(); ++c) {
    if (managers_of[c] < no_index || managers_of[c] >= managers) {
      throw invalid_input({"preview", column, static_cast<std::int64_t>(c), std::to_string(managers_of[c])},
                          "no such manager");
    }
  }
}

}  // namespace

assignment_preview preview_assignment(std::span<const index_t> current, std::span<const index_t> proposed,
                                      std::span<const double> value, index_t managers) {
  detail::check_size("preview", "proposed", proposed.size(), current.size(), "customer", detail::counted::entries);
  detail::check_size("preview", "value", value.size(), current.size(), "customer", detail::counted::entries);
  check_managers("current", current, managers);
  check_managers("proposed", proposed, managers);
  assignment_preview p;
  const auto m = static_cast<std::size_t>(managers);
  p.change.resize(current.size());
  p.counts.assign(assignment_change_count, 0);
  p.load_before.assign(m, 0);
  p.load_after.assign(m, 0);
  p.value_before.assign(m, 0);
  p.value_after.assign(m, 0);
  for (std::size_t c = 0; c < current.size(); ++c) {
    const index_t before = current[c], after = proposed[c];
    const assignment_change change = before == no_index  ? (after == no_index ? assignment_change::still_unassigned
                                                                              : assignment_change::newly_assigned)
                                     : after == no_index ? assignment_change::left_out
                                     : after == before   ? assignment_change::kept
                                                         : assignment_change::moved;
    p.change[c] = change;
    ++p.counts[static_cast<std::size_t>(change)];
    if (before == no_index) {
      p.value_unassigned_before += value[c];
    } else {
      ++p.load_before[static_cast<std::size_t>(before)];
      p.value_before[static_cast<std::size_t>(before)] += value[c];
    }
    if (after == no_index) {
      p.value_unassigned_after += value[c];
    } else {
      ++p.load_after[static_cast<std::size_t>(after)];
      p.value_after[static_cast<std::size_t>(after)] += value[c];
    }
  }
  return p;
}

}  // namespace cartera
