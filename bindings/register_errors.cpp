// cartera exceptions become Python exceptions that are also the built-in ones users
// expect (ValueError, KeyError, TypeError), carrying table, column, row and value.
#include <pybind11/pybind11.h>

#include "cartera/error.hpp"

namespace py = pybind11;

namespace {

py::object make_exception_type(py::module_& m, const char* name, py::tuple bases, const char* doc) {
  py::dict namespace_;
  namespace_["__module__"] = "cartera";
  namespace_["__doc__"] = doc;
  // KeyError quotes its message when printed; every cartera error prints it plainly.
  namespace_["__str__"] = py::module_::import("builtins").attr("BaseException").attr("__str__");
  py::object type =
      py::reinterpret_borrow<py::object>(reinterpret_cast<PyObject*>(&PyType_Type))(name, bases, namespace_);
  m.attr(name) = type;
  return type;
}

void raise(const py::object& type, const cartera::error& error) {
  py::object instance = type(error.what());
  const auto& where = error.where();
  instance.attr("table") = where.table;
  instance.attr("column") = where.column;
  instance.attr("row") = where.row >= 0 ? py::object(py::int_(where.row)) : py::object(py::none());
  instance.attr("value") = where.value;
  PyErr_SetObject(type.ptr(), instance.ptr());
}

}  // namespace

void register_errors(py::module_& m) {
  const py::module_ builtins = py::module_::import("builtins");
  // Leaked on purpose: the translator below may run until the interpreter exits.
  static auto* invalid = new py::object(make_exception_type(
      m, "InvalidInputError", py::make_tuple(builtins.attr("ValueError")),
      "Bad input: a value breaks a documented rule. The message names table, column, row and value."));
  static auto* unknown = new py::object(
      make_exception_type(m, "UnknownIdError", py::make_tuple(builtins.attr("KeyError"), *invalid),
                          "An id that is not in the table it refers to. Both a KeyError and a ValueError."));
  static auto* mismatch = new py::object(
      make_exception_type(m, "TypeMismatchError", py::make_tuple(builtins.attr("TypeError")),
                          "A column or argument of the wrong type, such as floats where integers are needed."));
  py::register_exception_translator([](std::exception_ptr caught) {
    try {
      if (caught) std::rethrow_exception(caught);
    } catch (const cartera::unknown_id& e) {
      raise(*unknown, e);
    } catch (const cartera::invalid_input& e) {
      raise(*invalid, e);
    } catch (const cartera::type_mismatch& e) {
      raise(*mismatch, e);
    }
  });
}
