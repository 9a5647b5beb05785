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

std::vector<double> numbers_of(const py::handle& values, const char* table, const char* column) {
  const real_column numbers = to_real_column(values, table, column);
  return {numbers.data(), numbers.data() + numbers.size()};
}

py::dict holders_dict(product_holders h) {
  py::dict out;
  const auto rows = static_cast<py::ssize_t>(h.customers.size());
  const auto products = static_cast<py::ssize_t>(h.products.size());
  py::array_t<double> holders({rows, products});
  std::copy(h.holders.begin(), h.holders.end(), holders.mutable_data());
  out["products"] = std::move(h.products);
  out["customers"] = array_of(h.customers);
  out["holders"] = std::move(holders);
  return out;
}

// The holders as a dict of holders_dict's form: products, customers and the holders'
// table (a row per group and the book's last, a column per product).
product_holders holders_of(const py::dict& given) {
  product_holders h;
  h.products = given["products"].cast<std::vector<std::string>>();
  h.customers = numbers_of(given["customers"], "product_holders", "customers");
  const auto table = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(given["holders"]);
  if (!table || table.ndim() != 2) {
    throw invalid_input({"product_holders", "holders", -1, ""},
                        "must be a table of a row per group and a column per product");
  }
  h.holders.assign(table.data(), table.data() + table.size());
  if (static_cast<std::size_t>(table.shape(1)) != h.products.size()) {
    throw invalid_input({"product_holders", "holders", -1, std::to_string(table.shape(1)) + " columns"},
                        "must have a column per product (" + std::to_string(h.products.size()) + ")");
  }
  return h;
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
         const growth_policy& p, const py::object& peer_spend) {
        const real_column values = to_real_column(spend, "growth", "spend");
        const std::vector<index_t> groups = groups_of(group);
        const auto count = static_cast<index_t>(names.size());
        growth_table g = peer_spend.is_none() ? growth_potential(span_of(values), groups, count, names, p)
                                              : growth_against(span_of(values), groups, count, names,
                                                               numbers_of(peer_spend, "growth", "peer_spend"), p);
        py::dict out;
        out["peer_spend"] = to_numpy(std::move(g.peer_spend));
        out["growth"] = to_numpy(std::move(g.growth));
        out["share_of_wallet"] = to_numpy(std::move(g.share_of_wallet));
        out["reason"] = std::move(g.reason);
        return out;
      },
      py::arg("spend"), py::arg("group"), py::arg("group_names"), py::arg("policy"), py::arg("peer_spend") = py::none(),
      "Growth per customer against the peers of their group (-1: the whole book), or against\n"
      "given peer spends (one per group, the book's last).");
  m.def(
      "peer_spends",
      [](const py::handle& spend, const py::handle& group, index_t groups, const growth_policy& p) {
        const real_column values = to_real_column(spend, "growth", "spend");
        return array_of(peer_spends(span_of(values), groups_of(group), groups, p));
      },
      py::arg("spend"), py::arg("group"), py::arg("groups"), py::arg("policy"),
      "Each group's peer spend, the whole book's last.");
  m.def(
      "product_holders",
      [](const book& b, const py::handle& group, index_t groups) {
        return holders_dict(count_product_holders(b, groups_of(group), groups));
      },
      py::arg("book"), py::arg("group"), py::arg("groups"),
      "How many customers of each group (the book's last) hold each product.");
  m.def(
      "next_products",
      [](const book& b, const py::handle& group, const std::vector<std::string>& names, const growth_policy& p,
         const py::object& holders) {
        const std::vector<index_t> groups = groups_of(group);
        const auto count = static_cast<index_t>(names.size());
        const product_holders peers =
            holders.is_none() ? count_product_holders(b, groups, count) : holders_of(holders.cast<py::dict>());
        product_offers o = next_products(b, groups, count, names, peers, p);
        py::dict out;
        out["customer"] = array_of(o.customer);
        out["product"] = array_of(o.product);
        out["peer_share"] = array_of(o.peer_share);
        out["lift"] = array_of(o.lift);
        out["reason"] = std::move(o.reason);
        out["products"] = peers.products;
        return out;
      },
      py::arg("book"), py::arg("group"), py::arg("group_names"), py::arg("policy"), py::arg("holders") = py::none(),
      "The products each customer's group holds and they do not, with share and lift.");
}
