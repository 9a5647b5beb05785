#include "cartera/pareto_nbd.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <string>
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
  bool alpha_on_top;                     // α ≥ β

  // Three transcendentals a point: ln((m+τ)/(m+t_x)) is v/(r+s+x) by the change of variable.
  [[nodiscard]] moments operator()(double v) const {
    const double log_top = v / total;
    const double d = top_x * std::expm1(log_top);  // τ − t_x
    const double log_low = std::log1p(d / low_x);
    const double g = std::exp(exponent * (log_top - log_low) - v);
    const double log_alpha = alpha_on_top ? log_top : log_low, log_beta = alpha_on_top ? log_low : log_top;
    return {g, g * log_alpha, g / (alpha_x + d), g * log_beta, g / (beta_x + d)};
  }
};

// One panel by the 21-point Kronrod rule, and whether the 10-point Gauss rule its nodes
// contain agrees with it to 1e-10 in every moment (or either is not a number: parameters out
// of range give a likelihood that is not either). The difference bounds the error of the
// Gauss rule; the Kronrod rule's own is far smaller on a smooth integrand (of the order of
// that bound to the power 1.5), so a panel kept is resolved well below 1e-13. Most
// histories need one panel: 21 points, where halving 20-point Gauss panels until the halves
// agreed took 120 at least.
struct panel_sum {
  moments kronrod{};
  bool resolved = true;
};

panel_sum panel(const dropout_integrand& f, double a, double b) {
  using kronrod = boost::math::quadrature::gauss_kronrod<double, 21>;
  using gauss = boost::math::quadrature::gauss<double, 10>;
  const double centre = (a + b) / 2, half = (b - a) / 2;
  panel_sum out;
  moments gauss_sum{};
  const moments middle = f(centre);
  for (std::size_t j = 0; j < middle.size(); ++j) out.kronrod[j] = kronrod::weights()[0] * middle[j];
  // The Gauss nodes are the Kronrod nodes of odd index; the centre is not one.
  for (std::size_t i = 1; i < kronrod::abscissa().size(); ++i) {
    const moments left = f(centre - half * kronrod::abscissa()[i]), right = f(centre + half * kronrod::abscissa()[i]);
    for (std::size_t j = 0; j < middle.size(); ++j) {
      const double pair = left[j] + right[j];
      out.kronrod[j] += kronrod::weights()[i] * pair;
      if (i % 2 == 1) gauss_sum[j] += gauss::weights()[i / 2] * pair;
    }
  }
  for (std::size_t j = 0; j < middle.size(); ++j) {
    out.kronrod[j] *= half;
    out.resolved =
        out.resolved && !(std::abs(out.kronrod[j] - half * gauss_sum[j]) > 1e-10 * std::abs(out.kronrod[j]) + 1e-300);
  }
  return out;
}

// Adaptive bisection until every panel is resolved.
void integrate(const dropout_integrand& f, double a, double b, int depth, moments& out) {
  const panel_sum whole = panel(f, a, b);
  if (whole.resolved || depth == 0) {
    for (std::size_t j = 0; j < out.size(); ++j) out[j] += whole.kronrod[j];
    return;
  }
  const double middle = (a + b) / 2;
  integrate(f, a, middle, depth - 1, out);
  integrate(f, middle, b, depth - 1, out);
}

// One history's log-likelihood, its gradient in (r, α, s, β), and P(alive): the share of the
// likelihood in which the customer is still alive at T.
struct history_terms {
  double value = 0;
  std::array<double, 4> gradient{};
  double alive = 1;
};

// What every history's terms share, computed once for the parameters.
struct shared_terms {
  pareto_nbd_params p;
  double log_c = 0;  // ln(α^r β^s / Γ(r))
  double digamma_r = 0, log_alpha = 0, log_beta = 0;

  explicit shared_terms(const pareto_nbd_params& params)
      : p(params),
        log_c(params.r * std::log(params.alpha) + params.s * std::log(params.beta) - std::lgamma(params.r)),
        digamma_r(boost::math::digamma(params.r)),
        log_alpha(std::log(params.alpha)),
        log_beta(std::log(params.beta)) {}
};

