// The compiled half of the Python package: one register_* call per concept.
#include <pybind11/pybind11.h>

namespace py = pybind11;

void register_errors(py::module_& m);
void register_bg_nbd(py::module_& m);
void register_pareto_nbd(py::module_& m);
void register_book(py::module_& m);
void register_campaigns(py::module_& m);
void register_cleaning(py::module_& m);
void register_value(py::module_& m);
void register_stages(py::module_& m);
void register_segmentation(py::module_& m);
void register_rules(py::module_& m);
void register_gamma_gamma(py::module_& m);
void register_growth(py::module_& m);
void register_kmeans(py::module_& m);
void register_alerts(py::module_& m);
void register_complaint_indicator(py::module_& m);
void register_synthetic(py::module_& m);
void register_assignment(py::module_& m);
void register_contact_plan(py::module_& m);
void register_drip_dialogue(py::module_& m);
void register_team_sizing(py::module_& m);
void register_people(py::module_& m);
void register_readiness(py::module_& m);
void register_referrals(py::module_& m);
void register_structure(py::module_& m);

PYBIND11_MODULE(_core, m) {
  m.doc() = "cartera's C++ core. Use the cartera package, not this module.";
  m.attr("__version__") = CARTERA_VERSION;
  register_errors(m);
  register_book(m);
  register_campaigns(m);
  register_bg_nbd(m);
  register_pareto_nbd(m);
  register_cleaning(m);
  register_value(m);
  register_stages(m);
  register_segmentation(m);
  register_rules(m);
  register_gamma_gamma(m);
  register_growth(m);
  register_kmeans(m);
  register_alerts(m);
  register_complaint_indicator(m);
  register_synthetic(m);
  register_assignment(m);
  register_contact_plan(m);
  register_drip_dialogue(m);
  register_team_sizing(m);
  register_people(m);
  register_readiness(m);
  register_referrals(m);
  register_structure(m);
}
