// The capacity-only assignment on random sparse instances: customers × managers with
// `candidates` random candidates each, capacities summing to 90 % of the customers, leave
// out prices above most pair costs. Our solver and the Boost.Graph reference, side by side.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <cmath>
#include <random>

#include "cartera/assignment.hpp"

namespace {

using namespace cartera;

const assignment_problem& instance(std::int64_t customers, int candidates) {
  static std::map<std::pair<std::int64_t, int>, std::unique_ptr<assignment_problem>> made;
  auto& slot = made[{customers, candidates}];
  if (!slot) {
    std::mt19937_64 random(42);
    std::uniform_real_distribution<double> cost(0, 100);
    slot = std::make_unique<assignment_problem>();
    auto& p = *slot;
    p.customers = static_cast<index_t>(customers);
    p.managers = static_cast<index_t>(customers / 100);
    for (index_t c = 0; c < p.customers; ++c) {
      const auto first = p.manager.size();
      while (p.manager.size() - first < static_cast<std::size_t>(candidates)) {
        const auto m = static_cast<index_t>(random() % static_cast<std::uint64_t>(p.managers));
        if (std::find(p.manager.begin() + static_cast<std::ptrdiff_t>(first), p.manager.end(), m) != p.manager.end()) continue;
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

void capacity_flow(benchmark::State& state) {
  const assignment_problem& p = instance(state.range(0), static_cast<int>(state.range(1)));
  assignment_result r;
  for (auto _ : state) {
    r = solve_assignment(p, {.solver = "flow"});
    benchmark::DoNotOptimize(r.manager.data());
  }
  state.counters["objective"] = r.objective;
  state.counters["searches"] = static_cast<double>(r.searches);
}

void capacity_auction(benchmark::State& state) {
  const assignment_problem& p = instance(state.range(0), static_cast<int>(state.range(1)));
  assignment_result r;
  for (auto _ : state) {
    r = solve_assignment(p, {.solver = "auction"});
    benchmark::DoNotOptimize(r.manager.data());
  }
  state.counters["objective"] = r.objective;
  state.counters["bids"] = static_cast<double>(r.searches);
}

void capacity_boost_reference(benchmark::State& state) {
  const assignment_problem& p = instance(state.range(0), static_cast<int>(state.range(1)));
  assignment_result r;
  for (auto _ : state) {
    r = solve_assignment(p, {.solver = "boost"});
    benchmark::DoNotOptimize(r.manager.data());
  }
  state.counters["objective"] = r.objective;
}

}  // namespace

BENCHMARK(capacity_auction)->Args({3'000, 20})->Args({10'000, 20})->Args({100'000, 20})->Args({1'000'000, 20})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(capacity_flow)->Args({3'000, 20})->Args({10'000, 20})->Args({100'000, 20})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(capacity_boost_reference)->Args({3'000, 20})->Args({10'000, 20})->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
