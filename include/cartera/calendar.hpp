#pragma once
/// \file calendar.hpp
/// Days are plain integers: the number of days since 1970-01-01 (the Unix epoch), as
/// std::chrono::sys_days counts them and as numpy's datetime64[D] stores them.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>

#include "cartera/error.hpp"

namespace cartera {

/// A calendar day: days since 1970-01-01.
using day_t = std::int32_t;

/// Marks "no day" in an optional day column (an unresolved complaint, say).
inline constexpr day_t no_day = std::numeric_limits<day_t>::min();

/// The day of a calendar date.
[[nodiscard]] inline day_t make_day(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!date.ok()) {
    throw invalid_input(
        {}, "not a calendar date: " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day));
  }
  return static_cast<day_t>(std::chrono::sys_days{date}.time_since_epoch().count());
}

/// The earliest and latest day accepted in any table: 1900-01-01 and 2199-12-31.
/// Anything outside is almost surely a unit mistake (seconds or nanoseconds passed as days).
inline const day_t first_valid_day = make_day(1900, 1, 1);
inline const day_t last_valid_day = make_day(2199, 12, 31);

/// Parses an ISO date "YYYY-MM-DD".
[[nodiscard]] inline day_t parse_day(std::string_view text) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        throw invalid_input({}, "not an ISO date (YYYY-MM-DD): '" + std::string(text) + "'");
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    throw invalid_input({}, "not an ISO date (YYYY-MM-DD): '" + std::string(text) + "'");
  }
  return make_day(digits(0, 4), static_cast<unsigned>(digits(5, 2)), static_cast<unsigned>(digits(8, 2)));
}

/// The first day of the month `day` falls in.
[[nodiscard]] inline day_t first_day_of_month(day_t day) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  return static_cast<day_t>(
      std::chrono::sys_days{date.year() / date.month() / std::chrono::day{1}}.time_since_epoch().count());
}

/// Formats a day as "YYYY-MM-DD".
[[nodiscard]] inline std::string format_day(day_t day) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace cartera
