#include "cartera/repeated_rows.hpp"

#include <random>

#include "test_support.hpp"

namespace cartera {
namespace {

// The first earlier kept row equal in every column, by comparing every pair.
std::vector<std::int64_t> brute_force(const std::vector<std::uint64_t>& codes,
                                      const std::vector<std::optional<std::string>>& texts,
                                      const std::vector<std::uint8_t>& keep) {
  std::vector<std::int64_t> out(codes.size(), -1);
  for (std::size_t row = 0; row < codes.size(); ++row) {
    if (!keep[row]) continue;
    for (std::size_t earlier = 0; earlier < row; ++earlier) {
      if (keep[earlier] && codes[earlier] == codes[row] && texts[earlier] == texts[row]) {
        out[row] = static_cast<std::int64_t>(earlier);
        break;
      }
    }
  }
  return out;
}

TEST(repeated_rows_test, agrees_with_comparing_every_pair) {
  std::mt19937_64 random(7);
  for (const std::size_t rows : {0UL, 1UL, 50UL, 3000UL, 9000UL}) {
    std::vector<std::uint64_t> codes(rows);
    std::vector<std::optional<std::string>> texts(rows);
    std::vector<std::uint8_t> keep(rows);
    for (std::size_t row = 0; row < rows; ++row) {
      codes[row] = random() % 12;
      const auto draw = random() % 10;
      if (draw == 0) {
        texts[row] = std::nullopt;
      } else if (draw == 1) {
        texts[row] = "";  // an empty text is not a missing one
      } else {
        texts[row] = std::string(1 + draw % 3, static_cast<char>('a' + random() % 5));
      }
      keep[row] = random() % 8 != 0;
    }
    const testing::owned_texts text_column(texts);
    const std::vector<row_values> columns = {std::span<const std::uint64_t>(codes), text_column.view()};
    const auto expected = brute_force(codes, texts, keep);
    for (const int threads : {1, 2}) {
      EXPECT_EQ(repeated_rows(columns, keep, {threads}), expected) << rows << " rows, " << threads << " threads";
    }
  }
}

TEST(repeated_rows_test, takes_every_row_without_keep_flags) {
  const std::vector<std::uint64_t> day = {5, 5, 6, 5};
  const testing::owned_texts amount({"10", "10", "10", "10.0"});
  const std::vector<row_values> columns = {std::span<const std::uint64_t>(day), amount.view()};
  EXPECT_EQ(repeated_rows(columns, {}), (std::vector<std::int64_t>{-1, 0, -1, -1}));  // as given: 10 is not 10.0
}

TEST(repeated_rows_test, refuses_columns_of_different_lengths) {
  const std::vector<std::uint64_t> a = {1, 2, 3};
  const std::vector<std::uint64_t> b = {1, 2};
  const std::vector<row_values> columns = {std::span<const std::uint64_t>(a), std::span<const std::uint64_t>(b)};
  EXPECT_THROW_MSG((void)repeated_rows(columns, {}), invalid_input,
                   "repeated_rows.columns row 1 (value 2): a column of another length than the first (3 rows)");
  const std::vector<std::uint8_t> keep = {1};
  const std::vector<row_values> one = {std::span<const std::uint64_t>(a)};
  EXPECT_THROW_MSG((void)repeated_rows(one, keep), invalid_input,
                   "repeated_rows.keep (value 1): keep flags for another number of rows than the columns (3)");
}

}  // namespace
}  // namespace cartera
