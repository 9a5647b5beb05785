#pragma once
// Texts from Python as Arrow lays them out, read in place: an (offsets, bytes, missing)
// triple of NumPy arrays (cartera._convert.texts makes them from pandas' Arrow strings).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cartera/columns.hpp"

namespace cartera::python {

namespace py = pybind11;

/// An (offsets, bytes, missing) triple, holding the arrays its view reads.
class python_texts {
 public:
  /// Throws invalid_input or type_mismatch naming `table` and `column` for anything else.
  python_texts(const py::handle& triple, const std::string& table, const std::string& column);

  [[nodiscard]] text_view view() const;

 private:
  using offsets_array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
  using bytes_array = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;
  offsets_array offsets_;
  bytes_array bytes_;
  bytes_array missing_;
};

/// The texts as strings; a missing one as "".
[[nodiscard]] std::vector<std::string> strings_of(const text_view& texts);

}  // namespace cartera::python
