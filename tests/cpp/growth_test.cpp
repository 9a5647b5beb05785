#include "cartera/growth.hpp"

#include "test_support.hpp"

namespace cartera {
namespace {

using testing::customers;
using testing::ints;
using testing::labels;
using testing::reals;

TEST(growth_test, measures_each_customer_against_their_group) {
  const std::vector<double> spend = {100, 300, 500, 40};
  const std::vector<index_t> group = {0, 0, 0, -1};
  growth_policy policy;
  policy.peer_quantile = 0.5;
  const growth_table g = growth_potential(spend, group, 1, {"Premium"}, policy);
  // Premium's median is 300; the ungrouped customer is measured against the whole book
  // (100, 300, 500, 40: median 200).
  EXPECT_EQ(g.peer_spend[0], 300);
  EXPECT_EQ(g.growth[0], 200);
  EXPECT_NEAR(g.share_of_wallet[0], 1.0 / 3, 1e-12);
  EXPECT_EQ(g.growth[2], 0);
  EXPECT_EQ(g.share_of_wallet[2], 1);
  EXPECT_EQ(g.peer_spend[3], 200);
  EXPECT_EQ(g.reason[0], "spends 100 where the top 50 % of Premium spend 300: room for 200");
  EXPECT_EQ(g.reason[2], "spends 500, at or above the top 50 % of Premium (300)");
  EXPECT_THROW_MSG((void)growth_potential(spend, {{0, 0, 3, 0}}, 1, {"Premium"}), invalid_input,
                   "growth.group row 2 (value 3): not a group: expected -1 or 0..0");
}

TEST(growth_test, a_part_of_the_book_is_measured_against_the_whole_books_peers) {
  const std::vector<double> spend = {100, 300, 500, 40};
  const std::vector<index_t> group = {0, 0, 0, -1};
  growth_policy policy;
  policy.peer_quantile = 0.5;
  const std::vector<double> peers = peer_spends(spend, group, 1, policy);
  EXPECT_EQ(peers, (std::vector<double>{300, 200}));
  // The last two customers alone, against the whole book's peers: what the whole gives them.
  const std::vector<double> part = {500, 40};
  const std::vector<index_t> part_group = {0, -1};
  const growth_table whole = growth_potential(spend, group, 1, {"Premium"}, policy);
  const growth_table g = growth_against(part, part_group, 1, {"Premium"}, peers, policy);
  for (Eigen::Index i = 0; i < 2; ++i) {
    EXPECT_EQ(g.peer_spend[i], whole.peer_spend[i + 2]);
    EXPECT_EQ(g.growth[i], whole.growth[i + 2]);
    EXPECT_EQ(g.reason[static_cast<std::size_t>(i)], whole.reason[static_cast<std::size_t>(i) + 2]);
  }
  EXPECT_THROW_MSG((void)growth_against(part, part_group, 1, {"Premium"}, std::vector<double>{300}, policy),
                   invalid_input,
                   "growth.peer_spend (value 1 entries): must hold one entry per group and the book (2)");
}

TEST(growth_test, a_part_of_the_book_is_offered_what_the_whole_books_peers_hold) {
  // The book of growth_test's offers, cut in two: b and c's part, against the holders
  // of both parts added up, gets the whole book's offers, among products it never saw.
  transaction_table t1;
  t1.customer = ints({0, 0, 1});
  t1.day = ints({1, 2, 5});
  t1.amount = reals({10, 10, 10});
  t1.product = labels({"x", "y", "z"});
  const book first(customers({"a", "d"}), {}, std::move(t1));
  transaction_table t2;
  t2.customer = ints({0, 1});
  t2.day = ints({3, 4});
  t2.amount = reals({10, 10});
  t2.product = labels({"x", "z"});
  const book second(customers({"b", "c"}), {}, std::move(t2));
  const product_holders one = count_product_holders(first, std::vector<index_t>{0, 1}, 2);
  const product_holders two = count_product_holders(second, std::vector<index_t>{0, 0}, 2);
  EXPECT_EQ(one.products, (std::vector<std::string>{"x", "y", "z"}));
  EXPECT_EQ(one.customers, (std::vector<double>{1, 1, 2}));
  product_holders whole = one;  // the products of both are x, y, z in this order
  for (std::size_t g = 0; g < 3; ++g) {
    whole.customers[g] += two.customers[g];
    for (std::size_t p = 0; p < 3; ++p) {
      const std::size_t q = p == 0 ? 0 : (p == 2 ? 1 : 99);
      if (q != 99) whole.holders[g * 3 + p] += two.holders[g * 2 + q];
    }
  }
  const product_offers offers = next_products(second, std::vector<index_t>{0, 0}, 2, {"Premium", "Medio"}, whole);
  ASSERT_EQ(offers.customer, (std::vector<index_t>{0, 1, 1}));
  EXPECT_EQ(whole.products[static_cast<std::size_t>(offers.product[0])], "y");
  EXPECT_EQ(whole.products[static_cast<std::size_t>(offers.product[1])], "x");
  EXPECT_EQ(offers.reason[1], "67 % of Premium hold x, 1.3× the book's 50 %");
  product_holders missing = whole;
  missing.products = {"x", "y", "w"};
  EXPECT_THROW_MSG((void)next_products(second, std::vector<index_t>{0, 0}, 2, {"Premium", "Medio"}, missing),
                   invalid_input, "product_holders.products (value z): a product of the book the holders do not count");
}

TEST(growth_test, offers_what_the_peers_hold_and_the_customer_does_not) {
  // a, b, c are Premium; d is Medio. Products: a {x, y}, b {x}, c {z}, d {z}.
  transaction_table t;
  t.customer = ints({0, 0, 1, 2, 3});
  t.day = ints({1, 2, 3, 4, 5});
  t.amount = reals({10, 10, 10, 10, 10});
  t.product = labels({"x", "y", "x", "z", "z"});
  const book b(customers({"a", "b", "c", "d"}), {}, std::move(t));
  const std::vector<index_t> group = {0, 0, 0, 1};
  const product_offers offers = next_products(b, group, 2, {"Premium", "Medio"});
  // b lacks y (1/3 of Premium, 1/4 of the book: lift 1.33) and z (1/3 of Premium, 1/2 of
  // the book: lift 0.67, not offered); c lacks x (2/3 of Premium, 1/2 of the book: 1.33)
  // and y; d lacks x and y, held by no Medio peer.
  ASSERT_EQ(offers.customer, (std::vector<index_t>{1, 2, 2}));
  EXPECT_EQ(b.transactions().product.categories[static_cast<std::size_t>(offers.product[0])], "y");
  EXPECT_EQ(b.transactions().product.categories[static_cast<std::size_t>(offers.product[1])], "x");
  EXPECT_NEAR(offers.peer_share[1], 2.0 / 3, 1e-12);
  EXPECT_NEAR(offers.lift[1], 4.0 / 3, 1e-12);
  EXPECT_EQ(offers.reason[1], "67 % of Premium hold x, 1.3× the book's 50 %");
  const book without(customers({"a"}), {}, [] {
    transaction_table t;
    t.customer = ints({0});
    t.day = ints({1});
    t.amount = reals({5});
    return t;
  }());
  EXPECT_THROW_MSG((void)next_products(without, {{0}}, 1, {"g"}), invalid_input,
                   "transactions.product: next products need the product of each purchase");
}

}  // namespace
}  // namespace cartera
