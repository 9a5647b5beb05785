#pragma once
// What every policy class shares in Python: plain data built from keywords or a dict,
// compared field by field, shown in keyword form, pickled through a versioned state.

#include <pybind11/pybind11.h>

#include <string>

#include "cartera/error.hpp"

namespace cartera::python {

namespace py = pybind11;

/// Version of the pickled state; bump it when a policy's fields change meaning.
inline constexpr int policy_state_version = 1;

/// Adds __init__(**fields), to_dict, from_dict, __eq__, __repr__ and pickling to a policy
/// class, given its conversions to and from a dict (from_dict validates).
template <typename Policy, typename ToDict, typename FromDict>
void define_policy(py::class_<Policy>& cls, const char* name, ToDict to_dict, FromDict from_dict) {
  cls.def(py::init([from_dict](const py::kwargs& fields) { return from_dict(fields); }))
      .def("validate", &Policy::validate, "Raises InvalidInputError naming the field out of range.")
      .def("to_dict", to_dict, "Every field, with the defaults for those never set.")
      .def_static("from_dict", from_dict, py::arg("fields"), "A policy from a dict; missing fields keep their defaults.")
      .def("__eq__", [to_dict](const Policy& a, const Policy& b) { return py::dict(to_dict(a)).equal(to_dict(b)); })
      .def("__repr__",
           [to_dict, name](const Policy& p) {
             std::string text = std::string(name) + "(";
             bool first = true;
             const py::dict fields = to_dict(p);
             for (const auto& [key, value] : fields) {
               text += (first ? "" : ", ") + std::string(py::str(key)) + "=" + std::string(py::repr(value));
               first = false;
             }
             return text + ")";
           })
      .def(py::pickle([to_dict](const Policy& p) { return py::make_tuple(policy_state_version, to_dict(p)); },
                      [from_dict, name](const py::tuple& state) {
                        if (state.size() != 2 || state[0].template cast<int>() != policy_state_version) {
                          throw invalid_input({name, "state", -1, {}}, "unsupported pickle state");
                        }
                        return from_dict(state[1].template cast<py::dict>());
                      }));
}

}  // namespace cartera::python
