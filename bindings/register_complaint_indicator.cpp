// The complaint indicator: its policy, and one row per manager and month as NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/complaint_indicator.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<complaint_policy>> complaint_fields() {
  using p = complaint_policy;
  return {
      member("response_days", &p::response_days,
             "A valuable customer's complaint is handled in time when resolved within this many days."),
      member("stay_days", &p::stay_days,
             "The customer stayed when they bought again within this many days of the complaint."),
      member("valuable_share", &p::valuable_share,
             "Without a valuable flag, the top share of customers by value counts as valuable."),
  };
}

}  // namespace

void register_complaint_indicator(py::module_& m) {
  py::class_<complaint_policy> policy(m, "ComplaintPolicy",
                                      "When a complaint is handled in time and when the customer stayed:\n"
                                      "ComplaintPolicy(response_days=30, stay_days=180).");
  define_policy(policy, "ComplaintPolicy", complaint_fields());

  m.def(
      "complaint_indicator",
      [](const book& b, day_t as_of, const py::object& value, const py::object& valuable, const complaint_policy& p,
         const py::object& manager) {
        const real_column values = to_real_column(value, "complaint_indicator", "value");
        const flag_column flags =
            valuable.is_none() ? flag_column() : to_flag_column(valuable, "complaint_indicator", "valuable");
        const int_column managers =
            manager.is_none() ? int_column() : to_int_column(manager, "complaint_indicator", "manager");
        complaint_indicator_table t;
        {
          py::gil_scoped_release release;
          t = complaint_indicator(b, as_of, span_of(values), span_of(flags), p, span_of(managers));
        }
        return py::dict(
            py::arg("manager") = array_of(t.manager), py::arg("month") = array_of(t.month),
            py::arg("complaints") = array_of(t.complaints), py::arg("resolved") = array_of(t.resolved),
            py::arg("first_contact") = array_of(t.first_contact),
            py::arg("first_contact_share") = array_of(t.first_contact_share),
            py::arg("first_contact_share_by_value") = array_of(t.first_contact_share_by_value),
            py::arg("mean_days_to_resolve") = array_of(t.mean_days_to_resolve),
            py::arg("median_days_to_resolve") = array_of(t.median_days_to_resolve),
            py::arg("valuable") = array_of(t.valuable), py::arg("valuable_due") = array_of(t.valuable_due),
            py::arg("valuable_in_time") = array_of(t.valuable_in_time),
            py::arg("valuable_in_time_share") = array_of(t.valuable_in_time_share),
            py::arg("stay_due") = array_of(t.stay_due), py::arg("stayed") = array_of(t.stayed),
            py::arg("stayed_share") = array_of(t.stayed_share),
            py::arg("stayed_share_by_value") = array_of(t.stayed_share_by_value), py::arg("value") = array_of(t.value),
            py::arg("first_contact_value") = array_of(t.first_contact_value),
            py::arg("stay_due_value") = array_of(t.stay_due_value), py::arg("stayed_value") = array_of(t.stayed_value));
      },
      py::arg("book"), py::arg("as_of"), py::arg("value"), py::arg("valuable"), py::arg("policy"), py::arg("manager"));
}
