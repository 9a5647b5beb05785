#include "cartera/referrals.hpp"

#include <cmath>
#include <random>
#include <set>

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

book with_referrals(std::vector<std::string> ids, int_column referrer, int_column referred, int_column day) {
  referral_table r;
  r.referrer = std::move(referrer);
  r.referred = std::move(referred);
  r.day = std::move(day);
  return book(customers(std::move(ids)), {}, {}, {}, {}, std::move(r));
}

// a brought b and c; b brought d; d brought e. c also referred d later (not who brought
// d), and e referred a (that would close a cycle). f referred nobody.
book chain() {
  return with_referrals({"a", "b", "c", "d", "e", "f"}, ints({0, 0, 1, 3, 2, 4}), ints({1, 2, 3, 4, 3, 0}),
                        ints({1, 2, 3, 4, 5, 6}));
}

// Boost's PageRank fixed point, by plain iteration over distinct referred → referrer pairs.
std::vector<double> brute_force_influence(const book& b, double damping) {
  const auto n = static_cast<std::size_t>(b.customer_count());
  std::set<std::pair<index_t, index_t>> edges;  // (referred, referrer)
  const auto& r = b.referrals();
  for (Eigen::Index k = 0; k < r.referrer.size(); ++k) edges.emplace(r.referred[k], r.referrer[k]);
  std::vector<double> out_degree(n, 0.0);
  for (const auto& [from, to] : edges) out_degree[static_cast<std::size_t>(from)] += 1;
  std::vector<double> rank(n, 1.0), next(n);
  for (int step = 0; step < 2000; ++step) {
    std::fill(next.begin(), next.end(), 1 - damping);
    for (const auto& [from, to] : edges) {
      next[static_cast<std::size_t>(to)] +=
          damping * rank[static_cast<std::size_t>(from)] / out_degree[static_cast<std::size_t>(from)];
    }
    rank.swap(next);
  }
  return rank;
}

TEST(referrals_test, acquisition_chains_reach_and_value_by_hand) {
  const book b = chain();
  const std::vector<double> value = {1, 2, 3, 4, 5, 6};
  const referral_network net = analyse_referrals(b, value);
  EXPECT_EQ(net.referred_by, (std::vector<index_t>{-1, 0, 0, 1, 3, -1}));
  EXPECT_EQ(net.origin, (std::vector<index_t>{0, 0, 0, 0, 0, 5}));
  EXPECT_EQ(net.generation, (std::vector<std::int32_t>{0, 1, 1, 2, 3, 0}));
  EXPECT_EQ(net.referrals, (std::vector<std::int32_t>{2, 1, 1, 1, 1, 0}));
  EXPECT_EQ(net.reach, (std::vector<std::int32_t>{4, 2, 0, 1, 0, 0}));
  // e: nothing; d: 5; b: 4 + 0.5 × 5; a: (2 + 0.5 × 6.5) + 3.
  EXPECT_DOUBLE_EQ(net.referral_value[4], 0.0);
  EXPECT_DOUBLE_EQ(net.referral_value[3], 5.0);
  EXPECT_DOUBLE_EQ(net.referral_value[1], 6.5);
  EXPECT_DOUBLE_EQ(net.referral_value[0], 8.25);
  EXPECT_DOUBLE_EQ(net.referral_value[2], 0.0);
  // Without values each customer brought counts 1: a = (1 + 0.5 × (1 + 0.5 × 1)) + 1.
  EXPECT_DOUBLE_EQ(analyse_referrals(b).referral_value[0], 2.75);
}

referral_policy exact() {
  referral_policy p;
  p.tolerance = 1e-12;
  return p;
}

TEST(referrals_test, influence_is_boosts_pagerank_fixed_point) {
  const book b = chain();
  const referral_network net = analyse_referrals(b, {}, exact());
  const auto expected = brute_force_influence(b, 0.85);
  for (std::size_t c = 0; c < expected.size(); ++c) EXPECT_NEAR(net.influence[c], expected[c], 1e-8) << c;
  EXPECT_DOUBLE_EQ(net.influence[5], 0.15);  // referred nobody
  EXPECT_GT(net.iterations, 1);
}

TEST(referrals_test, influence_of_a_tree_by_hand) {
  // r referred x and y, who referred nobody: 0.15 + 0.85 × (0.15 + 0.15).
  const book b = with_referrals({"r", "x", "y"}, ints({0, 0}), ints({1, 2}), ints({1, 1}));
  const referral_network net = analyse_referrals(b);
  EXPECT_NEAR(net.influence[0], 0.405, 1e-12);
  EXPECT_NEAR(net.influence[1], 0.15, 1e-12);
}

