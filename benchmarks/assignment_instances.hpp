#pragma once
// The random capacity-only instances the assignment benchmarks share: `customers` ×
// customers/100 managers, `candidates` distinct random candidates each with a cost in
// [0, 100) (two decimals), leave-out prices in [60, 160), capacity 90 each (room for 90 %).
// Plain arrays (C++17, no cartera header), so that peers built apart read the same books.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <utility>
#include <vector>

namespace cartera::benchmarks {

struct random_instance {
  std::int32_t customers = 0, managers = 0;
  std::vector<std::int64_t> offsets = {0};
  std::vector<std::int32_t> manager;
  std::vector<double> cost, leave_out;
  std::vector<std::int64_t> capacity;
};

inline const random_instance& random_book(std::int64_t customers, int candidates) {
  static std::map<std::pair<std::int64_t, int>, std::unique_ptr<random_instance>> made;
  auto& slot = made[{customers, candidates}];
  if (!slot) {
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> cost(0, 100);
    slot = std::make_unique<random_instance>();
    auto& p = *slot;
    p.customers = static_cast<std::int32_t>(customers);
    p.managers = static_cast<std::int32_t>(customers / 100);
    for (std::int32_t c = 0; c < p.customers; ++c) {
      const auto first = p.manager.size();
      while (p.manager.size() - first < static_cast<std::size_t>(candidates)) {
        const auto m = static_cast<std::int32_t>(random() % static_cast<std::uint64_t>(p.managers));
        if (std::find(p.manager.begin() + static_cast<std::ptrdiff_t>(first), p.manager.end(), m) != p.manager.end())
          continue;
        p.manager.push_back(m);
        p.cost.push_back(std::round(cost(random) * 100) / 100);
      }
      p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
      p.leave_out.push_back(60 + cost(random));
    }
    p.capacity.assign(static_cast<std::size_t>(p.managers), 90);
  }
  return *slot;
}

}  // namespace cartera::benchmarks
