#include "numpy_columns.hpp"

#include <pybind11/stl.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <type_traits>

#include "cartera/error.hpp"
#include "python_texts.hpp"

namespace cartera::python {
namespace {

py::array as_array(const py::handle& values, const std::string& table, const std::string& column) {
  py::array array = py::array::ensure(values);
  if (!array) throw type_mismatch({table, column, -1, {}}, "expected an array-like column");
  if (array.ndim() != 1) {
    throw type_mismatch({table, column, -1, std::to_string(array.ndim()) + " dimensions"},
                        "expected a 1-dimensional column");
  }
  return array;
}

char kind_of(const py::array& array) { return array.dtype().kind(); }

std::string kind_name(const py::array& array) { return py::str(array.dtype()).cast<std::string>(); }

// Whole numbers (integers or booleans, never floats: 2.7 would be cut to 2) into `out`,
// each checked to lie in [low, high]; unsigned 64-bit values read as such.
template <typename Scalar>
void whole_numbers_into(const py::array& array, Scalar* out, const std::string& table, const std::string& column,
                        std::int64_t low, std::uint64_t high, const char* expected, const char* out_of_range) {
  const char kind = kind_of(array);
  if (kind != 'i' && kind != 'u' && kind != 'b') throw type_mismatch({table, column, -1, kind_name(array)}, expected);
  const auto check = [&](py::ssize_t row, auto value) {
    bool fits = true;
    if constexpr (std::is_signed_v<decltype(value)>)
      fits = value < 0 ? value >= low : static_cast<std::uint64_t>(value) <= high;
    else
      fits = value <= high;
    if (!fits) throw invalid_input({table, column, row, std::to_string(value)}, out_of_range);
    out[row] = static_cast<Scalar>(value);
  };
  if (kind == 'u') {
    const auto wide = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>::ensure(array);
    const auto data = wide.unchecked<1>();
    for (py::ssize_t row = 0; row < wide.shape(0); ++row) check(row, data(row));
    return;
  }
  const auto wide = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(array);
  const auto data = wide.unchecked<1>();
  for (py::ssize_t row = 0; row < wide.shape(0); ++row) check(row, data(row));
}

template <typename Scalar>
void numbers_into(const py::array& array, Scalar* out, const std::string& table, const std::string& column) {
  if constexpr (std::is_floating_point_v<Scalar>) {
    const char kind = kind_of(array);
    if (kind != 'f' && kind != 'i' && kind != 'u')
      throw type_mismatch({table, column, -1, kind_name(array)}, "expected numbers");
    const auto doubles = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(array);
    std::copy_n(doubles.data(), doubles.shape(0), out);
  } else if constexpr (std::is_same_v<Scalar, std::uint8_t>) {
    whole_numbers_into(array, out, table, column, 0, 1, "expected booleans or 0/1", "a flag must be 0 or 1");
  } else {
    whole_numbers_into(array, out, table, column, static_cast<std::int64_t>(std::numeric_limits<Scalar>::min()),
                       static_cast<std::uint64_t>(std::numeric_limits<Scalar>::max()), "expected integers",
                       sizeof(Scalar) == 4 ? "does not fit in 32 bits" : "does not fit in 64 bits");
  }
}

template <typename Scalar>
Eigen::Array<Scalar, Eigen::Dynamic, 1> column_of(const py::handle& values, const std::string& table,
                                                  const std::string& column) {
  const py::array array = as_array(values, table, column);
  Eigen::Array<Scalar, Eigen::Dynamic, 1> result(array.shape(0));
  numbers_into(array, result.data(), table, column);
  return result;
}

}  // namespace

int_column to_int_column(const py::handle& values, const std::string& table, const std::string& column) {
  return column_of<std::int32_t>(values, table, column);
}

real_column to_real_column(const py::handle& values, const std::string& table, const std::string& column) {
  return column_of<double>(values, table, column);
}

flag_column to_flag_column(const py::handle& values, const std::string& table, const std::string& column) {
  return column_of<std::uint8_t>(values, table, column);
}

template <typename Scalar>
std::vector<Scalar> to_vector(const py::handle& values, const std::string& table, const std::string& column) {
  const py::array array = as_array(values, table, column);
  std::vector<Scalar> result(static_cast<std::size_t>(array.shape(0)));
  numbers_into(array, result.data(), table, column);
  return result;
}

template std::vector<double> to_vector(const py::handle&, const std::string&, const std::string&);
template std::vector<std::int32_t> to_vector(const py::handle&, const std::string&, const std::string&);
template std::vector<std::int64_t> to_vector(const py::handle&, const std::string&, const std::string&);
template std::vector<std::uint64_t> to_vector(const py::handle&, const std::string&, const std::string&);
template std::vector<std::uint8_t> to_vector(const py::handle&, const std::string&, const std::string&);

categorical to_categorical(const py::handle& pair, const std::string& table, const std::string& column) {
  const auto parts = py::reinterpret_borrow<py::tuple>(pair);
  if (parts.size() != 2) throw type_mismatch({table, column, -1, {}}, "expected (categories, codes)");
  return {parts[0].cast<std::vector<std::string>>(), to_int_column(parts[1], table, column)};
}

std::vector<stage> to_stages(const py::handle& values, const std::string& table, const std::string& column) {
  const py::array array = as_array(values, table, column);
  flag_column codes(array.shape(0));
  whole_numbers_into(array, codes.data(), table, column, 0, stage_count - 1, "expected stage codes",
                     "no such stage; a stage code is 0 (sin_contacto) to 4 (confiar)");
  std::vector<stage> result(static_cast<std::size_t>(codes.size()));
  for (Eigen::Index i = 0; i < codes.size(); ++i) result[static_cast<std::size_t>(i)] = static_cast<stage>(codes[i]);
  return result;
}

std::vector<rule> to_rules(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<rule> rules;
  for (const auto& [label, text] : pairs) rules.push_back({label, text});
  return rules;
}

std::vector<std::string> to_ids(const py::handle& values, const std::string& table) {
  if (py::isinstance<py::tuple>(values)) {
    const python_texts texts(values, table, "id");
    return strings_of(texts.view());
  }
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
    if (py::isinstance<py::tuple>(value))
      out.add(name, to_categorical(value, table, name));
    else
      out.add(name, to_real_column(value, table, name));
  }
  return out;
}

}  // namespace cartera::python