TEST(referrals_test, random_networks_keep_the_forest_consistent) {
  std::mt19937_64 random(7);
  for (int round = 0; round < 30; ++round) {
    const int n = 2 + static_cast<int>(random() % 40);
    std::vector<std::string> ids;
    for (int c = 0; c < n; ++c) ids.push_back("c" + std::to_string(c));
    const int rows = static_cast<int>(random() % 80);
    int_column from(rows), to(rows), day(rows);
    for (int k = 0; k < rows; ++k) {
      from[k] = static_cast<std::int32_t>(random() % static_cast<unsigned>(n));
      do to[k] = static_cast<std::int32_t>(random() % static_cast<unsigned>(n));
      while (to[k] == from[k]);
      day[k] = static_cast<std::int32_t>(random() % 20);
    }
    const book b = with_referrals(ids, from, to, day);
    const referral_network net = analyse_referrals(b, {}, exact());
    std::vector<std::int32_t> reach(static_cast<std::size_t>(n), 0);
    for (int c = 0; c < n; ++c) {
      // Climbing to the origin ends (no cycle) after `generation` steps.
      int steps = 0;
      index_t at = c;
      while (net.referred_by[static_cast<std::size_t>(at)] != no_index) {
        at = net.referred_by[static_cast<std::size_t>(at)];
        ++reach[static_cast<std::size_t>(at)];
        ASSERT_LE(++steps, n);
      }
      EXPECT_EQ(steps, net.generation[static_cast<std::size_t>(c)]);
      EXPECT_EQ(at, net.origin[static_cast<std::size_t>(c)]);
    }
    EXPECT_EQ(reach, net.reach);
    const auto expected = brute_force_influence(b, 0.85);
    for (int c = 0; c < n; ++c)
      EXPECT_NEAR(net.influence[static_cast<std::size_t>(c)], expected[static_cast<std::size_t>(c)], 1e-7);
  }
}

TEST(referrals_test, show_room_lists_the_most_influential_satisfied_referrers_per_portfolio) {
  const referral_network net = analyse_referrals(chain());
  // a, b, c with manager 0; d, e with manager 1; f without.
  const std::vector<index_t> manager = {0, 0, 0, 1, 1, -1};
  const show_room_table all = show_room(net, manager, 2, {}, 2);
  // Portfolio 0: a, then b and c tie on influence and b has the longer reach; portfolio 1:
  // e (who referred a, the most influential) before d.
  EXPECT_EQ(all.manager, (std::vector<index_t>{0, 0, 1, 1}));
  EXPECT_EQ(all.customer, (std::vector<index_t>{0, 1, 4, 3}));
  EXPECT_EQ(all.rank, (std::vector<std::int32_t>{1, 2, 1, 2}));
  const std::vector<std::uint8_t> satisfied = {0, 1, 1, 1, 1, 1};
  const show_room_table some = show_room(net, manager, 2, satisfied, 1);
  EXPECT_EQ(some.customer, (std::vector<index_t>{1, 4}));
  EXPECT_EQ(some.manager, (std::vector<index_t>{0, 1}));
}

TEST(referrals_test, bad_input_is_named) {
  const book b = chain();
  const std::vector<double> short_value = {1, 2};
  EXPECT_THROW_MSG((void)analyse_referrals(b, short_value), invalid_input,
                   "referrals.value (value 2 rows): must have one row per customer (6)");
  const std::vector<double> nan_value = {1, 2, NAN, 4, 5, 6};
  EXPECT_THROW_MSG((void)analyse_referrals(b, nan_value), invalid_input,
                   "referrals.value row 2 (value nan): must be finite");
  referral_policy p;
  p.damping = 1;
  EXPECT_THROW_MSG((void)analyse_referrals(b, {}, p), invalid_input,
                   "referral_policy.damping (value 1): must be in (0, 1)");
  const referral_network net = analyse_referrals(b);
  const std::vector<index_t> manager = {0, 0, 0, 1, 7, -1};
  EXPECT_THROW_MSG((void)show_room(net, manager, 2), unknown_id, "show_room.manager row 4 (value 7): no such manager");
}

TEST(referrals_test, a_book_without_referrals_gives_zeros) {
  const book b(customers({"a", "b"}));
  const referral_network net = analyse_referrals(b);
  EXPECT_EQ(net.referred_by, (std::vector<index_t>{-1, -1}));
  EXPECT_EQ(net.reach, (std::vector<std::int32_t>{0, 0}));
  EXPECT_DOUBLE_EQ(net.influence[0], 0.15);
  EXPECT_TRUE(show_room(net, {}, 0).customer.empty());
}

}  // namespace
}  // namespace cartera
