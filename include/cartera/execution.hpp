#pragma once
/// \file execution.hpp
/// How a computation may use the machine. Results never depend on it: work is split by
/// customer, and every customer's result is computed by one thread alone.

namespace cartera {

struct execution {
  /// Worker threads; 0 uses every hardware thread, 1 runs on the calling thread only.
  int threads = 0;
};

}  // namespace cartera
