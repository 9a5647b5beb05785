// The "auction" solver: the capacity-only problem, exactly, by a forward auction with
// similar objects and ε-scaling (Bertsekas & Castañón 1989).
//
// A manager of capacity k is k identical slots, each with its own price; the manager's
// price, the dual of its capacity, is its cheapest slot. Waiting customers bid: each takes
// the best of its candidates at their prices, or being left out (which never changes
// price), and raises the cheapest slot there by its margin over the second best option
// plus ε, pushing out whoever held it. Prices only rise, so when nobody waits every
// customer's option is within ε of its best. Costs are integers multiplied by n + 1 and
// the last phase has ε = 1, so the n·ε slack is below one cost unit; if moreover every
// slot nobody took is priced 0 (managers with room cost nothing), the assignment is
// optimal for the integer costs.
//
// ε-scaling: a phase with a coarse ε settles prices in few bids, and the next phase starts
// every customer waiting again, every manager's slots at its price from that phase lowered
// by 2ε. Starting from prices above 0, a manager may end a phase with room at its starting
// price, which the optimality conditions forbid; such a phase runs again with those
// managers starting lower (and in the end from 0, where it cannot happen), rather than by
// a reverse auction: the reverse bids of managers with room travel down long chains of
// customers before reaching one left out (see docs/benchmarks.md).
//
// Ties make price wars of ε steps; past a budget of bids the "flow" solver takes over.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "assignment/solver_support.hpp"
#include "detail/parallel.hpp"

namespace cartera::detail {
namespace {

// Customers who value two managers exactly alike (ties are common in real books: same
// region, same fit, no continuity) raise prices by ε at a time; past this many bids per
// customer such a price war is handed to the successive-shortest-path solver.
constexpr std::int64_t bids_per_customer_budget = 200;
// The ε-scaling: the first phase's ε is the largest cost or leave-out price over this, each
// next phase's a tenth of the last, and once below the largest over `last_coarse_share` (or
// below 2) the exact ε = 1. Each phase starts from the last one's prices lowered by `lowering` × its ε.
constexpr double first_epsilon_share = 20;
constexpr double epsilon_factor = 10;
constexpr double last_coarse_share = 1000;
constexpr double lowering = 2;
// A phase that leaves a manager with room at a positive price is run again, that manager
// starting lower, up to this many times; then from prices 0.
constexpr int hole_retries = 3;
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
  auction_solver(const assignment_problem& p, double scale, std::size_t round_size)
      : p_(p),
        round_size_(round_size),
        n_(static_cast<std::size_t>(p.customers)),
        m_(static_cast<std::size_t>(p.managers)),
        unit_(static_cast<cost_t>(n_) + 1) {
    // Each arc's manager and integer cost side by side: a bid reads one stream.
    arcs_.resize(p.cost.size());
    largest_value_ = 1;
    for (std::size_t a = 0; a < p.cost.size(); ++a) {
      arcs_[a] = {static_cast<Cost>(scaled(p.cost[a], scale)), p.manager[a]};
      largest_value_ = std::max(largest_value_, static_cast<cost_t>(std::abs(arcs_[a].cost)) * unit_);
    }
    leave_.resize(n_);
    for (std::size_t c = 0; c < n_; ++c) {
      leave_[c] = -scaled(p.leave_out[c], scale) * unit_;
      largest_value_ = std::max(largest_value_, -leave_[c]);
    }
    // Slots: no manager needs more than the customers who have it as a candidate.
    std::vector<std::int64_t> degree(m_, 0);
    for (const index_t j : p.manager) ++degree[static_cast<std::size_t>(j)];
    slot_begin_.assign(m_ + 1, 0);
    for (std::size_t j = 0; j < m_; ++j) slot_begin_[j + 1] = slot_begin_[j] + std::min(p.capacity[j], degree[j]);
    slot_price_.resize(static_cast<std::size_t>(slot_begin_[m_]));
    slot_holder_.resize(static_cast<std::size_t>(slot_begin_[m_]));
    taken_.resize(m_);
    start_.assign(m_, 0);
    entry_price_.resize(m_);
    budget_ = bids_per_customer_budget * static_cast<std::int64_t>(n_) + 1'000'000;
  }

