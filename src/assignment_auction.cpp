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
// slack is below one cost unit: the assignment is optimal for the integer costs.
//
// (ε-scaling would cut the bidding further, but between phases managers left with room at
// a positive price need a reverse auction, and in trials its price wars cost more than
// they saved; see docs/assignment.md.)
#include <algorithm>
#include <limits>

#include "assignment_detail.hpp"

namespace cartera::detail {
namespace {

using cost_t = std::int64_t;
constexpr cost_t minus_infinity = std::numeric_limits<cost_t>::min() / 4;
constexpr std::int64_t unplaced = -1;
constexpr std::int64_t left_out = -2;

class auction_solver {
 public:
  auction_solver(const assignment_problem& p, double scale) : p_(p), n_(static_cast<std::size_t>(p.customers)), m_(static_cast<std::size_t>(p.managers)) {
    const auto unit = static_cast<cost_t>(n_) + 1;
    benefit_.resize(p.cost.size());
    for (std::size_t a = 0; a < p.cost.size(); ++a) benefit_[a] = -scaled(p.cost[a], scale) * unit;
    leave_.resize(n_);
    for (std::size_t c = 0; c < n_; ++c) leave_[c] = -scaled(p.leave_out[c], scale) * unit;
    // Slots: no manager needs more than the customers who have it as a candidate.
    std::vector<std::int64_t> degree(m_, 0);
    for (const index_t j : p.manager) ++degree[static_cast<std::size_t>(j)];
    slot_begin_.assign(m_ + 1, 0);
    for (std::size_t j = 0; j < m_; ++j) slot_begin_[j + 1] = slot_begin_[j] + std::min(p.capacity[j], degree[j]);
    const auto slots = static_cast<std::size_t>(slot_begin_[m_]);
    price_.assign(slots, 0);
    holder_.assign(slots, no_index);
    heap_.resize(slots);
    heap_position_.resize(slots);
    for (std::size_t s = 0; s < slots; ++s) heap_[s] = heap_position_[s] = static_cast<std::int64_t>(s);
    // A manager without slots is never worth bidding for.
    entry_price_.assign(m_, 0);
    for (std::size_t j = 0; j < m_; ++j) {
      if (slot_begin_[j + 1] == slot_begin_[j]) entry_price_[j] = -minus_infinity;
    }
    slot_of_.assign(n_, unplaced);
    arc_of_.assign(n_, -1);
  }

  std::vector<index_t> solve(std::int64_t& bids) {
    bid(bids);
    std::vector<index_t> manager(n_, no_index);
    for (std::size_t c = 0; c < n_; ++c) {
      if (slot_of_[c] >= 0) manager[c] = p_.manager[static_cast<std::size_t>(arc_of_[c])];
    }
    return manager;
  }

 private:
  [[nodiscard]] cost_t arc_value(std::int64_t a) const {
    return benefit_[static_cast<std::size_t>(a)] - entry_price_[static_cast<std::size_t>(p_.manager[static_cast<std::size_t>(a)])];
  }
  // Min-heap of a manager's slots by price; at equal prices free slots come first, so a
  // bidder fills room before pushing anyone out.
  [[nodiscard]] bool before(std::int64_t a, std::int64_t b) const {
    const auto x = static_cast<std::size_t>(a), y = static_cast<std::size_t>(b);
    return price_[x] != price_[y] ? price_[x] < price_[y] : (holder_[x] == no_index && holder_[y] != no_index);
  }
  void sift_down(std::size_t j, std::int64_t slot) {
    const std::int64_t base = slot_begin_[j], size = slot_begin_[j + 1] - base;
    std::int64_t at = heap_position_[static_cast<std::size_t>(slot)] - base;
    for (;;) {
      std::int64_t child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && before(heap_[static_cast<std::size_t>(base + child + 1)], heap_[static_cast<std::size_t>(base + child)])) ++child;
      const std::int64_t below = heap_[static_cast<std::size_t>(base + child)];
      if (!before(below, slot)) break;
      place_in_heap(base + at, below);
      at = child;
    }
    place_in_heap(base + at, slot);
  }
  void place_in_heap(std::int64_t position, std::int64_t slot) {
    heap_[static_cast<std::size_t>(position)] = slot;
    heap_position_[static_cast<std::size_t>(slot)] = position;
  }

  // Waiting customers bid until none waits (ε = 1 in units where n·ε < one cost unit).
  // Each customer waits at most once at a time, so a ring of n places holds the queue.
  void bid(std::int64_t& bids) {
    constexpr cost_t epsilon = 1;
    std::vector<index_t> waiting(n_);
    for (std::size_t c = 0; c < n_; ++c) waiting[c] = static_cast<index_t>(c);
    std::size_t head = 0, count = n_;
    while (count > 0) {
      const auto c = static_cast<std::size_t>(waiting[head]);
      head = head + 1 == n_ ? 0 : head + 1;
      --count;
      ++bids;
      cost_t best = leave_[c], second = minus_infinity;
      std::int64_t chosen = -1;
      for (std::int64_t a = p_.offsets[c]; a < p_.offsets[c + 1]; ++a) {
        const cost_t v = arc_value(a);
        if (v > best) {
          second = best;
          best = v;
          chosen = a;
        } else if (v > second) {
          second = v;
        }
      }
      if (chosen < 0) {
        slot_of_[c] = left_out;
        continue;
      }
      const auto j = static_cast<std::size_t>(p_.manager[static_cast<std::size_t>(chosen)]);
      const std::int64_t slot = heap_[static_cast<std::size_t>(slot_begin_[j])];
      const index_t pushed = holder_[static_cast<std::size_t>(slot)];
      if (pushed != no_index) {
        slot_of_[static_cast<std::size_t>(pushed)] = unplaced;
        waiting[(head + count) % n_] = pushed;
        ++count;
      }
      price_[static_cast<std::size_t>(slot)] += best - second + epsilon;
      holder_[static_cast<std::size_t>(slot)] = static_cast<index_t>(c);
      slot_of_[c] = slot;
      arc_of_[c] = chosen;
      sift_down(j, slot);
      entry_price_[j] = price_[static_cast<std::size_t>(heap_[static_cast<std::size_t>(slot_begin_[j])])];
    }
  }

  const assignment_problem& p_;
  std::size_t n_, m_;
  std::vector<cost_t> benefit_, leave_;
  std::vector<std::int64_t> slot_begin_;
  std::vector<cost_t> price_;
  std::vector<cost_t> entry_price_;  // per manager: its cheapest slot (kept apart: it stays in cache)
  std::vector<index_t> holder_;
  std::vector<std::int64_t> heap_, heap_position_;
  std::vector<std::int64_t> slot_of_, arc_of_;
};

}  // namespace

solver_output solve_auction(const assignment_problem& problem, const assignment_options& options) {
  solver_output out;
  auction_solver solver(problem, options.cost_scale);
  out.manager = solver.solve(out.searches);
  out.bound = finish(problem, out.manager, options.cost_scale).objective;
  out.rounded = true;
  return out;
}

}  // namespace cartera::detail
