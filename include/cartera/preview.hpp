#pragma once
/// \file preview.hpp
/// What a proposed assignment would change, before it goes live.

#include <cstdint>
#include <span>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera {

/// What happens to one customer.
enum class assignment_change : std::uint8_t {
  kept = 0,              ///< same manager
  moved = 1,             ///< another manager
  newly_assigned = 2,    ///< had none, gets one
  left_out = 3,          ///< had one, gets none
  still_unassigned = 4,  ///< had none, gets none
};
inline constexpr int assignment_change_count = 5;

struct assignment_preview {
  std::vector<assignment_change> change;              ///< per customer
  std::vector<std::int64_t> counts;                   ///< per assignment_change
  std::vector<std::int64_t> load_before, load_after;  ///< customers per manager
  std::vector<double> value_before, value_after;      ///< value per manager
  double value_unassigned_before = 0, value_unassigned_after = 0;
};

/// Compares the proposed manager of every customer with the current one (no_index: none).
/// Throws invalid_input naming the array, row and value of a manager out of range or of
/// sizes that differ.
[[nodiscard]] assignment_preview preview_assignment(std::span<const index_t> current, std::span<const index_t> proposed,
                                                    std::span<const double> value, index_t managers);

}  // namespace cartera
