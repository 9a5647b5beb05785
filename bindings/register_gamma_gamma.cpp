// The Gamma-Gamma model of spend per purchase: fit, log-likelihood and expected spend,
// over NumPy columns of the repeat summary.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/gamma_gamma.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

struct spend_columns {
  real_column frequency, monetary, weight;

  spend_columns(const py::handle& x, const py::handle& m, const py::object& w = py::none())
      : frequency(to_real_column(x, "repeat_summary", "frequency")),
        monetary(to_real_column(m, "repeat_summary", "monetary_value")),
        weight(w.is_none() ? real_column() : to_real_column(w, "repeat_summary", "weight")) {}

  [[nodiscard]] spend_history view() const { return {span_of(frequency), span_of(monetary), span_of(weight)}; }
};

gamma_gamma_params params_of(const std::array<double, 3>& p) { return {p[0], p[1], p[2]}; }

}  // namespace

void register_gamma_gamma(py::module_& m) {
  m.def(
      "fit_gamma_gamma",
      [](const py::handle& x, const py::handle& spend, double penalizer, int max_iterations, double tolerance,
         const py::object& weight) {
        const spend_columns h(x, spend, weight);
        model_fit_options options;
        options.penalizer = penalizer;
        options.max_iterations = max_iterations;
        options.tolerance = tolerance;
        gamma_gamma_fit fit;
        {
          py::gil_scoped_release release;
          fit = fit_gamma_gamma(h.view(), options);
        }
        py::dict out;
        out["p"] = fit.params.p;
        out["q"] = fit.params.q;
        out["gamma"] = fit.params.gamma;
        out["log_likelihood"] = fit.log_likelihood;
        out["customers"] = fit.customers;
        out["evaluations"] = fit.evaluations;
        out["converged"] = fit.converged;
        return out;
      },
      py::arg("frequency"), py::arg("monetary_value"), py::arg("penalizer"), py::arg("max_iterations"),
      py::arg("tolerance"), py::arg("weight") = py::none(),
      "Maximum-likelihood Gamma-Gamma fit: p, q, gamma and how it went; `weight` counts the\n"
      "customers each row stands for.");
  m.def(
      "gamma_gamma_log_likelihood",
      [](const std::array<double, 3>& p, const py::handle& x, const py::handle& spend, const py::object& weight) {
        const spend_columns h(x, spend, weight);
        return gamma_gamma_log_likelihood(params_of(p), h.view());
      },
      py::arg("params"), py::arg("frequency"), py::arg("monetary_value"), py::arg("weight") = py::none(),
      "The log-likelihood of (p, q, gamma) over the customers with repeat purchases.");
  m.def(
      "gamma_gamma_expected_spend",
      [](const std::array<double, 3>& p, const py::handle& x, const py::handle& spend, int threads) {
        const spend_columns h(x, spend);
        real_column out;
        {
          py::gil_scoped_release release;
          out = gamma_gamma_expected_spend(params_of(p), h.view(), {threads});
        }
        return to_numpy(std::move(out));
      },
      py::arg("params"), py::arg("frequency"), py::arg("monetary_value"), py::arg("threads"),
      "E[spend per purchase | frequency, monetary_value] per customer.");
}
