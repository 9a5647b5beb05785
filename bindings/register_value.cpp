// Customer value: the policy (plain data, picklable) and the computations, returning
// dicts of NumPy arrays that own the C++ results without a copy.
#include <pybind11/stl.h>

#include <type_traits>

#include "cartera/value.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"
#include "value_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<value_policy>> value_fields() {
  return {
      member("window_days", &value_policy::window_days,
             "Frequency, monetary, margin and cost to serve are summed over (as_of - window_days, as_of]."),
      member("recent_days", &value_policy::recent_days, "Length of the recent period (trend)."),
      member("usual_periods", &value_policy::usual_periods,
             "Earlier periods of recent_days averaged into the usual spend."),
      member("margin_rate", &value_policy::margin_rate,
             "Margin = amount × margin_rate when transactions carry no margin column."),
      member("channel_costs", &value_policy::channel_costs, "Cost of one interaction by channel."),
      member("other_channel_cost", &value_policy::other_channel_cost,
             "Cost of an interaction on a channel missing from channel_costs."),
  };
}

py::dict value_dict(value_table&& v) {
  py::dict out;
  for_each_value_column(v, [&](const char* name, auto& column) { out[name] = to_numpy(std::move(column)); });
  return out;
}

}  // namespace

value_table cartera::python::value_from(const py::dict& columns, index_t customers) {
  value_table v;
  for_each_value_column(v, [&](const char* name, auto& column) {
    if (!columns.contains(name)) throw invalid_input({"value", name, -1, {}}, "missing column");
    using column_type = std::decay_t<decltype(column)>;
    if constexpr (std::is_same_v<column_type, real_column>)
      column = to_real_column(columns[name], "value", name);
    else
      column = to_int_column(columns[name], "value", name);
    if (column.size() != customers) {
      throw invalid_input({"value", name, -1, std::to_string(column.size()) + " rows"},
                          "must have one row per customer of the book (" + std::to_string(customers) + ")");
    }
  });
  return v;
}

void register_value(py::module_& m) {
  py::class_<value_policy> policy(m, "ValuePolicy",
                                  "How value is measured: windows, margin rate and the cost of a contact by channel.");
  define_policy(policy, "ValuePolicy", value_fields());

  m.def(
      "compute_value",
      [](const book& b, day_t as_of, const value_policy& policy, int threads) {
        value_table result;
        {
          py::gil_scoped_release release;
          result = compute_value(b, as_of, policy, {.threads = threads});
        }
        return value_dict(std::move(result));
      },
      py::arg("book"), py::arg("as_of"), py::arg("policy"), py::arg("threads") = 0);

  m.def(
      "compute_repeat_summary",
      [](const book& b, day_t as_of, double unit_days, int threads) {
        repeat_summary result;
        {
          py::gil_scoped_release release;
          result = compute_repeat_summary(b, as_of, unit_days, {.threads = threads});
        }
        py::dict out;
        out["frequency"] = to_numpy(std::move(result.frequency));
        out["recency"] = to_numpy(std::move(result.recency));
        out["T"] = to_numpy(std::move(result.age));
        out["monetary_value"] = to_numpy(std::move(result.monetary));
        out["purchased"] = to_numpy(std::move(result.purchased));
        return out;
      },
      py::arg("book"), py::arg("as_of"), py::arg("unit_days") = 1.0, py::arg("threads") = 0);
}
