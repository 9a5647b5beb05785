#include "cartera/text_reading.hpp"

#include <limits>
#include <string>

#include "test_support.hpp"

namespace cartera {
namespace {

using namespace cartera::testing;
constexpr auto read = text_reading::read, missing = text_reading::missing, unread = text_reading::unread;

TEST(text_reading_test, iso_dates_with_or_without_a_time_of_day_are_read) {
  const owned_texts texts({"2024-01-05", "1970-01-01", "2024-02-29T23:59:59", "2024-03-01 08:30", "1969-12-31",
                           "2024-03-01T08:30:00.125", "", std::nullopt});
  const day_readings r = read_iso_days(texts.view());
  EXPECT_EQ(r.status, (std::vector<text_reading>{read, read, read, read, read, read, missing, missing}));
  EXPECT_EQ(r.day[0], make_day(2024, 1, 5));
  EXPECT_EQ(r.day[1], 0);
  EXPECT_EQ(r.day[2], make_day(2024, 2, 29));
  EXPECT_EQ(r.day[3], make_day(2024, 3, 1));
  EXPECT_EQ(r.day[4], -1);
  EXPECT_EQ(r.day[5], make_day(2024, 3, 1));
}

TEST(text_reading_test, anything_else_is_left_for_a_fuller_reader) {
  const owned_texts texts({"2023-02-29", "2024-13-01", "2024-1-05", "05/01/2024", "2024-01-05Z", "2024-01-05T25:00",
                           "2024-01-05T10:00+02:00", "2024-01-05T10:00:00.", " 2024-01-05", "20240105", "yesterday"});
  const day_readings r = read_iso_days(texts.view());
  for (std::size_t row = 0; row < texts.view().size(); ++row) {
    EXPECT_EQ(r.status[row], unread) << texts.view()[row];
    EXPECT_EQ(r.day[static_cast<Eigen::Index>(row)], 0);
  }
}

TEST(text_reading_test, numbers_are_read_whole_and_correctly_rounded) {
  const owned_texts texts({"12", "-3.50", "1e3", "0.1", "1.7976931348623157e308", "", std::nullopt, "+5", " 7", "7 ",
                           "1,5", "1.000,50", "inf", "nan", "1e999", "12abc", "0x10"});
  const number_readings r = read_numbers(texts.view());
  const std::vector<text_reading> expected = {read,   read,   read,   read,   read,   missing, missing, unread, unread,
                                              unread, unread, unread, unread, unread, unread,  unread,  unread};
  EXPECT_EQ(r.status, expected);
  EXPECT_EQ(r.value[0], 12.0);
  EXPECT_EQ(r.value[1], -3.5);
  EXPECT_EQ(r.value[2], 1000.0);
  EXPECT_EQ(r.value[3], 0.1);  // the double nearest to 0.1, as the compiler reads the literal
  EXPECT_EQ(r.value[4], std::numeric_limits<double>::max());
  for (Eigen::Index row = 5; row < r.value.size(); ++row) EXPECT_EQ(r.value[row], 0.0);
}

TEST(text_reading_test, two_threads_read_what_one_does) {
  std::vector<std::optional<std::string>> values;
  for (int k = 0; k < 100'000; ++k) {
    values.emplace_back(k % 7 == 0 ? std::optional<std::string>{}
                                   : std::to_string(1900 + k % 300) + "-0" + std::to_string(1 + k % 9) + "-1" +
                                         std::to_string(k % 10));
  }
  const owned_texts texts(values);
  const day_readings one = read_iso_days(texts.view(), {1}), two = read_iso_days(texts.view(), {2});
  EXPECT_EQ(one.status, two.status);
  EXPECT_TRUE((one.day == two.day).all());
  const number_readings n1 = read_numbers(texts.view(), {1}), n2 = read_numbers(texts.view(), {2});
  EXPECT_EQ(n1.status, n2.status);
}

}  // namespace
}  // namespace cartera
