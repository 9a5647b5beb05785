// The relationship ladder: the policy (nested plain data, picklable), the evaluations and
// the ladder reports, returning NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>

#include "cartera/ladder.hpp"
#include "cartera/stages.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<stage_policy>> stage_fields() {
  using p = stage_policy;
  using contactar = contactar_criteria;
  using relacionar = relacionar_criteria;
  using intimar = intimar_criteria;
  using confiar = confiar_criteria;
  return {
      member("window_days", &p::window_days, "Criteria count events in (day - window_days, day]."),
      member("grace_days", &p::grace_days,
             "A stage is lost after its criteria fail this many days in a row (1: at once)."),
      section("contactar", &p::contactar,
              {member("require_reachable", &contactar::require_reachable,
                      "customers.reachable must be 1 (when the column is given)."),
               member("min_contacts", &contactar::min_contacts, "Contacts in the window.")},
              "stage_policy", "contactar's criteria."),
      section("relacionar", &p::relacionar,
              {member("min_two_way", &relacionar::min_two_way, "Two-way contacts in the window."),
               member("min_two_way_share", &relacionar::min_two_way_share, "Two-way contacts ÷ contacts.")},
              "stage_policy", "relacionar's criteria."),
      section(
          "intimar", &p::intimar,
          {member("min_relational", &intimar::min_relational, "Relational (non-transactional) contacts in the window."),
           member("min_profile", &intimar::min_profile, "Profile completeness (customers.profile; 0 when absent)."),
           member("min_breadth", &intimar::min_breadth,
                  "Distinct products bought + distinct managers in contact, in the window."),
           member("max_gap_days", &intimar::max_gap_days,
                  "Longest gap between contacts in the window, the last one to the day included.")},
          "stage_policy", "intimar's criteria."),
      section("confiar", &p::confiar,
              {member("min_tenure_days", &confiar::min_tenure_days, "Days since first known."),
               member("min_unprompted", &confiar::min_unprompted, "Purchases in the window not prompted by us."),
               member("min_trust_signals", &confiar::min_trust_signals,
                      "Referrals given + purchases after a complaint, all history."),
               member("max_open_complaint_days", &confiar::max_open_complaint_days,
                      "Most days the oldest unresolved complaint may have been open.")},
              "stage_policy", "confiar's criteria."),
  };
}

relationship relationship_from(const std::string& name) {
  if (name == "customer") return relationship::customer;
  if (name == "current_manager") return relationship::current_manager;
  throw invalid_input({"stages", "relationship", -1, "'" + name + "'"}, "expected 'customer' or 'current_manager'");
}

// A stage table as a dict of arrays, plus the short reasons as (categories, codes).
py::dict table_dict(stage_table&& t, const stage_policy& policy) {
  categorical reasons = summarize_reasons(t, policy);
  py::dict out;
  out["stage"] = codes_of(t.current);
  out["reached"] = codes_of(t.reached);
  out["blocking"] = codes_of(t.blocking);
  out["reason"] = py::make_tuple(reasons.categories, to_numpy(std::move(reasons.codes)));
  py::dict values;
  for (int k = 1; k < criterion_count; ++k) {
    values[py::str(std::string(criterion_name(static_cast<criterion>(k))))] =
        to_numpy(std::move(t.values[static_cast<std::size_t>(k)]));
  }
  out["values"] = values;
  return out;
}

py::array_t<std::int64_t> counts_array(const stage_counts& counts) {
  return py::array_t<std::int64_t>(stage_count, counts.data());
}

}  // namespace

