// The "lagrangian" solver: any realignment problem, including time budgets (a generalized
// assignment problem), load and value bands and fixed costs. Its parts, in this folder:
// context (the problem and the clock), dual (prices, bound, votes), primal (the plan),
// placement (first plans), local_search (shifts, exchanges), repack and knapsack (a
// manager chosen again), oscillation (the tabu search across the time budgets); this file
// puts them together.
//
// Bound. Relaxing every manager constraint with multipliers (a free price per customer
// carried, λ, and a price per minute, μ >= 0) leaves one choice per customer: its cheapest
// option at the adjusted costs c + λ + μ·w, or being left out. With the band penalty's
// own minimum per manager, this is the Lagrangian dual; its maximum equals the linear
// relaxation's optimum, since the customers' choices are integral. Subgradient steps
// (Polyak's rule against the best solution) climb it; every value is a valid bound. Fixed
// costs and value-band penalties are >= 0 and left out of it, so it stays valid.
//
// Solution. On large problems the relaxation's choices, step after step, are votes (recent
// steps weigh most): their average approximates the linear relaxation's solution (primal
// recovery from the subgradient iterates), and customers are placed most certain first at
// their most voted arc that fits. Small ones (and the first solution) are placed in order
// of regret at the cheapest adjusted option that fits. Then local search on the true
// costs: shift one customer, swap two, or eject one to make room for another; and, with
// time budgets, repack a manager: choose its customers again as a knapsack on its minutes
// among its members, those left out and those of other managers, whose managers are then
// refilled the same way (an ejection chain through two managers, in the spirit of Yagiura,
// Ibaraki & Glover 2004; undone unless the whole chain gains). Small problems (where a pass
// of exchanges is cheap) do all of it whenever the bound improves while it takes less than
// a quarter of the time limit, climb for at most half of it, and end with the tabu search
// across the time budgets (oscillation.hpp) where it applies, else with an iterated local
// search (a few random moves, local search, keep if not worse); large ones only place
// while the bound climbs, for 55 % of the time limit, and spend the rest on repacks,
// shifts and exchanges from the best placement.
#include <algorithm>
#include <cmath>
#include <functional>

#include "assignment/lagrangian/context.hpp"
#include "assignment/lagrangian/dual.hpp"
#include "assignment/lagrangian/local_search.hpp"
#include "assignment/lagrangian/oscillation.hpp"
#include "assignment/lagrangian/placement.hpp"
#include "assignment/lagrangian/primal.hpp"
#include "assignment/lagrangian/repack.hpp"
#include "assignment/solver_support.hpp"

namespace cartera::detail {
namespace {

using namespace lagrangian;

class lagrangian_solver {
 public:
  lagrangian_solver(const assignment_problem& p, const assignment_options& o)
      : ctx_(p, o),
        prices_(ctx_),
        plan_(ctx_),
        repacks_(ctx_, plan_, prices_),
        search_(ctx_, plan_, prices_, repacks_),
        oscillation_(ctx_, plan_, prices_) {}

