// The people at the account: the policy, the findings, and whom each planned contact talks to.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/people.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<people_policy>> people_fields() {
  using p = people_policy;
  return {
      member("min_people", &p::min_people, "Named people a valuable account should have."),
      member("window_days", &p::window_days, "Single-threaded: the interactions of this many days."),
      member("min_interactions", &p::min_interactions, "And at least this many of them naming a person."),
      member("stale_days", &p::stale_days, "A person whose data was not checked this long is stale."),
  };
}

}  // namespace

void register_people(py::module_& m) {
  py::class_<people_policy> policy(m, "PeoplePolicy",
                                   "What the people findings look for: PeoplePolicy(min_people=2, stale_days=730).");
  define_policy(policy, "PeoplePolicy", people_fields());

  std::vector<std::string> names;
  for (int k = 0; k < people_finding_count; ++k) names.emplace_back(finding_name(static_cast<people_finding>(k)));
  m.attr("PEOPLE_FINDINGS") = names;

  m.def(
      "find_people_issues",
      [](const book& b, day_t as_of, const py::object& valuable, const people_policy& p) {
        const flag_column flags = valuable.is_none() ? flag_column() : to_flag_column(valuable, "people", "valuable");
        people_findings f;
        {
          py::gil_scoped_release release;
          f = find_people_issues(b, as_of, span_of(flags), p);
        }
        return py::dict(py::arg("customer") = array_of(f.customer), py::arg("finding") = codes_of(f.finding),
                        py::arg("person") = array_of(f.person), py::arg("reason") = f.reason);
      },
      py::arg("book"), py::arg("as_of"), py::arg("valuable"), py::arg("policy"));
  m.def(
      "pair_people",
      [](const book& b, const py::handle& manager, const py::handle& customer) {
        planned_contacts plan;
        const int_column managers = to_int_column(manager, "contacts", "manager");
        const int_column customers = to_int_column(customer, "contacts", "customer");
        plan.manager.assign(managers.data(), managers.data() + managers.size());
        plan.customer.assign(customers.data(), customers.data() + customers.size());
        std::vector<std::int64_t> rows;
        {
          py::gil_scoped_release release;
          rows = pair_people(b, plan);
        }
        return array_of(rows);
      },
      py::arg("book"), py::arg("manager"), py::arg("customer"));
}
