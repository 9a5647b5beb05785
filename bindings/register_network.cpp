// Relationship structure and referrals, returning NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstring>

#include "cartera/referrals.hpp"
#include "cartera/structure.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

py::dict referral_policy_dict(const referral_policy& p) {
  return py::dict(py::arg("damping") = p.damping, py::arg("tolerance") = p.tolerance,
                  py::arg("max_iterations") = p.max_iterations, py::arg("decay") = p.decay);
}

referral_policy referral_policy_from(const py::dict& fields) {
  referral_policy p;
  for (const auto& [key, value] : fields) {
    const auto name = py::str(key).cast<std::string>();
    if (name == "damping") p.damping = value.cast<double>();
    else if (name == "tolerance") p.tolerance = value.cast<double>();
    else if (name == "max_iterations") p.max_iterations = value.cast<int>();
    else if (name == "decay") p.decay = value.cast<double>();
    else throw invalid_input({"referral_policy", name, -1, {}}, "unknown field; the fields are damping, tolerance, max_iterations, decay");
  }
  p.validate();
  return p;
}

}  // namespace

void register_network(py::module_& m) {
  py::class_<referral_policy> policy(m, "ReferralPolicy",
                                     "PageRank damping and tolerance, and the decay of referral value down a chain:\n"
                                     "ReferralPolicy(decay=0.3).");
  define_policy(policy, "ReferralPolicy", &referral_policy_dict, &referral_policy_from);
  policy.def_readwrite("damping", &referral_policy::damping)
      .def_readwrite("tolerance", &referral_policy::tolerance)
      .def_readwrite("max_iterations", &referral_policy::max_iterations)
      .def_readwrite("decay", &referral_policy::decay);

  m.def(
      "analyse_referrals",
      [](const book& b, const py::object& value, const referral_policy& p, const py::object& manager, index_t managers,
         const py::object& satisfied, int per_portfolio) {
        const real_column values = value.is_none() ? real_column() : to_real_column(value, "customers", "value");
        const int_column portfolio = manager.is_none() ? int_column() : to_int_column(manager, "customers", "manager");
        const flag_column shown = satisfied.is_none() ? flag_column() : to_flag_column(satisfied, "customers", "satisfied");
        referral_network net;
        show_room_table room;
        {
          py::gil_scoped_release release;
          net = analyse_referrals(b, {values.data(), static_cast<std::size_t>(values.size())}, p);
          room = show_room(net, {portfolio.data(), static_cast<std::size_t>(portfolio.size())}, managers,
                           {shown.data(), static_cast<std::size_t>(shown.size())}, per_portfolio);
        }
        return py::dict(py::arg("referred_by") = array_of(net.referred_by), py::arg("origin") = array_of(net.origin),
                        py::arg("generation") = array_of(net.generation), py::arg("referrals") = array_of(net.referrals),
                        py::arg("reach") = array_of(net.reach), py::arg("referral_value") = array_of(net.referral_value),
                        py::arg("influence") = array_of(net.influence), py::arg("iterations") = net.iterations,
                        py::arg("show_room") = py::dict(py::arg("manager") = array_of(room.manager),
                                                        py::arg("customer") = array_of(room.customer),
                                                        py::arg("rank") = array_of(room.rank)));
      },
      py::arg("book"), py::arg("value"), py::arg("policy"), py::arg("manager"), py::arg("managers"), py::arg("satisfied"),
      py::arg("per_portfolio"));

  std::vector<std::string> structures;
  for (int s = 0; s < structure_count; ++s) structures.emplace_back(structure_name(static_cast<relationship_structure>(s)));
  m.attr("STRUCTURES") = structures;

  m.def(
      "classify_structures",
      [](const py::dict& columns, index_t rows, const std::string& providers, const std::string& peer, double many_providers,
         const std::vector<std::pair<std::string, std::string>>& rules, const py::object& manager, index_t managers) {
        structure_policy p;
        p.providers_column = providers;
        p.peer_column = peer;
        p.many_providers = many_providers;
        for (const auto& [label, text] : rules) p.rules.push_back({label, text});
        const column_set set = columns_from(columns, rows, "customers");
        structure_table t = classify_structures(set, p);
        const int_column portfolio = manager.is_none() ? int_column() : to_int_column(manager, "customers", "manager");
        const auto counts = count_structures(t.structure, {portfolio.data(), static_cast<std::size_t>(portfolio.size())}, managers);
        py::array_t<std::int64_t> count_array({static_cast<py::ssize_t>(counts.size()), static_cast<py::ssize_t>(structure_count)});
        for (std::size_t r = 0; r < counts.size(); ++r) {
          std::memcpy(count_array.mutable_data(static_cast<py::ssize_t>(r), 0), counts[r].data(), sizeof(structure_counts));
        }
        py::array_t<std::uint8_t> codes(static_cast<py::ssize_t>(t.structure.size()));
        std::memcpy(codes.mutable_data(), t.structure.data(), t.structure.size());
        return py::dict(py::arg("structure") = codes,
                        py::arg("reason") = py::make_tuple(std::move(t.reason.categories), to_numpy(std::move(t.reason.codes))),
                        py::arg("counts") = count_array);
      },
      py::arg("columns"), py::arg("rows"), py::arg("providers"), py::arg("peer"), py::arg("many_providers"), py::arg("rules"),
      py::arg("manager"), py::arg("managers"));
}
