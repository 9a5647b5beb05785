#include "cartera/value.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/parallel.hpp"

namespace cartera {
namespace {

// Per-channel costs looked up by category code, so the hot loop never touches strings.
std::vector<double> costs_by_code(const categorical& channel, const value_policy& policy) {
  std::vector<double> costs(channel.categories.size() + 1, policy.other_channel_cost);
  for (std::size_t code = 0; code < channel.categories.size(); ++code) {
    if (const auto it = policy.channel_costs.find(channel.categories[code]); it != policy.channel_costs.end()) {
      costs[code + 1] = it->second;  // slot 0 is "no channel" (code -1)
    }
  }
  return costs;
}

}  // namespace

void value_policy::validate() const {
  const detail::policy_checks require("value_policy");
  require(window_days > 0, "window_days", std::to_string(window_days), "must be positive");
  require(recent_days > 0, "recent_days", std::to_string(recent_days), "must be positive");
  require(usual_periods > 0, "usual_periods", std::to_string(usual_periods), "must be positive");
  require(std::isfinite(margin_rate), "margin_rate", detail::format_number(margin_rate), "must be finite");
  require(std::isfinite(other_channel_cost) && other_channel_cost >= 0, "other_channel_cost",
          detail::format_number(other_channel_cost), "must be finite and >= 0");
  for (const auto& [channel, cost] : channel_costs) {
    require(std::isfinite(cost) && cost >= 0, "channel_costs", channel + "=" + detail::format_number(cost),
            "must be finite and >= 0");
  }
}

value_table compute_value(const book& customers, day_t as_of, const value_policy& policy, const execution& run) {
  policy.validate();
  const Eigen::Index n = customers.customer_count();
  value_table out;
  out.recency.resize(n);
  out.frequency.resize(n);
  out.monetary.resize(n);
  out.monetary_mean.resize(n);
  out.margin.resize(n);
  out.tenure.resize(n);
  out.first_purchase.resize(n);
  out.last_purchase.resize(n);
  out.lifetime_monetary.resize(n);
  out.recent.resize(n);
  out.usual.resize(n);
  out.trend.resize(n);
  out.interactions.resize(n);
  out.cost_to_serve.resize(n);
  out.contribution.resize(n);
  out.returned.resize(n);
  out.returns.resize(n);
  out.return_rate.resize(n);

  const auto& tx = customers.transactions();
  const auto& in = customers.interactions();
  const auto tx_at = customers.transaction_offsets();
  const auto& back = customers.returns();
  const auto back_at = customers.return_offsets();
  const bool has_return_margin = back.margin.size() != 0;
  const auto in_at = customers.interaction_offsets();
  const bool has_margin = tx.margin.size() != 0;
  const bool has_since = customers.customers().since.size() != 0;
  const std::vector<double> channel_cost = costs_by_code(in.channel, policy);
  // 64-bit arithmetic: as_of minus a window may leave the 32-bit day range.
  const std::int64_t window_start = std::int64_t{as_of} - policy.window_days;  // exclusive
  const std::int64_t period = policy.recent_days;

  detail::parallel_for(n, run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t c = begin; c < end; ++c) {
      std::int32_t frequency = 0;
      double monetary = 0, margin = 0, lifetime = 0, recent = 0, earlier = 0;
      day_t first = no_day, last = no_day;
      for (std::int64_t k = tx_at[c]; k < tx_at[c + 1]; ++k) {
        const day_t day = tx.day[k];
        if (day > as_of) break;  // rows are in day order
        const double amount = tx.amount[k];
        if (first == no_day) first = day;
        last = day;
        lifetime += amount;
        if (day > window_start) {
          ++frequency;
          monetary += amount;
          margin += has_margin ? tx.margin[k] : amount * policy.margin_rate;
        }
        const std::int64_t age = as_of - day;
        if (age < period) {
          recent += amount;
        } else if (age < period * (policy.usual_periods + 1)) {
          earlier += amount;
        }
      }

      std::int32_t returns = 0;
      double returned = 0, margin_returned = 0, lifetime_returned = 0;
      for (std::int64_t k = back_at[c]; k < back_at[c + 1]; ++k) {
        const day_t day = back.day[k];
        if (day > as_of) break;
        lifetime_returned += back.amount[k];
        if (day > window_start) {
          ++returns;
          returned += back.amount[k];
          margin_returned += has_return_margin ? back.margin[k] : back.amount[k] * policy.margin_rate;
        }
      }

      std::int32_t contacts = 0;
      double cost = 0;
      day_t first_contact = no_day;
      for (std::int64_t k = in_at[c]; k < in_at[c + 1]; ++k) {
        const day_t day = in.day[k];
        if (day > as_of) break;
        if (first_contact == no_day) first_contact = day;
        if (day > window_start) {
          ++contacts;
          cost += channel_cost[static_cast<std::size_t>(in.channel.codes[k] + 1)];
        }
      }

      // First known: the earliest of customers.since and the first event.
      day_t known = no_day;
      for (const day_t day : {has_since ? customers.customers().since[c] : no_day, first, first_contact}) {
        if (day != no_day && day <= as_of && (known == no_day || day < known)) known = day;
      }
      // Earlier periods k = 1..usual_periods end at as_of - k * period; count those the
      // customer was known in, so a new customer's usual spend is not diluted by periods
      // before they arrived.
      const std::int64_t known_for = known == no_day ? -1 : as_of - known;
      const std::int64_t periods = std::clamp<std::int64_t>(known_for / period, 0, policy.usual_periods);
      const double usual = periods > 0 ? earlier / static_cast<double>(periods) : 0.0;

      out.recency[c] = last == no_day ? std::numeric_limits<double>::infinity() : static_cast<double>(as_of - last);
      out.frequency[c] = frequency;
      const double bought = monetary;
      monetary -= returned;
      margin -= margin_returned;
      out.monetary[c] = monetary;
      out.monetary_mean[c] = frequency > 0 ? monetary / frequency : 0.0;
      out.margin[c] = margin;
      out.tenure[c] = known == no_day ? 0 : as_of - known;
      out.first_purchase[c] = first;
      out.last_purchase[c] = last;
      out.lifetime_monetary[c] = lifetime - lifetime_returned;
      out.recent[c] = recent;
      out.usual[c] = usual;
      out.trend[c] = usual > 0 ? recent / usual : (recent > 0 ? std::numeric_limits<double>::infinity() : 1.0);
      out.interactions[c] = contacts;
      out.cost_to_serve[c] = cost;
      out.contribution[c] = margin - cost;
      out.returned[c] = returned;
      out.returns[c] = returns;
      out.return_rate[c] =
          bought > 0 ? returned / bought : (returned > 0 ? std::numeric_limits<double>::infinity() : 0.0);
    }
  });
  return out;
}

