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

}  // namespace

void growth_policy::validate() const {
  detail::require(peer_quantile >= 0 && peer_quantile <= 1, "growth_policy", "peer_quantile", peer_quantile,
                  "must be in [0, 1]");
  detail::require(offers >= 0, "growth_policy", "offers", static_cast<double>(offers), "must be 0 or more");
  detail::require(std::isfinite(min_lift) && min_lift >= 0, "growth_policy", "min_lift", min_lift,
                  "must be finite and 0 or more");
  detail::require(min_share >= 0 && min_share <= 1, "growth_policy", "min_share", min_share, "must be in [0, 1]");
}

growth_table growth_potential(std::span<const double> spend, std::span<const index_t> group, index_t groups,
                              const std::vector<std::string>& group_names, const growth_policy& policy) {
  policy.validate();
  check_groups(group, groups, spend.size(), group_names.size(), "growth");
  for (std::size_t c = 0; c < spend.size(); ++c) {
    if (!(std::isfinite(spend[c]) && spend[c] >= 0)) {
      throw invalid_input({"growth", "spend", static_cast<std::int64_t>(c), detail::format_number(spend[c])},
                          "must be finite and 0 or more");
    }
  }
  // Each group's spends, and the whole book's for the customers without a group.
  std::vector<std::vector<double>> spends(static_cast<std::size_t>(groups) + 1);
  for (std::size_t c = 0; c < spend.size(); ++c) {
    if (group[c] >= 0) spends[static_cast<std::size_t>(group[c])].push_back(spend[c]);
    spends.back().push_back(spend[c]);
  }
  std::vector<double> peer(spends.size());
  for (std::size_t g = 0; g < spends.size(); ++g) peer[g] = quantile(spends[g], policy.peer_quantile);
  const auto n = static_cast<Eigen::Index>(spend.size());
  growth_table out{real_column(n), real_column(n), real_column(n), std::vector<std::string>(spend.size())};
  const std::string top = "top " + percent(1 - policy.peer_quantile);
  for (std::size_t c = 0; c < spend.size(); ++c) {
    const auto g = group[c] >= 0 ? static_cast<std::size_t>(group[c]) : spends.size() - 1;
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

product_offers next_products(const book& customers, std::span<const index_t> group, index_t groups,
                             const std::vector<std::string>& group_names, const growth_policy& policy) {
  policy.validate();
  const auto n = static_cast<std::size_t>(customers.customers().id.size());
  check_groups(group, groups, n, group_names.size(), "next_products");
  const transaction_table& t = customers.transactions();
  if (t.product.empty()) {
    throw invalid_input({"transactions", "product", -1, ""}, "next products need the product of each purchase");
  }
  const std::size_t products = t.product.categories.size();
  const auto offsets = customers.transaction_offsets();
  // Which products each customer holds, and how many customers of each group (and of the
  // book, the last row) hold each product.
  std::vector<std::uint8_t> held(n * products, 0);
  std::vector<double> holders((static_cast<std::size_t>(groups) + 1) * products, 0.0);
  std::vector<double> size(static_cast<std::size_t>(groups) + 1, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    for (std::int64_t k = offsets[c]; k < offsets[c + 1]; ++k) {
      const index_t code = t.product.codes[k];
      if (code >= 0) held[c * products + static_cast<std::size_t>(code)] = 1;
    }
    const auto g = group[c] >= 0 ? static_cast<std::size_t>(group[c]) : static_cast<std::size_t>(groups);
    size[g] += 1;
    if (g != static_cast<std::size_t>(groups)) size.back() += 1;
    for (std::size_t p = 0; p < products; ++p) {
      if (!held[c * products + p]) continue;
      holders[g * products + p] += 1;
      if (g != static_cast<std::size_t>(groups)) holders[static_cast<std::size_t>(groups) * products + p] += 1;
    }
  }
  product_offers out;
  const std::size_t book_row = static_cast<std::size_t>(groups) * products;
  std::vector<std::size_t> candidates;
  for (std::size_t c = 0; c < n; ++c) {
    const auto g = group[c] >= 0 ? static_cast<std::size_t>(group[c]) : static_cast<std::size_t>(groups);
    const std::string peers = group[c] >= 0 ? group_names[g] : std::string("the book");
    const auto share = [&](std::size_t p) { return size[g] > 0 ? holders[g * products + p] / size[g] : 0.0; };
    const auto overall = [&](std::size_t p) { return size.back() > 0 ? holders[book_row + p] / size.back() : 0.0; };
    candidates.clear();
    for (std::size_t p = 0; p < products; ++p) {
      if (held[c * products + p] || share(p) < policy.min_share || share(p) <= 0) continue;
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
      out.reason.push_back(percent(share(p)) + " of " + peers + " hold " + t.product.categories[p] + ", " +
                           detail::format_number(std::round(lift * 10) / 10) + "× the book's " + percent(overall(p)));
    }
  }
  return out;
}

}  // namespace cartera
