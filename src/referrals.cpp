#include "cartera/referrals.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/page_rank.hpp>
#include <boost/pending/disjoint_sets.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>

#include "detail/checks.hpp"
#include "detail/format.hpp"

namespace cartera {
namespace {

using referral_graph = boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, boost::no_property,
                                                          boost::no_property, std::uint32_t, std::uint32_t>;

// Boost's page_rank asks "done?" before every step with the ranks so far; this stops when
// no rank moved more than the tolerance since the previous step.
class converged {
 public:
  converged(std::vector<double>& previous, int& steps, double tolerance, int max_steps)
      : previous_(&previous), steps_(&steps), tolerance_(tolerance), max_steps_(max_steps) {}

  template <typename RankMap, typename Graph>
  bool operator()(const RankMap& ranks, const Graph& graph) {
    double moved = 0.0;
    for (std::size_t v = 0; v < num_vertices(graph); ++v) {
      const double rank = get(ranks, v);
      moved = std::max(moved, std::abs(rank - (*previous_)[v]));
      (*previous_)[v] = rank;
    }
    // The first call sees the uniform start (1/n), which is no step of the iteration.
    if (first_) {
      first_ = false;
      return false;
    }
    ++*steps_;
    return moved <= tolerance_ || *steps_ >= max_steps_;
  }

 private:
  std::vector<double>* previous_;
  int* steps_;
  double tolerance_;
  int max_steps_;
  bool first_ = true;
};

// Each customer's acquisition referral: the earliest one that closes no cycle. The book
// holds referrals by referrer, then day, then input order; a stable counting sort by day
// makes that (day, referrer, input order) in linear time.
std::vector<index_t> acquisition_forest(const referral_table& referrals, index_t customers) {
  const auto rows = static_cast<std::size_t>(referrals.referrer.size());
  std::vector<std::size_t> order(rows);
  if (rows > 0) {
    const day_t first = referrals.day.minCoeff();
    std::vector<std::size_t> next(static_cast<std::size_t>(referrals.day.maxCoeff() - first) + 2, 0);
    for (std::size_t r = 0; r < rows; ++r)
      ++next[static_cast<std::size_t>(referrals.day[static_cast<Eigen::Index>(r)] - first) + 1];
    std::partial_sum(next.begin(), next.end(), next.begin());
    for (std::size_t r = 0; r < rows; ++r)
      order[next[static_cast<std::size_t>(referrals.day[static_cast<Eigen::Index>(r)] - first)]++] = r;
  }
  std::vector<index_t> parent(static_cast<std::size_t>(customers), no_index);
  // Iterator property maps, not raw pointers: ADL must find boost::get past the CSR graph's
  // detail::get.
  std::vector<std::size_t> rank(static_cast<std::size_t>(customers), 0);
  std::vector<std::size_t> root(static_cast<std::size_t>(customers));
  std::iota(root.begin(), root.end(), std::size_t{0});
  const auto identity = boost::typed_identity_property_map<std::size_t>();
  boost::disjoint_sets trees(boost::make_iterator_property_map(rank.begin(), identity),
                             boost::make_iterator_property_map(root.begin(), identity));
  for (const std::size_t r : order) {
    const auto row = static_cast<Eigen::Index>(r);
    const index_t from = referrals.referrer[row];
    const index_t to = referrals.referred[row];
    if (parent[static_cast<std::size_t>(to)] != no_index) continue;
    // `to` is still the root of its tree: linking it below `from` closes a cycle exactly
    // when `from` already hangs below `to`.
    const auto a = static_cast<std::size_t>(from), b = static_cast<std::size_t>(to);
    if (trees.find_set(a) == trees.find_set(b)) continue;
    parent[b] = from;
    trees.link(trees.find_set(a), trees.find_set(b));
  }
  return parent;
}

std::vector<double> influence(const referral_table& referrals, index_t customers, const referral_policy& policy,
                              int& steps) {
  // Edges referred → referrer, each pair once.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  edges.reserve(static_cast<std::size_t>(referrals.referrer.size()));
  for (Eigen::Index row = 0; row < referrals.referrer.size(); ++row) {
    edges.emplace_back(static_cast<std::uint32_t>(referrals.referred[row]),
                       static_cast<std::uint32_t>(referrals.referrer[row]));
  }
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  const referral_graph graph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
                             static_cast<std::uint32_t>(customers));
  std::vector<double> ranks(static_cast<std::size_t>(customers));
  std::vector<double> previous(static_cast<std::size_t>(customers), 0.0);
  steps = 0;
  if (customers == 0) return ranks;
  boost::graph::page_rank(graph, boost::make_iterator_property_map(ranks.begin(), get(boost::vertex_index, graph)),
                          converged(previous, steps, policy.tolerance, policy.max_iterations), policy.damping,
                          static_cast<std::uint32_t>(customers));
  return ranks;
}

}  // namespace

void referral_policy::validate() const {
  const detail::policy_checks require("referral_policy");
  require(damping > 0.0 && damping < 1.0, "damping", damping, "must be in (0, 1)");
  require(tolerance > 0.0, "tolerance", tolerance, "must be > 0");
  require(max_iterations >= 1, "max_iterations", max_iterations, "must be >= 1");
  require(decay >= 0.0 && decay <= 1.0, "decay", decay, "must be in [0, 1]");
}

