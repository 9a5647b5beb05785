#include "cartera/assignment.hpp"

#include <functional>
#include <random>

#include "test_support.hpp"

namespace cartera {
namespace {

// Builds a problem from a dense cost table; NaN means "not a candidate".
assignment_problem dense(const std::vector<std::vector<double>>& cost, std::vector<double> leave_out,
                         std::vector<std::int64_t> capacity) {
  assignment_problem p;
  p.customers = static_cast<index_t>(cost.size());
  p.managers = static_cast<index_t>(capacity.size());
  for (const auto& row : cost) {
    for (std::size_t m = 0; m < row.size(); ++m) {
      if (std::isnan(row[m])) continue;
      p.manager.push_back(static_cast<index_t>(m));
      p.cost.push_back(row[m]);
    }
    p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
  }
  p.leave_out = std::move(leave_out);
  p.capacity = std::move(capacity);
  return p;
}

constexpr double no = std::numeric_limits<double>::quiet_NaN();

TEST(assignment_test, solves_a_small_case_by_hand) {
  // Two managers of capacity 1, three customers. Best: a→m1 (1), b→m0 (2), c left out (5):
  // 8; greedy a→m0 (0) would force b out (10) or onto m1 (9).
  const auto p = dense({{0, 1}, {2, 9}, {6, 7}}, {10, 10, 5}, {1, 1});
  const assignment_result r = solve_capacity_assignment(p);
  EXPECT_EQ(r.manager, (std::vector<index_t>{1, 0, no_index}));
  EXPECT_DOUBLE_EQ(r.objective, 8);
  EXPECT_DOUBLE_EQ(r.bound, 8);
  EXPECT_EQ(r.gap, 0);
  EXPECT_EQ(r.reason[2], unassigned_reason::capacity_exhausted);
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{1, 1}));
}

TEST(assignment_test, says_why_a_customer_is_left_out) {
  const auto p = dense({{no, no}, {50, no}, {1, no}}, {10, 10, 10}, {1, 0});
  const assignment_result r = solve_capacity_assignment(p);
  EXPECT_EQ(r.reason[0], unassigned_reason::no_candidate);
  EXPECT_EQ(r.reason[1], unassigned_reason::capacity_exhausted);  // m0 went to customer 2
  EXPECT_EQ(r.manager[2], 0);
  const auto q = dense({{50}}, {10}, {1});
  EXPECT_EQ(solve_capacity_assignment(q).reason[0], unassigned_reason::not_worth_it);
}

TEST(assignment_test, rejects_bad_problems) {
  auto p = dense({{1, 2}}, {3}, {1, 1});
  p.cost[1] = -1;
  EXPECT_THROW_MSG((void)solve_capacity_assignment(p), invalid_input, "assignment_problem.cost row 1 (value -1): must be finite and >= 0");
  p = dense({{1, 2}}, {3}, {1, 1});
  p.manager[0] = 7;
  EXPECT_THROW_MSG((void)solve_capacity_assignment(p), invalid_input, "assignment_problem.manager row 0 (value 7): no such manager");
  p = dense({{1, 2}}, {3}, {1});
  EXPECT_THROW(p.validate(), invalid_input);
}

// Every assignment of a tiny instance, tried one by one.
double brute_force(const assignment_problem& p) {
  double best = std::numeric_limits<double>::infinity();
  std::vector<std::int64_t> choice(static_cast<std::size_t>(p.customers), -1), load(static_cast<std::size_t>(p.managers), 0);
  std::function<void(index_t, double)> visit = [&](index_t c, double total) {
    if (c == p.customers) {
      best = std::min(best, total);
      return;
    }
    visit(c + 1, total + std::round(p.leave_out[static_cast<std::size_t>(c)] * 1000) / 1000);
    for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      const auto m = static_cast<std::size_t>(p.manager[static_cast<std::size_t>(a)]);
      if (load[m] == p.capacity[m]) continue;
      ++load[m];
      visit(c + 1, total + std::round(p.cost[static_cast<std::size_t>(a)] * 1000) / 1000);
      --load[m];
    }
  };
  visit(0, 0);
  return best;
}

assignment_problem random_problem(std::mt19937& random, index_t customers, index_t managers, int candidates) {
  std::uniform_real_distribution<double> cost(0, 100);
  assignment_problem p;
  p.customers = customers;
  p.managers = managers;
  for (index_t c = 0; c < customers; ++c) {
    for (int k = 0; k < candidates; ++k) {
      p.manager.push_back(static_cast<index_t>(random() % static_cast<unsigned>(managers)));
      p.cost.push_back(std::round(cost(random) * 10) / 10);
    }
    p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
    p.leave_out.push_back(std::round(cost(random) * 1.5 * 10) / 10);
  }
  for (index_t m = 0; m < managers; ++m) p.capacity.push_back(static_cast<std::int64_t>(random() % 4));
  return p;
}

TEST(assignment_test, matches_a_brute_force_on_tiny_instances) {
  std::mt19937 random(7);
  for (int trial = 0; trial < 300; ++trial) {
    const assignment_problem p = random_problem(random, 1 + static_cast<index_t>(random() % 6), 1 + static_cast<index_t>(random() % 3), 2);
    const assignment_result r = solve_capacity_assignment(p);
    ASSERT_NEAR(r.objective, brute_force(p), 1e-6) << "trial " << trial;
    for (std::size_t m = 0; m < r.load.size(); ++m) ASSERT_LE(r.load[m], p.capacity[m]);
  }
}

TEST(assignment_test, matches_boost_graph_min_cost_flow) {
  std::mt19937 random(11);
  for (int trial = 0; trial < 40; ++trial) {
    const assignment_problem p = random_problem(random, 200 + static_cast<index_t>(random() % 200), 20, 5);
    const assignment_result ours = solve_capacity_assignment(p);
    const assignment_result reference = solve_capacity_assignment_reference(p);
    ASSERT_NEAR(ours.objective, reference.objective, 1e-6) << "trial " << trial;
    std::int64_t placed = 0;
    for (const index_t m : ours.manager) placed += m != no_index;
    ASSERT_GT(placed, 0);
  }
}

}  // namespace
}  // namespace cartera
