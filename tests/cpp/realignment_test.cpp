#include "cartera/realignment.hpp"

#include <algorithm>

#include "cartera/preview.hpp"
#include "cartera/routing.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

// Three managers: m0 and m1 in region 0 (m1 serves only segment 1), m2 in region 1.
realignment_managers three_managers() {
  realignment_managers m;
  m.capacity = {2, 2, 2};
  m.region = {0, 0, 1};
  m.skills = {0b11, 0b10, 0b11};
  m.level = {0, 1, 0};
  return m;
}

// The candidates of customer c as (manager, cost) pairs.
std::vector<std::pair<index_t, double>> candidates_of(const assignment_problem& p, std::size_t c) {
  std::vector<std::pair<index_t, double>> out;
  for (auto a = static_cast<std::size_t>(p.offsets[c]); a < static_cast<std::size_t>(p.offsets[c + 1]); ++a)
    out.emplace_back(p.manager[a], p.cost[a]);
  return out;
}

TEST(realignment_test, candidates_follow_region_skills_and_costs) {
  realignment_customers c;
  c.value = {100, 200, 50};
  c.segment = {0, 1, 1};
  c.region = {0, 0, 1};
  c.current = {no_index, 0, 2};
  c.current_stage = {stage::sin_contacto, stage::intimar, stage::confiar};
  const assignment_problem p = build_realignment(c, three_managers());
  // Customer 0 (segment 0, region 0): only m0 has the skill; no current manager.
  EXPECT_EQ(candidates_of(p, 0), (std::vector<std::pair<index_t, double>>{{0, 0}}));
  // Customer 1 (segment 1, with m0 at intimar): m0 costs fit 1; m1 costs continuity 60.
  EXPECT_EQ(candidates_of(p, 1), (std::vector<std::pair<index_t, double>>{{0, 1}, {1, 60}}));
  // Customer 2 (region 1): m2 only, fit 1, no continuity price since it is the current one.
  EXPECT_EQ(candidates_of(p, 2), (std::vector<std::pair<index_t, double>>{{2, 1}}));
  EXPECT_EQ(p.leave_out, (std::vector<double>{100, 200 + 60, 50 + 150}));
  realignment_policy floor;
  floor.leave_out_floor = 120;
  EXPECT_EQ(build_realignment(c, three_managers(), floor).leave_out, (std::vector<double>{120, 200 + 60, 120 + 150}));
  EXPECT_EQ(p.current, c.current);
  EXPECT_EQ(p.move_budget, -1);
  EXPECT_TRUE(p.pinned.empty());
  const assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.manager, (std::vector<index_t>{0, 0, 2}));
  // A manager without a level costs no fit.
  realignment_managers m = three_managers();
  m.level[0] = -1;
  EXPECT_EQ(candidates_of(build_realignment(c, m), 1), (std::vector<std::pair<index_t, double>>{{0, 0}, {1, 60}}));
}

TEST(realignment_test, managers_without_regions_serve_customers_of_every_region) {
  realignment_customers c;
  c.value = {10, 20, 30};
  c.region = {0, 1, 2};
  realignment_managers m;
  m.capacity = {3, 3};
  const assignment_problem p = build_realignment(c, m);
  for (std::size_t k = 0; k < 3; ++k) {
    auto found = candidates_of(p, k);
    std::ranges::sort(found);  // equal costs come in no promised order
    EXPECT_EQ(found, (std::vector<std::pair<index_t, double>>{{0, 0}, {1, 0}})) << "customer " << k;
  }
}

TEST(realignment_test, the_cheapest_are_kept_and_the_current_manager_always) {
  realignment_customers c;
  c.value = {10};
  c.x = {0};
  c.y = {0};
  c.current = {3};
  c.current_stage = {stage::contactar};
  realignment_managers m;
  m.capacity = {1, 1, 1, 1};
  m.x = {1, 2, 3, 9};
  m.y = {0, 0, 0, 0};
  realignment_policy policy;
  policy.max_candidates = 2;
  const assignment_problem p = build_realignment(c, m, policy);
  // Distances 1, 2 (+5 continuity each) are the cheapest two; m3 (9, current) is kept too.
  EXPECT_EQ(candidates_of(p, 0), (std::vector<std::pair<index_t, double>>{{0, 6}, {1, 7}, {3, 9}}));
}

