#include "cartera/segmentation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/ordering.hpp"
#include "detail/parallel.hpp"

namespace cartera {
namespace {

using detail::require;

// For every value, the share of `sorted` strictly below it (or, with `above`, strictly
// above it); NaN gets 0. One sort of the values and a sweep: faster than a binary search
// per value once there are many.
std::vector<double> shares(const std::vector<double>& sorted, std::span<const double> values, bool above = false) {
  std::vector<std::pair<double, std::size_t>> order;
  order.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isnan(values[i])) order.emplace_back(values[i], i);
  }
  std::sort(order.begin(), order.end());
  std::vector<double> out(values.size(), 0.0);
  if (sorted.empty()) return out;
  const auto total = static_cast<double>(sorted.size());
  std::size_t j = 0;
  for (const auto& [v, i] : order) {
    if (above) {
      while (j < sorted.size() && sorted[j] <= v) ++j;
      out[i] = static_cast<double>(sorted.size() - j) / total;
    } else {
      while (j < sorted.size() && sorted[j] < v) ++j;
      out[i] = static_cast<double>(j) / total;
    }
  }
  return out;
}

// The share of `values` strictly below each one (or, with `above`, strictly above), and
// the finite values sorted: both from one sort. NaN gets 0.
std::vector<double> self_shares(std::span<const double> values, std::vector<double>& sorted, bool above = false) {
  std::vector<std::pair<double, std::size_t>> order;
  order.reserve(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isnan(values[i])) order.emplace_back(values[i], i);
  }
  std::sort(order.begin(), order.end());
  sorted.resize(order.size());
  std::vector<double> out(values.size(), 0.0);
  const auto total = static_cast<double>(order.size());
  for (std::size_t k = 0; k < order.size();) {
    std::size_t end = k;  // [k, end): one run of equal values
    while (end < order.size() && order[end].first == order[k].first) ++end;
    const double share = above ? static_cast<double>(order.size() - end) / total : static_cast<double>(k) / total;
    for (std::size_t j = k; j < end; ++j) {
      sorted[j] = order[j].first;
      out[order[j].second] = share;
    }
    k = end;
  }
  return out;
}

