#include "cartera/team_sizing.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include "detail/checks.hpp"

namespace cartera {

team_sizing size_team(std::span<const index_t> tier, std::span<const stage> stages, const contact_policy& policy,
                      double budget, std::int64_t capacity, std::int64_t team) {
  policy.validate();
  detail::check_size("team_size", "stage", stages.size(), tier.size(), "customer");
  if (!(budget > 0) || !std::isfinite(budget)) {
    throw invalid_input({"team_size", "budget", -1, std::to_string(budget)},
                        "minutes per manager must be finite and > 0");
  }
  if (capacity < 1) throw invalid_input({"team_size", "capacity", -1, std::to_string(capacity)}, "must be >= 1");
  if (team < 0)
    throw invalid_input({"team_size", "team", -1, std::to_string(team)}, "must be >= 0 (0: the team needed)");
  const auto tiers = policy.tiers.size();
  // Customers per tier × stage: everything below follows from these counts.
  std::vector<std::int64_t> cell(tiers * stage_count, 0);
  for (std::size_t c = 0; c < tier.size(); ++c) {
    if (tier[c] < 0 || static_cast<std::size_t>(tier[c]) >= tiers) {
      throw invalid_input({"customers", "tier", static_cast<std::int64_t>(c), std::to_string(tier[c])},
                          "no such tier in the contact policy");
    }
    if (static_cast<int>(stages[c]) >= stage_count) {
      throw invalid_input(
          {"customers", "stage", static_cast<std::int64_t>(c), std::to_string(static_cast<int>(stages[c]))},
          "no such stage");
    }
    ++cell[static_cast<std::size_t>(tier[c]) * stage_count + static_cast<std::size_t>(stages[c])];
  }
  team_sizing out;
  out.customers.assign(tiers, 0);
  out.minutes.assign(tiers, 0.0);
  out.minutes_per_customer.assign(tiers, 0.0);
  out.largest_portfolio.assign(tiers, capacity);
  out.coverage.assign(tiers, 0.0);
  std::int64_t total_customers = 0;
  for (std::size_t t = 0; t < tiers; ++t) {
    for (std::size_t s = 0; s < stage_count; ++s) {
      const std::int64_t k = cell[t * stage_count + s];
      out.customers[t] += k;
      out.minutes[t] += static_cast<double>(k) * policy.workload(static_cast<index_t>(t), static_cast<stage>(s));
    }
    total_customers += out.customers[t];
    out.total_minutes += out.minutes[t];
    if (out.customers[t] > 0) out.minutes_per_customer[t] = out.minutes[t] / static_cast<double>(out.customers[t]);
    if (out.minutes_per_customer[t] > 0) {
      out.largest_portfolio[t] =
          std::min(capacity, static_cast<std::int64_t>(std::floor(budget / out.minutes_per_customer[t] + 1e-9)));
    }
  }
  out.managers_by_time = static_cast<std::int64_t>(std::ceil(out.total_minutes / budget - 1e-9));
  out.managers_by_capacity = (total_customers + capacity - 1) / capacity;
  out.managers_needed = std::max(out.managers_by_time, out.managers_by_capacity);
  out.team = team == 0 ? out.managers_needed : team;

  // The what-if: serve whole cells, best first, while minutes and places last.
  double minutes_left = static_cast<double>(out.team) * budget;
  std::int64_t places_left = out.team * capacity;
  std::int64_t served_customers = 0;
  std::vector<std::int64_t> served(tiers, 0);
  for (std::size_t t = tiers; t-- > 0;) {
    for (std::size_t s = stage_count; s-- > 0;) {
      const std::int64_t k = cell[t * stage_count + s];
      const double each = policy.workload(static_cast<index_t>(t), static_cast<stage>(s));
      std::int64_t fit = std::min(k, places_left);
      if (each > 0) fit = std::min(fit, static_cast<std::int64_t>(std::floor(minutes_left / each + 1e-9)));
      served[t] += fit;
      places_left -= fit;
      minutes_left -= static_cast<double>(fit) * each;
      served_customers += fit;
    }
  }
  for (std::size_t t = 0; t < tiers; ++t) {
    out.coverage[t] =
        out.customers[t] > 0 ? static_cast<double>(served[t]) / static_cast<double>(out.customers[t]) : 1.0;
  }
  out.customer_coverage =
      total_customers > 0 ? static_cast<double>(served_customers) / static_cast<double>(total_customers) : 1.0;
  out.minute_coverage =
      out.total_minutes > 0 ? std::min(1.0, static_cast<double>(out.team) * budget / out.total_minutes) : 1.0;
  return out;
}

}  // namespace cartera
