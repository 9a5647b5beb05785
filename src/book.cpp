#include "cartera/book.hpp"

#include <cmath>
#include <numeric>
#include <string>

#include "detail/format.hpp"
#include "detail/grouping.hpp"

namespace cartera {
namespace {

// Checks the columns of one table against its row count; every failure names the table,
// the column, the row and the value.
class table_check {
 public:
  table_check(std::string table, std::int64_t rows) : table_(std::move(table)), rows_(rows) {}

  template <typename Column>
  [[nodiscard]] bool length(const Column& column, const char* name, bool required) const {
    const auto size = static_cast<std::int64_t>(column.size());
    if (size == 0 && !required) return false;
    if (size != rows_) {
      throw invalid_input({table_, name, -1, std::to_string(size) + " rows"},
                          size == 0 ? "missing required column"
                                    : "column length differs from the table's " + std::to_string(rows_) + " rows");
    }
    return true;
  }

  void references(const int_column& column, const char* name, bool required, index_t targets,
                  const char* target_table) const {
    if (!length(column, name, required)) return;
    for (std::int64_t row = 0; row < rows_; ++row) {
      const index_t value = column[row];
      if (value == no_index && !required) continue;
      if (value < 0 || value >= targets) {
        throw unknown_id({table_, name, row, std::to_string(value)},
                         std::string("no such row in ") + target_table + " (" + std::to_string(targets) + " rows)");
      }
    }
  }

  void days(const int_column& column, const char* name, bool required, bool may_be_missing = false) const {
    if (!length(column, name, required)) return;
    for (std::int64_t row = 0; row < rows_; ++row) {
      const day_t value = column[row];
      if (value == no_day && may_be_missing) continue;
      if (value < first_valid_day || value > last_valid_day) {
        throw invalid_input({table_, name, row, std::to_string(value)},
                            "day out of range (1900-01-01..2199-12-31 as days since 1970-01-01)");
      }
    }
  }

  void reals(const real_column& column, const char* name, bool required, bool non_negative) const {
    if (!length(column, name, required)) return;
    for (std::int64_t row = 0; row < rows_; ++row) {
      const double value = column[row];
      if (!std::isfinite(value))
        throw invalid_input({table_, name, row, detail::format_number(value)}, "not a finite number");
      if (non_negative && value < 0) throw invalid_input({table_, name, row, detail::format_number(value)}, "negative");
    }
  }

  void counts(const int_column& column, const char* name) const {
    if (!length(column, name, false)) return;
    for (std::int64_t row = 0; row < rows_; ++row) {
      if (column[row] < 0) throw invalid_input({table_, name, row, std::to_string(column[row])}, "negative");
    }
  }

  void flags(const flag_column& column, const char* name) const {
    if (!length(column, name, false)) return;
    for (std::int64_t row = 0; row < rows_; ++row) {
      if (column[row] > 1)
        throw invalid_input({table_, name, row, std::to_string(column[row])}, "a flag must be 0 or 1");
    }
  }

  void categories(const categorical& column, const char* name, bool required) const {
    if (!length(column.codes, name, required)) return;
    const auto count = static_cast<index_t>(column.categories.size());
    for (std::int64_t row = 0; row < rows_; ++row) {
      const index_t code = column.codes[row];
      if (code < no_index || code >= count) {
        throw invalid_input({table_, name, row, std::to_string(code)},
                            "category code out of range (" + std::to_string(count) + " categories)");
      }
    }
  }

  [[nodiscard]] const std::string& table() const noexcept { return table_; }