// The values fit-and-apply keeps (all but NaN: an infinite recency is a customer who never
// bought, the worst), sorted: fitting alone must keep the same ones.
std::vector<double> sorted_known(std::span<const double> values) {
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (const double v : values) {
    if (!std::isnan(v)) sorted.push_back(v);
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

std::vector<double> sorted_finite(std::span<const double> values) {
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (const double v : values) {
    if (std::isfinite(v)) sorted.push_back(v);
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

std::span<const double> span_of(const real_column& c) { return {c.data(), static_cast<std::size_t>(c.size())}; }

// Runs body(0), body(1), body(2) (recency, frequency, monetary) on up to three threads.
template <typename Body>
void for_each_rfm_column(Body&& body) {
  detail::parallel_for(
      3, {},
      [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t c = first; c < last; ++c) body(c);
      },
      1);
}

void compute_scores(const score_model& model, const column_set& columns, score_table& t,
                    const std::vector<std::vector<double>>* percentiles = nullptr);
rfm_table rfm_scores(const rfm_policy& policy, const std::array<std::vector<double>, 3>& worse);

void check_lengths(std::span<const double> recency, std::span<const double> frequency,
                   std::span<const double> monetary) {
  if (frequency.size() != recency.size() || monetary.size() != recency.size()) {
    throw invalid_input(
        {"rfm", "frequency, monetary", -1, std::to_string(frequency.size()) + ", " + std::to_string(monetary.size())},
        "must have as many rows as recency (" + std::to_string(recency.size()) + ")");
  }
}
void label_scores(const score_model& model, score_table& t);

std::string cut_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

}  // namespace

void score_policy::validate() const {
  require(!variables.empty(), "score_policy", "variables", "0", "needs at least one variable");
  for (std::size_t v = 0; v < variables.size(); ++v) {
    const auto& variable = variables[v];
    require(std::isfinite(variable.weight) && variable.weight >= 0, "score_policy",
            "variables." + variable.column + ".weight", detail::format_number(variable.weight),
            "must be finite and >= 0");
  }
  double total = 0;
  for (const auto& variable : variables) total += variable.weight;
  require(total > 0, "score_policy", "variables", detail::format_number(total), "the weights must not all be 0");
  require(tiers.size() == cuts.size() + 1, "score_policy", "cuts", std::to_string(cuts.size()),
          "there must be one cut fewer than tiers");
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    require(std::isfinite(cuts[k]) && (k == 0 || cuts[k] > cuts[k - 1]), "score_policy", "cuts",
            detail::format_number(cuts[k]), "cuts must be finite and ascending");
    if (quantile_cuts)
      require(cuts[k] >= 0 && cuts[k] <= 1, "score_policy", "cuts", detail::format_number(cuts[k]),
              "quantile cuts must be in [0, 1]");
  }
  require(reason_variables >= 0, "score_policy", "reason_variables", std::to_string(reason_variables), "must be >= 0");
}

namespace {

// Fits the model and scores the fitted rows on the way: each variable's values are sorted
// once, giving both the model's sorted values and every row's percentile.
score_model fit_and_score(const score_policy& policy, const column_set& columns, score_table& fitted) {
  policy.validate();
  score_model model;
  model.policy = policy;
  const std::size_t variables = policy.variables.size();
  model.location.assign(variables, 0.0);
  model.spread.assign(variables, 1.0);
  model.low.assign(variables, 0.0);
  model.high.assign(variables, 0.0);
  model.sorted.assign(variables, {});
  std::vector<std::vector<double>> percentiles(variables);
  std::vector<const real_column*> inputs;
  for (const auto& variable : policy.variables) inputs.push_back(&columns.numbers(variable.column, "score"));
  detail::parallel_for(
      static_cast<std::int64_t>(variables), {},
      [&](std::int64_t first, std::int64_t last) {
        for (auto v = static_cast<std::size_t>(first); v < static_cast<std::size_t>(last); ++v) {
          const auto& variable = policy.variables[v];
          const std::span<const double> values = span_of(*inputs[v]);
          std::vector<double> sorted;
          if (variable.scale == normalisation::percentile) {
            percentiles[v] = self_shares(values, sorted);
          } else {
            sorted = sorted_finite(values);
          }
          double location = 0, spread = 1;
          if (variable.scale != normalisation::percentile && !sorted.empty()) {
            model.low[v] = sorted.front();
            model.high[v] = sorted.back();
          }
          if (!sorted.empty() && variable.scale == normalisation::min_max) {
            location = sorted.front();
            spread = sorted.back() - sorted.front();
          } else if (!sorted.empty() && variable.scale == normalisation::z_score) {
            double sum = 0, squares = 0;
            for (const double x : sorted) sum += x;
            location = sum / static_cast<double>(sorted.size());
            for (const double x : sorted) squares += (x - location) * (x - location);
            spread = std::sqrt(squares / static_cast<double>(sorted.size()));
          }
          model.location[v] = location;
          model.spread[v] = spread > 0 && std::isfinite(spread) ? spread : 1.0;
          if (variable.scale == normalisation::percentile) model.sorted[v] = std::move(sorted);
        }
      },
      1);
  compute_scores(model, columns, fitted, &percentiles);
  // Thresholds: a customer reaches the tier above cut k when at least that share of the
  // fitted customers scored strictly less, so tied scores always share a tier (all equal:
  // all in the lowest). The threshold is the lowest fitted score that qualifies, or +inf.
  if (policy.quantile_cuts) {
    std::vector<double> scores(fitted.score.begin(), fitted.score.end());
    std::sort(scores.begin(), scores.end());
    for (const double cut : policy.cuts) {
      double threshold = std::numeric_limits<double>::infinity();
      for (auto at = static_cast<std::size_t>(std::ceil(cut * static_cast<double>(scores.size()))); at < scores.size();
           ++at) {
        if (at == 0 || scores[at] != scores[at - 1]) {  // `at` fitted scores lie strictly below
          threshold = scores[at];
          break;
        }
      }
      model.thresholds.push_back(threshold);
    }
  } else {
    model.thresholds = policy.cuts;
  }
  return model;
}

}  // namespace

score_model fit_score(const score_policy& policy, const column_set& columns) {
  score_table fitted;
  return fit_and_score(policy, columns, fitted);
}

std::pair<score_model, score_table> fit_apply_score(const score_policy& policy, const column_set& columns) {
  score_table t;
  score_model model = fit_and_score(policy, columns, t);
  label_scores(model, t);
  return {std::move(model), std::move(t)};
}

namespace {

// Score and per-variable contributions, variables in parallel (each alone is deterministic).
void compute_scores(const score_model& model, const column_set& columns, score_table& t,
                    const std::vector<std::vector<double>>* percentiles) {
  const score_policy& p = model.policy;
  const Eigen::Index n = columns.rows();
  double total_weight = 0;
  for (const auto& variable : p.variables) total_weight += variable.weight;
  t.contribution.assign(p.variables.size(), real_column());
  std::vector<const real_column*> inputs;
  for (const auto& variable : p.variables) inputs.push_back(&columns.numbers(variable.column, "score"));
  detail::parallel_for(
      static_cast<std::int64_t>(p.variables.size()), {},
      [&](std::int64_t first, std::int64_t last) {
        for (auto v = static_cast<std::size_t>(first); v < static_cast<std::size_t>(last); ++v) {
          const auto& variable = p.variables[v];
          const real_column& values = *inputs[v];
          const bool known = percentiles != nullptr && !(*percentiles)[v].empty();
          const std::vector<double> percentile =
              variable.scale != normalisation::percentile ? std::vector<double>{}
              : known                                     ? (*percentiles)[v]
                      : shares(model.sorted[v], {values.data(), static_cast<std::size_t>(n)});
          real_column contribution(n);
          for (Eigen::Index r = 0; r < n; ++r) {
            // An infinite value scores as the most extreme finite value fitted on its side.
            const double x = std::isinf(values[r]) && variable.scale != normalisation::percentile
                                 ? (values[r] > 0 ? model.high[v] : model.low[v])
                                 : values[r];
            double scaled = 0;
            if (!std::isnan(x)) {
              scaled = variable.scale == normalisation::percentile ? percentile[static_cast<std::size_t>(r)]
                                                                   : (x - model.location[v]) / model.spread[v];
              if (!variable.higher_is_better)
                scaled = variable.scale == normalisation::z_score ? -scaled : 1.0 - scaled;
            }
            contribution[r] = variable.weight * scaled / total_weight;
          }
          t.contribution[v] = std::move(contribution);
        }
      },
      1);
  t.score = real_column::Zero(n);
  for (const auto& contribution : t.contribution) t.score += contribution;
}

}  // namespace

score_table apply_score(const score_model& model, const column_set& columns) {
  score_table t;
  compute_scores(model, columns, t);
  label_scores(model, t);
  return t;
}

namespace {

// Rank, tier and reason from the scores and contributions.
void label_scores(const score_model& model, score_table& t) {
  const score_policy& p = model.policy;
  const Eigen::Index n = t.score.size();
  const std::vector<index_t> order = detail::order_by(span_of(t.score), true);
  t.rank.resize(n);
  for (std::size_t k = 0; k < order.size(); ++k) t.rank[order[k]] = static_cast<index_t>(k + 1);
  t.tier.categories = p.tiers;
  t.tier.codes.resize(n);
  // A reason is the tier and the variables that contributed most: one key per row (8 bits
  // per variable index), turned into a text once per distinct key.
  const auto named = std::min<std::size_t>(static_cast<std::size_t>(std::max(0, p.reason_variables)),
                                           std::min<std::size_t>(p.variables.size(), 7));
  std::vector<std::uint64_t> keys(static_cast<std::size_t>(n));
  detail::parallel_for(n, {}, [&](std::int64_t first, std::int64_t last) {
    std::vector<std::size_t> top(p.variables.size());
    for (Eigen::Index r = first; r < last; ++r) {
      index_t tier = 0;
      while (static_cast<std::size_t>(tier) < model.thresholds.size() &&
             t.score[r] >= model.thresholds[static_cast<std::size_t>(tier)])
        ++tier;
      t.tier.codes[r] = tier;
      std::iota(top.begin(), top.end(), std::size_t{0});
      std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(named), top.end(),
                        [&](std::size_t a, std::size_t b) {
                          return t.contribution[a][r] > t.contribution[b][r] ||
                                 (t.contribution[a][r] == t.contribution[b][r] && a < b);
                        });
      std::uint64_t key = static_cast<std::uint64_t>(tier);
      for (std::size_t k = 0; k < named; ++k) key = (key << 8) | (top[k] + 1);
      keys[static_cast<std::size_t>(r)] = key;
    }
  });
  std::unordered_map<std::uint64_t, index_t> reasons;
  t.reason.codes.resize(n);
  for (Eigen::Index r = 0; r < n; ++r) {
    const auto [it, inserted] =
        reasons.try_emplace(keys[static_cast<std::size_t>(r)], static_cast<index_t>(t.reason.categories.size()));
    if (inserted) {
      const index_t tier = t.tier.codes[r];
      std::string text = p.tiers[static_cast<std::size_t>(tier)] + ": score ";
      text += tier == 0 ? (model.thresholds.empty() ? "(one tier)" : "< " + cut_text(model.thresholds[0]))
                        : ">= " + cut_text(model.thresholds[static_cast<std::size_t>(tier - 1)]);
      if (named > 0) {
        text += " (top: ";
        std::uint64_t key = keys[static_cast<std::size_t>(r)];
        std::vector<std::string> names;
        for (std::size_t k = 0; k < named; ++k, key >>= 8) names.push_back(p.variables[(key & 0xFF) - 1].column);
        for (std::size_t k = names.size(); k-- > 0;) text += names[k] + (k ? ", " : "");
        text += ")";
      }
      t.reason.categories.push_back(std::move(text));
    }
    t.reason.codes[r] = it->second;
  }
}

}  // namespace

