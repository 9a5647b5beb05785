// Team sizing: how many managers the book's tiers and stages need under the contact policy.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/team_sizing.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

void register_team_sizing(py::module_& m) {
  m.def(
      "size_team",
      [](const py::handle& tier, const py::handle& stage_codes, const contact_policy& p, double budget,
         std::int64_t capacity, std::int64_t team) {
        const int_column tiers = to_int_column(tier, "customers", "tier");
        const std::vector<stage> stages = to_stages(stage_codes, "customers", "stage");
        const team_sizing t = size_team(span_of(tiers), stages, p, budget, capacity, team);
        return py::dict(
            py::arg("customers") = array_of(t.customers),
            py::arg("minutes_per_customer") = array_of(t.minutes_per_customer),
            py::arg("minutes") = array_of(t.minutes), py::arg("largest_portfolio") = array_of(t.largest_portfolio),
            py::arg("coverage") = array_of(t.coverage), py::arg("total_minutes") = t.total_minutes,
            py::arg("managers_by_time") = t.managers_by_time, py::arg("managers_by_capacity") = t.managers_by_capacity,
            py::arg("managers_needed") = t.managers_needed, py::arg("team") = t.team,
            py::arg("customer_coverage") = t.customer_coverage, py::arg("minute_coverage") = t.minute_coverage);
      },
      py::arg("tier"), py::arg("stage"), py::arg("policy"), py::arg("budget"), py::arg("capacity"), py::arg("team"));
}
