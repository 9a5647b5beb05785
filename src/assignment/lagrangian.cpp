// The "lagrangian" solver: any realignment problem, including time budgets (a generalized
// assignment problem), load and value bands and fixed costs.
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
// of exchanges is cheap) do all of it every time and end with an iterated local search (a
// few random moves, local search, keep if not worse); large ones only place while the
// bound climbs, for 55 % of the time limit, and spend the rest on repacks, shifts and
// exchanges from the best placement.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "assignment/solver_support.hpp"
#include "detail/parallel.hpp"
#include "detail/random.hpp"

namespace cartera::detail {
namespace {

constexpr double infinite = std::numeric_limits<double>::infinity();
constexpr double tolerance = 1e-9;
constexpr std::int64_t left = -1;  // "the customer's arc" of a customer left out

using clock_type = std::chrono::steady_clock;

class lagrangian_solver {
 public:
  lagrangian_solver(const assignment_problem& p, const assignment_options& o)
      : p_(p), o_(o), n_(static_cast<std::size_t>(p.customers)), m_(static_cast<std::size_t>(p.managers)),
        timed_(!p.workload.empty()), valued_(!p.value_balance.low.empty() && p.value_balance.penalty > 0),
        start_(clock_type::now()),
        load_price_(m_, 0), time_price_(m_, 0), choice_(n_, left), option_cost_(n_, 0),
        count_(m_, 0), minutes_(m_, 0), arc_(n_, left), load_(m_, 0), time_(m_, 0), value_(m_, 0),
        position_(n_, 0), members_(m_), member_facts_(m_) {
    // A manager can carry no more customers than have it as a candidate: this keeps the
    // dual's manager terms finite when capacities are "unlimited".
    std::vector<std::int64_t> reach(m_, 0);
    for (const index_t j : p.manager) ++reach[static_cast<std::size_t>(j)];
    // A pass of exchanges reads each member's arcs for each arc of each customer: about
    // arcs × (customers per manager) × (arcs per customer) = arcs² / managers. Where that is
    // cheap, every step's solution gets the full local search; else only the end.
    const auto arcs = static_cast<double>(p.manager.size());
    small_ = arcs * arcs / static_cast<double>(std::max<std::size_t>(m_, 1)) <= 3e8;
    if (!small_) votes_.assign(p.manager.size(), 0);
    manager_terms_ = (!p.band.low.empty() && p.band.penalty > 0) || valued_ ||
                     std::any_of(p.fixed_cost.begin(), p.fixed_cost.end(), [](double f) { return f > 0; });
    cheapest_.resize(n_);
    for (std::size_t c = 0; c < n_; ++c) {
      options& o = cheapest_[c];
      o = {p_.leave_out[c], infinite, left};
      for (std::int64_t a = first(c); a < last(c); ++a) {
        const double v = p_.cost[static_cast<std::size_t>(a)];
        if (v < o.best) {
          o.second = o.best;
          o.best = v;
          o.arc = a;
        } else if (v < o.second) {
          o.second = v;
        }
      }
    }
    if (timed_) {
      reach_offsets_.assign(m_ + 1, 0);
      for (const index_t j : p.manager) ++reach_offsets_[static_cast<std::size_t>(j) + 1];
      for (std::size_t j = 0; j < m_; ++j) reach_offsets_[j + 1] += reach_offsets_[j];
      reach_.resize(p.manager.size());
      std::vector<std::int64_t> next(reach_offsets_.begin(), reach_offsets_.end() - 1);
      for (std::size_t c = 0; c < n_; ++c) {
        for (std::int64_t a = first(c); a < last(c); ++a) {
          reach_[static_cast<std::size_t>(next[manager_of(a)]++)] = {static_cast<index_t>(c), static_cast<std::uint32_t>(a - first(c))};
        }
      }
    }
    capacity_.resize(m_);
    budget_.assign(m_, infinite);
    for (std::size_t j = 0; j < m_; ++j) {
      capacity_[j] = std::min(p.capacity[j], reach[j]);
      if (timed_) budget_[j] = p.time_budget[j];
    }
  }

  solver_output run() {
    solver_output out;
    place(/*adjusted=*/false);
    improve();
    remember_best();
    double theta = 1.0;
    std::int64_t stalled = 0;
    std::int64_t iteration = 0;
    // Large problems keep 45 % of the time for polishing the best solution; the bound still
    // rises a little until then, and the repacks' prices come from it (measured at 1 M:
    // 0.37 %, 0.35 %, 0.37 % at 45, 55, 65 % for the bound; 0.40 % at 30 %).
    const double climb_until = small_ ? o_.time_limit : o_.time_limit * 0.55;
    for (; iteration < o_.iterations && !stop(iteration) && seconds() < climb_until; ++iteration) {
      const double value = evaluate();
      next_ballot();
      if (value > bound_ + tolerance * std::max(1.0, std::abs(value))) {
        bound_ = value;
        best_time_price_ = time_price_;
        stalled = 0;
      } else if (++stalled >= 20) {
        theta /= 2;
        stalled = 0;
        if (theta < 1e-5) break;
      }
      // A solution every 25 steps, and on small problems whenever the bound improves (large
      // ones get their exchanges at the end, in polish()).
      if (iteration % 25 == 0 || (small_ && stalled == 0)) {
        // Small problems do better from the greedy (published sets: mean gap 0.19 % against
        // 0.23 % from the votes).
        if (small_) place(/*use_prices=*/true);
        else place_by_votes();
        // Large problems get their local search at the end, in polish(): here it would take
        // the time the bound needs (measured at 1 M: 1.05 % against 1.11 % with it).
        if (small_) improve();
        remember_best();
      }
      if (!step(theta, value)) break;  // the relaxation's choice is feasible: optimal
    }
    polish(iteration);
    perturb_and_improve(iteration);
    out.manager.assign(n_, no_index);
    for (std::size_t c = 0; c < n_; ++c) {
      if (best_arc_[c] != left) out.manager[c] = p_.manager[static_cast<std::size_t>(best_arc_[c])];
    }
    out.bound = std::min(bound_, best_objective_);
    out.iterations = iteration;
    out.stopped_by = cut_;
    return out;
  }

