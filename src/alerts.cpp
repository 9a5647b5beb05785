#include "cartera/alerts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/ordering.hpp"

namespace cartera {
namespace {

std::string money(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string percent(double share) { return std::to_string(static_cast<long long>(std::llround(share * 100))) + " %"; }

// Flags the first ⌈share × n⌉ rows of `order` whose value passes `eligible`.
template <typename Eligible>
std::vector<std::uint8_t> top_share(const std::vector<index_t>& order, double share, Eligible eligible) {
  std::vector<std::uint8_t> flags(order.size(), 0);
  const auto wanted = static_cast<std::size_t>(std::ceil(share * static_cast<double>(order.size())));
  for (std::size_t k = 0; k < std::min(wanted, order.size()); ++k) {
    if (eligible(order[k])) flags[static_cast<std::size_t>(order[k])] = 1;
  }
  return flags;
}

std::vector<index_t> ordered(const real_column& column, bool highest_first) {
  return detail::order_by({column.data(), static_cast<std::size_t>(column.size())}, highest_first);
}

}  // namespace

std::string_view alert_name(alert_kind kind) {
  static constexpr std::array<std::string_view, alert_kind_count> names = {
      "valuable_complainer", "declining", "lapsed_valuable", "growing", "mvc", "below_zero"};
  return names[static_cast<std::size_t>(kind)];
}

void alert_policy::validate() const {
  const auto share = [](double value, const char* field) {
    if (!(value >= 0 && value <= 1))
      throw invalid_input({"alert_policy", field, -1, detail::format_number(value)}, "must be in [0, 1]");
  };
  share(mvc_share, "mvc_share");
  share(below_zero_share, "below_zero_share");
  share(valuable_share, "valuable_share");
  if (!(declining_trend > 0) || !std::isfinite(declining_trend)) {
    throw invalid_input({"alert_policy", "declining_trend", -1, detail::format_number(declining_trend)},
                        "must be positive");
  }
  if (!(growing_trend > 0) || !std::isfinite(growing_trend)) {
    throw invalid_input({"alert_policy", "growing_trend", -1, detail::format_number(growing_trend)},
                        "must be positive");
  }
  if (complaint_days <= 0)
    throw invalid_input({"alert_policy", "complaint_days", -1, std::to_string(complaint_days)}, "must be positive");
  if (growing_min_purchases < 0) {
    throw invalid_input({"alert_policy", "growing_min_purchases", -1, std::to_string(growing_min_purchases)},
                        "must be >= 0");
  }
  if (lapsed_days <= 0)
    throw invalid_input({"alert_policy", "lapsed_days", -1, std::to_string(lapsed_days)}, "must be positive");
}

// Long on purpose: one pass per customer raises every kind of alert from the same figures;
// the kinds share the customer's value percentile and recent period.
alert_table detect_alerts(const book& customers, const value_table& value, day_t as_of, const value_policy& value_rules,
                          const alert_policy& policy, std::span<const std::uint8_t> valuable_flags) {
  policy.validate();
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("alerts", "value", static_cast<std::size_t>(value.monetary.size()), n, "customer");
  detail::check_size("alerts", "valuable", valuable_flags.size(), n, "customer", detail::counted::rows, true);
  // Value percentile (share of customers with less lifetime spend) orders alerts of a kind.
  const std::vector<index_t> by_lifetime = ordered(value.lifetime_monetary, true);
  std::vector<double> percentile(n);
  for (std::size_t k = 0; k < n; ++k)
    percentile[static_cast<std::size_t>(by_lifetime[k])] = 1.0 - static_cast<double>(k + 1) / static_cast<double>(n);
  const std::vector<std::uint8_t> valuable =
      !valuable_flags.empty()
          ? std::vector<std::uint8_t>(valuable_flags.begin(), valuable_flags.end())
          : top_share(by_lifetime, policy.valuable_share, [&](index_t c) { return value.lifetime_monetary[c] > 0; });
  const std::vector<std::uint8_t> mvc =
      top_share(ordered(value.monetary, true), policy.mvc_share, [&](index_t c) { return value.monetary[c] > 0; });
  const std::vector<std::uint8_t> bottom =
      policy.below_zero_by_share
          ? top_share(ordered(value.contribution, false), policy.below_zero_share, [](index_t) { return true; })
          : std::vector<std::uint8_t>{};

  struct found {
    index_t customer;
    alert_kind kind;
    bool urgent;
    std::string reason;
  };
  std::vector<found> alerts;
  const auto& complaints = customers.complaints();
  const auto complaint_at = customers.complaint_offsets();
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<index_t>(i);
    const double recent = value.recent[c], usual = value.usual[c], recency = value.recency[c];
    if (valuable[i]) {
      // The newest complaint in the last complaint_days; urgent while any of them is open.
      day_t newest = no_day;
      bool open = false, first_contact = false;
      for (std::int64_t k = complaint_at[i]; k < complaint_at[i + 1]; ++k) {
        const day_t opened = complaints.opened[k];
        if (opened > as_of || opened <= as_of - policy.complaint_days) continue;
        const day_t resolved = complaints.resolved.size() ? complaints.resolved[k] : no_day;
        const bool still_open = resolved == no_day || resolved > as_of;
        open = open || still_open;
        if (newest == no_day || opened >= newest) {
          newest = opened;
          first_contact = !still_open && complaints.first_contact.size() && complaints.first_contact[k];
        }
      }
      if (newest != no_day) {
        const day_t age = as_of - newest;
        std::string reason =
            "valuable; complaint opened " + format_day(newest) + " (" + std::to_string(age) + " days ago), ";
        reason += open ? "unresolved: act within " + std::to_string(policy.complaint_days - age) + " days"
                       : (first_contact ? "resolved at first contact" : "resolved");
        alerts.push_back({c, alert_kind::valuable_complainer, open, std::move(reason)});
      }
    }
    if ((valuable[i] || !policy.declining_valuable_only) && recent > 0 && usual > 0 &&
        recent < policy.declining_trend * usual) {
      alerts.push_back({c, alert_kind::declining, false,
                        std::string(valuable[i] ? "valuable; " : "") + "recent spend " + money(recent) + " is " +
                            percent(recent / usual) + " of usual " + money(usual) + " (below " +
                            percent(policy.declining_trend) + ")"});
    }
    if (valuable[i] && std::isfinite(recency) && recency >= value_rules.recent_days && recency <= policy.lapsed_days) {
      alerts.push_back({c, alert_kind::lapsed_valuable, false,
                        "valuable; last purchase " + format_day(value.last_purchase[c]) + " (" +
                            std::to_string(static_cast<long long>(recency)) + " days ago)"});
    }
    if (recent > 0 && usual > 0 && recent > policy.growing_trend * usual &&
        value.frequency[c] >= policy.growing_min_purchases) {
      alerts.push_back({c, alert_kind::growing, false,
                        "recent spend " + money(recent) + " is " + percent(recent / usual) + " of usual " +
                            money(usual) + " (above " + percent(policy.growing_trend) + ")"});
    }
    if (mvc[i]) {
      alerts.push_back({c, alert_kind::mvc, false,
                        "top " + percent(policy.mvc_share) + " by spend in the window: " + money(value.monetary[c])});
    }
    const bool below = policy.below_zero_by_share ? bottom[i] != 0 : value.contribution[c] < 0;
    if (below) {
      alerts.push_back({c, alert_kind::below_zero, false,
                        "contribution " + money(value.contribution[c]) + " = margin " + money(value.margin[c]) +
                            " - cost to serve " + money(value.cost_to_serve[c])});
    }
  }
  const auto priority = [&](const found& a) {
    return static_cast<double>(alert_kind_count - static_cast<int>(a.kind)) + (a.urgent ? 1.0 : 0.0) +
           percentile[static_cast<std::size_t>(a.customer)];
  };
  std::vector<double> priorities(alerts.size());
  for (std::size_t k = 0; k < alerts.size(); ++k) priorities[k] = priority(alerts[k]);
  alert_table t;
  for (const index_t k : detail::order_by(priorities, true)) {  // ties keep customer order
    found& a = alerts[static_cast<std::size_t>(k)];
    t.priority.push_back(priorities[static_cast<std::size_t>(k)]);
    t.customer.push_back(a.customer);
    t.kind.push_back(a.kind);
    t.urgent.push_back(a.urgent ? 1 : 0);
    t.reason.push_back(std::move(a.reason));
  }
  return t;
}

}  // namespace cartera
