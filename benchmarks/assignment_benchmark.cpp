// The assignment solvers on random sparse instances (assignment_instances.hpp): the exact
// capacity-only solvers side by side with the Boost.Graph reference where it finishes, and
// the Lagrangian solver on the same books with time budgets. With CARTERA_PROBLEM_DIR set,
// `capacity_auction_from_files` solves the capacity-only problem written there as raw arrays
// (offsets.i64, manager.i32, cost.f64, leave_out.f64, capacity.i64, native byte order):
// bench_seam.py writes one and times the same solve from Python.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

#include "assignment_instances.hpp"
#include "cartera/assignment.hpp"

namespace {

using namespace cartera;

const assignment_problem& instance(std::int64_t customers, int candidates) {
  static std::map<std::pair<std::int64_t, int>, std::unique_ptr<assignment_problem>> made;
  auto& slot = made[{customers, candidates}];
  if (!slot) {
    const auto& book = benchmarks::random_book(customers, candidates);
    slot = std::make_unique<assignment_problem>();
    slot->customers = book.customers;
    slot->managers = book.managers;
    slot->offsets = book.offsets;
    slot->manager = book.manager;
    slot->cost = book.cost;
    slot->leave_out = book.leave_out;
    slot->capacity = book.capacity;
  }
  return *slot;
}

// The same books with workloads (10 to 60 minutes, by customer), capacity 100 and time
// budgets that fit about 80 % of the customers' minutes.
const assignment_problem& timed_instance(std::int64_t customers, int candidates) {
  static std::map<std::pair<std::int64_t, int>, std::unique_ptr<assignment_problem>> made;
  auto& slot = made[{customers, candidates}];
  if (!slot) {
    slot = std::make_unique<assignment_problem>(instance(customers, candidates));
    auto& p = *slot;
    std::mt19937_64 random(7);
    double total = 0;
    for (index_t c = 0; c < p.customers; ++c) {
      const double minutes = static_cast<double>(10 + random() % 51);
      total += minutes;
      for (auto a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a)
        p.workload.push_back(minutes);
    }
    p.capacity.assign(static_cast<std::size_t>(p.managers), 100);
    p.time_budget.assign(static_cast<std::size_t>(p.managers),
                         std::round(0.8 * total / static_cast<double>(p.managers)));
  }
  return *slot;
}

template <typename T>
std::vector<T> read_raw(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  const auto bytes = std::filesystem::file_size(path);
  std::vector<T> values(bytes / sizeof(T));
  in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
  return values;
}

assignment_problem problem_from_files(const std::filesystem::path& dir) {
  assignment_problem p;
  p.offsets = read_raw<std::int64_t>(dir / "offsets.i64");
  p.manager = read_raw<index_t>(dir / "manager.i32");
  p.cost = read_raw<double>(dir / "cost.f64");
  p.leave_out = read_raw<double>(dir / "leave_out.f64");
  p.capacity = read_raw<std::int64_t>(dir / "capacity.i64");
  p.customers = static_cast<index_t>(p.leave_out.size());
  p.managers = static_cast<index_t>(p.capacity.size());
  return p;
}

void run(benchmark::State& state, const assignment_problem& p, const assignment_options& options) {
  assignment_result r;
  for (auto _ : state) {
    r = solve_assignment(p, options);
    benchmark::DoNotOptimize(r.manager.data());
  }
  state.counters["objective"] = r.objective;
  state.counters["gap_percent"] = 100 * r.gap;
  state.counters["iterations"] = static_cast<double>(r.iterations);
  state.counters["searches_or_bids"] = static_cast<double>(r.searches);
}

void capacity_auction(benchmark::State& state) {
  run(state, instance(state.range(0), static_cast<int>(state.range(1))), {.solver = "auction"});
}
void capacity_flow(benchmark::State& state) {
  run(state, instance(state.range(0), static_cast<int>(state.range(1))), {.solver = "flow"});
}
void capacity_boost_reference(benchmark::State& state) {
  run(state, instance(state.range(0), static_cast<int>(state.range(1))), {.solver = "boost"});
}
// Time budgets: stop at 1 % of the bound or 60 s.
void time_budget_lagrangian(benchmark::State& state) {
  run(state, timed_instance(state.range(0), static_cast<int>(state.range(1))),
      {.solver = "lagrangian", .time_limit = 60, .gap_limit = 0.01});
}
// Time budgets, no gap target: how close 60 s get (or the search's end, when sooner).
void time_budget_lagrangian_to_the_limit(benchmark::State& state) {
  run(state, timed_instance(state.range(0), static_cast<int>(state.range(1))),
      {.solver = "lagrangian", .time_limit = 60, .gap_limit = 0});
}

// Registered only when CARTERA_PROBLEM_DIR names a problem written as raw arrays.
const bool from_files_registered = [] {
  const char* dir = std::getenv("CARTERA_PROBLEM_DIR");
  if (dir == nullptr) return false;
  benchmark::RegisterBenchmark("capacity_auction_from_files",
                               [path = std::string(dir)](benchmark::State& state) {
                                 static const assignment_problem p = problem_from_files(path);
                                 run(state, p, {.solver = "auction"});
                               })
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(1);
  return true;
}();

}  // namespace

BENCHMARK(capacity_auction)
    ->Args({3'000, 20})
    ->Args({10'000, 20})
    ->Args({100'000, 20})
    ->Args({1'000'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(capacity_flow)
    ->Args({3'000, 20})
    ->Args({10'000, 20})
    ->Args({100'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(capacity_boost_reference)
    ->Args({3'000, 20})
    ->Args({10'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(time_budget_lagrangian)
    ->Args({100'000, 20})
    ->Args({1'000'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(time_budget_lagrangian_to_the_limit)
    ->Args({10'000, 20})
    ->Args({100'000, 20})
    ->Args({1'000'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