 private:
  std::string table_;
  std::int64_t rows_;
};

void check(const customer_table& t, index_t managers) {
  const table_check c("customers", t.id.size());
  c.days(t.since, "since", false, true);
  c.categories(t.region, "region", false);
  c.references(t.manager, "manager", false, managers, "managers");
  c.flags(t.reachable, "reachable");
  c.reals(t.profile, "profile", false, true);
  for (Eigen::Index row = 0; row < t.profile.size(); ++row) {
    if (t.profile[row] > 1) {
      throw invalid_input({"customers", "profile", row, detail::format_number(t.profile[row])},
                          "a share must be in [0, 1]");
    }
  }
}

void check(const manager_table& t) {
  const table_check c("managers", t.id.size());
  c.categories(t.region, "region", false);
  c.counts(t.capacity, "capacity");
  c.reals(t.time_budget, "time_budget", false, true);
  c.categories(t.area, "area", false);
}

void check(const transaction_table& t, index_t customers) {
  const table_check c("transactions", t.customer.size());
  c.references(t.customer, "customer", true, customers, "customers");
  c.days(t.day, "day", true);
  c.reals(t.amount, "amount", true, false);
  c.reals(t.margin, "margin", false, false);
  c.categories(t.product, "product", false);
  c.flags(t.proactive, "proactive");
  c.flags(t.returned, "returned");
}

// Takes the returns (flagged, or with a negative amount) out of the transactions, as
// amounts and margins given back (magnitudes); the purchases stay, in their order.
return_table take_returns(transaction_table& t) {
  std::vector<std::int64_t> purchases, returns;
  for (Eigen::Index row = 0; row < t.amount.size(); ++row) {
    const bool is_return = t.amount[row] < 0 || (t.returned.size() != 0 && t.returned[row] != 0);
    (is_return ? returns : purchases).push_back(row);
  }
  t.returned = {};
  if (returns.empty()) return {};
  using detail::select;
  return_table out{select(t.customer, returns), select(t.day, returns), select(t.amount, returns).abs(),
                   select(t.margin, returns).abs(), select(t.product, returns)};
  t = {select(t.customer, purchases),
       select(t.day, purchases),
       select(t.amount, purchases),
       select(t.margin, purchases),
       select(t.product, purchases),
       select(t.proactive, purchases),
       {}};
  return out;
}

void check(const interaction_table& t, index_t customers, index_t managers) {
  const table_check c("interactions", t.customer.size());
  c.references(t.customer, "customer", true, customers, "customers");
  c.references(t.manager, "manager", false, managers, "managers");
  c.days(t.day, "day", true);
  c.categories(t.channel, "channel", true);
  c.flags(t.proactive, "proactive");
  c.flags(t.relational, "relational");
  c.flags(t.two_way, "two_way");
  c.categories(t.person, "person", false);
  c.categories(t.area, "area", false);
}

void check(const complaint_table& t, index_t customers) {
  const table_check c("complaints", t.customer.size());
  c.references(t.customer, "customer", true, customers, "customers");
  c.days(t.opened, "opened", true);
  c.days(t.resolved, "resolved", false, true);
  c.flags(t.first_contact, "first_contact");
  for (Eigen::Index row = 0; row < t.resolved.size(); ++row) {
    if (t.resolved[row] != no_day && t.resolved[row] < t.opened[row]) {
      throw invalid_input({c.table(), "resolved", row, format_day(t.resolved[row])},
                          "resolved before it was opened (" + format_day(t.opened[row]) + ")");
    }
  }
  for (Eigen::Index row = 0; row < t.first_contact.size(); ++row) {
    if (t.first_contact[row] != 0 && (t.resolved.size() == 0 || t.resolved[row] == no_day)) {
      throw invalid_input({c.table(), "first_contact", row, "1"}, "resolved at first contact but not resolved");
    }
  }
}

void check(const referral_table& t, index_t customers) {
  const table_check c("referrals", t.referrer.size());
  c.references(t.referrer, "referrer", true, customers, "customers");
  c.references(t.referred, "referred", true, customers, "customers");
  c.days(t.day, "day", true);
  for (Eigen::Index row = 0; row < t.referrer.size(); ++row) {
    if (t.referrer[row] == t.referred[row]) {
      throw invalid_input({c.table(), "referred", row, std::to_string(t.referred[row])},
                          "a customer cannot refer themselves");
    }
  }
}

void check(const campaign_table& t, index_t customers) {
  const table_check c("campaigns", t.customer.size());
  c.references(t.customer, "customer", true, customers, "customers");
  c.days(t.day, "day", true);
  c.categories(t.campaign, "campaign", false);
}

void check(const profile_table& t, index_t customers, index_t managers) {
  const table_check c("profile", t.customer.size());
  c.references(t.customer, "customer", true, customers, "customers");
  c.categories(t.field, "field", true);
  c.days(t.learned, "learned", true);
  c.categories(t.value, "value", false);
  c.references(t.by, "by", false, managers, "managers");
}

void check(const people_table& t, index_t customers) {
  const table_check c("people", t.customer.size());
  c.references(t.customer, "customer", true, customers, "customers");
  c.categories(t.person, "person", true);
  c.categories(t.role, "role", false);
  c.categories(t.area, "area", false);
  c.categories(t.reachable_by, "reachable_by", false);
  c.days(t.updated, "updated", false, true);
}

void widen(day_t& first, day_t& last, const int_column& days) {
  if (days.size() == 0) return;
  const day_t low = days.minCoeff();
  const day_t high = days.maxCoeff();
  first = first == no_day ? low : std::min(first, low);
  last = last == no_day ? high : std::max(last, high);
}

}  // namespace

book::book(customer_table customers, manager_table managers, transaction_table transactions,
           interaction_table interactions, complaint_table complaints, referral_table referrals,
           campaign_table campaigns, profile_table profile, people_table people) {
  const index_t n = customers.id.size();
  const index_t m = managers.id.size();
  check(managers);
  check(customers, m);
  check(transactions, n);
  check(interactions, n, m);
  check(complaints, n);
  check(referrals, n);
  check(campaigns, n);
  check(profile, n, m);
  check(people, n);

  // Each event table is reordered by customer and day; columns already in that order are
  // moved, not copied.
  return_table returns = take_returns(transactions);
  using detail::row_order;
  auto g = detail::group_by(
      transactions.customer, transactions.day, n,
      row_order::of(transactions.amount, transactions.margin, transactions.product, transactions.proactive));
  detail::reorder(g.order, transactions.customer, transactions.day, transactions.amount, transactions.margin,
                  transactions.product, transactions.proactive);
  transactions_ = std::move(transactions);
  transaction_offsets_ = std::move(g.offsets);

  g = detail::group_by(returns.customer, returns.day, n,
                       row_order::of(returns.amount, returns.margin, returns.product));
  detail::reorder(g.order, returns.customer, returns.day, returns.amount, returns.margin, returns.product);
  returns_ = std::move(returns);
  return_offsets_ = std::move(g.offsets);

  g = detail::group_by(
      interactions.customer, interactions.day, n,
      row_order::of(interactions.manager, interactions.channel, interactions.proactive, interactions.relational,
                    interactions.two_way, interactions.person, interactions.area));
  detail::reorder(g.order, interactions.customer, interactions.manager, interactions.day, interactions.channel,
                  interactions.proactive, interactions.relational, interactions.two_way, interactions.person,
                  interactions.area);
  interactions_ = std::move(interactions);
  interaction_offsets_ = std::move(g.offsets);

  g = detail::group_by(complaints.customer, complaints.opened, n,
                       row_order::of(complaints.resolved, complaints.first_contact));
  detail::reorder(g.order, complaints.customer, complaints.opened, complaints.resolved, complaints.first_contact);
  complaints_ = std::move(complaints);
  complaint_offsets_ = std::move(g.offsets);

  g = detail::group_by(referrals.referrer, referrals.day, n, row_order::of(referrals.referred));
  detail::reorder(g.order, referrals.referrer, referrals.referred, referrals.day);
  referrals_ = std::move(referrals);
  referral_offsets_ = std::move(g.offsets);

  g = detail::group_by(campaigns.customer, campaigns.day, n, row_order::of(campaigns.campaign));
  detail::reorder(g.order, campaigns.customer, campaigns.day, campaigns.campaign);
  campaigns_ = std::move(campaigns);
  campaign_offsets_ = std::move(g.offsets);

  // Without a profile column, the information a customer shared is the share of the fields
  // the book records (any customer's) that they answered.
  if (customers.profile.size() == 0 && profile.customer.size() != 0) {
    const auto fields = static_cast<std::size_t>(profile.field.categories.size());
    std::vector<std::uint8_t> answered(static_cast<std::size_t>(n) * fields, 0);
    std::vector<std::uint8_t> recorded(fields, 0);
    for (Eigen::Index r = 0; r < profile.customer.size(); ++r) {
      if (profile.field.codes[r] == no_index) continue;
      const auto f = static_cast<std::size_t>(profile.field.codes[r]);
      answered[static_cast<std::size_t>(profile.customer[r]) * fields + f] = 1;
      recorded[f] = 1;
    }
    const double total = std::accumulate(recorded.begin(), recorded.end(), 0.0);
    customers.profile = real_column::Zero(n);
    for (index_t c = 0; c < n && total > 0; ++c) {
      const auto* row = answered.data() + static_cast<std::size_t>(c) * fields;
      customers.profile[c] = std::accumulate(row, row + fields, 0.0) / total;
    }
  }
  g = detail::group_by(profile.customer, profile.learned, n, row_order::of(profile.field, profile.value, profile.by));
  detail::reorder(g.order, profile.customer, profile.field, profile.learned, profile.value, profile.by);
  profile_ = std::move(profile);
  profile_offsets_ = std::move(g.offsets);

  // People by customer; a person never checked (no_day) first, then by the day checked.
  {
    int_column checked =
        people.updated.size() != 0 ? people.updated : int_column::Constant(people.customer.size(), no_day);
    g = detail::group_by(people.customer, checked, n,
                         row_order::of(people.person, people.role, people.area, people.reachable_by));
    detail::reorder(g.order, people.customer, people.person, people.role, people.area, people.reachable_by,
                    people.updated);
    people_ = std::move(people);
    people_offsets_ = std::move(g.offsets);
  }

  customers_ = std::move(customers);
  managers_ = std::move(managers);
  widen(first_day_, last_day_, transactions_.day);
  widen(first_day_, last_day_, returns_.day);
  widen(first_day_, last_day_, interactions_.day);
  widen(first_day_, last_day_, complaints_.opened);
  widen(first_day_, last_day_, referrals_.day);
  widen(first_day_, last_day_, profile_.learned);
}

}  // namespace cartera
