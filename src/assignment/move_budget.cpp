// The move budget: at most B customers may leave a current manager who is still among their
// candidates (leaving them out counts as a move; customers without such a manager do not
// count).
//
// Design notes. The budget is relaxed with a price λ >= 0 on every move:
//
//     L(λ) = min_x  f(x) + λ·(moves(x) − B),
//
// each L(λ) a lower bound of the best plan within the budget. L is concave and piecewise
// linear, and its best λ lies at a breakpoint, found exactly by the intersection ("Newton")
// search on one multiplier: from the plan at λ = 0 (moves free) and the plan at a price above
// any saving a move can bring (it moves the fewest customers possible: when even that exceeds
// B, no plan keeps the budget), price the intersection of the two plans' lines, and keep the
// new plan on the side its moves fall, until a plan lies on both lines. When the best plan
// found within the budget is still above the bound (the relaxation has a gap: no plan at
// the best price moves exactly B), a branch and bound closes it (Fisher 1981, "The
// Lagrangian relaxation method for solving integer programming problems"): a customer
// whose decision differs between the plans on both sides is held to stay in one branch and
// made to move in the other, lowest bound first, until the gap is within the options'
// gap_limit, the time is up or every branch is closed.
//
// With an exact solver every plan is optimal for its price in costs rounded to 1 / scale,
// and prices stay on that grid, so bounds and the final "optimal" are proven. With the
// Lagrangian solver the same search runs on its heuristic plans and its valid bounds.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <queue>

#include "assignment/solver_support.hpp"

namespace cartera::detail {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// Per customer: its arc to its current manager, when that manager is a candidate (-1 else).
std::vector<std::int64_t> staying_arcs(const assignment_problem& q) {
  std::vector<std::int64_t> stay(static_cast<std::size_t>(q.customers), -1);
  if (q.current.empty()) return stay;
  for (index_t c = 0; c < q.customers; ++c) {
    const index_t now = q.current[static_cast<std::size_t>(c)];
    if (now != no_index) stay[static_cast<std::size_t>(c)] = arc_to(q, c, now);
  }
  return stay;
}

bool moves(const assignment_problem& q, const std::vector<std::int64_t>& stay, const std::vector<index_t>& manager,
           std::size_t c) {
  return stay[c] >= 0 && manager[c] != q.manager[static_cast<std::size_t>(stay[c])];
}

std::int64_t count_moves(const assignment_problem& q, const std::vector<std::int64_t>& stay,
                         const std::vector<index_t>& manager) {
  std::int64_t total = 0;
  for (std::size_t c = 0; c < stay.size(); ++c) total += moves(q, stay, manager, c);
  return total;
}

// q with every move priced `price` more (leaving out included).
assignment_problem with_move_price(const assignment_problem& q, const std::vector<std::int64_t>& stay, double price) {
  assignment_problem r = q;
  for (index_t c = 0; c < q.customers; ++c) {
    const auto arc = stay[static_cast<std::size_t>(c)];
    if (arc < 0) continue;
    r.leave_out[static_cast<std::size_t>(c)] += price;
    for (std::int64_t a = q.offsets[static_cast<std::size_t>(c)]; a < q.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      if (a != arc) r.cost[static_cast<std::size_t>(a)] += price;
    }
  }
  return r;
}

// More than the whole objective can vary: priced this much, one move fewer beats any saving.
double price_above_any_saving(const assignment_problem& q) {
  double total = 1;
  for (index_t c = 0; c < q.customers; ++c) {
    double worst = q.leave_out[static_cast<std::size_t>(c)];
    for (std::int64_t a = q.offsets[static_cast<std::size_t>(c)]; a < q.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      worst = std::max(worst, q.cost[static_cast<std::size_t>(a)]);
    }
    total += worst;
  }
  double value = 0;
  for (const double v : q.value_balance.value) value += v;
  for (std::size_t j = 0; j < static_cast<std::size_t>(q.managers); ++j) {
    if (!q.fixed_cost.empty()) total += q.fixed_cost[j];
    if (!q.band.low.empty()) total += q.band.penalty * static_cast<double>(q.band.low[j] + q.customers);
    if (!q.value_balance.low.empty()) total += q.value_balance.penalty * (q.value_balance.low[j] + value);
  }
  return std::ceil(total);
}

// A branch of the search: customers held to stay (+1) or made to move (-1); 0 is free.
using fixes = std::vector<std::int8_t>;

// One plan of a node, at one price: manager per customer of the full problem.
struct plan {
  std::vector<index_t> manager;
  double objective = std::numeric_limits<double>::infinity();  // of the full problem
  std::int64_t moves = 0;                                      // voluntary, in the full problem
};

struct node_result {
  bool feasible = false;  // a plan within the budget exists in this branch (as far as the solver tells)
  plan within;            // the best plan within the budget found
  double bound = -std::numeric_limits<double>::infinity();
  std::vector<index_t> branch_on;  // free customers deciding differently on the two sides
};

class move_budget_search {
 public:
  move_budget_search(const assignment_problem& q, std::int64_t budget, const assignment_solver& solve,
                     const assignment_options& options, clock_type::time_point start)
      : q_(q), budget_(budget), solve_(solve), options_(options), start_(start), stay_(staying_arcs(q)) {}