void abc_policy::validate() const {
  require(a > 0 && a < b && b <= 1, "abc_policy", "a, b", detail::format_number(a) + ", " + detail::format_number(b),
          "must satisfy 0 < a < b <= 1");
}

abc_table classify_abc(std::span<const double> value, const abc_policy& policy) {
  policy.validate();
  const auto n = static_cast<Eigen::Index>(value.size());
  abc_table t;
  t.abc.categories = {"A", "B", "C"};
  t.abc.codes.resize(n);
  t.rank.resize(n);
  t.share.resize(n);
  t.cumulative.resize(n);
  double total = 0;
  for (const double v : value) {
    if (v > 0) total += v;
  }
  const std::vector<index_t> order = detail::order_by(value, true);
  double before = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const index_t row = order[k];
    const double v = value[static_cast<std::size_t>(row)];
    const double share = total > 0 && v > 0 ? v / total : 0.0;
    t.rank[row] = static_cast<index_t>(k + 1);
    t.share[row] = share;
    t.abc.codes[row] = share <= 0 ? 2 : before < policy.a ? 0 : before < policy.b ? 1 : 2;
    before += share;
    t.cumulative[row] = before;
  }
  return t;
}

pareto_curve make_pareto_curve(std::span<const double> value) {
  const auto n = static_cast<Eigen::Index>(value.size());
  pareto_curve curve{real_column(n + 1), real_column(n + 1)};
  double total = 0;
  for (const double v : value) {
    if (v > 0) total += v;
  }
  const std::vector<index_t> order = detail::order_by(value, true);
  curve.customers[0] = curve.value[0] = 0;
  double sum = 0;
  for (Eigen::Index k = 0; k < n; ++k) {
    const double v = value[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])];
    if (v > 0) sum += v;
    curve.customers[k + 1] = static_cast<double>(k + 1) / static_cast<double>(n);
    curve.value[k + 1] = total > 0 ? sum / total : 0.0;
  }
  return curve;
}

