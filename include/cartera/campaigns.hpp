#pragma once
/// \file campaigns.hpp
/// Central campaigns and the day after them: "averigüe qué es lo que pasa al día siguiente
/// que usted hace anuncios, avisos publicitarios y eventos de promoción … nadie dentro de la
/// empresa es responsable de lo que pasa el día después."
///
/// Each campaign contact is followed for `response_days`: the customer responds by buying
/// or by contacting us. A response is then followed up when the customer's manager makes a
/// proactive contact within `follow_up_days` of it. The contact plan schedules the
/// follow-ups still due (see contact_plan.hpp).

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "cartera/book.hpp"

namespace cartera {

struct campaign_policy {
  int response_days = 14;  ///< a purchase, or a contact the customer started, this many days after is a response
  int follow_up_days = 7;  ///< the manager follows a response up within this many days of it

  void validate() const;
};

/// What became of a campaign contact, as of the evaluation day.
enum class campaign_outcome : std::uint8_t {
  waiting = 0,        ///< no response yet, and the response window is still open
  no_response = 1,    ///< the window closed without one
  followed_up = 2,    ///< responded, and the manager followed it up in time
  follow_up_due = 3,  ///< responded, not followed up yet, still within follow_up_days
  missed = 4,         ///< responded, and nobody followed it up in time
};
inline constexpr int campaign_outcome_count = 5;
/// "waiting", "no_response", "followed_up", "follow_up_due" or "missed".
[[nodiscard]] std::string_view outcome_name(campaign_outcome outcome);

/// One row per campaign contact of the book on or before the evaluation day, in the book's
/// order (by customer, then day); a later one is a contact still to come, left out.
struct campaign_responses {
  std::vector<std::int64_t> row;     ///< row in book::campaigns()
  std::vector<day_t> response_day;   ///< the first purchase or customer-started contact in the window; no_day
  std::vector<std::uint8_t> bought;  ///< the customer bought in the window
  std::vector<double> revenue;       ///< what they bought in the window
  std::vector<day_t> follow_up_day;  ///< the manager's first proactive contact from the response day on; no_day
  std::vector<campaign_outcome> outcome;
};

/// Measures the book's campaign contacts as of `as_of`. The window of a contact on day d is
/// (d, d + response_days]; a contact the customer started is an interaction with
/// proactive 0 (without the proactive column only purchases tell). A follow-up is a
/// proactive interaction (every interaction, without the column) by the customer's manager
/// (`manager`, one per customer, -1 for none; empty: the customers table's), on the
/// response day or up to follow_up_days after; by anyone when the customer has no manager or
/// the interactions name none.
[[nodiscard]] campaign_responses measure_campaigns(const book& customers, day_t as_of,
                                                   const campaign_policy& policy = {},
                                                   std::span<const index_t> manager = {});

}  // namespace cartera
