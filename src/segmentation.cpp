#include "cartera/segmentation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "cartera/detail/format.hpp"

namespace cartera {
namespace {

void require(bool ok, const char* policy, const std::string& field, const std::string& value, const char* rule) {
  if (!ok) throw invalid_input({policy, field, -1, value}, rule);
}

// Share of the sorted values strictly below x.
double share_below(const std::vector<double>& sorted, double x) {
  if (sorted.empty()) return 0.0;
  const auto below = std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin();
  return static_cast<double>(below) / static_cast<double>(sorted.size());
}

std::vector<double> sorted_finite(std::span<const double> values) {
  std::vector<double> sorted;
  sorted.reserve(values.size());
  for (const double v : values) {
    if (!std::isnan(v)) sorted.push_back(v);
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

std::span<const double> span_of(const real_column& c) { return {c.data(), static_cast<std::size_t>(c.size())}; }

// Rows ordered by value, highest first, ties by row.
std::vector<index_t> by_value_descending(std::span<const double> value) {
  std::vector<index_t> order(value.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) {
    const double x = value[static_cast<std::size_t>(a)], y = value[static_cast<std::size_t>(b)];
    return x > y || (!std::isnan(x) && std::isnan(y));
  });
  return order;
}

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
    require(std::isfinite(variable.weight) && variable.weight >= 0, "score_policy", "variables." + variable.column + ".weight",
            detail::format_number(variable.weight), "must be finite and >= 0");
  }
  double total = 0;
  for (const auto& variable : variables) total += variable.weight;
  require(total > 0, "score_policy", "variables", detail::format_number(total), "the weights must not all be 0");
  require(tiers.size() == cuts.size() + 1, "score_policy", "cuts", std::to_string(cuts.size()),
          "there must be one cut fewer than tiers");
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    require(std::isfinite(cuts[k]) && (k == 0 || cuts[k] > cuts[k - 1]), "score_policy", "cuts", detail::format_number(cuts[k]),
            "cuts must be finite and ascending");
    if (quantile_cuts) require(cuts[k] >= 0 && cuts[k] <= 1, "score_policy", "cuts", detail::format_number(cuts[k]), "quantile cuts must be in [0, 1]");
  }
  require(reason_variables >= 0, "score_policy", "reason_variables", std::to_string(reason_variables), "must be >= 0");
}

score_model fit_score(const score_policy& policy, const column_set& columns) {
  policy.validate();
  score_model model;
  model.policy = policy;
  for (const auto& variable : policy.variables) {
    const real_column& values = columns.numbers(variable.column, "score");
    std::vector<double> sorted = sorted_finite(span_of(values));
    double location = 0, spread = 1;
    if (!sorted.empty()) {
      if (variable.scale == normalisation::min_max) {
        location = sorted.front();
        spread = sorted.back() - sorted.front();
      } else if (variable.scale == normalisation::z_score) {
        double sum = 0, squares = 0;
        for (const double v : sorted) sum += v;
        location = sum / static_cast<double>(sorted.size());
        for (const double v : sorted) squares += (v - location) * (v - location);
        spread = std::sqrt(squares / static_cast<double>(sorted.size()));
      }
    }
    model.location.push_back(location);
    model.spread.push_back(spread > 0 && std::isfinite(spread) ? spread : 1.0);
    model.sorted.push_back(variable.scale == normalisation::percentile ? std::move(sorted) : std::vector<double>{});
  }
  // Thresholds: the fitted scores' quantiles (nearest rank below), or the cuts themselves.
  if (policy.quantile_cuts) {
    model.thresholds.clear();
    const score_table fitted = [&] {
      score_model provisional = model;
      provisional.thresholds.assign(policy.cuts.size(), std::numeric_limits<double>::infinity());
      return apply_score(provisional, columns);
    }();
    std::vector<double> scores(fitted.score.begin(), fitted.score.end());
    std::sort(scores.begin(), scores.end());
    for (const double cut : policy.cuts) {
      if (scores.empty()) {
        model.thresholds.push_back(0.0);
        continue;
      }
      const auto at = std::min(scores.size() - 1, static_cast<std::size_t>(std::ceil(cut * static_cast<double>(scores.size()))));
      model.thresholds.push_back(cut >= 1.0 ? std::numeric_limits<double>::infinity() : scores[at]);
    }
  } else {
    model.thresholds = policy.cuts;
  }
  return model;
}

