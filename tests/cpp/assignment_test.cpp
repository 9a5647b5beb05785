// The assignment solvers on problems with known answers: by hand, a brute force, Boost.Graph,
// stops, ties, bands, fixed costs, pins and degenerate cases.
#include "cartera/assignment.hpp"

#include <cstdlib>
#include <map>
#include <sstream>

#include "assignment/solver_support.hpp"
#include "assignment_support.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace assignment_support;

TEST(assignment_test, solves_a_small_case_by_hand) {
  // Two managers of capacity 1, three customers. Best: a→m1 (1), b→m0 (2), c left out (5):
  // 8; greedy a→m0 (0) would force b out (10) or onto m1 (9).
  const auto p = dense({{0, 1}, {2, 9}, {6, 7}}, {10, 10, 5}, {1, 1});
  const assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.manager, (std::vector<index_t>{1, 0, no_index}));
  EXPECT_DOUBLE_EQ(r.objective, 8);
  EXPECT_DOUBLE_EQ(r.bound, 8);
  EXPECT_EQ(r.gap, 0);
  EXPECT_EQ(r.reason[2], unassigned_reason::capacity_exhausted);
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(r.cost, (std::vector<double>{1, 2, 5}));  // a's pair, b's pair, c's leave-out price
}

TEST(assignment_test, says_why_a_customer_is_left_out) {
  const auto p = dense({{no, no}, {50, no}, {1, no}}, {10, 10, 10}, {1, 0});
  const assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.reason[0], unassigned_reason::no_candidate);
  EXPECT_EQ(r.reason[1], unassigned_reason::capacity_exhausted);  // m0 went to customer 2
  EXPECT_EQ(r.manager[2], 0);
  const auto q = dense({{50}}, {10}, {1});
  EXPECT_EQ(solve_assignment(q).reason[0], unassigned_reason::not_worth_it);
}

TEST(assignment_test, rejects_bad_problems) {
  auto p = dense({{1, 2}}, {3}, {1, 1});
  p.cost[1] = -1;
  EXPECT_THROW_MSG((void)solve_assignment(p), invalid_input,
                   "assignment_problem.cost row 1 (value -1): must be finite and >= 0");
  p = dense({{1, 2}}, {3}, {1, 1});
  p.manager[0] = 7;
  EXPECT_THROW_MSG((void)solve_assignment(p), invalid_input,
                   "assignment_problem.manager row 0 (value 7): no such manager");
  p = dense({{1, 2}}, {3}, {1});
  EXPECT_THROW(p.validate(), invalid_input);
}

TEST(assignment_test, exact_solvers_match_a_brute_force_on_tiny_instances) {
  std::mt19937 random(7);
  for (int trial = 0; trial < 300; ++trial) {
    const assignment_problem p =
        random_problem(random, 1 + static_cast<index_t>(random() % 6), 1 + static_cast<index_t>(random() % 3), 2);
    const double best = brute_force(p);
    for (const char* solver : {"flow", "auction"}) {
      const assignment_result r = solve_assignment(p, {.solver = solver});
      ASSERT_NEAR(r.objective, best, 1e-6) << solver << ", trial " << trial;
      expect_feasible(p, r);
    }
  }
}

TEST(assignment_test, exact_solvers_match_boost_graph_min_cost_flow) {
  std::mt19937 random(11);
  for (int trial = 0; trial < 40; ++trial) {
    const assignment_problem p = random_problem(random, 200 + static_cast<index_t>(random() % 200), 20, 5);
    const assignment_result ours = solve_assignment(p);
    const assignment_result reference = solve_assignment(p, {.solver = "boost"});
    const assignment_result auction = solve_assignment(p, {.solver = "auction"});
    ASSERT_NEAR(ours.objective, reference.objective, 1e-6) << "trial " << trial;
    ASSERT_NEAR(auction.objective, reference.objective, 1e-6) << "trial " << trial;
    std::int64_t placed = 0;
    for (const index_t m : ours.manager) placed += m != no_index;
    ASSERT_GT(placed, 0);
  }
}

