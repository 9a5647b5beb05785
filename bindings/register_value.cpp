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

py::dict policy_dict(const value_policy& p) {
  return py::dict(py::arg("window_days") = p.window_days, py::arg("recent_days") = p.recent_days,
                  py::arg("usual_periods") = p.usual_periods, py::arg("margin_rate") = p.margin_rate,
                  py::arg("channel_costs") = p.channel_costs, py::arg("other_channel_cost") = p.other_channel_cost);
}

value_policy policy_from(const py::dict& fields) {
  value_policy p;
  for (const auto& [key, value] : fields) {
    const auto name = py::str(key).cast<std::string>();
    if (name == "window_days") p.window_days = value.cast<int>();
    else if (name == "recent_days") p.recent_days = value.cast<int>();
    else if (name == "usual_periods") p.usual_periods = value.cast<int>();
    else if (name == "margin_rate") p.margin_rate = value.cast<double>();
    else if (name == "channel_costs") p.channel_costs = value.cast<decltype(p.channel_costs)>();
    else if (name == "other_channel_cost") p.other_channel_cost = value.cast<double>();
    else {
      throw invalid_input({"value_policy", name, -1, py::repr(value).cast<std::string>()},
                          "unknown field; the fields are window_days, recent_days, usual_periods, margin_rate, "
                          "channel_costs, other_channel_cost");
    }
  }
  p.validate();
  return p;
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
    if constexpr (std::is_same_v<column_type, real_column>) column = to_real_column(columns[name], "value", name);
    else column = to_int_column(columns[name], "value", name);
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
  define_policy(policy, "ValuePolicy", &policy_dict, &policy_from);
  policy
      .def_readwrite("window_days", &value_policy::window_days,
                     "Frequency, monetary, margin and cost to serve are summed over (as_of - window_days, as_of].")
      .def_readwrite("recent_days", &value_policy::recent_days, "Length of the recent period (trend).")
      .def_readwrite("usual_periods", &value_policy::usual_periods,
                     "Earlier periods of recent_days averaged into the usual spend.")
      .def_readwrite("margin_rate", &value_policy::margin_rate,
                     "Margin = amount × margin_rate when transactions carry no margin column.")
      .def_readwrite("channel_costs", &value_policy::channel_costs, "Cost of one interaction by channel.")
      .def_readwrite("other_channel_cost", &value_policy::other_channel_cost,
                     "Cost of an interaction on a channel missing from channel_costs.");

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
