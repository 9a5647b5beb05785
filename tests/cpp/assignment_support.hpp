#pragma once
// What the assignment tests share: problems from dense tables and random instances, a brute
// force over every assignment of a tiny problem, and the checks every solution must pass.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "cartera/assignment.hpp"

namespace cartera::assignment_support {

// Builds a problem from a dense cost table; NaN means "not a candidate".
inline assignment_problem dense(const std::vector<std::vector<double>>& cost, std::vector<double> leave_out,
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

// Every assignment of a tiny instance, tried one by one: the optimum under capacities,
// time budgets, the band, pins and the move budget.
inline double brute_force(const assignment_problem& p) {
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
inline bool is_candidate(const assignment_problem& p, index_t c, index_t m) {
  for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
    if (p.manager[static_cast<std::size_t>(a)] == m) return true;
  }
  return false;
}

// Random instances with distinct candidates per customer, costs with one decimal.
inline assignment_problem random_problem(std::mt19937& random, index_t customers, index_t managers, int candidates,
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
inline std::int64_t voluntary_moves(const assignment_problem& p, const assignment_result& r) {
  std::int64_t moves = 0;
  for (index_t c = 0; c < p.customers; ++c) {
    const auto k = static_cast<std::size_t>(c);
    moves += p.current[k] != no_index && r.manager[k] != p.current[k] && is_candidate(p, c, p.current[k]);
  }
  return moves;
}

// What every solution must satisfy, whoever found it.
inline void expect_feasible(const assignment_problem& p, const assignment_result& r) {
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

}  // namespace cartera::assignment_support