TEST(assignment_test, the_auction_is_exact_with_costs_too_large_for_32_bits) {
  // Costs up to 10⁸ are 10¹¹ thousandths: the auction keeps 64-bit costs then.
  std::mt19937 random(13);
  for (int trial = 0; trial < 5; ++trial) {
    assignment_problem p = random_problem(random, 300, 20, 5);
    for (double& c : p.cost) c *= 1e6;
    for (double& c : p.leave_out) c *= 1e6;
    const assignment_result reference = solve_assignment(p, {.solver = "boost"});
    const assignment_result auction = solve_assignment(p, {.solver = "auction"});
    ASSERT_NEAR(auction.objective, reference.objective, 1e-6 * reference.objective) << "trial " << trial;
  }
}

TEST(assignment_test, huge_values_in_a_low_unit_currency_are_solved_exactly_or_refused) {
  // The same book with every cost × 10¹¹, as in a low-unit currency. Scaled by cost_scale
  // and by n + 1 the auction's values pass 2^63, and so does the objective's sum: the answer
  // must be the same plan at 10¹¹ times the objective.
  std::mt19937 random(31);
  assignment_problem small = random_problem(random, 3000, 30, 4);
  for (auto& c : small.cost) c = std::round(c);
  for (auto& c : small.leave_out) c = std::round(c);
  for (auto& c : small.capacity) c = 60;
  assignment_problem huge = small;
  for (auto& c : huge.cost) c *= 1e11;
  for (auto& c : huge.leave_out) c *= 1e11;
  for (const char* solver : {"auction", "flow"}) {
    const assignment_result a = solve_assignment(small, {.solver = solver});
    const assignment_result b = solve_assignment(huge, {.solver = solver});
    EXPECT_EQ(b.status, solve_status::optimal) << solver;
    EXPECT_NEAR(b.objective, a.objective * 1e11, 1e-12 * b.objective) << solver;
    EXPECT_DOUBLE_EQ(b.bound, b.objective) << solver;
    expect_feasible(huge, b);
  }
  // With a move budget, the prices on moves climb above the exact range: the same plan still.
  for (auto* book : {&small, &huge}) {
    book->current.assign(static_cast<std::size_t>(book->customers), no_index);
    for (index_t c = 0; c < book->customers; c += 2)
      book->current[static_cast<std::size_t>(c)] =
          book->manager[static_cast<std::size_t>(book->offsets[static_cast<std::size_t>(c)])];
    book->move_budget = 200;
  }
  const assignment_result a = solve_assignment(small, {.gap_limit = 0});
  const assignment_result b = solve_assignment(huge, {.gap_limit = 0});
  EXPECT_EQ(a.status, solve_status::optimal);
  EXPECT_EQ(b.status, solve_status::optimal);
  EXPECT_NEAR(b.objective, a.objective * 1e11, 1e-12 * b.objective);
  EXPECT_LE(voluntary_moves(huge, b), 200);
  EXPECT_THROW_MSG((void)solve_assignment(huge, {.solver = "boost"}), invalid_input,
                   "assignment_options.solver (value boost): the reference solver's 64-bit path lengths cannot hold "
                   "costs this large; use \"auction\" or \"flow\"");
  // Beyond the exact integers: refused, naming the value.
  huge.leave_out[7] = 1e16;
  EXPECT_THROW_MSG((void)solve_assignment(huge), invalid_input,
                   "assignment_problem.leave_out row 7 (value 1e+16): times cost_scale (1000) is beyond the exact "
                   "solvers' integers (2^61); "
                   "lower cost_scale, or use \"lagrangian\"");
  EXPECT_EQ(solve_assignment(huge, {.solver = "auction", .cost_scale = 1}).status, solve_status::optimal);
}

