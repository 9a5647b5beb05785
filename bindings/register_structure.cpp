// Relationship structure (interview, group, panel, workbench) by customer, with the
// reason, and the counts by portfolio, returning NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>

#include "cartera/structure.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

void register_structure(py::module_& m) {
  std::vector<std::string> structures;
  for (int s = 0; s < structure_count; ++s)
    structures.emplace_back(structure_name(static_cast<relationship_structure>(s)));
  m.attr("STRUCTURES") = structures;

  m.def(
      "classify_structures",
      [](const py::dict& columns, index_t rows, const std::string& providers, const std::string& peer,
         double many_providers, const std::vector<std::pair<std::string, std::string>>& rules,
         const py::object& manager, index_t managers) {
        structure_policy p;
        p.providers_column = providers;
        p.peer_column = peer;
        p.many_providers = many_providers;
        for (const auto& [label, text] : rules) p.rules.push_back({label, text});
        const column_set set = columns_from(columns, rows, "customers");
        structure_table t = classify_structures(set, p);
        const int_column portfolio = manager.is_none() ? int_column() : to_int_column(manager, "customers", "manager");
        const auto counts =
            count_structures(t.structure, {portfolio.data(), static_cast<std::size_t>(portfolio.size())}, managers);
        py::array_t<std::int64_t> count_array(
            {static_cast<py::ssize_t>(counts.size()), static_cast<py::ssize_t>(structure_count)});
        for (std::size_t r = 0; r < counts.size(); ++r) {
          std::memcpy(count_array.mutable_data(static_cast<py::ssize_t>(r), 0), counts[r].data(),
                      sizeof(structure_counts));
        }
        return py::dict(
            py::arg("structure") = codes_of(t.structure),
            py::arg("reason") = py::make_tuple(std::move(t.reason.categories), to_numpy(std::move(t.reason.codes))),
            py::arg("counts") = count_array);
      },
      py::arg("columns"), py::arg("rows"), py::arg("providers"), py::arg("peer"), py::arg("many_providers"),
      py::arg("rules"), py::arg("manager"), py::arg("managers"));
}
