// Assignment: the problem and the result are bound C++ objects whose columns Python reads
// as NumPy views of their memory (no copies either way); solvers release the GIL and take
// it back only to report progress.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <fstream>
#include <memory>
#include <type_traits>

#include "assignment_columns.hpp"
#include "cartera/assignment.hpp"
#include "cartera/gap_instances.hpp"
#include "cartera/preview.hpp"
#include "cartera/realignment.hpp"
#include "cartera/routing.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

std::vector<std::string> problem_field_names() {
  std::vector<std::string> names;
  assignment_problem p;
  for_each_problem_field(p, [&](const char* name, auto&, field_role, const char*) { names.emplace_back(name); });
  return names;
}

// Sets the fields a dict names (columns converted strictly; None leaves an optional column
// empty); `p` keeps the others.
void apply_problem_fields(assignment_problem& p, const py::dict& given) {
  const auto names = problem_field_names();
  for (const auto& [key, value] : given) {
    const auto name = py::str(key).cast<std::string>();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw invalid_input({"problem", name, -1, std::string(py::repr(value))},
                          "unknown field; the fields are " + known);
    }
  }
  for_each_problem_field(p, [&](const char* name, auto& member, field_role role, const char*) {
    if (!given.contains(name)) return;
    const py::object value = given[name];
    using member_type = std::decay_t<decltype(member)>;
    if constexpr (is_vector<member_type>::value) {
      if (!value.is_none())
        member = to_vector<typename member_type::value_type>(value, "problem", name);
      else if (role == field_role::required)
        throw invalid_input({"problem", name, -1, "None"}, "is required");
      else
        member.clear();
    } else {
      const bool whole = std::is_integral_v<member_type>;
      if (py::isinstance<py::bool_>(value) ||
          !(py::isinstance<py::int_>(value) || (!whole && py::isinstance<py::float_>(value)))) {
        throw type_mismatch({"problem", name, -1, std::string(py::repr(value))},
                            whole ? "expected a whole number" : "expected a number");
      }
      member = value.cast<member_type>();
    }
  });
  p.customers = static_cast<index_t>(p.leave_out.size());
  p.managers = static_cast<index_t>(p.capacity.size());
}

assignment_problem problem_from(const py::dict& given) {
  assignment_problem p;
  for_each_problem_field(p, [&](const char* name, auto&, field_role role, const char*) {
    if (role == field_role::required && !given.contains(name))
      throw invalid_input({"problem", name, -1, {}}, "missing column");
  });
  apply_problem_fields(p, given);
  return p;
}

// One field: a column as a read-only view of `self`'s memory (None for an optional column
// left empty), a number as it is.
py::object problem_field(const assignment_problem& p, const std::string& name, py::handle self) {
  py::object out;
  for_each_problem_field(p, [&](const char* field, const auto& member, field_role role, const char*) {
    if (name != field) return;
    if constexpr (is_vector<std::decay_t<decltype(member)>>::value) {
      out = role == field_role::optional && member.empty() ? py::object(py::none())
                                                           : py::object(view_numpy(member, self));
    } else {
      out = py::cast(member);
    }
  });
  return out;
}

py::dict problem_dict(const assignment_problem& p, py::handle self) {
  py::dict out;
  for (const auto& name : problem_field_names()) out[py::str(name)] = problem_field(p, name, self);
  return out;
}

template <typename T>
void optional_column(const py::dict& table, const char* table_name, const char* name, std::vector<T>& into) {
  if (table.contains(name) && !table[name].is_none()) into = to_vector<T>(table[name], table_name, name);
}

realignment_customers customers_from(const py::dict& c) {
  realignment_customers customers;
  optional_column(c, "customers", "value", customers.value);
  optional_column(c, "customers", "segment", customers.segment);
  optional_column(c, "customers", "region", customers.region);
  optional_column(c, "customers", "pool", customers.pool);
  optional_column(c, "customers", "current", customers.current);
  if (c.contains("current_stage") && !c["current_stage"].is_none()) {
    customers.current_stage = to_stages(c["current_stage"], "customers", "stage");
  }
  optional_column(c, "customers", "manual", customers.manual);
  optional_column(c, "customers", "workload", customers.workload);
  optional_column(c, "customers", "x", customers.x);
  optional_column(c, "customers", "y", customers.y);
  return customers;
}

