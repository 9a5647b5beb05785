#include "assignment/lagrangian/oscillation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "detail/random.hpp"

namespace cartera::detail::lagrangian {
namespace {

constexpr std::size_t candidates = 8;        // per customer, the arcs a move may take
constexpr double raise = 1.1, relax = 0.95;  // the price of a minute over, while over and while within

}  // namespace

void oscillating_search::prepare() {
  const std::size_t arcs = ctx_.p.manager.size();
  // A minute over costs at least what the bound prices it, and never nothing: a tenth of a
  // pair cost per minute on average.
  double cost_total = 0, work_total = 0;
  for (std::size_t a = 0; a < arcs; ++a) {
    cost_total += std::abs(ctx_.p.cost[a]);
    work_total += ctx_.p.workload[a];
  }
  const double floor = work_total > 0 ? std::max(0.1 * cost_total / work_total, 1e-9) : 1;
  base_price_.assign(ctx_.m, floor);
  for (std::size_t j = 0; j < ctx_.m && !prices_.best_time_price.empty(); ++j)
    base_price_[j] = std::max(floor, prices_.best_time_price[j]);
  price_ = base_price_;
  tabu_until_.assign(arcs, 0);
  by_manager_.resize(arcs);
  candidate_offsets_.assign(ctx_.n + 1, 0);
  candidate_arcs_.clear();
  std::vector<std::int64_t> cheapest;
  const auto adjusted = [&](std::int64_t a) {
    const double minute = prices_.best_time_price.empty() ? 0 : prices_.best_time_price[ctx_.manager_of(a)];
    return ctx_.p.cost[static_cast<std::size_t>(a)] + minute * ctx_.work(a);
  };
  for (std::size_t c = 0; c < ctx_.n; ++c) {
    const auto begin = by_manager_.begin() + ctx_.first(c), end = by_manager_.begin() + ctx_.last(c);
    for (std::int64_t a = ctx_.first(c); a < ctx_.last(c); ++a) by_manager_[static_cast<std::size_t>(a)] = a;
    std::sort(begin, end, [&](std::int64_t a, std::int64_t b) { return ctx_.manager_of(a) < ctx_.manager_of(b); });
    cheapest.assign(begin, end);
    const std::size_t keep = std::min(candidates, cheapest.size());
    std::partial_sort(cheapest.begin(), cheapest.begin() + static_cast<std::ptrdiff_t>(keep), cheapest.end(),
                      [&](std::int64_t a, std::int64_t b) {
                        return adjusted(a) < adjusted(b) || (adjusted(a) == adjusted(b) && a < b);
                      });
    candidate_arcs_.insert(candidate_arcs_.end(), cheapest.begin(),
                           cheapest.begin() + static_cast<std::ptrdiff_t>(keep));
    candidate_offsets_[c + 1] = static_cast<std::int64_t>(candidate_arcs_.size());
  }
}

std::int64_t oscillating_search::arc_to(std::size_t c, std::size_t j) const {
  // A customer with every manager as a candidate (a generalized assignment instance) has
  // manager j's arc at place j of its ordered arcs.
  if (static_cast<std::size_t>(ctx_.last(c) - ctx_.first(c)) == ctx_.m)
    return by_manager_[static_cast<std::size_t>(ctx_.first(c)) + j];
  const auto begin = by_manager_.begin() + ctx_.first(c), end = by_manager_.begin() + ctx_.last(c);
  const auto at =
      std::lower_bound(begin, end, j, [&](std::int64_t a, std::size_t k) { return ctx_.manager_of(a) < k; });
  return at != end && ctx_.manager_of(*at) == j ? *at : left;
}

oscillating_search::move oscillating_search::best_move(std::int64_t step) const {
  move best;
  const double record = plan_.best_objective - tolerance;
  // A tabu move is taken only when it gives the best feasible plan yet.
  const auto allowed = [&](bool tabu, double cost_change, double excess_change) {
    return !tabu || (excess_ + excess_change <= 1e-9 && cost_ + cost_change < record);
  };
  for (std::size_t c = 0; c < ctx_.n; ++c) {
    const std::int64_t now = plan_.arc[c];
    const double here = ctx_.cost(c, now);
    double from_excess = 0;
    const double from = now == left ? 0 : priced(ctx_.manager_of(now), -ctx_.work(now), from_excess);
    if (now != left && ctx_.p.leave_out[c] - here + from < best.change)
      best = {ctx_.p.leave_out[c] - here + from, c, c, left, left};
    for (std::int64_t k = candidate_offsets_[c]; k < candidate_offsets_[c + 1]; ++k) {
      const std::int64_t a = candidate_arcs_[static_cast<std::size_t>(k)];
      const std::size_t j = ctx_.manager_of(a);
      if (a == now || plan_.load[j] >= ctx_.capacity[j]) continue;
      double excess = from_excess;
      const double cost_change = ctx_.cost(c, a) - here;
      const double change = cost_change + from + priced(j, ctx_.work(a), excess);
      if (change < best.change && allowed(tabu_until_[static_cast<std::size_t>(a)] > step, cost_change, excess))
        best = {change, c, c, a, a};
    }
  }
  for (std::size_t c = 0; c < ctx_.n; ++c) {
    const std::int64_t now = plan_.arc[c];
    if (now == left) continue;
    const std::size_t home = ctx_.manager_of(now);
    const double here = ctx_.cost(c, now);
    for (std::int64_t k = candidate_offsets_[c]; k < candidate_offsets_[c + 1]; ++k) {
      const std::int64_t there = candidate_arcs_[static_cast<std::size_t>(k)];
      const std::size_t j = ctx_.manager_of(there);
      if (j == home) continue;
      for (const index_t member : plan_.members[j]) {
        const auto d = static_cast<std::size_t>(member);
        const std::int64_t back = arc_to(d, home);
        if (back == left) continue;
        const std::int64_t theirs = plan_.arc[d];
        const double cost_change = ctx_.cost(c, there) - here + ctx_.cost(d, back) - ctx_.cost(d, theirs);
        double excess = 0;
        const double change = cost_change + priced(home, ctx_.work(back) - ctx_.work(now), excess) +
                              priced(j, ctx_.work(there) - ctx_.work(theirs), excess);
        const bool tabu =
            tabu_until_[static_cast<std::size_t>(there)] > step || tabu_until_[static_cast<std::size_t>(back)] > step;
        if (change < best.change && allowed(tabu, cost_change, excess)) best = {change, c, d, there, back};
      }
    }
  }
  return best;
}

void oscillating_search::apply(const move& chosen, std::int64_t step, std::uint64_t& random_state) {
  random_stream random(random_state, static_cast<std::uint64_t>(step));
  random_state = random.next();
  const std::int64_t tenure = 5 + static_cast<std::int64_t>(random.below(10));
  std::size_t touched[4];
  std::size_t count = 0;
  const auto take = [&](std::size_t c, std::int64_t arc) {
    const std::int64_t was = plan_.arc[c];
    cost_ += ctx_.cost(c, arc) - ctx_.cost(c, was);
    const auto touch = [&](std::size_t j) {
      if (std::find(touched, touched + count, j) == touched + count) touched[count++] = j;
    };
    if (was != left) {
      tabu_until_[static_cast<std::size_t>(was)] = step + tenure;
      touch(ctx_.manager_of(was));
    }
    if (arc != left) touch(ctx_.manager_of(arc));
  };
  take(chosen.first, chosen.first_arc);
  if (chosen.second != chosen.first) take(chosen.second, chosen.second_arc);
  for (std::size_t k = 0; k < count; ++k) excess_ -= over(touched[k], plan_.time[touched[k]]);
  plan_.leave(chosen.first);
  if (chosen.second != chosen.first) plan_.leave(chosen.second);
  plan_.join(chosen.first, chosen.first_arc);
  if (chosen.second != chosen.first) plan_.join(chosen.second, chosen.second_arc);
  for (std::size_t k = 0; k < count; ++k) excess_ += over(touched[k], plan_.time[touched[k]]);
}

// A few customers moved at random among their candidates, budgets or not (the search
// repairs them): a restart from the best plan would otherwise retrace its steps.
void oscillating_search::kick(std::uint64_t& random_state) {
  random_stream random(random_state, 0x6b69636bull);
  random_state = random.next();
  const std::size_t moves = 3 + ctx_.n / 25;
  for (std::size_t k = 0; k < moves; ++k) {
    const std::size_t c = random.below(ctx_.n);
    const auto options = static_cast<std::uint64_t>(candidate_offsets_[c + 1] - candidate_offsets_[c]);
    if (options == 0) continue;
    const std::int64_t a = candidate_arcs_[static_cast<std::size_t>(candidate_offsets_[c]) + random.below(options)];
    if (a != plan_.arc[c] && plan_.load[ctx_.manager_of(a)] < ctx_.capacity[ctx_.manager_of(a)]) plan_.move(c, a);
  }
}

void oscillating_search::run(std::int64_t iteration, const std::function<bool(std::int64_t)>& stop) {
  if (!applies() || plan_.best_arc.empty() || stop(iteration)) return;
  prepare();
  plan_.restore(plan_.best_arc);
  const auto measure = [&] {
    cost_ = 0;
    excess_ = 0;
    for (std::size_t c = 0; c < ctx_.n; ++c) cost_ += ctx_.cost(c, plan_.arc[c]);
    for (std::size_t j = 0; j < ctx_.m; ++j) excess_ += over(j, plan_.time[j]);
  };
  measure();
  std::uint64_t random_state = ctx_.o.seed ^ 0x6f7363696c6c61ull;
  // Back to the best plan, at the starting prices, after this many steps without a better one.
  const auto restart_after = static_cast<std::int64_t>(std::max<std::size_t>(500, 2 * ctx_.n));
  std::int64_t last_best = 0;
  // A step costs about what a round of the iterated local search costs a customer: the
  // options' iterations bound the steps as they bound its rounds, times 20.
  const std::int64_t steps = ctx_.o.iterations > INT64_MAX / 20 ? INT64_MAX : 20 * ctx_.o.iterations;
  for (std::int64_t step = 1; step <= steps; ++step) {
    if ((step & 63) == 0 && stop(iteration + step)) break;
    const move chosen = best_move(step);
    if (std::isinf(chosen.change)) break;
    apply(chosen, step, random_state);
    if (excess_ > 1e-9) {
      for (std::size_t j = 0; j < ctx_.m; ++j)
        if (over(j, plan_.time[j]) > 0) price_[j] *= raise;
    } else {
      for (std::size_t j = 0; j < ctx_.m; ++j) price_[j] = std::max(price_[j] * relax, 1e-3 * base_price_[j]);
      if (cost_ < plan_.best_objective - tolerance) {
        measure();  // the running sums drift; a record is counted afresh
        if (cost_ < plan_.best_objective - tolerance) {
          plan_.best_objective = cost_;
          plan_.best_arc = plan_.arc;
          last_best = step;
        }
      }
    }
    if (step - last_best > restart_after) {
      plan_.restore(plan_.best_arc);
      kick(random_state);
      measure();
      price_ = base_price_;
      last_best = step;
    }
  }
  plan_.restore(plan_.best_arc);
}

}  // namespace cartera::detail::lagrangian
