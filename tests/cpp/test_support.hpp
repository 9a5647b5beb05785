#pragma once
// Small helpers to write tables inline in tests.

#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "cartera/cartera.hpp"

namespace cartera::testing {

inline int_column ints(std::initializer_list<std::int32_t> values) {
  int_column column(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const auto value : values) column[i++] = value;
  return column;
}

inline real_column reals(std::initializer_list<double> values) {
  real_column column(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const auto value : values) column[i++] = value;
  return column;
}

inline flag_column flags(std::initializer_list<std::uint8_t> values) {
  flag_column column(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (const auto value : values) column[i++] = value;
  return column;
}

/// Texts laid out as Arrow lays them out, owning their memory; std::nullopt is missing.
struct owned_texts {
  std::vector<std::int64_t> offsets{0};
  std::string bytes;
  std::vector<std::uint8_t> missing;

  explicit owned_texts(const std::vector<std::optional<std::string>>& values) {
    for (const auto& value : values) {
      bytes += value.value_or("");
      offsets.push_back(static_cast<std::int64_t>(bytes.size()));
      missing.push_back(value ? 0 : 1);
    }
  }
  [[nodiscard]] text_view view() const { return {offsets, bytes, missing}; }
};

inline categorical labels(std::vector<std::string> values) { return categorical::encode(values); }

inline customer_table customers(std::vector<std::string> ids) {
  return {id_index(std::move(ids), "customers"), {}, {}, {}, {}, {}};
}

inline manager_table managers(std::vector<std::string> ids) {
  return {id_index(std::move(ids), "managers"), {}, {}, {}};
}

}  // namespace cartera::testing

// Expects `statement` to throw `type` with exactly `message` as what().
#define EXPECT_THROW_MSG(statement, type, message)          \
  do {                                                      \
    try {                                                   \
      statement;                                            \
      ADD_FAILURE() << "no exception thrown";               \
    } catch (const type& caught) {                          \
      EXPECT_EQ(std::string(caught.what()), message);       \
    } catch (...) {                                         \
      ADD_FAILURE() << "another exception type was thrown"; \
    }                                                       \
  } while (false)