referral_network analyse_referrals(const book& customers, std::span<const double> value,
                                   const referral_policy& policy) {
  policy.validate();
  const index_t n = customers.customer_count();
  const auto count = static_cast<std::size_t>(n);
  detail::check_size("referrals", "value", value.size(), count, "customer", detail::counted::rows, true);
  for (std::size_t c = 0; c < value.size(); ++c) {
    if (!std::isfinite(value[c])) {
      throw invalid_input({"referrals", "value", static_cast<std::int64_t>(c), detail::format_number(value[c])},
                          "must be finite");
    }
  }
  const referral_table& referrals = customers.referrals();
  referral_network out;
  out.referred_by = acquisition_forest(referrals, n);
  out.origin.resize(count);
  out.generation.assign(count, 0);
  out.referrals.resize(count);
  out.reach.assign(count, 0);
  out.referral_value.assign(count, 0.0);
  const auto offsets = customers.referral_offsets();
  for (std::size_t c = 0; c < count; ++c) out.referrals[c] = static_cast<std::int32_t>(offsets[c + 1] - offsets[c]);

  // Children of each customer in the forest, then a breadth-first order from the roots:
  // parents before children, so chains go forwards and sums come back in reverse.
  std::vector<std::int64_t> first_child(count + 1, 0);
  for (const index_t p : out.referred_by) {
    if (p != no_index) ++first_child[static_cast<std::size_t>(p) + 1];
  }
  std::partial_sum(first_child.begin(), first_child.end(), first_child.begin());
  std::vector<index_t> children(static_cast<std::size_t>(first_child.back()));
  {
    std::vector<std::int64_t> next(first_child.begin(), first_child.end() - 1);
    for (std::size_t c = 0; c < count; ++c) {
      const index_t p = out.referred_by[c];
      if (p != no_index)
        children[static_cast<std::size_t>(next[static_cast<std::size_t>(p)]++)] = static_cast<index_t>(c);
    }
  }
  std::vector<index_t> order;
  order.reserve(count);
  for (std::size_t c = 0; c < count; ++c) {
    if (out.referred_by[c] == no_index) {
      order.push_back(static_cast<index_t>(c));
      out.origin[c] = static_cast<index_t>(c);
    }
  }
  for (std::size_t next = 0; next < order.size(); ++next) {
    const auto p = static_cast<std::size_t>(order[next]);
    for (auto k = first_child[p]; k < first_child[p + 1]; ++k) {
      const auto c = static_cast<std::size_t>(children[static_cast<std::size_t>(k)]);
      out.origin[c] = out.origin[p];
      out.generation[c] = out.generation[p] + 1;
      order.push_back(static_cast<index_t>(c));
    }
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const auto c = static_cast<std::size_t>(*it);
    const index_t p = out.referred_by[c];
    if (p == no_index) continue;
    const auto parent = static_cast<std::size_t>(p);
    out.reach[parent] += 1 + out.reach[c];
    out.referral_value[parent] += (value.empty() ? 1.0 : value[c]) + policy.decay * out.referral_value[c];
  }
  out.influence = influence(referrals, n, policy, out.iterations);
  return out;
}

show_room_table show_room(const referral_network& network, std::span<const index_t> manager, index_t managers,
                          std::span<const std::uint8_t> satisfied, int per_portfolio) {
  const std::size_t count = network.influence.size();
  detail::check_size("show_room", "manager", manager.size(), count, "customer", detail::counted::rows, true);
  detail::check_size("show_room", "satisfied", satisfied.size(), count, "customer", detail::counted::rows, true);
  if (per_portfolio < 0) {
    throw invalid_input({"show_room", "per_portfolio", -1, std::to_string(per_portfolio)}, "must be >= 0");
  }
  std::vector<index_t> shown;
  for (std::size_t c = 0; c < count; ++c) {
    const index_t m = manager.empty() ? no_index : manager[c];
    if (m < no_index || m >= managers) {
      throw unknown_id({"show_room", "manager", static_cast<std::int64_t>(c), std::to_string(m)}, "no such manager");
    }
    if (network.referrals[c] > 0 && (satisfied.empty() || satisfied[c] != 0)) shown.push_back(static_cast<index_t>(c));
  }
  const auto portfolio = [&](index_t c) { return manager.empty() ? no_index : manager[static_cast<std::size_t>(c)]; };
  std::sort(shown.begin(), shown.end(), [&](index_t a, index_t b) {
    const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
    return std::tuple(portfolio(a), -network.influence[ua], -network.reach[ua], a) <
           std::tuple(portfolio(b), -network.influence[ub], -network.reach[ub], b);
  });
  show_room_table out;
  std::int32_t rank = 0;
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const index_t m = portfolio(shown[k]);
    rank = (k > 0 && portfolio(shown[k - 1]) == m) ? rank + 1 : 1;
    if (rank > per_portfolio) continue;
    out.manager.push_back(m);
    out.customer.push_back(shown[k]);
    out.rank.push_back(rank);
  }
  return out;
}

}  // namespace cartera
