#pragma once
// The primal side of the Lagrangian solver: the plan being built and improved — an arc per
// customer (or left out), each manager's load, minutes, value and members — and the best
// plan found so far. Beside each manager's members, what the exchanges read of them, so
// that scanning a manager's customers stays in one stream.

#include <cstdint>
#include <vector>

#include "assignment/lagrangian/context.hpp"

namespace cartera::detail::lagrangian {

class primal_state {
 public:
  explicit primal_state(const context& ctx);

  /// What exchanges read of each member: minutes, pair cost, leave-out price, its cheapest
  /// other option (another arc or leaving out) and its arcs.
  struct member_facts {
    double work, cost, leave;
    double alternative;
    std::int64_t first, last;
  };

  [[nodiscard]] bool fits(std::size_t j, std::int64_t arc, double freed = 0) const {
    return load[j] < ctx_.capacity[j] && time[j] - freed + ctx_.work(arc) <= ctx_.budget[j] * (1 + 1e-12);
  }
  [[nodiscard]] bool is_out(std::size_t c) const { return (out_[c >> 6] >> (c & 63)) & 1; }

  void join(std::size_t c, std::int64_t a) {
    arc[c] = a;
    mark_out(c, a == left);
    if (a == left) return;
    const std::size_t j = ctx_.manager_of(a);
    ++load[j];
    time[j] += ctx_.work(a);
    value[j] += ctx_.worth(c);
    position_[c] = members[j].size();
    members[j].push_back(static_cast<index_t>(c));
    facts[j].push_back({ctx_.work(a), ctx_.p.cost[static_cast<std::size_t>(a)], ctx_.p.leave_out[c],
                        ctx_.alternative(c, a), ctx_.first(c), ctx_.last(c)});
  }

  void leave(std::size_t c) {
    const std::int64_t a = arc[c];
    arc[c] = left;
    mark_out(c, true);
    if (a == left) return;
    const std::size_t j = ctx_.manager_of(a);
    --load[j];
    time[j] -= ctx_.work(a);
    value[j] -= ctx_.worth(c);
    auto& list = members[j];
    auto& about = facts[j];
    const std::size_t at = position_[c];
    list[at] = list.back();
    about[at] = about.back();
    position_[static_cast<std::size_t>(list[at])] = at;
    list.pop_back();
    about.pop_back();
  }

  void move(std::size_t c, std::int64_t a) {
    leave(c);
    join(c, a);
  }

  /// Nobody placed.
  void clear();
  /// The plan of `arcs`, placed again.
  void restore(const std::vector<std::int64_t>& arcs);
  /// Pair costs + leave-out prices + the managers' own terms.
  [[nodiscard]] double objective() const;
  /// The change in manager j's own terms (load band, value band, fixed cost) when its load
  /// changes by `joining` customers and its value by `worth`.
  [[nodiscard]] double manager_delta(std::size_t j, std::int64_t joining, double worth) const;
  /// The same when customer c joins (+1) or leaves (-1) the manager of `a`.
  [[nodiscard]] double arc_delta(std::size_t c, std::int64_t a, int direction) const {
    if (a == left) return 0;
    return manager_delta(ctx_.manager_of(a), direction, direction * ctx_.worth(c));
  }
  /// Is customer c at its cheapest option, leaving out included (nothing to gain alone)?
  [[nodiscard]] bool at_cheapest(std::size_t c) const;
  /// Keeps the plan as the best when it is better than the best so far.
  void remember_best();

  std::vector<std::int64_t> arc;  // per customer; left when left out
  std::vector<std::int64_t> load;
  std::vector<double> time, value;
  std::vector<std::vector<index_t>> members;
  std::vector<std::vector<member_facts>> facts;
  std::vector<std::int64_t> best_arc;
  double best_objective = infinite;

 private:
  void mark_out(std::size_t c, bool out) {
    const std::uint64_t bit = std::uint64_t{1} << (c & 63);
    out_[c >> 6] = out ? out_[c >> 6] | bit : out_[c >> 6] & ~bit;
  }

  const context& ctx_;
  std::vector<std::size_t> position_;  // per customer: its place among its manager's members
  std::vector<std::uint64_t> out_;     // a bit per customer: left out (read by repack() in the reach lists)
};

}  // namespace cartera::detail::lagrangian
