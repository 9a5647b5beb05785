#include "cartera/pareto_nbd.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <vector>

#include "detail/checks.hpp"
#include "detail/distinct_histories.hpp"
#include "detail/maximum_likelihood.hpp"
#include "detail/parallel.hpp"

namespace cartera {
namespace {

constexpr std::int64_t blocks = 64;  // sums are added block by block, in order: one result whatever the threads

void check_params(const pareto_nbd_params& p) {
  const std::array<std::pair<const char*, double>, 4> values = {
      {{"r", p.r}, {"alpha", p.alpha}, {"s", p.s}, {"beta", p.beta}}};
  for (const auto& [name, value] : values) {
    if (!(std::isfinite(value) && value > 0)) {
      throw invalid_input({"pareto_nbd_params", name, -1, detail::format_number(value)}, "must be positive and finite");
    }
  }
}

// The integrals over the dropout time, after the change of variable of the header, taken in
// v = −ln y ∈ [0, (r+s+x) ln((m+T)/(m+t_x))], where dy = −e^−v dv: of the bounded ratio g
// (scaled to 1 at τ = t_x) times e^−v, and of that times ln((α+τ)/(α+t_x)), 1/(α+τ),
// ln((β+τ)/(β+t_x)), 1/(β+τ). Past v = 40 the rest is below e^−40 of the whole and is left
// out; in v every integrand is smooth (in y it has a logarithmic end at y → 0 when T is far
// from t_x) and positive, so each is resolved to a relative precision.
using moments = std::array<double, 5>;
constexpr double last_v = 40;

struct dropout_integrand {
  double alpha_x, beta_x, top_x, low_x;  // α+t_x, β+t_x, max(α,β)+t_x, min(α,β)+t_x
  double exponent, total;                // e of the ratio; r+s+x

  [[nodiscard]] moments operator()(double v) const {
    const double d = top_x * std::expm1(v / total);  // τ − t_x
    const double g = std::exp(exponent * (std::log1p(d / top_x) - std::log1p(d / low_x)) - v);
    return {g, g * std::log1p(d / alpha_x), g / (alpha_x + d), g * std::log1p(d / beta_x), g / (beta_x + d)};
  }
};

moments panel(const dropout_integrand& f, double a, double b) {
  using rule = boost::math::quadrature::gauss<double, 20>;
  const double centre = (a + b) / 2, half = (b - a) / 2;
  moments sum{};
  for (std::size_t i = 0; i < rule::abscissa().size(); ++i) {
    const moments left = f(centre - half * rule::abscissa()[i]), right = f(centre + half * rule::abscissa()[i]);
    for (std::size_t j = 0; j < sum.size(); ++j) sum[j] += rule::weights()[i] * (left[j] + right[j]);
  }
  for (double& v : sum) v *= half;
  return sum;
}

// Adaptive bisection: a panel is kept when its two halves agree with it to 1e-13 in every
// moment (or are not numbers: parameters out of range give a likelihood that is not either).
void integrate(const dropout_integrand& f, double a, double b, const moments& whole, int depth, moments& out) {
  const double middle = (a + b) / 2;
  const moments left = panel(f, a, middle), right = panel(f, middle, b);
  bool close = true;
  for (std::size_t j = 0; j < whole.size(); ++j) {
    const double halves = left[j] + right[j];
    close = close && !(std::abs(whole[j] - halves) > 1e-13 * std::abs(halves) + 1e-300);
  }
  if (close || depth == 0) {
    for (std::size_t j = 0; j < out.size(); ++j) out[j] += left[j] + right[j];
    return;
  }
  integrate(f, a, middle, left, depth - 1, out);
  integrate(f, middle, b, right, depth - 1, out);
}

// One history's log-likelihood, its gradient in (r, α, s, β), and P(alive): the share of the
// likelihood in which the customer is still alive at T.
struct history_terms {
  double value = 0;
  std::array<double, 4> gradient{};
  double alive = 1;
};

history_terms terms_of(const pareto_nbd_params& p, double x, double t_x, double t) {
  using boost::math::digamma;
  const double rho = p.r + x, total = rho + p.s;
  history_terms out;
  const double log_c = std::lgamma(rho) - std::lgamma(p.r) + p.r * std::log(p.alpha) + p.s * std::log(p.beta);
  const std::array<double, 4> d_log_c = {digamma(rho) - digamma(p.r) + std::log(p.alpha), p.r / p.alpha,
                                         std::log(p.beta), p.s / p.beta};
  const double log_alive = -rho * std::log(p.alpha + t) - p.s * std::log(p.beta + t);
  const std::array<double, 4> d_log_alive = {-std::log(p.alpha + t), -rho / (p.alpha + t), -std::log(p.beta + t),
                                             -p.s / (p.beta + t)};
  double tail = log_alive, share_dead = 0;
  std::array<double, 4> d_log_dead{};
  if (t > t_x) {
    const bool beta_above = p.alpha < p.beta;
    const dropout_integrand f{p.alpha + t_x,
                              p.beta + t_x,
                              std::max(p.alpha, p.beta) + t_x,
                              std::min(p.alpha, p.beta) + t_x,
                              beta_above ? rho : p.s + 1,
                              total};
    const double log_top = std::log(f.top_x);
    const double end = std::min(last_v, total * (std::log(std::max(p.alpha, p.beta) + t) - log_top));
    moments m{};
    integrate(f, 0.0, end, panel(f, 0.0, end), 20, m);
    // ln(s·I): I = (m+t_x)^−(r+s+x) / (r+s+x) · g_max · ∫ g dy.
    const double log_g_max = f.exponent * (log_top - std::log(f.low_x));
    const double log_dead = std::log(p.s) - total * log_top - std::log(total) + log_g_max + std::log(m[0]);
    d_log_dead = {-(std::log(f.alpha_x) + m[1] / m[0]), -rho * m[2] / m[0],
                  1 / p.s - (std::log(f.beta_x) + m[3] / m[0]), -(p.s + 1) * m[4] / m[0]};
    // tail = ln(e^alive + e^dead), and the dead share from one exponential.
    const double ratio = std::exp(-std::abs(log_dead - log_alive));
    tail = std::max(log_alive, log_dead) + std::log1p(ratio);
    share_dead = (log_dead >= log_alive ? 1.0 : ratio) / (1 + ratio);
  }
  out.alive = 1 - share_dead;
  out.value = log_c + tail;
  for (std::size_t j = 0; j < 4; ++j)
    out.gradient[j] = d_log_c[j] + out.alive * d_log_alive[j] + share_dead * d_log_dead[j];
  return out;
}

struct likelihood {
  double value = 0;
  std::array<double, 4> gradient{};
};

likelihood evaluate(const pareto_nbd_params& p, const detail::distinct_histories& h, const execution& run) {
  std::vector<likelihood> partial(static_cast<std::size_t>(blocks));
  const auto n = static_cast<std::int64_t>(h.frequency.size());
  detail::parallel_for(
      blocks, run,
      [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t block = first; block < last; ++block) {
          likelihood& sum = partial[static_cast<std::size_t>(block)];
          for (std::int64_t i = n * block / blocks; i < n * (block + 1) / blocks; ++i) {
            const auto c = static_cast<std::size_t>(i);
            const history_terms t = terms_of(p, h.frequency[c], h.recency[c], h.age[c]);
            sum.value += h.weight[c] * t.value;
            for (std::size_t j = 0; j < 4; ++j) sum.gradient[j] += h.weight[c] * t.gradient[j];
          }
        }
      },
      1);
  likelihood total;
  for (const likelihood& part : partial) {
    total.value += part.value;
    for (std::size_t j = 0; j < 4; ++j) total.gradient[j] += part.gradient[j];
  }
  return total;
}

}  // namespace

