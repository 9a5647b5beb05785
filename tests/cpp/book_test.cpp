#include "cartera/book.hpp"

#include <limits>

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;

transaction_table purchases(int_column customer, int_column day, real_column amount) {
  transaction_table t;
  t.customer = std::move(customer);
  t.day = std::move(day);
  t.amount = std::move(amount);
  return t;
}

TEST(book_test, groups_each_customers_events_in_day_order) {
  const book b(customers({"a", "b", "c"}), {},
               purchases(ints({2, 0, 2, 0}), ints({30, 20, 10, 5}), reals({1, 2, 3, 4})));
  const auto at = b.transaction_offsets();
  ASSERT_EQ(at.size(), 4u);
  EXPECT_EQ(at[0], 0);
  EXPECT_EQ(at[1], 2);  // customer a: two purchases
  EXPECT_EQ(at[2], 2);  // customer b: none
  EXPECT_EQ(at[3], 4);
  const auto& t = b.transactions();
  EXPECT_EQ(t.day[0], 5);
  EXPECT_EQ(t.amount[0], 4);
  EXPECT_EQ(t.day[1], 20);
  EXPECT_EQ(t.day[2], 10);
  EXPECT_EQ(t.amount[3], 1);
  EXPECT_EQ(b.first_day(), 5);
  EXPECT_EQ(b.last_day(), 30);
}

TEST(book_test, orders_the_events_of_a_day_by_their_columns_not_by_their_input_order) {
  const book b(customers({"a"}), {}, purchases(ints({0, 0, 0, 0}), ints({7, 3, 7, 7}), reals({3, 2, 1, 0.5})));
  EXPECT_EQ(b.transactions().amount[0], 2);
  EXPECT_EQ(b.transactions().amount[1], 0.5);
  EXPECT_EQ(b.transactions().amount[2], 1);
  EXPECT_EQ(b.transactions().amount[3], 3);
  // The same contacts of one day in two orders: the same table.
  const auto contacts = [](std::vector<std::string> channel, int_column two_way) {
    interaction_table in;
    in.customer = ints({0, 0, 0});
    in.day = ints({5, 5, 5});
    in.channel = labels(std::move(channel));
    in.two_way = flags({static_cast<std::uint8_t>(two_way[0]), static_cast<std::uint8_t>(two_way[1]),
                        static_cast<std::uint8_t>(two_way[2])});
    return book(customers({"a"}), {}, {}, std::move(in));
  };
  const book one = contacts({"call", "visit", "call"}, ints({0, 1, 1}));
  const book other = contacts({"call", "call", "visit"}, ints({1, 0, 1}));
  EXPECT_TRUE((one.interactions().channel.codes == other.interactions().channel.codes).all());
  EXPECT_TRUE((one.interactions().two_way == other.interactions().two_way).all());
}

TEST(book_test, rejects_an_unknown_customer_in_an_event) {
  EXPECT_THROW_MSG(book(customers({"a", "b"}), {}, purchases(ints({0, 2}), ints({1, 1}), reals({1, 1}))), unknown_id,
                   "transactions.customer row 1 (value 2): no such row in customers (2 rows)");
}

TEST(book_test, rejects_nan_amounts) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW_MSG(book(customers({"a"}), {}, purchases(ints({0, 0}), ints({1, 1}), reals({1, nan}))), invalid_input,
                   "transactions.amount row 1 (value nan): not a finite number");
}

TEST(book_test, keeps_returns_apart_from_purchases) {
  // Row 1 is a refund (negative), row 3 a cancellation flagged with a positive amount.
  auto t = purchases(ints({1, 0, 0, 1}), ints({5, 7, 3, 2}), reals({10, -2.5, 8, 4}));
  t.margin = reals({2, -1, 3, 1});
  t.product = labels({"x", "y", "x", "z"});
  t.returned = flags({0, 0, 0, 1});
  const book b(customers({"a", "b"}), {}, std::move(t));
  EXPECT_EQ(b.transactions().customer.size(), 2);
  EXPECT_EQ(b.transactions().returned.size(), 0);
  EXPECT_EQ(b.transactions().day[0], 3);  // a's purchase, then b's
  EXPECT_EQ(b.transactions().day[1], 5);
  const auto& r = b.returns();
  ASSERT_EQ(r.customer.size(), 2);
  EXPECT_EQ(r.customer[0], 0);
  EXPECT_EQ(r.day[0], 7);
  EXPECT_EQ(r.amount[0], 2.5);  // magnitudes given back
  EXPECT_EQ(r.margin[0], 1);
  EXPECT_EQ(r.product.categories[static_cast<std::size_t>(r.product.codes[0])], "y");
  EXPECT_EQ(r.customer[1], 1);
  EXPECT_EQ(r.amount[1], 4);
  EXPECT_EQ(b.return_offsets()[1], 1);
  EXPECT_EQ(b.return_offsets()[2], 2);
  EXPECT_EQ(b.first_day(), 2);  // a return's day is part of the book's span
}

