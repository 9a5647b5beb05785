#include "assignment/lagrangian/local_search.hpp"

#include <cstdint>

#include "detail/random.hpp"

namespace cartera::detail::lagrangian {

bool local_search::try_shift(std::size_t c) {
  const std::int64_t now = plan_.arc[c];
  const double release = plan_.arc_delta(c, now, -1) - ctx_.cost(c, now);  // c leaving where it is
  double best = -tolerance;
  std::int64_t chosen = now;
  if (now != left && ctx_.p.leave_out[c] + release < best) {
    best = ctx_.p.leave_out[c] + release;
    chosen = left;
  }
  for (std::int64_t a = ctx_.first(c); a < ctx_.last(c); ++a) {
    if (a == now || !plan_.fits(ctx_.manager_of(a), a)) continue;
    const double change = ctx_.cost(c, a) + plan_.arc_delta(c, a, +1) + release;
    if (change < best) {
      best = change;
      chosen = a;
    }
  }
  if (chosen == now) return false;
  plan_.move(c, chosen);
  return true;
}

bool local_search::try_exchange(std::size_t c) {
  const std::int64_t now = plan_.arc[c];
  const double here = ctx_.cost(c, now);
  const std::size_t home = now == left ? ctx_.m : ctx_.manager_of(now);
  for (std::int64_t a = ctx_.first(c); a < ctx_.last(c); ++a) {
    if (a == now || ctx_.cost(c, a) >= here) continue;
    const std::size_t j = ctx_.manager_of(a);
    const double gain_c = ctx_.cost(c, a) - here;
    const double home_change = plan_.arc_delta(c, now, -1);  // c leaves home
    // The members whose leaving frees minutes enough for c (read beside the list: most
    // fail here); their arc lists are fetched a few ahead, as each is a cache miss.
    const auto& facts = plan_.facts[j];
    passing_.clear();
    // Without managers' own terms, a member whose cheapest other option costs it more
    // than c gains cannot make an improving move: skipped without reading its arcs.
    const double most_loss = ctx_.manager_terms ? infinite : -gain_c - tolerance;
    for (std::size_t i = 0; i < facts.size(); ++i) {
      if (plan_.time[j] - facts[i].work + ctx_.work(a) <= ctx_.budget[j] * (1 + 1e-12) &&
          facts[i].alternative - facts[i].cost < most_loss)
        passing_.push_back(i);
    }
    constexpr std::size_t fetch_ahead = 3;
    const auto fetch = [&](std::size_t n) {
      if (n < passing_.size()) fetch_arcs(facts[passing_[n]].first, facts[passing_[n]].last);
    };
    for (std::size_t n = 0; n < fetch_ahead; ++n) fetch(n);
    for (std::size_t n = 0; n < passing_.size(); ++n) {
      fetch(n + fetch_ahead);
      const std::size_t i = passing_[n];
      const auto k = static_cast<std::size_t>(plan_.members[j][i]);
      const double theirs_cost = facts[i].cost;
      const double j_change = plan_.manager_delta(j, 0, ctx_.worth(c) - ctx_.worth(k));  // k leaves j, c arrives
      // k goes to c's place (swap), to another manager with room, or out.
      double best = -tolerance;
      std::int64_t chosen = -2;
      const double out_change = gain_c + facts[i].leave - theirs_cost + home_change + j_change;
      if (out_change < best) {
        best = out_change;
        chosen = left;
      }
      for (std::int64_t b = facts[i].first; b < facts[i].last; ++b) {
        const std::size_t target = ctx_.manager_of(b);
        if (target == j) continue;  // k's own arc
        double change = gain_c + ctx_.cost(k, b) - theirs_cost + j_change;
        if (target == home) {  // a swap: loads stay, c's minutes are freed
          if (plan_.time[home] - ctx_.work(now) + ctx_.work(b) > ctx_.budget[home] * (1 + 1e-12)) continue;
          change += plan_.manager_delta(home, 0, ctx_.worth(k) - ctx_.worth(c));
        } else {
          if (!plan_.fits(target, b)) continue;
          change += plan_.manager_delta(target, +1, ctx_.worth(k)) + home_change;
        }
        if (change < best) {
          best = change;
          chosen = b;
        }
      }
      if (chosen == -2) continue;
      plan_.leave(k);
      plan_.move(c, a);
      plan_.join(k, chosen);
      return true;
    }
  }
  return false;
}

void local_search::fetch_arcs(std::int64_t from, std::int64_t to) const {
  const auto lines = [](const void* begin, const void* end) {
    for (auto line = reinterpret_cast<std::uintptr_t>(begin) & ~std::uintptr_t{63};
         line < reinterpret_cast<std::uintptr_t>(end); line += 64) {
      __builtin_prefetch(reinterpret_cast<const void*>(line));
    }
  };
  const auto f = static_cast<std::size_t>(from), t = static_cast<std::size_t>(to);
  lines(ctx_.p.manager.data() + f, ctx_.p.manager.data() + t);
  lines(ctx_.p.cost.data() + f, ctx_.p.cost.data() + t);
  if (ctx_.timed) lines(ctx_.p.workload.data() + f, ctx_.p.workload.data() + t);
}

// Large problems: local search on the best solution only, in the time left. Repacks and
// shifts while they gain (a round takes a few seconds at 1 M customers), then a pass of
// exchanges, and again while anything gains.
void local_search::polish(std::int64_t iteration, const std::function<bool(std::int64_t)>& stop) {
  if (ctx_.small || stop(iteration)) return;
  plan_.restore(plan_.best_arc);
  const bool foreign = foreign_repacks();
  bool changed = true;
  while (changed && !ctx_.cut_short()) {
    changed = false;
    for (bool gaining = true; gaining && !ctx_.cut_short();) {
      gaining = repacks_.repack_all(foreign, [&] {
        plan_.remember_best();
        return stop(iteration);
      });
      if (ctx_.cut == stop_reason::progress) return;
      for (std::size_t c = 0; c < ctx_.n; ++c) {
        if ((c & 4095) == 0 && ctx_.cut_short()) break;
        if (!ctx_.manager_terms && plan_.at_cheapest(c)) continue;
        gaining = try_shift(c) || gaining;
      }
      changed = changed || gaining;
      plan_.remember_best();
      if (stop(iteration)) return;
    }
    for (std::size_t c = 0; c < ctx_.n; ++c) {
      if ((c & 255) == 0 && ctx_.cut_short()) break;
      // At its cheapest option (leaving out included), a customer has nothing to gain
      // from a shift or an exchange unless moves change managers' own terms.
      if (!ctx_.manager_terms && plan_.at_cheapest(c)) continue;
      changed = try_shift(c) || changed;
      changed = try_exchange(c) || changed;
    }
    plan_.remember_best();
    if (stop(iteration)) return;
  }
}

void local_search::shift_all() {
  for (bool changed = true; changed && !ctx_.cut_short();) {
    changed = false;
    for (std::size_t c = 0; c < ctx_.n && !((c & 4095) == 0 && ctx_.cut_short()); ++c)
      changed = try_shift(c) || changed;
  }
}

void local_search::improve(double deadline) {
  const auto out_of_time = [&] { return ctx_.cut_short() || ctx_.seconds() >= deadline; };
  bool changed = true;
  while (changed && !out_of_time()) {
    shift_all();
    if (out_of_time()) return;
    changed = repacks_.repack_all(foreign_repacks());
    if (changed || !ctx_.small) continue;
    for (std::size_t c = 0; c < ctx_.n; ++c) {
      changed = try_exchange(c) || changed;
      if ((c & 255) == 0 && out_of_time()) return;
    }
  }
}

// Iterated local search from the best solution: a few random moves that fit, local
// search, keep when not worse. Only for small problems, where a full pass is cheap.
void local_search::perturb_and_improve(std::int64_t iteration, const std::function<bool(std::int64_t)>& stop) {
  if (ctx_.n == 0 || !ctx_.small) return;
  plan_.restore(plan_.best_arc);
  random_stream random(ctx_.o.seed, 0x6c61677261ull);
  for (std::int64_t round = 0; round < ctx_.o.iterations && !stop(iteration + round); ++round) {
    const std::size_t kicks = 2 + random.below(4);
    for (std::size_t k = 0; k < kicks; ++k) {
      const std::size_t c = random.below(ctx_.n);
      if (ctx_.last(c) == ctx_.first(c)) continue;
      const std::int64_t a =
          ctx_.first(c) +
          static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(ctx_.last(c) - ctx_.first(c))));
      if (a != plan_.arc[c] && plan_.fits(ctx_.manager_of(a), a)) plan_.move(c, a);
    }
    improve();
    const double value = plan_.objective();
    if (value <= plan_.best_objective + tolerance) {
      if (value < plan_.best_objective - tolerance) plan_.best_objective = value;
      plan_.best_arc = plan_.arc;
    } else {
      plan_.restore(plan_.best_arc);
    }
  }
}

}  // namespace cartera::detail::lagrangian
