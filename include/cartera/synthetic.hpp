#pragma once
/// \file synthetic.hpp
/// A deterministic synthetic book of a retail bank, for demos, tests and benchmarks.
///
/// Customers have Pareto-shaped value (a few bring most of it), join over ten years, live
/// in regions served by managers of the same region, and follow one of four behaviours in
/// the last `change_days` of history: steady, declining (buying at a quarter of their
/// usual rate), growing (three times their rate) or lapsed (gone quiet). Purchases and
/// contacts are Poisson processes; some customers complain, some refer others.
/// The same options and seed give the same book on every platform and thread count.

#include <cstdint>

#include "cartera/book.hpp"
#include "cartera/execution.hpp"

namespace cartera {

struct synthetic_options {
  index_t customers = 10'000;
  index_t managers = 100;
  /// Last day of history; the history spans the `history_days` before it.
  day_t end = make_day(2025, 12, 31);
  int history_days = 730;
  /// Mean purchases and contacts per customer over the whole history.
  double transactions_per_customer = 10.0;
  double interactions_per_customer = 6.0;
  /// Shares of customers that decline, grow or lapse in the last `change_days`.
  double declining_share = 0.10;
  double growing_share = 0.08;
  double lapsed_share = 0.12;
  int change_days = 120;
  /// Share of customers with a complaint, and share brought by a referral.
  double complaint_share = 0.05;
  double referred_share = 0.08;
  /// Share of customers with a current manager.
  double managed_share = 0.6;
  /// Share of customers each of four central campaigns reaches (300, 200, 90 and 10 days
  /// before the end); a customer's purchases and contacts after one are its responses.
  double campaign_share = 0.15;
  /// Share of business customers, with one to three named people each.
  double business_share = 0.2;
  std::uint64_t seed = 42;

  /// Throws invalid_input naming the option whose value is out of range.
  void validate() const;
};

/// The behaviour a synthetic customer was generated with (for tests of alerts and trends).
enum class synthetic_behaviour : std::uint8_t { steady = 0, declining = 1, growing = 2, lapsed = 3 };

/// Generates a book. Regions are R1..R8, customers C0000001..., managers M00001...
[[nodiscard]] book synthetic_book(const synthetic_options& options = {}, const execution& run = {});

/// The behaviour of each customer of synthetic_book(options), in customer order.
[[nodiscard]] std::vector<synthetic_behaviour> synthetic_behaviours(const synthetic_options& options);

}  // namespace cartera