realignment_managers managers_from(const py::dict& mg) {
  realignment_managers managers;
  optional_column(mg, "managers", "capacity", managers.capacity);
  optional_column(mg, "managers", "time_budget", managers.time_budget);
  optional_column(mg, "managers", "fixed_cost", managers.fixed_cost);
  optional_column(mg, "managers", "region", managers.region);
  optional_column(mg, "managers", "skills", managers.skills);
  optional_column(mg, "managers", "pools", managers.pools);
  optional_column(mg, "managers", "level", managers.level);
  optional_column(mg, "managers", "x", managers.x);
  optional_column(mg, "managers", "y", managers.y);
  return managers;
}

template <typename T>
std::vector<T> optional_vector(const py::object& values, const char* table, const char* column) {
  return values.is_none() ? std::vector<T>{} : to_vector<T>(values, table, column);
}

std::vector<std::pair<index_t, index_t>> pairs_from(const py::object& customers, const py::object& managers) {
  const auto who = optional_vector<index_t>(customers, "forbidden", "customer");
  const auto whom = optional_vector<index_t>(managers, "forbidden", "manager");
  if (who.size() != whom.size()) {
    throw invalid_input({"forbidden", "manager", -1, std::to_string(whom.size()) + " entries"},
                        "must hold one entry per customer entry");
  }
  std::vector<std::pair<index_t, index_t>> pairs;
  for (std::size_t k = 0; k < who.size(); ++k) pairs.emplace_back(who[k], whom[k]);
  return pairs;
}

// Binds the problem: keywords in (converted once), read-only views out, the numbers
// settable, replace() for a changed copy, pickling through to_dict.
void bind_problem(py::module_& m) {
  using problem_ptr = std::shared_ptr<assignment_problem>;
  py::class_<assignment_problem, problem_ptr> cls(
      m, "AssignmentProblem",
      "A realignment problem as arrays: candidates per customer in CSR form. Customer c's candidate pairs are\n"
      "offsets[c]:offsets[c + 1] of manager, cost and (with time budgets) workload. The columns are read-only\n"
      "views of the C++ problem; replace(**fields) gives a changed copy.");
  cls.def(py::init([](const py::kwargs& given) { return std::make_shared<assignment_problem>(problem_from(given)); }))
      .def_property_readonly_static(
          "fields", [](const py::object&) { return py::tuple(py::cast(problem_field_names())); },
          "The constructor's keywords, in order.")
      .def_readonly("customers", &assignment_problem::customers)
      .def_readonly("managers", &assignment_problem::managers)
      .def_property_readonly("arcs", [](const assignment_problem& p) { return p.manager.size(); })
      .def("validate", &assignment_problem::validate,
           "Raises InvalidInputError naming the array, position and value of a problem.")
      .def("capacity_only", &assignment_problem::capacity_only,
           "No time budget, band or fixed cost: the exact solvers' case.")
      .def(
          "to_dict", [](const py::object& self) { return problem_dict(self.cast<const assignment_problem&>(), self); },
          "Every field (columns as read-only views): AssignmentProblem(**p.to_dict()) is an equal copy.")
      .def(
          "replace",
          [](const assignment_problem& p, const py::kwargs& changes) {
            auto changed = std::make_shared<assignment_problem>(p);
            apply_problem_fields(*changed, changes);
            return changed;
          },
          "A copy with the fields named changed.")
      .def("__repr__",
           [](const assignment_problem& p) {
             std::string text = "AssignmentProblem(customers=" + std::to_string(p.customers) +
                                ", managers=" + std::to_string(p.managers) +
                                ", arcs=" + std::to_string(p.manager.size());
             for_each_problem_field(p, [&](const char* name, const auto& member, field_role role, const char*) {
               if constexpr (is_vector<std::decay_t<decltype(member)>>::value) {
                 if (role == field_role::optional && !member.empty()) text += std::string(", ") + name;
               }
             });
             return text + ")";
           })
      .def(py::pickle(
          [](const py::object& self) {
            return py::make_tuple(pickle_state_version, problem_dict(self.cast<const assignment_problem&>(), self));
          },
          [](const py::tuple& state) {
            if (state.size() != 2 || state[0].cast<int>() != pickle_state_version) {
              throw invalid_input({"AssignmentProblem", "state", -1, {}}, "unsupported pickle state");
            }
            return std::make_shared<assignment_problem>(problem_from(state[1].cast<py::dict>()));
          }));
  assignment_problem blank;
  for_each_problem_field(blank, [&](const char* name, auto& member, field_role, const char* doc) {
    const auto get = [field = std::string(name)](const py::object& self) {
      return problem_field(self.cast<const assignment_problem&>(), field, self);
    };
    if constexpr (is_vector<std::decay_t<decltype(member)>>::value) {
      cls.def_property_readonly(name, get, doc);
    } else {
      cls.def_property(
          name, get,
          [field = std::string(name)](assignment_problem& p, const py::object& value) {
            apply_problem_fields(p, py::dict(py::arg(field.c_str()) = value));
          },
          doc);
    }
  });
}

