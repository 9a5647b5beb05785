#include "assignment/lagrangian/repack.hpp"

#include <algorithm>
#include <cmath>
#include <span>

namespace cartera::detail::lagrangian {

// Manager j's customers chosen again, as a knapsack on its minutes, among its members, the
// customers left out who have it as a candidate and (with `foreign`) customers of other
// managers. Each item's profit is what choosing it saves against its place now: a member
// or a customer left out, its leave-out price less its cost at j; a customer of manager
// j2, its cost there less its cost at j plus the minutes it frees at j2 at their price in
// the best bound (that estimate is then made good: j2 is refilled by repack(j2) and the
// whole chain is undone unless it really lowers the objective, as a Yagiura-style ejection
// chain through two managers). Items sorted by profit per minute; those well before the
// greedy's break are kept, those well after dropped, and the core around the break solved
// exactly by dynamic programming (Pisinger's core; Martello & Toth 1990, ch. 2). Returns
// the change in the objective (< 0) or 0 when nothing changed.
double repacker::repack(std::size_t j, bool foreign) {
  items_.clear();
  double members_profit = 0;
  for (std::size_t i = 0; i < plan_.members[j].size(); ++i) {
    const auto& f = plan_.facts[j][i];
    items_.push_back({plan_.members[j][i], -2, f.work, f.leave - f.cost, f.cost});
    members_profit += f.leave - f.cost;
  }
  const std::size_t members = items_.size();
  for (std::int64_t e = ctx_.reach_offsets[j]; e < ctx_.reach_offsets[j + 1]; ++e) {
    const context::reach_entry entry = ctx_.reach[static_cast<std::size_t>(e)];
    const auto k = static_cast<std::size_t>(entry.customer);
    if (!plan_.is_out(k)) continue;
    const std::int64_t a = ctx_.first(k) + entry.slot;
    const double saving = profit(k, left, a);
    if (saving > tolerance) items_.push_back({static_cast<index_t>(k), a, ctx_.work(a), saving, ctx_.p.leave_out[k]});
  }
  for (std::int64_t e = foreign ? pool_offsets_[j] : 0; e < (foreign ? pool_offsets_[j + 1] : 0); ++e) {
    const pool_entry& entry = pool_[static_cast<std::size_t>(e)];
    const auto k = static_cast<std::size_t>(entry.customer);
    if (plan_.arc[k] != entry.from) continue;  // moved since
    items_.push_back(
        {entry.customer, entry.arc, ctx_.work(entry.arc), profit(k, entry.from, entry.arc), ctx_.cost(k, entry.from)});
  }
  if (items_.size() == members) return 0;
  std::sort(items_.begin(), items_.end(), [](const knapsack_item& x, const knapsack_item& y) {
    // profit per minute, descending, without dividing (minutes may be 0)
    const double left_side = x.profit * y.work, right_side = y.profit * x.work;
    return left_side != right_side ? left_side > right_side : x.customer < y.customer;
  });
  const double budget = ctx_.budget[j] * (1 + 1e-12);
  double used = 0;
  std::size_t fitting = 0;  // the greedy's break: the first item that does not fit
  while (fitting < items_.size() && used + items_[fitting].work <= budget) used += items_[fitting++].work;
  constexpr std::size_t core_half = 20;
  static_assert(2 * core_half <= 64, "a bit per core item");
  const std::size_t core_begin = fitting > core_half ? fitting - core_half : 0;
  const std::size_t core_end = std::min(items_.size(), fitting + core_half);
  double kept = 0, kept_profit = 0;
  for (std::size_t i = 0; i < core_begin; ++i) {
    kept += items_[i].work;
    kept_profit += items_[i].profit;
  }
  const double limit = std::isinf(budget) ? infinite : budget - kept;
  const bool whole = std::all_of(items_.begin() + static_cast<std::ptrdiff_t>(core_begin),
                                 items_.begin() + static_cast<std::ptrdiff_t>(core_end),
                                 [](const knapsack_item& i) { return i.work == std::floor(i.work); });
  const std::span<const knapsack_item> core(items_.data() + core_begin, core_end - core_begin);
  const knapsack_choice best =
      whole && limit < 65536 ? cores_.in_whole_minutes(core, limit) : cores_.by_pareto_states(core, limit);
  if (kept_profit + best.profit <= members_profit + tolerance * std::max(1.0, members_profit)) return 0;
  chosen_.assign(items_.size(), 0);
  std::fill(chosen_.begin(), chosen_.begin() + static_cast<std::ptrdiff_t>(core_begin), 1);
  for (std::size_t i = core_begin; i < core_end; ++i) chosen_[i] = (best.taken >> (i - core_begin)) & 1;
  // The true change: pair costs and prices, and the managers' own terms.
  std::int64_t count = 0;
  double change = 0, worth_change = 0;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const knapsack_item& it = items_[i];
    const auto k = static_cast<std::size_t>(it.customer);
    const bool member = it.arc == -2;
    count += chosen_[i];
    if (member == static_cast<bool>(chosen_[i])) continue;
    change += member ? ctx_.p.leave_out[k] - it.cost_now : ctx_.cost(k, it.arc) - it.cost_now;
    worth_change += (member ? -1 : 1) * ctx_.worth(k);
  }
  if (count > ctx_.capacity[j]) return 0;
  change += plan_.manager_delta(j, count - static_cast<std::int64_t>(members), worth_change);
  if (!foreign && change > -tolerance) return 0;
  const std::size_t mark = journal_.size();
  if (foreign) refill_.clear();
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const auto k = static_cast<std::size_t>(items_[i].customer);
    if (items_[i].arc == -2 && !chosen_[i]) {
      journal_.push_back({items_[i].customer, plan_.arc[k]});
      plan_.leave(k);
    }
  }
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const auto k = static_cast<std::size_t>(items_[i].customer);
    if (items_[i].arc == -2 || !chosen_[i]) continue;
    if (foreign && plan_.arc[k] != left) refill_.push_back(ctx_.manager_of(plan_.arc[k]));
    journal_.push_back({items_[i].customer, plan_.arc[k]});
    plan_.move(k, items_[i].arc);
  }
  if (!foreign) return change;
  // The managers whose customers came over get their freed minutes back in use.
  std::sort(refill_.begin(), refill_.end());
  refill_.erase(std::unique(refill_.begin(), refill_.end()), refill_.end());
  for (const std::size_t j2 : refill_) change += repack(j2, false);  // which leaves refill_ alone
  if (change < -tolerance) return change;
  while (journal_.size() > mark) {
    const auto [k, arc] = journal_.back();
    journal_.pop_back();
    plan_.move(static_cast<std::size_t>(k), arc);
  }
  return 0;
}