TEST(assignment_test, exact_solvers_stop_on_time_or_progress_with_a_feasible_answer_and_a_bound) {
  std::mt19937 random(23);
  const assignment_problem p = random_problem(random, 150'000, 1'000, 4);
  const assignment_result optimum = solve_assignment(p, {.solver = "auction"});
  for (const std::string solver : {"auction", "flow"}) {
    int calls = 0;
    assignment_options stop_at_once{.solver = solver};
    stop_at_once.progress = [&](const assignment_progress& at) {
      ++calls;
      EXPECT_TRUE(std::isinf(at.objective));
      return false;
    };
    const assignment_result stopped = solve_assignment(p, stop_at_once);
    EXPECT_EQ(calls, 1) << solver;
    expect_feasible(p, stopped);
    EXPECT_GT(stopped.objective, optimum.objective) << solver;
    EXPECT_LE(stopped.bound, optimum.objective + 1e-6) << solver;
    EXPECT_GT(stopped.gap, 0) << solver;
    const assignment_result out_of_time = solve_assignment(p, {.solver = solver, .time_limit = 0});
    expect_feasible(p, out_of_time);
    EXPECT_LE(out_of_time.bound, optimum.objective + 1e-6) << solver;
  }
}

TEST(assignment_test, a_stopped_solve_says_so_and_gives_its_unsettled_customers_a_reason_of_their_own) {
  std::mt19937 random(23);
  const assignment_problem p = random_problem(random, 150'000, 1'000, 4);
  const assignment_result optimum = solve_assignment(p, {.solver = "auction"});
  EXPECT_EQ(optimum.status, solve_status::optimal);
  EXPECT_EQ(optimum.stopped_by, stop_reason::none);
  for (const std::string solver : {"auction", "flow", "lagrangian"}) {
    assignment_options stop_at_once{.solver = solver};
    stop_at_once.progress = [](const assignment_progress&) { return false; };
    for (const assignment_options& options : {stop_at_once, assignment_options{.solver = solver, .time_limit = 0}}) {
      const assignment_result r = solve_assignment(p, options);
      EXPECT_EQ(r.status, solve_status::stopped) << solver;
      EXPECT_EQ(r.stopped_by, options.progress ? stop_reason::progress : stop_reason::time_limit) << solver;
      // A customer left out with a candidate cheaper than leaving them out was not settled:
      // neither "not worth it" nor "no room" is known of them.
      std::int64_t unsettled = 0;
      for (index_t c = 0; c < p.customers; ++c) {
        const auto k = static_cast<std::size_t>(c);
        if (r.manager[k] != no_index) continue;
        bool cheaper = false;
        for (std::int64_t a = p.offsets[k]; a < p.offsets[k + 1]; ++a)
          cheaper = cheaper || p.cost[static_cast<std::size_t>(a)] < p.leave_out[k];
        ASSERT_EQ(r.reason[k] == unassigned_reason::solve_stopped, cheaper) << solver << ", customer " << c;
        unsettled += cheaper;
      }
      if (solver != "lagrangian") EXPECT_GT(unsettled, 1000) << solver;
    }
  }
  // A Lagrangian solve that meets its bound is optimal; one that ends on its gap limit is
  // feasible; nothing stopped it.
  const auto tiny = dense({{0, 1}, {2, 9}, {6, 7}}, {10, 10, 5}, {1, 1});
  const assignment_result exact = solve_assignment(tiny, {.solver = "lagrangian"});
  EXPECT_EQ(exact.status, solve_status::optimal);
  const assignment_result loose = solve_assignment(p, {.solver = "lagrangian", .gap_limit = 0.5});
  EXPECT_EQ(loose.status, solve_status::feasible);
  EXPECT_EQ(loose.stopped_by, stop_reason::none);
  EXPECT_STREQ(status_name(solve_status::infeasible), "infeasible");
  EXPECT_STREQ(stop_reason_name(stop_reason::time_limit), "time_limit");
}