// A result as plain data for pickling: its columns copied, its figures by name.
py::dict result_state(const assignment_result& r) {
  py::dict state;
  for_each_result_column(r, [&](const char* name, const auto& column, const char*) { state[name] = array_of(column); });
  std::vector<std::uint8_t> reasons(r.reason.size());
  for (std::size_t k = 0; k < reasons.size(); ++k) reasons[k] = static_cast<std::uint8_t>(r.reason[k]);
  state["reason"] = array_of(reasons);
  state["value"] = array_of(r.value);
  for_each_result_figure(r, [&](const char* name, const auto& figure, const char*) { state[name] = figure; });
  state["status"] = static_cast<int>(r.status);
  state["stopped_by"] = static_cast<int>(r.stopped_by);
  return state;
}

assignment_result result_from(const py::dict& state) {
  assignment_result r;
  for_each_result_column(r, [&](const char* name, auto& column, const char*) {
    column = to_vector<typename std::decay_t<decltype(column)>::value_type>(state[name], "AssignmentResult", name);
  });
  for (const auto code : to_vector<std::int32_t>(state["reason"], "AssignmentResult", "reason")) {
    r.reason.push_back(static_cast<unassigned_reason>(code));
  }
  r.value = to_vector<double>(state["value"], "AssignmentResult", "value");
  for_each_result_figure(r, [&](const char* name, auto& figure, const char*) {
    figure = state[name].cast<std::decay_t<decltype(figure)>>();
  });
  r.status = static_cast<solve_status>(state["status"].cast<int>());
  r.stopped_by = static_cast<stop_reason>(state["stopped_by"].cast<int>());
  return r;
}

