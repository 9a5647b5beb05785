#include "cartera/calendar.hpp"

#include "test_support.hpp"

namespace cartera {
namespace {

TEST(calendar_test, counts_days_from_the_unix_epoch) {
  EXPECT_EQ(make_day(1970, 1, 1), 0);
  EXPECT_EQ(make_day(1997, 9, 30), 10134);
  EXPECT_EQ(make_day(1969, 12, 31), -1);
  EXPECT_EQ(make_day(2000, 3, 1) - make_day(2000, 2, 28), 2);  // leap year
}

TEST(calendar_test, parses_and_formats_iso_dates) {
  EXPECT_EQ(parse_day("1997-09-30"), make_day(1997, 9, 30));
  EXPECT_EQ(format_day(make_day(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(format_day(parse_day("1899-12-31")), "1899-12-31");
}

TEST(calendar_test, first_day_of_the_month) {
  EXPECT_EQ(first_day_of_month(make_day(2024, 2, 29)), make_day(2024, 2, 1));
  EXPECT_EQ(first_day_of_month(make_day(2024, 3, 1)), make_day(2024, 3, 1));
  EXPECT_EQ(first_day_of_month(make_day(1969, 12, 31)), make_day(1969, 12, 1));  // before the epoch
}

TEST(calendar_test, rejects_what_is_not_a_date) {
  EXPECT_THROW_MSG((void)parse_day("1997-9-30"), invalid_input, "not an ISO date (YYYY-MM-DD): '1997-9-30'");
  EXPECT_THROW_MSG((void)parse_day("1997-02-30"), invalid_input, "not a calendar date: 1997-2-30");
  EXPECT_THROW_MSG((void)parse_day("19x7-02-03"), invalid_input, "not an ISO date (YYYY-MM-DD): '19x7-02-03'");
}

}  // namespace
}  // namespace cartera