// The auction bidding in rounds from the first bid to the last (in the library, only
// while 32,768 customers or more wait), and as it runs, on books of three kinds: every
// manager full at the optimum; capacities uneven, from none to twice the average, so that
// many managers keep room (their price 0) and a scaling phase can leave one with room at a
// positive price, which the auction must run again; and five distinct costs (ties
// everywhere). The same objective as successive shortest paths, twice the same answer.
TEST(assignment_test, the_auction_is_exact_in_rounds_and_in_turn_on_books_of_every_kind) {
  std::mt19937 random(23);
  for (int trial = 0; trial < 12; ++trial) {
    const int kind = trial % 3;
    assignment_problem p = random_problem(random, 1000 + static_cast<index_t>(random() % 1000), 20, 6);
    for (auto& room : p.capacity) room = kind == 1 ? static_cast<std::int64_t>(random() % 101) : 45;
    if (kind == 2) {
      for (auto& cost : p.cost) cost = std::floor(cost / 20);
    }
    const assignment_result flow = solve_assignment(p, {.solver = "flow"});
    for (const std::size_t round_size : {std::size_t{1}, std::size_t{500}, detail::auction_round_size}) {
      const assignment_options options{.solver = "auction"};
      const solver_output out = detail::solve_auction_with_round_size(p, options, round_size);
      assignment_result r = detail::finish(p, out.manager, options.cost_scale);
      r.bound = out.bound;
      ASSERT_NEAR(r.objective, flow.objective, 1e-9 * flow.objective)
          << "trial " << trial << ", rounds of " << round_size;
      expect_feasible(p, r);
      EXPECT_EQ(detail::solve_auction_with_round_size(p, options, round_size).manager, out.manager)
          << "trial " << trial;
    }
  }
}

TEST(assignment_test, the_auction_scales_down_to_an_epsilon_of_one_and_no_lower) {
  // Costs of a hundredth: the largest value × (n + 1) is 160, so a tenth of the first ε
  // would be 0.8. It must be 1 instead: at ε = 0 customers who value both managers alike
  // push each other out without end (until the budget of bids, then "flow").
  // The auction asks the progress callback every 65,536 bids: it must never be asked.
  const auto p = dense({{0.01, 0.01}, {0.01, 0.01}, {0.01, 0.01}}, {0.04, 0.04, 0.04}, {1, 1});
  std::int64_t most_bids = 0;
  const assignment_result r = solve_assignment(p, {.solver = "auction", .progress = [&](const assignment_progress& at) {
                                                     most_bids = std::max(most_bids, at.iteration);
                                                     return true;
                                                   }});
  EXPECT_NEAR(r.objective, 0.06, 1e-12);
  EXPECT_EQ(most_bids, 0);
}

TEST(assignment_test, the_auction_survives_ties) {
  // 3,000 customers, three managers of capacity 500 they all value alike, leave-out prices
  // far above the pair costs: a price war of ε steps, settled by the fallback.
  assignment_problem p;
  p.customers = 3000;
  p.managers = 3;
  for (index_t c = 0; c < p.customers; ++c) {
    for (index_t m = 0; m < 3; ++m) {
      p.manager.push_back(m);
      p.cost.push_back(1);
    }
    p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
    p.leave_out.push_back(100000 + c % 7);
  }
  p.capacity = {500, 500, 500};
  const assignment_result auction = solve_assignment(p, {.solver = "auction"});
  const assignment_result flow = solve_assignment(p, {.solver = "flow"});
  EXPECT_DOUBLE_EQ(auction.objective, flow.objective);
  expect_feasible(p, auction);
}

