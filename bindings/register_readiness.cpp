// The book's own IDIC readiness: its policy, and the shares measured from the book.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/readiness.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"
#include "value_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<readiness_policy>> readiness_fields() {
  using p = readiness_policy;
  return {
      member("interaction_days", &p::interaction_days,
             "Interact: two-way interactions in this many days before the day count as dialogue."),
      member("mvc_share", &p::mvc_share, "Differentiate: the most valuable customers, as a share of the book."),
  };
}

}  // namespace

void register_readiness(py::module_& m) {
  py::class_<readiness_policy> policy(m, "ReadinessPolicy",
                                      "What the book's own readiness counts: ReadinessPolicy(interaction_days=365).");
  define_policy(policy, "ReadinessPolicy", readiness_fields());

  m.def(
      "measure_readiness",
      [](const book& b, day_t as_of, const py::dict& value, const py::handle& stage_codes, const readiness_policy& p,
         const py::object& preferred, const py::object& planned) {
        const value_table v = value_from(value, b.customer_count());
        const std::vector<stage> stages = to_stages(stage_codes, "readiness", "stage");
        const int_column pref = preferred.is_none() ? int_column() : to_int_column(preferred, "readiness", "preferred");
        const int_column plan = planned.is_none() ? int_column() : to_int_column(planned, "readiness", "planned");
        book_readiness r;
        {
          py::gil_scoped_release release;
          r = measure_readiness(b, v, stages, as_of, p, span_of(pref), span_of(plan));
        }
        return py::dict(
            py::arg("identify") = r.identify, py::arg("differentiate") = r.differentiate,
            py::arg("mvc_revenue_share") = r.mvc_revenue_share, py::arg("interact") = r.interact,
            py::arg("dialogue_continuity") = r.dialogue_continuity, py::arg("individualise") = r.individualise,
            py::arg("preferred_channel_kept") = r.preferred_channel_kept, py::arg("customers") = r.customers);
      },
      py::arg("book"), py::arg("as_of"), py::arg("value"), py::arg("stage"), py::arg("policy"),
      py::arg("preferred") = py::none(), py::arg("planned") = py::none());
}
