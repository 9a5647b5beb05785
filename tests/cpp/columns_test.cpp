#include "cartera/columns.hpp"

#include "test_support.hpp"

namespace cartera {
namespace {

TEST(columns_test, id_index_maps_ids_to_rows_in_order) {
  const id_index ids({"b", "a", "c"}, "customers");
  EXPECT_EQ(ids.size(), 3);
  EXPECT_EQ(ids.find("a"), 1);
  EXPECT_EQ(ids.find("zz"), std::nullopt);
  EXPECT_EQ(ids[2], "c");
}

TEST(columns_test, id_index_rejects_duplicate_and_empty_ids) {
  EXPECT_THROW_MSG(id_index({"a", "b", "a"}, "customers"), invalid_input,
                   "customers.id row 2 (value 'a'): duplicate id, first seen at row 0");
  EXPECT_THROW_MSG(id_index({"a", ""}, "managers"), invalid_input, "managers.id row 1 (value ''): empty id");
}

TEST(columns_test, encode_names_the_first_unknown_id) {
  const id_index ids({"a", "b"}, "customers");
  const std::vector<std::string> events = {"b", "a", "x"};
  EXPECT_THROW_MSG((void)ids.encode(events, "transactions", "customer"), unknown_id,
                   "transactions.customer row 2 (value 'x'): unknown id");
  const std::vector<std::string> good = {"b", "a"};
  const int_column rows = ids.encode(good, "transactions", "customer");
  EXPECT_EQ(rows[0], 1);
  EXPECT_EQ(rows[1], 0);
}

TEST(columns_test, categorical_numbers_categories_by_first_appearance) {
  const std::vector<std::string> values = {"call", "visit", "", "call"};
  const categorical column = categorical::encode(values);
  EXPECT_EQ(column.categories, (std::vector<std::string>{"call", "visit"}));
  EXPECT_EQ(column.codes[0], 0);
  EXPECT_EQ(column.codes[1], 1);
  EXPECT_EQ(column.codes[2], no_index);
  EXPECT_EQ(column.codes[3], 0);
  EXPECT_EQ(column.code_of("visit"), 1);
  EXPECT_EQ(column.code_of("fax"), no_index);
}

}  // namespace
}  // namespace cartera