 private:
  [[nodiscard]] double seconds() const { return std::chrono::duration<double>(clock_type::now() - start_).count(); }

  [[nodiscard]] double gap() const { return (best_objective_ - bound_) / std::max(1.0, std::abs(best_objective_)); }

  // True once the gap is small enough, or the solve is cut short (cut_short()), or the
  // caller's progress says stop: then for good.
  bool stop(std::int64_t iteration) {
    if (cut_ != stop_reason::none || gap() <= o_.gap_limit || cut_short()) return true;
    if (o_.progress && !o_.progress({iteration, seconds(), best_objective_, bound_})) cut_ = stop_reason::progress;
    return cut_ != stop_reason::none;
  }

  [[nodiscard]] std::int64_t first(std::size_t c) const { return p_.offsets[c]; }
  [[nodiscard]] std::int64_t last(std::size_t c) const { return p_.offsets[c + 1]; }
  [[nodiscard]] std::size_t manager_of(std::int64_t arc) const { return static_cast<std::size_t>(p_.manager[static_cast<std::size_t>(arc)]); }
  [[nodiscard]] double work(std::int64_t arc) const { return timed_ ? p_.workload[static_cast<std::size_t>(arc)] : 0; }
  [[nodiscard]] double cost(std::size_t c, std::int64_t arc) const {
    return arc == left ? p_.leave_out[c] : p_.cost[static_cast<std::size_t>(arc)];
  }
  [[nodiscard]] double adjusted(std::int64_t arc) const {
    const std::size_t j = manager_of(arc);
    return p_.cost[static_cast<std::size_t>(arc)] + load_price_[j] + time_price_[j] * work(arc);
  }
  // The cheapest option of customer c other than `arc` (true costs; leaving out included).
  [[nodiscard]] double alternative(std::size_t c, std::int64_t arc) const {
    return arc == cheapest_[c].arc ? cheapest_[c].second : cheapest_[c].best;
  }
  [[nodiscard]] double band(std::size_t j, std::int64_t load) const { return band_penalty(p_.band, static_cast<index_t>(j), load); }
  [[nodiscard]] double worth(std::size_t c) const { return valued_ ? p_.value_balance.value[c] : 0; }

  // The manager's part of the dual: min over its load L in [0, capacity] of band(L) - λ·L,
  // reached at 0, the band's ends or the capacity. Returns the minimum and sets `at`.
  double manager_term(std::size_t j, std::int64_t& at) const {
    const std::int64_t cap = capacity_[j];
    std::int64_t points[4] = {0, cap, cap, cap};
    if (!p_.band.low.empty()) {
      points[1] = std::min(p_.band.low[j], cap);
      points[2] = std::min(p_.band.high[j], cap);
    }
    double best = infinite;
    for (const std::int64_t load : points) {
      const double value = band(j, load) - load_price_[j] * static_cast<double>(load);
      if (value < best) {
        best = value;
        at = load;
      }
    }
    return best;
  }