score_table apply_score(const score_model& model, const column_set& columns) {
  const score_policy& p = model.policy;
  const Eigen::Index n = columns.rows();
  double total_weight = 0;
  for (const auto& variable : p.variables) total_weight += variable.weight;
  score_table t;
  t.score = real_column::Zero(n);
  for (std::size_t v = 0; v < p.variables.size(); ++v) {
    const auto& variable = p.variables[v];
    const real_column& values = columns.numbers(variable.column, "score");
    real_column contribution(n);
    for (Eigen::Index r = 0; r < n; ++r) {
      const double x = values[r];
      double scaled = 0;
      if (!std::isnan(x)) {
        if (variable.scale == normalisation::percentile) scaled = share_below(model.sorted[v], x);
        else scaled = (x - model.location[v]) / model.spread[v];
        if (!variable.higher_is_better) scaled = variable.scale == normalisation::z_score ? -scaled : 1.0 - scaled;
      }
      contribution[r] = variable.weight * scaled / total_weight;
    }
    t.score += contribution;
    t.contribution.push_back(std::move(contribution));
  }
  // Rank and tier.
  const std::vector<index_t> order = by_value_descending(span_of(t.score));
  t.rank.resize(n);
  for (std::size_t k = 0; k < order.size(); ++k) t.rank[order[k]] = static_cast<index_t>(k + 1);
  t.tier.categories = p.tiers;
  t.tier.codes.resize(n);
  t.reason.codes.resize(n);
  std::map<std::pair<index_t, std::vector<std::size_t>>, index_t> reasons;
  std::vector<std::size_t> top(p.variables.size());
  for (Eigen::Index r = 0; r < n; ++r) {
    index_t tier = 0;
    while (static_cast<std::size_t>(tier) < model.thresholds.size() && t.score[r] >= model.thresholds[static_cast<std::size_t>(tier)]) ++tier;
    t.tier.codes[r] = tier;
    std::iota(top.begin(), top.end(), std::size_t{0});
    const auto named = std::min<std::size_t>(static_cast<std::size_t>(p.reason_variables), top.size());
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(named), top.end(), [&](std::size_t a, std::size_t b) {
      return t.contribution[a][r] > t.contribution[b][r] || (t.contribution[a][r] == t.contribution[b][r] && a < b);
    });
    std::vector<std::size_t> key(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(named));
    auto [it, inserted] = reasons.try_emplace({tier, key}, static_cast<index_t>(t.reason.categories.size()));
    if (inserted) {
      std::string text = p.tiers[static_cast<std::size_t>(tier)] + ": score ";
      text += tier == 0 ? (model.thresholds.empty() ? "(one tier)" : "< " + cut_text(model.thresholds[0]))
                        : ">= " + cut_text(model.thresholds[static_cast<std::size_t>(tier - 1)]);
      if (!key.empty()) {
        text += " (top: ";
        for (std::size_t k = 0; k < key.size(); ++k) text += (k ? ", " : "") + p.variables[key[k]].column;
        text += ")";
      }
      t.reason.categories.push_back(std::move(text));
    }
    t.reason.codes[r] = it->second;
  }
  return t;
}

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
  const std::vector<index_t> order = by_value_descending(value);
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
  const std::vector<index_t> order = by_value_descending(value);
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
  require(bins >= 2 && bins <= 100, "rfm_policy", "bins", std::to_string(bins), "must be in 2..100");
  for (std::size_t k = 0; k < segments.size(); ++k) (void)condition(segments[k].condition);
}

rfm_model fit_rfm(const rfm_policy& policy, std::span<const double> recency, std::span<const double> frequency,
                  std::span<const double> monetary) {
  policy.validate();
  if (frequency.size() != recency.size() || monetary.size() != recency.size()) {
    throw invalid_input({"rfm", "frequency, monetary", -1, std::to_string(frequency.size()) + ", " + std::to_string(monetary.size())},
                        "must have as many rows as recency (" + std::to_string(recency.size()) + ")");
  }
  return {policy, sorted_finite(recency), sorted_finite(frequency), sorted_finite(monetary)};
}

rfm_table apply_rfm(const rfm_model& model, std::span<const double> recency, std::span<const double> frequency,
                    std::span<const double> monetary) {
  const auto n = static_cast<Eigen::Index>(recency.size());
  if (static_cast<Eigen::Index>(frequency.size()) != n || static_cast<Eigen::Index>(monetary.size()) != n) {
    throw invalid_input({"rfm", "frequency, monetary", -1, std::to_string(frequency.size()) + ", " + std::to_string(monetary.size())},
                        "must have as many rows as recency (" + std::to_string(recency.size()) + ")");
  }
  const int bins = model.policy.bins;
  const auto score = [bins](double worse) { return 1 + std::min(bins - 1, static_cast<int>(std::floor(bins * worse))); };
  // Share of fitted customers strictly worse: below for frequency and monetary, above for
  // recency (a missing value is the worst).
  const auto above = [](const std::vector<double>& sorted, double x) {
    if (sorted.empty() || std::isnan(x)) return 0.0;
    const auto count = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), x);
    return static_cast<double>(count) / static_cast<double>(sorted.size());
  };
  const auto below = [](const std::vector<double>& sorted, double x) { return std::isnan(x) ? 0.0 : share_below(sorted, x); };
  rfm_table t;
  t.r.resize(n);
  t.f.resize(n);
  t.m.resize(n);
  column_set grid(static_cast<index_t>(n));
  real_column r(n), f(n), m(n), fm(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    t.r[i] = score(above(model.recency, recency[k]));
    t.f[i] = score(below(model.frequency, frequency[k]));
    t.m[i] = score(below(model.monetary, monetary[k]));
    r[i] = t.r[i];
    f[i] = t.f[i];
    m[i] = t.m[i];
    fm[i] = (t.f[i] + t.m[i] + 1) / 2;  // the mean, rounded half up
  }
  grid.add("r", std::move(r));
  grid.add("f", std::move(f));
  grid.add("m", std::move(m));
  grid.add("fm", std::move(fm));
  t.segment = apply_rules(model.policy.segments, model.policy.default_segment, grid).label;
  return t;
}

}  // namespace cartera
