#include "numpy_columns.hpp"

#include <pybind11/stl.h>

#include <charconv>
#include <limits>

#include "cartera/error.hpp"

namespace cartera::python {
namespace {

py::array as_array(const py::handle& values, const std::string& table, const std::string& column) {
  py::array array = py::array::ensure(values);
  if (!array) throw type_mismatch({table, column, -1, {}}, "expected an array-like column");
  if (array.ndim() != 1) {
    throw type_mismatch({table, column, -1, std::to_string(array.ndim()) + " dimensions"}, "expected a 1-dimensional column");
  }
  return array;
}

char kind_of(const py::array& array) { return array.dtype().kind(); }

std::string kind_name(const py::array& array) { return py::str(array.dtype()).cast<std::string>(); }

// Integers (or booleans) narrowed to Scalar, each checked to lie in [low, high].
template <typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> narrowed(const py::handle& values, const std::string& table,
                                                 const std::string& column, std::int64_t low, std::int64_t high,
                                                 const char* expected, const char* out_of_range) {
  const py::array array = as_array(values, table, column);
  const char kind = kind_of(array);
  if (kind != 'i' && kind != 'u' && kind != 'b') throw type_mismatch({table, column, -1, kind_name(array)}, expected);
  const auto wide = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(array);
  const auto data = wide.unchecked<1>();
  Eigen::Array<Scalar, Eigen::Dynamic, 1> result(wide.shape(0));
  for (py::ssize_t row = 0; row < wide.shape(0); ++row) {
    const std::int64_t value = data(row);
    if (value < low || value > high) throw invalid_input({table, column, row, std::to_string(value)}, out_of_range);
    result[row] = static_cast<Scalar>(value);
  }
  return result;
}

}  // namespace

int_column to_int_column(const py::handle& values, const std::string& table, const std::string& column) {
  return narrowed<std::int32_t>(values, table, column, std::numeric_limits<std::int32_t>::min(),
                                std::numeric_limits<std::int32_t>::max(), "expected integers", "does not fit in 32 bits");
}

real_column to_real_column(const py::handle& values, const std::string& table, const std::string& column) {
  const py::array array = as_array(values, table, column);
  const char kind = kind_of(array);
  if (kind != 'f' && kind != 'i' && kind != 'u') {
    throw type_mismatch({table, column, -1, kind_name(array)}, "expected numbers");
  }
  const auto doubles = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(array);
  return Eigen::Map<const real_column>(doubles.data(), doubles.shape(0));
}

flag_column to_flag_column(const py::handle& values, const std::string& table, const std::string& column) {
  return narrowed<std::uint8_t>(values, table, column, 0, 1, "expected booleans or 0/1", "a flag must be 0 or 1");
}

categorical to_categorical(const py::handle& pair, const std::string& table, const std::string& column) {
  const auto parts = py::reinterpret_borrow<py::tuple>(pair);
  if (parts.size() != 2) throw type_mismatch({table, column, -1, {}}, "expected (categories, codes)");
  return {parts[0].cast<std::vector<std::string>>(), to_int_column(parts[1], table, column)};
}

std::vector<stage> to_stages(const py::handle& values, const std::string& table, const std::string& column) {
  const auto codes = narrowed<std::uint8_t>(values, table, column, 0, stage_count - 1, "expected stage codes",
                                            "no such stage; a stage code is 0 (sin_contacto) to 4 (confiar)");
  std::vector<stage> result(static_cast<std::size_t>(codes.size()));
  for (Eigen::Index i = 0; i < codes.size(); ++i) result[static_cast<std::size_t>(i)] = static_cast<stage>(codes[i]);
  return result;
}

std::vector<std::string> to_ids(const py::handle& values, const std::string& table) {
  if (py::isinstance<py::array>(values)) {
    const py::array array = as_array(values, table, "id");
    if (kind_of(array) == 'i' || kind_of(array) == 'u') {
      const auto wide = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(array);
      const auto data = wide.unchecked<1>();
      std::vector<std::string> ids(static_cast<std::size_t>(wide.shape(0)));
      char text[24];
      for (py::ssize_t row = 0; row < wide.shape(0); ++row) {
        const auto end = std::to_chars(text, text + sizeof text, data(row)).ptr;
        ids[static_cast<std::size_t>(row)].assign(text, end);
      }
      return ids;
    }
  }
  return values.cast<std::vector<std::string>>();
}

column_set columns_from(const py::dict& columns, index_t rows, const std::string& table) {
  column_set out(rows);
  for (const auto& [key, value] : columns) {
    const auto name = py::str(key).cast<std::string>();
    if (py::isinstance<py::tuple>(value)) out.add(name, to_categorical(value, table, name));
    else out.add(name, to_real_column(value, table, name));
  }
  return out;
}

}  // namespace cartera::python