  // Empty when the bidding ran over its budget. Stopped early (time limit, progress), the
  // customers still waiting are left out.
  std::vector<index_t> solve(std::int64_t& bids, stop_watch& watch) {
    std::vector<cost_t> start(m_, 0);
    const auto largest = static_cast<double>(largest_value_);
    double epsilon = std::max(1.0, largest / first_epsilon_share);
    double previous = epsilon;  // the ε of the phase whose prices this phase starts from
    for (int retry = 0;;) {
      reset(start);
      if (!bid(bids, watch, static_cast<cost_t>(epsilon))) return {};
      if (watch.stopped()) break;
      bool holes = false;
      for (std::size_t j = 0; j < m_; ++j) holes = holes || has_hole(j);
      if (holes) {
        // The phase again, its managers left with room starting lower (after a few tries,
        // every manager at 0: no hole is possible then).
        ++retry;
        const auto drop = static_cast<cost_t>(lowering * previous * std::ldexp(1.0, retry));
        for (std::size_t j = 0; j < m_; ++j) {
          if (retry > hole_retries)
            start[j] = 0;
          else if (has_hole(j))
            start[j] = std::max<cost_t>(0, start[j] - drop);
        }
        continue;
      }
      if (epsilon == 1) break;
      retry = 0;
      for (std::size_t j = 0; j < m_; ++j)
        start[j] = std::max<cost_t>(0, entry_price_[j] - static_cast<cost_t>(lowering * epsilon));
      previous = epsilon;
      epsilon /= epsilon_factor;
      if (epsilon < std::max(2.0, largest / last_coarse_share)) epsilon = 1;  // never an ε below 1
    }
    return holders();
  }

  // The managers' prices in cost units (their cheapest slot; +inf for no slot at all).
  [[nodiscard]] std::vector<double> prices(double scale) const {
    const double unit = static_cast<double>(n_ + 1) * scale;
    std::vector<double> out(m_);
    for (std::size_t j = 0; j < m_; ++j) {
      out[j] = room(j) == 0 ? std::numeric_limits<double>::infinity() : static_cast<double>(entry_price_[j]) / unit;
    }
    return out;
  }

 private:
  struct arc {
    Cost cost;  // in 1 / scale units; the benefit a bid compares is -cost · unit_
    index_t manager;
  };
  [[nodiscard]] std::int64_t room(std::size_t j) const { return slot_begin_[j + 1] - slot_begin_[j]; }

  // Every manager's slots untaken at price start[j].
  void reset(const std::vector<cost_t>& start) {
    start_ = start;
    for (std::size_t j = 0; j < m_; ++j) {
      taken_[j] = 0;
      entry_price_[j] = room(j) == 0 ? -minus_infinity : start[j];  // no slot: never worth a bid
    }
  }

  // Whether manager j has a slot nobody took at a positive price.
  [[nodiscard]] bool has_hole(std::size_t j) const { return taken_[j] < room(j) && start_[j] > 0; }

  // Who holds a slot has its manager; everyone else is left out (or still waited).
  std::vector<index_t> holders() const {
    std::vector<index_t> manager(n_, no_index);
    for (std::size_t j = 0; j < m_; ++j) {
      for (auto s = slot_begin_[j]; s < slot_begin_[j] + taken_[j]; ++s)
        manager[static_cast<std::size_t>(slot_holder_[static_cast<std::size_t>(s)])] = static_cast<index_t>(j);
    }
    return manager;
  }

  // Customer c takes a slot of manager j at `price`: an untaken one while there is one (all
  // at the manager's start price, the cheapest), else the cheapest taken one, whose holder
  // is returned (no_index otherwise). The taken slots form a min-heap by price.
  index_t take(std::size_t j, std::size_t c, cost_t price) {
    cost_t* prices = slot_price_.data() + slot_begin_[j];
    index_t* holder = slot_holder_.data() + slot_begin_[j];
    const std::int64_t size = taken_[j];
    if (size < room(j)) {
      // Until the last untaken slot goes, the taken ones need no order.
      prices[size] = price;
      holder[size] = static_cast<index_t>(c);
      taken_[j] = size + 1;
      if (size + 1 == room(j)) {
        for (std::int64_t at = (size + 1) / 2; at-- > 0;)
          sift_down(prices, holder, size + 1, at, prices[at], holder[at]);
        entry_price_[j] = prices[0];
      }
      return no_index;
    }
    const index_t out = holder[0];
    sift_down(prices, holder, size, 0, price, static_cast<index_t>(c));
    entry_price_[j] = prices[0];
    return out;
  }

  // Place (price, who) at `at` of a min-heap of `size` slots and move it down to its place.
  static void sift_down(cost_t* prices, index_t* holder, std::int64_t size, std::int64_t at, cost_t price,
                        index_t who) {
    for (;;) {
      std::int64_t child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && prices[child + 1] < prices[child]) ++child;
      if (prices[child] >= price) break;
      prices[at] = prices[child];
      holder[at] = holder[child];
      at = child;
    }
    prices[at] = price;
    holder[at] = who;
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

