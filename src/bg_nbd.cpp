#include "cartera/bg_nbd.hpp"

#include <LBFGS.h>

#include <algorithm>
#include <array>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "detail/checks.hpp"
#include "detail/parallel.hpp"

namespace cartera {

namespace {

constexpr std::int64_t blocks = 64;  // sums are added block by block, in order: one result whatever the threads

double log_add_exp(double x, double y) {
  const double high = std::max(x, y);
  return high + std::log1p(std::exp(std::min(x, y) - high));
}

void check_params(const bg_nbd_params& p) {
  const std::array<std::pair<const char*, double>, 4> values = {
      {{"r", p.r}, {"alpha", p.alpha}, {"a", p.a}, {"b", p.b}}};
  for (const auto& [name, value] : values) {
    if (!(std::isfinite(value) && value > 0)) {
      throw invalid_input({"bg_nbd_params", name, -1, detail::format_number(value)}, "must be positive and finite");
    }
  }
}

// The terms of the log-likelihood that depend on the frequency alone, once per distinct
// frequency: A1 = lnΓ(r+x) − lnΓ(r), A2 = ln B(a, b+x) − ln B(a, b), and ln a − ln(b+x−1);
// with their derivatives in r, a and b.
struct frequency_terms {
  double a1, a2, log_ratio;
  double a1_r, a2_a, a2_b, ratio_a, ratio_b;
};

frequency_terms terms_of(double x, const bg_nbd_params& p) {
  using boost::math::digamma;
  frequency_terms t{};
  t.a1 = std::lgamma(p.r + x) - std::lgamma(p.r);
  t.a2 = std::lgamma(p.a + p.b) + std::lgamma(p.b + x) - std::lgamma(p.b) - std::lgamma(p.a + p.b + x);
  t.a1_r = digamma(p.r + x) - digamma(p.r);
  t.a2_a = digamma(p.a + p.b) - digamma(p.a + p.b + x);
  t.a2_b = digamma(p.a + p.b) + digamma(p.b + x) - digamma(p.b) - digamma(p.a + p.b + x);
  if (x > 0) {
    t.log_ratio = std::log(p.a) - std::log(p.b + x - 1);
    t.ratio_a = 1 / p.a;
    t.ratio_b = -1 / (p.b + x - 1);
  }
  return t;
}

// The history's distinct frequencies, and each customer's among them.
struct frequency_groups {
  std::vector<double> values;
  std::vector<double> counts;
  std::vector<std::int32_t> of_customer;
};

frequency_groups group_frequencies(const repeat_history& h) {
  std::map<double, std::int32_t> seen;
  for (const double x : h.frequency) seen.emplace(x, 0);
  frequency_groups g;
  for (auto& [x, k] : seen) {
    k = static_cast<std::int32_t>(g.values.size());
    g.values.push_back(x);
  }
  g.counts.assign(g.values.size(), 0.0);
  g.of_customer.resize(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) {
    const std::int32_t k = seen.find(h.frequency[i])->second;
    g.of_customer[i] = k;
    g.counts[static_cast<std::size_t>(k)] += 1;
  }
  return g;
}

// The log-likelihood and its gradient in (r, alpha, a, b).
struct likelihood {
  double value = 0;
  std::array<double, 4> gradient{};
};

likelihood evaluate(const bg_nbd_params& p, const repeat_history& h, const frequency_groups& g, const execution& run) {
  std::vector<frequency_terms> terms(g.values.size());
  for (std::size_t k = 0; k < g.values.size(); ++k) terms[k] = terms_of(g.values[k], p);
  std::vector<likelihood> partial(static_cast<std::size_t>(blocks));
  const auto n = static_cast<std::int64_t>(h.size());
  const double log_alpha = std::log(p.alpha);
  detail::parallel_for(
      blocks, run,
      [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t block = first; block < last; ++block) {
          likelihood& sum = partial[static_cast<std::size_t>(block)];
          for (std::int64_t i = n * block / blocks; i < n * (block + 1) / blocks; ++i) {
            const auto c = static_cast<std::size_t>(i);
            const double x = h.frequency[c];
            const frequency_terms& t = terms[static_cast<std::size_t>(g.of_customer[c])];
            const double log_age = std::log(p.alpha + h.age[c]);
            const double a3 = -(p.r + x) * log_age;
            double w4 = 0, log_recency = 0, tail = a3;
            if (x > 0) {
              log_recency = std::log(p.alpha + h.recency[c]);
              const double a4 = t.log_ratio - (p.r + x) * log_recency;
              tail = log_add_exp(a3, a4);
              w4 = std::exp(a4 - tail);
            }
            const double w3 = 1 - w4;
            sum.value += tail;
            sum.gradient[0] += -w3 * log_age - w4 * log_recency;
            sum.gradient[1] += -(p.r + x) * (w3 / (p.alpha + h.age[c]) + w4 / (p.alpha + h.recency[c]));
            sum.gradient[2] += w4 * t.ratio_a;
            sum.gradient[3] += w4 * t.ratio_b;
          }
        }
      },
      1);
  likelihood total;
  for (const likelihood& part : partial) {
    total.value += part.value;
    for (int j = 0; j < 4; ++j)
      total.gradient[static_cast<std::size_t>(j)] += part.gradient[static_cast<std::size_t>(j)];
  }
  // The terms of the frequency alone, and r ln α, once per distinct frequency.
  for (std::size_t k = 0; k < g.values.size(); ++k) {
    const double count = g.counts[k];
    total.value += count * (terms[k].a1 + terms[k].a2 + p.r * log_alpha);
    total.gradient[0] += count * (terms[k].a1_r + log_alpha);
    total.gradient[1] += count * p.r / p.alpha;
    total.gradient[2] += count * terms[k].a2_a;
    total.gradient[3] += count * terms[k].a2_b;
  }
  return total;
}

// Gauss's hypergeometric 2F1(a, b; c; z) for 0 ≤ z < 1, by its series.
double hypergeometric_2f1(double a, double b, double c, double z) {
  double term = 1, sum = 1;
  for (int k = 0; k < 1'000'000 && std::abs(term) > 1e-16 * std::abs(sum); ++k) {
    term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
    sum += term;
  }
  return sum;
}

// E[purchases in t | x, t_x, T]. The paper's ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; z)
// is taken through Euler's transformation as (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z):
// the same number, without terms that grow like e^(xz) for a customer of many purchases.
double expected_purchases(const bg_nbd_params& p, double x, double t_x, double t_age, double t) {
  const double z = t / (p.alpha + t_age + t);
  const double f = hypergeometric_2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1, z);
  const double numerator = (p.a + p.b + x - 1) / (p.a - 1) * (1 - std::pow(1 - z, p.a - 1) * f);
  double denominator = 1;
  if (x > 0) {
    denominator += std::exp(std::log(p.a) - std::log(p.b + x - 1) +
                            (p.r + x) * (std::log(p.alpha + t_age) - std::log(p.alpha + t_x)));
  }
  return numerator / denominator;
}