TEST(realignment_test, forbidden_pairs_locks_budgets_and_bands) {
  realignment_customers c;
  c.value = {1, 1, 1, 1};
  c.current = {0, 0, 1, no_index};
  c.manual = {1, 0, 0, 0};
  realignment_managers m;
  m.capacity = {3, 1};
  realignment_policy policy;
  policy.move_share = 0.5;
  policy.band_penalty = 2;
  policy.band_tolerance = 0.5;
  const assignment_problem p = build_realignment(c, m, policy, {{1, 1}, {3, 0}});
  EXPECT_EQ(candidates_of(p, 1), (std::vector<std::pair<index_t, double>>{{0, 0}}));
  EXPECT_EQ(candidates_of(p, 3), (std::vector<std::pair<index_t, double>>{{1, 0}}));
  EXPECT_EQ(p.pinned, (std::vector<index_t>{0, no_index, no_index, no_index}));
  EXPECT_EQ(p.move_budget, 1);  // half of the three customers with a manager
  // Targets: capacity × 4/4 → 3 and 1, ± 50 %.
  EXPECT_EQ(p.band.low, (std::vector<std::int64_t>{1, 0}));
  EXPECT_EQ(p.band.high, (std::vector<std::int64_t>{5, 2}));
  EXPECT_THROW_MSG((void)build_realignment(c, m, policy, {{0, 0}}), invalid_input,
                   "forbidden.manager (value 0): is the locked manual manager of customer 0");
}

TEST(realignment_test, fixed_costs_and_the_value_band) {
  realignment_customers c;
  c.value = {30, 10, 20, 20};
  realignment_managers m;
  m.capacity = {3, 1};
  m.fixed_cost = {0, 7.5};
  realignment_policy policy;
  policy.value_band_penalty = 0.25;
  policy.value_band_tolerance = 0.5;
  const assignment_problem p = build_realignment(c, m, policy);
  EXPECT_EQ(p.fixed_cost, (std::vector<double>{0, 7.5}));
  // Value 80 by capacity share: 60 and 20, ± 50 %.
  EXPECT_EQ(p.value_balance.value, c.value);
  EXPECT_EQ(p.value_balance.low, (std::vector<double>{30, 10}));
  EXPECT_EQ(p.value_balance.high, (std::vector<double>{90, 30}));
  EXPECT_DOUBLE_EQ(p.value_balance.penalty, 0.25);
  m.fixed_cost = {0, -1};
  EXPECT_THROW_MSG((void)build_realignment(c, m, policy), invalid_input,
                   "managers.fixed_cost row 1 (value -1): must be finite and >= 0");
}

TEST(realignment_test, given_candidates_keep_their_costs_and_get_the_policy_limits) {
  realignment_customers c;
  c.value = {10, 20};
  c.current = {1, no_index};
  c.current_stage = {stage::confiar, stage::sin_contacto};
  c.manual = {1, 0};
  realignment_managers m;
  m.capacity = {1, 1};
  const given_candidates pairs{.customer = {1, 0, 0}, .manager = {0, 1, 0}, .cost = {3, 7, 2}, .workload = {}};
  const assignment_problem p = build_realignment_from_candidates(c, m, {}, pairs);
  EXPECT_EQ(candidates_of(p, 0), (std::vector<std::pair<index_t, double>>{{1, 7}, {0, 2}}));
  EXPECT_EQ(candidates_of(p, 1), (std::vector<std::pair<index_t, double>>{{0, 3}}));
  EXPECT_EQ(p.leave_out, (std::vector<double>{10 + 150, 20}));
  EXPECT_EQ(p.pinned, (std::vector<index_t>{1, no_index}));
  const given_candidates stray{.customer = {0, 5}, .manager = {0, 0}, .cost = {1, 1}, .workload = {}};
  EXPECT_THROW_MSG((void)build_realignment_from_candidates(c, m, {}, stray), invalid_input,
                   "candidates.customer row 1 (value 5): no such customer");
}

TEST(realignment_test, customers_without_a_manager_pay_no_continuity) {
  // Continuity prices the loss of a relationship with the current manager: a customer at
  // confiar who has no manager now has none to lose, so it weighs on no pair.
  realignment_customers c;
  c.value = {50, 49};
  c.current = {no_index, no_index};
  c.current_stage = {stage::confiar, stage::sin_contacto};
  realignment_managers m;
  m.capacity = {1};
  const assignment_problem p = build_realignment(c, m);
  EXPECT_EQ(candidates_of(p, 0), (std::vector<std::pair<index_t, double>>{{0, 0}}));
  EXPECT_EQ(p.leave_out, (std::vector<double>{50, 49}));
  const assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.manager, (std::vector<index_t>{0, no_index}));
  EXPECT_EQ(r.reason[1], unassigned_reason::capacity_exhausted);
}

