// Moments of truth: the alert policy and the alerts, returning NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

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
         const py::object& valuable, const py::object& computed, int threads) {
        const flag_column flags = valuable.is_none() ? flag_column() : to_flag_column(valuable, "alerts", "valuable");
        // The value as the caller computed it (as of the same day, under value_rules), or now.
        value_table v = computed.is_none() ? value_table{} : value_from(computed.cast<py::dict>(), b.customer_count());
        alert_table t;
        {
          py::gil_scoped_release release;
          if (computed.is_none()) v = compute_value(b, as_of, value_rules, {.threads = threads});
          t = detect_alerts(b, v, as_of, value_rules, policy, {flags.data(), static_cast<std::size_t>(flags.size())});
        }
        return py::dict(py::arg("customer") = array_of(t.customer), py::arg("kind") = codes_of(t.kind),
                        py::arg("priority") = array_of(t.priority), py::arg("urgent") = array_of(t.urgent),
                        py::arg("reason") = t.reason);
      },
      py::arg("book"), py::arg("as_of"), py::arg("value_policy"), py::arg("policy"), py::arg("valuable") = py::none(),
      py::arg("value") = py::none(), py::arg("threads") = 0);
}
