#pragma once
/// \file readiness.hpp
/// The book's own IDIC readiness: how far the data shows the company can identify,
/// differentiate, interact with and individualise its customers (Peppers' four steps),
/// measured from the book, to set beside what people answer in the readiness
/// questionnaire ("escenario actual" against "escenario preferido").

#include <span>

#include "cartera/book.hpp"
#include "cartera/stages.hpp"
#include "cartera/value.hpp"

namespace cartera {

struct readiness_policy {
  int interaction_days = 365;  ///< the dialogue counted: two-way interactions in this many days before the day
  double mvc_share = 0.10;     ///< the most valuable customers, as a share of the book (the field uses 5-10 %)

  void validate() const;
};

/// Shares in [0, 1] (NaN when there is nothing to measure: a book without customers, or no
/// plan given).
struct book_readiness {
  /// Identify: customers reachable (customers.reachable; without the column, every one).
  double identify = 0;
  /// Differentiate: customers whose value is known, with a purchase in the value window.
  double differentiate = 0;
  /// And how much telling them apart matters: the window's revenue the most valuable
  /// mvc_share of the customers bring.
  double mvc_revenue_share = 0;
  /// Interact: customers with a two-way interaction in the last interaction_days.
  double interact = 0;
  /// Of those, the ones whose dialogue continues: two-way interactions in both halves of
  /// the period.
  double dialogue_continuity = 0;
  /// Individualise: customers at intimar or confiar.
  double individualise = 0;
  /// Of the customers with a known preferred channel and a planned contact, those planned
  /// on it (NaN without a plan).
  double preferred_channel_kept = 0;
  index_t customers = 0;
};

/// Measures the book's readiness as of `as_of`. `value` is compute_value of the same day,
/// `stages` one stage per customer. `preferred` (the customers' preferred channels, -1 for
/// none) and `planned` (the channel of each customer's planned contacts, -1 for none), both
/// rows in one list of channels, are optional and go together.
[[nodiscard]] book_readiness measure_readiness(const book& customers, const value_table& value,
                                               std::span<const stage> stages, day_t as_of,
                                               const readiness_policy& policy = {},
                                               std::span<const index_t> preferred = {},
                                               std::span<const index_t> planned = {});

}  // namespace cartera
