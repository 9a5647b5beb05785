// Campaigns the day after: the policy, the outcomes, and each campaign contact measured.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/campaigns.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<campaign_policy>> campaign_fields() {
  using p = campaign_policy;
  return {
      member("response_days", &p::response_days,
             "A purchase, or a contact the customer started, this many days after a campaign contact is a response."),
      member("follow_up_days", &p::follow_up_days,
             "The customer's manager follows a response up within this many days of it."),
  };
}

}  // namespace

void register_campaigns(py::module_& m) {
  py::class_<campaign_policy> policy(m, "CampaignPolicy",
                                     "How long a campaign waits for a response, and the manager to follow it up:\n"
                                     "CampaignPolicy(response_days=14, follow_up_days=7).");
  define_policy(policy, "CampaignPolicy", campaign_fields());

  std::vector<std::string> outcomes;
  for (int k = 0; k < campaign_outcome_count; ++k)
    outcomes.emplace_back(outcome_name(static_cast<campaign_outcome>(k)));
  m.attr("CAMPAIGN_OUTCOMES") = outcomes;

  m.def(
      "measure_campaigns",
      [](const book& b, day_t as_of, const campaign_policy& p, const py::object& manager) {
        const int_column managers = manager.is_none() ? int_column() : to_int_column(manager, "campaigns", "manager");
        campaign_responses r;
        {
          py::gil_scoped_release release;
          r = measure_campaigns(b, as_of, p, span_of(managers));
        }
        return py::dict(py::arg("row") = array_of(r.row), py::arg("response_day") = array_of(r.response_day),
                        py::arg("bought") = array_of(r.bought), py::arg("revenue") = array_of(r.revenue),
                        py::arg("follow_up_day") = array_of(r.follow_up_day), py::arg("outcome") = codes_of(r.outcome));
      },
      py::arg("book"), py::arg("as_of"), py::arg("policy"), py::arg("manager") = py::none());
}
