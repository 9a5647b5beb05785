#pragma once
// Who may serve whom under a realignment policy, and what each pair costs: shared by the
// realignment (which keeps each customer's cheapest candidates) and routing (which takes
// the cheapest eligible manager that still has room, looking at every one).

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "cartera/realignment.hpp"

namespace cartera::detail {

class pairing {
 public:
  /// Checks the inputs (throws invalid_input naming table, column, row and value) and
  /// indexes the managers by region.
  pairing(const realignment_customers& customers, const realignment_managers& managers,
          const realignment_policy& policy, const std::vector<std::pair<index_t, index_t>>& forbidden);

  /// The managers customer c may look at: its region's (every manager unless both sides have regions).
  [[nodiscard]] const std::vector<index_t>& pool_of(std::size_t c) const;
  /// The most managers any customer looks at.
  [[nodiscard]] std::size_t widest_pool() const { return widest_; }
  /// Skills cover the customer's segment, the manager serves its pool, the pair is not forbidden.
  [[nodiscard]] bool eligible(std::size_t c, index_t manager) const;
  /// distance + fit + continuity (when the customer has a current manager and it is another).
  [[nodiscard]] double cost(std::size_t c, index_t manager) const;
  [[nodiscard]] index_t current_of(std::size_t c) const {
    return customers_.current.empty() ? no_index : customers_.current[c];
  }
  /// A manual current assignment kept while the policy locks them.
  [[nodiscard]] bool locked(std::size_t c) const;
  /// Minutes per period of customer c (1 without workloads).
  [[nodiscard]] double workload(std::size_t c) const {
    return customers_.workload.empty() ? 1.0 : customers_.workload[c];
  }

  /// A deterministic, well-spread order between equally cheap managers, so that customers
  /// alike do not all crowd the manager with the smallest index.
  [[nodiscard]] static std::uint64_t tie_break(index_t customer, index_t manager);

 private:
  const realignment_customers& customers_;
  const realignment_managers& managers_;
  const realignment_policy& policy_;
  bool distances_;
  std::map<std::int32_t, std::vector<index_t>> pools_;  // by region (one, 0, when regions do not matter)
  std::vector<index_t> nobody_;
  std::size_t widest_ = 0;
  std::vector<std::vector<index_t>> banned_;  // per customer: its forbidden managers
};

}  // namespace cartera::detail
