#include "cartera/bg_nbd.hpp"

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "detail/checks.hpp"
#include "detail/distinct_histories.hpp"
#include "detail/hashing.hpp"
#include "detail/maximum_likelihood.hpp"
#include "detail/parallel.hpp"

namespace cartera {

namespace {

constexpr std::int64_t blocks = 64;  // sums are added block by block, in order: one result whatever the threads

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

// The log-likelihood and its gradient in (r, alpha, a, b).
struct likelihood {
  double value = 0;
  std::array<double, 4> gradient{};
};

likelihood evaluate(const bg_nbd_params& p, const detail::distinct_histories& h, const execution& run) {
  std::vector<frequency_terms> terms(h.frequencies.size());
  for (std::size_t k = 0; k < h.frequencies.size(); ++k) terms[k] = terms_of(h.frequencies[k], p);
  std::vector<likelihood> partial(static_cast<std::size_t>(blocks));
  const auto n = static_cast<std::int64_t>(h.frequency.size());
  const double log_alpha = std::log(p.alpha);
  detail::parallel_for(
      blocks, run,
      [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t block = first; block < last; ++block) {
          likelihood& sum = partial[static_cast<std::size_t>(block)];
          for (std::int64_t i = n * block / blocks; i < n * (block + 1) / blocks; ++i) {
            const auto c = static_cast<std::size_t>(i);
            const double x = h.frequency[c];
            const frequency_terms& t = terms[static_cast<std::size_t>(h.group[c])];
            const double log_age = std::log(p.alpha + h.age[c]);
            const double a3 = -(p.r + x) * log_age;
            double w4 = 0, log_recency = 0, tail = a3;
            if (x > 0) {
              log_recency = std::log(p.alpha + h.recency[c]);
              const double a4 = t.log_ratio - (p.r + x) * log_recency;
              // tail = ln(e^a3 + e^a4) and w4 = e^(a4 - tail), from one exponential.
              const double ratio = std::exp(-std::abs(a4 - a3));
              tail = std::max(a3, a4) + std::log1p(ratio);
              w4 = (a4 >= a3 ? 1.0 : ratio) / (1 + ratio);
            }
            const double w = h.weight[c];
            const double w3 = 1 - w4;
            sum.value += w * tail;
            sum.gradient[0] += w * (-w3 * log_age - w4 * log_recency);
            sum.gradient[1] += w * -(p.r + x) * (w3 / (p.alpha + h.age[c]) + w4 / (p.alpha + h.recency[c]));
            sum.gradient[2] += w * w4 * t.ratio_a;
            sum.gradient[3] += w * w4 * t.ratio_b;
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
  for (std::size_t k = 0; k < h.frequencies.size(); ++k) {
    const double count = h.group_weight[k];
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

// P(alive | x, t_x, T) = 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), the power taken in logs.
double alive(const bg_nbd_params& p, double x, double t_x, double t_age) {
  if (x == 0) return 1;
  const double log_odds =
      std::log(p.a) - std::log(p.b + x - 1) + (p.r + x) * (std::log(p.alpha + t_age) - std::log(p.alpha + t_x));
  return 1 / (1 + std::exp(log_odds));
}

// The purchases an alive customer makes in t, averaged over their posterior: λ ~ Gamma(r+x,
// α+T) and p ~ Beta(a, b+x), independent. With λ and p known it is (1 − e^(−λpt))/p (purchases
// until the one after which they drop out), and over λ, (1 − ((α+T)/(α+T+pt))^(r+x))/p; the
// mean over p is taken by Gauss–Legendre quadrature across the Beta's bulk (±12 standard
// deviations), or, for a Beta narrower than a twentieth of its mean, as g(m) + g''(m)σ²/2
// (the next term is of order (σ/m)⁴). Used where the series below would overflow: a large a.
double purchases_while_alive(const bg_nbd_params& p, double x, double t_age, double t) {
  const double shape_a = p.a, shape_b = p.b + x, total = shape_a + shape_b;
  const double mean = shape_a / total;
  const double spread = std::sqrt(shape_a * shape_b / (total * total * (total + 1)));
  const double scale = t / (p.alpha + t_age);
  const auto purchases = [&](double q) { return -std::expm1(-(p.r + x) * std::log1p(q * scale)) / q; };
  if (spread < 0.05 * std::min(mean, 1 - mean)) {
    const double h = spread;
    const double curvature = (purchases(mean + h) - 2 * purchases(mean) + purchases(mean - h)) / (h * h);
    return purchases(mean) + curvature * spread * spread / 2;
  }
  const double low = std::max(0.0, mean - 12 * spread), high = std::min(1.0, mean + 12 * spread);
  const double peak = (shape_a - 1) * std::log(mean) + (shape_b - 1) * std::log1p(-mean);
  const auto weight = [&](double q) {
    return std::exp((shape_a - 1) * std::log(q) + (shape_b - 1) * std::log1p(-q) - peak);
  };
  using rule = boost::math::quadrature::gauss<double, 30>;
  const double mass = rule::integrate(weight, low, high);
  return rule::integrate([&](double q) { return weight(q) * purchases(q); }, low, high) / mass;
}

// E[purchases in t | x, t_x, T], the paper's equation 10. Its ((α+T)/(α+T+t))^(r+x) ·
// 2F1(r+x, b+x; a+b+x−1; z) is taken through Euler's transformation as (1−z)^(a−1) ·
// 2F1(a+b−1−r, a−1; a+b+x−1; z): the same number, without terms that grow like e^(xz) for a
// customer of many purchases. The series' terms still peak near (1−z)^−(a−1); past e^40 (a
// large a: dropout nearly the same for everyone) the mean over the posterior is taken instead.
// It is P(alive) times a factor of x and T alone, returned here.
double expected_if_alive(const bg_nbd_params& p, double x, double t_age, double t) {
  const double z = t / (p.alpha + t_age + t);
  if (-(p.a - 1) * std::log1p(-z) > 40) return purchases_while_alive(p, x, t_age, t);
  const double f = hypergeometric_2f1(p.a + p.b - 1 - p.r, p.a - 1, p.a + p.b + x - 1, z);
  return (p.a + p.b + x - 1) / (p.a - 1) * (1 - std::pow(1 - z, p.a - 1) * f);
}

}  // namespace

double repeat_history::customers() const noexcept {
  return weight.empty() ? static_cast<double>(size()) : std::accumulate(weight.begin(), weight.end(), 0.0);
}

void repeat_history::check(std::string_view table) const {
  const std::string where(table);
  if (recency.size() != size() || age.size() != size()) {
    throw invalid_input({where, recency.size() != size() ? "recency" : "T", -1,
                         std::to_string(recency.size() != size() ? recency.size() : age.size())},
                        "a column of another length than frequency (" + std::to_string(size()) + " rows)");
  }
  detail::check_weights(where, weight, size());
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
  return evaluate(params, detail::distinct(history, 1.0), run).value;
}

bg_nbd_fit fit_bg_nbd(const repeat_history& history, const model_fit_options& options) {
  const detail::histories_to_fit scaled = detail::prepared_for_fit(history, options);
  const auto fitted = detail::fit_in_logs<4>(
      [&](const std::array<double, 4>& v, std::array<double, 4>& gradient) {
        const likelihood l = evaluate({v[0], v[1], v[2], v[3]}, scaled.histories, options.run);
        gradient = l.gradient;
        return l.value;
      },
      history.customers(), options);
  bg_nbd_fit fit;
  fit.evaluations = fitted.evaluations;
  fit.converged = fitted.converged;
  fit.params = {fitted.params[0], fitted.params[1], fitted.params[2], fitted.params[3]};
  fit.log_likelihood = evaluate(fit.params, scaled.histories, options.run).value + scaled.log_likelihood_shift;
  fit.params.alpha /= scaled.scale;
  return fit;
}

real_column bg_nbd_p_alive(const bg_nbd_params& params, const repeat_history& history, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      out[i] = alive(params, history.frequency[c], history.recency[c], history.age[c]);
    }
  });
  return out;
}

namespace {

// E[purchases in t] per customer, with a = 1 (a removable singularity) as the mean of both
// sides. The series depends on x and T alone, which customers share a lot (times on a grid
// of days or weeks): each thread keeps the ones it computed in a hash table, up to a bound.
class expected_purchases_cache {
 public:
  explicit expected_purchases_cache(const bg_nbd_params& p) : below_(p), above_(p), entries_(1 << 12) {
    singular_ = std::abs(p.a - 1) <= 1e-6;
    below_.a = singular_ ? 1 - 1e-6 : p.a;
    above_.a = 1 + 1e-6;
  }

  double operator()(double x, double t_x, double t_age, double t) {
    const entry& e = find(x, t_age, t);
    if (!singular_) return alive(below_, x, t_x, t_age) * e.below;
    return (alive(below_, x, t_x, t_age) * e.below + alive(above_, x, t_x, t_age) * e.above) / 2;
  }

 private:
  static constexpr std::size_t most = 1 << 20;  // entries kept; past it, computed every time
  struct entry {
    bool filled = false;
    double x = 0, t_age = 0, t = 0, below = 0, above = 0;
  };

  entry computed(double x, double t_age, double t) const {
    return {true,
            x,
            t_age,
            t,
            expected_if_alive(below_, x, t_age, t),
            singular_ ? expected_if_alive(above_, x, t_age, t) : 0.0};
  }

  static std::size_t slot_of(double x, double t_age, double t, std::size_t mask) {
    return detail::hash_numbers(x, t_age, t) & mask;
  }

  const entry& find(double x, double t_age, double t) {
    std::size_t mask = entries_.size() - 1, slot = slot_of(x, t_age, t, mask);
    for (; entries_[slot].filled; slot = (slot + 1) & mask) {
      const entry& e = entries_[slot];
      if (e.x == x && e.t_age == t_age && e.t == t) return e;
    }
    if (filled_ >= most) return scratch_ = computed(x, t_age, t);
    if (2 * (filled_ + 1) > entries_.size()) {  // keep the table at most half full
      std::vector<entry> old(2 * entries_.size());
      old.swap(entries_);
      mask = entries_.size() - 1;
      for (const entry& e : old) {
        if (!e.filled) continue;
        std::size_t s = slot_of(e.x, e.t_age, e.t, mask);
        while (entries_[s].filled) s = (s + 1) & mask;
        entries_[s] = e;
      }
      slot = slot_of(x, t_age, t, mask);
      while (entries_[slot].filled) slot = (slot + 1) & mask;
    }
    ++filled_;
    return entries_[slot] = computed(x, t_age, t);
  }

  bg_nbd_params below_, above_;  // below_ is the model itself when a is not 1
  bool singular_ = false;
  std::vector<entry> entries_;
  std::size_t filled_ = 0;
  entry scratch_;
};

void check_time(const char* function, const char* name, double value) {
  if (!(std::isfinite(value) && value >= 0)) {
    throw invalid_input({function, name, -1, detail::format_number(value)}, "must be a finite number, 0 or more");
  }
}

}  // namespace

real_column bg_nbd_expected_purchases(const bg_nbd_params& params, const repeat_history& history, double horizon,
                                      const execution& run) {
  check_params(params);
  history.check("repeat_history");
  check_time("bg_nbd_expected_purchases", "horizon", horizon);
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    expected_purchases_cache expected(params);
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      out[i] = expected(history.frequency[c], history.recency[c], history.age[c], horizon);
    }
  });
  return out;
}

real_column bg_nbd_discounted_purchases(const bg_nbd_params& params, const repeat_history& history, double period,
                                        int periods, double discount_rate, const execution& run) {
  check_params(params);
  history.check("repeat_history");
  check_time("bg_nbd_discounted_purchases", "period", period);
  check_time("bg_nbd_discounted_purchases", "discount_rate", discount_rate);
  if (periods < 0) {
    throw invalid_input({"bg_nbd_discounted_purchases", "periods", -1, std::to_string(periods)}, "must be 0 or more");
  }
  real_column out(static_cast<Eigen::Index>(history.size()));
  detail::parallel_for(static_cast<std::int64_t>(history.size()), run, [&](std::int64_t begin, std::int64_t end) {
    expected_purchases_cache expected(params);
    for (std::int64_t i = begin; i < end; ++i) {
      const auto c = static_cast<std::size_t>(i);
      double total = 0, before = 0;
      for (int k = 1; k <= periods; ++k) {
        const double upto = expected(history.frequency[c], history.recency[c], history.age[c], k * period);
        total += (upto - before) / std::pow(1 + discount_rate, k);
        before = upto;
      }
      out[i] = total;
    }
  });
  return out;
}

}  // namespace cartera
