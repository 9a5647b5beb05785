#pragma once
// Numbers as error messages show them: shortest round-trip form, "nan" and "inf" as such.

#include <cstdio>
#include <string>

namespace cartera::detail {

inline std::string format_number(double value) {
  char text[32];
  // %.17g round-trips every double; try the shorter %.15g first so 0.1 stays "0.1".
  std::snprintf(text, sizeof text, "%.15g", value);
  double back = 0;
  if (std::sscanf(text, "%lf", &back) != 1 || back != value) std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace cartera::detail
