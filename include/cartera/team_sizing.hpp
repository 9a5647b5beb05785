#pragma once
/// \file team_sizing.hpp
/// How many managers a contact policy needs for a customer base, the largest portfolio
/// each tier allows, and what the current team reaches: where "more than 100 customers
/// gives no value" becomes a number to check.

#include <cstdint>
#include <span>
#include <vector>

#include "cartera/contact_policy.hpp"

namespace cartera {

/// One row per tier, then the totals.
struct team_sizing {
  std::vector<std::int64_t> customers;       ///< customers of the tier
  std::vector<double> minutes_per_customer;  ///< mean policy workload per period
  std::vector<double> minutes;               ///< the tier's workload per period
  /// The most customers of this tier (at its mean workload) one manager can serve
  /// proactively in a period: floor(budget ÷ minutes per customer), at most the capacity.
  std::vector<std::int64_t> largest_portfolio;
  std::vector<double> coverage;  ///< share of the tier's customers the team serves in full

  double total_minutes = 0;
  std::int64_t managers_by_time = 0;      ///< ceil(total minutes ÷ budget)
  std::int64_t managers_by_capacity = 0;  ///< ceil(customers ÷ capacity)
  std::int64_t managers_needed = 0;       ///< the larger of the two
  std::int64_t team = 0;                  ///< the team the what-if used
  double customer_coverage = 0;           ///< share of all customers served in full by the team
  double minute_coverage = 0;             ///< share of all minutes the team's time covers
};

/// Sizes the team for customers with these tiers (rows of policy.tiers) and stages, each
/// manager having `budget` minutes per period and room for `capacity` customers. The
/// what-if serves customers in full, higher tiers first and, within a tier, higher stages
/// first, until the team's minutes or places run out. `team` 0 means managers_needed.
[[nodiscard]] team_sizing size_team(std::span<const index_t> tier, std::span<const stage> stages,
                                    const contact_policy& policy, double budget, std::int64_t capacity = 100,
                                    std::int64_t team = 0);

}  // namespace cartera
