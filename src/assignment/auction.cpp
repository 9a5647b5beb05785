// The "auction" solver: the capacity-only problem, exactly, by a forward auction with
// similar objects (Bertsekas & Castañón 1989).
//
// A manager of capacity k is k identical slots, each with its own price (all start at 0);
// the manager's price, the dual of its capacity, is its cheapest slot. Waiting customers
// bid in turn: each takes the best of its candidates at their prices, or being left out
// (which never changes price), and raises the cheapest slot there by its margin over the
// second best option plus ε, pushing out whoever held it. Prices only rise, and a slot
// never taken keeps price 0, so when nobody waits ε-complementary slackness holds for the
// transportation problem: every customer's option is within ε of its best, and managers
// with room cost nothing. Costs are integers multiplied by n + 1 and ε = 1, so the n·ε
// slack is below one cost unit: the assignment is optimal for the integer costs. Ties
// make price wars of ε steps; past a budget of bids the "flow" solver takes over.
//
// (ε-scaling would cut the bidding further, but between phases managers left with room at
// a positive price need a reverse auction, and in trials its price wars cost more than
// they saved; see docs/benchmarks.md.)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "assignment/solver_support.hpp"

namespace cartera::detail {
namespace {

// Customers who value two managers exactly alike (ties are common in real books: same
// region, same fit, no continuity) raise prices by ε at a time; past this many bids per
// customer such a price war is handed to the successive-shortest-path solver.
constexpr std::int64_t bids_per_customer_budget = 200;
// How far ahead in the queue bid() fetches a customer's offsets, and then its arcs.
constexpr std::size_t prefetch_offsets = 32;
constexpr std::size_t prefetch_arcs = 16;

// `Cost` holds an arc's integer cost: 32 bits where every cost fits (8 bytes an arc, half
// the memory a bid reads), else 64. `Value` holds costs multiplied by n + 1, and prices: 64
// bits where that leaves room, else 128 (huge values in a low-unit currency).
template <typename Cost, typename Value>
class auction_solver {
  using cost_t = Value;
  static constexpr cost_t minus_infinity = std::numeric_limits<cost_t>::min() / 4;

 public:
  auction_solver(const assignment_problem& p, double scale)
      : p_(p),
        n_(static_cast<std::size_t>(p.customers)),
        m_(static_cast<std::size_t>(p.managers)),
        unit_(static_cast<cost_t>(n_) + 1) {
    // Each arc's manager and integer cost side by side: a bid reads one stream.
    arcs_.resize(p.cost.size());
    for (std::size_t a = 0; a < p.cost.size(); ++a)
      arcs_[a] = {static_cast<Cost>(scaled(p.cost[a], scale)), p.manager[a]};
    leave_.resize(n_);
    for (std::size_t c = 0; c < n_; ++c) leave_[c] = -scaled(p.leave_out[c], scale) * unit_;
    // Slots: no manager needs more than the customers who have it as a candidate. A
    // manager's slots form a min-heap by price in place; free slots (price 0) come first.
    std::vector<std::int64_t> degree(m_, 0);
    for (const index_t j : p.manager) ++degree[static_cast<std::size_t>(j)];
    slot_begin_.assign(m_ + 1, 0);
    for (std::size_t j = 0; j < m_; ++j) slot_begin_[j + 1] = slot_begin_[j] + std::min(p.capacity[j], degree[j]);
    slots_.assign(static_cast<std::size_t>(slot_begin_[m_]), {0, no_index});
    entry_price_.assign(m_, 0);
    for (std::size_t j = 0; j < m_; ++j) {
      if (slot_begin_[j + 1] == slot_begin_[j]) entry_price_[j] = -minus_infinity;  // never worth a bid
    }
  }

  // Empty when the bidding ran over its budget. Stopped early (time limit, progress), the
  // customers still waiting are left out.
  std::vector<index_t> solve(std::int64_t& bids, stop_watch& watch) {
    if (!bid(bids, watch)) return {};
    // Who holds a slot has its manager; everyone else is left out (or still waited).
    std::vector<index_t> manager(n_, no_index);
    for (std::size_t j = 0; j < m_; ++j) {
      for (auto s = slot_begin_[j]; s < slot_begin_[j + 1]; ++s) {
        const index_t holder = slots_[static_cast<std::size_t>(s)].holder;
        if (holder != no_index) manager[static_cast<std::size_t>(holder)] = static_cast<index_t>(j);
      }
    }
    return manager;
  }

