// Growth against peers: the policy, growth potential and the next products, as NumPy
// arrays and lists.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "cartera/growth.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

std::vector<policy_field<growth_policy>> growth_fields() {
  using p = growth_policy;
  return {
      member("peer_quantile", &p::peer_quantile,
             "A customer's spend is measured against this quantile of their group's."),
      member("offers", &p::offers, "Next products per customer, the most held by the group first."),
      member("min_lift", &p::min_lift,
             "An offer's product is held this much more often in the group than in the book."),
      member("min_share", &p::min_share, "And by at least this share of the group."),
  };
}

std::vector<index_t> groups_of(const py::handle& values) {
  const int_column codes = to_int_column(values, "customers", "group");
  return {codes.data(), codes.data() + codes.size()};
}

}  // namespace

void register_growth(py::module_& m) {
  py::class_<growth_policy> policy(m, "GrowthPolicy",
                                   "The peers a customer is measured against and what an offer needs:\n"
                                   "GrowthPolicy(peer_quantile=0.9, offers=3).");
  define_policy(policy, "GrowthPolicy", growth_fields());

  m.def(
      "growth_potential",
      [](const py::handle& spend, const py::handle& group, const std::vector<std::string>& names,
         const growth_policy& p) {
        const real_column values = to_real_column(spend, "growth", "spend");
        const std::vector<index_t> groups = groups_of(group);
        growth_table g = growth_potential(span_of(values), groups, static_cast<index_t>(names.size()), names, p);
        py::dict out;
        out["peer_spend"] = to_numpy(std::move(g.peer_spend));
        out["growth"] = to_numpy(std::move(g.growth));
        out["share_of_wallet"] = to_numpy(std::move(g.share_of_wallet));
        out["reason"] = std::move(g.reason);
        return out;
      },
      py::arg("spend"), py::arg("group"), py::arg("group_names"), py::arg("policy"),
      "Growth per customer against the peers of their group (-1: the whole book).");
  m.def(
      "next_products",
      [](const book& b, const py::handle& group, const std::vector<std::string>& names, const growth_policy& p) {
        const std::vector<index_t> groups = groups_of(group);
        product_offers o = next_products(b, groups, static_cast<index_t>(names.size()), names, p);
        py::dict out;
        out["customer"] = array_of(o.customer);
        out["product"] = array_of(o.product);
        out["peer_share"] = array_of(o.peer_share);
        out["lift"] = array_of(o.lift);
        out["reason"] = std::move(o.reason);
        out["products"] = b.transactions().product.categories;
        return out;
      },
      py::arg("book"), py::arg("group"), py::arg("group_names"), py::arg("policy"),
      "The products each customer's group holds and they do not, with share and lift.");
}
