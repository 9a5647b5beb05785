// Customer value on synthetic books of 10 k to 1 M customers (about 10 transactions and
// 5 interactions each), with every core and with one thread.
#include <benchmark/benchmark.h>

#include "cartera/value.hpp"
#include "synthetic_books.hpp"

namespace {

const cartera::book& book_of(std::int64_t customers) { return cartera::benchmarks::synthetic_bank(customers); }

void run_value(benchmark::State& state, int threads) {
  const cartera::book& b = book_of(state.range(0));
  for (auto _ : state) {
    auto result = cartera::compute_value(b, b.last_day(), {}, {.threads = threads});
    benchmark::DoNotOptimize(result.contribution.data());
  }
  state.counters["transactions"] = static_cast<double>(b.transactions().amount.size());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(b.transactions().amount.size()));
}

void value_all_cores(benchmark::State& state) { run_value(state, 0); }
void value_one_thread(benchmark::State& state) { run_value(state, 1); }

void repeat_summary(benchmark::State& state) {
  const cartera::book& b = book_of(state.range(0));
  for (auto _ : state) {
    auto result = cartera::compute_repeat_summary(b, b.last_day(), 7.0);
    benchmark::DoNotOptimize(result.frequency.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(b.transactions().amount.size()));
}

}  // namespace

BENCHMARK(value_all_cores)->RangeMultiplier(10)->Range(10'000, 1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(value_one_thread)
    ->RangeMultiplier(10)
    ->Range(10'000, 1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(repeat_summary)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