double pareto_nbd_log_likelihood(const pareto_nbd_params& params, const repeat_history& history, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  return evaluate(params, detail::distinct(history, 1.0), run).value;
}

pareto_nbd_fit fit_pareto_nbd(const repeat_history& history, const model_fit_options& options) {
  const detail::histories_to_fit scaled = detail::prepared_for_fit(history, options);
  const auto fitted = detail::fit_in_logs<4>(
      [&](const std::array<double, 4>& v, std::array<double, 4>& gradient) {
        const likelihood l = evaluate({v[0], v[1], v[2], v[3]}, scaled.histories, options.run);
        gradient = l.gradient;
        return l.value;
      },
      history.customers(), options);
  pareto_nbd_fit fit;
  fit.evaluations = fitted.evaluations;
  fit.converged = fitted.converged;
  fit.params = {fitted.params[0], fitted.params[1], fitted.params[2], fitted.params[3]};
  fit.log_likelihood = evaluate(fit.params, scaled.histories, options.run).value + scaled.log_likelihood_shift;
  fit.params.alpha /= scaled.scale;
  fit.params.beta /= scaled.scale;
  return fit;
}

real_column pareto_nbd_p_alive(const pareto_nbd_params& params, const repeat_history& history, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      out[i] = terms_of(params, history.frequency[c], history.recency[c], history.age[c]).alive;
    }
  });
  return out;
}

real_column pareto_nbd_expected_purchases(const pareto_nbd_params& params, const repeat_history& history,
                                          double horizon, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  if (!(std::isfinite(horizon) && horizon >= 0)) {
    throw invalid_input({"pareto_nbd_expected_purchases", "horizon", -1, detail::format_number(horizon)},
                        "must be a finite number, 0 or more");
  }
  const double q = params.s - 1;
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      const double x = history.frequency[c], t = history.age[c];
      // (1 − ((β+T)/(β+T+h))^(s−1)) / (s−1), and its limit ln(1 + h/(β+T)) at s = 1.
      const double log_growth = std::log1p(horizon / (params.beta + t));
      const double span = std::abs(q) < 1e-10 ? log_growth : -std::expm1(-q * log_growth) / q;
      const double alive = terms_of(params, x, history.recency[c], t).alive;
      out[i] = (params.r + x) * (params.beta + t) / (params.alpha + t) * span * alive;
    }
  });
  return out;
}

}  // namespace cartera
