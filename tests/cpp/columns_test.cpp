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

TEST(columns_test, find_all_agrees_with_find_and_marks_missing_and_unknown_ids) {
  std::vector<std::string> known;
  for (int k = 0; k < 5000; ++k) known.push_back("C" + std::to_string(k * 7));
  const id_index ids(known, "customers");
  std::vector<std::optional<std::string>> events;
  for (int k = 0; k < 100000; ++k) {
    if (k % 97 == 0) {
      events.emplace_back(std::nullopt);
    } else {
      events.emplace_back("C" + std::to_string((k * 31) % 40000));  // most of them unknown
    }
  }
  const testing::owned_texts texts(events);
  for (const int threads : {1, 2}) {
    const int_column rows = ids.find_all(texts.view(), {threads});
    ASSERT_EQ(rows.size(), static_cast<Eigen::Index>(events.size()));
    for (std::size_t k = 0; k < events.size(); ++k) {
      const auto expected = events[k] ? ids.find(*events[k]).value_or(no_index) : no_index;
      ASSERT_EQ(rows[static_cast<Eigen::Index>(k)], expected) << "row " << k;
    }
  }
  EXPECT_EQ(id_index().find_all(texts.view()).maxCoeff(), no_index);
}

TEST(columns_test, text_view_check_names_bad_offsets) {
  testing::owned_texts texts({"ab", "c"});
  EXPECT_NO_THROW(texts.view().check("transactions", "customer"));
  texts.offsets = {0, 2, 1};
  EXPECT_THROW_MSG(texts.view().check("transactions", "customer"), invalid_input,
                   "transactions.customer row 1 (value 1): text offsets go backwards");
  texts.offsets = {0, 2, 9};
  EXPECT_THROW_MSG(texts.view().check("transactions", "customer"), invalid_input,
                   "transactions.customer row 1 (value 9): text offsets run past the bytes");
  texts.offsets = {0, 2, 3};
  texts.missing = {0};
  EXPECT_THROW_MSG(texts.view().check("transactions", "customer"), invalid_input,
                   "transactions.customer (value 1): missing flags for 2 texts");
}

}  // namespace
}  // namespace cartera
