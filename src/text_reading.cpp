#include "cartera/text_reading.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>

#include "detail/parallel.hpp"

namespace cartera {
namespace {

bool digits(std::string_view text, std::size_t from, std::size_t count, int& value) {
  value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// A time of day after the date: "HH:MM", "HH:MM:SS" or "HH:MM:SS.digits", in range.
bool time_of_day(std::string_view time) {
  int hour = 0, minute = 0, second = 0;
  if (time.size() < 5 || time[2] != ':' || !digits(time, 0, 2, hour) || !digits(time, 3, 2, minute)) return false;
  if (hour > 23 || minute > 59) return false;
  if (time.size() == 5) return true;
  if (time.size() < 8 || time[5] != ':' || !digits(time, 6, 2, second) || second > 59) return false;
  if (time.size() == 8) return true;
  if (time[8] != '.' || time.size() == 9) return false;
  return std::all_of(time.begin() + 9, time.end(), [](char c) { return c >= '0' && c <= '9'; });
}

text_reading iso_day(std::string_view text, std::int32_t& day) {
  if (text.empty()) return text_reading::missing;
  int year = 0, month = 0, date = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !digits(text, 0, 4, year) || !digits(text, 5, 2, month) ||
      !digits(text, 8, 2, date)) {
    return text_reading::unread;
  }
  if (text.size() > 10 && !((text[10] == 'T' || text[10] == ' ') && time_of_day(text.substr(11)))) {
    return text_reading::unread;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(date)}};
  if (!ymd.ok()) return text_reading::unread;
  day = static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
  return text_reading::read;
}

text_reading number(std::string_view text, double& value) {
  if (text.empty()) return text_reading::missing;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    value = 0;
    return text_reading::unread;
  }
  return text_reading::read;
}

template <typename Column, typename Read>
void read_all(const text_view& texts, const execution& run, Column& values, std::vector<text_reading>& status,
              Read read) {
  const auto n = static_cast<std::int64_t>(texts.size());
  values = Column::Zero(n);
  status.assign(static_cast<std::size_t>(n), text_reading::missing);
  detail::parallel_for(n, run, [&](std::int64_t first, std::int64_t last) {
    for (std::int64_t row = first; row < last; ++row) {
      const auto r = static_cast<std::size_t>(row);
      if (texts.is_missing(r)) continue;
      status[r] = read(texts[r], values[row]);
    }
  });
}

}  // namespace

day_readings read_iso_days(const text_view& texts, const execution& run) {
  day_readings out;
  read_all(texts, run, out.day, out.status, iso_day);
  return out;
}

number_readings read_numbers(const text_view& texts, const execution& run) {
  number_readings out;
  read_all(texts, run, out.value, out.status, number);
  return out;
}

}  // namespace cartera
