#include "cartera/assignment.hpp"
#include "cartera/gap_instances.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

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

// Every assignment of a tiny instance, tried one by one: the optimum under capacities,
// time budgets, the band, pins and the move budget.
double brute_force(const assignment_problem& p) {
  double best = std::numeric_limits<double>::infinity();
  const auto n = static_cast<std::size_t>(p.customers), m = static_cast<std::size_t>(p.managers);
  std::vector<std::int64_t> load(m, 0);
  std::vector<double> time(m, 0), value(m, 0);
  std::function<void(std::size_t, double, std::int64_t)> visit = [&](std::size_t c, double total, std::int64_t moves) {
    if (p.move_budget >= 0 && moves > p.move_budget) return;
    if (c == n) {
      for (std::size_t j = 0; j < m; ++j) {
        total += band_penalty(p.band, static_cast<index_t>(j), load[j]) +
                 value_penalty(p.value_balance, static_cast<index_t>(j), value[j]);
        if (!p.fixed_cost.empty() && load[j] > 0) total += p.fixed_cost[j];
      }
      best = std::min(best, total);
      return;
    }
    const index_t pin = p.pinned.empty() ? no_index : p.pinned[c];
    const index_t now = p.current.empty() ? no_index : p.current[c];
    bool now_candidate = false;
    for (std::int64_t a = p.offsets[c]; a < p.offsets[c + 1]; ++a)
      now_candidate = now_candidate || p.manager[static_cast<std::size_t>(a)] == now;
    if (pin == no_index) visit(c + 1, total + p.leave_out[c], moves + now_candidate);
    for (std::int64_t a = p.offsets[c]; a < p.offsets[c + 1]; ++a) {
      const auto k = static_cast<std::size_t>(a);
      const auto j = static_cast<std::size_t>(p.manager[k]);
      if (pin != no_index && p.manager[k] != pin) continue;
      const double w = p.workload.empty() ? 0 : p.workload[k];
      if (load[j] == p.capacity[j] || (!p.time_budget.empty() && time[j] + w > p.time_budget[j] + 1e-9)) continue;
      const double v = p.value_balance.value.empty() ? 0 : p.value_balance.value[c];
      ++load[j];
      time[j] += w;
      value[j] += v;
      visit(c + 1, total + p.cost[k], moves + (now_candidate && p.manager[k] != now && pin == no_index));
      --load[j];
      time[j] -= w;
      value[j] -= v;
    }
  };
  visit(0, 0, 0);
  return best;
}

// Is manager m among customer c's candidates?
bool is_candidate(const assignment_problem& p, index_t c, index_t m) {
  for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
    if (p.manager[static_cast<std::size_t>(a)] == m) return true;
  }
  return false;
}

// Random instances with distinct candidates per customer, costs with one decimal.
assignment_problem random_problem(std::mt19937& random, index_t customers, index_t managers, int candidates,
                                  bool timed = false) {
  std::uniform_real_distribution<double> cost(0, 100);
  assignment_problem p;
  p.customers = customers;
  p.managers = managers;
  std::vector<index_t> all(static_cast<std::size_t>(managers));
  std::iota(all.begin(), all.end(), 0);
  for (index_t c = 0; c < customers; ++c) {
    std::shuffle(all.begin(), all.end(), random);
    for (int k = 0; k < std::min<int>(candidates, managers); ++k) {
      p.manager.push_back(all[static_cast<std::size_t>(k)]);
      p.cost.push_back(std::round(cost(random) * 10) / 10);
      if (timed) p.workload.push_back(static_cast<double>(1 + random() % 9));
    }
    p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
    p.leave_out.push_back(std::round(cost(random) * 1.5 * 10) / 10);
  }
  for (index_t m = 0; m < managers; ++m) {
    p.capacity.push_back(static_cast<std::int64_t>(random() % 4));
    if (timed) p.time_budget.push_back(static_cast<double>(random() % 15));
  }
  return p;
}

