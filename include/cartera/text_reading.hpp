#pragma once
/// \file text_reading.hpp
/// Days and numbers read from text in place (Arrow's layout: text_view), as raw files give
/// them. The common forms are read at memory speed; any other text is left unread for a
/// fuller reader (the Python layer hands those rows to pandas), never guessed.

#include <cstdint>
#include <vector>

#include "cartera/columns.hpp"
#include "cartera/execution.hpp"

namespace cartera {

/// What became of one text.
enum class text_reading : std::uint8_t {
  read = 0,     ///< its value is in the result
  missing = 1,  ///< missing, or empty
  unread = 2,   ///< not in the form this reader takes: for a fuller reader to judge
};

struct day_readings {
  int_column day;  ///< days since 1970-01-01 where read; 0 elsewhere
  std::vector<text_reading> status;
};

/// ISO dates: "YYYY-MM-DD", optionally followed by 'T' or ' ' and a time of day without a
/// zone ("HH:MM", "HH:MM:SS", "HH:MM:SS.fff…"), which is dropped: the day is the date
/// written. A date that does not exist (2023-02-29), a time out of range, a zone or
/// anything else is unread.
[[nodiscard]] day_readings read_iso_days(const text_view& texts, const execution& run = {});

struct number_readings {
  real_column value;  ///< where read; 0 elsewhere
  std::vector<text_reading> status;
};

/// Decimal numbers as std::from_chars reads them ("12", "-3.50", "1e3"), correctly
/// rounded, taking the whole text. Spaces, a sign '+', thousands separators, a decimal
/// comma, and texts that read as infinite or not a number are unread.
[[nodiscard]] number_readings read_numbers(const text_view& texts, const execution& run = {});

}  // namespace cartera
