#pragma once
// A repeat summary's columns from NumPy, held while a repeat_history reads them.
#include <pybind11/pybind11.h>

#include "cartera/bg_nbd.hpp"
#include "numpy_columns.hpp"

namespace cartera::python {

// The three columns (and the rows' weights, when given), held while the history reads them.
struct history_columns {
  real_column frequency, recency, age, weight;

  history_columns(const pybind11::handle& x, const pybind11::handle& t_x, const pybind11::handle& t,
                  const pybind11::object& w = pybind11::none())
      : frequency(to_real_column(x, "repeat_summary", "frequency")),
        recency(to_real_column(t_x, "repeat_summary", "recency")),
        age(to_real_column(t, "repeat_summary", "T")),
        weight(w.is_none() ? real_column() : to_real_column(w, "repeat_summary", "weight")) {}

  [[nodiscard]] repeat_history view() const {
    return {span_of(frequency), span_of(recency), span_of(age), span_of(weight)};
  }
};

}  // namespace cartera::python