// Customers who leave a current manager still among their candidates (what the budget counts).
std::int64_t voluntary_moves(const assignment_problem& p, const assignment_result& r) {
  std::int64_t moves = 0;
  for (index_t c = 0; c < p.customers; ++c) {
    const auto k = static_cast<std::size_t>(c);
    moves += p.current[k] != no_index && r.manager[k] != p.current[k] && is_candidate(p, c, p.current[k]);
  }
  return moves;
}

// What every solution must satisfy, whoever found it.
void expect_feasible(const assignment_problem& p, const assignment_result& r) {
  ASSERT_EQ(r.manager.size(), static_cast<std::size_t>(p.customers));
  std::vector<std::int64_t> load(static_cast<std::size_t>(p.managers), 0);
  std::vector<double> time(static_cast<std::size_t>(p.managers), 0);
  for (index_t c = 0; c < p.customers; ++c) {
    const index_t m = r.manager[static_cast<std::size_t>(c)];
    ASSERT_EQ(m == no_index, r.reason[static_cast<std::size_t>(c)] != unassigned_reason::assigned);
    if (!p.pinned.empty() && p.pinned[static_cast<std::size_t>(c)] != no_index)
      ASSERT_EQ(m, p.pinned[static_cast<std::size_t>(c)]);
    if (m == no_index) continue;
    bool candidate = false;
    for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      if (p.manager[static_cast<std::size_t>(a)] != m) continue;
      candidate = true;
      if (!p.workload.empty()) time[static_cast<std::size_t>(m)] += p.workload[static_cast<std::size_t>(a)];
    }
    ASSERT_TRUE(candidate) << "customer " << c;
    ++load[static_cast<std::size_t>(m)];
  }
  for (std::size_t m = 0; m < load.size(); ++m) {
    ASSERT_LE(load[m], p.capacity[m]);
    ASSERT_EQ(load[m], r.load[m]);
    if (!p.time_budget.empty()) ASSERT_LE(time[m], p.time_budget[m] + 1e-9);
  }
  ASSERT_LE(r.bound, r.objective + 1e-9);
  ASSERT_NEAR(r.gap, (r.objective - r.bound) / std::max(1.0, std::abs(r.objective)), 1e-12);
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

TEST(assignment_test, lagrangian_bound_and_solution_bracket_the_optimum_with_time_budgets) {
  std::mt19937 random(3);
  int optimal = 0;
  constexpr int trials = 300;
  for (int trial = 0; trial < trials; ++trial) {
    const assignment_problem p =
        random_problem(random, 1 + static_cast<index_t>(random() % 7), 1 + static_cast<index_t>(random() % 3), 3, true);
    const assignment_result r = solve_assignment(p, {.iterations = 200});
    ASSERT_EQ(r.solver, "lagrangian");
    expect_feasible(p, r);
    const double best = brute_force(p);
    ASSERT_LE(r.bound, best + 1e-6) << "trial " << trial;
    ASSERT_GE(r.objective, best - 1e-6) << "trial " << trial;
    optimal += r.objective <= best + 1e-6;
  }
  EXPECT_GE(optimal, trials * 95 / 100);
}

