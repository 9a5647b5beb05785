#pragma once
// A small, portable random stream (SplitMix64, Steele, Lea & Flood 2014) with the few
// distributions the generators need. The standard library's distributions differ between
// implementations; these give the same numbers everywhere for the same seed.

#include <cmath>
#include <cstdint>
#include <numbers>

namespace cartera::detail {

class random_stream {
 public:
  /// A stream for one item (a customer, say) of a seeded run: independent of how work is
  /// split between threads.
  random_stream(std::uint64_t seed, std::uint64_t item) : state_(seed) {
    state_ = next() ^ (item * 0xD1B54A32D192ED03ull);
    next();
  }

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// Uniform in (0, 1): never exactly 0, so logarithms are safe.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

  /// Uniform integer in [0, bound).
  std::uint64_t below(std::uint64_t bound) {
    return static_cast<std::uint64_t>(uniform() * static_cast<double>(bound));
  }

  bool chance(double p) { return uniform() < p; }

  double exponential(double rate) { return -std::log(uniform()) / rate; }

  /// Standard normal (Box-Muller; one of the pair is discarded for simplicity).
  double normal() { return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * std::numbers::pi * uniform()); }

  /// Pareto with minimum `scale` and tail index `alpha`.
  double pareto(double scale, double alpha) { return scale / std::pow(uniform(), 1.0 / alpha); }

 private:
  std::uint64_t state_;
};

}  // namespace cartera::detail
