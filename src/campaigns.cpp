#include "cartera/campaigns.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "detail/checks.hpp"
#include "detail/parallel.hpp"

namespace cartera {

std::string_view outcome_name(campaign_outcome outcome) {
  static constexpr std::array<std::string_view, campaign_outcome_count> names = {
      "waiting", "no_response", "followed_up", "follow_up_due", "missed"};
  return names[static_cast<std::size_t>(outcome)];
}

void campaign_policy::validate() const {
  const detail::policy_checks check("campaign_policy");
  check(response_days > 0, "response_days", response_days, "must be a positive number of days");
  check(follow_up_days > 0, "follow_up_days", follow_up_days, "must be a positive number of days");
}

namespace {

// What the customer did in a campaign contact's window: their first response and what they bought.
struct response {
  day_t day = no_day;
  bool bought = false;
  double revenue = 0;
};

response respond(const book& b, std::size_t c, day_t from, day_t to) {
  response r;
  const auto& tx = b.transactions();
  const auto tx_at = b.transaction_offsets();
  const auto* days = tx.day.data();
  for (auto k = std::upper_bound(days + tx_at[c], days + tx_at[c + 1], from) - days; k < tx_at[c + 1] && days[k] <= to;
       ++k) {
    if (!r.bought) r.day = days[k];
    r.bought = true;
    r.revenue += tx.amount[k];
  }
  const auto& in = b.interactions();
  if (in.proactive.size() == 0) return r;  // who started a contact is unknown: purchases alone tell
  const auto in_at = b.interaction_offsets();
  const auto* contact_days = in.day.data();
  for (auto k = std::upper_bound(contact_days + in_at[c], contact_days + in_at[c + 1], from) - contact_days;
       k < in_at[c + 1] && contact_days[k] <= to; ++k) {
    if (in.proactive[k] == 0) {
      r.day = r.day == no_day ? contact_days[k] : std::min(r.day, contact_days[k]);
      break;
    }
  }
  return r;
}

// The first proactive contact with customer c by `manager` (anyone when -1 or when the
// interactions name no manager) on a day in [from, to].
day_t followed_up(const book& b, std::size_t c, index_t manager, day_t from, day_t to) {
  const auto& in = b.interactions();
  const auto at = b.interaction_offsets();
  const auto* days = in.day.data();
  for (auto k = std::lower_bound(days + at[c], days + at[c + 1], from) - days; k < at[c + 1] && days[k] <= to; ++k) {
    const bool proactive = in.proactive.size() == 0 || in.proactive[k] != 0;
    const bool theirs = manager == no_index || in.manager.size() == 0 || in.manager[k] == manager;
    if (proactive && theirs) return days[k];
  }
  return no_day;
}

}  // namespace

campaign_responses measure_campaigns(const book& customers, day_t as_of, const campaign_policy& policy,
                                     std::span<const index_t> manager) {
  policy.validate();
  const campaign_table& campaigns = customers.campaigns();
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("campaigns", "manager", manager.size(), n, "customer", detail::counted::entries, true);
  for (std::size_t c = 0; c < manager.size(); ++c) {
    if (manager[c] < no_index || manager[c] >= customers.manager_count()) {
      throw unknown_id({"campaigns", "manager", static_cast<std::int64_t>(c), std::to_string(manager[c])},
                       "no such manager");
    }
  }
  const auto& book_manager = customers.customers().manager;
  campaign_responses out;
  for (Eigen::Index r = 0; r < campaigns.customer.size(); ++r) {
    if (campaigns.day[r] <= as_of) out.row.push_back(r);
  }
  const std::size_t rows = out.row.size();
  out.response_day.assign(rows, no_day);
  out.bought.assign(rows, 0);
  out.revenue.assign(rows, 0.0);
  out.follow_up_day.assign(rows, no_day);
  out.outcome.assign(rows, campaign_outcome::waiting);
  detail::parallel_for(static_cast<std::int64_t>(rows), {}, [&](std::int64_t first, std::int64_t last) {
    for (auto k = static_cast<std::size_t>(first); k < static_cast<std::size_t>(last); ++k) {
      const auto r = static_cast<Eigen::Index>(out.row[k]);
      const auto c = static_cast<std::size_t>(campaigns.customer[r]);
      const day_t day = campaigns.day[r];
      const response got = respond(customers, c, day, std::min(as_of, day + policy.response_days));
      out.response_day[k] = got.day;
      out.bought[k] = got.bought ? 1 : 0;
      out.revenue[k] = got.revenue;
      if (got.day == no_day) {
        out.outcome[k] = as_of < day + policy.response_days ? campaign_outcome::waiting : campaign_outcome::no_response;
        continue;
      }
      const index_t m =
          !manager.empty() ? manager[c] : (book_manager.size() ? book_manager[static_cast<index_t>(c)] : no_index);
      const day_t deadline = got.day + policy.follow_up_days;
      out.follow_up_day[k] = followed_up(customers, c, m, got.day, std::min(as_of, deadline));
      out.outcome[k] = out.follow_up_day[k] != no_day ? campaign_outcome::followed_up
                       : as_of < deadline             ? campaign_outcome::follow_up_due
                                                      : campaign_outcome::missed;
    }
  });
  return out;
}

}  // namespace cartera