// Long on purpose: one m.def per function of the concept, in the order the stubs list them.
void register_stages(py::module_& m) {
  std::vector<std::string> stage_names, criterion_names, criterion_stages;
  for (int s = 0; s < stage_count; ++s) stage_names.emplace_back(stage_name(static_cast<stage>(s)));
  for (int k = 0; k < criterion_count; ++k) {
    criterion_names.emplace_back(criterion_name(static_cast<criterion>(k)));
    criterion_stages.emplace_back(stage_name(criterion_stage(static_cast<criterion>(k))));
  }
  m.attr("STAGES") = stage_names;
  m.attr("CRITERIA") = criterion_names;

  py::class_<stage_policy> policy(m, "StagePolicy",
                                  "The relationship ladder's criteria. Build with keywords, nested sections as dicts:\n"
                                  "StagePolicy(grace_days=30, relacionar={'min_two_way': 4}).");
  define_policy(policy, "StagePolicy", stage_fields());

  m.def(
      "compute_stages",
      [](const book& b, day_t as_of, const stage_policy& policy, const std::string& with, int threads) {
        const relationship r = relationship_from(with);
        stage_table t;
        {
          py::gil_scoped_release release;
          t = evaluate_stages(b, as_of, policy, r, {.threads = threads});
        }
        return table_dict(std::move(t), policy);
      },
      py::arg("book"), py::arg("as_of"), py::arg("policy"), py::arg("relationship") = "customer",
      py::arg("threads") = 0);

  m.def(
      "compute_pair_stages",
      [](const book& b, const py::handle& customers, const py::handle& managers, day_t as_of,
         const stage_policy& policy, int threads) {
        const int_column who = to_int_column(customers, "pairs", "customer");
        const int_column with = to_int_column(managers, "pairs", "manager");
        stage_table t;
        {
          py::gil_scoped_release release;
          t = evaluate_pair_stages(b, view(who), view(with), as_of, policy, {.threads = threads});
        }
        return table_dict(std::move(t), policy);
      },
      py::arg("book"), py::arg("customers"), py::arg("managers"), py::arg("as_of"), py::arg("policy"),
      py::arg("threads") = 0);

  m.def(
      "interaction_pairs",
      [](const book& b, day_t as_of) {
        auto [who, with] = interaction_pairs(b, as_of);
        return py::make_tuple(py::array_t<index_t>(static_cast<py::ssize_t>(who.size()), who.data()),
                              py::array_t<index_t>(static_cast<py::ssize_t>(with.size()), with.data()));
      },
      py::arg("book"), py::arg("as_of"));

  m.def(
      "explain_stage",
      [](const book& b, index_t customer, day_t as_of, const stage_policy& policy, const std::string& with) {
        const std::vector<index_t> which = {customer};
        const stage_table t = evaluate_stages(b, which, as_of, policy, relationship_from(with), {.threads = 1});
        return describe(t, 0, policy);
      },
      py::arg("book"), py::arg("customer"), py::arg("as_of"), py::arg("policy"), py::arg("relationship") = "customer");

  py::class_<stage_history, std::shared_ptr<stage_history>>(m, "StageHistory")
      .def_property_readonly("days", [](const stage_history& h) { return h.days; })
      .def(
          "stages",
          [](const stage_history& h) {
            const auto days = static_cast<py::ssize_t>(h.stages.size());
            const auto customers = days == 0 ? py::ssize_t{0} : static_cast<py::ssize_t>(h.stages.front().size());
            py::array_t<std::uint8_t> out({days, customers});
            auto view = out.mutable_unchecked<2>();
            for (py::ssize_t d = 0; d < days; ++d) {
              for (py::ssize_t c = 0; c < customers; ++c)
                view(d, c) =
                    static_cast<std::uint8_t>(h.stages[static_cast<std::size_t>(d)][static_cast<std::size_t>(c)]);
            }
            return out;
          },
          "stages()[d, c]: customer c's stage code on days[d].")
      .def("changes",
           [](const stage_history& h) {
             const auto n = static_cast<py::ssize_t>(h.changes.size());
             py::array_t<index_t> customer(n);
             py::array_t<day_t> day(n);
             py::array_t<std::uint8_t> from(n), to(n), blocking(n);
             py::array_t<double> value(n);
             for (py::ssize_t i = 0; i < n; ++i) {
               const stage_change& c = h.changes[static_cast<std::size_t>(i)];
               customer.mutable_at(i) = c.customer;
               day.mutable_at(i) = c.day;
               from.mutable_at(i) = static_cast<std::uint8_t>(c.from);
               to.mutable_at(i) = static_cast<std::uint8_t>(c.to);
               blocking.mutable_at(i) = static_cast<std::uint8_t>(c.blocking);
               value.mutable_at(i) = c.value;
             }
             return py::dict(py::arg("customer") = customer, py::arg("day") = day, py::arg("from") = from,
                             py::arg("to") = to, py::arg("blocking") = blocking, py::arg("value") = value);
           })
      .def("time_in_stage",
           [](const stage_history& h) {
             const std::vector<stage_time> rows = time_in_stage(h);
             const auto n = static_cast<py::ssize_t>(rows.size());
             py::array_t<index_t> customer(n);
             py::array_t<std::uint8_t> at(n);
             py::array_t<day_t> first(n), latest(n);
             py::array_t<std::int64_t> days(n);
             for (py::ssize_t i = 0; i < n; ++i) {
               const stage_time& r = rows[static_cast<std::size_t>(i)];
               customer.mutable_at(i) = r.customer;
               at.mutable_at(i) = static_cast<std::uint8_t>(r.at);
               first.mutable_at(i) = r.first_entry;
               latest.mutable_at(i) = r.latest_entry;
               days.mutable_at(i) = r.days;
             }
             return py::dict(py::arg("customer") = customer, py::arg("stage") = at, py::arg("first_entry") = first,
                             py::arg("latest_entry") = latest, py::arg("days") = days);
           })
      .def("highest_stage", [](const stage_history& h) { return codes_of(highest_stage(h)); });

  m.def(
      "compute_stage_history",
      [](const book& b, const py::handle& days, const stage_policy& policy, const std::string& with, int threads) {
        const int_column when = to_int_column(days, "stage_history", "days");
        const relationship r = relationship_from(with);
        py::gil_scoped_release release;
        return std::make_shared<stage_history>(evaluate_stage_history(b, view(when), policy, r, {.threads = threads}));
      },
      py::arg("book"), py::arg("days"), py::arg("policy"), py::arg("relationship") = "customer",
      py::arg("threads") = 0);

  m.def(
      "count_ladder",
      [](const py::handle& stages, const py::handle& managers, index_t manager_count) {
        const std::vector<stage> s = to_stages(stages, "stages", "stage");
        const int_column who = to_int_column(managers, "ladder", "manager");
        const ladder_table t = count_ladder(s, view(who), manager_count);
        py::array_t<std::int64_t> portfolios({static_cast<py::ssize_t>(t.portfolios.size()), py::ssize_t{stage_count}});
        auto out = portfolios.mutable_unchecked<2>();
        for (std::size_t r = 0; r < t.portfolios.size(); ++r) {
          for (int k = 0; k < stage_count; ++k)
            out(static_cast<py::ssize_t>(r), k) = t.portfolios[r][static_cast<std::size_t>(k)];
        }
        return py::make_tuple(portfolios, counts_array(t.overall));
      },
      py::arg("stages"), py::arg("managers"), py::arg("manager_count"));

  m.def(
      "count_transitions",
      [](const py::handle& before, const py::handle& after) {
        const transition_matrix t =
            count_transitions(to_stages(before, "stages", "before"), to_stages(after, "stages", "after"));
        py::array_t<std::int64_t> out({py::ssize_t{stage_count}, py::ssize_t{stage_count}});
        auto view = out.mutable_unchecked<2>();
        for (int f = 0; f < stage_count; ++f) {
          for (int k = 0; k < stage_count; ++k)
            view(f, k) = t[static_cast<std::size_t>(f)][static_cast<std::size_t>(k)];
        }
        const auto shares = conversion(t);
        return py::make_tuple(out, std::vector<double>(shares.begin(), shares.end()));
      },
      py::arg("before"), py::arg("after"));
}
