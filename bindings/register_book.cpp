// Book: the validated customer book, built from dicts of NumPy columns (the Python
// package turns DataFrames into those) and read back as read-only NumPy views.
#include <pybind11/stl.h>

#include <memory>
#include <set>

#include "cartera/book.hpp"
#include "numpy_columns.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

// Reads named columns of one table from a dict, and refuses names it does not know.
class column_reader {
 public:
  column_reader(const py::object& columns, std::string table) : table_(std::move(table)) {
    if (!columns.is_none()) columns_ = columns.cast<py::dict>();
  }

  [[nodiscard]] bool empty() const { return columns_.empty(); }

  py::object get(const char* name) {
    known_.insert(name);
    return columns_.contains(name) ? py::object(columns_[name]) : py::object(py::none());
  }

  py::object required(const char* name) {
    py::object value = get(name);
    if (value.is_none()) throw invalid_input({table_, name, -1, {}}, "missing required column");
    return value;
  }

  int_column ints(const char* name, bool required = false) {
    const py::object value = required ? this->required(name) : get(name);
    return value.is_none() ? int_column() : to_int_column(value, table_, name);
  }
  real_column reals(const char* name, bool required = false) {
    const py::object value = required ? this->required(name) : get(name);
    return value.is_none() ? real_column() : to_real_column(value, table_, name);
  }
  flag_column flags(const char* name) {
    const py::object value = get(name);
    return value.is_none() ? flag_column() : to_flag_column(value, table_, name);
  }
  categorical labels(const char* name, bool required = false) {
    const py::object value = required ? this->required(name) : get(name);
    return value.is_none() ? categorical() : to_categorical(value, table_, name);
  }

  /// Every column given must have been read: a misspelt name is an error, not ignored.
  void finish() const {
    for (const auto& [key, value] : columns_) {
      const auto name = py::str(key).cast<std::string>();
      if (!known_.contains(name)) {
        std::string names;
        for (const auto& known : known_) names += (names.empty() ? "" : ", ") + known;
        throw invalid_input({table_, name, -1, {}}, "unknown column; the columns are " + names);
      }
    }
  }

  [[nodiscard]] const std::string& table() const { return table_; }

 private:
  std::string table_;
  py::dict columns_;
  std::set<std::string> known_;
};

std::shared_ptr<book> make_book(const py::object& customers_in, const py::object& managers_in,
                                const py::object& transactions_in, const py::object& interactions_in,
                                const py::object& complaints_in, const py::object& referrals_in,
                                const py::object& campaigns_in, const py::object& profile_in,
                                const py::object& people_in) {
  column_reader c(customers_in, "customers");
  customer_table customers{id_index(to_ids(c.required("id"), "customers"), "customers"),
                           c.ints("since"),
                           c.labels("region"),
                           c.ints("manager"),
                           c.flags("reachable"),
                           c.reals("profile")};
  c.finish();

  column_reader m(managers_in, "managers");
  manager_table managers;
  if (!m.empty()) {
    managers = {id_index(to_ids(m.required("id"), "managers"), "managers"), m.labels("region"), m.ints("capacity"),
                m.reals("time_budget"), m.labels("area")};
  }
  m.finish();

  column_reader t(transactions_in, "transactions");
  transaction_table transactions;
  if (!t.empty()) {
    transactions = {t.ints("customer", true), t.ints("day", true),  t.reals("amount", true), t.reals("margin"),
                    t.labels("product"),      t.flags("proactive"), t.flags("returned")};
  }
  t.finish();

  column_reader i(interactions_in, "interactions");
  interaction_table interactions;
  if (!i.empty()) {
    interactions = {i.ints("customer", true),  i.ints("manager"),    i.ints("day", true),
                    i.labels("channel", true), i.flags("proactive"), i.flags("relational"),
                    i.flags("two_way"),        i.labels("person"),   i.labels("area")};
  }
  i.finish();

  column_reader k(complaints_in, "complaints");
  complaint_table complaints;
  if (!k.empty()) {
    complaints = {k.ints("customer", true), k.ints("opened", true), k.ints("resolved"), k.flags("first_contact")};
  }
  k.finish();

  column_reader r(referrals_in, "referrals");
  referral_table referrals;
  if (!r.empty()) referrals = {r.ints("referrer", true), r.ints("referred", true), r.ints("day", true)};
  r.finish();

  column_reader g(campaigns_in, "campaigns");
  campaign_table campaigns;
  if (!g.empty()) campaigns = {g.ints("customer", true), g.ints("day", true), g.labels("campaign")};
  g.finish();

  column_reader f(profile_in, "profile");
  profile_table profile;
  if (!f.empty()) {
    profile = {f.ints("customer", true), f.labels("field", true), f.ints("learned", true), f.labels("value"),
               f.ints("by")};
  }
  f.finish();

  column_reader w(people_in, "people");
  people_table people;
  if (!w.empty()) {
    people = {w.ints("customer", true), w.labels("person", true), w.labels("role"),
              w.labels("area"),         w.labels("reachable_by"), w.ints("updated")};
  }
  w.finish();

  py::gil_scoped_release release;
  return std::make_shared<book>(std::move(customers), std::move(managers), std::move(transactions),
                                std::move(interactions), std::move(complaints), std::move(referrals),
                                std::move(campaigns), std::move(profile), std::move(people));
}

py::tuple view_categorical(const categorical& column, py::handle owner) {
  return py::make_tuple(column.categories, view_numpy(column.codes, owner));
}