TEST(assignment_test, a_load_band_is_priced_not_enforced) {
  // Two managers, four customers all cheaper with m0; the band asks for 2 each.
  auto p = dense({{1, 3}, {1, 3}, {1, 3}, {1, 3}}, {50, 50, 50, 50}, {4, 4});
  p.band = {.low = {2, 2}, .high = {2, 2}, .penalty = 1.5};
  assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.solver, "lagrangian");
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{2, 2}));  // moving costs 2, saves 2 × 1.5
  EXPECT_DOUBLE_EQ(r.objective, 8);
  p.band.penalty = 0.5;
  r = solve_assignment(p);
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{4, 0}));
  EXPECT_DOUBLE_EQ(r.objective, 4 + 4 * 0.5);
  EXPECT_THROW_MSG((void)solve_assignment(p, {.solver = "flow"}), invalid_input,
                   "assignment_options.solver (value flow): solves the capacity-only problem; with time budgets, bands "
                   "or fixed costs use \"lagrangian\"");
  std::mt19937 random(9);
  for (int trial = 0; trial < 100; ++trial) {
    auto q = random_problem(random, 1 + static_cast<index_t>(random() % 6), 1 + static_cast<index_t>(random() % 3), 2);
    q.band.low.assign(static_cast<std::size_t>(q.managers), 1);
    q.band.high.assign(static_cast<std::size_t>(q.managers), 2);
    q.band.penalty = 20;
    const assignment_result s = solve_assignment(q);
    expect_feasible(q, s);
    ASSERT_LE(s.bound, brute_force(q) + 1e-6) << "trial " << trial;
  }
}

TEST(assignment_test, fixed_costs_and_a_value_band_are_priced) {
  // Two managers, four customers a little cheaper with m0. Opening m1 costs 3.
  auto p = dense({{1, 2}, {1, 2}, {1, 2}, {1, 2}}, {50, 50, 50, 50}, {4, 4});
  p.fixed_cost = {0, 3};
  assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.solver, "lagrangian");
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{4, 0}));
  EXPECT_DOUBLE_EQ(r.objective, 4);
  // A value band of 20..30 each over values 10, 10, 10, 10: m0 alone serves 10 too much and
  // m1 20 too little (30 units outside); splitting two and two costs 2 more in pairs and 3
  // to open m1. At 0.1 a unit staying costs 3 < 5; at 0.5 it costs 15 > 5.
  p.value_balance = {.value = {10, 10, 10, 10}, .low = {20, 20}, .high = {30, 30}, .penalty = 0.1};
  r = solve_assignment(p);
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{4, 0}));
  EXPECT_DOUBLE_EQ(r.objective, 4 + 0.1 * 30);
  EXPECT_EQ(r.value, (std::vector<double>{40, 0}));
  p.value_balance.penalty = 0.5;
  r = solve_assignment(p);
  EXPECT_EQ(r.load, (std::vector<std::int64_t>{2, 2}));
  EXPECT_DOUBLE_EQ(r.objective, 2 + 4 + 3);
  EXPECT_LE(r.bound, r.objective);
  p.fixed_cost = {0, -1};
  EXPECT_THROW_MSG((void)solve_assignment(p), invalid_input,
                   "assignment_problem.fixed_cost row 1 (value -1): must be finite and >= 0");
  p.fixed_cost = {0, 3};
  p.value_balance.high = {30, 10};
  EXPECT_THROW_MSG((void)solve_assignment(p), invalid_input,
                   "assignment_problem.value_balance.high row 1 (value 10): must be >= value_balance.low");
  std::mt19937 random(17);
  int optimal = 0, trials = 0;
  for (int trial = 0; trial < 150; ++trial) {
    auto q = random_problem(random, 1 + static_cast<index_t>(random() % 6), 1 + static_cast<index_t>(random() % 3), 2,
                            trial % 2 == 1);
    q.fixed_cost.resize(static_cast<std::size_t>(q.managers));
    for (double& f : q.fixed_cost) f = static_cast<double>(random() % 40);
    q.value_balance.value.resize(static_cast<std::size_t>(q.customers));
    for (double& v : q.value_balance.value) v = static_cast<double>(random() % 100);
    q.value_balance.low.assign(static_cast<std::size_t>(q.managers), 50);
    q.value_balance.high.assign(static_cast<std::size_t>(q.managers), 120);
    q.value_balance.penalty = 0.2;
    if (trial % 3 == 0) {
      q.pinned.assign(static_cast<std::size_t>(q.customers), no_index);
      const auto a = static_cast<std::size_t>(q.offsets[0]);
      if (q.offsets[1] > q.offsets[0] && q.capacity[static_cast<std::size_t>(q.manager[a])] > 0 &&
          (q.workload.empty() || q.workload[a] <= q.time_budget[static_cast<std::size_t>(q.manager[a])])) {
        q.pinned[0] = q.manager[a];
      }
    }
    const assignment_result s = solve_assignment(q);
    expect_feasible(q, s);
    const double best = brute_force(q);
    ASSERT_LE(s.bound, best + 1e-6) << "trial " << trial;
    ASSERT_GE(s.objective, best - 1e-6) << "trial " << trial;
    optimal += s.objective <= best + 1e-6;
    ++trials;
  }
  EXPECT_GE(optimal, trials * 9 / 10);
}