  // The dual function at the current prices; leaves each customer's choice in choice_ and
  // the relaxation's loads in count_ and minutes_.
  double evaluate() {
    // Customers in a fixed number of blocks, each block's loads summed apart and the blocks
    // merged in order: the same sums whatever the number of threads.
    const auto blocks = static_cast<std::size_t>(std::clamp<std::int64_t>(static_cast<std::int64_t>(n_) / 16'384, 1, 64));
    block_count_.assign(blocks * m_, 0);
    block_minutes_.assign(blocks * m_, 0.0);
    parallel_for(static_cast<std::int64_t>(blocks), {}, [&](std::int64_t first_block, std::int64_t end_block) {
      for (auto b = static_cast<std::size_t>(first_block); b < static_cast<std::size_t>(end_block); ++b) {
        std::int64_t* count = block_count_.data() + b * m_;
        double* minutes = block_minutes_.data() + b * m_;
        for (std::size_t c = n_ * b / blocks; c < n_ * (b + 1) / blocks; ++c) {
          double best = p_.leave_out[c];
          std::int64_t chosen = left;
          for (std::int64_t a = first(c); a < last(c); ++a) {
            const double v = adjusted(a);
            if (v < best) {
              best = v;
              chosen = a;
            }
          }
          choice_[c] = chosen;
          option_cost_[c] = best;
          if (chosen == left) continue;
          const std::size_t j = manager_of(chosen);
          ++count[j];
          minutes[j] += work(chosen);
          if (!small_) votes_[static_cast<std::size_t>(chosen)] += vote_weight_;
        }
      }
    }, /*min_per_thread=*/1);
    std::fill(count_.begin(), count_.end(), 0);
    std::fill(minutes_.begin(), minutes_.end(), 0.0);
    for (std::size_t b = 0; b < blocks; ++b) {
      for (std::size_t j = 0; j < m_; ++j) {
        count_[j] += block_count_[b * m_ + j];
        minutes_[j] += block_minutes_[b * m_ + j];
      }
    }
    double value = 0;
    for (const double cost : option_cost_) value += cost;
    target_load_.resize(m_);
    for (std::size_t j = 0; j < m_; ++j) {
      value += manager_term(j, target_load_[j]);
      if (!std::isinf(budget_[j])) value -= time_price_[j] * budget_[j];
    }
    return value;
  }

  // One subgradient step of length theta·(best - value)/|g|²; false when g is 0.
  bool step(double theta, double value) {
    double norm = 0;
    for (std::size_t j = 0; j < m_; ++j) {
      const double g = static_cast<double>(count_[j] - target_load_[j]);
      norm += g * g;
      if (!std::isinf(budget_[j])) {
        const double h = minutes_[j] - budget_[j];
        if (h > 0 || time_price_[j] > 0) norm += h * h;
      }
    }
    if (norm == 0) return false;
    const double length = theta * std::max(best_objective_ - value, 1e-6 * std::max(1.0, std::abs(value))) / norm;
    for (std::size_t j = 0; j < m_; ++j) {
      load_price_[j] += length * static_cast<double>(count_[j] - target_load_[j]);
      if (!std::isinf(budget_[j])) time_price_[j] = std::max(0.0, time_price_[j] + length * (minutes_[j] - budget_[j]));
    }
    return true;
  }

  [[nodiscard]] bool fits(std::size_t j, std::int64_t arc, double freed = 0) const {
    return load_[j] < capacity_[j] && time_[j] - freed + work(arc) <= budget_[j] * (1 + 1e-12);
  }

  [[nodiscard]] bool is_out(std::size_t c) const { return (out_[c >> 6] >> (c & 63)) & 1; }
  void mark_out(std::size_t c, bool out) {
    const std::uint64_t bit = std::uint64_t{1} << (c & 63);
    out_[c >> 6] = out ? out_[c >> 6] | bit : out_[c >> 6] & ~bit;
  }

  void join(std::size_t c, std::int64_t arc) {
    arc_[c] = arc;
    mark_out(c, arc == left);
    if (arc == left) return;
    const std::size_t j = manager_of(arc);
    ++load_[j];
    time_[j] += work(arc);
    value_[j] += worth(c);
    position_[c] = members_[j].size();
    members_[j].push_back(static_cast<index_t>(c));
    member_facts_[j].push_back({work(arc), p_.cost[static_cast<std::size_t>(arc)], p_.leave_out[c], alternative(c, arc), first(c), last(c)});
  }

  void leave(std::size_t c) {
    const std::int64_t arc = arc_[c];
    arc_[c] = left;
    mark_out(c, true);
    if (arc == left) return;
    const std::size_t j = manager_of(arc);
    --load_[j];
    time_[j] -= work(arc);
    value_[j] -= worth(c);
    auto& list = members_[j];
    auto& facts = member_facts_[j];
    const std::size_t at = position_[c];
    list[at] = list.back();
    facts[at] = facts.back();
    position_[static_cast<std::size_t>(list[at])] = at;
    list.pop_back();
    facts.pop_back();
  }

  void move(std::size_t c, std::int64_t arc) {
    leave(c);
    join(c, arc);
  }

  // Nobody placed.
  void clear() {
    std::fill(load_.begin(), load_.end(), 0);
    std::fill(time_.begin(), time_.end(), 0.0);
    std::fill(value_.begin(), value_.end(), 0.0);
    for (auto& list : members_) list.clear();
    for (auto& list : member_facts_) list.clear();
    std::fill(arc_.begin(), arc_.end(), left);
    out_.assign((n_ + 63) / 64, ~std::uint64_t{0});
  }

  // Greedy with regret: every customer, most regret first, at its cheapest option that
  // fits (by adjusted costs, or true costs before any prices exist).
  void place(bool use_prices) {
    clear();
    const auto value = [&](std::size_t c, std::int64_t a) { return a == left ? p_.leave_out[c] : use_prices ? adjusted(a) : cost(c, a); };
    std::vector<double> regret(n_);
    for (std::size_t c = 0; c < n_; ++c) {
      double best = value(c, left), second = infinite;
      for (std::int64_t a = first(c); a < last(c); ++a) {
        const double v = value(c, a);
        if (v < best) {
          second = best;
          best = v;
        } else if (v < second) {
          second = v;
        }
      }
      regret[c] = second - best;
    }
    std::vector<index_t> order(n_);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) { return regret[static_cast<std::size_t>(a)] > regret[static_cast<std::size_t>(b)]; });
    for (const index_t customer : order) {
      const auto c = static_cast<std::size_t>(customer);
      double best = value(c, left);
      std::int64_t chosen = left;
      for (std::int64_t a = first(c); a < last(c); ++a) {
        const double v = value(c, a);
        if (v < best && fits(manager_of(a), a)) {
          best = v;
          chosen = a;
        }
      }
      join(c, chosen);
    }
  }

