#include "assignment/lagrangian/dual.hpp"

#include <algorithm>
#include <cmath>

#include "detail/parallel.hpp"

namespace cartera::detail::lagrangian {

dual_prices::dual_prices(context& ctx)
    : load_price(ctx.m, 0),
      time_price(ctx.m, 0),
      ctx_(ctx),
      option_cost_(ctx.n, 0),
      count_(ctx.m, 0),
      minutes_(ctx.m, 0) {
  if (!ctx.small) votes.assign(ctx.p.manager.size(), 0);
}

double dual_prices::manager_term(std::size_t j, std::int64_t& at) const {
  const std::int64_t cap = ctx_.capacity[j];
  std::int64_t points[4] = {0, cap, cap, cap};
  if (!ctx_.p.band.low.empty()) {
    points[1] = std::min(ctx_.p.band.low[j], cap);
    points[2] = std::min(ctx_.p.band.high[j], cap);
  }
  double best = infinite;
  for (const std::int64_t load : points) {
    const double value = ctx_.band(j, load) - load_price[j] * static_cast<double>(load);
    if (value < best) {
      best = value;
      at = load;
    }
  }
  return best;
}

double dual_prices::evaluate() {
  const std::size_t n = ctx_.n, m = ctx_.m;
  // Customers in a fixed number of blocks, each block's loads summed apart and the blocks
  // merged in order: the same sums whatever the number of threads.
  const auto blocks = static_cast<std::size_t>(std::clamp<std::int64_t>(static_cast<std::int64_t>(n) / 16'384, 1, 64));
  block_count_.assign(blocks * m, 0);
  block_minutes_.assign(blocks * m, 0.0);
  parallel_for(
      static_cast<std::int64_t>(blocks), {},
      [&](std::int64_t first_block, std::int64_t end_block) {
        for (auto b = static_cast<std::size_t>(first_block); b < static_cast<std::size_t>(end_block); ++b) {
          std::int64_t* count = block_count_.data() + b * m;
          double* minutes = block_minutes_.data() + b * m;
          for (std::size_t c = n * b / blocks; c < n * (b + 1) / blocks; ++c) {
            double best = ctx_.p.leave_out[c];
            std::int64_t chosen = left;
            for (std::int64_t a = ctx_.first(c); a < ctx_.last(c); ++a) {
              const double v = adjusted(a);
              if (v < best) {
                best = v;
                chosen = a;
              }
            }
            option_cost_[c] = best;
            if (chosen == left) continue;
            const std::size_t j = ctx_.manager_of(chosen);
            ++count[j];
            minutes[j] += ctx_.work(chosen);
            if (!ctx_.small) votes[static_cast<std::size_t>(chosen)] += vote_weight_;
          }
        }
      },
      /*min_per_thread=*/1);
  std::fill(count_.begin(), count_.end(), 0);
  std::fill(minutes_.begin(), minutes_.end(), 0.0);
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t j = 0; j < m; ++j) {
      count_[j] += block_count_[b * m + j];
      minutes_[j] += block_minutes_[b * m + j];
    }
  }
  double value = 0;
  for (const double cost : option_cost_) value += cost;
  target_load_.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    value += manager_term(j, target_load_[j]);
    if (!std::isinf(ctx_.budget[j])) value -= time_price[j] * ctx_.budget[j];
  }
  return value;
}

bool dual_prices::step(double theta, double value, double best_objective) {
  double norm = 0;
  for (std::size_t j = 0; j < ctx_.m; ++j) {
    const double g = static_cast<double>(count_[j] - target_load_[j]);
    norm += g * g;
    if (!std::isinf(ctx_.budget[j])) {
      const double h = minutes_[j] - ctx_.budget[j];
      if (h > 0 || time_price[j] > 0) norm += h * h;
    }
  }
  if (norm == 0) return false;
  // Polyak's rule aims at the best objective; the target is held within 10 % above the
  // bound, since the first plans can be far above it (a greedy by true costs on tight time
  // budgets leaves customers out at prices above any plan), and a step aimed that far
  // overshoots every time.
  const double ceiling = std::isinf(bound) ? best_objective : bound + 0.1 * std::max(1.0, std::abs(bound));
  const double target = std::min(best_objective, ceiling);
  const double length = theta * std::max(target - value, 1e-6 * std::max(1.0, std::abs(value))) / norm;
  for (std::size_t j = 0; j < ctx_.m; ++j) {
    load_price[j] += length * static_cast<double>(count_[j] - target_load_[j]);
    if (!std::isinf(ctx_.budget[j]))
      time_price[j] = std::max(0.0, time_price[j] + length * (minutes_[j] - ctx_.budget[j]));
  }
  return true;
}

// Primal recovery: how often each arc was the relaxation's choice over the last steps
// approximates the linear relaxation's solution (an ergodic average of subgradient
// iterates). evaluate() casts the votes; rather than decaying every vote by 0.95 a step,
// each step's votes weigh 1/0.95 more than the last, rescaled now and then.
void dual_prices::next_ballot() {
  vote_weight_ /= 0.95f;
  if (vote_weight_ < 1e30f) return;
  for (float& v : votes) v /= vote_weight_;
  vote_weight_ = 1;
}

}  // namespace cartera::detail::lagrangian
