#pragma once
// repack(): a manager's customers chosen again, as a knapsack on its minutes, and the
// ejection chains through a second manager that it starts (see repack.cpp).

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "assignment/lagrangian/dual.hpp"
#include "assignment/lagrangian/knapsack.hpp"
#include "assignment/lagrangian/primal.hpp"

namespace cartera::detail::lagrangian {

class repacker {
 public:
  repacker(context& ctx, primal_state& plan, const dual_prices& prices) : ctx_(ctx), plan_(plan), prices_(prices) {}

  /// Manager j's customers chosen again; returns the change in the objective (< 0), or 0
  /// when nothing changed.
  double repack(std::size_t j, bool foreign);
  /// repack() on every manager while there is time; true when any changed. `pause`, when
  /// given, is called now and then (a pass takes seconds at 1 M customers) and stops the
  /// pass by returning true.
  bool repack_all(bool foreign, const std::function<bool()>& pause = {});

 private:
  // What customer c saves by moving from arc `from` (left: left out) to `arc` at another
  // manager, the minutes it frees counted at their price in the best bound.
  [[nodiscard]] double profit(std::size_t c, std::int64_t from, std::int64_t arc) const {
    const double freed = from == left ? 0 : prices_.best_time_price[ctx_.manager_of(from)] * ctx_.work(from);
    return ctx_.cost(c, from) + freed - ctx_.cost(c, arc);
  }
  void gather_pools();

  context& ctx_;
  primal_state& plan_;
  const dual_prices& prices_;
  std::vector<knapsack_item> items_;
  knapsack_cores cores_;
  std::vector<std::uint8_t> chosen_;
  std::vector<std::size_t> refill_;                        // managers that lost customers to a repack with `foreign`
  std::vector<std::pair<index_t, std::int64_t>> journal_;  // (customer, arc before) of a chain, to undo it
  struct pool_entry {
    index_t customer;
    std::int64_t arc, from;  // its arc to the manager; its arc when gathered
  };
  std::vector<std::int64_t> pool_offsets_,
      pool_next_;  // manager j's pool: pool_[pool_offsets_[j] .. pool_offsets_[j + 1])
  std::vector<pool_entry> pool_;
};

}  // namespace cartera::detail::lagrangian