  budget_plan run() {
    budget_plan result;
    node_result root = evaluate(fixes(static_cast<std::size_t>(q_.customers), 0));
    if (!root.feasible) {
      // No plan keeps the budget: the one that moves the fewest, with the bound of the
      // problem without the budget (a valid bound of any plan).
      result.kept = false;
      result.out = finish_output(fewest_, bound_without_budget_);
      return result;
    }
    best_ = root.within;
    struct open_node {
      double bound;
      std::int64_t order;
      fixes fixed;
      std::vector<index_t> branch_on;
      bool operator>(const open_node& other) const {
        return bound != other.bound ? bound > other.bound : order > other.order;
      }
    };
    std::priority_queue<open_node, std::vector<open_node>, std::greater<>> open;
    std::int64_t created = 0;
    if (!closed(root.bound))
      open.push({root.bound, created++, fixes(static_cast<std::size_t>(q_.customers), 0), root.branch_on});
    double bound = closed(root.bound) ? best_.objective : root.bound;
    while (!open.empty()) {
      bound = std::min(best_.objective, open.top().bound);
      if (closed(bound) || within_gap(bound) || stopped()) break;
      open_node node = open.top();
      open.pop();
      if (closed(node.bound)) continue;
      if (node.branch_on.empty()) {  // nothing to branch on (a heuristic's bound): its bound stays
        unsettled_ = std::min(unsettled_, node.bound);
        continue;
      }
      const index_t customer = node.branch_on.front();
      for (const std::int8_t choice : {std::int8_t{1}, std::int8_t{-1}}) {
        fixes child = node.fixed;
        child[static_cast<std::size_t>(customer)] = choice;
        node_result found = evaluate(child);
        if (!found.feasible) continue;
        if (found.within.objective < best_.objective) best_ = found.within;
        if (!closed(found.bound))
          open.push({std::max(found.bound, node.bound), created++, std::move(child), found.branch_on});
      }
      bound = open.empty() ? best_.objective : std::min(best_.objective, open.top().bound);
    }
    result.out = finish_output(best_, std::min({bound, unsettled_, best_.objective}));
    return result;
  }

 private:
  // The plan within the budget can be no better than `bound`: nothing left to search.
  [[nodiscard]] bool closed(double bound) const { return bound >= best_.objective - tolerance(best_.objective); }
  [[nodiscard]] bool within_gap(double bound) const {
    return (best_.objective - bound) / std::max(1.0, std::abs(best_.objective)) <= options_.gap_limit;
  }
  [[nodiscard]] double tolerance(double value) const {
    return rounded_ ? 0.5 / options_.cost_scale : 1e-9 * std::max(1.0, std::abs(value));
  }
  bool stopped() {
    if (stopped_by_ == stop_reason::none && seconds_since(start_) >= options_.time_limit)
      stopped_by_ = stop_reason::time_limit;
    return stopped_by_ != stop_reason::none;
  }

  // A price on the exact solvers' cost grid, so that rounded costs plus the price add up exactly.
  [[nodiscard]] double on_grid(double price) const {
    return rounded_ ? std::round(price * options_.cost_scale) / options_.cost_scale : price;
  }

  solver_output finish_output(const plan& chosen, double bound) const {
    solver_output out;
    out.manager = chosen.manager;
    out.bound = bound;
    out.iterations = iterations_;
    out.searches = searches_;
    out.rounded = rounded_;
    out.stopped_by = stopped_by_;
    return out;
  }

  // The branch's problem: customers held to stay are pinned (and leave the problem), those
  // made to move lose the arc to their manager and use up the budget.
  struct branch {
    free_part part;
    std::int64_t budget = 0;
    bool possible = true;
  };

