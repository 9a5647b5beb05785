#pragma once
/// \file referrals.hpp
/// Customers who bring customers: the referral network, each customer's reach and
/// influence, and the "show-room" customers who sell for us.
///
/// The referrals of a book form a directed graph (referrer → referred). Two views of it:
/// - the **acquisition forest**: each customer's first referral (earliest day, then lowest
///   referrer row) names who brought them, unless it would close a cycle; chains, reach and
///   referral value follow this forest, so nobody is counted twice;
/// - the **whole graph**, with Boost.Graph's PageRank on the reversed edges for influence:
///   a customer is influential when the customers they referred are.

#include <cstdint>
#include <span>
#include <vector>

#include "cartera/book.hpp"

namespace cartera {

struct referral_policy {
  double damping = 0.85;     ///< PageRank damping factor, in (0, 1)
  double tolerance = 1e-6;   ///< PageRank stops when no score moves more than this (scores are about 0.15 to the tens)
  int max_iterations = 200;  ///< and after at most this many iterations
  double decay = 0.5;        ///< referral value: a customer brought at n steps counts decay^(n-1)

  void validate() const;
};

/// One row per customer.
struct referral_network {
  std::vector<index_t> referred_by;      ///< who brought the customer (acquisition forest), -1 for none
  std::vector<index_t> origin;           ///< the first customer of the customer's chain (themselves when not referred)
  std::vector<std::int32_t> generation;  ///< referral steps from the chain's origin (0 when not referred)
  std::vector<std::int32_t> referrals;   ///< referrals given, all of them (whole graph)
  std::vector<std::int32_t> reach;       ///< customers brought directly or down the chain (forest)
  /// Σ over customers brought at n steps of decay^(n-1) × their value (each counts 1 when
  /// no values are given).
  std::vector<double> referral_value;
  /// PageRank on referred → referrer, Boost.Graph's form: 1 - damping for a customer who
  /// referred nobody, plus damping × each referred customer's influence shared among their
  /// referrers.
  std::vector<double> influence;
  int iterations = 0;  ///< PageRank iterations run
};

/// Analyses the book's referrals. `value`, when given, has one entry per customer (a
/// monetary value, a contribution…) and weighs the referral value; it must be finite.
[[nodiscard]] referral_network analyse_referrals(const book& customers, std::span<const double> value = {},
                                                 const referral_policy& policy = {});

/// The show-room customers of each portfolio: the `per_portfolio` most influential
/// satisfied customers who referred someone, best first (influence, then reach, then row).
struct show_room_table {
  std::vector<index_t> manager;  ///< -1 for customers without a manager
  std::vector<index_t> customer;
  std::vector<std::int32_t> rank;  ///< 1 for the most influential of the portfolio
};

/// `manager[c]` is customer c's manager (-1 for none; empty: nobody has one); `satisfied`
/// flags who may be shown (empty: everybody).
[[nodiscard]] show_room_table show_room(const referral_network& network, std::span<const index_t> manager,
                                        index_t managers, std::span<const std::uint8_t> satisfied = {},
                                        int per_portfolio = 3);

}  // namespace cartera
