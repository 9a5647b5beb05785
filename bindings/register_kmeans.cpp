// Needs-based clusters: k-means fitted and applied on a points matrix; the model crosses as
// plain arrays, which the Python estimator holds and pickles.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/kmeans.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

void register_kmeans(py::module_& m) {
  m.def(
      "kmeans_fit",
      [](points_view points, int clusters, int restarts, int max_iterations, double tolerance, std::uint64_t seed,
         bool standardise, int threads) {
        kmeans_result r;
        {
          py::gil_scoped_release release;
          r = fit_kmeans(points, {clusters, restarts, max_iterations, tolerance, seed, standardise},
                         {.threads = threads});
        }
        return py::dict(py::arg("centres") = r.model.centres, py::arg("mean") = r.model.mean,
                        py::arg("scale") = r.model.scale, py::arg("inertia") = r.model.inertia,
                        py::arg("iterations") = r.model.iterations, py::arg("restart") = r.model.restart,
                        py::arg("labels") = to_numpy(std::move(r.cluster)));
      },
      py::arg("points"), py::arg("clusters"), py::arg("restarts"), py::arg("max_iterations"), py::arg("tolerance"),
      py::arg("seed"), py::arg("standardise"), py::arg("threads") = 0);

  m.def(
      "kmeans_predict",
      [](points_view points, const point_matrix& centres, const Eigen::VectorXd& mean, const Eigen::VectorXd& scale,
         int threads) {
        kmeans_model model;
        model.centres = centres;
        model.mean = mean;
        model.scale = scale;
        int_column labels;
        double inertia = 0;
        {
          py::gil_scoped_release release;
          labels = predict_kmeans(model, points, {.threads = threads});
          inertia = kmeans_inertia(model, points, {.threads = threads});
        }
        return py::make_tuple(to_numpy(std::move(labels)), inertia);
      },
      py::arg("points"), py::arg("centres"), py::arg("mean"), py::arg("scale"), py::arg("threads") = 0);
}
