#pragma once
/// \file growth.hpp
/// Where can a customer grow? Against the peers of their group (a tier, a cluster): how
/// much of what the group's best spend they spend (a share-of-wallet estimate), and the
/// products their peers hold that they do not — the "módulos" the customer can hardly
/// refuse — with the lift that justifies each.

#include <span>
#include <string>
#include <vector>

#include "cartera/book.hpp"
#include "cartera/columns.hpp"

namespace cartera {

struct growth_policy {
  /// The peers' spend a customer is measured against: this quantile of their group.
  double peer_quantile = 0.9;
  /// Offers per customer, the best first.
  int offers = 3;
  /// An offer needs its product held this much more often in the group than in the book.
  double min_lift = 1.0;
  /// And by at least this share of the group.
  double min_share = 0.05;

  void validate() const;
};

struct growth_table {
  real_column peer_spend;       ///< the group's peer_quantile of spend
  real_column growth;           ///< peer_spend − spend, 0 when at or above it
  real_column share_of_wallet;  ///< spend ÷ peer_spend, capped at 1; 1 for a group that spends nothing
  std::vector<std::string> reason;
};

/// Growth per customer from their spend and their group (`group_names[g]` names group g in
/// the reasons; −1: no group, measured against the whole book). Throws invalid_input for a
/// spend that is negative or not finite, a group out of range, or columns of other lengths.
[[nodiscard]] growth_table growth_potential(std::span<const double> spend, std::span<const index_t> group,
                                            index_t groups, const std::vector<std::string>& group_names,
                                            const growth_policy& policy = {});

/// Each group's peer spend, the policy's peer_quantile of its customers' spend (linear
/// between order statistics, as NumPy's default; 0 for an empty group), the whole book's
/// last: what growth_potential measures the customers against.
[[nodiscard]] std::vector<double> peer_spends(std::span<const double> spend, std::span<const index_t> group,
                                              index_t groups, const growth_policy& policy = {});

/// growth_potential against given peer spends (`groups` + 1, the whole book's last): how a
/// part of a book is measured against the whole book's peers. Throws as growth_potential,
/// and for peer spends of another count or not finite and 0 or more.
[[nodiscard]] growth_table growth_against(std::span<const double> spend, std::span<const index_t> group, index_t groups,
                                          const std::vector<std::string>& group_names,
                                          std::span<const double> peer_spend, const growth_policy& policy = {});

/// How many customers of each group hold each product: what next_products proposes from.
/// The counts of parts of a book add up to the whole book's.
struct product_holders {
  std::vector<std::string> products;
  std::vector<double> customers;  ///< per group, the whole book's last (groups + 1)
  std::vector<double> holders;    ///< per group (the book's last) and product: row g × products + p
};

/// The holders of each of the book's products (transactions().product categories), by the
/// customers' groups (−1: none; they count in the book's row alone). Throws invalid_input
/// when the book has no product column or a group is out of range.
[[nodiscard]] product_holders count_product_holders(const book& customers, std::span<const index_t> group,
                                                    index_t groups);

/// One row per offer: a product the customer has never bought that their group's
/// customers hold, in order of customer then share held (the most held first).
struct product_offers {
  std::vector<index_t> customer;
  std::vector<index_t> product;    ///< code in the holders' products (the book's categories by default)
  std::vector<double> peer_share;  ///< of the customer's group holding the product
  std::vector<double> lift;        ///< peer_share ÷ the share of the whole book holding it
  std::vector<std::string> reason;
};

/// The next products to propose to each customer, from the products of their purchases
/// (transactions with a product). Throws invalid_input when the book has no product
/// column or a group is out of range.
[[nodiscard]] product_offers next_products(const book& customers, std::span<const index_t> group, index_t groups,
                                           const std::vector<std::string>& group_names,
                                           const growth_policy& policy = {});

/// next_products against given holders (of the whole book, when this book is a part of it):
/// the offers are among `peers.products`, which must hold every product of this book.
/// Throws as next_products, and for holders of other sizes or missing a product.
[[nodiscard]] product_offers next_products(const book& customers, std::span<const index_t> group, index_t groups,
                                           const std::vector<std::string>& group_names, const product_holders& peers,
                                           const growth_policy& policy = {});

}  // namespace cartera
