#pragma once
// What every policy class shares in Python, from one table of its fields: each field's
// name, how Python reads it, how it is set from a Python value, and its doc. The table
// gives the keyword constructor, to_dict, from_dict, the properties, the "unknown field;
// the fields are …" error, a value of the wrong type named as such, equality, the keyword
// repr, pickling through a versioned state, and `fields` (checked against the stubs).

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cctype>
#include <functional>
#include <string>
#include <vector>

#include "cartera/error.hpp"

namespace cartera::python {

namespace py = pybind11;

/// Version of the pickled state of policies, problems and results; bump it when a field changes meaning.
inline constexpr int pickle_state_version = 1;

/// One field of a policy.
template <typename Policy>
struct policy_field {
  std::string name;
  std::function<py::object(const Policy&)> get;
  /// Sets the field from a Python value; a value of the wrong type throws py::cast_error
  /// (or a Python TypeError), a value out of its rule an invalid_input.
  std::function<void(Policy&, const py::handle&)> set;
  std::string doc;
};

/// A member read and set as its own C++ type.
template <typename Policy, typename T>
policy_field<Policy> member(const char* name, T Policy::*where, const char* doc) {
  return {name, [where](const Policy& p) { return py::cast(p.*where); },
          [where](Policy& p, const py::handle& value) { p.*where = value.template cast<T>(); }, doc};
}

/// A field with its own conversions (maps keyed by stage or channel, nested sections).
template <typename Policy>
policy_field<Policy> custom(const char* name, std::function<py::object(const Policy&)> get,
                            std::function<void(Policy&, const py::handle&)> set, const char* doc) {
  return {name, std::move(get), std::move(set), doc};
}

/// "ValuePolicy" as errors name it: "value_policy".
inline std::string snake_name(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out += '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

/// What a default value says the field's values must be.
inline std::string kind_of(const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return "true or false";
  if (py::isinstance<py::int_>(value)) return "a whole number";
  if (py::isinstance<py::float_>(value)) return "a number";
  if (py::isinstance<py::str>(value)) return "text";
  if (py::isinstance<py::dict>(value)) return "a table of fields";
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) return "a list";
  return "a value like " + std::string(py::repr(value));
}

/// The fields' names, for messages: "a, b, c".
template <typename Policy>
std::string field_names(const std::vector<policy_field<Policy>>& fields) {
  std::string names;
  for (const auto& f : fields) names += (names.empty() ? "" : ", ") + f.name;
  return names;
}

/// Every field as a dict, in the table's order.
template <typename Policy>
py::dict fields_dict(const Policy& p, const std::vector<policy_field<Policy>>& fields) {
  py::dict out;
  for (const auto& f : fields) out[py::str(f.name)] = f.get(p);
  return out;
}

/// Sets the fields a dict names on `p`, in the table's order (a field may depend on one
/// listed before it); `where` names the policy (and section) in errors.
template <typename Policy>
void apply_fields(Policy& p, const py::dict& given, const std::vector<policy_field<Policy>>& fields,
                  const std::string& where) {
  for (const auto& [key, value] : given) {
    const auto name = py::str(key).cast<std::string>();
    bool known = false;
    for (const auto& f : fields) known = known || f.name == name;
    if (!known)
      throw invalid_input({where, name, -1, std::string(py::repr(value))},
                          "unknown field; the fields are " + field_names(fields));
  }
  for (const auto& f : fields) {
    if (!given.contains(f.name)) continue;
    const py::object value = given[py::str(f.name)];
    try {
      f.set(p, value);
    } catch (const py::cast_error&) {
      throw type_mismatch({where, f.name, -1, std::string(py::repr(value))}, "expected " + kind_of(f.get(Policy{})));
    } catch (py::error_already_set& error) {
      if (!error.matches(PyExc_TypeError) && !error.matches(PyExc_ValueError)) throw;
      throw type_mismatch({where, f.name, -1, std::string(py::repr(value))}, "expected " + kind_of(f.get(Policy{})));
    }
  }
}

/// A section of a policy (a struct member with fields of its own), as one field holding a
/// table: read as a dict, set field by field ("section.field" in errors).
template <typename Policy, typename Section>
policy_field<Policy> section(const char* name, Section Policy::*where, std::vector<policy_field<Section>> fields,
                             const char* policy, const char* doc) {
  return {name, [where, fields](const Policy& p) { return py::object(fields_dict(p.*where, fields)); },
          [where, fields, policy, name](Policy& p, const py::handle& value) {
            apply_fields(p.*where, value.template cast<py::dict>(), fields, std::string(policy) + "." + name);
          },
          doc};
}

/// Adds __init__(**fields), fields, to_dict, from_dict, the properties, __eq__, __repr__
/// and pickling to a policy class, all from its table of fields. from_dict (and the
/// constructor, and each property's setter) validates.
template <typename Policy>
void define_policy(py::class_<Policy>& cls, const char* name, std::vector<policy_field<Policy>> fields) {
  const std::string where = snake_name(name);
  const auto from_dict = [fields, where](const py::dict& given) {
    Policy p;
    apply_fields(p, given, fields, where);
    p.validate();
    return p;
  };
  const auto to_dict = [fields](const Policy& p) { return fields_dict(p, fields); };
  std::vector<std::string> names;
  for (const auto& f : fields) names.push_back(f.name);
  cls.def(py::init([from_dict](const py::kwargs& given) { return from_dict(given); }))
      .def_property_readonly_static(
          "fields", [names](const py::object&) { return py::tuple(py::cast(names)); },
          "The names of the policy's fields, in order.")
      .def("validate", &Policy::validate, "Raises InvalidInputError naming the field out of range.")
      .def("to_dict", to_dict, "Every field, with the defaults for those never set.")
      .def_static("from_dict", from_dict, py::arg("fields"),
                  "A policy from a dict; missing fields keep their defaults.")
      .def("__eq__", [to_dict](const Policy& a, const Policy& b) { return to_dict(a).equal(to_dict(b)); })
      .def("__repr__",
           [to_dict, name](const Policy& p) {
             std::string text = std::string(name) + "(";
             bool first = true;
             for (const auto& [key, value] : to_dict(p)) {
               text += (first ? "" : ", ") + std::string(py::str(key)) + "=" + std::string(py::repr(value));
               first = false;
             }
             return text + ")";
           })
      .def(py::pickle([to_dict](const Policy& p) { return py::make_tuple(pickle_state_version, to_dict(p)); },
                      [from_dict, name](const py::tuple& state) {
                        if (state.size() != 2 || state[0].template cast<int>() != pickle_state_version) {
                          throw invalid_input({name, "state", -1, {}}, "unsupported pickle state");
                        }
                        return from_dict(state[1].template cast<py::dict>());
                      }));
  for (const auto& f : fields) {
    // A property's setter keeps the policy valid: the old value stays when the new one
    // breaks a rule.
    cls.def_property(
        f.name.c_str(), [get = f.get](const Policy& p) { return get(p); },
        [f, fields, where](Policy& p, const py::object& value) {
          const Policy before = p;
          try {
            apply_fields(p, py::dict(py::arg(f.name.c_str()) = value), fields, where);
            p.validate();
          } catch (...) {
            p = before;
            throw;
          }
        },
        f.doc.c_str());
  }
}

}  // namespace cartera::python