  // Customer c's arcs and leave-out value, fetched ahead of its bid. Inlined by force: left
  // to itself the compiler calls it from the bidding loops, which then take 1.4 times as long.
  [[gnu::always_inline]] void fetch_options(std::size_t c) const {
    const auto from = reinterpret_cast<std::uintptr_t>(arcs_.data() + p_.offsets[c]) & ~std::uintptr_t{63};
    const auto to = reinterpret_cast<std::uintptr_t>(arcs_.data() + p_.offsets[c + 1]);
    for (std::uintptr_t line = from; line < to; line += 64) __builtin_prefetch(reinterpret_cast<const void*>(line));
    __builtin_prefetch(leave_.data() + c);
  }

  // Every customer waits, and waiting customers bid until none waits: in rounds while
  // many wait, then one after the other.
  bool bid(std::int64_t& bids, stop_watch& watch, cost_t epsilon) {
    std::vector<index_t> waiting(n_);
    for (std::size_t c = 0; c < n_; ++c) waiting[c] = static_cast<index_t>(c);
    while (waiting.size() >= round_size_) {
      bids += static_cast<std::int64_t>(waiting.size());
      if (bids > budget_) return false;
      if (watch.stop(bids)) return true;
      bid_in_round(waiting, epsilon);
    }
    return bid_in_turn(waiting, bids, watch, epsilon);
  }

