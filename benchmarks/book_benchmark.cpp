// Building books: the synthetic generator, and validating and grouping given tables.
#include <benchmark/benchmark.h>

#include "cartera/synthetic.hpp"

namespace {

void synthetic(benchmark::State& state) {
  cartera::synthetic_options options;
  options.customers = static_cast<cartera::index_t>(state.range(0));
  options.managers = static_cast<cartera::index_t>(state.range(0) / 100);
  options.transactions_per_customer = 12.85;
  for (auto _ : state) {
    auto b = cartera::synthetic_book(options);
    benchmark::DoNotOptimize(b.transactions().amount.data());
    state.counters["transactions"] = static_cast<double>(b.transactions().amount.size());
  }
}

// Re-validating and re-grouping an existing book's tables, in reverse order so the
// grouping has real work to do.
void validate_and_group(benchmark::State& state) {
  cartera::synthetic_options options;
  options.customers = static_cast<cartera::index_t>(state.range(0));
  options.managers = static_cast<cartera::index_t>(state.range(0) / 100);
  options.transactions_per_customer = 12.85;
  const cartera::book source = cartera::synthetic_book(options);
  cartera::transaction_table tx = source.transactions();
  tx.customer.reverseInPlace();
  tx.day.reverseInPlace();
  tx.amount.reverseInPlace();
  tx.margin.reverseInPlace();
  tx.product.codes.reverseInPlace();
  tx.proactive.reverseInPlace();
  for (auto _ : state) {
    cartera::book b(source.customers(), source.managers(), tx);
    benchmark::DoNotOptimize(b.transaction_offsets().data());
  }
  state.SetItemsProcessed(state.iterations() * tx.amount.size());
}

}  // namespace

BENCHMARK(synthetic)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);
BENCHMARK(validate_and_group)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
