// The Pareto/NBD model: fit, log-likelihood, probability alive and expected purchases, over
// NumPy columns of the repeat summary.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/pareto_nbd.hpp"
#include "history_columns.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

pareto_nbd_params params_of(const std::array<double, 4>& p) { return {p[0], p[1], p[2], p[3]}; }

}  // namespace

void register_pareto_nbd(py::module_& m) {
  m.def(
      "fit_pareto_nbd",
      [](const py::handle& x, const py::handle& t_x, const py::handle& t, double penalizer, int max_iterations,
         double tolerance, int threads, const py::object& weight) {
        const history_columns h(x, t_x, t, weight);
        model_fit_options options;
        options.penalizer = penalizer;
        options.max_iterations = max_iterations;
        options.tolerance = tolerance;
        options.run.threads = threads;
        pareto_nbd_fit fit;
        {
          py::gil_scoped_release release;
          fit = fit_pareto_nbd(h.view(), options);
        }
        py::dict out;
        out["r"] = fit.params.r;
        out["alpha"] = fit.params.alpha;
        out["s"] = fit.params.s;
        out["beta"] = fit.params.beta;
        out["log_likelihood"] = fit.log_likelihood;
        out["evaluations"] = fit.evaluations;
        out["converged"] = fit.converged;
        return out;
      },
      py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("penalizer"), py::arg("max_iterations"),
      py::arg("tolerance"), py::arg("threads"), py::arg("weight") = py::none(),
      "Maximum-likelihood Pareto/NBD fit: r, alpha, s, beta and how it went; `weight` counts\n"
      "the customers each row stands for.");
  m.def(
      "pareto_nbd_log_likelihood",
      [](const std::array<double, 4>& p, const py::handle& x, const py::handle& t_x, const py::handle& t,
         const py::object& weight) {
        const history_columns h(x, t_x, t, weight);
        return pareto_nbd_log_likelihood(params_of(p), h.view());
      },
      py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("weight") = py::none(),
      "The log-likelihood of (r, alpha, s, beta), summed over customers.");
  m.def(
      "pareto_nbd_p_alive",
      [](const std::array<double, 4>& p, const py::handle& x, const py::handle& t_x, const py::handle& t, int threads) {
        const history_columns h(x, t_x, t);
        real_column out;
        {
          py::gil_scoped_release release;
          out = pareto_nbd_p_alive(params_of(p), h.view(), {threads});
        }
        return to_numpy(std::move(out));
      },
      py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("threads"),
      "P(alive | frequency, recency, T) per customer.");
  m.def(
      "pareto_nbd_expected_purchases",
      [](const std::array<double, 4>& p, const py::handle& x, const py::handle& t_x, const py::handle& t,
         double horizon, int threads) {
        const history_columns h(x, t_x, t);
        real_column out;
        {
          py::gil_scoped_release release;
          out = pareto_nbd_expected_purchases(params_of(p), h.view(), horizon, {threads});
        }
        return to_numpy(std::move(out));
      },
      py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("horizon"), py::arg("threads"),
      "Expected purchases in the next `horizon` time units per customer.");
  m.def(
      "pareto_nbd_discounted_purchases",
      [](const std::array<double, 4>& p, const py::handle& x, const py::handle& t_x, const py::handle& t, double period,
         int periods, double discount_rate, int threads) {
        const history_columns h(x, t_x, t);
        real_column out;
        {
          py::gil_scoped_release release;
          out = pareto_nbd_discounted_purchases(params_of(p), h.view(), period, periods, discount_rate, {threads});
        }
        return to_numpy(std::move(out));
      },
      py::arg("params"), py::arg("frequency"), py::arg("recency"), py::arg("T"), py::arg("period"), py::arg("periods"),
      py::arg("discount_rate"), py::arg("threads"),
      "Expected purchases period by period, each discounted by (1 + discount_rate)^k, summed.");
}
