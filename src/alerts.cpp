#include "cartera/alerts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/ordering.hpp"
#include "detail/rate_change.hpp"

namespace cartera {
namespace {

std::string money(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string percent(double share) { return std::to_string(static_cast<long long>(std::llround(share * 100))) + " %"; }

std::vector<index_t> ordered(const real_column& column, bool highest_first) {
  return detail::order_by({column.data(), static_cast<std::size_t>(column.size())}, highest_first);
}

// One customer's purchase days: in the recent period, in the usual periods before it (and
// how many of those days the customer was known), and over all history up to as_of.
struct purchase_days {
  double recent = 0, usual = 0, usual_exposure = 0, all = 0;
  day_t first = no_day, last = no_day;
};

std::vector<purchase_days> count_purchase_days(const book& customers, const value_table& value, day_t as_of,
                                               const value_policy& rules) {
  const auto n = static_cast<std::size_t>(customers.customer_count());
  const auto day = customers.transactions().day;
  const auto at = customers.transaction_offsets();
  const day_t recent_start = as_of - rules.recent_days;  // the recent period is (recent_start, as_of]
  const day_t usual_days = rules.recent_days * rules.usual_periods;
  std::vector<purchase_days> counts(n);
  for (std::size_t i = 0; i < n; ++i) {
    purchase_days& d = counts[i];
    day_t previous = no_day;
    for (std::int64_t k = at[i]; k < at[i + 1] && day[k] <= as_of; ++k) {  // chronological per customer
      if (day[k] == previous) continue;
      previous = day[k];
      d.all += 1;
      if (d.first == no_day) d.first = day[k];
      d.last = day[k];
      if (day[k] > recent_start)
        d.recent += 1;
      else if (day[k] > recent_start - usual_days)
        d.usual += 1;
    }
    const double known_before = static_cast<double>(value.tenure[static_cast<index_t>(i)] - rules.recent_days);
    d.usual_exposure = std::clamp(known_before, 0.0, static_cast<double>(usual_days));
  }
  return counts;
}

std::string expected_days(double observed, double expected, int window, double p) {
  char text[128];
  std::snprintf(text, sizeof text, "purchase days in the last %d: %.0f against %.1f expected (p = %.2g)", window,
                observed, expected, p);
  return text;
}

rate_terms terms_of(const std::vector<purchase_days>& counts, const value_policy& rules) {
  std::vector<double> usual(counts.size()), exposure(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) usual[i] = counts[i].usual, exposure[i] = counts[i].usual_exposure;
  return detail::rate_terms_of(usual, exposure, rules.recent_days);
}

// The tests behind growing, declining and lapsed_valuable (see alert_policy): per customer,
// the p-value of each test of their families (NaN outside), whether the alert's spend
// condition holds, and the evidence in words.
struct rate_evidence {
  rate_change_tests p;
  std::vector<std::uint8_t> growing, declining, lapsed;
  std::vector<std::string> growing_evidence, declining_evidence, lapsed_evidence;
};

rate_evidence test_rate_changes(const value_table& value, const value_policy& rules, const alert_policy& policy,
                                std::span<const std::uint8_t> valuable, const std::vector<purchase_days>& counts,
                                const detail::rate_prior& prior) {
  const std::size_t n = counts.size();
  const double window = rules.recent_days;
  rate_evidence t;
  std::vector<double> p_growing(n, 1.0), p_declining(n, 1.0), p_lapsed(n, 1.0);
  std::vector<std::uint8_t> growing(n), declining(n), lapsed(n), tested_trend(n), tested_declining(n), tested_lapsed(n);
  t.growing_evidence.resize(n), t.declining_evidence.resize(n), t.lapsed_evidence.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<index_t>(i);
    const purchase_days& d = counts[i];
    const double recent = value.recent[c], usual_spend = value.usual[c], recency = value.recency[c];
    // Each alert's family of tests. Declining is tested among the customers active in the
    // recent period and lapsing among those silent through it, each p-value conditioned on
    // that, so the tests stay valid while the many who could not qualify do not dilute them.
    const bool seen_before = d.usual_exposure > 0;
    tested_trend[i] = seen_before;
    tested_declining[i] = seen_before && d.recent > 0 && (valuable[i] || !policy.declining_valuable_only);
    tested_lapsed[i] = valuable[i] && d.all > 0 && recency >= rules.recent_days;
    growing[i] = seen_before && recent > 0 && usual_spend > 0 && recent > policy.growing_trend * usual_spend &&
                 value.frequency[c] >= policy.growing_min_purchases;
    declining[i] =
        tested_declining[i] && recent > 0 && usual_spend > 0 && recent < policy.declining_trend * usual_spend;
    lapsed[i] = tested_lapsed[i] && recency <= policy.lapsed_days;
    if (!prior.known()) continue;
    if (growing[i] || declining[i]) {
      const auto tails = detail::purchase_window_tails(d.recent, d.usual, d.usual_exposure, window, prior);
      const double p = growing[i] ? tails.at_least : tails.at_most_if_active();
      (growing[i] ? p_growing : p_declining)[i] = p;
      (growing[i] ? t.growing_evidence : t.declining_evidence)[i] =
          expected_days(d.recent, tails.expected, rules.recent_days, p);
    }
    if (lapsed[i]) {
      // The customer's rate from their repeat purchases, between the first and the last.
      const double repeat_days = d.all - 1, span = d.last - d.first;
      p_lapsed[i] = detail::silence_probability(recency, rules.recent_days, repeat_days, span, prior);
      char text[128];
      std::snprintf(text, sizeof text, "silent %.0f days where their rate expects a purchase every %.0f (p = %.2g)",
                    recency, (prior.rate + span) / (prior.shape + repeat_days), p_lapsed[i]);
      t.lapsed_evidence[i] = text;
    }
  }
  const auto family = [n](std::vector<double>& p, const std::vector<std::uint8_t>& tested) {
    for (std::size_t i = 0; i < n; ++i)
      if (!tested[i]) p[i] = std::numeric_limits<double>::quiet_NaN();
    return std::move(p);
  };
  t.p = {family(p_growing, tested_trend), family(p_declining, tested_declining), family(p_lapsed, tested_lapsed)};
  t.growing = std::move(growing), t.declining = std::move(declining), t.lapsed = std::move(lapsed);
  return t;
}

// The cutoff of one test over a whole book, from every customer's p-value (NaN: not tested).
double cutoff_of(const std::vector<double>& p, double q) {
  std::vector<double> tests;
  for (const double x : p)
    if (!std::isnan(x)) tests.push_back(x);
  const auto m = static_cast<double>(tests.size());
  return detail::false_discovery_cutoff(std::move(tests), m, q);
}

// The shares of a whole book: value percentile, most valuable, bottom by contribution and,
// without the caller's flags, valuable.
void measure_shares(const value_table& value, const alert_policy& policy, std::span<const std::uint8_t> valuable_flags,
                    alert_scope& scope) {
  const auto n = static_cast<std::size_t>(value.monetary.size());
  // Value percentile (share of customers with less lifetime spend) orders alerts of a kind.
  const std::vector<index_t> by_lifetime = ordered(value.lifetime_monetary, true);
  scope.percentile.assign(n, 0.0);
  for (std::size_t k = 0; k < n; ++k)
    scope.percentile[static_cast<std::size_t>(by_lifetime[k])] =
        1.0 - static_cast<double>(k + 1) / static_cast<double>(n);
  scope.valuable = !valuable_flags.empty() ? std::vector<std::uint8_t>(valuable_flags.begin(), valuable_flags.end())
                                           : detail::top_share(by_lifetime, policy.valuable_share, [&](index_t c) {
                                               return value.lifetime_monetary[c] > 0;
                                             });
  scope.mvc = detail::top_share(ordered(value.monetary, true), policy.mvc_share,
                                [&](index_t c) { return value.monetary[c] > 0; });
  scope.bottom = policy.below_zero_by_share ? detail::top_share(ordered(value.contribution, false),
                                                                policy.below_zero_share, [](index_t) { return true; })
                                            : std::vector<std::uint8_t>{};
}

alert_table alerts_of(const book& customers, const value_table& value, day_t as_of, const alert_policy& policy,
                      const alert_scope& scope, const rate_evidence& tests);

}  // namespace

std::string_view alert_name(alert_kind kind) {
  static constexpr std::array<std::string_view, alert_kind_count> names = {
      "valuable_complainer", "declining", "lapsed_valuable", "growing", "mvc", "below_zero"};
  return names[static_cast<std::size_t>(kind)];
}

void alert_policy::validate() const {
  const auto share = [](double value, const char* field) {
    if (!(value >= 0 && value <= 1))
      throw invalid_input({"alert_policy", field, -1, detail::format_number(value)}, "must be in [0, 1]");
  };
  share(mvc_share, "mvc_share");
  share(below_zero_share, "below_zero_share");
  share(valuable_share, "valuable_share");
  if (!(false_discovery_rate > 0 && false_discovery_rate <= 1)) {
    throw invalid_input({"alert_policy", "false_discovery_rate", -1, detail::format_number(false_discovery_rate)},
                        "must be in (0, 1]");
  }
  if (!(declining_trend > 0) || !std::isfinite(declining_trend)) {
    throw invalid_input({"alert_policy", "declining_trend", -1, detail::format_number(declining_trend)},
                        "must be positive");
  }
  if (!(growing_trend > 0) || !std::isfinite(growing_trend)) {
    throw invalid_input({"alert_policy", "growing_trend", -1, detail::format_number(growing_trend)},
                        "must be positive");
  }
  if (complaint_days <= 0)
    throw invalid_input({"alert_policy", "complaint_days", -1, std::to_string(complaint_days)}, "must be positive");
  if (growing_min_purchases < 0) {
    throw invalid_input({"alert_policy", "growing_min_purchases", -1, std::to_string(growing_min_purchases)},
                        "must be >= 0");
  }
  if (lapsed_days <= 0)
    throw invalid_input({"alert_policy", "lapsed_days", -1, std::to_string(lapsed_days)}, "must be positive");
}

namespace {

void check_value(const book& customers, const value_table& value) {
  detail::check_size("alerts", "value", static_cast<std::size_t>(value.monetary.size()),
                     static_cast<std::size_t>(customers.customer_count()), "customer");
}

}  // namespace

rate_terms alert_rate_terms(const book& customers, const value_table& value, day_t as_of,
                            const value_policy& value_rules) {
  check_value(customers, value);
  return terms_of(count_purchase_days(customers, value, as_of, value_rules), value_rules);
}

std::pair<double, double> alert_rate_prior(const rate_moments& moments) {
  const detail::rate_prior prior = detail::rate_prior_of(moments);
  return {prior.shape, prior.rate};
}

rate_change_tests alert_rate_tests(const book& customers, const value_table& value, day_t as_of,
                                   const value_policy& value_rules, const alert_policy& policy,
                                   std::span<const std::uint8_t> valuable, double rate_shape, double rate_rate) {
  policy.validate();
  check_value(customers, value);
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("alerts", "valuable", valuable.size(), n, "customer");
  return test_rate_changes(value, value_rules, policy, valuable,
                           count_purchase_days(customers, value, as_of, value_rules), {rate_shape, rate_rate})
      .p;
}

double false_discovery_cutoff(std::span<const double> p, double tests, double q) {
  std::vector<double> known;
  for (const double x : p)
    if (!std::isnan(x)) known.push_back(x);
  return detail::false_discovery_cutoff(std::move(known), tests, q);
}

alert_table detect_alerts(const book& customers, const value_table& value, day_t as_of, const value_policy& value_rules,
                          const alert_policy& policy, std::span<const std::uint8_t> valuable_flags) {
  policy.validate();
  check_value(customers, value);
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("alerts", "valuable", valuable_flags.size(), n, "customer", detail::counted::rows, true);
  alert_scope scope;
  measure_shares(value, policy, valuable_flags, scope);
  const std::vector<purchase_days> counts = count_purchase_days(customers, value, as_of, value_rules);
  const detail::rate_prior prior = detail::rate_prior_of(detail::rate_moments_of(terms_of(counts, value_rules)));
  scope.rate_shape = prior.shape, scope.rate_rate = prior.rate;
  const rate_evidence tests = test_rate_changes(value, value_rules, policy, scope.valuable, counts, prior);
  const double q = policy.false_discovery_rate;
  scope.growing_cutoff = cutoff_of(tests.p.growing, q);
  scope.declining_cutoff = cutoff_of(tests.p.declining, q);
  scope.lapsed_cutoff = cutoff_of(tests.p.lapsed, q);
  return alerts_of(customers, value, as_of, policy, scope, tests);
}

alert_table detect_alerts(const book& customers, const value_table& value, day_t as_of, const value_policy& value_rules,
                          const alert_policy& policy, const alert_scope& scope) {
  policy.validate();
  check_value(customers, value);
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("alerts", "scope.percentile", scope.percentile.size(), n, "customer");
  detail::check_size("alerts", "scope.mvc", scope.mvc.size(), n, "customer");
  detail::check_size("alerts", "scope.valuable", scope.valuable.size(), n, "customer");
  if (policy.below_zero_by_share) detail::check_size("alerts", "scope.bottom", scope.bottom.size(), n, "customer");
  const rate_evidence tests =
      test_rate_changes(value, value_rules, policy, scope.valuable,
                        count_purchase_days(customers, value, as_of, value_rules), {scope.rate_shape, scope.rate_rate});
  return alerts_of(customers, value, as_of, policy, scope, tests);
}

namespace {

// Long on purpose: one pass per customer raises every kind of alert from the same figures;
// the kinds share the customer's value percentile and recent period.
alert_table alerts_of(const book& customers, const value_table& value, day_t as_of, const alert_policy& policy,
                      const alert_scope& scope, const rate_evidence& tests) {
  const auto n = static_cast<std::size_t>(customers.customer_count());
  const auto& valuable = scope.valuable;
  const auto& mvc = scope.mvc;
  const auto& bottom = scope.bottom;
  const auto& percentile = scope.percentile;
  // A p-value that is not a number (the customer is not tested) is never at most a cutoff.
  const auto flagged = [](std::uint8_t condition, double p, double cutoff) { return condition && p <= cutoff; };

  struct found {
    index_t customer;
    alert_kind kind;
    bool urgent;
    std::string reason;
  };
  std::vector<found> alerts;
  const auto& complaints = customers.complaints();
  const auto complaint_at = customers.complaint_offsets();
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<index_t>(i);
    const double recent = value.recent[c], usual = value.usual[c], recency = value.recency[c];
    if (valuable[i]) {
      // The newest complaint in the last complaint_days; urgent while any of them is open.
      day_t newest = no_day;
      bool open = false, first_contact = false;
      for (std::int64_t k = complaint_at[i]; k < complaint_at[i + 1]; ++k) {
        const day_t opened = complaints.opened[k];
        if (opened > as_of || opened <= as_of - policy.complaint_days) continue;
        const day_t resolved = complaints.resolved.size() ? complaints.resolved[k] : no_day;
        const bool still_open = resolved == no_day || resolved > as_of;
        open = open || still_open;
        if (newest == no_day || opened >= newest) {
          newest = opened;
          first_contact = !still_open && complaints.first_contact.size() && complaints.first_contact[k];
        }
      }
      if (newest != no_day) {
        const day_t age = as_of - newest;
        std::string reason =
            "valuable; complaint opened " + format_day(newest) + " (" + std::to_string(age) + " days ago), ";
        reason += open ? "unresolved: act within " + std::to_string(policy.complaint_days - age) + " days"
                       : (first_contact ? "resolved at first contact" : "resolved");
        alerts.push_back({c, alert_kind::valuable_complainer, open, std::move(reason)});
      }
    }
    const auto with = [](std::string reason, const std::string& evidence) {
      return evidence.empty() ? reason : reason + "; " + evidence;
    };
    if (flagged(tests.declining[i], tests.p.declining[i], scope.declining_cutoff)) {
      alerts.push_back({c, alert_kind::declining, false,
                        with(std::string(valuable[i] ? "valuable; " : "") + "recent spend " + money(recent) + " is " +
                                 percent(recent / usual) + " of usual " + money(usual) + " (below " +
                                 percent(policy.declining_trend) + ")",
                             tests.declining_evidence[i])});
    }
    if (flagged(tests.lapsed[i], tests.p.lapsed[i], scope.lapsed_cutoff)) {
      alerts.push_back({c, alert_kind::lapsed_valuable, false,
                        with("valuable; last purchase " + format_day(value.last_purchase[c]) + " (" +
                                 std::to_string(static_cast<long long>(recency)) + " days ago)",
                             tests.lapsed_evidence[i])});
    }
    if (flagged(tests.growing[i], tests.p.growing[i], scope.growing_cutoff)) {
      alerts.push_back({c, alert_kind::growing, false,
                        with("recent spend " + money(recent) + " is " + percent(recent / usual) + " of usual " +
                                 money(usual) + " (above " + percent(policy.growing_trend) + ")",
                             tests.growing_evidence[i])});
    }
    if (mvc[i]) {
      alerts.push_back({c, alert_kind::mvc, false,
                        "top " + percent(policy.mvc_share) + " by spend in the window: " + money(value.monetary[c])});
    }
    const bool below = policy.below_zero_by_share ? bottom[i] != 0 : value.contribution[c] < 0;
    if (below) {
      alerts.push_back({c, alert_kind::below_zero, false,
                        "contribution " + money(value.contribution[c]) + " = margin " + money(value.margin[c]) +
                            " - cost to serve " + money(value.cost_to_serve[c])});
    }
  }
  const auto priority = [&](const found& a) {
    return static_cast<double>(alert_kind_count - static_cast<int>(a.kind)) + (a.urgent ? 1.0 : 0.0) +
           percentile[static_cast<std::size_t>(a.customer)];
  };
  std::vector<double> priorities(alerts.size());
  for (std::size_t k = 0; k < alerts.size(); ++k) priorities[k] = priority(alerts[k]);
  alert_table t;
  for (const index_t k : detail::order_by(priorities, true)) {  // ties keep customer order
    found& a = alerts[static_cast<std::size_t>(k)];
    t.priority.push_back(priorities[static_cast<std::size_t>(k)]);
    t.customer.push_back(a.customer);
    t.kind.push_back(a.kind);
    t.urgent.push_back(a.urgent ? 1 : 0);
    t.reason.push_back(std::move(a.reason));
  }
  return t;
}

}  // namespace
}  // namespace cartera
