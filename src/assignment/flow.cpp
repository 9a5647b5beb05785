// Successive shortest paths for the capacity-only assignment, written for its bipartite
// shape: nodes are customers, managers and the sink; the residual arcs are a customer's
// candidates, the way back from a manager to each of its customers, a manager's free room
// to the sink, and a customer's "left out" arc to the sink.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>

#include "assignment/solver_support.hpp"
#include "cartera/assignment.hpp"

namespace cartera {
namespace {

constexpr index_t left_out = -2;

// `Cost` holds costs and the potentials, sums of costs along paths: 64 bits where they stay
// far from overflowing, else 128 (huge values in a low-unit currency).
template <typename Cost>
class flow_solver {
  using cost_t = Cost;
  static constexpr cost_t unreached = std::numeric_limits<cost_t>::max();

 public:
  flow_solver(const assignment_problem& p, double scale)
      : p_(p),
        n_(p.customers),
        m_(p.managers),
        sink_(n_ + m_),
        potential_(static_cast<std::size_t>(sink_) + 1, 0),
        distance_(static_cast<std::size_t>(sink_) + 1, unreached),
        stamp_(static_cast<std::size_t>(sink_) + 1, 0),
        parent_(static_cast<std::size_t>(sink_) + 1, no_index),
        assigned_(static_cast<std::size_t>(n_), no_index),
        assigned_cost_(static_cast<std::size_t>(n_), 0),
        position_(static_cast<std::size_t>(n_), 0),
        members_(static_cast<std::size_t>(m_)) {
    arc_cost_.reserve(p.cost.size());
    for (const double c : p.cost) arc_cost_.push_back(detail::scaled(c, scale));
    leave_cost_.reserve(p.leave_out.size());
    for (const double c : p.leave_out) leave_cost_.push_back(detail::scaled(c, scale));
  }

  // Stopped early (time limit, progress), the customers not yet entered are left out.
  std::vector<index_t> solve(std::int64_t& searches, detail::stop_watch& watch) {
    // Customers with most to lose enter first: they claim the contested places, and those
    // who follow are more often placed, or left out, without a search.
    std::vector<cost_t> stake(static_cast<std::size_t>(n_));
    for (index_t c = 0; c < n_; ++c) {
      cost_t cheapest = leave_cost_[static_cast<std::size_t>(c)];
      for (std::int64_t a = p_.offsets[static_cast<std::size_t>(c)]; a < p_.offsets[static_cast<std::size_t>(c) + 1];
           ++a) {
        cheapest = std::min(cheapest, arc_cost_[static_cast<std::size_t>(a)]);
      }
      stake[static_cast<std::size_t>(c)] = leave_cost_[static_cast<std::size_t>(c)] - cheapest;
    }
    std::vector<index_t> order(static_cast<std::size_t>(n_));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) {
      return stake[static_cast<std::size_t>(a)] > stake[static_cast<std::size_t>(b)];
    });
    std::int64_t entered = 0;
    for (const index_t c : order) {
      if ((++entered & 0xfff) == 0 && watch.stop(entered)) break;
      if (!place_directly(c)) {
        ++searches;
        augment_from(c);
      }
    }
    std::vector<index_t> result(assigned_);
    for (auto& m : result) {
      if (m == left_out) m = no_index;  // (no_index also for those never entered)
    }
    return result;
  }

 private:
  [[nodiscard]] bool has_room(index_t m) const {
    return static_cast<std::int64_t>(members_[static_cast<std::size_t>(m)].size()) <
           p_.capacity[static_cast<std::size_t>(m)];
  }

  // Reduced cost of an arc u → v of real cost `cost`.
  [[nodiscard]] cost_t reduced(index_t u, index_t v, cost_t cost) const {
    return cost + potential_[static_cast<std::size_t>(u)] - potential_[static_cast<std::size_t>(v)];
  }

  // A new customer's potential makes every arc out of it non-negative (it has no arc in).
  void set_entry_potential(index_t c) {
    cost_t entry = potential_[static_cast<std::size_t>(sink_)] - leave_cost_[static_cast<std::size_t>(c)];
    for (std::int64_t a = p_.offsets[static_cast<std::size_t>(c)]; a < p_.offsets[static_cast<std::size_t>(c) + 1];
         ++a) {
      const index_t m = n_ + p_.manager[static_cast<std::size_t>(a)];
      entry = std::max(entry, potential_[static_cast<std::size_t>(m)] - arc_cost_[static_cast<std::size_t>(a)]);
    }
    potential_[static_cast<std::size_t>(c)] = entry;
  }

