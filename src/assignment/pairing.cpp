#include "assignment/pairing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "cartera/error.hpp"
#include "detail/checks.hpp"

namespace cartera {
namespace {

using detail::check_codes;
using detail::check_numbers;
using detail::fail;

// The per-row columns of a table given here are all optional (empty: absent).
template <typename T>
void check_size(const char* table, const char* column, const std::vector<T>& values, index_t expected) {
  detail::check_size(table, column, values.size(), static_cast<std::size_t>(expected), "row", detail::counted::entries,
                     true);
}

void check_policy_number(const char* column, double value, double high = std::numeric_limits<double>::infinity()) {
  detail::require(
      std::isfinite(value) && value >= 0 && value <= high, "realignment_policy", column, value,
      "must be finite, >= 0" + (std::isinf(high) ? std::string() : " and <= " + detail::format_number(high)));
}

void validate(const realignment_customers& c, const realignment_managers& m, const realignment_policy& policy,
              const std::vector<std::pair<index_t, index_t>>& forbidden) {
  const index_t n = c.size(), k = m.size();
  check_numbers("customers", "value", c.value);
  check_size("customers", "segment", c.segment, n);
  check_size("customers", "region", c.region, n);
  check_size("customers", "pool", c.pool, n);
  check_size("customers", "current", c.current, n);
  check_size("customers", "current_stage", c.current_stage, n);
  check_size("customers", "manual", c.manual, n);
  check_size("customers", "workload", c.workload, n);
  check_size("customers", "x", c.x, n);
  check_size("customers", "y", c.y, n);
  if (c.x.size() != c.y.size())
    fail({"customers", "y", -1, std::to_string(c.y.size()) + " entries"}, "must be given with x");
  check_numbers("customers", "workload", c.workload);
  check_numbers("customers", "x", c.x, {.negative = true});
  check_numbers("customers", "y", c.y, {.negative = true});
  check_codes("customers", "segment", c.segment);
  check_codes("customers", "pool", c.pool);
  for (std::size_t i = 0; i < c.current.size(); ++i) {
    if (c.current[i] < no_index || c.current[i] >= k)
      fail({"customers", "current", static_cast<std::int64_t>(i), std::to_string(c.current[i])}, "no such manager");
  }
  for (std::size_t i = 0; i < c.current_stage.size(); ++i) {
    if (static_cast<int>(c.current_stage[i]) >= stage_count)
      fail({"customers", "current_stage", static_cast<std::int64_t>(i),
            std::to_string(static_cast<int>(c.current_stage[i]))},
           "no such stage");
  }
  check_size("managers", "time_budget", m.time_budget, k);
  check_size("managers", "x", m.x, k);
  check_size("managers", "y", m.y, k);
  check_size("managers", "region", m.region, k);
  check_size("managers", "skills", m.skills, k);
  check_size("managers", "pools", m.pools, k);
  check_size("managers", "level", m.level, k);
  if (m.x.size() != m.y.size())
    fail({"managers", "y", -1, std::to_string(m.y.size()) + " entries"}, "must be given with x");
  check_size("managers", "fixed_cost", m.fixed_cost, k);
  check_numbers("managers", "time_budget", m.time_budget, {.infinity = true});
  check_numbers("managers", "fixed_cost", m.fixed_cost);
  check_numbers("managers", "x", m.x, {.negative = true});
  check_numbers("managers", "y", m.y, {.negative = true});
  check_codes("managers", "level", m.level);
  for (std::size_t j = 0; j < m.capacity.size(); ++j) {
    if (m.capacity[j] < 0)
      fail({"managers", "capacity", static_cast<std::int64_t>(j), std::to_string(m.capacity[j])}, "must be >= 0");
  }
  policy.validate();
  for (std::size_t f = 0; f < forbidden.size(); ++f) {
    if (forbidden[f].first < 0 || forbidden[f].first >= n)
      fail({"forbidden", "customer", static_cast<std::int64_t>(f), std::to_string(forbidden[f].first)},
           "no such customer");
    if (forbidden[f].second < 0 || forbidden[f].second >= k)
      fail({"forbidden", "manager", static_cast<std::int64_t>(f), std::to_string(forbidden[f].second)},
           "no such manager");
  }
}

}  // namespace

void realignment_policy::validate() const {
  check_policy_number("distance_weight", distance_weight);
  check_policy_number("fit_weight", fit_weight);
  check_policy_number("leave_out_weight", leave_out_weight);
  check_policy_number("leave_out_floor", leave_out_floor);
  check_policy_number("move_share", move_share, 1);
  check_policy_number("band_tolerance", band_tolerance);
  check_policy_number("band_penalty", band_penalty);
  check_policy_number("value_band_tolerance", value_band_tolerance);
  check_policy_number("value_band_penalty", value_band_penalty);
  for (const double price : continuity) check_policy_number("continuity", price);
  if (max_candidates < 0)
    fail({"realignment_policy", "max_candidates", -1, std::to_string(max_candidates)}, "must be >= 0");
  if (move_budget < -1)
    fail({"realignment_policy", "move_budget", -1, std::to_string(move_budget)}, "must be >= 0, or -1 for no limit");
}

namespace detail {

pairing::pairing(const realignment_customers& customers, const realignment_managers& managers,
                 const realignment_policy& policy, const std::vector<std::pair<index_t, index_t>>& forbidden)
    : customers_(customers),
      managers_(managers),
      policy_(policy),
      distances_(!customers.x.empty() && !managers.x.empty() && policy.distance_weight > 0) {
  validate(customers, managers, policy, forbidden);
  for (index_t j = 0; j < managers.size(); ++j) {
    pools_[policy.same_region && !managers.region.empty() ? managers.region[static_cast<std::size_t>(j)] : 0].push_back(
        j);
  }
  for (const auto& [region, pool] : pools_) widest_ = std::max(widest_, pool.size());
  banned_.resize(static_cast<std::size_t>(customers.size()));
  for (const auto& [c, j] : forbidden) banned_[static_cast<std::size_t>(c)].push_back(j);
  for (std::size_t c = 0; c < banned_.size(); ++c) {
    if (locked(c) && std::ranges::find(banned_[c], current_of(c)) != banned_[c].end()) {
      fail({"forbidden", "manager", -1, std::to_string(current_of(c))},
           "is the locked manual manager of customer " + std::to_string(c));
    }
  }
}

const std::vector<index_t>& pairing::pool_of(std::size_t c) const {
  // Regions matter only when both sides have them: managers without one serve everyone.
  const bool by_region = policy_.same_region && !customers_.region.empty() && !managers_.region.empty();
  const std::int32_t region = by_region ? customers_.region[c] : 0;
  const auto found = pools_.find(region);
  return found == pools_.end() ? nobody_ : found->second;
}

bool pairing::eligible(std::size_t c, index_t manager) const {
  const auto j = static_cast<std::size_t>(manager);
  const std::int32_t segment = customers_.segment.empty() ? 0 : customers_.segment[c];
  const std::int32_t pool = customers_.pool.empty() ? -1 : customers_.pool[c];
  const bool skilled = managers_.skills.empty() || segment < 0 || ((managers_.skills[j] >> segment) & 1u) != 0;
  const bool serves = managers_.pools.empty() || pool < 0 || ((managers_.pools[j] >> pool) & 1u) != 0;
  return skilled && serves && std::ranges::find(banned_[c], manager) == banned_[c].end();
}

double pairing::cost(std::size_t c, index_t manager) const {
  const auto j = static_cast<std::size_t>(manager);
  const std::int32_t segment = customers_.segment.empty() ? 0 : customers_.segment[c];
  double cost = 0;
  if (distances_)
    cost += policy_.distance_weight * std::hypot(customers_.x[c] - managers_.x[j], customers_.y[c] - managers_.y[j]);
  if (!managers_.level.empty() && segment >= 0 && managers_.level[j] >= 0)
    cost += policy_.fit_weight * std::abs(segment - managers_.level[j]);
  // Continuity prices leaving the current manager: without one there is nothing to lose.
  if (current_of(c) != no_index && manager != current_of(c)) {
    cost +=
        policy_
            .continuity[customers_.current_stage.empty() ? 0 : static_cast<std::size_t>(customers_.current_stage[c])];
  }
  return cost;
}

bool pairing::locked(std::size_t c) const {
  return policy_.lock_manual && !customers_.manual.empty() && customers_.manual[c] != 0 && current_of(c) != no_index;
}

std::uint64_t pairing::tie_break(index_t customer, index_t manager) {
  std::uint64_t z = (static_cast<std::uint64_t>(customer) << 32) ^ static_cast<std::uint64_t>(manager);
  z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDull;
  z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53ull;
  return z ^ (z >> 33);
}

}  // namespace detail
}  // namespace cartera
