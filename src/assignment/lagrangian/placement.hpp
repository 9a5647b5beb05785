#pragma once
// The Lagrangian solver's first plans: a greedy with regret, and the relaxation's votes.

#include "assignment/lagrangian/dual.hpp"
#include "assignment/lagrangian/primal.hpp"

namespace cartera::detail::lagrangian {

/// Greedy with regret: every customer, most regret first, at its cheapest option that fits
/// (by the prices' adjusted costs, or by true costs without `prices`).
void place_by_regret(primal_state& plan, const context& ctx, const dual_prices* prices);

/// Customers most certain first (their top vote), each at its most voted arc that fits,
/// ties and unvoted arcs by adjusted cost, or left out.
void place_by_votes(primal_state& plan, const context& ctx, const dual_prices& prices);

}  // namespace cartera::detail::lagrangian
