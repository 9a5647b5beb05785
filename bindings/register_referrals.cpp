// Referrals: the policy, the referral forest with reach, value and influence, and each
// portfolio's show room, returning NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/referrals.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<referral_policy>> referral_fields() {
  using p = referral_policy;
  return {
      member("damping", &p::damping, "PageRank damping factor, in (0, 1)."),
      member("tolerance", &p::tolerance, "PageRank stops when no influence moves more than this."),
      member("max_iterations", &p::max_iterations, "PageRank stops after this many iterations at most."),
      member("decay", &p::decay, "Referral value: a customer brought at n steps counts decay^(n-1)."),
  };
}

}  // namespace

void register_referrals(py::module_& m) {
  py::class_<referral_policy> policy(m, "ReferralPolicy",
                                     "PageRank damping and tolerance, and the decay of referral value down a chain:\n"
                                     "ReferralPolicy(decay=0.3).");
  define_policy(policy, "ReferralPolicy", referral_fields());

  m.def(
      "analyse_referrals",
      [](const book& b, const py::object& value, const referral_policy& p, const py::object& manager, index_t managers,
         const py::object& satisfied, int per_portfolio) {
        const real_column values = value.is_none() ? real_column() : to_real_column(value, "customers", "value");
        const int_column portfolio = manager.is_none() ? int_column() : to_int_column(manager, "customers", "manager");
        const flag_column shown =
            satisfied.is_none() ? flag_column() : to_flag_column(satisfied, "customers", "satisfied");
        referral_network net;
        show_room_table room;
        {
          py::gil_scoped_release release;
          net = analyse_referrals(b, {values.data(), static_cast<std::size_t>(values.size())}, p);
          room = show_room(net, {portfolio.data(), static_cast<std::size_t>(portfolio.size())}, managers,
                           {shown.data(), static_cast<std::size_t>(shown.size())}, per_portfolio);
        }
        return py::dict(py::arg("referred_by") = array_of(net.referred_by), py::arg("origin") = array_of(net.origin),
                        py::arg("generation") = array_of(net.generation),
                        py::arg("referrals") = array_of(net.referrals), py::arg("reach") = array_of(net.reach),
                        py::arg("referral_value") = array_of(net.referral_value),
                        py::arg("influence") = array_of(net.influence), py::arg("iterations") = net.iterations,
                        py::arg("show_room") = py::dict(py::arg("manager") = array_of(room.manager),
                                                        py::arg("customer") = array_of(room.customer),
                                                        py::arg("rank") = array_of(room.rank)));
      },
      py::arg("book"), py::arg("value"), py::arg("policy"), py::arg("manager"), py::arg("managers"),
      py::arg("satisfied"), py::arg("per_portfolio"));
}
