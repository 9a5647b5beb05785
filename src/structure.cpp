#include "cartera/structure.hpp"

#include <array>
#include <cmath>
#include <string>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/text_codes.hpp"

namespace cartera {
namespace {

constexpr std::array<std::string_view, structure_count> names = {"interview", "group", "panel", "workbench"};

using detail::format_number;

}  // namespace

std::string_view structure_name(relationship_structure s) { return names[static_cast<std::size_t>(s)]; }

void structure_policy::validate() const {
  if (!(many_providers >= 1) || !std::isfinite(many_providers)) {
    throw invalid_input({"structure_policy", "many_providers", -1, format_number(many_providers)},
                        "must be a finite number >= 1");
  }
  for (std::size_t k = 0; k < rules.size(); ++k) {
    bool known = false;
    for (const auto name : names) known = known || rules[k].label == name;
    if (!known) {
      throw invalid_input({"structure_policy", "rules", static_cast<std::int64_t>(k), "'" + rules[k].label + "'"},
                          "a rule's label must be interview, group, panel or workbench");
    }
  }
}

structure_table classify_structures(const column_set& columns, const structure_policy& policy) {
  policy.validate();
  const index_t rows = columns.rows();
  const real_column& providers = columns.numbers(policy.providers_column, "structure");
  const real_column* peer =
      columns.find(policy.peer_column) ? &columns.numbers(policy.peer_column, "structure") : nullptr;
  for (index_t r = 0; r < rows; ++r) {
    if (!(providers[r] >= 0)) {
      throw invalid_input({"structure", policy.providers_column, r, format_number(providers[r])},
                          "must be a number >= 0");
    }
    if (peer && std::isnan((*peer)[r])) {
      throw invalid_input({"structure", policy.peer_column, r, "NaN"}, "must be 0 or 1, not missing");
    }
  }
  rule_labels matched;
  if (!policy.rules.empty()) matched = apply_rules(policy.rules, "", columns);

  structure_table out;
  out.structure.resize(static_cast<std::size_t>(rows));
  out.reason.codes.resize(rows);
  detail::text_codes reason(out.reason);
  for (index_t r = 0; r < rows; ++r) {
    const index_t rule = policy.rules.empty() ? no_index : matched.rule[r];
    if (rule != no_index) {
      const auto& chosen = policy.rules[static_cast<std::size_t>(rule)];
      for (std::size_t s = 0; s < names.size(); ++s) {
        if (chosen.label == names[s])
          out.structure[static_cast<std::size_t>(r)] = static_cast<relationship_structure>(s);
      }
      out.reason.codes[r] = reason("rule " + std::to_string(rule + 1) + ": " + chosen.condition);
      continue;
    }
    const bool many = providers[r] >= policy.many_providers;
    const bool shared = peer && (*peer)[r] != 0;
    out.structure[static_cast<std::size_t>(r)] = static_cast<relationship_structure>((many ? 2 : 0) + (shared ? 1 : 0));
    out.reason.codes[r] = reason(format_number(providers[r]) + (providers[r] == 1 ? " provider " : " providers ") +
                                 (many ? "≥ " : "< ") + format_number(policy.many_providers) + ", " +
                                 (shared ? "peer exchange valuable" : "private information"));
  }
  return out;
}

std::vector<structure_counts> count_structures(std::span<const relationship_structure> structures,
                                               std::span<const index_t> manager, index_t managers) {
  detail::check_size("structure", "manager", manager.size(), structures.size(), "customer", detail::counted::rows,
                     true);
  std::vector<structure_counts> counts(static_cast<std::size_t>(managers) + 1, structure_counts{});
  for (std::size_t c = 0; c < structures.size(); ++c) {
    const index_t m = manager.empty() ? no_index : manager[c];
    if (m < no_index || m >= managers) {
      throw unknown_id({"structure", "manager", static_cast<std::int64_t>(c), std::to_string(m)}, "no such manager");
    }
    ++counts[m == no_index ? static_cast<std::size_t>(managers) : static_cast<std::size_t>(m)]
            [static_cast<std::size_t>(structures[c])];
  }
  return counts;
}

}  // namespace cartera
