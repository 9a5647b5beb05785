#pragma once
// Splits [0, count) into one contiguous block per thread and runs body(begin, end) on
// each. Blocks are fixed by count and thread number alone, so results are deterministic.

#include <algorithm>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

#include "cartera/execution.hpp"

namespace cartera::detail {

/// `min_per_thread`: below this many items a thread costs more than it saves (the default
/// suits items of a few dozen nanoseconds, such as customers).
template <typename Body>
void parallel_for(std::int64_t count, const execution& run, Body&& body, std::int64_t min_per_thread = 16384) {
  // Asked once: the C library reads it from /sys at every call.
  static const auto hardware = static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
  std::int64_t threads = run.threads > 0 ? run.threads : hardware;
  threads = std::clamp<std::int64_t>(std::min(threads, count / min_per_thread), 1, 256);
  if (threads == 1) {
    body(std::int64_t{0}, count);
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(threads));
  {
    std::vector<std::jthread> workers;
    workers.reserve(static_cast<std::size_t>(threads));
    for (std::int64_t t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        try {
          body(count * t / threads, count * (t + 1) / threads);
        } catch (...) {
          errors[static_cast<std::size_t>(t)] = std::current_exception();
        }
      });
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace cartera::detail
