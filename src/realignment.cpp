#include "cartera/realignment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "cartera/detail/format.hpp"
#include "cartera/detail/parallel.hpp"
#include "cartera/error.hpp"

namespace cartera {
namespace {

[[noreturn]] void fail(const char* table, const char* column, std::int64_t row, const std::string& value, const std::string& problem) {
  throw invalid_input({table, column, row, value}, problem);
}

template <typename T>
void check_size(const char* table, const char* column, const std::vector<T>& values, index_t expected) {
  if (!values.empty() && values.size() != static_cast<std::size_t>(expected)) {
    fail(table, column, -1, std::to_string(values.size()) + " entries", "must hold one entry per row (" + std::to_string(expected) + ")");
  }
}

void check_reals(const char* table, const char* column, const std::vector<double>& values, bool infinity_allowed, bool negative_allowed = false) {
  for (std::size_t k = 0; k < values.size(); ++k) {
    const double v = values[k];
    if (std::isnan(v) || (!negative_allowed && v < 0) || (!infinity_allowed && std::isinf(v))) {
      fail(table, column, static_cast<std::int64_t>(k), detail::format_number(v),
           std::string("must be ") + (infinity_allowed ? "" : "finite") + (negative_allowed ? "" : (infinity_allowed ? ">= 0" : " and >= 0")));
    }
  }
}

void check_policy_number(const char* column, double value, double high = std::numeric_limits<double>::infinity()) {
  if (!std::isfinite(value) || value < 0 || value > high) fail("realignment_policy", column, -1, detail::format_number(value), "must be finite, >= 0" + (std::isinf(high) ? std::string() : " and <= " + detail::format_number(high)));
}

void validate(const realignment_customers& c, const realignment_managers& m, const realignment_policy& policy,
              const std::vector<std::pair<index_t, index_t>>& forbidden) {
  const index_t n = c.size(), k = m.size();
  check_reals("customers", "value", c.value, false);
  check_size("customers", "segment", c.segment, n);
  check_size("customers", "region", c.region, n);
  check_size("customers", "current", c.current, n);
  check_size("customers", "current_stage", c.current_stage, n);
  check_size("customers", "manual", c.manual, n);
  check_size("customers", "workload", c.workload, n);
  check_size("customers", "x", c.x, n);
  check_size("customers", "y", c.y, n);
  if (c.x.size() != c.y.size()) fail("customers", "y", -1, std::to_string(c.y.size()) + " entries", "must be given with x");
  check_reals("customers", "workload", c.workload, false);
  check_reals("customers", "x", c.x, false, true);
  check_reals("customers", "y", c.y, false, true);
  for (std::size_t i = 0; i < c.segment.size(); ++i) {
    if (c.segment[i] < -1 || c.segment[i] > 63) fail("customers", "segment", static_cast<std::int64_t>(i), std::to_string(c.segment[i]), "must be -1 or a code in 0..63");
  }
  for (std::size_t i = 0; i < c.current.size(); ++i) {
    if (c.current[i] < no_index || c.current[i] >= k) fail("customers", "current", static_cast<std::int64_t>(i), std::to_string(c.current[i]), "no such manager");
  }
  for (std::size_t i = 0; i < c.current_stage.size(); ++i) {
    if (static_cast<int>(c.current_stage[i]) >= stage_count) fail("customers", "current_stage", static_cast<std::int64_t>(i), std::to_string(static_cast<int>(c.current_stage[i])), "no such stage");
  }
  check_size("managers", "time_budget", m.time_budget, k);
  check_size("managers", "x", m.x, k);
  check_size("managers", "y", m.y, k);
  check_size("managers", "region", m.region, k);
  check_size("managers", "skills", m.skills, k);
  check_size("managers", "level", m.level, k);
  if (m.x.size() != m.y.size()) fail("managers", "y", -1, std::to_string(m.y.size()) + " entries", "must be given with x");
  check_size("managers", "fixed_cost", m.fixed_cost, k);
  check_reals("managers", "time_budget", m.time_budget, true);
  check_reals("managers", "fixed_cost", m.fixed_cost, false);
  check_reals("managers", "x", m.x, false, true);
  check_reals("managers", "y", m.y, false, true);
  for (std::size_t j = 0; j < m.level.size(); ++j) {
    if (m.level[j] < -1 || m.level[j] > 63) fail("managers", "level", static_cast<std::int64_t>(j), std::to_string(m.level[j]), "must be -1 or a code in 0..63");
  }
  for (std::size_t j = 0; j < m.capacity.size(); ++j) {
    if (m.capacity[j] < 0) fail("managers", "capacity", static_cast<std::int64_t>(j), std::to_string(m.capacity[j]), "must be >= 0");
  }
  policy.validate();
  for (std::size_t f = 0; f < forbidden.size(); ++f) {
    if (forbidden[f].first < 0 || forbidden[f].first >= n) fail("forbidden", "customer", static_cast<std::int64_t>(f), std::to_string(forbidden[f].first), "no such customer");
    if (forbidden[f].second < 0 || forbidden[f].second >= k) fail("forbidden", "manager", static_cast<std::int64_t>(f), std::to_string(forbidden[f].second), "no such manager");
  }
}

// A deterministic, well-spread tie-break between equally cheap managers, so that customers
// alike do not all crowd the manager with the smallest index.
std::uint64_t tie_break(index_t customer, index_t manager) {
  std::uint64_t z = (static_cast<std::uint64_t>(customer) << 32) ^ static_cast<std::uint64_t>(manager);
  z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDull;
  z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53ull;
  return z ^ (z >> 33);
}

struct candidate {
  double cost;
  std::uint64_t tie;
  index_t manager;
  bool operator<(const candidate& other) const { return cost != other.cost ? cost < other.cost : tie < other.tie; }
};

// What the policy sets whoever chose the candidates: leave-out prices, capacities and time
// budgets, fixed costs, current managers, the move budget, locks and the bands.
void set_policy_limits(assignment_problem& p, const realignment_customers& customers, const realignment_managers& managers,
                       const realignment_policy& policy) {
  const auto n = static_cast<std::size_t>(customers.size());
  const auto current_of = [&](std::size_t c) { return customers.current.empty() ? no_index : customers.current[c]; };
  p.leave_out.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    const double continuity =
        current_of(c) == no_index ? 0 : policy.continuity[customers.current_stage.empty() ? 0 : static_cast<std::size_t>(customers.current_stage[c])];
    p.leave_out[c] = std::max(policy.leave_out_floor, policy.leave_out_weight * customers.value[c]) + continuity;
  }
  p.capacity = managers.capacity;
  if (!managers.time_budget.empty()) p.time_budget = managers.time_budget;
  p.fixed_cost = managers.fixed_cost;
  if (!customers.current.empty()) {
    p.current = customers.current;
    std::int64_t with_manager = 0;
    for (const index_t now : customers.current) with_manager += now != no_index;
    std::int64_t budget = policy.move_share < 1 ? static_cast<std::int64_t>(std::floor(policy.move_share * static_cast<double>(with_manager))) : -1;
    if (policy.move_budget >= 0) budget = budget < 0 ? policy.move_budget : std::min(budget, policy.move_budget);
    p.move_budget = budget;
  }
  if (policy.lock_manual && !customers.manual.empty()) {
    p.pinned.assign(n, no_index);
    for (std::size_t c = 0; c < n; ++c) {
      if (customers.manual[c] != 0) p.pinned[c] = current_of(c);
    }
  }
  if (policy.band_penalty > 0 && !managers.capacity.empty()) {
    double total = 0;
    for (const auto cap : managers.capacity) total += static_cast<double>(cap);
    const double share = total > 0 ? std::min(1.0, static_cast<double>(n) / total) : 0;
    p.band.penalty = policy.band_penalty;
    for (const auto cap : managers.capacity) {
      const double target = static_cast<double>(cap) * share;
      p.band.low.push_back(static_cast<std::int64_t>(std::floor(target * (1 - policy.band_tolerance))));
      p.band.high.push_back(std::max(p.band.low.back(), static_cast<std::int64_t>(std::ceil(target * (1 + policy.band_tolerance)))));
    }
  }
  if (policy.value_band_penalty > 0 && !managers.capacity.empty()) {
    double capacity = 0, value = 0;
    for (const auto cap : managers.capacity) capacity += static_cast<double>(cap);
    for (const double v : customers.value) value += v;
    p.value_balance = {.value = customers.value, .low = {}, .high = {}, .penalty = policy.value_band_penalty};
    for (const auto cap : managers.capacity) {
      const double target = capacity > 0 ? value * static_cast<double>(cap) / capacity : 0;
      p.value_balance.low.push_back(target * (1 - std::min(1.0, policy.value_band_tolerance)));
      p.value_balance.high.push_back(target * (1 + policy.value_band_tolerance));
    }
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
  if (max_candidates < 0) fail("realignment_policy", "max_candidates", -1, std::to_string(max_candidates), "must be >= 0");
  if (move_budget < -1) fail("realignment_policy", "move_budget", -1, std::to_string(move_budget), "must be >= 0, or -1 for no limit");
}

assignment_problem build_realignment(const realignment_customers& customers, const realignment_managers& managers,
                                     const realignment_policy& policy, const std::vector<std::pair<index_t, index_t>>& forbidden,
                                     const execution& run) {
  validate(customers, managers, policy, forbidden);
  const index_t n = customers.size(), k = managers.size();
  const auto region_of_customer = [&](std::size_t c) { return customers.region.empty() ? 0 : customers.region[c]; };
  const auto region_of_manager = [&](std::size_t j) { return managers.region.empty() ? 0 : managers.region[j]; };
  const auto segment_of = [&](std::size_t c) { return customers.segment.empty() ? 0 : customers.segment[c]; };
  const auto current_of = [&](std::size_t c) { return customers.current.empty() ? no_index : customers.current[c]; };
  const auto locked = [&](std::size_t c) {
    return policy.lock_manual && !customers.manual.empty() && customers.manual[c] != 0 && current_of(c) != no_index;
  };
  const bool distances = !customers.x.empty() && !managers.x.empty() && policy.distance_weight > 0;

  // The managers each region offers (all of them when regions do not matter).
  std::map<std::int32_t, std::vector<index_t>> pools;
  for (index_t j = 0; j < k; ++j) pools[policy.same_region ? region_of_manager(static_cast<std::size_t>(j)) : 0].push_back(j);
  std::size_t widest = 0;
  for (const auto& [region, pool] : pools) widest = std::max(widest, pool.size());

  std::vector<std::vector<index_t>> banned(static_cast<std::size_t>(n));
  for (const auto& [c, j] : forbidden) banned[static_cast<std::size_t>(c)].push_back(j);
  for (std::size_t c = 0; c < banned.size(); ++c) {
    if (locked(c) && std::ranges::find(banned[c], current_of(c)) != banned[c].end()) {
      fail("forbidden", "manager", -1, std::to_string(current_of(c)), "is the locked manual manager of customer " + std::to_string(c));
    }
  }

  const auto pair_cost = [&](std::size_t c, index_t manager) {
    const auto j = static_cast<std::size_t>(manager);
    double cost = 0;
    if (distances) cost += policy.distance_weight * std::hypot(customers.x[c] - managers.x[j], customers.y[c] - managers.y[j]);
    if (!managers.level.empty() && segment_of(c) >= 0 && managers.level[j] >= 0) cost += policy.fit_weight * std::abs(segment_of(c) - managers.level[j]);
    // Continuity prices leaving the current manager: without one there is nothing to lose.
    if (current_of(c) != no_index && manager != current_of(c)) {
      cost += policy.continuity[customers.current_stage.empty() ? 0 : static_cast<std::size_t>(customers.current_stage[c])];
    }
    return cost;
  };

  // Each customer's kept candidates, in slots of a fixed width, then packed.
  const std::size_t keep = policy.max_candidates == 0 ? widest : std::min<std::size_t>(static_cast<std::size_t>(policy.max_candidates), widest);
  const std::size_t width = keep + 1;  // + the current manager
  std::vector<candidate> slots(static_cast<std::size_t>(n) * width);
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(n), 0);
  detail::parallel_for(n, run, [&](std::int64_t begin, std::int64_t end) {
    std::vector<candidate> found;
    for (auto c = static_cast<std::size_t>(begin); c < static_cast<std::size_t>(end); ++c) {
      found.clear();
      const auto pool = pools.find(policy.same_region ? region_of_customer(c) : 0);
      const index_t now = current_of(c);
      bool current_in = false;
      const auto eligible = [&](index_t j) {
        const auto segment = segment_of(c);
        const bool skilled = managers.skills.empty() || segment < 0 || ((managers.skills[static_cast<std::size_t>(j)] >> segment) & 1u) != 0;
        return skilled && std::ranges::find(banned[c], j) == banned[c].end();
      };
      if (pool != pools.end()) {
        for (const index_t j : pool->second) {
          if (eligible(j)) found.push_back({pair_cost(c, j), tie_break(static_cast<index_t>(c), j), j});
        }
      }
      if (found.size() > keep) {
        std::nth_element(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end());
        // Is the current manager among those cut? Keep it (it is eligible: it was found).
        const auto cut = std::find_if(found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(), [&](const candidate& x) { return x.manager == now; });
        if (cut != found.end()) std::iter_swap(found.begin() + static_cast<std::ptrdiff_t>(keep), cut);
        found.resize(keep + (cut != found.end() ? 1 : 0));
      }
      current_in = std::ranges::any_of(found, [&](const candidate& x) { return x.manager == now; });
      if (!current_in && locked(c)) found.push_back({pair_cost(c, now), 0, now});
      std::sort(found.begin(), found.end());
      std::copy(found.begin(), found.end(), slots.begin() + static_cast<std::ptrdiff_t>(c * width));
      counts[c] = static_cast<std::uint32_t>(found.size());
    }
  }, 1024);