// Binds the result: read-only views of its columns and its figures.
void bind_result(py::module_& m) {
  py::class_<assignment_result, std::shared_ptr<assignment_result>> cls(
      m, "AssignmentResult",
      "What a solver found: a manager position per customer (-1: none), why not, and how the solve ended.");
  assignment_result blank;
  for_each_result_column(blank, [&](const char* name, auto&, const char* doc) {
    cls.def_property_readonly(
        name,
        [field = std::string(name)](const py::object& self) {
          py::object out;
          for_each_result_column(self.cast<const assignment_result&>(),
                                 [&](const char* column, const auto& member, const char*) {
                                   if (field == column) out = view_numpy(member, self);
                                 });
          return out;
        },
        doc);
  });
  for_each_result_figure(blank, [&](const char* name, auto&, const char* doc) {
    cls.def_property_readonly(
        name,
        [field = std::string(name)](const assignment_result& r) {
          py::object out;
          for_each_result_figure(r, [&](const char* figure, const auto& member, const char*) {
            if (field == figure) out = py::cast(member);
          });
          return out;
        },
        doc);
  });
  cls.def_property_readonly(
         "reason_codes",
         [](const py::object& self) {
           const auto& reasons = self.cast<const assignment_result&>().reason;
           static_assert(sizeof(unassigned_reason) == 1);
           py::array_t<std::uint8_t> codes(static_cast<py::ssize_t>(reasons.size()),
                                           reinterpret_cast<const std::uint8_t*>(reasons.data()), self);
           py::detail::array_proxy(codes.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
           return codes;
         },
         "Per customer: the code of the reason in REASONS (0: assigned).")
      .def_property_readonly(
          "value",
          [](const py::object& self) -> py::object {
            const auto& r = self.cast<const assignment_result&>();
            if (r.value.empty()) return py::none();
            return view_numpy(r.value, self);
          },
          "Per manager: the value served (with a value band; else None).")
      .def_property_readonly(
          "status", [](const assignment_result& r) { return std::string(status_name(r.status)); },
          "How the solve ended: optimal, feasible, stopped or infeasible.")
      .def_property_readonly(
          "stopped_by", [](const assignment_result& r) { return std::string(stop_reason_name(r.stopped_by)); },
          "What cut the solve short: none, time_limit or progress.")
      .def("__repr__",
           [](const assignment_result& r) {
             return "AssignmentResult(customers=" + std::to_string(r.manager.size()) +
                    ", managers=" + std::to_string(r.load.size()) + ", solver='" + r.solver + "', status='" +
                    status_name(r.status) + "', objective=" + std::string(py::repr(py::float_(r.objective))) +
                    ", gap=" + std::string(py::repr(py::float_(r.gap))) + ", moves=" + std::to_string(r.moves) + ")";
           })
      .def(py::pickle([](const assignment_result& r) { return py::make_tuple(pickle_state_version, result_state(r)); },
                      [](const py::tuple& state) {
                        if (state.size() != 2 || state[0].cast<int>() != pickle_state_version) {
                          throw invalid_input({"AssignmentResult", "state", -1, {}}, "unsupported pickle state");
                        }
                        return std::make_shared<assignment_result>(result_from(state[1].cast<py::dict>()));
                      }));
}

py::dict continuity_dict(const realignment_policy& p) {
  py::dict continuity;
  for (int s = 0; s < stage_count; ++s) {
    continuity[py::str(std::string(stage_name(static_cast<stage>(s))))] = p.continuity[static_cast<std::size_t>(s)];
  }
  return continuity;
}

void set_continuity(realignment_policy& p, const py::handle& prices) {
  for (const auto& [stage_key, price] : prices.cast<py::dict>()) {
    const auto text = py::str(stage_key).cast<std::string>();
    int found = -1;
    for (int s = 0; s < stage_count; ++s) {
      if (stage_name(static_cast<stage>(s)) == text) found = s;
    }
    if (found < 0) {
      throw invalid_input({"assignment_policy", "continuity", -1, "'" + text + "'"},
                          "no such stage; the stages are sin_contacto, contactar, relacionar, intimar, confiar");
    }
    p.continuity[static_cast<std::size_t>(found)] = price.cast<double>();
  }
}

std::vector<policy_field<realignment_policy>> assignment_fields() {
  using p = realignment_policy;
  return {
      member("same_region", &p::same_region, "Only managers of the customer's region are candidates."),
      member("max_candidates", &p::max_candidates, "Cheapest candidates kept per customer (0: all)."),
      member("distance_weight", &p::distance_weight, "Pair cost per unit of distance (x, y)."),
      member("fit_weight", &p::fit_weight, "Pair cost per step between segment and manager level."),
      custom<p>("continuity", continuity_dict, set_continuity,
                "Price of moving a customer away from their manager, by the stage reached with them (the stages named "
                "are set)."),
      member("leave_out_weight", &p::leave_out_weight, "Leave-out price per unit of value."),
      member("leave_out_floor", &p::leave_out_floor, "The least leave-out price, whatever the value."),
      member("lock_manual", &p::lock_manual, "Manual current assignments are pinned."),
      member("move_budget", &p::move_budget, "Most voluntary moves (-1: no limit)."),
      member("move_share", &p::move_share, "Most voluntary moves, as a share of customers with a manager."),
      member("band_tolerance", &p::band_tolerance, "Half-width of the load band, as a share of the target."),
      member("band_penalty", &p::band_penalty, "Price per customer outside the band (0: no band)."),
      member("value_band_tolerance", &p::value_band_tolerance,
             "Half-width of the value band, as a share of each manager's value target."),
      member("value_band_penalty", &p::value_band_penalty,
             "Price per unit of value outside the value band (0: no value balance)."),
  };
}

}  // namespace

