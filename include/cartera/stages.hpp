#pragma once
/// \file stages.hpp
/// The relationship ladder: contactar → relacionar → intimar → confiar.
///
/// A customer stands at the highest stage whose criteria hold together with those of every
/// stage below (no skipping); customers who fail contactar stand below the ladder, at
/// sin_contacto. Criteria are measured over a rolling window ending on the evaluation day.
///
/// Hysteresis: a stage is kept until its criteria have failed for `grace_days` in a row.
/// Equivalently, the stage on day t is the highest stage whose criteria held on some day of
/// (t - grace_days, t]. The evaluation is exact: the criteria can only improve on the days
/// an event enters or leaves the window, a complaint is resolved, or tenure crosses its
/// threshold, so those days (and the first day of the grace period) are the only ones
/// checked.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cartera/book.hpp"
#include "cartera/execution.hpp"

namespace cartera {

/// The ladder's steps, in order. sin_contacto is below the ladder.
enum class stage : std::uint8_t { sin_contacto = 0, contactar = 1, relacionar = 2, intimar = 3, confiar = 4 };
inline constexpr int stage_count = 5;

/// "sin_contacto", "contactar", "relacionar", "intimar" or "confiar".
[[nodiscard]] std::string_view stage_name(stage s);

/// The criteria of each stage, in the order they are checked (the first that fails is the
/// one a reason names).
enum class criterion : std::uint8_t {
  none = 0,       ///< nothing failed: the customer is at confiar
  reachable,      ///< contactar: a valid contact channel is known (customers.reachable)
  contacts,       ///< contactar: contacts in the window
  two_way,        ///< relacionar: two-way contacts in the window
  two_way_share,  ///< relacionar: two-way contacts ÷ contacts
  relational,     ///< intimar: relational (non-transactional) contacts in the window
  profile,        ///< intimar: profile completeness (customers.profile; 0 when absent)
  breadth,  ///< intimar: distinct products bought and people of theirs, managers and areas of ours in contact, in the
            ///< window
  continuity,      ///< intimar: longest gap between contacts in the window, the last one to the day included
  tenure,          ///< confiar: days since first known
  unprompted,      ///< confiar: purchases in the window not prompted by us
  trust_signals,   ///< confiar: referrals given + purchases after a complaint, all history
  open_complaint,  ///< confiar: days the oldest unresolved complaint has been open
};
inline constexpr int criterion_count = 13;

/// A short description of a criterion, as reasons use it ("two-way contacts").
[[nodiscard]] std::string_view criterion_name(criterion c);
/// True for a criterion that holds when the value is at most the threshold (continuity,
/// open_complaint); the others hold when it is at least the threshold.
[[nodiscard]] bool criterion_is_maximum(criterion c);
/// The stage a criterion belongs to.
[[nodiscard]] stage criterion_stage(criterion c);

struct contactar_criteria {
  bool require_reachable = true;  ///< customers.reachable must be 1 (when the column is given)
  int min_contacts = 1;
};

struct relacionar_criteria {
  int min_two_way = 3;
  double min_two_way_share = 0.3;
};

struct intimar_criteria {
  int min_relational = 3;
  double min_profile = 0.5;
  int min_breadth = 2;
  int max_gap_days = 120;
};

struct confiar_criteria {
  int min_tenure_days = 365;
  int min_unprompted = 2;
  int min_trust_signals = 1;
  int max_open_complaint_days = 30;
};

/// The ladder as data. Every field has a documented default; a minimum of 0 (or a maximum
/// as long as the window) switches a criterion off.
struct stage_policy {
  int window_days = 365;  ///< criteria count events in (day - window_days, day]
  int grace_days = 60;    ///< a stage is lost after its criteria fail this many days in a row; 1 = no hysteresis
  contactar_criteria contactar;
  relacionar_criteria relacionar;
  intimar_criteria intimar;
  confiar_criteria confiar;

  /// The threshold a criterion is compared with.
  [[nodiscard]] double threshold(criterion c) const;

  /// Throws invalid_input naming the field when a value is out of range.
  void validate() const;
};

/// What the criteria measured for one customer on the evaluation day. Integer measures
/// are stored as doubles so every criterion reads the same way.
using criterion_values = std::array<double, criterion_count>;

/// One row per customer (or per customer–manager pair).
struct stage_table {
  std::vector<stage> current;       ///< the stage, with hysteresis
  std::vector<stage> reached;       ///< the stage the criteria give on the day alone
  std::vector<criterion> blocking;  ///< the first criterion that fails for the stage above `reached`
  /// Every criterion's measure on the day: values[criterion][row].
  std::array<real_column, criterion_count> values;
};

/// Which interactions make a relationship.
enum class relationship : std::uint8_t {
  customer = 0,         ///< all of the customer's interactions
  current_manager = 1,  ///< only those with the customer's current manager (customers.manager);
                        ///< a customer without one is sin_contacto, blocked by `contacts`
};

/// Stages of every customer on day `as_of`.
[[nodiscard]] stage_table evaluate_stages(const book& customers, day_t as_of, const stage_policy& policy = {},
                                          relationship with = relationship::customer, const execution& run = {});

/// Stages of some customers only (rows follow `which`), as evaluate_stages would give them.
[[nodiscard]] stage_table evaluate_stages(const book& customers, std::span<const index_t> which, day_t as_of,
                                          const stage_policy& policy = {}, relationship with = relationship::customer,
                                          const execution& run = {});

/// Stages of explicit customer–manager pairs (the relationship is with a person: only the
/// interactions with that manager count). Rows follow the pairs' order.
[[nodiscard]] stage_table evaluate_pair_stages(const book& customers, std::span<const index_t> pair_customer,
                                               std::span<const index_t> pair_manager, day_t as_of,
                                               const stage_policy& policy = {}, const execution& run = {});

/// Every customer–manager pair with an interaction on or before `as_of`, in customer then
/// manager order: (customers, managers).
[[nodiscard]] std::pair<std::vector<index_t>, std::vector<index_t>> interaction_pairs(const book& customers,
                                                                                      day_t as_of);

/// A reason in words: "intimar: 4 relational contacts ≥ 3; to reach confiar: tenure (days)
/// 200 of 365". Reads row `row` of the table.
[[nodiscard]] std::string describe(const stage_table& stages, std::size_t row, const stage_policy& policy);

/// The short reason of every row, dictionary-encoded (few distinct texts for many rows):
/// "relacionar; to reach intimar: relational contacts 1 of 3", with " (kept: the criteria
/// give contactar)" after the stage while the grace period holds it.
[[nodiscard]] categorical summarize_reasons(const stage_table& stages, const stage_policy& policy);

/// One change of stage between two evaluation days.
struct stage_change {
  index_t customer;
  day_t day;
  stage from;
  stage to;
  criterion blocking;  ///< on `day`, the first criterion failing for the stage above `to`
  double value;        ///< its measure
};

/// Stages evaluated on each of `days` (ascending), with hysteresis.
struct stage_history {
  std::vector<day_t> days;
  /// stages[d][c]: customer c's stage on days[d].
  std::vector<std::vector<stage>> stages;
  /// Every change, in day then customer order; before the first day every customer is
  /// taken to stand at sin_contacto, so the first day records each customer's entry.
  std::vector<stage_change> changes;
};

[[nodiscard]] stage_history evaluate_stage_history(const book& customers, std::span<const day_t> days,
                                                   const stage_policy& policy = {},
                                                   relationship with = relationship::customer,
                                                   const execution& run = {});

}  // namespace cartera
