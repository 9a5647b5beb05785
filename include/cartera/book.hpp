#pragma once
/// \file book.hpp
/// The customer book: customers, managers and their events as columnar tables.
///
/// Tables are plain structs of columns that the caller fills; an optional column is left
/// empty (size 0). A `book` takes the tables, validates every value (an error names the
/// table, the column, the row and the value) and then owns them, read-only, with every
/// event table sorted by customer and day so that each customer's events are one
/// contiguous run (`*_offsets()`). Row numbers in error messages are the input rows.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cartera/calendar.hpp"
#include "cartera/columns.hpp"

namespace cartera {

/// One row per customer; the row is the customer's dense index.
struct customer_table {
  id_index id;            ///< external ids
  int_column since;       ///< optional: first day as a customer (tenure); no_day if unknown
  categorical region;     ///< optional
  int_column manager;     ///< optional: current manager (row in managers), -1 if none
  flag_column reachable;  ///< optional: 1 when a valid contact channel is known (absent: all reachable)
  /// Optional: profile completeness, the share of information shared, 0..1. Absent with a
  /// profile table, the share of the fields the table records that the customer answered.
  real_column profile;
};

/// One row per account manager.
struct manager_table {
  id_index id;              ///< external ids
  categorical region;       ///< optional
  int_column capacity;      ///< optional: most customers in the portfolio (default 100)
  real_column time_budget;  ///< optional: minutes per period for proactive work
  categorical area;         ///< optional: the manager's area (sales, service, credit…): which questions they ask
};

/// One row per purchase (an invoice, an order, a contract signed) or per return.
///
/// A row is a return (a refund, a cancellation) when `returned` is 1 or its amount is
/// negative; the book keeps returns apart (`book::returns()`), so a return is never a
/// purchase for recency, frequency, trend or the ladder.
struct transaction_table {
  int_column customer;  ///< row in customers
  int_column day;
  real_column amount;     ///< revenue, finite; negative for a return
  real_column margin;     ///< optional: contribution margin, finite, any sign
  categorical product;    ///< optional: product or area bought
  flag_column proactive;  ///< optional: 1 when the sale followed our initiative
  flag_column returned;   ///< optional: 1 for a return or a cancellation, whatever the amount's sign
};

/// The returns of a book, one row per return, taken out of the transactions it was given.
struct return_table {
  int_column customer;  ///< row in customers
  int_column day;
  real_column amount;   ///< amount given back, >= 0 (the magnitude of the row's amount)
  real_column margin;   ///< margin given back, >= 0 (the magnitude of the row's margin; empty without margins)
  categorical product;  ///< the product returned, when the transactions name products
};

/// One row per contact between the company and a customer, on any channel.
struct interaction_table {
  int_column customer;  ///< row in customers
  int_column manager;   ///< optional: row in managers, -1 when no manager took part
  int_column day;
  categorical channel;     ///< visit, call, video, email, branch, digital, event...
  flag_column proactive;   ///< optional: 1 when we initiated it, 0 when the customer did
  flag_column relational;  ///< optional: 1 for a relational contact, 0 for a transactional one
  flag_column two_way;     ///< optional: 1 when the customer answered (a conversation)
  categorical person;      ///< optional: who at the customer took part (a person of the people table)
  categorical area;        ///< optional: the area of ours that took part (sales, service, credit…)
};

/// One row per complaint.
struct complaint_table {
  int_column customer;        ///< row in customers
  int_column opened;          ///< day opened
  int_column resolved;        ///< optional: day resolved, no_day while open
  flag_column first_contact;  ///< optional: 1 when resolved at the first contact
};

/// One row per referral: a customer who brought another.
struct referral_table {
  int_column referrer;  ///< row in customers
  int_column referred;  ///< row in customers
  int_column day;
};

/// One row per customer reached by a central campaign (a mailing, an advert, an event), on
/// the day it reached them: past rows are measured the day after (campaigns.hpp), and past
/// and future ones count toward each customer's contact cap in the plan. Campaign days do
/// not move the book's first and last day: a campaign may be scheduled ahead.
struct campaign_table {
  int_column customer;  ///< row in customers
  int_column day;
  categorical campaign;  ///< optional: the campaign's name (absent: one campaign)
};

/// One row per thing learned about a customer (drip_dialogue.hpp): the profile field it
/// fills, the day it was learned and, optionally, its value and who learned it.
struct profile_table {
  int_column customer;  ///< row in customers
  categorical field;    ///< "family", "goals", "other_providers"…
  int_column learned;   ///< day learned
  categorical value;    ///< optional: the answer
  int_column by;        ///< optional: row in managers, -1 when not a manager
};

/// One row per person at a customer (a business customer's contacts): "registre por lo
/// menos más de un par de nombres de contacto en cada una de estas empresas".
struct people_table {
  int_column customer;       ///< row in customers
  categorical person;        ///< their name (or id), as interactions.person names them
  categorical role;          ///< optional: purchasing, finance, systems, general manager…
  categorical area;          ///< optional: their area, to pair with the same area of ours
  categorical reachable_by;  ///< optional: email, phone, visit…
  int_column updated;        ///< optional: the day their data was last checked, no_day if never
};

/// Validated, immutable customer book. Copy is cheap to avoid by moving; every accessor
/// is const and thread-safe. Each event table is kept by customer, then day, then (within
/// a day) by its other columns: the order the rows came in never shows in a result.
/// Returns are taken out of the transactions into returns(): transactions() holds purchases.
class book {
 public:
  /// Validates and takes the tables. Throws invalid_input (unknown_id for a reference to a
  /// row that does not exist) naming the table, column, row and value of the first problem.
  explicit book(customer_table customers, manager_table managers = {}, transaction_table transactions = {},
                interaction_table interactions = {}, complaint_table complaints = {}, referral_table referrals = {},
                campaign_table campaigns = {}, profile_table profile = {}, people_table people = {});