// Per manager, the customers of other managers that repack() may take in: those whose
// move there would profit. Gathered in one sequential pass over the arcs, so that repack()
// reads few customers it will not use; an entry whose customer has moved since is skipped.
void repacker::gather_pools() {
  pool_offsets_.assign(ctx_.m + 1, 0);
  const auto each = [&](auto&& visit) {
    for (std::size_t c = 0; c < ctx_.n; ++c) {
      const std::int64_t now = plan_.arc[c];
      if (now == left) continue;
      for (std::int64_t a = ctx_.first(c); a < ctx_.last(c); ++a) {
        if (a != now && profit(c, now, a) > tolerance) visit(c, now, a);
      }
    }
  };
  each([&](std::size_t, std::int64_t, std::int64_t a) { ++pool_offsets_[ctx_.manager_of(a) + 1]; });
  for (std::size_t j = 0; j < ctx_.m; ++j) pool_offsets_[j + 1] += pool_offsets_[j];
  pool_.resize(static_cast<std::size_t>(pool_offsets_[ctx_.m]));
  pool_next_.assign(pool_offsets_.begin(), pool_offsets_.end() - 1);
  each([&](std::size_t c, std::int64_t now, std::int64_t a) {
    pool_[static_cast<std::size_t>(pool_next_[ctx_.manager_of(a)]++)] = {static_cast<index_t>(c), a, now};
  });
}

bool repacker::repack_all(bool foreign, const std::function<bool()>& pause) {
  if (!ctx_.timed) return false;
  if (foreign) gather_pools();
  bool changed = false;
  const std::size_t check_every = std::max<std::size_t>(ctx_.m / 16, 64);
  for (std::size_t j = 0; j < ctx_.m; ++j) {
    if (j % check_every == check_every - 1) {
      if (ctx_.cut_short()) break;
      if (pause && pause()) break;
    }
    changed = repack(j, foreign) < 0 || changed;
    journal_.clear();
  }
  return changed;
}

}  // namespace cartera::detail::lagrangian
