// Moments of truth: the alert policy and the alerts, returning NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <optional>

#include "cartera/alerts.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"
#include "value_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<alert_policy>> alert_fields() {
  using p = alert_policy;
  return {
      member("mvc_share", &p::mvc_share,
             "The most valuable customers, as a share of the book (the field uses 5-10 %)."),
      member("below_zero_by_share", &p::below_zero_by_share,
             "False: contribution below zero; true: the bottom below_zero_share by contribution."),
      member("below_zero_share", &p::below_zero_share, "With below_zero_by_share (the field uses 10-20 %)."),
      member("declining_trend", &p::declining_trend, "Recent spend ÷ usual spend below this is declining."),
      member("declining_valuable_only", &p::declining_valuable_only,
             "True: only valuable customers raise the declining alert (the practice); false: every active one."),
      member("complaint_days", &p::complaint_days, "Act within this many days of a complaint."),
      member("lapsed_days", &p::lapsed_days, "A valuable customer lost within this many days is lapsed_valuable."),
      member("growing_trend", &p::growing_trend, "Recent spend ÷ usual spend above this is growing."),
      member("growing_min_purchases", &p::growing_min_purchases, "And at least this many purchases in the window."),
      member("valuable_share", &p::valuable_share,
             "Without a valuable flag, the top share by lifetime spend counts as valuable (the classic 20 %)."),
      member("false_discovery_rate", &p::false_discovery_rate,
             "Growing, declining and lapsed_valuable test the change in purchase rate: of those flagged, at most "
             "this share is expected to be unchanged (Benjamini-Hochberg). 1: the spend thresholds alone."),
  };
}

// The value as the caller computed it (as of the same day, under value_rules), or now.
value_table value_of(const book& b, day_t as_of, const value_policy& value_rules, const py::object& computed,
                     int threads) {
  if (!computed.is_none()) return value_from(computed.cast<py::dict>(), b.customer_count());
  py::gil_scoped_release release;
  return compute_value(b, as_of, value_rules, {.threads = threads});
}

alert_scope scope_from(const py::object& given) {
  const auto fields = given.cast<py::dict>();
  alert_scope s;
  s.rate_shape = fields["rate_shape"].cast<double>();
  s.rate_rate = fields["rate_rate"].cast<double>();
  s.growing_cutoff = fields["growing_cutoff"].cast<double>();
  s.declining_cutoff = fields["declining_cutoff"].cast<double>();
  s.lapsed_cutoff = fields["lapsed_cutoff"].cast<double>();
  s.percentile = fields["percentile"].cast<std::vector<double>>();
  s.mvc = fields["mvc"].cast<std::vector<std::uint8_t>>();
  s.valuable = fields["valuable"].cast<std::vector<std::uint8_t>>();
  if (fields.contains("bottom")) s.bottom = fields["bottom"].cast<std::vector<std::uint8_t>>();
  return s;
}

}  // namespace

void register_alerts(py::module_& m) {
  py::class_<alert_policy> policy(m, "AlertPolicy", "Thresholds of the moments-of-truth alerts.");
  define_policy(policy, "AlertPolicy", alert_fields());

  std::vector<std::string> kinds;
  for (int k = 0; k < alert_kind_count; ++k) kinds.emplace_back(alert_name(static_cast<alert_kind>(k)));
  m.attr("ALERTS") = kinds;

  m.def(
      "compute_alerts",
      [](const book& b, day_t as_of, const value_policy& value_rules, const alert_policy& policy,
         const py::object& valuable, const py::object& computed, int threads, const py::object& scope) {
        const flag_column flags = valuable.is_none() ? flag_column() : to_flag_column(valuable, "alerts", "valuable");
        value_table v = value_of(b, as_of, value_rules, computed, threads);
        const std::optional<alert_scope> given = scope.is_none() ? std::nullopt : std::optional(scope_from(scope));
        alert_table t;
        {
          py::gil_scoped_release release;
          t = given ? detect_alerts(b, v, as_of, value_rules, policy, *given)
                    : detect_alerts(b, v, as_of, value_rules, policy,
                                    {flags.data(), static_cast<std::size_t>(flags.size())});
        }
        return py::dict(py::arg("customer") = array_of(t.customer), py::arg("kind") = codes_of(t.kind),
                        py::arg("priority") = array_of(t.priority), py::arg("urgent") = array_of(t.urgent),
                        py::arg("reason") = t.reason);
      },
      py::arg("book"), py::arg("as_of"), py::arg("value_policy"), py::arg("policy"), py::arg("valuable") = py::none(),
      py::arg("value") = py::none(), py::arg("threads") = 0, py::arg("scope") = py::none(),
      "The alerts of the book; with `scope` (the alert_scope's fields), of a part of a book under the whole's.");

  m.def(
      "alert_rate_terms",
      [](const book& b, day_t as_of, const value_policy& value_rules, const py::object& computed) {
        const rate_terms t = alert_rate_terms(b, value_of(b, as_of, value_rules, computed, 0), as_of, value_rules);
        return py::dict(py::arg("counted") = array_of(t.counted), py::arg("rate") = array_of(t.rate),
                        py::arg("square") = array_of(t.square), py::arg("noise") = array_of(t.noise));
      },
      py::arg("book"), py::arg("as_of"), py::arg("value_policy"), py::arg("value") = py::none(),
      "Each customer's terms of the sums the book's purchase-rate prior is fitted from.");

  m.def(
      "alert_rate_prior",
      [](double count, double rates, double squares, double noise) {
        const auto [shape, rate] = alert_rate_prior({count, rates, squares, noise});
        return py::make_tuple(shape, rate);
      },
      py::arg("count"), py::arg("rates"), py::arg("squares"), py::arg("noise"),
      "The purchase-rate prior (shape, rate) of a book from its moments (summed over its parts).");

  m.def(
      "alert_rate_tests",
      [](const book& b, day_t as_of, const value_policy& value_rules, const alert_policy& policy,
         const py::handle& valuable, double rate_shape, double rate_rate, const py::object& computed) {
        const flag_column flags = to_flag_column(valuable, "alerts", "valuable");
        const rate_change_tests t =
            alert_rate_tests(b, value_of(b, as_of, value_rules, computed, 0), as_of, value_rules, policy,
                             {flags.data(), static_cast<std::size_t>(flags.size())}, rate_shape, rate_rate);
        return py::dict(py::arg("growing") = array_of(t.growing), py::arg("declining") = array_of(t.declining),
                        py::arg("lapsed_valuable") = array_of(t.lapsed));
      },
      py::arg("book"), py::arg("as_of"), py::arg("value_policy"), py::arg("policy"), py::arg("valuable"),
      py::arg("rate_shape"), py::arg("rate_rate"), py::arg("value") = py::none(),
      "Each customer's p-values in the rate-change tests (NaN outside a test's family).");

  m.def(
      "false_discovery_cutoff",
      [](const std::vector<double>& p, double tests, double q) { return false_discovery_cutoff(p, tests, q); },
      py::arg("p"), py::arg("tests"), py::arg("q"),
      "Benjamini-Hochberg's cutoff among `tests` tests from their p-values at most q; -1 when none passes.");
}