bg_nbd_params from_logs(const Eigen::VectorXd& theta) {
  return {std::exp(theta[0]), std::exp(theta[1]), std::exp(theta[2]), std::exp(theta[3])};
}

}  // namespace

void repeat_history::check(std::string_view table) const {
  const std::string where(table);
  if (recency.size() != size() || age.size() != size()) {
    throw invalid_input({where, recency.size() != size() ? "recency" : "T", -1,
                         std::to_string(recency.size() != size() ? recency.size() : age.size())},
                        "a column of another length than frequency (" + std::to_string(size()) + " rows)");
  }
  for (std::size_t i = 0; i < size(); ++i) {
    const auto row = static_cast<std::int64_t>(i);
    const auto fail = [&](const char* column, double value, const std::string& what) {
      throw invalid_input({where, column, row, detail::format_number(value)}, what);
    };
    const double x = frequency[i], t_x = recency[i], t = age[i];
    if (!(std::isfinite(x) && x >= 0)) fail("frequency", x, "must be a finite number, 0 or more");
    if (x != std::floor(x)) fail("frequency", x, "must be a whole number of repeat purchases");
    if (!(std::isfinite(t_x) && t_x >= 0)) fail("recency", t_x, "must be a finite number, 0 or more");
    if (!(std::isfinite(t) && t >= 0)) fail("T", t, "must be a finite number, 0 or more");
    if (t_x > t) fail("recency", t_x, "is past T (" + detail::format_number(t) + ")");
    if (x == 0 && t_x != 0) fail("recency", t_x, "must be 0 without repeat purchases");
  }
}

double bg_nbd_log_likelihood(const bg_nbd_params& params, const repeat_history& history, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  return evaluate(params, history, group_frequencies(history), run).value;
}