  solver_output run() {
    const auto stop = [this](std::int64_t iteration) { return this->stop(iteration); };
    solver_output out;
    place_by_regret(plan_, ctx_, nullptr);
    search_.shift_all();
    plan_.remember_best();
    double theta = 1.0;
    double climb_search_seconds = 0;
    std::int64_t stalled = 0;
    std::int64_t iteration = 0;
    // Large problems keep 45 % of the time for polishing the best solution; the bound still
    // rises a little until then, and the repacks' prices come from it (measured at 1 M:
    // 0.37 %, 0.35 %, 0.37 % at 45, 55, 65 % for the bound; 0.40 % at 30 %). Small ones
    // keep at least half for the tabu search or the iterated local search; on them a bound
    // that creeps up by less than a millionth counts as stalled (on 1,600 × 80 instances it
    // crept for the whole second).
    const double climb_until = ctx_.o.time_limit * (ctx_.small ? 0.5 : 0.55);
    const double creep = ctx_.small ? 1e-6 : tolerance;
    for (; iteration < ctx_.o.iterations && !stop(iteration) && ctx_.seconds() < climb_until; ++iteration) {
      const double value = prices_.evaluate();
      prices_.next_ballot();
      const bool rose = value > prices_.bound + creep * std::max(1.0, std::abs(value));
      if (value > prices_.bound) {
        prices_.bound = value;
        prices_.best_time_price = prices_.time_price;
      }
      if (rose) {
        stalled = 0;
      } else if (++stalled >= 20) {
        theta /= 2;
        stalled = 0;
        if (theta < 1e-5) break;
      }
      // A solution every 25 steps, and on small problems whenever the bound improves (large
      // ones get their exchanges at the end, in polish()).
      if (iteration % 25 == 0 || (ctx_.small && stalled == 0)) {
        // Small problems do better from the greedy (published sets: mean gap 0.19 % against
        // 0.23 % from the votes).
        if (ctx_.small)
          place_by_regret(plan_, ctx_, &prices_);
        else
          place_by_votes(plan_, ctx_, prices_);
        // Large problems get their local search at the end, in polish(): here it would take
        // the time the bound needs (measured at 1 M: 1.05 % against 1.11 % with it). Small
        // ones get it while it takes at most a quarter of the time limit (on published
        // instances of up to 200 items, each full search from a new placement helps: mean
        // gap 0.15 % against 0.34 % with shifts only; on 1,600 × 80 type E instances a
        // single full search from the greedy by true costs took 4.7 s, where the bound
        // needed the time), and shifts after that.
        if (ctx_.small && iteration > 0) {  // at the first step the prices are all 0: the first placement again
          const double start = ctx_.seconds();
          search_.improve(start + std::max(0.0, 0.25 * ctx_.o.time_limit - climb_search_seconds));
          climb_search_seconds += ctx_.seconds() - start;
        }
        plan_.remember_best();
      }
      if (!prices_.step(theta, value, plan_.best_objective)) break;  // the relaxation's choice is feasible: optimal
    }
    if (ctx_.small && !stop(iteration)) {
      plan_.restore(plan_.best_arc);
      search_.improve();
      plan_.remember_best();
    }
    search_.polish(iteration, stop);
    oscillation_.run(iteration, stop);
    search_.perturb_and_improve(iteration, stop);
    out.manager.assign(ctx_.n, no_index);
    for (std::size_t c = 0; c < ctx_.n; ++c) {
      if (plan_.best_arc[c] != left) out.manager[c] = ctx_.p.manager[static_cast<std::size_t>(plan_.best_arc[c])];
    }
    out.bound = std::min(prices_.bound, plan_.best_objective);
    out.iterations = iteration;
    out.stopped_by = ctx_.cut;
    return out;
  }

 private:
  [[nodiscard]] double gap() const {
    return (plan_.best_objective - prices_.bound) / std::max(1.0, std::abs(plan_.best_objective));
  }

  // True once the gap is small enough, or the solve is cut short (context::cut_short()), or
  // the caller's progress says stop: then for good.
  bool stop(std::int64_t iteration) {
    if (ctx_.cut != stop_reason::none || gap() <= ctx_.o.gap_limit || ctx_.cut_short()) return true;
    if (ctx_.o.progress && !ctx_.o.progress({iteration, ctx_.seconds(), plan_.best_objective, prices_.bound}))
      ctx_.stop_by_caller();
    return ctx_.cut != stop_reason::none;
  }

  context ctx_;
  dual_prices prices_;
  primal_state plan_;
  repacker repacks_;
  local_search search_;
  oscillating_search oscillation_;
};

}  // namespace

solver_output solve_lagrangian(const assignment_problem& problem, const assignment_options& options) {
  return lagrangian_solver(problem, options).run();
}

}  // namespace cartera::detail