TEST(realignment_test, bad_input_is_named) {
  realignment_customers c;
  c.value = {1, -2};
  EXPECT_THROW_MSG((void)build_realignment(c, three_managers()), invalid_input,
                   "customers.value row 1 (value -2): must be finite and >= 0");
  c.value = {1, 2};
  c.current = {0, 5};
  EXPECT_THROW_MSG((void)build_realignment(c, three_managers()), invalid_input,
                   "customers.current row 1 (value 5): no such manager");
  c.current.clear();
  realignment_policy policy;
  policy.move_share = 2;
  EXPECT_THROW_MSG((void)build_realignment(c, three_managers(), policy), invalid_input,
                   "realignment_policy.move_share (value 2): must be finite, >= 0 and <= 1");
}

TEST(routing_test, arrivals_take_the_cheapest_manager_with_room_in_order) {
  assignment_problem arrivals;
  arrivals.customers = 4;
  arrivals.managers = 2;
  arrivals.offsets = {0, 2, 4, 5, 5};
  arrivals.manager = {0, 1, 0, 1, 0};
  arrivals.cost = {1, 2, 1, 2, 1};
  arrivals.leave_out = {0, 0, 0, 0};
  arrivals.capacity = {2, 2};
  const routing_result r = route(arrivals, {1, 1});
  EXPECT_EQ(r.manager, (std::vector<index_t>{0, 1, no_index, no_index}));
  EXPECT_EQ(r.reason[2], unassigned_reason::capacity_exhausted);
  EXPECT_EQ(r.reason[3], unassigned_reason::no_candidate);
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{2, 2}));
  arrivals.workload = {5, 5, 5, 5, 5};
  arrivals.time_budget = {4, 100};
  EXPECT_EQ(route(arrivals, {0, 0}).manager, (std::vector<index_t>{1, 1, no_index, no_index}));
  EXPECT_THROW_MSG((void)route(arrivals, {0}), invalid_input,
                   "routing.load (value 1 entries): must hold one entry per manager (2)");
}

TEST(routing_test, arrivals_find_room_beyond_the_cheapest_candidates_and_in_their_pool) {
  // Twelve managers in a row, the eleven nearest full; the realignment would keep ten.
  realignment_managers m;
  for (int j = 0; j < 12; ++j) {
    m.capacity.push_back(1);
    m.x.push_back(j);
    m.y.push_back(0);
  }
  realignment_customers arrivals;
  arrivals.value = {1, 1};
  arrivals.x = {0, 0};
  arrivals.y = {0, 0};
  std::vector<std::int64_t> load(12, 1);
  load[11] = 0;
  const routing_result r = route(arrivals, m, {}, load);
  EXPECT_EQ(r.manager, (std::vector<index_t>{11, no_index}));
  EXPECT_EQ(r.reason[1], unassigned_reason::capacity_exhausted);
  // Pools: only the farthest serves pool 1; the arrival of pool 1 goes there, the other
  // (pool 0) to the nearest with room.
  m.pools.assign(12, 0b01);
  m.pools[11] = 0b10;
  arrivals.pool = {1, 0};
  const routing_result pooled = route(arrivals, m, {}, std::vector<std::int64_t>(12, 0));
  EXPECT_EQ(pooled.manager, (std::vector<index_t>{11, 0}));
  arrivals.pool = {1, 1};
  EXPECT_EQ(route(arrivals, m, {}, std::vector<std::int64_t>(12, 0)).reason[1], unassigned_reason::capacity_exhausted);
  arrivals.pool = {2, 0};
  EXPECT_EQ(route(arrivals, m, {}, std::vector<std::int64_t>(12, 0)).reason[0], unassigned_reason::no_candidate);
}

TEST(preview_test, counts_every_kind_of_change_and_the_loads) {
  const std::vector<index_t> before = {0, 0, 1, no_index, no_index, 1};
  const std::vector<index_t> after = {0, 1, no_index, 1, no_index, 1};
  const std::vector<double> value = {1, 2, 4, 8, 16, 32};
  const assignment_preview p = preview_assignment(before, after, value, 2);
  EXPECT_EQ(p.counts, (std::vector<std::int64_t>{2, 1, 1, 1, 1}));  // kept, moved, new, left out, still none
  EXPECT_EQ(p.change[1], assignment_change::moved);
  EXPECT_EQ(p.load_before, (std::vector<std::int64_t>{2, 2}));
  EXPECT_EQ(p.load_after, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(p.value_before, (std::vector<double>{3, 36}));
  EXPECT_EQ(p.value_after, (std::vector<double>{1, 42}));
  EXPECT_EQ(p.value_unassigned_before, 24);
  EXPECT_EQ(p.value_unassigned_after, 20);
  const std::vector<index_t> bad = {0, 0, 1, 7, no_index, 1};
  EXPECT_THROW_MSG((void)preview_assignment(before, bad, value, 2), invalid_input,
                   "preview.proposed row 3 (value 7): no such manager");
}

}  // namespace
}  // namespace cartera
