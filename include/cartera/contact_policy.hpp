#pragma once
/// \file contact_policy.hpp
/// The cadence policy ("productividad comercial"): how many proactive contacts each tier ×
/// stage gets per period, of which nature, by which channels, and what a contact costs in
/// minutes. Policies are data: every field has a documented default.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cartera/stages.hpp"

namespace cartera {

/// A relational contact builds the relationship (a conversation about the customer's
/// goals); a transactional one serves an operation or an offer.
enum class contact_nature : std::uint8_t { transactional = 0, relational = 1 };

/// "transactional" or "relational".
[[nodiscard]] std::string_view nature_name(contact_nature n);

/// The cadence of one tier × stage.
struct cadence_rule {
  double contacts = 0;  ///< proactive contacts per period (0.33: one a quarter with 28-day periods)
  contact_nature nature = contact_nature::transactional;
  std::vector<double> mix;  ///< share of contacts by channel, in the policy's channel order; sums to 1
};

/// Defaults (28-day periods, minutes per contact: visit 90, video 30, call 15, email 5):
///
/// | contacts per period | sin_contacto | contactar | relacionar | intimar | confiar |
/// |---------------------|--------------|-----------|------------|---------|---------|
/// | Premium             | 2            | 2         | 2          | 2       | 1.5     |
/// | Medio               | 1            | 1         | 1          | 1       | 0.5     |
/// | Genérico            | 0.5          | 0.33      | 0.33       | 0.5     | 0.33    |
///
/// Contacts are relational from relacionar on for Premium and from intimar on otherwise;
/// the mix moves from calls and email below the ladder to visits and video at its top.
struct contact_policy {
  std::vector<std::string> channels = {"visit", "video", "call", "email"};
  std::vector<double> minutes = {90, 30, 15, 5};                      ///< per contact, by channel
  std::vector<std::string> tiers = {"Genérico", "Medio", "Premium"};  ///< lowest to highest
  /// cadence[tier × stage_count + stage]; the defaults above when left empty.
  std::vector<cadence_rule> cadence;
  int period_days = 28;  ///< cadences, time budgets and contact caps count per this many days
  int max_contacts = 4;  ///< most contacts per customer in any period_days (campaigns count), unless the customer says
  int follow_up_days = 14;    ///< a conversation the customer started this recently, not yet answered by a proactive
                              ///< contact, gets a follow-up
  int preference_days = 365;  ///< the preferred channel is learned from the two-way contacts of this many days
  std::array<bool, 7> working_days = {true, true, true, true, true, false, false};  ///< Monday first

  /// The default cadences for these channels and tiers (needs the default channels and 3 tiers).
  [[nodiscard]] static std::vector<cadence_rule> default_cadence();

  /// The cadence of a tier × stage (the defaults when `cadence` is empty).
  [[nodiscard]] const cadence_rule& rule(index_t tier, stage s) const;
  /// Expected minutes per period a customer of this tier × stage takes: Σ contacts × mix × minutes.
  [[nodiscard]] double workload(index_t tier, stage s) const;
  /// The channel's row in `channels`, or -1.
  [[nodiscard]] index_t channel_of(std::string_view name) const;

  /// Throws invalid_input naming the field (and tier × stage) that is out of range.
  void validate() const;
};

}  // namespace cartera
