// The synthetic bank behind the demo, the tests and the benchmarks.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>

#include "cartera/synthetic.hpp"

namespace py = pybind11;
using namespace cartera;

void register_synthetic(py::module_& m) {
  m.def(
      "synthetic_book",
      [](index_t customers, index_t managers, std::uint64_t seed, day_t end, int history_days,
         double transactions_per_customer, double interactions_per_customer, int threads) {
        synthetic_options options;
        options.customers = customers;
        options.managers = managers;
        options.seed = seed;
        options.end = end;
        options.history_days = history_days;
        options.transactions_per_customer = transactions_per_customer;
        options.interactions_per_customer = interactions_per_customer;
        py::gil_scoped_release release;
        return std::make_shared<book>(synthetic_book(options, {.threads = threads}));
      },
      py::arg("customers"), py::arg("managers"), py::arg("seed"), py::arg("end"), py::arg("history_days"),
      py::arg("transactions_per_customer"), py::arg("interactions_per_customer"), py::arg("threads") = 0);

  m.def(
      "synthetic_behaviours",
      [](index_t customers, std::uint64_t seed) {
        synthetic_options options;
        options.customers = customers;
        options.seed = seed;
        std::vector<std::uint8_t> codes;
        for (const auto behaviour : synthetic_behaviours(options))
          codes.push_back(static_cast<std::uint8_t>(behaviour));
        return py::array_t<std::uint8_t>(static_cast<py::ssize_t>(codes.size()), codes.data());
      },
      py::arg("customers"), py::arg("seed"));

  m.attr("SYNTHETIC_DEFAULTS") = [] {
    const synthetic_options o;
    return py::dict(py::arg("end") = o.end, py::arg("history_days") = o.history_days,
                    py::arg("transactions_per_customer") = o.transactions_per_customer,
                    py::arg("interactions_per_customer") = o.interactions_per_customer);
  }();
}
