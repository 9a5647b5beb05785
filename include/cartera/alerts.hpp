#pragma once
/// \file alerts.hpp
/// Moments of truth: the customers to act on now, each alert with its reason and a
/// priority that the contact plan follows.

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cartera/book.hpp"
#include "cartera/value.hpp"

namespace cartera {

/// The alerts, from the most urgent kind to the least.
enum class alert_kind : std::uint8_t {
  valuable_complainer = 0,  ///< a valuable customer complained in the last `complaint_days`
  declining = 1,            ///< buying fewer days than their past predicts, spending under `declining_trend` × usual
  lapsed_valuable = 2,      ///< valuable, silent longer than their rate explains, lost within `lapsed_days`
  growing = 3,              ///< buying more days than their past predicts, spending over `growing_trend` × usual
  mvc = 4,                  ///< among the most valuable `mvc_share` by spend in the window
  below_zero = 5,           ///< costs more than it contributes (or the bottom share by contribution)
};
inline constexpr int alert_kind_count = 6;

/// "valuable_complainer", "declining", ...
[[nodiscard]] std::string_view alert_name(alert_kind kind);

struct alert_policy {
  double mvc_share = 0.10;           ///< the most valuable customers (the field uses 5-10 %)
  bool below_zero_by_share = false;  ///< false: contribution < 0; true: the bottom share by contribution
  double below_zero_share = 0.15;    ///< with below_zero_by_share (the field uses 10-20 %)
  double declining_trend = 0.4;      ///< recent ÷ usual below this
  /// The practice: "a valuable customer buying under 40 % of their usual". False: every
  /// active customer who declines.
  bool declining_valuable_only = true;
  int complaint_days = 30;        ///< act within this many days of a complaint
  int lapsed_days = 730;          ///< lost within the last two years
  double growing_trend = 1.5;     ///< recent ÷ usual above this
  int growing_min_purchases = 3;  ///< and at least this many purchases in the window: a trend, not noise
  /// Without a `valuable` flag from the caller, valuable means among the top `valuable_share`
  /// by lifetime spend (the classic 20 %).
  double valuable_share = 0.20;
  /// Growing, declining and lapsed_valuable are tests, not thresholds alone: a customer's
  /// purchase days in the recent period are compared with what their usual periods predict
  /// (negative binomial, each customer's rate shrunk towards the book's spread of rates),
  /// and a silence with what their purchase rate explains. The customers flagged are chosen
  /// by Benjamini–Hochberg so that, of those flagged, at most this share is expected to be a
  /// customer whose rate did not change. 1 turns the tests off: the spend thresholds alone.
  double false_discovery_rate = 0.2;

  void validate() const;
};

/// One row per customer and alert, sorted by priority (highest first), then customer.
struct alert_table {
  std::vector<index_t> customer;
  std::vector<alert_kind> kind;
  std::vector<double> priority;      ///< kind's rank (urgent complaints highest) + value percentile in [0, 1)
  std::vector<std::uint8_t> urgent;  ///< an unresolved complaint of a valuable customer
  std::vector<std::string> reason;
};

/// Alerts as of `as_of` from the customers' value (computed as of the same day with
/// `value_rules`, whose recent period the alerts use). `valuable`, when not empty, flags the
/// customers that count as valuable (a tier, an ABC class...).
[[nodiscard]] alert_table detect_alerts(const book& customers, const value_table& value, day_t as_of,
                                        const value_policy& value_rules = {}, const alert_policy& policy = {},
                                        std::span<const std::uint8_t> valuable = {});

// The alerts of a book cut in parts (an engine's partitions of customers, each with all
// their events): what the alerts read from the whole book is measured on the whole and
// given to each part, whose alerts are then the whole book's (docs/scale.md).

/// The sums the book's spread of purchase rates is fitted from: customers counted, their
/// rates, squared rates and Poisson noise.
struct rate_moments {
  double count = 0, rates = 0, squares = 0, noise = 0;
};

/// What the alerts read from the whole book beside each customer's own figures.
struct alert_scope {
  /// The book's purchase rates, Gamma(shape, rate) fitted from its rate_moments; 0: unknown.
  double rate_shape = 0, rate_rate = 0;
  /// Benjamini–Hochberg over the whole book, as a cutoff: a customer of a test's family is
  /// flagged when their p-value is at most it (and the spend condition holds).
  double growing_cutoff = -1, declining_cutoff = -1, lapsed_cutoff = -1;
  /// Per customer of the part: the share of the book's customers after them by lifetime
  /// spend (ties by customer order), among the book's top mvc_share by spend in the window,
  /// among its bottom below_zero_share by contribution (with below_zero_by_share, else
  /// empty), and valuable.
  std::vector<double> percentile;
  std::vector<std::uint8_t> mvc, bottom, valuable;
};

/// Each customer's terms of those sums (all 0 for a customer seen too briefly): a book's
/// moments are the sums of its customers' terms, in any order (equal to rounding).
struct rate_terms {
  std::vector<double> counted, rate, square, noise;
};
[[nodiscard]] rate_terms alert_rate_terms(const book& customers, const value_table& value, day_t as_of,
                                          const value_policy& value_rules = {});
/// The book's purchase rates from its moments: Gamma(shape, rate), {0, 0} when unknown.
[[nodiscard]] std::pair<double, double> alert_rate_prior(const rate_moments& moments);

/// Each customer's p-value in the tests of growing, declining and lapsed_valuable under the
/// book's purchase rates; NaN for a customer outside the test's family (see alert_policy).
struct rate_change_tests {
  std::vector<double> growing, declining, lapsed;
};
[[nodiscard]] rate_change_tests alert_rate_tests(const book& customers, const value_table& value, day_t as_of,
                                                 const value_policy& value_rules, const alert_policy& policy,
                                                 std::span<const std::uint8_t> valuable, double rate_shape,
                                                 double rate_rate);

/// Benjamini–Hochberg's cutoff at false discovery rate q among `tests` tests, from their
/// p-values at most q (only those can pass; any order, more are ignored); -1 when none passes.
[[nodiscard]] double false_discovery_cutoff(std::span<const double> p, double tests, double q);

/// The alerts of a part of a book under the whole book's scope.
[[nodiscard]] alert_table detect_alerts(const book& customers, const value_table& value, day_t as_of,
                                        const value_policy& value_rules, const alert_policy& policy,
                                        const alert_scope& scope);

}  // namespace cartera