bg_nbd_fit fit_bg_nbd(const repeat_history& history, const model_fit_options& options) {
  history.check("repeat_history");
  if (history.size() == 0) throw invalid_input({"repeat_history", "", -1, ""}, "no customer to fit the model on");
  if (!(std::isfinite(options.penalizer) && options.penalizer >= 0)) {
    throw invalid_input({"model_fit_options", "penalizer", -1, detail::format_number(options.penalizer)},
                        "must be 0 or more");
  }
  // As lifetimes does, time is scaled so that the longest age is 10: α moves with the time
  // unit, and the fit is better conditioned on a scale near 1.
  const double longest = *std::max_element(history.age.begin(), history.age.end());
  const double scale = longest > 0 ? 10 / longest : 1.0;
  std::vector<double> recency(history.size()), age(history.size());
  for (std::size_t i = 0; i < history.size(); ++i) {
    recency[i] = history.recency[i] * scale;
    age[i] = history.age[i] * scale;
  }
  const repeat_history scaled{history.frequency, recency, age};
  const frequency_groups groups = group_frequencies(scaled);
  const auto n = static_cast<double>(history.size());

  // The mean negative log-likelihood (plus the penalty) in the log of the parameters, so
  // that the search is unconstrained; the best point seen is kept, in case the line
  // search gives up close to the optimum.
  double best = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_theta = Eigen::VectorXd::Zero(4);
  int evaluations = 0;
  const auto objective = [&](const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) {
    ++evaluations;
    const bg_nbd_params p = from_logs(theta);
    const likelihood l = evaluate(p, scaled, groups, options.run);
    const std::array<double, 4> value = {p.r, p.alpha, p.a, p.b};
    double penalty = 0;
    for (int j = 0; j < 4; ++j) {
      const double v = value[static_cast<std::size_t>(j)];
      penalty += v * v;
      gradient[j] = -l.gradient[static_cast<std::size_t>(j)] * v / n + 2 * options.penalizer * v * v;
    }
    const double f = -l.value / n + options.penalizer * penalty;
    if (!std::isfinite(f)) {
      gradient.setZero();
      return std::numeric_limits<double>::infinity();
    }
    if (f < best) {
      best = f;
      best_theta = theta;
    }
    return f;
  };
  LBFGSpp::LBFGSParam<double> param;
  param.epsilon = options.tolerance;
  param.epsilon_rel = 0;
  param.max_iterations = options.max_iterations;
  param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
  LBFGSpp::LBFGSSolver<double, LBFGSpp::LineSearchNocedalWright> solver(param);
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(4);  // every parameter 1
  double f = 0;
  bg_nbd_fit fit;
  try {
    fit.converged = solver.minimize(objective, theta, f) < options.max_iterations;
  } catch (const std::exception&) {
    // The line search could not improve any more, which happens at the optimum when the
    // tolerance is below what doubles can resolve: converged when the gradient is short.
    Eigen::VectorXd gradient(4);
    (void)objective(best_theta, gradient);
    fit.converged = gradient.norm() < std::sqrt(options.tolerance);
  }
  fit.evaluations = evaluations;
  fit.params = from_logs(best_theta);
  fit.params.alpha /= scale;
  fit.log_likelihood = evaluate(fit.params, history, groups, options.run).value;  // the same frequencies
  return fit;
}

real_column bg_nbd_p_alive(const bg_nbd_params& params, const repeat_history& history, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      const double x = history.frequency[c];
      if (x == 0) {
        out[i] = 1;
        continue;
      }
      // 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), the power taken in logs.
      const double log_odds =
          std::log(params.a) - std::log(params.b + x - 1) +
          (params.r + x) * (std::log(params.alpha + history.age[c]) - std::log(params.alpha + history.recency[c]));
      out[i] = 1 / (1 + std::exp(log_odds));
    }
  });
  return out;
}

real_column bg_nbd_expected_purchases(const bg_nbd_params& params, const repeat_history& history, double horizon,
                                      const execution& run) {
  check_params(params);
  history.check("repeat_history");
  if (!(std::isfinite(horizon) && horizon >= 0)) {
    throw invalid_input({"bg_nbd_expected_purchases", "horizon", -1, detail::format_number(horizon)},
                        "must be a finite time, 0 or more");
  }
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      const double x = history.frequency[c], t_x = history.recency[c], t = history.age[c];
      if (std::abs(params.a - 1) > 1e-6) {
        out[i] = expected_purchases(params, x, t_x, t, horizon);
      } else {  // a = 1 is a removable singularity: the mean of both sides
        bg_nbd_params below = params, above = params;
        below.a = 1 - 1e-6;
        above.a = 1 + 1e-6;
        out[i] = (expected_purchases(below, x, t_x, t, horizon) + expected_purchases(above, x, t_x, t, horizon)) / 2;
      }
    }
  });
  return out;
}

}  // namespace cartera