  assignment_problem p;
  p.customers = n;
  p.managers = k;
  const bool timed = !managers.time_budget.empty();
  p.offsets.reserve(static_cast<std::size_t>(n) + 1);
  for (std::size_t c = 0; c < static_cast<std::size_t>(n); ++c) {
    for (std::size_t s = 0; s < counts[c]; ++s) {
      const candidate& x = slots[c * width + s];
      p.manager.push_back(x.manager);
      p.cost.push_back(x.cost);
      if (timed) p.workload.push_back(customers.workload.empty() ? 1.0 : customers.workload[c]);
    }
    p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
  }
  set_policy_limits(p, customers, managers, policy);
  return p;
}

assignment_problem build_realignment_from_candidates(const realignment_customers& customers, const realignment_managers& managers,
                                                    const realignment_policy& policy, const given_candidates& given) {
  validate(customers, managers, policy, {});
  const index_t n = customers.size(), k = managers.size();
  const std::size_t pairs = given.customer.size();
  if (given.manager.size() != pairs || given.cost.size() != pairs || (!given.workload.empty() && given.workload.size() != pairs)) {
    fail("candidates", "manager", -1, std::to_string(given.manager.size()) + " entries", "customer, manager, cost (and workload) must have one entry per pair");
  }
  for (std::size_t a = 0; a < pairs; ++a) {
    if (given.customer[a] < 0 || given.customer[a] >= n) fail("candidates", "customer", static_cast<std::int64_t>(a), std::to_string(given.customer[a]), "no such customer");
    if (given.manager[a] < 0 || given.manager[a] >= k) fail("candidates", "manager", static_cast<std::int64_t>(a), std::to_string(given.manager[a]), "no such manager");
  }
  // Pairs grouped by customer, in their given order.
  assignment_problem p;
  p.customers = n;
  p.managers = k;
  p.offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (const index_t c : given.customer) ++p.offsets[static_cast<std::size_t>(c) + 1];
  for (std::size_t c = 0; c < static_cast<std::size_t>(n); ++c) p.offsets[c + 1] += p.offsets[c];
  std::vector<std::int64_t> fill(p.offsets.begin(), p.offsets.end() - 1);
  const bool timed = !managers.time_budget.empty();
  p.manager.resize(pairs);
  p.cost.resize(pairs);
  if (timed) p.workload.resize(pairs);
  for (std::size_t a = 0; a < pairs; ++a) {
    const auto c = static_cast<std::size_t>(given.customer[a]);
    const auto at = static_cast<std::size_t>(fill[c]++);
    p.manager[at] = given.manager[a];
    p.cost[at] = given.cost[a];
    if (timed) p.workload[at] = !given.workload.empty() ? given.workload[a] : customers.workload.empty() ? 1.0 : customers.workload[c];
  }
  set_policy_limits(p, customers, managers, policy);
  return p;
}

}  // namespace cartera