// A book like the benchmark's, just large enough for the solver's large-problem path:
// 6,000 customers, 60 managers, 25 candidates each, 10 to 60 whole minutes a customer plus
// `offset`, budgets for 80 % of the minutes.
assignment_problem timed_book(double offset) {
  std::mt19937 random(11);
  assignment_problem p = random_problem(random, 6'000, 60, 25);
  double total = 0;
  for (index_t c = 0; c < p.customers; ++c) {
    const double minutes = 10 + static_cast<double>(random() % 51) + offset;
    total += minutes;
    for (auto a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a)
      p.workload.push_back(minutes);
  }
  p.capacity.assign(60, 120);
  p.time_budget.assign(60, std::round(0.8 * total / 60));
  return p;
}

TEST(assignment_test, lagrangian_large_books_with_time_budgets_come_close_to_the_bound) {
  // Whole minutes (the knapsacks' table over minutes) and minutes with no common unit (their
  // Pareto states): both within 0.7 % of the bound, never over a budget.
  for (const double offset : {0.0, 0.013}) {
    const assignment_problem p = timed_book(offset);
    // A limit far beyond need (even under the sanitizers): the search ends by itself, so
    // the same answer comes again.
    const assignment_options options{.solver = "lagrangian", .time_limit = 600};
    const assignment_result r = solve_assignment(p, options);
    expect_feasible(p, r);
    EXPECT_LE(r.gap, 0.007) << "offset " << offset;
    if (offset == 0) EXPECT_EQ(solve_assignment(p, options).manager, r.manager);
  }
}

TEST(assignment_test, lagrangian_is_near_the_flow_optimum_on_capacity_only_problems) {
  std::mt19937 random(5);
  for (int trial = 0; trial < 5; ++trial) {
    assignment_problem p = random_problem(random, 2000, 40, 6);
    for (auto& c : p.capacity) c = 20 + c * 10;
    const assignment_result exact = solve_assignment(p);
    const assignment_result r = solve_assignment(p, {.solver = "lagrangian"});
    expect_feasible(p, r);
    EXPECT_LE(r.bound, exact.objective + 1e-6);
    EXPECT_LE(r.objective, exact.objective * 1.01);
    EXPECT_LE(r.gap, 0.01);
  }
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

TEST(assignment_test, the_move_budget_limits_voluntary_moves) {
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

TEST(assignment_test, one_move_that_frees_minutes_for_several_arrivals_is_worth_its_place_in_the_budget) {
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
TEST(assignment_test, the_move_budget_plan_is_the_best_within_the_budget_against_a_brute_force) {
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

std::filesystem::path gap_data() {
  const char* from_environment = std::getenv("CARTERA_DATA");
  return std::filesystem::path(from_environment != nullptr ? from_environment : CARTERA_TEST_DATA) / "gap";
}

// The best known values of the published instances, by path ("cattrysse1994/gap1-0").
std::map<std::string, double> best_known_gap_values() {
  std::ifstream in(gap_data() / "best_known.csv");
  std::map<std::string, double> values;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream row(line);
    for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
    if (fields.size() >= 8) values[fields[0]] = std::stod(fields[7]);
  }
  return values;
}

TEST(assignment_test, published_gap_instances_are_solved_close_to_their_best_known_values) {
  // gap1-0 … gap12-0 (OR-Library, 15 to 60 items, all with proven optima).
  const auto best_known = best_known_gap_values();
  ASSERT_FALSE(best_known.empty()) << "missing " << (gap_data() / "best_known.csv") << " (set CARTERA_DATA)";
  double total_gap = 0;
  for (int k = 1; k <= 12; ++k) {
    const std::string name = "cattrysse1994/gap" + std::to_string(k) + "-0";
    std::ifstream in(gap_data() / name);
    ASSERT_TRUE(in) << "missing " << (gap_data() / name);
    const double best = best_known.at(name);
    const assignment_problem p = read_orlibrary_gap(in);
    const assignment_result r = solve_assignment(p, {.time_limit = 2, .iterations = 300});
    expect_feasible(p, r);
    EXPECT_TRUE(std::ranges::none_of(r.manager, [](index_t m) { return m == no_index; })) << name;
    EXPECT_LE(r.bound, best + 1e-9) << name;
    EXPECT_GE(r.objective, best - 1e-9) << name;
    total_gap += (r.objective - best) / best;
  }
  EXPECT_LE(total_gap / 12, 0.01);
}

TEST(assignment_test, orlibrary_reader_names_a_bad_number) {
  std::istringstream in("2 2\n1 2 3 4\n1 1 1 x\n");
  EXPECT_THROW_MSG((void)read_orlibrary_gap(in), invalid_input,
                   "orlibrary_gap.weight row 3 (value x): expected a number >= 0");
}

}  // namespace
}  // namespace cartera