  branch make_branch(const fixes& fixed) const {
    branch b;
    assignment_problem p;
    p.customers = q_.customers;
    p.managers = q_.managers;
    p.leave_out = q_.leave_out;
    p.capacity = q_.capacity;
    p.time_budget = q_.time_budget;
    p.band = q_.band;
    p.value_balance = q_.value_balance;
    p.fixed_cost = q_.fixed_cost;
    p.current = q_.current;
    p.pinned.assign(static_cast<std::size_t>(q_.customers), no_index);
    std::int64_t forced = 0;
    std::vector<std::int64_t> held(static_cast<std::size_t>(q_.managers), 0);
    std::vector<double> minutes(static_cast<std::size_t>(q_.managers), 0);
    for (std::size_t c = 0; c < fixed.size(); ++c) {
      for (auto a = static_cast<std::size_t>(q_.offsets[c]); a < static_cast<std::size_t>(q_.offsets[c + 1]); ++a) {
        if (fixed[c] < 0 && static_cast<std::int64_t>(a) == stay_[c]) continue;
        p.manager.push_back(q_.manager[a]);
        p.cost.push_back(q_.cost[a]);
        if (!q_.workload.empty()) p.workload.push_back(q_.workload[a]);
      }
      p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
      forced += fixed[c] < 0;
      if (fixed[c] > 0) {
        const index_t j = q_.current[c];
        p.pinned[c] = j;
        const auto k = static_cast<std::size_t>(j);
        b.possible = b.possible && ++held[k] <= q_.capacity[k];
        if (!q_.workload.empty()) {
          minutes[k] += q_.workload[static_cast<std::size_t>(stay_[c])];
          b.possible = b.possible && minutes[k] <= q_.time_budget[k] * (1 + 1e-12);
        }
      }
    }
    b.budget = budget_ - forced;
    b.possible = b.possible && b.budget >= 0;
    if (b.possible) b.part = without_pins(p);
    return b;
  }

  // The plan of the branch's free customers as a plan of the full problem.
  plan full_plan(const fixes& fixed, const branch& b, const std::vector<index_t>& free_manager) const {
    plan out;
    out.manager.assign(static_cast<std::size_t>(q_.customers), no_index);
    for (std::size_t c = 0; c < fixed.size(); ++c) {
      if (fixed[c] > 0) out.manager[c] = q_.current[c];
    }
    for (std::size_t k = 0; k < b.part.original.size(); ++k)
      out.manager[static_cast<std::size_t>(b.part.original[k])] = free_manager[k];
    out.objective = finish(q_, out.manager, rounded_ ? options_.cost_scale : 0).objective;
    out.moves = count_moves(q_, stay_, out.manager);
    return out;
  }

  // One solve of the branch at `price`; the bound it gives of the full problem within the budget.
  struct trial {
    plan full;
    std::vector<index_t> free_manager;
    double price = 0;
    double bound = 0;
  };

  trial solve_at(const fixes& fixed, const branch& b, const std::vector<std::int64_t>& stay, double price) {
    // A solver that would take all the time it is given (the Lagrangian) gets a quarter of
    // what is left, so that the prices after it still get solved; the exact ones end sooner.
    assignment_options rest = options_;
    rest.time_limit = std::max(0.0, options_.time_limit - seconds_since(start_)) / 4;
    solver_output out = solve_(price > 0 ? with_move_price(b.part.problem, stay, price) : b.part.problem, rest);
    if (out.stopped_by != stop_reason::none && stopped_by_ == stop_reason::none) stopped_by_ = out.stopped_by;
    rounded_ = out.rounded;
    iterations_ += out.iterations + 1;
    searches_ += out.searches;
    trial t;
    t.price = price;
    t.free_manager = std::move(out.manager);
    t.full = full_plan(fixed, b, t.free_manager);
    // The pinned customers' part of the objective is fixed: it joins the free part's bound.
    const double free_objective = finish(b.part.problem, t.free_manager, rounded_ ? options_.cost_scale : 0).objective;
    t.bound = out.bound - price * static_cast<double>(b.budget) + (t.full.objective - free_objective);
    return t;
  }