repeat_summary compute_repeat_summary(const book& customers, day_t as_of, double unit_days, const execution& run) {
  if (!(unit_days > 0) || !std::isfinite(unit_days)) {
    throw invalid_input({"repeat_summary", "unit_days", -1, detail::format_number(unit_days)}, "must be positive");
  }
  const Eigen::Index n = customers.customer_count();
  repeat_summary out;
  out.frequency.resize(n);
  out.recency.resize(n);
  out.age.resize(n);
  out.monetary.resize(n);
  out.purchased.resize(n);
  const auto& tx = customers.transactions();
  const auto at = customers.transaction_offsets();

  detail::parallel_for(n, run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t c = begin; c < end; ++c) {
      day_t first = no_day, last = no_day;
      std::int64_t days = 0;
      double first_day_total = 0, total = 0;
      for (std::int64_t k = at[c]; k < at[c + 1]; ++k) {
        const day_t day = tx.day[k];
        if (day > as_of) break;
        if (day != last) ++days;
        if (first == no_day) first = day;
        if (day == first) first_day_total += tx.amount[k];
        total += tx.amount[k];
        last = day;
      }
      const bool bought = first != no_day;
      out.purchased[c] = bought ? 1 : 0;
      out.frequency[c] = bought ? static_cast<double>(days - 1) : 0.0;
      out.recency[c] = bought ? (last - first) / unit_days : 0.0;
      out.age[c] = bought ? (as_of - first) / unit_days : 0.0;
      out.monetary[c] = days > 1 ? (total - first_day_total) / static_cast<double>(days - 1) : 0.0;
    }
  });
  return out;
}

}  // namespace cartera