  [[nodiscard]] const customer_table& customers() const noexcept { return customers_; }
  [[nodiscard]] const manager_table& managers() const noexcept { return managers_; }
  /// Purchases (the returns are in returns()).
  [[nodiscard]] const transaction_table& transactions() const noexcept { return transactions_; }
  /// Returns and cancellations, by customer and day.
  [[nodiscard]] const return_table& returns() const noexcept { return returns_; }
  [[nodiscard]] const interaction_table& interactions() const noexcept { return interactions_; }
  [[nodiscard]] const complaint_table& complaints() const noexcept { return complaints_; }
  /// Referrals, sorted by referrer and day.
  [[nodiscard]] const referral_table& referrals() const noexcept { return referrals_; }
  [[nodiscard]] const campaign_table& campaigns() const noexcept { return campaigns_; }
  /// What was learned about each customer, by customer and day learned.
  [[nodiscard]] const profile_table& profile() const noexcept { return profile_; }
  /// The people at each customer, by customer, then the day their data was checked.
  [[nodiscard]] const people_table& people() const noexcept { return people_; }

  [[nodiscard]] index_t customer_count() const noexcept { return customers_.id.size(); }
  [[nodiscard]] index_t manager_count() const noexcept { return managers_.id.size(); }

  /// Customer c's transactions are rows [offsets[c], offsets[c + 1]) of transactions().
  [[nodiscard]] std::span<const std::int64_t> transaction_offsets() const noexcept { return transaction_offsets_; }
  /// Customer c's returns are rows [offsets[c], offsets[c + 1]) of returns().
  [[nodiscard]] std::span<const std::int64_t> return_offsets() const noexcept { return return_offsets_; }
  /// Customer c's interactions are rows [offsets[c], offsets[c + 1]) of interactions().
  [[nodiscard]] std::span<const std::int64_t> interaction_offsets() const noexcept { return interaction_offsets_; }
  /// Customer c's complaints are rows [offsets[c], offsets[c + 1]) of complaints().
  [[nodiscard]] std::span<const std::int64_t> complaint_offsets() const noexcept { return complaint_offsets_; }
  /// Referrals given by customer c are rows [offsets[c], offsets[c + 1]) of referrals().
  [[nodiscard]] std::span<const std::int64_t> referral_offsets() const noexcept { return referral_offsets_; }
  /// Customer c's campaign contacts are rows [offsets[c], offsets[c + 1]) of campaigns().
  [[nodiscard]] std::span<const std::int64_t> campaign_offsets() const noexcept { return campaign_offsets_; }
  /// Customer c's profile rows are rows [offsets[c], offsets[c + 1]) of profile().
  [[nodiscard]] std::span<const std::int64_t> profile_offsets() const noexcept { return profile_offsets_; }
  /// Customer c's people are rows [offsets[c], offsets[c + 1]) of people().
  [[nodiscard]] std::span<const std::int64_t> people_offsets() const noexcept { return people_offsets_; }

  /// The first and last day found in any event table (no_day when there are no events).
  [[nodiscard]] day_t first_day() const noexcept { return first_day_; }
  [[nodiscard]] day_t last_day() const noexcept { return last_day_; }

 private:
  customer_table customers_;
  manager_table managers_;
  transaction_table transactions_;
  return_table returns_;
  interaction_table interactions_;
  complaint_table complaints_;
  referral_table referrals_;
  campaign_table campaigns_;
  profile_table profile_;
  people_table people_;
  std::vector<std::int64_t> transaction_offsets_;
  std::vector<std::int64_t> return_offsets_;
  std::vector<std::int64_t> interaction_offsets_;
  std::vector<std::int64_t> complaint_offsets_;
  std::vector<std::int64_t> referral_offsets_;
  std::vector<std::int64_t> campaign_offsets_;
  std::vector<std::int64_t> profile_offsets_;
  std::vector<std::int64_t> people_offsets_;
  day_t first_day_ = no_day;
  day_t last_day_ = no_day;
};

}  // namespace cartera