  // One round: every waiting customer bids at the same prices (on both cores), then each
  // manager takes the bids it got, highest first, into its cheapest slots while they beat
  // it (managers apart, on both cores). Who is outbid or pushed out waits for the next
  // round, in an order that does not depend on the threads.
  void bid_in_round(std::vector<index_t>& waiting, cost_t epsilon) {
    const auto w = static_cast<std::int64_t>(waiting.size());
    offer_manager_.resize(waiting.size());
    offer_price_.resize(waiting.size());
    parallel_for(w, run_, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) {
        if (i + static_cast<std::int64_t>(prefetch_arcs) < end)
          fetch_options(static_cast<std::size_t>(waiting[static_cast<std::size_t>(i) + prefetch_arcs]));
        bool touches = false;
        const offer o = make_offer(static_cast<std::size_t>(waiting[static_cast<std::size_t>(i)]), m_, touches);
        const auto k = static_cast<std::size_t>(i);
        if (o.arc < 0) {
          offer_manager_[k] = no_index;
          continue;
        }
        const index_t j = arcs_[static_cast<std::size_t>(o.arc)].manager;
        offer_manager_[k] = j;
        offer_price_[k] = entry_price_[static_cast<std::size_t>(j)] + (o.best - o.second) + epsilon;
      }
    });
    // The bids grouped by manager (a counting sort, in the order of the waiting list).
    bids_begin_.assign(m_ + 1, 0);
    for (const index_t j : offer_manager_)
      if (j != no_index) ++bids_begin_[static_cast<std::size_t>(j) + 1];
    for (std::size_t j = 0; j < m_; ++j) bids_begin_[j + 1] += bids_begin_[j];
    grouped_.resize(static_cast<std::size_t>(bids_begin_[m_]));
    {
      std::vector<std::int64_t> next(bids_begin_.begin(), bids_begin_.end() - 1);
      for (std::size_t k = 0; k < waiting.size(); ++k) {
        const index_t j = offer_manager_[k];
        if (j == no_index) continue;
        grouped_[static_cast<std::size_t>(next[static_cast<std::size_t>(j)]++)] = {offer_price_[k], waiting[k]};
      }
    }
    // Each manager takes its bids; grouped_[k].customer becomes who waits after bid k.
    parallel_for(
        static_cast<std::int64_t>(m_), run_,
        [&](std::int64_t first, std::int64_t last) {
          for (auto j = static_cast<std::size_t>(first); j < static_cast<std::size_t>(last); ++j) {
            bid_entry* from = grouped_.data() + bids_begin_[j];
            bid_entry* to = grouped_.data() + bids_begin_[j + 1];
            std::sort(from, to, [](const bid_entry& a, const bid_entry& b) {
              return a.price != b.price ? a.price > b.price : a.customer < b.customer;
            });
            for (bid_entry* e = from; e != to; ++e) {
              if (taken_[j] == room(j) && e->price <= entry_price_[j]) continue;  // outbid: waits again
              e->customer = take(j, static_cast<std::size_t>(e->customer), e->price);
            }
          }
        },
        /*min_per_thread=*/256);
    waiting.clear();
    for (const bid_entry& e : grouped_)
      if (e.customer != no_index) waiting.push_back(e.customer);
  }

  // The waiting customers bid one after the other.
  bool bid_in_turn(std::vector<index_t>& queue, std::int64_t& bids, stop_watch& watch, cost_t epsilon) {
    // A ring of n places holds the queue: each customer waits at most once at a time.
    std::vector<index_t>& waiting = queue;
    std::size_t head = 0, count = waiting.size();
    waiting.resize(n_);
    const auto at = [&](std::size_t distance) { return head + distance < n_ ? head + distance : head + distance - n_; };
    bool pending = false;
    offer last{};
    std::size_t last_manager = m_;
    // The previous bid takes a slot of its manager; a holder pushed out waits again.
    const auto apply = [&] {
      const cost_t price = entry_price_[last_manager] + (last.best - last.second) + epsilon;
      const index_t out = take(last_manager, last.customer, price);
      if (out != no_index) {
        waiting[at(count)] = out;
        ++count;
      }
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
        fetch_options(static_cast<std::size_t>(waiting[at(prefetch_arcs)]));
      }
      head = head + 1 == n_ ? 0 : head + 1;
      --count;
      if (++bids > budget_) return false;
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
      // Where the slot will go: the next untaken place, or the top of the heap.
      const cost_t* heap = slot_price_.data() + slot_begin_[last_manager];
      const std::int64_t size = taken_[last_manager];
      if (size < room(last_manager)) {
        __builtin_prefetch(heap + size);
        __builtin_prefetch(slot_holder_.data() + slot_begin_[last_manager] + size);
      } else {
        __builtin_prefetch(slot_holder_.data() + slot_begin_[last_manager]);
        for (int line = 0; line < 4; ++line) __builtin_prefetch(reinterpret_cast<const char*>(heap) + 64 * line);
      }
      pending = true;
    }
    return true;
  }

  const assignment_problem& p_;
  std::size_t round_size_;
  std::size_t n_, m_;
  cost_t unit_;  // costs are multiplied by n + 1, so that n·ε < one cost unit
  std::vector<arc> arcs_;
  std::vector<cost_t> leave_;
  std::vector<std::int64_t> slot_begin_;
  // Per manager, its taken slots first, as a min-heap by price: their prices, their holders.
  std::vector<cost_t> slot_price_;
  std::vector<index_t> slot_holder_;
  std::vector<std::int64_t> taken_;  // per manager: how many of its slots are taken
  std::vector<cost_t> start_;        // per manager: the price of its untaken slots this phase
  std::vector<cost_t> entry_price_;  // per manager: its cheapest slot (kept apart: it stays in cache)
  std::int64_t budget_;              // bids, over every phase
  execution run_;
  // A round's bids: per waiting customer, its manager (no_index: left out) and price; then
  // grouped by manager.
  struct bid_entry {
    cost_t price;
    index_t customer;
  };
  std::vector<index_t> offer_manager_;
  std::vector<cost_t> offer_price_;
  std::vector<std::int64_t> bids_begin_;
  std::vector<bid_entry> grouped_;
  cost_t largest_value_;  // the largest cost or leave-out price × unit_
};

template <typename Cost, typename Value>
solver_output run_auction(const assignment_problem& problem, const assignment_options& options,
                          std::size_t round_size) {
  std::int64_t bids = 0;
  stop_watch watch(options);
  auction_solver<Cost, Value> auction(problem, options.cost_scale, round_size);
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
  return solve_auction_with_round_size(problem, options, auction_round_size);
}

solver_output solve_auction_with_round_size(const assignment_problem& problem, const assignment_options& options,
                                            std::size_t round_size) {
  double largest = 0;
  for (const double c : problem.cost) largest = std::max(largest, std::abs(c));
  const bool narrow = largest * options.cost_scale < static_cast<double>(std::numeric_limits<std::int32_t>::max());
  // Values are costs × (n + 1); prices climb to about the widest spread of values, and bids
  // add a margin on top: 64 bits while that stays far from overflowing.
  const double spread = largest_scaled(problem, options.cost_scale) * static_cast<double>(problem.customers + 1);
  const bool wide = 8 * spread >= 0x1p62;
  if (wide)
    return narrow ? run_auction<std::int32_t, wide_integer>(problem, options, round_size)
                  : run_auction<std::int64_t, wide_integer>(problem, options, round_size);
  return narrow ? run_auction<std::int32_t, std::int64_t>(problem, options, round_size)
                : run_auction<std::int64_t, std::int64_t>(problem, options, round_size);
}

}  // namespace cartera::detail