  // The managers' prices in cost units (their cheapest slot; +inf for no slot at all).
  [[nodiscard]] std::vector<double> prices(double scale) const {
    const double unit = static_cast<double>(n_ + 1) * scale;
    std::vector<double> out(m_);
    for (std::size_t j = 0; j < m_; ++j) {
      out[j] = slot_begin_[j + 1] == slot_begin_[j] ? std::numeric_limits<double>::infinity()
                                                    : static_cast<double>(entry_price_[j]) / unit;
    }
    return out;
  }

 private:
  struct arc {
    Cost cost;  // in 1 / scale units; the benefit a bid compares is -cost · unit_
    index_t manager;
  };
  struct slot {
    cost_t price;
    index_t holder;
  };

  // The cheapest slot of manager j took a new price: restore the heap below it.
  void sift_down(std::size_t j) {
    slot* heap = slots_.data() + slot_begin_[j];
    const std::int64_t size = slot_begin_[j + 1] - slot_begin_[j];
    const slot moving = heap[0];
    std::int64_t at = 0;
    for (;;) {
      std::int64_t child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1].price < heap[child].price) ++child;
      if (heap[child].price >= moving.price) break;
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = moving;
    entry_price_[j] = heap[0].price;
  }

  // A customer's bid at the current prices: its best arc (-1: being left out is best), the
  // value there and the second best value.
  struct offer {
    std::size_t customer;
    std::int64_t arc;
    cost_t best, second;
  };

  // The bid of customer c; `touches` tells whether manager j is among its candidates.
  offer make_offer(std::size_t c, std::size_t j, bool& touches) const {
    offer o{c, -1, leave_[c], minus_infinity};
    touches = false;
    for (std::int64_t a = p_.offsets[c]; a < p_.offsets[c + 1]; ++a) {
      const arc& option = arcs_[static_cast<std::size_t>(a)];
      touches |= static_cast<std::size_t>(option.manager) == j;
      const cost_t v =
          -static_cast<cost_t>(option.cost) * unit_ - entry_price_[static_cast<std::size_t>(option.manager)];
      if (v > o.best) {
        o.second = o.best;
        o.best = v;
        o.arc = a;
      } else if (v > o.second) {
        o.second = v;
      }
    }
    return o;
  }