  // Primal recovery: how often each arc was the relaxation's choice over the last steps
  // approximates the linear relaxation's solution (an ergodic average of subgradient
  // iterates). evaluate() casts the votes; rather than decaying every vote by 0.95 a step,
  // each step's votes weigh 1/0.95 more than the last, rescaled now and then.
  void next_ballot() {
    vote_weight_ /= 0.95f;
    if (vote_weight_ < 1e30f) return;
    for (float& v : votes_) v /= vote_weight_;
    vote_weight_ = 1;
  }

  // Customers most certain first (their top vote), each at its most voted arc that fits,
  // ties and unvoted arcs by adjusted cost, or left out.
  void place_by_votes() {
    clear();
    std::vector<std::pair<float, index_t>> order(n_);
    for (std::size_t c = 0; c < n_; ++c) {
      float top = 0;
      for (std::int64_t a = first(c); a < last(c); ++a) top = std::max(top, votes_[static_cast<std::size_t>(a)]);
      order[c] = {-top, static_cast<index_t>(c)};
    }
    std::sort(order.begin(), order.end());
    for (const auto& [certainty, k] : order) {
      const auto c = static_cast<std::size_t>(k);
      std::int64_t chosen = left;
      float most = 0;
      double best = p_.leave_out[c];
      for (std::int64_t a = first(c); a < last(c); ++a) {
        const float v = votes_[static_cast<std::size_t>(a)];
        if (!fits(manager_of(a), a)) continue;
        if (v > most || (v == most && adjusted(a) < best)) {
          most = v;
          best = adjusted(a);
          chosen = a;
        }
      }
      join(c, chosen);
    }
  }

  // The change in manager j's own terms (load band, value band, fixed cost) when its load
  // changes by `load` customers and its value by `value`.
  [[nodiscard]] double manager_delta(std::size_t j, std::int64_t load, double value) const {
    if (!manager_terms_) return 0;
    double change = band(j, load_[j] + load) - band(j, load_[j]);
    if (valued_) {
      const auto k = static_cast<index_t>(j);
      change += value_penalty(p_.value_balance, k, value_[j] + value) - value_penalty(p_.value_balance, k, value_[j]);
    }
    if (!p_.fixed_cost.empty()) {
      change += p_.fixed_cost[j] * (static_cast<double>(load_[j] + load > 0) - static_cast<double>(load_[j] > 0));
    }
    return change;
  }

  // The same when customer c joins (+1) or leaves (-1) the manager of `arc`.
  [[nodiscard]] double arc_delta(std::size_t c, std::int64_t arc, int direction) const {
    if (arc == left) return 0;
    return manager_delta(manager_of(arc), direction, direction * worth(c));
  }

  // The best shift of customer c: another candidate that fits, or leaving out.
  bool try_shift(std::size_t c) {
    const std::int64_t now = arc_[c];
    const double release = arc_delta(c, now, -1) - cost(c, now);  // c leaving where it is
    double best = -tolerance;
    std::int64_t chosen = now;
    if (now != left && p_.leave_out[c] + release < best) {
      best = p_.leave_out[c] + release;
      chosen = left;
    }
    for (std::int64_t a = first(c); a < last(c); ++a) {
      if (a == now || !fits(manager_of(a), a)) continue;
      const double change = cost(c, a) + arc_delta(c, a, +1) + release;
      if (change < best) {
        best = change;
        chosen = a;
      }
    }
    if (chosen == now) return false;
    move(c, chosen);
    return true;
  }

  // c moves to a manager it prefers (by true cost) by trading places with one of that
  // manager's customers (swap), or by pushing one of them elsewhere or out (ejection).
  bool try_exchange(std::size_t c) {
    const std::int64_t now = arc_[c];
    const double here = cost(c, now);
    const std::size_t home = now == left ? m_ : manager_of(now);
    for (std::int64_t a = first(c); a < last(c); ++a) {
      if (a == now || cost(c, a) >= here) continue;
      const std::size_t j = manager_of(a);
      const double gain_c = cost(c, a) - here;
      const double home_change = arc_delta(c, now, -1);  // c leaves home
      // The members whose leaving frees minutes enough for c (read beside the list: most
      // fail here); their arc lists are fetched a few ahead, as each is a cache miss.
      const auto& facts = member_facts_[j];
      passing_.clear();
      // Without managers' own terms, a member whose cheapest other option costs it more
      // than c gains cannot make an improving move: skipped without reading its arcs.
      const double most_loss = manager_terms_ ? infinite : -gain_c - tolerance;
      for (std::size_t i = 0; i < facts.size(); ++i) {
        if (time_[j] - facts[i].work + work(a) <= budget_[j] * (1 + 1e-12) && facts[i].alternative - facts[i].cost < most_loss) passing_.push_back(i);
      }
      constexpr std::size_t fetch_ahead = 3;
      const auto fetch = [&](std::size_t n) {
        if (n < passing_.size()) fetch_arcs(facts[passing_[n]].first, facts[passing_[n]].last);
      };
      for (std::size_t n = 0; n < fetch_ahead; ++n) fetch(n);
      for (std::size_t n = 0; n < passing_.size(); ++n) {
        fetch(n + fetch_ahead);
        const std::size_t i = passing_[n];
        const auto k = static_cast<std::size_t>(members_[j][i]);
        const double theirs_cost = facts[i].cost;
        const double j_change = manager_delta(j, 0, worth(c) - worth(k));  // k leaves j, c arrives
        // k goes to c's place (swap), to another manager with room, or out.
        double best = -tolerance;
        std::int64_t chosen = -2;
        const double out_change = gain_c + facts[i].leave - theirs_cost + home_change + j_change;
        if (out_change < best) {
          best = out_change;
          chosen = left;
        }
        for (std::int64_t b = facts[i].first; b < facts[i].last; ++b) {
          const std::size_t target = manager_of(b);
          if (target == j) continue;  // k's own arc
          double change = gain_c + cost(k, b) - theirs_cost + j_change;
          if (target == home) {  // a swap: loads stay, c's minutes are freed
            if (time_[home] - work(now) + work(b) > budget_[home] * (1 + 1e-12)) continue;
            change += manager_delta(home, 0, worth(k) - worth(c));
          } else {
            if (!fits(target, b)) continue;
            change += manager_delta(target, +1, worth(k)) + home_change;
          }
          if (change < best) {
            best = change;
            chosen = b;
          }
        }
        if (chosen == -2) continue;
        leave(k);
        move(c, a);
        join(k, chosen);
        return true;
      }
    }
    return false;
  }