  // The shortest path is a single arc when the cheapest (reduced) option of the customer is
  // a manager with room whose room arc costs nothing, or leaving out: the common case.
  bool place_directly(index_t c) {
    set_entry_potential(c);
    cost_t best = reduced(c, sink_, leave_cost_[static_cast<std::size_t>(c)]);
    std::int64_t best_arc = -1;
    for (std::int64_t a = p_.offsets[static_cast<std::size_t>(c)]; a < p_.offsets[static_cast<std::size_t>(c) + 1];
         ++a) {
      const index_t m = p_.manager[static_cast<std::size_t>(a)];
      const cost_t d = reduced(c, n_ + m, arc_cost_[static_cast<std::size_t>(a)]);
      if (d < best) {
        best = d;
        best_arc = a;
      }
    }
    if (best_arc < 0) {  // leaving out is cheapest of all paths: every path starts with one of these arcs
      assigned_[static_cast<std::size_t>(c)] = left_out;
      settle_source(c, best);
      return true;
    }
    const index_t m = p_.manager[static_cast<std::size_t>(best_arc)];
    // Through m the path continues at reduced cost >= 0; if m has room, the arc m → sink
    // has reduced cost potential(m) - potential(sink), so the one-arc path is shortest when
    // that is 0, as it is until m first fills.
    if (!has_room(m) || potential_[static_cast<std::size_t>(n_ + m)] != potential_[static_cast<std::size_t>(sink_)])
      return false;
    join(c, m, arc_cost_[static_cast<std::size_t>(best_arc)]);
    settle_source(c, best);
    return true;
  }

  // After a one-arc path of reduced length `length`, only the source lay closer than the
  // sink: the potential update of a full search reduces to this.
  void settle_source(index_t c, cost_t length) { potential_[static_cast<std::size_t>(c)] -= length; }

  void join(index_t c, index_t m, cost_t cost) {
    auto& list = members_[static_cast<std::size_t>(m)];
    position_[static_cast<std::size_t>(c)] = list.size();
    list.push_back(c);
    assigned_[static_cast<std::size_t>(c)] = m;
    assigned_cost_[static_cast<std::size_t>(c)] = cost;
  }

  void leave(index_t c, index_t m) {
    auto& list = members_[static_cast<std::size_t>(m)];
    const std::size_t at = position_[static_cast<std::size_t>(c)];
    list[at] = list.back();
    position_[static_cast<std::size_t>(list[at])] = at;
    list.pop_back();
  }

