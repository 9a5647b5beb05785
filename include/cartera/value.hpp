#pragma once
/// \file value.hpp
/// Customer value from transactions and interactions, as of a date.
///
/// Only events on or before `as_of` count, so a value computed for a past date is what was
/// knowable then. Every customer of the book has a row, with defined values when they
/// never bought: frequency 0, amounts 0, recency +infinity, trend 1.
///
/// Returns (book::returns()) are netted out of monetary, margin, contribution and lifetime
/// monetary, and counted apart (returned, returns, return_rate); recency, frequency,
/// first and last purchase, recent, usual and trend are about purchases only.

#include <map>
#include <string>

#include "cartera/book.hpp"
#include "cartera/execution.hpp"

namespace cartera {

/// How value is measured. Plain data; every field has a documented default.
struct value_policy {
  /// Frequency, monetary, margin and cost to serve are summed over the days
  /// (as_of - window_days, as_of].
  int window_days = 365;
  /// Recent spend: the last `recent_days` days, (as_of - recent_days, as_of].
  int recent_days = 90;
  /// Usual spend: the mean spend over up to this many earlier periods of `recent_days`
  /// each, counting only periods that end after the customer was first known.
  int usual_periods = 4;
  /// Margin of a transaction when the book carries no margin column: amount × margin_rate.
  double margin_rate = 1.0;
  /// Cost of one interaction by channel, in the same currency as amounts.
  std::map<std::string, double, std::less<>> channel_costs = {{"visit", 60.0},  {"event", 40.0}, {"video", 15.0},
                                                              {"branch", 12.0}, {"call", 10.0},  {"email", 2.0},
                                                              {"digital", 0.5}};
  /// Cost of an interaction on a channel missing from channel_costs (or with no channel).
  double other_channel_cost = 5.0;

  /// Throws invalid_input naming the field when a value is out of its range.
  void validate() const;
};

/// One row per customer (the book's customer order). Days are days since 1970-01-01.
struct value_table {
  real_column recency;            ///< days since the last purchase; +inf if none
  int_column frequency;           ///< purchases in the window
  real_column monetary;           ///< amount bought in the window, net of the window's returns
  real_column monetary_mean;      ///< monetary / frequency; 0 if no purchase
  real_column margin;             ///< margin in the window, net of the margin returned
  int_column tenure;              ///< days since first known (customers.since, else the first event)
  int_column first_purchase;      ///< day of the first purchase, no_day if none
  int_column last_purchase;       ///< day of the last purchase, no_day if none
  real_column lifetime_monetary;  ///< amount bought up to as_of, all history, net of returns
  real_column recent;             ///< amount bought in the recent period
  real_column usual;              ///< mean amount per earlier period of the same length
  real_column trend;              ///< recent / usual; +inf if usual is 0 and recent > 0; 1 if both are 0
  int_column interactions;        ///< interactions in the window
  real_column cost_to_serve;      ///< sum of channel costs of the window's interactions
  real_column contribution;       ///< margin - cost_to_serve
  real_column returned;           ///< amount given back in the window
  int_column returns;             ///< returns in the window
  real_column return_rate;        ///< returned / amount bought in the window; 0 if both are 0, +inf if nothing bought
};

/// Computes value for every customer as of a day.
[[nodiscard]] value_table compute_value(const book& customers, day_t as_of, const value_policy& policy = {},
                                        const execution& run = {});

/// The per-customer summary used by buy-till-you-die models (the Python `lifetimes`
/// package's summary_data_from_transaction_data): purchases on one day merge into one.
/// Purchases only: returns are neither repeat days nor spend.
/// Durations are in `unit_days` units (1 for days, 7 for weeks).
struct repeat_summary {
  real_column frequency;  ///< distinct purchase days - 1 (0 if none)
  real_column recency;    ///< time between the first and the last purchase day
  real_column age;        ///< T: time between the first purchase and as_of (0 if none)
  real_column monetary;   ///< mean total of the repeat days (first day excluded); 0 if none
  flag_column purchased;  ///< 1 when the customer bought at least once up to as_of
};

[[nodiscard]] repeat_summary compute_repeat_summary(const book& customers, day_t as_of, double unit_days = 1.0,
                                                    const execution& run = {});

}  // namespace cartera
