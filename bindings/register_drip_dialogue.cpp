// The drip dialogue: each planned contact's questions, and each customer's profile completeness.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <tuple>

#include "cartera/drip_dialogue.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

// (field, tier rows, stage codes, priority, valid_days, areas) per question.
using question_row =
    std::tuple<std::string, std::vector<index_t>, std::vector<int>, double, int, std::vector<std::string>>;

std::vector<drip_question> bank_of(const std::vector<question_row>& rows) {
  std::vector<drip_question> bank;
  for (const auto& [field, tiers, stage_codes, priority, valid_days, areas] : rows) {
    drip_question q{field, tiers, {}, priority, valid_days, areas};
    for (const int code : stage_codes) {
      if (code < 0 || code >= stage_count) {
        throw invalid_input({"question_bank", "stages", static_cast<std::int64_t>(bank.size()), std::to_string(code)},
                            "no such stage");
      }
      q.stages.push_back(static_cast<stage>(code));
    }
    bank.push_back(std::move(q));
  }
  return bank;
}

}  // namespace

void register_drip_dialogue(py::module_& m) {
  m.def(
      "choose_questions",
      [](const book& b, const py::handle& manager, const py::handle& customer, const py::handle& day,
         const std::vector<question_row>& rows, const py::handle& tier, const py::handle& stage_codes,
         int per_contact) {
        planned_contacts plan;
        const int_column managers = to_int_column(manager, "contacts", "manager");
        const int_column customers = to_int_column(customer, "contacts", "customer");
        const int_column days = to_int_column(day, "contacts", "day");
        plan.manager.assign(managers.data(), managers.data() + managers.size());
        plan.customer.assign(customers.data(), customers.data() + customers.size());
        plan.day.assign(days.data(), days.data() + days.size());
        const std::vector<drip_question> bank = bank_of(rows);
        const int_column tiers = to_int_column(tier, "customers", "tier");
        const std::vector<stage> stages = to_stages(stage_codes, "customers", "stage");
        contact_questions q;
        {
          py::gil_scoped_release release;
          q = choose_questions(b, plan, bank, span_of(tiers), stages, drip_policy{per_contact});
        }
        return py::make_tuple(array_of(q.offsets), array_of(q.question));
      },
      py::arg("book"), py::arg("manager"), py::arg("customer"), py::arg("day"), py::arg("bank"), py::arg("tier"),
      py::arg("stage"), py::arg("per_contact"));
  m.def(
      "profile_completeness",
      [](const book& b, day_t as_of, const std::vector<question_row>& rows, const py::handle& tier,
         const py::handle& stage_codes) {
        const std::vector<drip_question> bank = bank_of(rows);
        const int_column tiers = to_int_column(tier, "customers", "tier");
        const std::vector<stage> stages = to_stages(stage_codes, "customers", "stage");
        std::vector<double> done;
        {
          py::gil_scoped_release release;
          done = profile_completeness(b, as_of, bank, span_of(tiers), stages);
        }
        return array_of(done);
      },
      py::arg("book"), py::arg("as_of"), py::arg("bank"), py::arg("tier"), py::arg("stage"));
}