TEST(assignment_test, pins_hold_and_are_checked) {
  auto p = dense({{1, 5}, {1, 5}, {5, 1}}, {50, 50, 50}, {1, 2});
  p.pinned = {no_index, 0, no_index};
  const assignment_result r = solve_assignment(p);
  EXPECT_EQ(r.manager, (std::vector<index_t>{1, 0, 1}));
  EXPECT_DOUBLE_EQ(r.objective, 5 + 1 + 1);
  EXPECT_DOUBLE_EQ(r.bound, r.objective);
  p.pinned = {0, 0, no_index};
  EXPECT_THROW_MSG((void)solve_assignment(p), invalid_input,
                   "assignment_problem.pinned row 1 (value 0): pins more customers on manager 0 than its capacity (1)");
  p = dense({{1, no}}, {50}, {1, 1});
  p.pinned = {1};
  EXPECT_THROW_MSG((void)solve_assignment(p), invalid_input,
                   "assignment_problem.pinned row 0 (value 1): is not among the customer's candidates");
  std::mt19937 random(13);
  for (int trial = 0; trial < 100; ++trial) {
    auto q = random_problem(random, 1 + static_cast<index_t>(random() % 6), 1 + static_cast<index_t>(random() % 3), 2,
                            trial % 2 == 1);
    q.pinned.assign(static_cast<std::size_t>(q.customers), no_index);
    std::vector<std::int64_t> room = q.capacity;
    for (index_t c = 0; c < q.customers; ++c) {
      const auto a = static_cast<std::size_t>(q.offsets[static_cast<std::size_t>(c)]);
      const auto j = static_cast<std::size_t>(q.manager[a]);
      if (random() % 3 == 0 && room[j] > 0 && (q.workload.empty() || q.workload[a] <= q.time_budget[j])) {
        q.pinned[static_cast<std::size_t>(c)] = q.manager[a];
        --room[j];
      }
    }
    try {
      q.validate();
    } catch (const invalid_input&) {
      continue;  // the pins' minutes overflowed a budget
    }
    const assignment_result s = solve_assignment(q);
    expect_feasible(q, s);
    const double best = brute_force(q);
    ASSERT_LE(s.bound, best + 1e-6) << "trial " << trial;
    ASSERT_GE(s.objective, best - 1e-6) << "trial " << trial;
    if (s.solver == "auction") ASSERT_NEAR(s.objective, best, 1e-6) << "trial " << trial;
  }
}

