// Customer value on synthetic books of 10 k to 1 M customers (about 10 transactions and
// 5 interactions each), with every core and with one thread.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "cartera/synthetic.hpp"
#include "cartera/value.hpp"

namespace {

// Books are expensive to make: one per size, shared by every benchmark that needs it.
const cartera::book& book_of(std::int64_t customers) {
  static std::map<std::int64_t, std::unique_ptr<cartera::book>> books;
  auto& slot = books[customers];
  if (!slot) {
    cartera::synthetic_options options;
    options.customers = static_cast<cartera::index_t>(customers);
    options.managers = static_cast<cartera::index_t>(customers / 100);
    options.transactions_per_customer = 12.85;  // about 10 M transactions for 1 M customers
    slot = std::make_unique<cartera::book>(cartera::synthetic_book(options));
  }
  return *slot;
}

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
BENCHMARK(value_one_thread)->RangeMultiplier(10)->Range(10'000, 1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(repeat_summary)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
