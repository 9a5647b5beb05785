#pragma once
// The value table's columns, listed once: the names Python sees them by, out to NumPy and
// back in (a value computed once in a job is handed to the steps that read it).

#include <pybind11/pybind11.h>

#include "cartera/value.hpp"

namespace cartera::python {

namespace py = pybind11;

/// Calls visit(name, column) for every column of a value table (const or not), in order.
template <typename Table, typename Visit>
void for_each_value_column(Table& v, Visit&& visit) {
  visit("recency", v.recency);
  visit("frequency", v.frequency);
  visit("monetary", v.monetary);
  visit("monetary_mean", v.monetary_mean);
  visit("margin", v.margin);
  visit("tenure", v.tenure);
  visit("first_purchase", v.first_purchase);
  visit("last_purchase", v.last_purchase);
  visit("lifetime_monetary", v.lifetime_monetary);
  visit("recent", v.recent);
  visit("usual", v.usual);
  visit("trend", v.trend);
  visit("interactions", v.interactions);
  visit("cost_to_serve", v.cost_to_serve);
  visit("contribution", v.contribution);
  visit("returned", v.returned);
  visit("returns", v.returns);
  visit("return_rate", v.return_rate);
}

/// A value table from its columns by name (days as day numbers), one entry per customer;
/// errors name the "value" table and the column.
value_table value_from(const py::dict& columns, index_t customers);

}  // namespace cartera::python