TEST(book_test, a_book_of_returns_only) {
  const book b(customers({"a"}), {}, purchases(ints({0}), ints({4}), reals({-3})));
  EXPECT_EQ(b.transactions().customer.size(), 0);
  EXPECT_EQ(b.returns().amount[0], 3);
}

TEST(book_test, accepts_negative_margins) {
  auto t = purchases(ints({0}), ints({1}), reals({10}));
  t.margin = reals({-3});
  EXPECT_NO_THROW(book(customers({"a"}), {}, std::move(t)));
}

TEST(book_test, rejects_days_out_of_range) {
  // A timestamp in seconds passed as a day.
  EXPECT_THROW_MSG(book(customers({"a"}), {}, purchases(ints({0}), ints({1700000000}), reals({1}))), invalid_input,
                   "transactions.day row 0 (value 1700000000): day out of range (1900-01-01..2199-12-31 as days since "
                   "1970-01-01)");
}

TEST(book_test, rejects_missing_and_short_columns) {
  transaction_table t;
  t.customer = ints({0});
  t.day = ints({1});
  EXPECT_THROW_MSG(book(customers({"a"}), {}, t), invalid_input,
                   "transactions.amount (value 0 rows): missing required column");
  t.amount = reals({1});
  t.margin = reals({1, 2});
  EXPECT_THROW_MSG(book(customers({"a"}), {}, t), invalid_input,
                   "transactions.margin (value 2 rows): column length differs from the table's 1 rows");
}

TEST(book_test, rejects_a_current_manager_that_does_not_exist) {
  auto c = customers({"a", "b"});
  c.manager = ints({no_index, 3});
  EXPECT_THROW_MSG(book(std::move(c), managers({"m1"})), unknown_id,
                   "customers.manager row 1 (value 3): no such row in managers (1 rows)");
}

TEST(book_test, checks_interaction_flags_and_channels) {
  interaction_table in;
  in.customer = ints({0, 0});
  in.day = ints({1, 2});
  in.channel = labels({"call", "visit"});
  in.two_way = flags({1, 2});
  EXPECT_THROW_MSG(book(customers({"a"}), {}, {}, in), invalid_input,
                   "interactions.two_way row 1 (value 2): a flag must be 0 or 1");
  in.two_way = flags({1, 0});
  in.channel.codes[1] = 5;
  EXPECT_THROW_MSG(book(customers({"a"}), {}, {}, in), invalid_input,
                   "interactions.channel row 1 (value 5): category code out of range (2 categories)");
}

TEST(book_test, checks_complaint_resolution) {
  complaint_table c;
  c.customer = ints({0, 0});
  c.opened = ints({10, 20});
  c.resolved = ints({12, 15});
  EXPECT_THROW_MSG(book(customers({"a"}), {}, {}, {}, c), invalid_input,
                   "complaints.resolved row 1 (value 1970-01-16): resolved before it was opened (1970-01-21)");
  c.resolved = ints({12, no_day});
  c.first_contact = flags({0, 1});
  EXPECT_THROW_MSG(book(customers({"a"}), {}, {}, {}, c), invalid_input,
                   "complaints.first_contact row 1 (value 1): resolved at first contact but not resolved");
  c.first_contact = flags({1, 0});
  const book b(customers({"a"}), {}, {}, {}, c);
  EXPECT_EQ(b.complaints().resolved[1], no_day);
}

TEST(book_test, rejects_self_referrals) {
  referral_table r{ints({0, 1}), ints({1, 1}), ints({3, 4})};
  EXPECT_THROW_MSG(book(customers({"a", "b"}), {}, {}, {}, {}, r), invalid_input,
                   "referrals.referred row 1 (value 1): a customer cannot refer themselves");
}

TEST(book_test, an_empty_book_is_valid) {
  const book b(customers({}));
  EXPECT_EQ(b.customer_count(), 0);
  EXPECT_EQ(b.first_day(), no_day);
  EXPECT_EQ(b.transaction_offsets().size(), 1u);
}

}  // namespace
}  // namespace cartera