// The table's columns as read-only views; absent optional columns are left out.
py::dict table_of(const py::object& self, const std::string& name) {
  const book& b = self.cast<const book&>();
  py::dict out;
  const auto put = [&](const char* column, const auto& values) {
    if (values.size() != 0) out[column] = view_numpy(values, self);
  };
  const auto put_labels = [&](const char* column, const categorical& values) {
    if (!values.empty()) out[column] = view_categorical(values, self);
  };
  if (name == "customers") {
    const auto& t = b.customers();
    put("since", t.since);
    put_labels("region", t.region);
    put("manager", t.manager);
    put("reachable", t.reachable);
    put("profile", t.profile);
  } else if (name == "managers") {
    const auto& t = b.managers();
    put_labels("region", t.region);
    put("capacity", t.capacity);
    put("time_budget", t.time_budget);
    put_labels("area", t.area);
  } else if (name == "transactions") {
    const auto& t = b.transactions();
    out["customer"] = view_numpy(t.customer, self);
    out["day"] = view_numpy(t.day, self);
    out["amount"] = view_numpy(t.amount, self);
    put("margin", t.margin);
    put_labels("product", t.product);
    put("proactive", t.proactive);
  } else if (name == "returns") {
    const auto& t = b.returns();
    out["customer"] = view_numpy(t.customer, self);
    out["day"] = view_numpy(t.day, self);
    out["amount"] = view_numpy(t.amount, self);
    put("margin", t.margin);
    put_labels("product", t.product);
  } else if (name == "interactions") {
    const auto& t = b.interactions();
    out["customer"] = view_numpy(t.customer, self);
    put("manager", t.manager);
    out["day"] = view_numpy(t.day, self);
    out["channel"] = view_categorical(t.channel, self);
    put("proactive", t.proactive);
    put("relational", t.relational);
    put("two_way", t.two_way);
    put_labels("person", t.person);
    put_labels("area", t.area);
  } else if (name == "complaints") {
    const auto& t = b.complaints();
    out["customer"] = view_numpy(t.customer, self);
    out["opened"] = view_numpy(t.opened, self);
    put("resolved", t.resolved);
    put("first_contact", t.first_contact);
  } else if (name == "referrals") {
    const auto& t = b.referrals();
    out["referrer"] = view_numpy(t.referrer, self);
    out["referred"] = view_numpy(t.referred, self);
    out["day"] = view_numpy(t.day, self);
  } else if (name == "campaigns") {
    const auto& t = b.campaigns();
    out["customer"] = view_numpy(t.customer, self);
    out["day"] = view_numpy(t.day, self);
    put_labels("campaign", t.campaign);
  } else if (name == "profile") {
    const auto& t = b.profile();
    out["customer"] = view_numpy(t.customer, self);
    out["field"] = view_categorical(t.field, self);
    out["learned"] = view_numpy(t.learned, self);
    put_labels("value", t.value);
    put("by", t.by);
  } else if (name == "people") {
    const auto& t = b.people();
    out["customer"] = view_numpy(t.customer, self);
    out["person"] = view_categorical(t.person, self);
    put_labels("role", t.role);
    put_labels("area", t.area);
    put_labels("reachable_by", t.reachable_by);
    put("updated", t.updated);
  } else {
    throw invalid_input(
        {"book", "table", -1, name},
        "unknown table; the tables are customers, managers, transactions, returns, interactions, complaints, "
        "referrals, campaigns, profile, people");
  }
  return out;
}

py::object day_or_none(day_t day) { return day == no_day ? py::object(py::none()) : py::object(py::int_(day)); }

}  // namespace

void register_book(py::module_& m) {
  m.attr("NO_DAY") = no_day;
  py::class_<book, std::shared_ptr<book>>(m, "Book", "A validated, immutable customer book (see cartera.Book).")
      .def(py::init(&make_book), py::arg("customers"), py::arg("managers") = py::none(),
           py::arg("transactions") = py::none(), py::arg("interactions") = py::none(),
           py::arg("complaints") = py::none(), py::arg("referrals") = py::none(), py::arg("campaigns") = py::none(),
           py::arg("profile") = py::none(), py::arg("people") = py::none())
      .def_property_readonly("customer_count", &book::customer_count)
      .def_property_readonly("manager_count", &book::manager_count)
      .def_property_readonly("first_day", [](const book& b) { return day_or_none(b.first_day()); })
      .def_property_readonly("last_day", [](const book& b) { return day_or_none(b.last_day()); })
      .def_property_readonly("has_products", [](const book& b) { return !b.transactions().product.empty(); })
      .def("customer_ids", [](const book& b) { return b.customers().id.ids(); })
      .def("manager_ids", [](const book& b) { return b.managers().id.ids(); })
      .def("table", &table_of, py::arg("name"),
           "The table's columns as read-only NumPy views (events in customer and day order).")
      .def("rows", [](const book& b) {
        return py::dict(
            py::arg("customers") = b.customer_count(), py::arg("managers") = b.manager_count(),
            py::arg("transactions") = b.transactions().customer.size(),
            py::arg("returns") = b.returns().customer.size(),
            py::arg("interactions") = b.interactions().customer.size(),
            py::arg("complaints") = b.complaints().customer.size(),
            py::arg("referrals") = b.referrals().referrer.size(), py::arg("campaigns") = b.campaigns().customer.size(),
            py::arg("profile") = b.profile().customer.size(), py::arg("people") = b.people().customer.size());
      });
}
