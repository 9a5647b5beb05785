// Assignment: problems cross as dicts of NumPy arrays (the Python AssignmentProblem holds
// them), solvers release the GIL and take it back only to report progress.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>
#include <fstream>

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

// A 1-d array of T (converted if needed; the Python layer passes the right dtypes).
template <typename T>
std::vector<T> vector_of(const py::handle& values) {
  if (values.is_none()) return {};
  const auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(values);
  if (!array || array.ndim() != 1) throw py::type_error("expected a one-dimensional array");
  std::vector<T> out(static_cast<std::size_t>(array.size()));
  if (!out.empty()) std::memcpy(out.data(), array.data(), out.size() * sizeof(T));
  return out;
}

assignment_problem problem_from(const py::dict& d) {
  assignment_problem p;
  p.customers = d["customers"].cast<index_t>();
  p.managers = d["managers"].cast<index_t>();
  p.offsets = vector_of<std::int64_t>(d["offsets"]);
  p.manager = vector_of<index_t>(d["manager"]);
  p.cost = vector_of<double>(d["cost"]);
  p.workload = vector_of<double>(d["workload"]);
  p.leave_out = vector_of<double>(d["leave_out"]);
  p.capacity = vector_of<std::int64_t>(d["capacity"]);
  p.time_budget = vector_of<double>(d["time_budget"]);
  p.band.low = vector_of<std::int64_t>(d["band_low"]);
  p.band.high = vector_of<std::int64_t>(d["band_high"]);
  p.band.penalty = d["band_penalty"].cast<double>();
  p.value_balance.value = vector_of<double>(d["value"]);
  p.value_balance.low = vector_of<double>(d["value_low"]);
  p.value_balance.high = vector_of<double>(d["value_high"]);
  p.value_balance.penalty = d["value_penalty"].cast<double>();
  p.fixed_cost = vector_of<double>(d["fixed_cost"]);
  p.pinned = vector_of<index_t>(d["pinned"]);
  p.current = vector_of<index_t>(d["current"]);
  p.move_budget = d["move_budget"].cast<std::int64_t>();
  return p;
}

py::dict problem_dict(const assignment_problem& p) {
  const auto optional = [](const auto& values) -> py::object {
    if (values.empty()) return py::none();
    return array_of(values);
  };
  return py::dict(py::arg("customers") = p.customers, py::arg("managers") = p.managers, py::arg("offsets") = array_of(p.offsets),
                  py::arg("manager") = array_of(p.manager), py::arg("cost") = array_of(p.cost),
                  py::arg("workload") = optional(p.workload), py::arg("leave_out") = array_of(p.leave_out),
                  py::arg("capacity") = array_of(p.capacity), py::arg("time_budget") = optional(p.time_budget),
                  py::arg("band_low") = optional(p.band.low), py::arg("band_high") = optional(p.band.high),
                  py::arg("band_penalty") = p.band.penalty, py::arg("value") = optional(p.value_balance.value),
                  py::arg("value_low") = optional(p.value_balance.low), py::arg("value_high") = optional(p.value_balance.high),
                  py::arg("value_penalty") = p.value_balance.penalty, py::arg("fixed_cost") = optional(p.fixed_cost),
                  py::arg("pinned") = optional(p.pinned),
                  py::arg("current") = optional(p.current), py::arg("move_budget") = p.move_budget);
}

realignment_customers customers_from(const py::dict& c) {
  realignment_customers customers;
  customers.value = vector_of<double>(c["value"]);
  customers.segment = vector_of<std::int32_t>(c["segment"]);
  customers.region = vector_of<std::int32_t>(c["region"]);
  customers.pool = vector_of<std::int32_t>(c["pool"]);
  customers.current = vector_of<index_t>(c["current"]);
  for (const auto code : vector_of<std::uint8_t>(c["current_stage"])) customers.current_stage.push_back(static_cast<stage>(code));
  customers.manual = vector_of<std::uint8_t>(c["manual"]);
  customers.workload = vector_of<double>(c["workload"]);
  customers.x = vector_of<double>(c["x"]);
  customers.y = vector_of<double>(c["y"]);
  return customers;
}

realignment_managers managers_from(const py::dict& mg) {
  realignment_managers managers;
  managers.capacity = vector_of<std::int64_t>(mg["capacity"]);
  managers.time_budget = vector_of<double>(mg["time_budget"]);
  managers.fixed_cost = vector_of<double>(mg["fixed_cost"]);
  managers.region = vector_of<std::int32_t>(mg["region"]);
  managers.skills = vector_of<std::uint64_t>(mg["skills"]);
  managers.pools = vector_of<std::uint64_t>(mg["pools"]);
  managers.level = vector_of<std::int32_t>(mg["level"]);
  managers.x = vector_of<double>(mg["x"]);
  managers.y = vector_of<double>(mg["y"]);
  return managers;
}

std::vector<std::pair<index_t, index_t>> pairs_from(const py::object& customers, const py::object& managers) {
  std::vector<std::pair<index_t, index_t>> pairs;
  const auto who = vector_of<index_t>(customers), whom = vector_of<index_t>(managers);
  if (who.size() != whom.size()) throw invalid_input({"forbidden", "manager", -1, std::to_string(whom.size()) + " entries"}, "must hold one entry per customer entry");
  for (std::size_t k = 0; k < who.size(); ++k) pairs.emplace_back(who[k], whom[k]);
  return pairs;
}

