#include "python_texts.hpp"

namespace cartera::python {

python_texts::python_texts(const py::handle& triple, const std::string& table, const std::string& column) {
  const auto parts = triple.cast<py::tuple>();
  if (parts.size() != 3) {
    throw invalid_input({table, column, -1, std::to_string(parts.size())},
                        "texts come as (offsets, bytes, missing), got a tuple of another size");
  }
  offsets_ = offsets_array::ensure(parts[0]);
  bytes_ = bytes_array::ensure(parts[1]);
  missing_ = bytes_array::ensure(parts[2]);
  if (!offsets_ || !bytes_ || !missing_ || offsets_.ndim() != 1 || bytes_.ndim() != 1 || missing_.ndim() != 1) {
    throw type_mismatch({table, column, -1, ""}, "texts come as three one-dimensional arrays");
  }
  view().check(table, column);
}

text_view python_texts::view() const {
  return {{offsets_.data(), static_cast<std::size_t>(offsets_.shape(0))},
          {reinterpret_cast<const char*>(bytes_.data()), static_cast<std::size_t>(bytes_.shape(0))},
          {missing_.data(), static_cast<std::size_t>(missing_.shape(0))}};
}

std::vector<std::string> strings_of(const text_view& texts) {
  std::vector<std::string> out(texts.size());
  for (std::size_t row = 0; row < texts.size(); ++row) {
    if (!texts.is_missing(row)) out[row] = texts[row];
  }
  return out;
}

}  // namespace cartera::python
