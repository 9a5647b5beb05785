#include "assignment/lagrangian/placement.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace cartera::detail::lagrangian {

void place_by_regret(primal_state& plan, const context& ctx, const dual_prices* prices) {
  plan.clear();
  const auto value = [&](std::size_t c, std::int64_t a) {
    return a == left ? ctx.p.leave_out[c] : prices != nullptr ? prices->adjusted(a) : ctx.cost(c, a);
  };
  std::vector<double> regret(ctx.n);
  for (std::size_t c = 0; c < ctx.n; ++c) {
    double best = value(c, left), second = infinite;
    for (std::int64_t a = ctx.first(c); a < ctx.last(c); ++a) {
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
  std::vector<index_t> order(ctx.n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) {
    return regret[static_cast<std::size_t>(a)] > regret[static_cast<std::size_t>(b)];
  });
  for (const index_t customer : order) {
    const auto c = static_cast<std::size_t>(customer);
    double best = value(c, left);
    std::int64_t chosen = left;
    for (std::int64_t a = ctx.first(c); a < ctx.last(c); ++a) {
      const double v = value(c, a);
      if (v < best && plan.fits(ctx.manager_of(a), a)) {
        best = v;
        chosen = a;
      }
    }
    plan.join(c, chosen);
  }
}

void place_by_votes(primal_state& plan, const context& ctx, const dual_prices& prices) {
  plan.clear();
  std::vector<std::pair<float, index_t>> order(ctx.n);
  for (std::size_t c = 0; c < ctx.n; ++c) {
    float top = 0;
    for (std::int64_t a = ctx.first(c); a < ctx.last(c); ++a)
      top = std::max(top, prices.votes[static_cast<std::size_t>(a)]);
    order[c] = {-top, static_cast<index_t>(c)};
  }
  std::sort(order.begin(), order.end());
  for (const auto& [certainty, k] : order) {
    const auto c = static_cast<std::size_t>(k);
    std::int64_t chosen = left;
    float most = 0;
    double best = ctx.p.leave_out[c];
    for (std::int64_t a = ctx.first(c); a < ctx.last(c); ++a) {
      const float v = prices.votes[static_cast<std::size_t>(a)];
      if (!plan.fits(ctx.manager_of(a), a)) continue;
      if (v > most || (v == most && prices.adjusted(a) < best)) {
        most = v;
        best = prices.adjusted(a);
        chosen = a;
      }
    }
    plan.join(c, chosen);
  }
}

}  // namespace cartera::detail::lagrangian
