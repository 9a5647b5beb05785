#include "cartera/growth.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "detail/checks.hpp"
#include "detail/format.hpp"

namespace cartera {

namespace {

std::string percent(double share) { return std::to_string(static_cast<int>(std::lround(share * 100))) + " %"; }

std::string money(double amount) { return std::to_string(static_cast<long long>(std::llround(amount))); }

void check_groups(std::span<const index_t> group, index_t groups, std::size_t rows, std::size_t names,
                  const char* table) {
  if (group.size() != rows) {
    throw invalid_input({table, "group", -1, std::to_string(group.size())},
                        "one group per customer: expected " + std::to_string(rows));
  }
  if (names != static_cast<std::size_t>(groups)) {
    throw invalid_input({table, "group_names", -1, std::to_string(names)},
                        "one name per group: expected " + std::to_string(groups));
  }
  for (std::size_t c = 0; c < group.size(); ++c) {
    if (group[c] < -1 || group[c] >= groups) {
      throw invalid_input({table, "group", static_cast<std::int64_t>(c), std::to_string(group[c])},
                          "not a group: expected -1 or 0.." + std::to_string(groups - 1));
    }
  }
}

// The q-quantile of values (linear between order statistics, as NumPy's default).
double quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double at = q * static_cast<double>(values.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(at));
  const std::size_t high = std::min(low + 1, values.size() - 1);
  return values[low] + (at - static_cast<double>(low)) * (values[high] - values[low]);
}

void check_spend(std::span<const double> spend, std::span<const index_t> group, index_t groups, std::size_t names,
                 const growth_policy& policy) {
  policy.validate();
  check_groups(group, groups, spend.size(), names, "growth");
  detail::check_numbers("growth", "spend", spend);
}

}  // namespace

void growth_policy::validate() const {
  detail::require(peer_quantile >= 0 && peer_quantile <= 1, "growth_policy", "peer_quantile", peer_quantile,
                  "must be in [0, 1]");
  detail::require(offers >= 0, "growth_policy", "offers", static_cast<double>(offers), "must be 0 or more");
  detail::require(std::isfinite(min_lift) && min_lift >= 0, "growth_policy", "min_lift", min_lift,
                  "must be finite and 0 or more");
  detail::require(min_share >= 0 && min_share <= 1, "growth_policy", "min_share", min_share, "must be in [0, 1]");
}

std::vector<double> peer_spends(std::span<const double> spend, std::span<const index_t> group, index_t groups,
                                const growth_policy& policy) {
  check_spend(spend, group, groups, static_cast<std::size_t>(std::max<index_t>(groups, 0)), policy);
  // Each group's spends, and the whole book's for the customers without a group.
  std::vector<std::vector<double>> spends(static_cast<std::size_t>(groups) + 1);
  for (std::size_t c = 0; c < spend.size(); ++c) {
    if (group[c] >= 0) spends[static_cast<std::size_t>(group[c])].push_back(spend[c]);
    spends.back().push_back(spend[c]);
  }
  std::vector<double> peer(spends.size());
  for (std::size_t g = 0; g < spends.size(); ++g) peer[g] = quantile(spends[g], policy.peer_quantile);
  return peer;
}

growth_table growth_potential(std::span<const double> spend, std::span<const index_t> group, index_t groups,
                              const std::vector<std::string>& group_names, const growth_policy& policy) {
  return growth_against(spend, group, groups, group_names, peer_spends(spend, group, groups, policy), policy);
}

growth_table growth_against(std::span<const double> spend, std::span<const index_t> group, index_t groups,
                            const std::vector<std::string>& group_names, std::span<const double> peer,
                            const growth_policy& policy) {
  check_spend(spend, group, groups, group_names.size(), policy);
  detail::check_size("growth", "peer_spend", peer.size(), static_cast<std::size_t>(groups) + 1, "group and the book",
                     detail::counted::entries);
  detail::check_numbers("growth", "peer_spend", peer);
  const std::size_t book_row = static_cast<std::size_t>(groups);
  const auto n = static_cast<Eigen::Index>(spend.size());
  growth_table out{real_column(n), real_column(n), real_column(n), std::vector<std::string>(spend.size())};
  const std::string top = "top " + percent(1 - policy.peer_quantile);
  for (std::size_t c = 0; c < spend.size(); ++c) {
    const auto g = group[c] >= 0 ? static_cast<std::size_t>(group[c]) : book_row;
    const auto i = static_cast<Eigen::Index>(c);
    const std::string& peers = group[c] >= 0 ? group_names[g] : std::string("the book");
    out.peer_spend[i] = peer[g];
    out.growth[i] = std::max(0.0, peer[g] - spend[c]);
    out.share_of_wallet[i] = peer[g] > 0 ? std::min(1.0, spend[c] / peer[g]) : 1.0;
    out.reason[c] = out.growth[i] > 0 ? "spends " + money(spend[c]) + " where the " + top + " of " + peers + " spend " +
                                            money(peer[g]) + ": room for " + money(out.growth[i])
                                      : "spends " + money(spend[c]) + ", at or above the " + top + " of " + peers +
                                            " (" + money(peer[g]) + ")";
  }
  return out;
}

