#pragma once
// What every part of the Lagrangian solver reads: the problem and its derived facts (each
// customer's two cheapest options, the customers who have each manager as a candidate, the
// capacities that matter), the options, and the clock that says when the solve is cut
// short. The parts (dual.hpp, primal.hpp, placement.hpp, local_search.hpp, repack.hpp,
// knapsack.hpp) are put together in solver.cpp, whose design notes tell the method.

#include <chrono>
#include <cstdint>
#include <limits>
#include <vector>

#include "assignment/solver_support.hpp"

namespace cartera::detail::lagrangian {

inline constexpr double infinite = std::numeric_limits<double>::infinity();
inline constexpr double tolerance = 1e-9;
inline constexpr std::int64_t left = -1;  // "the customer's arc" of a customer left out

class context {
 public:
  context(const assignment_problem& problem, const assignment_options& options);

  const assignment_problem& p;
  const assignment_options& o;
  const std::size_t n, m;
  const bool timed;                    // workloads and time budgets
  const bool valued;                   // a value band with a penalty
  bool manager_terms = false;          // a band, a value band or a fixed cost: moves change more than pair costs
  bool small = true;                   // few enough arcs for exchanges and iterated local search
  std::vector<std::int64_t> capacity;  // the most customers that can reach each manager
  std::vector<double> budget;          // minutes per manager (+inf without time budgets)

  /// Per customer, its two cheapest options by true cost (leaving out included).
  struct two_cheapest {
    double best, second;
    std::int64_t arc;  // the cheapest (left: leaving out)
  };
  std::vector<two_cheapest> cheapest;

  /// The customers having manager j as a candidate: reach[reach_offsets[j] .. reach_offsets[j + 1]).
  struct reach_entry {
    index_t customer;
    std::uint32_t slot;  // the arc: first(customer) + slot
  };
  std::vector<std::int64_t> reach_offsets;
  std::vector<reach_entry> reach;

  [[nodiscard]] std::int64_t first(std::size_t c) const { return p.offsets[c]; }
  [[nodiscard]] std::int64_t last(std::size_t c) const { return p.offsets[c + 1]; }
  [[nodiscard]] std::size_t manager_of(std::int64_t arc) const {
    return static_cast<std::size_t>(p.manager[static_cast<std::size_t>(arc)]);
  }
  [[nodiscard]] double work(std::int64_t arc) const { return timed ? p.workload[static_cast<std::size_t>(arc)] : 0; }
  [[nodiscard]] double cost(std::size_t c, std::int64_t arc) const {
    return arc == left ? p.leave_out[c] : p.cost[static_cast<std::size_t>(arc)];
  }
  /// The cheapest option of customer c other than `arc` (true costs; leaving out included).
  [[nodiscard]] double alternative(std::size_t c, std::int64_t arc) const {
    return arc == cheapest[c].arc ? cheapest[c].second : cheapest[c].best;
  }
  [[nodiscard]] double band(std::size_t j, std::int64_t load) const {
    return band_penalty(p.band, static_cast<index_t>(j), load);
  }
  [[nodiscard]] double worth(std::size_t c) const { return valued ? p.value_balance.value[c] : 0; }

  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  /// The time is up, or the caller said stop (stop_by_caller()): `cut` records which, for
  /// the result's status; once cut, always cut.
  bool cut_short() {
    if (cut == stop_reason::none && seconds() >= o.time_limit) cut = stop_reason::time_limit;
    return cut != stop_reason::none;
  }
  void stop_by_caller() { cut = stop_reason::progress; }
  stop_reason cut = stop_reason::none;

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace cartera::detail::lagrangian
