#pragma once
// NumPy arrays in and out of cartera columns (and rule lists in). In: strict about kinds (no floats where
// integers are needed), with errors naming table and column. Out: the column's buffer is
// handed to NumPy without a copy; a capsule owns it.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cartera/columns.hpp"
#include "cartera/columns_set.hpp"
#include "cartera/rules.hpp"
#include "cartera/stages.hpp"

namespace cartera::python {

namespace py = pybind11;

int_column to_int_column(const py::handle& values, const std::string& table, const std::string& column);
real_column to_real_column(const py::handle& values, const std::string& table, const std::string& column);
flag_column to_flag_column(const py::handle& values, const std::string& table, const std::string& column);
/// A column as a vector of Scalar (double, int32, int64, uint64, or uint8 for flags), by the
/// same rules: whole numbers only for an integer Scalar, each checked to fit.
template <typename Scalar>
std::vector<Scalar> to_vector(const py::handle& values, const std::string& table, const std::string& column);
/// A categorical from a (categories, codes) pair.
categorical to_categorical(const py::handle& pair, const std::string& table, const std::string& column);
/// Named per-customer columns ({name: float array | (categories, codes)}) as a column_set;
/// errors name `table` and the column.
column_set columns_from(const py::dict& columns, index_t rows, const std::string& table);
/// Stage codes (0 contactar … 4 lost) as stages; a code out of range names its row.
std::vector<stage> to_stages(const py::handle& values, const std::string& table, const std::string& column);
/// (label, condition) pairs as rules.
std::vector<rule> to_rules(const std::vector<std::pair<std::string, std::string>>& pairs);
/// Ids from a list of str, an integer array (formatted in C++, which is faster) or an
/// (offsets, bytes, missing) triple of texts read in place (a missing one is an empty id).
std::vector<std::string> to_ids(const py::handle& values, const std::string& table);

/// A read-only span over a column, for the C++ calls that take one.
template <typename Scalar>
std::span<const Scalar> span_of(const Eigen::Array<Scalar, Eigen::Dynamic, 1>& column) {
  return {column.data(), static_cast<std::size_t>(column.size())};
}

/// A vector's values copied into a new NumPy array.
template <typename T>
py::array_t<T> array_of(const std::vector<T>& values) {
  return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

/// A vector of one-byte enum values as their uint8 codes.
template <typename Enum>
py::array_t<std::uint8_t> codes_of(const std::vector<Enum>& values) {
  static_assert(sizeof(Enum) == 1);
  py::array_t<std::uint8_t> out(static_cast<py::ssize_t>(values.size()));
  std::memcpy(out.mutable_data(), values.data(), values.size());
  return out;
}

/// Moves a column into a NumPy array without copying its values.
template <typename Scalar>
py::array_t<Scalar> to_numpy(Eigen::Array<Scalar, Eigen::Dynamic, 1>&& column) {
  auto* owner = new Eigen::Array<Scalar, Eigen::Dynamic, 1>(std::move(column));
  py::capsule free_owner(owner, [](void* p) { delete static_cast<Eigen::Array<Scalar, Eigen::Dynamic, 1>*>(p); });
  return py::array_t<Scalar>(owner->size(), owner->data(), free_owner);
}

/// A read-only NumPy view of a column owned by `owner` (kept alive by the array).
template <typename Scalar>
py::array_t<Scalar> view_numpy(const Eigen::Array<Scalar, Eigen::Dynamic, 1>& column, py::handle owner) {
  py::array_t<Scalar> array(column.size(), column.data(), owner);
  py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return array;
}

/// A read-only NumPy view of a vector owned by `owner` (kept alive by the array).
template <typename Scalar>
py::array_t<Scalar> view_numpy(const std::vector<Scalar>& values, py::handle owner) {
  py::array_t<Scalar> array(static_cast<py::ssize_t>(values.size()), values.data(), owner);
  py::detail::array_proxy(array.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return array;
}

/// A categorical as the (categories, codes) pair Python builds a pandas.Categorical from.
inline py::tuple categorical_out(categorical&& c) {
  return py::make_tuple(std::move(c.categories), to_numpy(std::move(c.codes)));
}

}  // namespace cartera::python