std::vector<rule> rfm_policy::default_segments() {
  return {{"Champions", "r >= 4 and fm >= 4"},
          {"Loyal", "r >= 3 and fm >= 4"},
          {"Potential loyalists", "r >= 4 and fm >= 2"},
          {"New customers", "r == 5"},
          {"Promising", "r == 4"},
          {"Need attention", "r == 3 and fm == 3"},
          {"About to sleep", "r == 3"},
          {"Can't lose them", "r == 1 and fm == 5"},
          {"At risk", "fm >= 3"},
          {"Hibernating", "r == 2"},
          {"Lost", "r == 1"}};
}

void rfm_policy::validate() const {
  require(bins >= 2 && bins <= 20, "rfm_policy", "bins", std::to_string(bins), "must be in 2..20");
  for (std::size_t k = 0; k < segments.size(); ++k) (void)condition(segments[k].condition);
}

rfm_model fit_rfm(const rfm_policy& policy, std::span<const double> recency, std::span<const double> frequency,
                  std::span<const double> monetary) {
  policy.validate();
  check_lengths(recency, frequency, monetary);
  rfm_model model{policy, {}, {}, {}};
  for_each_rfm_column([&](std::int64_t c) {
    if (c == 0)
      model.recency = sorted_known(recency);
    else if (c == 1)
      model.frequency = sorted_known(frequency);
    else
      model.monetary = sorted_known(monetary);
  });
  return model;
}

