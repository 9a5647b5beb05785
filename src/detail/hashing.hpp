#pragma once
// Hashes for the open-addressing tables of the core.

#include <bit>
#include <cstdint>

namespace cartera::detail {

/// The splitmix64 finaliser: every bit of the input moves about half the bits of the
/// output, so that any bits of the result pick buckets evenly (integers stored as doubles,
/// whose low bits are all zero, included).
inline std::uint64_t scramble(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// One hash of several numbers, equal for equal numbers (-0 and 0 alike).
template <typename... Doubles>
std::uint64_t hash_numbers(Doubles... values) {
  std::uint64_t hash = 0;
  ((hash = scramble(hash ^ std::bit_cast<std::uint64_t>(static_cast<double>(values) + 0.0))), ...);
  return hash;
}

}  // namespace cartera::detail
