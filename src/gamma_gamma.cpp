#include "cartera/gamma_gamma.hpp"

#include <algorithm>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "detail/checks.hpp"
#include "detail/maximum_likelihood.hpp"
#include "detail/parallel.hpp"

namespace cartera {

namespace {

void check_params(const gamma_gamma_params& p) {
  const std::array<std::pair<const char*, double>, 3> values = {{{"p", p.p}, {"q", p.q}, {"gamma", p.gamma}}};
  for (const auto& [name, value] : values) {
    if (!(std::isfinite(value) && value > 0)) {
      throw invalid_input({"gamma_gamma_params", name, -1, detail::format_number(value)},
                          "must be positive and finite");
    }
  }
}

// The customers the model learns from: repeat purchases and a positive mean spend. What
// does not change while fitting is computed once: ln m, and the
// distinct frequencies, for the terms of x alone.
struct repeat_spenders {
  std::vector<double> frequency, monetary, log_monetary, weight;
  std::vector<std::int32_t> group;  ///< the customer's frequency, as an index into frequencies
  std::vector<double> frequencies, group_count;

  [[nodiscard]] double customers() const { return std::accumulate(weight.begin(), weight.end(), 0.0); }
};

repeat_spenders spenders(const spend_history& h, double scale) {
  repeat_spenders s;
  // Each distinct (x, m) once with its customers, in their order: the sums then run the
  // same for any order of the customers and for their spends counted elsewhere (a book in
  // partitions), so the fit is the same to the last bit.
  std::map<std::pair<double, double>, double> counted;
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (h.frequency[i] > 0 && h.monetary[i] > 0) counted[{h.frequency[i], h.monetary[i]}] += h.weight_of(i);
  }
  std::map<double, std::int32_t> groups;
  for (const auto& [spend, weight] : counted) {
    s.frequency.push_back(spend.first);
    s.monetary.push_back(spend.second * scale);
    s.log_monetary.push_back(std::log(s.monetary.back()));
    s.weight.push_back(weight);
    groups.emplace(spend.first, 0);
  }
  for (auto& [x, k] : groups) {
    k = static_cast<std::int32_t>(s.frequencies.size());
    s.frequencies.push_back(x);
  }
  s.group_count.assign(s.frequencies.size(), 0.0);
  for (std::size_t i = 0; i < s.frequency.size(); ++i) {
    s.group.push_back(groups.find(s.frequency[i])->second);
    s.group_count[static_cast<std::size_t>(s.group.back())] += s.weight[i];
  }
  return s;
}

// The log-likelihood of the customers' mean spends (the mean of x Gamma(p, ν) values is
// Gamma(px, xν)), with its gradient in (p, q, γ):
// lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(xm+γ).
double log_likelihood(const gamma_gamma_params& p, const repeat_spenders& s, std::array<double, 3>& gradient) {
  using boost::math::digamma;
  gradient = {};
  double total = 0;
  const double log_gamma = std::log(p.gamma);
  // The terms of x alone, once per distinct frequency.
  for (std::size_t k = 0; k < s.frequencies.size(); ++k) {
    const double x = s.frequencies[k], px = p.p * x, count = s.group_count[k];
    const double digamma_sum = digamma(px + p.q);
    total += count * (std::lgamma(px + p.q) - std::lgamma(px) - std::lgamma(p.q) + p.q * log_gamma + px * std::log(x));
    gradient[0] += count * x * (digamma_sum - digamma(px) + std::log(x));
    gradient[1] += count * (digamma_sum - digamma(p.q) + log_gamma);
    gradient[2] += count * p.q / p.gamma;
  }
  for (std::size_t i = 0; i < s.frequency.size(); ++i) {
    const double x = s.frequency[i], px = p.p * x, total_spend = x * s.monetary[i] + p.gamma, w = s.weight[i];
    const double log_total = std::log(total_spend);
    total += w * ((px - 1) * s.log_monetary[i] - (px + p.q) * log_total);
    gradient[0] += w * x * (s.log_monetary[i] - log_total);
    gradient[1] -= w * log_total;
    gradient[2] -= w * (px + p.q) / total_spend;
  }
  return total;
}

}  // namespace

