#include "cartera/contact_policy.hpp"

#include <cmath>
#include <string>

#include "detail/checks.hpp"
#include "detail/format.hpp"

namespace cartera {
namespace {

[[noreturn]] void fail(const std::string& field, std::int64_t row, const std::string& value, const std::string& rule) {
  detail::fail({"contact_policy", field, row, value}, rule);
}

std::string text(double x) { return detail::format_number(x); }

}  // namespace

std::string_view nature_name(contact_nature n) {
  return n == contact_nature::relational ? "relational" : "transactional";
}

std::vector<cadence_rule> contact_policy::default_cadence() {
  using enum contact_nature;
  // Channel order: visit, video, call, email.
  const std::vector<double> calls = {0.0, 0.3, 0.7, 0.0};
  const std::vector<double> calls_email = {0.0, 0.0, 0.5, 0.5};
  const std::vector<double> conversation = {0.25, 0.25, 0.5, 0.0};
  const std::vector<double> personal = {0.5, 0.25, 0.25, 0.0};
  const std::vector<double> generico_top = {0.0, 0.25, 0.75, 0.0};
  return {
      // Genérico
      {0.5, transactional, calls_email},
      {0.33, transactional, calls_email},
      {0.33, transactional, calls_email},
      {0.5, relational, generico_top},
      {0.33, relational, generico_top},
      // Medio
      {1, transactional, calls},
      {1, transactional, calls},
      {1, transactional, conversation},
      {1, relational, conversation},
      {0.5, relational, personal},
      // Premium
      {2, transactional, calls},
      {2, transactional, calls},
      {2, relational, conversation},
      {2, relational, personal},
      {1.5, relational, personal},
  };
}

const cadence_rule& contact_policy::rule(index_t tier, stage s) const {
  static const std::vector<cadence_rule> defaults = default_cadence();
  const auto& table = cadence.empty() ? defaults : cadence;
  return table[static_cast<std::size_t>(tier) * stage_count + static_cast<std::size_t>(s)];
}

double contact_policy::workload(index_t tier, stage s) const {
  const cadence_rule& r = rule(tier, s);
  double per_contact = 0.0;
  for (std::size_t ch = 0; ch < minutes.size(); ++ch) per_contact += r.mix[ch] * minutes[ch];
  return r.contacts * per_contact;
}

index_t contact_policy::channel_of(std::string_view name) const {
  for (std::size_t ch = 0; ch < channels.size(); ++ch) {
    if (channels[ch] == name) return static_cast<index_t>(ch);
  }
  return no_index;
}

void contact_policy::validate() const {
  if (channels.empty()) fail("channels", -1, "[]", "at least one channel is needed");
  if (minutes.size() != channels.size()) {
    fail("minutes", -1, std::to_string(minutes.size()) + " values",
         "needs one per channel (" + std::to_string(channels.size()) + ")");
  }
  for (std::size_t ch = 0; ch < channels.size(); ++ch) {
    if (channels[ch].empty()) fail("channels", static_cast<std::int64_t>(ch), "''", "a channel needs a name");
    for (std::size_t other = 0; other < ch; ++other) {
      if (channels[other] == channels[ch]) fail("channels", static_cast<std::int64_t>(ch), channels[ch], "is repeated");
    }
    if (!(minutes[ch] > 0) || !std::isfinite(minutes[ch])) {
      fail("minutes", static_cast<std::int64_t>(ch), text(minutes[ch]), "minutes per contact must be finite and > 0");
    }
  }
  if (tiers.empty()) fail("tiers", -1, "[]", "at least one tier is needed");
  if (cadence.empty()) {
    const bool defaults_fit =
        tiers.size() == 3 && channels == std::vector<std::string>{"visit", "video", "call", "email"};
    if (!defaults_fit) {
      fail("cadence", -1, "[]",
           "the default cadence is for 3 tiers and the channels visit, video, call, email; give one rule per tier × "
           "stage");
    }
  } else if (cadence.size() != tiers.size() * stage_count) {
    fail("cadence", -1, std::to_string(cadence.size()) + " rules",
         "needs one rule per tier × stage (" + std::to_string(tiers.size() * stage_count) + ")");
  }
  for (std::size_t t = 0; t < tiers.size(); ++t) {
    for (std::size_t s = 0; s < stage_count; ++s) {
      const cadence_rule& r = rule(static_cast<index_t>(t), static_cast<stage>(s));
      const std::string where = "cadence[" + tiers[t] + ", " + std::string(stage_name(static_cast<stage>(s))) + "]";
      if (!(r.contacts >= 0) || !std::isfinite(r.contacts))
        fail(where + ".contacts", -1, text(r.contacts), "must be finite and >= 0");
      if (r.mix.size() != channels.size()) {
        fail(where + ".mix", -1, std::to_string(r.mix.size()) + " shares",
             "needs one share per channel (" + std::to_string(channels.size()) + ")");
      }
      double total = 0.0;
      for (const double share : r.mix) {
        if (!(share >= 0) || !std::isfinite(share))
          fail(where + ".mix", -1, text(share), "shares must be finite and >= 0");
        total += share;
      }
      if (r.contacts > 0 && std::abs(total - 1.0) > 1e-6) fail(where + ".mix", -1, text(total), "shares must sum to 1");
    }
  }
  if (period_days < 1) fail("period_days", -1, std::to_string(period_days), "must be >= 1");
  if (max_contacts < 0) fail("max_contacts", -1, std::to_string(max_contacts), "must be >= 0");
  if (follow_up_days < 0) fail("follow_up_days", -1, std::to_string(follow_up_days), "must be >= 0");
  if (preference_days < 1) fail("preference_days", -1, std::to_string(preference_days), "must be >= 1");
  bool any = false;
  for (const bool day : working_days) any = any || day;
  if (!any) fail("working_days", -1, "none", "at least one working day is needed");
}

}  // namespace cartera
