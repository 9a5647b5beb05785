// The relationship ladder for every customer as of one day: 1 M customers with about
// 20 M interactions and 10 M transactions (the target is at most 2 s).
#include <benchmark/benchmark.h>

#include "cartera/stages.hpp"
#include "synthetic_books.hpp"

namespace {

// About 20 M interactions for 1 M customers.
const cartera::book& book_of(std::int64_t customers) { return cartera::benchmarks::synthetic_bank(customers, 25.6); }

void run_stages(benchmark::State& state, int threads, int grace_days) {
  const cartera::book& b = book_of(state.range(0));
  cartera::stage_policy policy;
  policy.grace_days = grace_days;
  for (auto _ : state) {
    auto result =
        cartera::evaluate_stages(b, b.last_day(), policy, cartera::relationship::customer, {.threads = threads});
    benchmark::DoNotOptimize(result.current.data());
  }
  state.counters["interactions"] = static_cast<double>(b.interactions().day.size());
  state.counters["transactions"] = static_cast<double>(b.transactions().day.size());
}

void stages_all_cores(benchmark::State& state) { run_stages(state, 0, 60); }
void stages_one_thread(benchmark::State& state) { run_stages(state, 1, 60); }
void stages_no_hysteresis(benchmark::State& state) { run_stages(state, 0, 1); }

void stages_by_current_manager(benchmark::State& state) {
  const cartera::book& b = book_of(state.range(0));
  for (auto _ : state) {
    auto result = cartera::evaluate_stages(b, b.last_day(), {}, cartera::relationship::current_manager);
    benchmark::DoNotOptimize(result.current.data());
  }
}

}  // namespace

BENCHMARK(stages_all_cores)
    ->RangeMultiplier(10)
    ->Range(10'000, 1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(stages_one_thread)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(stages_no_hysteresis)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(stages_by_current_manager)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