  // Asks for the cache lines of arcs [from, to): their managers, costs and minutes.
  void fetch_arcs(std::int64_t from, std::int64_t to) const {
    const auto lines = [](const void* begin, const void* end) {
      for (auto line = reinterpret_cast<std::uintptr_t>(begin) & ~std::uintptr_t{63}; line < reinterpret_cast<std::uintptr_t>(end); line += 64) {
        __builtin_prefetch(reinterpret_cast<const void*>(line));
      }
    };
    const auto f = static_cast<std::size_t>(from), t = static_cast<std::size_t>(to);
    lines(p_.manager.data() + f, p_.manager.data() + t);
    lines(p_.cost.data() + f, p_.cost.data() + t);
    if (timed_) lines(p_.workload.data() + f, p_.workload.data() + t);
  }

  // repack()'s knapsack items and dynamic programming states.
  struct item {
    index_t customer;
    std::int64_t arc;  // its arc to the manager; -2: a member already
    double work, profit;
    double cost_now;  // its cost where it is now (its leave-out price when left out)
  };
  struct state {
    double minutes, profit;
    std::uint64_t taken;  // bit i: the core's i-th item
  };

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
  double repack(std::size_t j, bool foreign) {
    items_.clear();
    double members_profit = 0;
    for (std::size_t i = 0; i < members_[j].size(); ++i) {
      const auto& f = member_facts_[j][i];
      items_.push_back({members_[j][i], -2, f.work, f.leave - f.cost, f.cost});
      members_profit += f.leave - f.cost;
    }
    const std::size_t members = items_.size();
    for (std::int64_t e = reach_offsets_[j]; e < reach_offsets_[j + 1]; ++e) {
      const reach_entry entry = reach_[static_cast<std::size_t>(e)];
      const auto k = static_cast<std::size_t>(entry.customer);
      if (!is_out(k)) continue;
      const std::int64_t a = first(k) + entry.slot;
      const double saving = profit(k, left, a);
      if (saving > tolerance) items_.push_back({static_cast<index_t>(k), a, work(a), saving, p_.leave_out[k]});
    }
    for (std::int64_t e = foreign ? pool_offsets_[j] : 0; e < (foreign ? pool_offsets_[j + 1] : 0); ++e) {
      const pool_entry& entry = pool_[static_cast<std::size_t>(e)];
      const auto k = static_cast<std::size_t>(entry.customer);
      if (arc_[k] != entry.from) continue;  // moved since
      items_.push_back({entry.customer, entry.arc, work(entry.arc), profit(k, entry.from, entry.arc), cost(k, entry.from)});
    }
    if (items_.size() == members) return 0;
    std::sort(items_.begin(), items_.end(), [](const item& x, const item& y) {
      // profit per minute, descending, without dividing (minutes may be 0)
      const double left_side = x.profit * y.work, right_side = y.profit * x.work;
      return left_side != right_side ? left_side > right_side : x.customer < y.customer;
    });
    const double budget = budget_[j] * (1 + 1e-12);
    double used = 0;
    std::size_t fitting = 0;  // the greedy's break: the first item that does not fit
    while (fitting < items_.size() && used + items_[fitting].work <= budget) used += items_[fitting++].work;
    constexpr std::size_t core_half = 20;
    static_assert(2 * core_half <= 64, "a bit per core item");
    const std::size_t core_begin = fitting > core_half ? fitting - core_half : 0;
    const std::size_t core_end = std::min(items_.size(), fitting + core_half);
    double kept = 0, profit = 0;
    for (std::size_t i = 0; i < core_begin; ++i) {
      kept += items_[i].work;
      profit += items_[i].profit;
    }
    const double limit = std::isinf(budget) ? infinite : budget - kept;
    const bool whole = std::all_of(items_.begin() + static_cast<std::ptrdiff_t>(core_begin), items_.begin() + static_cast<std::ptrdiff_t>(core_end),
                                   [](const item& i) { return i.work == std::floor(i.work); });
    const state best = whole && limit < 65536 ? core_in_whole_minutes(core_begin, core_end, limit) : core_by_pareto_states(core_begin, core_end, limit);
    if (profit + best.profit <= members_profit + tolerance * std::max(1.0, members_profit)) return 0;
    chosen_.assign(items_.size(), 0);
    std::fill(chosen_.begin(), chosen_.begin() + static_cast<std::ptrdiff_t>(core_begin), 1);
    for (std::size_t i = core_begin; i < core_end; ++i) chosen_[i] = (best.taken >> (i - core_begin)) & 1;
    // The true change: pair costs and prices, and the managers' own terms.
    std::int64_t count = 0;
    double change = 0, worth_change = 0;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const item& it = items_[i];
      const auto k = static_cast<std::size_t>(it.customer);
      const bool member = it.arc == -2;
      count += chosen_[i];
      if (member == static_cast<bool>(chosen_[i])) continue;
      change += member ? p_.leave_out[k] - it.cost_now : cost(k, it.arc) - it.cost_now;
      worth_change += (member ? -1 : 1) * worth(k);
    }
    if (count > capacity_[j]) return 0;
    change += manager_delta(j, count - static_cast<std::int64_t>(members), worth_change);
    if (!foreign && change > -tolerance) return 0;
    const std::size_t mark = journal_.size();
    if (foreign) refill_.clear();
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const auto k = static_cast<std::size_t>(items_[i].customer);
      if (items_[i].arc == -2 && !chosen_[i]) {
        journal_.push_back({items_[i].customer, arc_[k]});
        leave(k);
      }
    }
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const auto k = static_cast<std::size_t>(items_[i].customer);
      if (items_[i].arc == -2 || !chosen_[i]) continue;
      if (foreign && arc_[k] != left) refill_.push_back(manager_of(arc_[k]));
      journal_.push_back({items_[i].customer, arc_[k]});
      move(k, items_[i].arc);
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
      move(static_cast<std::size_t>(k), arc);
    }
    return 0;
  }

  // The best choice among the core items [begin, end) within `limit` minutes, when every
  // item's minutes are whole: the textbook table over minutes 0..limit.
  state core_in_whole_minutes(std::size_t begin, std::size_t end, double limit) {
    std::int64_t total = 0;
    for (std::size_t i = begin; i < end; ++i) total += static_cast<std::int64_t>(items_[i].work);
    const auto width = static_cast<std::size_t>(std::min(static_cast<std::int64_t>(std::floor(limit + 1e-9)), total) + 1);
    best_profit_.assign(width, 0.0);
    taken_.assign((end - begin) * width, 0);
    for (std::size_t i = begin; i < end; ++i) {
      const auto w = static_cast<std::size_t>(items_[i].work);
      const double v = items_[i].profit;
      if (v <= 0) continue;
      std::uint8_t* take = taken_.data() + (i - begin) * width;
      for (std::size_t r = width; r-- > w;) {
        if (best_profit_[r - w] + v > best_profit_[r]) {
          best_profit_[r] = best_profit_[r - w] + v;
          take[r] = 1;
        }
      }
    }
    state best{0, best_profit_[width - 1], 0};
    for (std::size_t i = end, r = width - 1; i-- > begin;) {
      if (taken_[(i - begin) * width + r]) {
        best.taken |= std::uint64_t{1} << (i - begin);
        best.minutes += items_[i].work;
        r -= static_cast<std::size_t>(items_[i].work);
      }
    }
    return best;
  }

  // The same for any minutes: dynamic programming over the Pareto-optimal (minutes, profit)
  // states, each keeping its items as bits. Without a limit every profitable item is taken.
  state core_by_pareto_states(std::size_t begin, std::size_t end, double limit) {
    states_.assign(1, {0.0, 0.0, 0});
    for (std::size_t i = begin; i < end; ++i) {
      const double w = items_[i].work, v = items_[i].profit;
      const std::uint64_t bit = std::uint64_t{1} << (i - begin);
      if (v <= 0) continue;
      if (std::isinf(limit)) {
        states_[0] = {states_[0].minutes + w, states_[0].profit + v, states_[0].taken | bit};
        continue;
      }
      // Merge the states without the item and those with it, by minutes, keeping each
      // only where it earns more than every state with fewer minutes.
      merged_.clear();
      const auto keep = [&](const state& s) {
        if (merged_.empty() || s.profit > merged_.back().profit) merged_.push_back(s);
      };
      std::size_t without = 0;
      for (const state& from : states_) {
        const state with{from.minutes + w, from.profit + v, from.taken | bit};
        if (with.minutes > limit) break;
        while (without < states_.size() && (states_[without].minutes < with.minutes ||
                                            (states_[without].minutes == with.minutes && states_[without].profit >= with.profit))) {
          keep(states_[without++]);
        }
        keep(with);
      }
      for (; without < states_.size(); ++without) keep(states_[without]);
      states_.swap(merged_);
      // A safeguard: keep every other state if the front grows wild (each stays feasible).
      if (states_.size() > 16384) {
        for (std::size_t k = 1; 2 * k < states_.size(); ++k) states_[k] = states_[2 * k];
        states_.resize((states_.size() + 1) / 2);
      }
    }
    return states_.back();
  }

  // What customer c saves by moving from arc `from` (left: left out) to `arc` at another
  // manager, the minutes it frees counted at their price in the best bound.
  [[nodiscard]] double profit(std::size_t c, std::int64_t from, std::int64_t arc) const {
    const double freed = from == left ? 0 : best_time_price_[manager_of(from)] * work(from);
    return cost(c, from) + freed - cost(c, arc);
  }

  // Per manager, the customers of other managers that repack() may take in: those whose
  // move there would profit. Gathered in one sequential pass over the arcs, so that
  // repack() reads few customers it will not use; an entry whose customer has moved since
  // is skipped.
  void gather_pools() {
    pool_offsets_.assign(m_ + 1, 0);
    const auto each = [&](auto&& visit) {
      for (std::size_t c = 0; c < n_; ++c) {
        const std::int64_t now = arc_[c];
        if (now == left) continue;
        for (std::int64_t a = first(c); a < last(c); ++a) {
          if (a != now && profit(c, now, a) > tolerance) visit(c, now, a);
        }
      }
    };
    each([&](std::size_t, std::int64_t, std::int64_t a) { ++pool_offsets_[manager_of(a) + 1]; });
    for (std::size_t j = 0; j < m_; ++j) pool_offsets_[j + 1] += pool_offsets_[j];
    pool_.resize(static_cast<std::size_t>(pool_offsets_[m_]));
    pool_next_.assign(pool_offsets_.begin(), pool_offsets_.end() - 1);
    each([&](std::size_t c, std::int64_t now, std::int64_t a) {
      pool_[static_cast<std::size_t>(pool_next_[manager_of(a)]++)] = {static_cast<index_t>(c), a, now};
    });
  }

  // repack() on every manager, in time; true when any changed.
  // With `iteration`, the caller's stop is asked now and then (a pass takes seconds at 1 M).
  bool repack_all(bool foreign, std::int64_t iteration = -1) {
    if (!timed_) return false;
    if (foreign) gather_pools();
    bool changed = false;
    const std::size_t check_every = std::max<std::size_t>(m_ / 16, 64);
    for (std::size_t j = 0; j < m_; ++j) {
      if (j % check_every == check_every - 1) {
        if (cut_short()) break;
        if (iteration >= 0) {
          remember_best();
          if (stop(iteration)) break;
        }
      }
      changed = repack(j, foreign) < 0 || changed;
      journal_.clear();
    }
    return changed;
  }

  // The time is up, or the caller said stop: cut_ records which, for the result's status.
  bool cut_short() {
    if (cut_ == stop_reason::none && seconds() >= o_.time_limit) cut_ = stop_reason::time_limit;
    return cut_ != stop_reason::none;
  }

  // Large problems: local search on the best solution only, in the time left. Repacks and
  // shifts while they gain (a round takes a few seconds at 1 M customers), then a pass of
  // exchanges, and again while anything gains.
  void polish(std::int64_t iteration) {
    if (small_ || stop(iteration)) return;
    restore(best_arc_);
    const bool foreign = !manager_terms_ && !best_time_price_.empty();
    bool changed = true;
    while (changed && !cut_short()) {
      changed = false;
      for (bool gaining = true; gaining && !cut_short();) {
        gaining = repack_all(foreign, iteration);
        if (cut_ == stop_reason::progress) return;
        for (std::size_t c = 0; c < n_; ++c) {
          if ((c & 4095) == 0 && cut_short()) break;
          if (!manager_terms_ && at_cheapest(c)) continue;
          gaining = try_shift(c) || gaining;
        }
        changed = changed || gaining;
        remember_best();
        if (stop(iteration)) return;
      }
      for (std::size_t c = 0; c < n_; ++c) {
        if ((c & 255) == 0 && cut_short()) break;
        // At its cheapest option (leaving out included), a customer has nothing to gain
        // from a shift or an exchange unless moves change managers' own terms.
        if (!manager_terms_ && at_cheapest(c)) continue;
        changed = try_shift(c) || changed;
        changed = try_exchange(c) || changed;
      }
      remember_best();
      if (stop(iteration)) return;
    }
  }

  [[nodiscard]] bool at_cheapest(std::size_t c) const {
    const double here = cost(c, arc_[c]);
    if (p_.leave_out[c] < here) return false;
    for (std::int64_t a = first(c); a < last(c); ++a) {
      if (cost(c, a) < here) return false;
    }
    return true;
  }

  // Shifts until none improves, then repacks, then (on small problems, where a pass of
  // exchanges is affordable) exchanges, and again, while any helps.
  void improve() {
    bool changed = true;
    while (changed && !cut_short()) {
      changed = false;
      for (std::size_t c = 0; c < n_; ++c) {
        changed = try_shift(c) || changed;
        if ((c & 4095) == 0 && cut_short()) return;
      }
      if (changed) continue;
      changed = repack_all(/*foreign=*/!manager_terms_ && !best_time_price_.empty());
      if (changed || !small_) continue;
      for (std::size_t c = 0; c < n_; ++c) {
        changed = try_exchange(c) || changed;
        if ((c & 255) == 0 && cut_short()) return;
      }
    }
  }

  [[nodiscard]] double objective() const {
    double total = 0;
    for (std::size_t c = 0; c < n_; ++c) total += cost(c, arc_[c]);
    for (std::size_t j = 0; j < m_; ++j) {
      total += band(j, load_[j]);
      if (valued_) total += value_penalty(p_.value_balance, static_cast<index_t>(j), value_[j]);
      if (!p_.fixed_cost.empty() && load_[j] > 0) total += p_.fixed_cost[j];
    }
    return total;
  }

  void remember_best() {
    const double value = objective();
    if (best_arc_.empty() || value < best_objective_ - tolerance) {
      best_objective_ = value;
      best_arc_ = arc_;
    }
  }

  void restore(const std::vector<std::int64_t>& arcs) {
    clear();
    for (std::size_t c = 0; c < n_; ++c) join(c, arcs[c]);
  }

  // Iterated local search from the best solution: a few random moves that fit, local
  // search, keep when not worse. Only for small problems, where a full pass is cheap.
  void perturb_and_improve(std::int64_t iteration) {
    if (n_ == 0 || !small_) return;
    restore(best_arc_);
    random_stream random(o_.seed, 0x6c61677261ull);
    for (std::int64_t round = 0; round < o_.iterations && !stop(iteration + round); ++round) {
      const std::size_t kicks = 2 + random.below(4);
      for (std::size_t k = 0; k < kicks; ++k) {
        const std::size_t c = random.below(n_);
        if (last(c) == first(c)) continue;
        const std::int64_t a = first(c) + static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(last(c) - first(c))));
        if (a != arc_[c] && fits(manager_of(a), a)) move(c, a);
      }
      improve();
      const double value = objective();
      if (value <= best_objective_ + tolerance) {
        if (value < best_objective_ - tolerance) best_objective_ = value;
        best_arc_ = arc_;
      } else {
        restore(best_arc_);
      }
    }
  }

  const assignment_problem& p_;
  const assignment_options& o_;
  std::size_t n_, m_;
  bool timed_;
  bool valued_;  // a value band with a penalty
  bool manager_terms_ = false;  // a band, a value band or a fixed cost: moves change more than pair costs
  bool small_ = true;  // few enough arcs for exchanges and iterated local search
  clock_type::time_point start_;
  stop_reason cut_ = stop_reason::none;
  std::vector<std::int64_t> capacity_;
  std::vector<double> budget_;
  // The dual side.
  std::vector<double> load_price_, time_price_;
  std::vector<std::int64_t> choice_;
  std::vector<double> option_cost_;
  std::vector<std::int64_t> count_, target_load_;
  std::vector<double> minutes_;
  std::vector<std::int64_t> block_count_;  // evaluate()'s loads per block of customers
  std::vector<double> block_minutes_;
  double bound_ = -infinite;
  std::vector<double> best_time_price_;  // the price per minute at the best bound
  // The primal side.
  std::vector<std::int64_t> arc_;
  std::vector<std::int64_t> load_;
  std::vector<double> time_;
  std::vector<double> value_;
  std::vector<float> votes_;  // per arc: steps it was the relaxation's choice, the recent ones weighing most
  float vote_weight_ = 1;     // this step's vote
  std::vector<std::size_t> position_;
  std::vector<std::vector<index_t>> members_;
  // Beside members_, what exchanges read of each member, so that scanning a manager's
  // customers stays in one stream: minutes, pair cost, leave-out price and arcs.
  struct member_facts {
    double work, cost, leave;
    double alternative;  // the member's cheapest other option (another arc or leaving out)
    std::int64_t first, last;  // the member's arcs
  };
  std::vector<std::size_t> passing_;  // try_exchange's members that could make room
  // repack()'s knapsack: items, dynamic programming, the choice made.
  std::vector<item> items_;
  std::vector<state> states_, merged_;  // core_by_pareto_states()'s fronts
  std::vector<double> best_profit_;      // core_in_whole_minutes()'s table: best profit by minutes,
  std::vector<std::uint8_t> taken_;      // and whether each item is in it
  std::vector<std::uint8_t> chosen_;
  std::vector<std::size_t> refill_;  // managers that lost customers to a repack with `foreign`
  std::vector<std::pair<index_t, std::int64_t>> journal_;  // (customer, arc before) of a chain, to undo it
  struct pool_entry {
    index_t customer;
    std::int64_t arc, from;  // its arc to the manager; its arc when gathered
  };
  struct reach_entry {
    index_t customer;
    std::uint32_t slot;  // the arc: first(customer) + slot
  };
  std::vector<std::int64_t> reach_offsets_;  // customers having manager j as a candidate:
  std::vector<reach_entry> reach_;           // reach_[reach_offsets_[j] .. reach_offsets_[j + 1])
  std::vector<std::uint64_t> out_;           // a bit per customer: left out (read by repack() in the reach lists)
  std::vector<std::int64_t> pool_offsets_, pool_next_;  // manager j's pool: pool_[pool_offsets_[j] .. pool_offsets_[j + 1])
  std::vector<pool_entry> pool_;
  std::vector<std::vector<member_facts>> member_facts_;
  std::vector<std::int64_t> best_arc_;
  double best_objective_ = infinite;
  // Per customer, its two cheapest options by true cost (leaving out included).
  struct options {
    double best, second;
    std::int64_t arc;  // the cheapest (left: leaving out)
  };
  std::vector<options> cheapest_;
};

}  // namespace

solver_output solve_lagrangian(const assignment_problem& problem, const assignment_options& options) {
  return lagrangian_solver(problem, options).run();
}

}  // namespace cartera::detail