  // The plan moving the fewest customers of the branch, found on the same problem where each
  // move costs 1 and everything else 0; it stands at `price` as the plan within the budget.
  trial fewest_moves(const fixes& fixed, const branch& b, const std::vector<std::int64_t>& stay, double price) {
    assignment_problem moves_only = b.part.problem;
    moves_only.band = {};
    moves_only.value_balance = {};
    moves_only.fixed_cost.clear();
    for (std::size_t c = 0; c < stay.size(); ++c) {
      moves_only.leave_out[c] = stay[c] >= 0 ? 1 : 0;
      for (auto a = moves_only.offsets[c]; a < moves_only.offsets[c + 1]; ++a)
        moves_only.cost[static_cast<std::size_t>(a)] = stay[c] >= 0 && a != stay[c] ? 1 : 0;
    }
    assignment_options rest = options_;
    rest.time_limit = std::max(0.0, options_.time_limit - seconds_since(start_)) / 4;
    solver_output out = solve_(moves_only, rest);
    trial t;
    t.price = price;
    t.free_manager = std::move(out.manager);
    t.full = full_plan(fixed, b, t.free_manager);
    t.bound = -std::numeric_limits<double>::infinity();  // no bound of the real costs from it
    return t;
  }

  node_result evaluate(const fixes& fixed) {
    node_result result;
    const branch b = make_branch(fixed);
    if (!b.possible) return result;
    // Customers made to move have no arc to their manager: they count in the budget already.
    const std::vector<std::int64_t> stay = staying_arcs(b.part.problem);
    const auto free_moves = [&](const trial& t) { return count_moves(b.part.problem, stay, t.free_manager); };
    trial low = solve_at(fixed, b, stay, 0);
    const bool root = std::all_of(fixed.begin(), fixed.end(), [](std::int8_t f) { return f == 0; });
    if (root) bound_without_budget_ = low.bound;
    result.bound = low.bound;
    if (free_moves(low) <= b.budget) {
      result.feasible = true;
      result.within = low.full;
      return result;  // the budget does not bind here: the plan is this branch's best
    }
    // Above any saving a move brings, the plan moves the fewest customers possible, unless
    // the exact solvers' integers cannot hold that price: then the fewest moves are counted
    // apart, on a problem where a move costs 1 and nothing else does.
    const double top = price_above_any_saving(b.part.problem);
    const double highest = rounded_ ? 0.5 * exact_range / options_.cost_scale - largest_scaled(b.part.problem, 1) : top;
    trial high = solve_at(fixed, b, stay, on_grid(std::min(top, highest)));
    if (free_moves(high) > b.budget && top > highest) high = fewest_moves(fixed, b, stay, high.price);
    if (root) fewest_ = high.full;
    if (free_moves(high) > b.budget) return result;  // even the fewest moves exceed the budget
    result.feasible = true;
    result.within = high.full;
    result.bound = std::max(result.bound, high.bound);
    // The intersection search for the best price.
    for (int round = 0; round < 64 && !stopped(); ++round) {
      const auto low_moves = static_cast<double>(free_moves(low)), high_moves = static_cast<double>(free_moves(high));
      const double price = on_grid((high.full.objective - low.full.objective) / (low_moves - high_moves));
      if (!(price > low.price && price < high.price)) break;
      trial next = solve_at(fixed, b, stay, price);
      result.bound = std::max(result.bound, next.bound);
      const double line = low.full.objective + price * low_moves;
      const double priced = next.full.objective + price * static_cast<double>(free_moves(next));
      const bool on_both_lines = priced >= line - tolerance(line);
      if (free_moves(next) > b.budget) {
        low = std::move(next);
      } else {
        if (next.full.objective < result.within.objective) result.within = next.full;
        high = std::move(next);
      }
      if (on_both_lines) break;
    }
    for (std::size_t k = 0; k < b.part.original.size(); ++k) {
      if (stay[k] >= 0 &&
          moves(b.part.problem, stay, low.free_manager, k) != moves(b.part.problem, stay, high.free_manager, k)) {
        result.branch_on.push_back(b.part.original[k]);
      }
    }
    return result;
  }

  const assignment_problem& q_;
  std::int64_t budget_;
  const assignment_solver& solve_;
  const assignment_options& options_;
  clock_type::time_point start_;
  std::vector<std::int64_t> stay_;
  bool rounded_ = false;
  stop_reason stopped_by_ = stop_reason::none;
  std::int64_t iterations_ = 0, searches_ = 0;
  plan best_;
  plan fewest_;
  double bound_without_budget_ = -std::numeric_limits<double>::infinity();
  double unsettled_ = std::numeric_limits<double>::infinity();  // bounds of branches left open
};

}  // namespace

budget_plan solve_within_move_budget(const assignment_problem& problem, std::int64_t budget,
                                     const assignment_solver& solve, const assignment_options& options,
                                     clock_type::time_point start) {
  return move_budget_search(problem, budget, solve, options, start).run();
}

}  // namespace cartera::detail
