#include "cartera/realignment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "assignment/pairing.hpp"
#include "cartera/error.hpp"
#include "detail/checks.hpp"
#include "detail/parallel.hpp"

namespace cartera {
namespace {

[[noreturn]] void fail_candidates(const char* column, std::int64_t row, const std::string& value,
                                  const std::string& problem) {
  detail::fail({"candidates", column, row, value}, problem);
}

struct candidate {
  double cost;
  std::uint64_t tie;
  index_t manager;
  bool operator<(const candidate& other) const { return cost != other.cost ? cost < other.cost : tie < other.tie; }
};

// What the policy sets whoever chose the candidates: leave-out prices, capacities and time
// budgets, fixed costs, current managers, the move budget, locks and the bands.
void set_policy_limits(assignment_problem& p, const realignment_customers& customers,
                       const realignment_managers& managers, const realignment_policy& policy) {
  const auto n = static_cast<std::size_t>(customers.size());
  const auto current_of = [&](std::size_t c) { return customers.current.empty() ? no_index : customers.current[c]; };
  p.leave_out.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    const double continuity =
        current_of(c) == no_index
            ? 0
            : policy.continuity[customers.current_stage.empty() ? 0
                                                                : static_cast<std::size_t>(customers.current_stage[c])];
    p.leave_out[c] = std::max(policy.leave_out_floor, policy.leave_out_weight * customers.value[c]) + continuity;
  }
  p.capacity = managers.capacity;
  if (!managers.time_budget.empty()) p.time_budget = managers.time_budget;
  p.fixed_cost = managers.fixed_cost;
  if (!customers.current.empty()) {
    p.current = customers.current;
    std::int64_t with_manager = 0;
    for (const index_t now : customers.current) with_manager += now != no_index;
    std::int64_t budget =
        policy.move_share < 1
            ? static_cast<std::int64_t>(std::floor(policy.move_share * static_cast<double>(with_manager)))
            : -1;
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
      p.band.high.push_back(
          std::max(p.band.low.back(), static_cast<std::int64_t>(std::ceil(target * (1 + policy.band_tolerance)))));
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

assignment_problem build_realignment(const realignment_customers& customers, const realignment_managers& managers,
                                     const realignment_policy& policy,
                                     const std::vector<std::pair<index_t, index_t>>& forbidden, const execution& run) {
  const detail::pairing pairs(customers, managers, policy, forbidden);
  const index_t n = customers.size(), k = managers.size();

  // Each customer's kept candidates, in slots of a fixed width, then packed.
  const std::size_t keep =
      policy.max_candidates == 0
          ? pairs.widest_pool()
          : std::min<std::size_t>(static_cast<std::size_t>(policy.max_candidates), pairs.widest_pool());
  const std::size_t width = keep + 1;  // + the current manager
  std::vector<candidate> slots(static_cast<std::size_t>(n) * width);
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(n), 0);
  detail::parallel_for(
      n, run,
      [&](std::int64_t begin, std::int64_t end) {
        std::vector<candidate> found;
        for (auto c = static_cast<std::size_t>(begin); c < static_cast<std::size_t>(end); ++c) {
          found.clear();
          const index_t now = pairs.current_of(c);
          for (const index_t j : pairs.pool_of(c)) {
            if (pairs.eligible(c, j))
              found.push_back({pairs.cost(c, j), detail::pairing::tie_break(static_cast<index_t>(c), j), j});
          }
          if (found.size() > keep) {
            std::nth_element(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end());
            // Is the current manager among those cut? Keep it (it is eligible: it was found).
            const auto cut = std::find_if(found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(),
                                          [&](const candidate& x) { return x.manager == now; });
            if (cut != found.end()) std::iter_swap(found.begin() + static_cast<std::ptrdiff_t>(keep), cut);
            found.resize(keep + (cut != found.end() ? 1 : 0));
          }
          const bool current_in = std::ranges::any_of(found, [&](const candidate& x) { return x.manager == now; });
          if (!current_in && pairs.locked(c)) found.push_back({pairs.cost(c, now), 0, now});
          std::sort(found.begin(), found.end());
          std::copy(found.begin(), found.end(), slots.begin() + static_cast<std::ptrdiff_t>(c * width));
          counts[c] = static_cast<std::uint32_t>(found.size());
        }
      },
      1024);

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
      if (timed) p.workload.push_back(pairs.workload(c));
    }
    p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
  }
  set_policy_limits(p, customers, managers, policy);
  return p;
}

assignment_problem build_realignment_from_candidates(const realignment_customers& customers,
                                                     const realignment_managers& managers,
                                                     const realignment_policy& policy, const given_candidates& given) {
  const detail::pairing checked(customers, managers, policy, {});
  const index_t n = customers.size(), k = managers.size();
  const std::size_t pairs = given.customer.size();
  if (given.manager.size() != pairs || given.cost.size() != pairs ||
      (!given.workload.empty() && given.workload.size() != pairs)) {
    fail_candidates("manager", -1, std::to_string(given.manager.size()) + " entries",
                    "customer, manager, cost (and workload) must have one entry per pair");
  }
  for (std::size_t a = 0; a < pairs; ++a) {
    if (given.customer[a] < 0 || given.customer[a] >= n)
      fail_candidates("customer", static_cast<std::int64_t>(a), std::to_string(given.customer[a]), "no such customer");
    if (given.manager[a] < 0 || given.manager[a] >= k)
      fail_candidates("manager", static_cast<std::int64_t>(a), std::to_string(given.manager[a]), "no such manager");
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
    if (timed) p.workload[at] = !given.workload.empty() ? given.workload[a] : checked.workload(c);
  }
  set_policy_limits(p, customers, managers, policy);
  return p;
}

}  // namespace cartera
