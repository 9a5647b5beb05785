#pragma once
// The Lagrangian solver's local search on true costs: shift one customer, swap two, or
// eject one to make room for another, with the repacks of repack.hpp; the polish of large
// problems and the iterated local search of small ones.

#include <cstdint>
#include <functional>
#include <vector>

#include "assignment/lagrangian/repack.hpp"

namespace cartera::detail::lagrangian {

class local_search {
 public:
  local_search(context& ctx, primal_state& plan, const dual_prices& prices, repacker& repacks)
      : ctx_(ctx), plan_(plan), prices_(prices), repacks_(repacks) {}

  /// The best shift of customer c: another candidate that fits, or leaving out.
  bool try_shift(std::size_t c);
  /// c moves to a manager it prefers (by true cost) by trading places with one of that
  /// manager's customers (swap), or by pushing one of them elsewhere or out (ejection).
  bool try_exchange(std::size_t c);
  /// Shifts until none improves (or the solve is cut short).
  void shift_all();
  /// Shifts until none improves, then repacks, then (on small problems, where a pass of
  /// exchanges is affordable) exchanges, and again, while any helps.
  /// Stops at `deadline` (seconds since the start) too.
  void improve(double deadline = infinite);
  /// Large problems: local search on the best plan only, in the time left. `stop` is the
  /// solver's (true: stop for good).
  void polish(std::int64_t iteration, const std::function<bool(std::int64_t)>& stop);
  /// Small problems: iterated local search from the best plan.
  void perturb_and_improve(std::int64_t iteration, const std::function<bool(std::int64_t)>& stop);

 private:
  // Repacks may take customers of other managers (the ejection chains) once the bound has
  // priced minutes, and while moves change nothing but pair costs.
  [[nodiscard]] bool foreign_repacks() const { return !ctx_.manager_terms && !prices_.best_time_price.empty(); }
  // Asks for the cache lines of arcs [from, to): their managers, costs and minutes.
  void fetch_arcs(std::int64_t from, std::int64_t to) const;

  context& ctx_;
  primal_state& plan_;
  const dual_prices& prices_;
  repacker& repacks_;
  std::vector<std::size_t> passing_;  // try_exchange's members that could make room
};

}  // namespace cartera::detail::lagrangian
