#include "assignment/lagrangian/primal.hpp"

#include <algorithm>

namespace cartera::detail::lagrangian {

primal_state::primal_state(const context& ctx)
    : arc(ctx.n, left),
      load(ctx.m, 0),
      time(ctx.m, 0),
      value(ctx.m, 0),
      members(ctx.m),
      facts(ctx.m),
      ctx_(ctx),
      position_(ctx.n, 0) {}

void primal_state::clear() {
  std::fill(load.begin(), load.end(), 0);
  std::fill(time.begin(), time.end(), 0.0);
  std::fill(value.begin(), value.end(), 0.0);
  for (auto& list : members) list.clear();
  for (auto& list : facts) list.clear();
  std::fill(arc.begin(), arc.end(), left);
  out_.assign((ctx_.n + 63) / 64, ~std::uint64_t{0});
}

void primal_state::restore(const std::vector<std::int64_t>& arcs) {
  clear();
  for (std::size_t c = 0; c < ctx_.n; ++c) join(c, arcs[c]);
}

double primal_state::objective() const {
  double total = 0;
  for (std::size_t c = 0; c < ctx_.n; ++c) total += ctx_.cost(c, arc[c]);
  for (std::size_t j = 0; j < ctx_.m; ++j) {
    total += ctx_.band(j, load[j]);
    if (ctx_.valued) total += value_penalty(ctx_.p.value_balance, static_cast<index_t>(j), value[j]);
    if (!ctx_.p.fixed_cost.empty() && load[j] > 0) total += ctx_.p.fixed_cost[j];
  }
  return total;
}

double primal_state::manager_delta(std::size_t j, std::int64_t joining, double worth) const {
  if (!ctx_.manager_terms) return 0;
  double change = ctx_.band(j, load[j] + joining) - ctx_.band(j, load[j]);
  if (ctx_.valued) {
    const auto k = static_cast<index_t>(j);
    change +=
        value_penalty(ctx_.p.value_balance, k, value[j] + worth) - value_penalty(ctx_.p.value_balance, k, value[j]);
  }
  if (!ctx_.p.fixed_cost.empty()) {
    change += ctx_.p.fixed_cost[j] * (static_cast<double>(load[j] + joining > 0) - static_cast<double>(load[j] > 0));
  }
  return change;
}

bool primal_state::at_cheapest(std::size_t c) const {
  const double here = ctx_.cost(c, arc[c]);
  if (ctx_.p.leave_out[c] < here) return false;
  for (std::int64_t a = ctx_.first(c); a < ctx_.last(c); ++a) {
    if (ctx_.cost(c, a) < here) return false;
  }
  return true;
}

void primal_state::remember_best() {
  const double now = objective();
  if (best_arc.empty() || now < best_objective - tolerance) {
    best_objective = now;
    best_arc = arc;
  }
}

}  // namespace cartera::detail::lagrangian
