#pragma once
/// \file contact_plan.hpp
/// The contact plan: each manager's limited time turned into proactive contacts with the
/// right customers, on the right day and channel, without saturating anyone.
///
/// For a horizon of `days` from `start`, each customer with a manager wants:
/// - one **alert** contact when segmentation raised alerts (the most urgent first), on the
///   first working day;
/// - one **follow-up** when their last contact was a conversation they started within
///   `follow_up_days` that no proactive contact answered yet, or when they responded to a
///   campaign and nobody followed it up yet (unless an alert contact already answers it);
/// - **cadence** contacts, every period_days ÷ contacts days after the last proactive one
///   (customers never or long ago contacted are spread over the first interval).
/// Each manager's wants are taken in priority order — alerts by priority, follow-ups,
/// then cadence contacts with every customer's first before anyone's second, higher tiers
/// first, earlier due days first — and planned when the manager's time budget has room and
/// the customer's contact cap allows a day; the day is the working day nearest the due day
/// with room (each day holds a fair share of the budget plus one contact). Every customer
/// appears in the customers table; every want either is planned or is unmet with a reason.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "cartera/alerts.hpp"
#include "cartera/book.hpp"
#include "cartera/campaigns.hpp"
#include "cartera/contact_policy.hpp"

namespace cartera {

/// What the plan knows of each customer and manager. Spans with one entry per customer,
/// except time_budget (one per manager).
struct contact_inputs {
  std::span<const index_t> manager;     ///< assigned manager, -1 for none
  std::span<const index_t> tier;        ///< row in policy.tiers
  std::span<const stage> stages;        ///< stage reached (with the manager)
  std::span<const double> time_budget;  ///< minutes per period, per manager; its size is the number of managers
  std::span<const index_t> preferred_channel =
      {};  ///< optional: row in policy.channels or -1; empty: learned from the book
  std::span<const std::int32_t> max_contacts = {};  ///< optional: the customer's cap per period (-1: the policy's)
  const alert_table* alerts = nullptr;              ///< optional
  /// Optional: central campaign contacts in place of the book's campaigns; those in the
  /// last period_days and in the horizon count toward each customer's cap.
  const campaign_table* campaigns = nullptr;
  /// Optional: `measure_campaigns` of the book as of the day before the horizon; a customer
  /// whose response is still due a follow-up gets one (unless an alert or a conversation's
  /// follow-up already answers them).
  const campaign_responses* responses = nullptr;
};

enum class contact_purpose : std::uint8_t { alert = 0, follow_up = 1, cadence = 2 };
/// "alert", "follow_up" or "cadence".
[[nodiscard]] std::string_view purpose_name(contact_purpose p);

/// Why a wanted contact was not planned.
enum class unmet_reason : std::uint8_t { time_budget = 0, contact_cap = 1 };
/// "time_budget" or "contact_cap".
[[nodiscard]] std::string_view unmet_name(unmet_reason r);

/// What the plan did for a customer.
enum class customer_plan_status : std::uint8_t {
  planned = 0,      ///< every wanted contact is planned
  partly = 1,       ///< some are
  not_planned = 2,  ///< none fit (see the unmet table)
  nothing_due = 3,  ///< nothing was due in the horizon
  no_manager = 4,   ///< no manager: no proactive plan
  unreachable = 5,  ///< customers.reachable is 0
};
/// "planned", "partly", "not_planned", "nothing_due", "no_manager" or "unreachable".
[[nodiscard]] std::string_view status_name(customer_plan_status s);

/// One row per planned contact, by manager, day, then customer.
struct planned_contacts {
  std::vector<index_t> manager;
  std::vector<index_t> customer;
  std::vector<day_t> day;
  std::vector<index_t> channel;  ///< row in policy.channels
  std::vector<double> minutes;
  std::vector<contact_purpose> purpose;
  std::vector<contact_nature> nature;
  std::vector<alert_kind> alert;  ///< the most urgent alert (alert contacts only; else below_zero)
  std::vector<double> priority;   ///< the alert's priority; 0 for other contacts
  categorical reason;             ///< "valuable_complainer, declining", "cadence: Premium × intimar, 2 per 28 days"...
  /// Continuity: the customer's last interaction before the horizon (no_day, -1: none).
  std::vector<day_t> last_day;
  std::vector<index_t> last_channel;  ///< code into the book's interaction channels
  categorical last_note;              ///< "proactive, two-way, relational"
};

/// One row per wanted contact that was not planned.
struct unmet_contacts {
  std::vector<index_t> manager;
  std::vector<index_t> customer;
  std::vector<day_t> due;
  std::vector<index_t> channel;
  std::vector<double> minutes;
  std::vector<contact_purpose> purpose;
  std::vector<unmet_reason> reason;
};

/// One row per customer.
struct customer_plan {
  std::vector<customer_plan_status> status;
  std::vector<std::int32_t> wanted;
  std::vector<std::int32_t> planned;
  std::vector<double> minutes;   ///< planned minutes
  std::vector<index_t> channel;  ///< the channel used (the preferred one when the mix allows), -1 if none
};

/// One row per manager.
struct manager_plan {
  std::vector<std::int64_t> portfolio;  ///< customers assigned
  std::vector<std::int64_t> reached;    ///< customers with at least one planned contact
  std::vector<double> budget;           ///< minutes available in the horizon
  std::vector<double> planned;          ///< minutes planned
  std::vector<double> demand;           ///< minutes every wanted contact would take
};

struct contact_plan {
  planned_contacts contacts;
  unmet_contacts unmet;
  customer_plan customers;
  manager_plan managers;
  day_t start = 0;
  int days = 0;
};

/// Plans `days` days from `start`. Throws invalid_input naming the input, row and value for
/// a span of the wrong length, an unknown manager, tier or channel, a negative budget, or
/// an alert or campaign row naming no customer.
[[nodiscard]] contact_plan plan_contacts(const book& customers, const contact_inputs& inputs, day_t start, int days,
                                         const contact_policy& policy = {});

/// Each customer's preferred channel (row in policy.channels, -1 for none): the one of most
/// two-way contacts in the `policy.preference_days` before `as_of` (ties: the latest),
/// among the book's channels whose names are policy channels.
[[nodiscard]] std::vector<index_t> preferred_channels(const book& customers, day_t as_of,
                                                      const contact_policy& policy = {});

}  // namespace cartera