std::vector<std::uint8_t> reason_codes(const std::vector<unassigned_reason>& reasons) {
  std::vector<std::uint8_t> codes(reasons.size());
  for (std::size_t k = 0; k < reasons.size(); ++k) codes[k] = static_cast<std::uint8_t>(reasons[k]);
  return codes;
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
                "Price of moving a customer away from their manager, by the stage reached with them (the stages named are set)."),
      member("leave_out_weight", &p::leave_out_weight, "Leave-out price per unit of value."),
      member("leave_out_floor", &p::leave_out_floor, "The least leave-out price, whatever the value."),
      member("lock_manual", &p::lock_manual, "Manual current assignments are pinned."),
      member("move_budget", &p::move_budget, "Most voluntary moves (-1: no limit)."),
      member("move_share", &p::move_share, "Most voluntary moves, as a share of customers with a manager."),
      member("band_tolerance", &p::band_tolerance, "Half-width of the load band, as a share of the target."),
      member("band_penalty", &p::band_penalty, "Price per customer outside the band (0: no band)."),
      member("value_band_tolerance", &p::value_band_tolerance, "Half-width of the value band, as a share of each manager's value target."),
      member("value_band_penalty", &p::value_band_penalty, "Price per unit of value outside the value band (0: no value balance)."),
  };
}

}  // namespace

void register_assignment(py::module_& m) {
  py::class_<realignment_policy> policy(m, "AssignmentPolicy",
                                        "Who may serve whom and what each pair costs: candidates, weights, continuity by stage, "
                                        "locks, the move budget and the load band.");
  define_policy(policy, "AssignmentPolicy", assignment_fields());

  m.def(
      "solve_assignment",
      [](const py::dict& problem, const std::string& solver, double cost_scale, double time_limit, double gap_limit,
         std::int64_t iterations, std::uint64_t seed, const py::object& progress) {
        const assignment_problem p = problem_from(problem);
        assignment_options options{.solver = solver, .cost_scale = cost_scale, .time_limit = time_limit, .gap_limit = gap_limit,
                                   .iterations = iterations, .seed = seed, .progress = {}};
        if (!progress.is_none()) {
          options.progress = [progress](const assignment_progress& at) {
            py::gil_scoped_acquire hold;
            const py::object answer = progress(py::dict(py::arg("iteration") = at.iteration, py::arg("seconds") = at.seconds,
                                                        py::arg("objective") = at.objective, py::arg("bound") = at.bound));
            return answer.is_none() || answer.cast<bool>();
          };
        }
        assignment_result r;
        {
          py::gil_scoped_release release;
          r = solve_assignment(p, options);
        }
        return py::dict(py::arg("manager") = array_of(r.manager), py::arg("reason") = array_of(reason_codes(r.reason)),
                        py::arg("load") = array_of(r.load), py::arg("time") = array_of(r.time),
                        py::arg("value") = r.value.empty() ? py::object(py::none()) : py::object(array_of(r.value)), py::arg("objective") = r.objective,
                        py::arg("bound") = r.bound, py::arg("gap") = r.gap, py::arg("moves") = r.moves, py::arg("solver") = r.solver,
                        py::arg("status") = status_name(r.status), py::arg("stopped_by") = stop_reason_name(r.stopped_by),
                        py::arg("seconds") = r.seconds, py::arg("iterations") = r.iterations, py::arg("searches") = r.searches);
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
        assignment_problem p;
        if (!given.is_none()) {
          const auto pairs = given.cast<py::dict>();
          const given_candidates chosen{vector_of<index_t>(pairs["customer"]), vector_of<index_t>(pairs["manager"]),
                                        vector_of<double>(pairs["cost"]), vector_of<double>(pairs["workload"])};
          py::gil_scoped_release release;
          p = build_realignment_from_candidates(customers, managers, policy, chosen);
        } else {
          const auto forbidden = pairs_from(forbidden_customer, forbidden_manager);
          py::gil_scoped_release release;
          p = build_realignment(customers, managers, policy, forbidden);
        }
        return problem_dict(p);
      },
      py::arg("customers"), py::arg("managers"), py::arg("policy"), py::arg("forbidden_customer") = py::none(),
      py::arg("forbidden_manager") = py::none(), py::arg("given") = py::none());

  m.def(
      "route",
      [](const py::dict& c, const py::dict& mg, const realignment_policy& policy, const py::object& load, const py::object& time,
         const py::object& forbidden_customer, const py::object& forbidden_manager) {
        const realignment_customers arrivals = customers_from(c);
        const realignment_managers managers = managers_from(mg);
        const auto forbidden = pairs_from(forbidden_customer, forbidden_manager);
        routing_result r;
        {
          py::gil_scoped_release release;
          r = route(arrivals, managers, policy, vector_of<std::int64_t>(load), vector_of<double>(time), forbidden);
        }
        return py::dict(py::arg("manager") = array_of(r.manager), py::arg("reason") = array_of(reason_codes(r.reason)),
                        py::arg("load") = array_of(r.load), py::arg("time") = array_of(r.time));
      },
      py::arg("customers"), py::arg("managers"), py::arg("policy"), py::arg("load"), py::arg("time") = py::none(),
      py::arg("forbidden_customer") = py::none(), py::arg("forbidden_manager") = py::none());

  m.def(
      "preview_assignment",
      [](const py::object& current, const py::object& proposed, const py::object& value, index_t managers) {
        const auto before = vector_of<index_t>(current), after = vector_of<index_t>(proposed);
        const auto worth = vector_of<double>(value);
        const assignment_preview p = preview_assignment(before, after, worth, managers);
        std::vector<std::uint8_t> change(p.change.size());
        for (std::size_t k = 0; k < change.size(); ++k) change[k] = static_cast<std::uint8_t>(p.change[k]);
        return py::dict(py::arg("change") = array_of(change), py::arg("counts") = array_of(p.counts),
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
        return problem_dict(read_orlibrary_gap(in));
      },
      py::arg("path"));
}