// Long on purpose: one m.def per function of the concept, in the order the stubs list them.
void register_assignment(py::module_& m) {
  py::class_<realignment_policy> policy(
      m, "AssignmentPolicy",
      "Who may serve whom and what each pair costs: candidates, weights, continuity by stage, "
      "locks, the move budget and the load band.");
  define_policy(policy, "AssignmentPolicy", assignment_fields());
  bind_problem(m);
  bind_result(m);

  m.def(
      "solve_assignment",
      [](const assignment_problem& p, const std::string& solver, double cost_scale, double time_limit, double gap_limit,
         std::int64_t iterations, std::uint64_t seed, const py::object& progress) {
        assignment_options options{.solver = solver,
                                   .cost_scale = cost_scale,
                                   .time_limit = time_limit,
                                   .gap_limit = gap_limit,
                                   .iterations = iterations,
                                   .seed = seed,
                                   .progress = {}};
        if (!progress.is_none()) {
          options.progress = [progress](const assignment_progress& at) {
            py::gil_scoped_acquire hold;
            const py::object answer =
                progress(py::dict(py::arg("iteration") = at.iteration, py::arg("seconds") = at.seconds,
                                  py::arg("objective") = at.objective, py::arg("bound") = at.bound));
            return answer.is_none() || answer.cast<bool>();
          };
        }
        auto result = std::make_shared<assignment_result>();
        {
          py::gil_scoped_release release;
          *result = solve_assignment(p, options);
        }
        return result;
      },
      py::arg("problem"), py::arg("solver") = "auto", py::arg("cost_scale") = 1000.0, py::arg("time_limit") = 60.0,
      py::arg("gap_limit") = 1e-4, py::arg("iterations") = 1000, py::arg("seed") = 0, py::arg("progress") = py::none());

  m.def("assignment_solvers", &assignment_solvers);

  m.def(
      "build_realignment",
      [](const py::dict& c, const py::dict& mg, const realignment_policy& policy, const py::object& forbidden_customer,
         const py::object& forbidden_manager, const py::object& given) {
        const realignment_customers customers = customers_from(c);
        const realignment_managers managers = managers_from(mg);
        auto p = std::make_shared<assignment_problem>();
        if (!given.is_none()) {
          const auto pairs = given.cast<py::dict>();
          const given_candidates chosen{to_vector<index_t>(pairs["customer"], "candidates", "customer"),
                                        to_vector<index_t>(pairs["manager"], "candidates", "manager"),
                                        to_vector<double>(pairs["cost"], "candidates", "cost"),
                                        optional_vector<double>(pairs["workload"], "candidates", "workload")};
          py::gil_scoped_release release;
          *p = build_realignment_from_candidates(customers, managers, policy, chosen);
        } else {
          const auto forbidden = pairs_from(forbidden_customer, forbidden_manager);
          py::gil_scoped_release release;
          *p = build_realignment(customers, managers, policy, forbidden);
        }
        return p;
      },
      py::arg("customers"), py::arg("managers"), py::arg("policy"), py::arg("forbidden_customer") = py::none(),
      py::arg("forbidden_manager") = py::none(), py::arg("given") = py::none());

  m.def(
      "route",
      [](const py::dict& c, const py::dict& mg, const realignment_policy& policy, const py::object& load,
         const py::object& time, const py::object& forbidden_customer, const py::object& forbidden_manager) {
        const realignment_customers arrivals = customers_from(c);
        const realignment_managers managers = managers_from(mg);
        const auto forbidden = pairs_from(forbidden_customer, forbidden_manager);
        const auto loads = to_vector<std::int64_t>(load, "managers", "load");
        const auto minutes = optional_vector<double>(time, "managers", "time");
        routing_result r;
        {
          py::gil_scoped_release release;
          r = route(arrivals, managers, policy, loads, minutes, forbidden);
        }
        return py::dict(py::arg("manager") = array_of(r.manager), py::arg("reason") = codes_of(r.reason),
                        py::arg("load") = array_of(r.load), py::arg("time") = array_of(r.time));
      },
      py::arg("customers"), py::arg("managers"), py::arg("policy"), py::arg("load"), py::arg("time") = py::none(),
      py::arg("forbidden_customer") = py::none(), py::arg("forbidden_manager") = py::none());

  m.def(
      "preview_assignment",
      [](const py::object& current, const py::object& proposed, const py::object& value, index_t managers) {
        const auto before = to_vector<index_t>(current, "preview", "current");
        const auto after = to_vector<index_t>(proposed, "preview", "proposed");
        const auto worth = to_vector<double>(value, "preview", "value");
        const assignment_preview p = preview_assignment(before, after, worth, managers);
        return py::dict(
            py::arg("change") = codes_of(p.change), py::arg("counts") = array_of(p.counts),
            py::arg("load_before") = array_of(p.load_before), py::arg("load_after") = array_of(p.load_after),
            py::arg("value_before") = array_of(p.value_before), py::arg("value_after") = array_of(p.value_after),
            py::arg("value_unassigned_before") = p.value_unassigned_before,
            py::arg("value_unassigned_after") = p.value_unassigned_after);
      },
      py::arg("current"), py::arg("proposed"), py::arg("value"), py::arg("managers"));

  m.def(
      "read_orlibrary_gap",
      [](const std::string& path) {
        std::ifstream in(path);
        if (!in) throw invalid_input({"orlibrary_gap", "path", -1, path}, "cannot be read");
        return std::make_shared<assignment_problem>(read_orlibrary_gap(in));
      },
      py::arg("path"));
}