  // Waiting customers bid until none waits (ε = 1 in units where n·ε < one cost unit).
  // Each customer waits at most once at a time, so a ring of n places holds the queue.
  //
  // The bids are those of one customer after the other, but each is applied one customer
  // late: the manager's slots (a cache miss) are fetched while the next customer scans its
  // arcs. That scan saw the old price of the manager the previous bid raised; when that
  // manager is among its candidates (rarely), it scans again.
  bool bid(std::int64_t& bids, stop_watch& watch) {
    constexpr cost_t epsilon = 1;
    const std::int64_t budget = bids_per_customer_budget * static_cast<std::int64_t>(n_) + 1'000'000;
    std::vector<index_t> waiting(n_);
    for (std::size_t c = 0; c < n_; ++c) waiting[c] = static_cast<index_t>(c);
    std::size_t head = 0, count = n_;
    const auto at = [&](std::size_t distance) { return head + distance < n_ ? head + distance : head + distance - n_; };
    bool pending = false;
    offer last{};
    std::size_t last_manager = m_;
    // The previous bid takes the cheapest slot of its manager; its holder waits again.
    const auto apply = [&] {
      slot& cheapest = slots_[static_cast<std::size_t>(slot_begin_[last_manager])];
      if (cheapest.holder != no_index) {
        waiting[at(count)] = cheapest.holder;
        ++count;
      }
      cheapest.price += last.best - last.second + epsilon;
      cheapest.holder = static_cast<index_t>(last.customer);
      sift_down(last_manager);
      pending = false;
    };
    while (count > 0 || pending) {
      if (count == 0) {
        apply();
        continue;
      }
      const auto c = static_cast<std::size_t>(waiting[head]);
      // The customers a little further in the queue are cache misses too (their offsets,
      // then their arcs and leave-out value): fetched while this one bids.
      if (count > prefetch_offsets) {
        __builtin_prefetch(p_.offsets.data() + waiting[at(prefetch_offsets)]);
        const auto ahead = static_cast<std::size_t>(waiting[at(prefetch_arcs)]);
        const auto from = reinterpret_cast<std::uintptr_t>(arcs_.data() + p_.offsets[ahead]) & ~std::uintptr_t{63};
        const auto to = reinterpret_cast<std::uintptr_t>(arcs_.data() + p_.offsets[ahead + 1]);
        for (std::uintptr_t line = from; line < to; line += 64) __builtin_prefetch(reinterpret_cast<const void*>(line));
        __builtin_prefetch(leave_.data() + ahead);
      }
      head = head + 1 == n_ ? 0 : head + 1;
      --count;
      if (++bids > budget) return false;
      if ((bids & 0xffff) == 0 && watch.stop(bids)) break;
      bool touches = false;
      offer o = make_offer(c, pending ? last_manager : m_, touches);
      if (pending) {
        apply();
        if (touches) o = make_offer(c, m_, touches);
      }
      if (o.arc < 0) continue;  // left out: holds nothing
      last = o;
      last_manager = static_cast<std::size_t>(arcs_[static_cast<std::size_t>(o.arc)].manager);
      // The top of its slots' heap (two lines: its first three levels), read first by the sift.
      const auto* heap = reinterpret_cast<const char*>(slots_.data() + slot_begin_[last_manager]);
      for (int line = 0; line < 2; ++line) __builtin_prefetch(heap + 64 * line);
      pending = true;
    }
    return true;
  }

  const assignment_problem& p_;
  std::size_t n_, m_;
  cost_t unit_;  // costs are multiplied by n + 1, so that n·ε < one cost unit
  std::vector<arc> arcs_;
  std::vector<cost_t> leave_;
  std::vector<std::int64_t> slot_begin_;
  std::vector<slot> slots_;
  std::vector<cost_t> entry_price_;  // per manager: its cheapest slot (kept apart: it stays in cache)
};

template <typename Cost, typename Value>
solver_output run_auction(const assignment_problem& problem, const assignment_options& options) {
  std::int64_t bids = 0;
  stop_watch watch(options);
  auction_solver<Cost, Value> auction(problem, options.cost_scale);
  auto manager = auction.solve(bids, watch);
  if (manager.empty() && problem.customers > 0) {
    assignment_options rest = options;
    rest.time_limit = std::max(0.0, options.time_limit - watch.seconds());
    return solve_flow(problem, rest);
  }
  if (watch.stopped()) {
    return stopped_output(problem, std::move(manager), bids, options.cost_scale,
                          price_bound(problem, auction.prices(options.cost_scale), options.cost_scale), watch.reason());
  }
  return exact_output(problem, std::move(manager), bids, options.cost_scale);
}

}  // namespace

solver_output solve_auction(const assignment_problem& problem, const assignment_options& options) {
  double largest = 0;
  for (const double c : problem.cost) largest = std::max(largest, std::abs(c));
  const bool narrow = largest * options.cost_scale < static_cast<double>(std::numeric_limits<std::int32_t>::max());
  // Values are costs × (n + 1); prices climb to about the widest spread of values, and bids
  // add a margin on top: 64 bits while that stays far from overflowing.
  const double spread = largest_scaled(problem, options.cost_scale) * static_cast<double>(problem.customers + 1);
  const bool wide = 8 * spread >= 0x1p62;
  if (wide)
    return narrow ? run_auction<std::int32_t, wide_integer>(problem, options)
                  : run_auction<std::int64_t, wide_integer>(problem, options);
  return narrow ? run_auction<std::int32_t, std::int64_t>(problem, options)
                : run_auction<std::int64_t, std::int64_t>(problem, options);
}

}  // namespace cartera::detail
