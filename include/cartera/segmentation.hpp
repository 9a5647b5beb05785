#pragma once
/// \file segmentation.hpp
/// Telling customers apart the ways the field does: a weighted-score ranking into tiers
/// (Genérico / Medio / Premium), ABC / Pareto classes by cumulative value, and RFM scores
/// with named segments. Every label comes with its reason, every cut can be learned on one
/// month (fit) and applied to the next (apply). Ties are broken by customer order, so the
/// results are deterministic.

#include <span>
#include <string>
#include <vector>

#include "cartera/columns_set.hpp"
#include "cartera/rules.hpp"

namespace cartera {

/// How a variable is put on a common scale before weighting.
enum class normalisation : std::uint8_t {
  min_max = 0,     ///< (x - min) / (max - min), in [0, 1]
  z_score = 1,     ///< (x - mean) / standard deviation
  percentile = 2,  ///< share of the fitted values strictly below x, in [0, 1)
};

struct score_variable {
  std::string column;
  double weight = 1.0;
  normalisation scale = normalisation::percentile;
  bool higher_is_better = true;  ///< false for recency, cost to serve...
};

/// A weighted score and its tiers. Score = Σ weight × normalised value ÷ Σ weight; a
/// missing (NaN) value contributes nothing. With min_max and z_score, min, max, mean and
/// deviation come from the finite values, and +inf (-inf) scores as the largest (smallest)
/// finite value fitted: recency and trend are infinite by design for some customers.
struct score_policy {
  std::vector<score_variable> variables;
  /// Tier names from the lowest score to the highest.
  std::vector<std::string> tiers = {"Genérico", "Medio", "Premium"};
  /// One cut fewer than tiers, ascending: quantiles of the fitted scores (the share of
  /// customers below the cut) when `quantile_cuts`, else scores themselves.
  std::vector<double> cuts = {0.5, 0.85};
  bool quantile_cuts = true;
  /// How many of the largest contributions a reason names.
  int reason_variables = 2;

  void validate() const;
};

/// A score learned on one set of customers, to apply to any other.
struct score_model {
  score_policy policy;
  std::vector<double> location;             ///< min (min_max) or mean (z_score) per variable
  std::vector<double> spread;               ///< max - min, or standard deviation (1 when 0)
  std::vector<double> low, high;            ///< smallest and largest finite fitted values: where -inf and +inf score
  std::vector<std::vector<double>> sorted;  ///< fitted values, for percentile
  std::vector<double> thresholds;           ///< score at each cut
};

struct score_table {
  real_column score;
  int_column rank;     ///< 1 = highest score; ties by customer order
  categorical tier;    ///< categories: policy.tiers
  categorical reason;  ///< "Premium: score >= 0.71 cut (top: monetary, frequency)"
  /// contribution[v][row]: weight × normalised value ÷ Σ weight, per variable.
  std::vector<real_column> contribution;
};

[[nodiscard]] score_model fit_score(const score_policy& policy, const column_set& columns);
[[nodiscard]] score_table apply_score(const score_model& model, const column_set& columns);
/// Fits and scores the same customers in one go (faster than fit then apply).
[[nodiscard]] std::pair<score_model, score_table> fit_apply_score(const score_policy& policy,
                                                                  const column_set& columns);

/// ABC classes by cumulative share of a value: sorted by value (highest first, ties by
/// customer order), a customer is A while the share before them is below `a`, B while
/// below `b`, else C. Customers with a value of 0 or less are C.
struct abc_policy {
  double a = 0.80;
  double b = 0.95;
  void validate() const;
};

struct abc_table {
  categorical abc;         ///< categories A, B, C
  int_column rank;         ///< 1 = most valuable
  real_column share;       ///< the customer's share of the total
  real_column cumulative;  ///< cumulative share up to and including the customer
};

[[nodiscard]] abc_table classify_abc(std::span<const double> value, const abc_policy& policy = {});

/// The Pareto curve: point i is (i ÷ n customers, share of value held by the i most
/// valuable); n + 1 points from (0, 0).
struct pareto_curve {
  real_column customers;
  real_column value;
};
[[nodiscard]] pareto_curve make_pareto_curve(std::span<const double> value);

/// RFM scores 1..bins: a customer's score is 1 + ⌊bins × (share of fitted customers
/// strictly worse)⌋, so ties share a score. Lower recency is better. Named segments come
/// from an ordered rule list over the columns r, f, m and fm (= round((f + m) / 2)).
struct rfm_policy {
  int bins = 5;  ///< 2..20
  std::vector<rule> segments = default_segments();
  std::string default_segment = "Others";

  /// Champions, Loyal, Potential loyalists, New customers, Promising, Need attention,
  /// About to sleep, Can't lose them, At risk, Hibernating, Lost: every (r, fm) of the 5 × 5
  /// grid has one.
  static std::vector<rule> default_segments();
  void validate() const;
};

struct rfm_model {
  rfm_policy policy;
  std::vector<double> recency, frequency, monetary;  ///< fitted values, sorted
};

struct rfm_table {
  int_column r, f, m;
  categorical segment;
};

[[nodiscard]] rfm_model fit_rfm(const rfm_policy& policy, std::span<const double> recency,
                                std::span<const double> frequency, std::span<const double> monetary);
[[nodiscard]] rfm_table apply_rfm(const rfm_model& model, std::span<const double> recency,
                                  std::span<const double> frequency, std::span<const double> monetary);
/// Fits and scores the same customers in one go (one sort per column instead of two).
[[nodiscard]] std::pair<rfm_model, rfm_table> fit_apply_rfm(const rfm_policy& policy, std::span<const double> recency,
                                                            std::span<const double> frequency,
                                                            std::span<const double> monetary);

}  // namespace cartera
