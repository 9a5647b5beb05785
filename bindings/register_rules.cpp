// Rules: conditions in cartera's small language, parsed (with the position of a mistake)
// and applied to named columns, first match wins.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/rules.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

void register_rules(py::module_& m) {
  m.def(
      "apply_rules",
      [](const py::dict& columns, index_t rows, const std::vector<std::pair<std::string, std::string>>& rules,
         const std::string& fallback) {
        const column_set c = columns_from(columns, rows, "columns");
        const std::vector<rule> list = to_rules(rules);
        rule_labels out;
        {
          py::gil_scoped_release release;
          out = apply_rules(list, fallback, c);
        }
        return py::dict(py::arg("label") = categorical_out(std::move(out.label)),
                        py::arg("rule") = to_numpy(std::move(out.rule)));
      },
      py::arg("columns"), py::arg("rows"), py::arg("rules"), py::arg("default"));

  m.def(
      "condition_columns", [](const std::string& text) { return condition(text).columns(); }, py::arg("text"),
      "Parses a condition (raising InvalidInputError with the position of a mistake) and lists its columns.");
}
