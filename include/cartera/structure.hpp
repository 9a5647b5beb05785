#pragma once
/// \file structure.hpp
/// Relationship structure (Ramdas, Teisberg & Tucker, HBR 2013): not every customer wants
/// one-to-one. Four structures, by how many providers (areas, specialists, managers) take
/// part and whether the information exchanged is worth sharing among peers:
///
/// |                     | private information | peer exchange valuable |
/// |---------------------|---------------------|------------------------|
/// | one provider        | interview           | group                  |
/// | many providers      | panel               | workbench              |

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cartera/columns_set.hpp"
#include "cartera/rules.hpp"

namespace cartera {

enum class relationship_structure : std::uint8_t { interview = 0, group = 1, panel = 2, workbench = 3 };
inline constexpr int structure_count = 4;

/// "interview", "group", "panel" or "workbench".
[[nodiscard]] std::string_view structure_name(relationship_structure s);

struct structure_policy {
  std::string providers_column = "providers";  ///< numeric: providers or areas involved
  std::string peer_column = "peer_exchange";   ///< flag: peer exchange is valuable (absent column: never)
  double many_providers = 2;                   ///< from this many providers on, "many"
  /// Ordered rules tried first (the rule language); each label must be a structure name.
  /// A customer no rule matches falls to the table above.
  std::vector<rule> rules;

  void validate() const;
};

struct structure_table {
  std::vector<relationship_structure> structure;
  /// Why, dictionary-encoded: "3 providers ≥ 2, peer exchange valuable", or "rule 1: …".
  categorical reason;
};

/// A structure per row of `columns`. Throws invalid_input naming the column and row for a
/// missing providers column, a NaN or negative provider count, or a peer flag that is NaN.
[[nodiscard]] structure_table classify_structures(const column_set& columns, const structure_policy& policy = {});

using structure_counts = std::array<std::int64_t, structure_count>;

/// Customers per structure in each portfolio: row m is manager m's, the last row holds the
/// customers without a manager (`manager` empty: nobody has one).
[[nodiscard]] std::vector<structure_counts> count_structures(std::span<const relationship_structure> structures,
                                                             std::span<const index_t> manager, index_t managers);

}  // namespace cartera
