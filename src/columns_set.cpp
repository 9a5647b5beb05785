#include "cartera/columns_set.hpp"

#include <algorithm>

namespace cartera {

void column_set::add(std::string name, column values) {
  const auto length = std::visit(
      [](const auto& c) {
        if constexpr (std::is_same_v<std::decay_t<decltype(c)>, categorical>) {
          return static_cast<index_t>(c.codes.size());
        } else {
          return static_cast<index_t>(c.size());
        }
      },
      values);
  if (length != rows_) {
    throw invalid_input({"columns", name, -1, std::to_string(length) + " rows"},
                        "column length differs from the " + std::to_string(rows_) + " rows of the others");
  }
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it != names_.end()) {
    columns_[static_cast<std::size_t>(it - names_.begin())] = std::move(values);
    return;
  }
  names_.push_back(std::move(name));
  columns_.push_back(std::move(values));
}

const column_set::column* column_set::find(std::string_view name) const {
  const auto it = std::find(names_.begin(), names_.end(), name);
  return it == names_.end() ? nullptr : &columns_[static_cast<std::size_t>(it - names_.begin())];
}

const real_column& column_set::numbers(std::string_view name, std::string_view user) const {
  const column* found = find(name);
  if (found == nullptr) {
    throw invalid_input({std::string(user), std::string(name), -1, {}}, "unknown column; the columns are " + listing());
  }
  if (const auto* values = std::get_if<real_column>(found)) return *values;
  throw invalid_input({std::string(user), std::string(name), -1, {}}, "expected numbers, the column holds labels");
}

std::string column_set::listing() const {
  std::string text;
  for (const auto& name : names_) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "(none)" : text;
}

}  // namespace cartera