  // Dijkstra from customer `source` until the sink is settled, then moves one unit of flow
  // along the path and updates potentials of the settled nodes.
  void augment_from(index_t source) {
    ++epoch_;
    using entry = std::pair<cost_t, index_t>;
    std::priority_queue<entry, std::vector<entry>, std::greater<>> queue;
    settled_.clear();
    const auto relax = [&](index_t from, index_t to, cost_t cost, std::int64_t arc) {
      const cost_t d = distance_[static_cast<std::size_t>(from)] + reduced(from, to, cost);
      auto& slot = distance_[static_cast<std::size_t>(to)];
      if (stamp_[static_cast<std::size_t>(to)] != epoch_ || d < slot) {
        stamp_[static_cast<std::size_t>(to)] = epoch_;
        slot = d;
        parent_[static_cast<std::size_t>(to)] = from;
        if (to < n_ + m_ && to >= n_) entry_arc_[static_cast<std::size_t>(to - n_)] = arc;
        queue.push({d, to});
      }
    };
    if (entry_arc_.size() != static_cast<std::size_t>(m_)) entry_arc_.assign(static_cast<std::size_t>(m_), -1);
    stamp_[static_cast<std::size_t>(source)] = epoch_;
    distance_[static_cast<std::size_t>(source)] = 0;
    parent_[static_cast<std::size_t>(source)] = no_index;
    queue.push({0, source});
    cost_t to_sink = unreached;
    while (!queue.empty()) {
      const auto [d, u] = queue.top();
      queue.pop();
      if (d != distance_[static_cast<std::size_t>(u)] || done_[u]) continue;
      if (u == sink_) {
        to_sink = d;
        break;
      }
      done_[u] = true;
      settled_.push_back(u);
      if (u < n_) {
        // A customer: its candidates (except where it already is) and leaving out.
        const index_t current = assigned_[static_cast<std::size_t>(u)];
        for (std::int64_t a = p_.offsets[static_cast<std::size_t>(u)]; a < p_.offsets[static_cast<std::size_t>(u) + 1];
             ++a) {
          const index_t m = p_.manager[static_cast<std::size_t>(a)];
          if (m != current) relax(u, n_ + m, arc_cost_[static_cast<std::size_t>(a)], a);
        }
        if (current != left_out) relax(u, sink_, leave_cost_[static_cast<std::size_t>(u)], -1);
      } else {
        // A manager: back to each of its customers, or on to the sink if it has room.
        const index_t m = u - n_;
        for (const index_t c : members_[static_cast<std::size_t>(m)])
          relax(u, c, -assigned_cost_[static_cast<std::size_t>(c)], -1);
        if (has_room(m)) relax(u, sink_, 0, -1);
      }
    }
    // Potentials: settled nodes move by their distance, the rest (and the sink) by the
    // sink's, which keeps every residual reduced cost non-negative.
    for (const index_t u : settled_) {
      potential_[static_cast<std::size_t>(u)] += distance_[static_cast<std::size_t>(u)] - to_sink;
      done_[u] = false;
    }
    // (Shifting all potentials by a constant changes no reduced cost: the sink's stays put.)
    // Walk the path from the source, applying each arc.
    path_.clear();
    for (index_t v = sink_; v != no_index; v = parent_[static_cast<std::size_t>(v)]) path_.push_back(v);
    std::reverse(path_.begin(), path_.end());
    for (std::size_t k = 0; k + 1 < path_.size(); ++k) {
      const index_t u = path_[k], v = path_[k + 1];
      if (u < n_ && v == sink_) {
        assigned_[static_cast<std::size_t>(u)] = left_out;
      } else if (u < n_) {
        const std::int64_t arc = entry_arc_[static_cast<std::size_t>(v - n_)];
        join(u, v - n_, arc_cost_[static_cast<std::size_t>(arc)]);
      } else if (v < n_) {
        leave(v, u - n_);
      }
    }
  }

  const assignment_problem& p_;
  index_t n_, m_, sink_;
  std::vector<cost_t> arc_cost_, leave_cost_;
  std::vector<cost_t> potential_, distance_;
  std::vector<std::uint64_t> stamp_;
  std::uint64_t epoch_ = 0;
  std::vector<index_t> parent_;
  std::vector<std::int64_t> entry_arc_;  // per manager: the candidate arc the search entered by
  std::vector<index_t> assigned_;
  std::vector<cost_t> assigned_cost_;
  std::vector<std::size_t> position_;
  std::vector<std::vector<index_t>> members_;
  std::vector<index_t> settled_, path_;
  std::vector<bool> done_ = std::vector<bool>(static_cast<std::size_t>(sink_) + 1, false);
};

}  // namespace

namespace detail {

solver_output solve_flow(const assignment_problem& problem, const assignment_options& options) {
  std::int64_t searches = 0;
  stop_watch watch(options);
  // A shortest path crosses at most every customer and manager once.
  const double longest_path =
      largest_scaled(problem, options.cost_scale) * static_cast<double>(2 * problem.customers + 2);
  auto manager = 8 * longest_path < 0x1p62
                     ? flow_solver<std::int64_t>(problem, options.cost_scale).solve(searches, watch)
                     : flow_solver<wide_integer>(problem, options.cost_scale).solve(searches, watch);
  if (watch.stopped()) {
    // Prices 0: each customer's cheapest option alone, a valid (weak) bound.
    const std::vector<double> free(static_cast<std::size_t>(problem.managers), 0.0);
    return stopped_output(problem, std::move(manager), searches, options.cost_scale,
                          price_bound(problem, free, options.cost_scale), watch.reason());
  }
  return exact_output(problem, std::move(manager), searches, options.cost_scale);  // the potentials prove it
}

}  // namespace detail
}  // namespace cartera