// Metamorphic: what more freedom does to an optimum. More room, or one more candidate, can
// only lower the objective; with a move budget too.
TEST(assignment_test, more_room_or_another_candidate_never_raises_the_optimum) {
  std::mt19937 random(41);
  for (int trial = 0; trial < 300; ++trial) {
    auto p = random_problem(random, 1 + static_cast<index_t>(random() % 7), 1 + static_cast<index_t>(random() % 3), 2);
    if (trial % 2 == 1) {
      p.current.resize(static_cast<std::size_t>(p.customers));
      for (index_t c = 0; c < p.customers; ++c)
        p.current[static_cast<std::size_t>(c)] =
            random() % 2 ? no_index : static_cast<index_t>(random() % static_cast<unsigned>(p.managers));
      p.move_budget = static_cast<std::int64_t>(random() % 2);
    }
    const assignment_options exact{.solver = trial % 3 == 0 ? "flow" : "auction", .gap_limit = 0};
    const assignment_result before = solve_assignment(p, exact);
    if (before.status == solve_status::infeasible) continue;
    auto roomier = p;
    ++roomier.capacity[random() % roomier.capacity.size()];
    EXPECT_LE(solve_assignment(roomier, exact).objective, before.objective + 1e-9) << "trial " << trial;
    // A manager the first customer does not have yet, at some cost. (Not its current manager:
    // that one back among its candidates turns a forced move, which the budget does not
    // count, into a voluntary one, which it does.)
    auto wider = p;
    std::vector<bool> has(static_cast<std::size_t>(p.managers), false);
    for (auto a = p.offsets[0]; a < p.offsets[1]; ++a)
      has[static_cast<std::size_t>(p.manager[static_cast<std::size_t>(a)])] = true;
    if (!p.current.empty() && p.current[0] != no_index) has[static_cast<std::size_t>(p.current[0])] = true;
    const auto missing = std::find(has.begin(), has.end(), false);
    if (missing == has.end()) continue;
    wider.manager.insert(wider.manager.begin() + p.offsets[1], static_cast<index_t>(missing - has.begin()));
    wider.cost.insert(wider.cost.begin() + p.offsets[1], static_cast<double>(random() % 100));
    for (std::size_t c = 1; c < wider.offsets.size(); ++c) ++wider.offsets[c];
    EXPECT_LE(solve_assignment(wider, exact).objective, before.objective + 1e-9) << "trial " << trial;
  }
}

TEST(assignment_test, degenerate_problems_have_answers_or_clear_errors) {
  assignment_problem none;
  EXPECT_TRUE(solve_assignment(none).manager.empty());
  auto no_managers = dense({{}, {}}, {3, 4}, {});
  const assignment_result r = solve_assignment(no_managers);
  EXPECT_EQ(r.manager, (std::vector<index_t>{no_index, no_index}));
  EXPECT_EQ(r.reason[0], unassigned_reason::no_candidate);
  EXPECT_DOUBLE_EQ(r.objective, 7);
  auto full = dense({{1, 1}}, {3}, {0, 0});
  EXPECT_EQ(solve_assignment(full).reason[0], unassigned_reason::capacity_exhausted);
  EXPECT_EQ(solve_assignment(full, {.solver = "lagrangian"}).reason[0], unassigned_reason::capacity_exhausted);
  auto nan_cost = dense({{1, 1}}, {3}, {1, 1});
  nan_cost.cost[0] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW_MSG((void)solve_assignment(nan_cost), invalid_input,
                   "assignment_problem.cost row 0 (value nan): must be finite and >= 0");
  auto twice = dense({{1, 1}}, {3}, {1, 1});
  twice.manager[1] = 0;
  EXPECT_THROW_MSG((void)solve_assignment(twice), invalid_input,
                   "assignment_problem.manager row 1 (value 0): repeats a candidate of customer 0");
  EXPECT_THROW_MSG((void)solve_assignment(full, {.solver = "simplex"}), invalid_input,
                   "assignment_options.solver (value simplex): no such solver");
}

TEST(assignment_test, solvers_are_found_by_name) {
  register_assignment_solver("nobody", [](const assignment_problem& p, const assignment_options&) {
    double total = 0;
    for (const double price : p.leave_out) total += price;
    return solver_output{
        .manager = std::vector<index_t>(static_cast<std::size_t>(p.customers), no_index), .bound = 0, .iterations = 1};
  });
  const auto names = assignment_solvers();
  EXPECT_EQ(names, (std::vector<std::string>{"auction", "boost", "flow", "lagrangian", "nobody"}));
  const auto p = dense({{1, 2}}, {3}, {1, 1});
  const assignment_result r = solve_assignment(p, {.solver = "nobody"});
  EXPECT_EQ(r.solver, "nobody");
  EXPECT_DOUBLE_EQ(r.objective, 3);
  EXPECT_DOUBLE_EQ(r.gap, 1);
}

}  // namespace
}  // namespace cartera