history_terms terms_of(const shared_terms& shared, double x, double t_x, double t) {
  const pareto_nbd_params& p = shared.p;
  const double rho = p.r + x, total = rho + p.s;
  history_terms out;
  const double log_c = std::lgamma(rho) + shared.log_c;
  const std::array<double, 4> d_log_c = {boost::math::digamma(rho) - shared.digamma_r + shared.log_alpha, p.r / p.alpha,
                                         shared.log_beta, p.s / p.beta};
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
                              total,
                              !beta_above};
    const double log_top = std::log(f.top_x);
    const double end = std::min(last_v, total * (std::log(std::max(p.alpha, p.beta) + t) - log_top));
    moments m{};
    integrate(f, 0.0, end, 20, m);
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

// E[purchases in the next t | x, t_x, T] as a function of t: P(alive), the integral, is
// computed once for every horizon.
class expected_purchases_of {
 public:
  expected_purchases_of(const shared_terms& shared, double x, double t_x, double t)
      : beta_t_(shared.p.beta + t),
        q_(shared.p.s - 1),
        scale_((shared.p.r + x) * (shared.p.beta + t) / (shared.p.alpha + t) * terms_of(shared, x, t_x, t).alive) {}

  [[nodiscard]] double operator()(double horizon) const {
    // (1 − ((β+T)/(β+T+h))^(s−1)) / (s−1), and its limit ln(1 + h/(β+T)) at s = 1.
    const double log_growth = std::log1p(horizon / beta_t_);
    return scale_ * (std::abs(q_) < 1e-10 ? log_growth : -std::expm1(-q_ * log_growth) / q_);
  }

 private:
  double beta_t_, q_, scale_;
};

void check_time(const char* function, const char* name, double value) {
  if (!(std::isfinite(value) && value >= 0)) {
    throw invalid_input({function, name, -1, detail::format_number(value)}, "must be a finite number, 0 or more");
  }
}

struct likelihood {
  double value = 0;
  std::array<double, 4> gradient{};
};

likelihood evaluate(const pareto_nbd_params& p, const detail::distinct_histories& h, const execution& run) {
  const shared_terms shared(p);
  std::vector<likelihood> partial(static_cast<std::size_t>(blocks));
  const auto n = static_cast<std::int64_t>(h.frequency.size());
  detail::parallel_for(
      blocks, run,
      [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t block = first; block < last; ++block) {
          likelihood& sum = partial[static_cast<std::size_t>(block)];
          for (std::int64_t i = n * block / blocks; i < n * (block + 1) / blocks; ++i) {
            const auto c = static_cast<std::size_t>(i);
            const history_terms t = terms_of(shared, h.frequency[c], h.recency[c], h.age[c]);
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
  const shared_terms shared(params);
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      out[i] = terms_of(shared, history.frequency[c], history.recency[c], history.age[c]).alive;
    }
  });
  return out;
}

real_column pareto_nbd_expected_purchases(const pareto_nbd_params& params, const repeat_history& history,
                                          double horizon, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  check_time("pareto_nbd_expected_purchases", "horizon", horizon);
  const shared_terms shared(params);
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      out[i] = expected_purchases_of(shared, history.frequency[c], history.recency[c], history.age[c])(horizon);
    }
  });
  return out;
}

real_column pareto_nbd_discounted_purchases(const pareto_nbd_params& params, const repeat_history& history,
                                            double period, int periods, double discount_rate, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  check_time("pareto_nbd_discounted_purchases", "period", period);
  check_time("pareto_nbd_discounted_purchases", "discount_rate", discount_rate);
  if (periods < 0) {
    throw invalid_input({"pareto_nbd_discounted_purchases", "periods", -1, std::to_string(periods)},
                        "must be 0 or more");
  }
  const shared_terms shared(params);
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      const expected_purchases_of expected(shared, history.frequency[c], history.recency[c], history.age[c]);
      double total = 0, before = 0;
      for (int k = 1; k <= periods; ++k) {
        const double upto = expected(k * period);
        total += (upto - before) / std::pow(1 + discount_rate, k);
        before = upto;
      }
      out[i] = total;
    }
  });
  return out;
}

}  // namespace cartera
