// The move budget: voluntary moves limited, and the plan within the budget the best one.
#include "cartera/assignment.hpp"

#include "assignment_support.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace assignment_support;

TEST(move_budget_test, the_move_budget_limits_voluntary_moves) {
  // Everyone is with m0 now; m1 is cheaper for all three; only one may move.
  auto p = dense({{5, 1}, {5, 2}, {5, 4}}, {50, 50, 50}, {3, 3});
  p.current = {0, 0, 0};
  p.move_budget = 1;
  const assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.manager, (std::vector<index_t>{1, 0, 0}));
  EXPECT_EQ(r.moves, 1);
  EXPECT_DOUBLE_EQ(r.objective, 11);
  EXPECT_LE(r.bound, 11 + 1e-9);
  p.move_budget = -1;
  EXPECT_EQ(solve_assignment(p).moves, 3);
  // Capacities that force more moves than the budget: no plan keeps it.
  auto crowded = dense({{5, 1}, {5, 2}, {5, 4}}, {50, 50, 50}, {1, 3});
  crowded.current = {0, 0, 0};
  crowded.move_budget = 1;
  const assignment_result forced = solve_assignment(crowded);
  EXPECT_EQ(forced.status, solve_status::infeasible);
  EXPECT_EQ(forced.moves, 2);
}

TEST(move_budget_test, one_move_that_frees_minutes_for_several_arrivals_is_worth_its_place_in_the_budget) {
  // m0 has 15 minutes, all taken by its customer H (current, 15 minutes); m1 can take H for 1.
  // Three arrivals of 5 minutes can only go to m0, each worth 100: one move places them all.
  assignment_problem p;
  p.customers = 4;
  p.managers = 2;
  p.offsets = {0, 2, 3, 4, 5};
  p.manager = {0, 1, 0, 0, 0};
  p.cost = {0, 1, 0, 0, 0};
  p.workload = {15, 15, 5, 5, 5};
  p.leave_out = {100, 100, 100, 100};
  p.capacity = {4, 4};
  p.time_budget = {15, 15};
  p.current = {0, no_index, no_index, no_index};
  for (const std::int64_t budget : {0, 1}) {
    p.move_budget = budget;
    const assignment_result r = solve_assignment(p);
    EXPECT_LE(r.moves, budget);
    EXPECT_EQ(r.manager[0], budget == 0 ? 0 : 1);
    EXPECT_DOUBLE_EQ(r.objective, budget == 0 ? 300 : 1);
    EXPECT_NE(r.status, solve_status::infeasible);
  }
}

// Tiny books with a move budget, some customers with a manager (a candidate or not), some
// without: whenever a plan keeps the budget one comes back, and the best such plan.
TEST(move_budget_test, the_move_budget_plan_is_the_best_within_the_budget_against_a_brute_force) {
  std::mt19937 random(17);
  int timed_optimal = 0, timed_trials = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const bool timed = trial % 3 == 2;
    auto q = random_problem(random, 1 + static_cast<index_t>(random() % 7), 1 + static_cast<index_t>(random() % 3), 2,
                            timed);
    for (auto& c : q.capacity) c += static_cast<std::int64_t>(random() % 2);
    for (auto& minutes : q.time_budget) minutes += 5;
    q.current.resize(static_cast<std::size_t>(q.customers));
    for (index_t c = 0; c < q.customers; ++c) {
      const auto k = static_cast<std::size_t>(c);
      const auto kind = random() % 4;  // none, the first candidate, the second, a manager who is not one
      const auto arcs = q.offsets[k + 1] - q.offsets[k];
      q.current[k] =
          kind == 0 || arcs == 0 ? no_index
          : kind < 3 ? q.manager[static_cast<std::size_t>(q.offsets[k] + static_cast<std::int64_t>(kind - 1) % arcs)]
                     : static_cast<index_t>(random() % static_cast<unsigned>(q.managers));
    }
    q.move_budget = static_cast<std::int64_t>(random() % 3);
    const double best = brute_force(q);
    for (const char* solver :
         timed ? std::vector<const char*>{"lagrangian"} : std::vector<const char*>{"auction", "flow", "lagrangian"}) {
      const assignment_result s = solve_assignment(q, {.solver = solver, .gap_limit = 0});
      expect_feasible(q, s);
      if (std::isinf(best)) {
        ASSERT_EQ(s.status, solve_status::infeasible) << solver << ", trial " << trial;
        continue;
      }
      ASSERT_LE(voluntary_moves(q, s), q.move_budget) << solver << ", trial " << trial;
      ASSERT_LE(s.bound, best + 1e-6) << solver << ", trial " << trial;
      ASSERT_GE(s.objective, best - 1e-6) << solver << ", trial " << trial;
      if (std::string(solver) != "lagrangian") {
        ASSERT_NEAR(s.objective, best, 1e-6) << solver << ", trial " << trial;
        ASSERT_EQ(s.status, solve_status::optimal) << solver << ", trial " << trial;
      } else if (timed) {
        ++timed_trials;
        timed_optimal += std::abs(s.objective - best) < 1e-6;
      }
    }
  }
  EXPECT_GE(timed_optimal, 0.95 * timed_trials);
}

}  // namespace
}  // namespace cartera
