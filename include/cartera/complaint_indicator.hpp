#pragma once
/// \file complaint_indicator.hpp
/// The complaint indicator of the practice: "graficar y hacer claro a todo el personal de la
/// empresa el indicador de quejas resueltas en el menor tiempo posible como consecuencia de
/// la primera llamada", weighed "por importancia, no por cantidad".
///
/// One row per manager and month (the month the complaint was opened): how many were solved
/// at the first contact, how long the rest took, whether the valuable customers' complaints
/// were handled in time, and whether the customer bought again afterwards. Every share comes
/// twice, counted and weighted by the customer's value.

#include <cstdint>
#include <span>
#include <vector>

#include "cartera/book.hpp"

namespace cartera {

struct complaint_policy {
  int response_days = 30;  ///< a valuable customer's complaint is handled in time when resolved within this many days
  int stay_days = 180;     ///< the customer stayed when they bought again within this many days of opening it
  /// Without a `valuable` flag from the caller, the top share of customers by value counts as valuable.
  double valuable_share = 0.20;

  void validate() const;
};

/// One row per manager and month with a complaint opened on or before the evaluation day,
/// by manager row (customers without a manager, -1, last) then month. A complaint resolved
/// after the evaluation day is still open. A share whose denominator is 0 is NaN.
struct complaint_indicator_table {
  std::vector<index_t> manager;             ///< row in managers, -1 for customers without a manager
  std::vector<day_t> month;                 ///< the first day of the month the complaints were opened
  std::vector<std::int64_t> complaints;     ///< opened in the month
  std::vector<std::int64_t> resolved;       ///< of those, resolved by the evaluation day
  std::vector<std::int64_t> first_contact;  ///< resolved at the first contact
  std::vector<double> first_contact_share;  ///< first_contact / complaints
  /// The same, each complaint weighted by its customer's value: first_contact_value / value.
  std::vector<double> first_contact_share_by_value;
  std::vector<double> mean_days_to_resolve;  ///< over the resolved ones
  std::vector<double> median_days_to_resolve;
  std::vector<std::int64_t> valuable;  ///< complaints of valuable customers
  /// Of those, the ones that are due: resolved, or open for response_days or more.
  std::vector<std::int64_t> valuable_due;
  std::vector<std::int64_t> valuable_in_time;  ///< resolved within response_days of opening
  std::vector<double> valuable_in_time_share;  ///< valuable_in_time / valuable_due
  /// Complaints opened stay_days or more before the evaluation day: whether the customer
  /// stayed can be told.
  std::vector<std::int64_t> stay_due;
  std::vector<std::int64_t> stayed;           ///< of those, the customer bought within stay_days after opening
  std::vector<double> stayed_share;           ///< stayed / stay_due
  std::vector<double> stayed_share_by_value;  ///< the same, weighted by value: stayed_value / stay_due_value
  /// The complainers' value, each complaint counting its customer's; and that of the
  /// complaints resolved at the first contact, due a stay, and stayed (so that rows add up).
  std::vector<double> value, first_contact_value, stay_due_value, stayed_value;
};

/// The complaint indicator as of `as_of`. `value` has one entry per customer (revenue,
/// contribution, lifetime value...), a number; below 0 weighs 0. `valuable`, when not empty,
/// flags the customers that count as valuable (a tier...); empty, the top
/// `policy.valuable_share` by value. `manager`, when not empty, is each customer's manager
/// (-1 for none); empty, the customers table's manager column (or none).
[[nodiscard]] complaint_indicator_table complaint_indicator(const book& customers, day_t as_of,
                                                            std::span<const double> value,
                                                            std::span<const std::uint8_t> valuable = {},
                                                            const complaint_policy& policy = {},
                                                            std::span<const index_t> manager = {});

}  // namespace cartera