rfm_table apply_rfm(const rfm_model& model, std::span<const double> recency, std::span<const double> frequency,
                    std::span<const double> monetary) {
  check_lengths(recency, frequency, monetary);
  std::array<std::vector<double>, 3> worse;
  for_each_rfm_column([&](std::int64_t c) {
    worse[static_cast<std::size_t>(c)] = c == 0   ? shares(model.recency, recency, true)
                                         : c == 1 ? shares(model.frequency, frequency)
                                                  : shares(model.monetary, monetary);
  });
  return rfm_scores(model.policy, worse);
}

std::pair<rfm_model, rfm_table> fit_apply_rfm(const rfm_policy& policy, std::span<const double> recency,
                                              std::span<const double> frequency, std::span<const double> monetary) {
  policy.validate();
  check_lengths(recency, frequency, monetary);
  rfm_model model{policy, {}, {}, {}};
  std::array<std::vector<double>, 3> worse;
  for_each_rfm_column([&](std::int64_t c) {
    worse[static_cast<std::size_t>(c)] = c == 0   ? self_shares(recency, model.recency, true)
                                         : c == 1 ? self_shares(frequency, model.frequency)
                                                  : self_shares(monetary, model.monetary);
  });
  rfm_table t = rfm_scores(policy, worse);
  return {std::move(model), std::move(t)};
}

namespace {

// Scores from each customer's share of fitted customers strictly worse (recency, frequency,
// monetary), and segments from the rules.
rfm_table rfm_scores(const rfm_policy& policy, const std::array<std::vector<double>, 3>& worse) {
  const int bins = policy.bins;
  const auto n = static_cast<Eigen::Index>(worse[0].size());
  const auto score = [bins](double share) {
    return 1 + std::min(bins - 1, static_cast<int>(std::floor(bins * share)));
  };
  const auto& [r_worse, f_worse, m_worse] = worse;
  rfm_table t;
  t.r.resize(n);
  t.f.resize(n);
  t.m.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    t.r[i] = score(r_worse[k]);
    t.f[i] = score(f_worse[k]);
    t.m[i] = score(m_worse[k]);
  }
  // A segment depends on (r, f, m) alone: the rules run once on every cell of the
  // bins³ grid, and each customer takes their cell's label.
  const auto cells = static_cast<Eigen::Index>(bins) * bins * bins;
  real_column r(cells), f(cells), m(cells), fm(cells);
  for (Eigen::Index cell = 0; cell < cells; ++cell) {
    r[cell] = static_cast<double>(1 + cell / (bins * bins));
    f[cell] = static_cast<double>(1 + (cell / bins) % bins);
    m[cell] = static_cast<double>(1 + cell % bins);
    fm[cell] = std::floor((f[cell] + m[cell] + 1) / 2);  // the mean, rounded half up
  }
  column_set grid(static_cast<index_t>(cells));
  grid.add("r", std::move(r));
  grid.add("f", std::move(f));
  grid.add("m", std::move(m));
  grid.add("fm", std::move(fm));
  categorical labels = apply_rules(policy.segments, policy.default_segment, grid).label;
  t.segment.codes.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    t.segment.codes[i] = labels.codes[(t.r[i] - 1) * bins * bins + (t.f[i] - 1) * bins + (t.m[i] - 1)];
  }
  t.segment.categories = std::move(labels.categories);
  return t;
}

}  // namespace

}  // namespace cartera