product_holders count_product_holders(const book& customers, std::span<const index_t> group, index_t groups) {
  const auto n = static_cast<std::size_t>(customers.customers().id.size());
  check_groups(group, groups, n, static_cast<std::size_t>(std::max<index_t>(groups, 0)), "next_products");
  const transaction_table& t = customers.transactions();
  if (t.product.empty()) {
    throw invalid_input({"transactions", "product", -1, ""}, "next products need the product of each purchase");
  }
  const std::size_t products = t.product.categories.size(), book_row = static_cast<std::size_t>(groups);
  product_holders out{t.product.categories, std::vector<double>(book_row + 1, 0.0),
                      std::vector<double>((book_row + 1) * products, 0.0)};
  const auto offsets = customers.transaction_offsets();
  std::vector<std::uint8_t> held(products);
  for (std::size_t c = 0; c < n; ++c) {
    std::fill(held.begin(), held.end(), 0);
    for (std::int64_t k = offsets[c]; k < offsets[c + 1]; ++k) {
      if (t.product.codes[k] >= 0) held[static_cast<std::size_t>(t.product.codes[k])] = 1;
    }
    const auto g = group[c] >= 0 ? static_cast<std::size_t>(group[c]) : book_row;
    for (const std::size_t row : {g, book_row}) {
      out.customers[row] += 1;
      for (std::size_t p = 0; p < products; ++p) out.holders[row * products + p] += held[p];
      if (row == book_row) break;  // a customer without a group counts once
    }
  }
  return out;
}

product_offers next_products(const book& customers, std::span<const index_t> group, index_t groups,
                             const std::vector<std::string>& group_names, const growth_policy& policy) {
  policy.validate();
  return next_products(customers, group, groups, group_names, count_product_holders(customers, group, groups), policy);
}

product_offers next_products(const book& customers, std::span<const index_t> group, index_t groups,
                             const std::vector<std::string>& group_names, const product_holders& peers,
                             const growth_policy& policy) {
  policy.validate();
  const auto n = static_cast<std::size_t>(customers.customers().id.size());
  check_groups(group, groups, n, group_names.size(), "next_products");
  const transaction_table& t = customers.transactions();
  if (t.product.empty()) {
    throw invalid_input({"transactions", "product", -1, ""}, "next products need the product of each purchase");
  }
  const std::size_t products = peers.products.size(), book_row = static_cast<std::size_t>(groups);
  detail::check_size("product_holders", "customers", peers.customers.size(), book_row + 1, "group and the book",
                     detail::counted::entries);
  detail::check_size("product_holders", "holders", peers.holders.size(), (book_row + 1) * products,
                     "group (and the book) and product", detail::counted::entries);
  // The book's product codes as positions in the holders' products.
  std::vector<std::size_t> position(t.product.categories.size());
  for (std::size_t k = 0; k < position.size(); ++k) {
    const auto found = std::find(peers.products.begin(), peers.products.end(), t.product.categories[k]);
    if (found == peers.products.end()) {
      throw invalid_input({"product_holders", "products", -1, t.product.categories[k]},
                          "a product of the book the holders do not count");
    }
    position[k] = static_cast<std::size_t>(found - peers.products.begin());
  }
  const auto offsets = customers.transaction_offsets();
  product_offers out;
  std::vector<std::uint8_t> held(products);
  std::vector<std::size_t> candidates;
  for (std::size_t c = 0; c < n; ++c) {
    std::fill(held.begin(), held.end(), 0);
    for (std::int64_t k = offsets[c]; k < offsets[c + 1]; ++k) {
      if (t.product.codes[k] >= 0) held[position[static_cast<std::size_t>(t.product.codes[k])]] = 1;
    }
    const auto g = group[c] >= 0 ? static_cast<std::size_t>(group[c]) : book_row;
    const std::string peers_name = group[c] >= 0 ? group_names[g] : std::string("the book");
    const double size = peers.customers[g], book_size = peers.customers[book_row];
    const auto share = [&](std::size_t p) { return size > 0 ? peers.holders[g * products + p] / size : 0.0; };
    const auto overall = [&](std::size_t p) {
      return book_size > 0 ? peers.holders[book_row * products + p] / book_size : 0.0;
    };
    candidates.clear();
    for (std::size_t p = 0; p < products; ++p) {
      if (held[p] || share(p) < policy.min_share || share(p) <= 0) continue;
      if (share(p) / overall(p) < policy.min_lift) continue;
      candidates.push_back(p);
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](std::size_t a, std::size_t b) { return share(a) > share(b); });
    const auto take = std::min(candidates.size(), static_cast<std::size_t>(policy.offers));
    for (std::size_t k = 0; k < take; ++k) {
      const std::size_t p = candidates[k];
      const double lift = share(p) / overall(p);
      out.customer.push_back(static_cast<index_t>(c));
      out.product.push_back(static_cast<index_t>(p));
      out.peer_share.push_back(share(p));
      out.lift.push_back(lift);
      out.reason.push_back(percent(share(p)) + " of " + peers_name + " hold " + peers.products[p] + ", " +
                           detail::format_number(std::round(lift * 10) / 10) + "× the book's " + percent(overall(p)));
    }
  }
  return out;
}

}  // namespace cartera