void spend_history::check(std::string_view table) const {
  const std::string where(table);
  if (monetary.size() != size()) {
    throw invalid_input({where, "monetary_value", -1, std::to_string(monetary.size())},
                        "a column of another length than frequency (" + std::to_string(size()) + " rows)");
  }
  for (std::size_t i = 0; i < size(); ++i) {
    const auto fail = [&](const char* column, double value, const std::string& what) {
      throw invalid_input({where, column, static_cast<std::int64_t>(i), detail::format_number(value)}, what);
    };
    const double x = frequency[i], m = monetary[i];
    if (!(std::isfinite(x) && x >= 0)) fail("frequency", x, "must be a finite number, 0 or more");
    if (x != std::floor(x)) fail("frequency", x, "must be a whole number of repeat purchases");
    if (!(std::isfinite(m) && m >= 0)) fail("monetary_value", m, "must be a finite amount, 0 or more");
    if (x == 0 && m != 0) fail("monetary_value", m, "must be 0 without repeat purchases");
  }
  detail::check_weights(where, weight, size());
}

double gamma_gamma_log_likelihood(const gamma_gamma_params& params, const spend_history& history) {
  check_params(params);
  history.check("repeat_history");
  std::array<double, 3> gradient{};
  return log_likelihood(params, spenders(history, 1.0), gradient);
}

gamma_gamma_fit fit_gamma_gamma(const spend_history& history, const model_fit_options& options) {
  history.check("repeat_history");
  if (!(std::isfinite(options.penalizer) && options.penalizer >= 0)) {
    throw invalid_input({"model_fit_options", "penalizer", -1, detail::format_number(options.penalizer)},
                        "must be 0 or more");
  }
  // Spend is scaled to a mean of 1 while fitting, as time is for BG/NBD: γ is in the
  // currency, and the search is better conditioned near 1.
  const repeat_spenders unscaled = spenders(history, 1.0);
  if (unscaled.frequency.empty()) {
    throw invalid_input({"repeat_history", "frequency", -1, ""},
                        "no customer with repeat purchases and a positive spend to fit the model on");
  }
  double mean = 0;
  for (std::size_t i = 0; i < unscaled.monetary.size(); ++i) mean += unscaled.weight[i] * unscaled.monetary[i];
  mean /= unscaled.customers();
  const repeat_spenders scaled = spenders(history, 1 / mean);
  const double n = scaled.customers();
  const auto fitted = detail::fit_in_logs<3>(
      [&](const std::array<double, 3>& v, std::array<double, 3>& gradient) {
        return log_likelihood({v[0], v[1], v[2]}, scaled, gradient);
      },
      n, options);
  gamma_gamma_fit fit;
  fit.params = {fitted.params[0], fitted.params[1], fitted.params[2] * mean};
  fit.customers = n;
  fit.evaluations = fitted.evaluations;
  fit.converged = fitted.converged;
  std::array<double, 3> gradient{};
  fit.log_likelihood = log_likelihood(fit.params, unscaled, gradient);
  return fit;
}

real_column gamma_gamma_expected_spend(const gamma_gamma_params& params, const spend_history& history,
                                       const execution& run) {
  check_params(params);
  history.check("repeat_history");
  if (params.q <= 1) {
    throw invalid_input({"gamma_gamma_params", "q", -1, detail::format_number(params.q)},
                        "must be above 1 for the mean spend to exist");
  }
  const double population = params.p * params.gamma / (params.q - 1);
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const double x = history.frequency[static_cast<std::size_t>(i)];
      const double own = params.p * x / (params.p * x + params.q - 1);
      out[i] = (1 - own) * population + own * history.monetary[static_cast<std::size_t>(i)];
    }
  });
  return out;
}

}  // namespace cartera
