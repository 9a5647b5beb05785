#pragma once
// What every policy class shares in Python: plain data built from keywords or a dict,
// compared field by field, shown in keyword form, pickled through a versioned state.

#include <pybind11/pybind11.h>

#include <cctype>
#include <string>

#include "cartera/error.hpp"

namespace cartera::python {

namespace py = pybind11;

/// Version of the pickled state; bump it when a policy's fields change meaning.
inline constexpr int policy_state_version = 1;

/// "ValuePolicy" as errors name it: "value_policy".
inline std::string snake_name(const char* name) {
  std::string out;
  for (const char* c = name; *c != '\0'; ++c) {
    if (std::isupper(static_cast<unsigned char>(*c)) && !out.empty()) out += '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(*c)));
  }
  return out;
}

/// What a field's default says its values must be.
inline std::string kind_of(const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return "true or false";
  if (py::isinstance<py::int_>(value)) return "a whole number";
  if (py::isinstance<py::float_>(value)) return "a number";
  if (py::isinstance<py::str>(value)) return "text";
  if (py::isinstance<py::dict>(value)) return "a table of fields";
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) return "a list";
  return "a value like " + std::string(py::repr(value));
}

/// from_dict, with a value of the wrong type (text where a number goes, a number where a
/// table goes) reported as type_mismatch naming the policy, the field and the value,
/// instead of a bare cast error.
template <typename Policy, typename ToDict, typename FromDict>
auto typed_from_dict(const char* name, ToDict to_dict, FromDict from_dict) {
  return [name, to_dict, from_dict](const py::dict& fields) -> Policy {
    const auto wrong_type = [&](const py::dict& tried) -> type_mismatch {
      const py::dict defaults = to_dict(Policy{});
      for (const auto& [key, value] : tried) {
        py::dict one;
        one[key] = value;
        bool failed = false;
        try {
          (void)from_dict(one);
        } catch (const py::cast_error&) {
          failed = true;
        } catch (const py::error_already_set&) {
          failed = true;
        } catch (const cartera::error&) {
          // a value of the right type out of its range: not this field's type
        }
        if (!failed) continue;
        const std::string expected = defaults.contains(key) ? kind_of(defaults[key]) : "another type";
        return type_mismatch({snake_name(name), std::string(py::str(key)), -1, std::string(py::repr(value))}, "expected " + expected);
      }
      return type_mismatch({snake_name(name), "", -1, {}}, "a field has a value of the wrong type");
    };
    try {
      return from_dict(fields);
    } catch (const py::cast_error&) {
      throw wrong_type(fields);
    } catch (py::error_already_set& error) {
      if (!error.matches(PyExc_TypeError) && !error.matches(PyExc_ValueError)) throw;
      throw wrong_type(fields);
    }
  };
}

/// Adds __init__(**fields), to_dict, from_dict, __eq__, __repr__ and pickling to a policy
/// class, given its conversions to and from a dict (from_dict validates; values of the
/// wrong type are a TypeError naming the field).
template <typename Policy, typename ToDict, typename RawFromDict>
void define_policy(py::class_<Policy>& cls, const char* name, ToDict to_dict, RawFromDict raw_from_dict) {
  const auto from_dict = typed_from_dict<Policy>(name, to_dict, raw_from_dict);
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
