// Referral analysis: 1 M customers and 2 M referrals (the target is at most 2 s): the
// acquisition forest, reach, referral value and Boost.Graph's PageRank to 1e-6.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>

#include "cartera/referrals.hpp"

namespace {

using namespace cartera;

// Two shapes: referrals from older customers to newer ones only (how acquisition works:
// a forest-like DAG), or between any two customers (cycles everywhere: PageRank's worst).
const book& referral_book(std::int64_t customers, bool any_direction) {
  static std::map<std::pair<std::int64_t, bool>, std::unique_ptr<book>> books;
  auto& slot = books[{customers, any_direction}];
  if (slot) return *slot;
  const auto n = static_cast<index_t>(customers);
  std::vector<std::string> ids;
  ids.reserve(static_cast<std::size_t>(n));
  for (index_t c = 0; c < n; ++c) ids.push_back("C" + std::to_string(c));
  referral_table r;
  const Eigen::Index rows = 2 * customers;
  r.referrer.resize(rows);
  r.referred.resize(rows);
  r.day.resize(rows);
  std::mt19937_64 random(3);
  for (Eigen::Index k = 0; k < rows; ++k) {
    index_t a = static_cast<index_t>(random() % static_cast<std::uint64_t>(n));
    index_t b = static_cast<index_t>(random() % static_cast<std::uint64_t>(n - 1));
    if (b >= a) ++b;
    if (!any_direction && a > b) std::swap(a, b);
    r.referrer[k] = a;
    r.referred[k] = b;
    r.day[k] = make_day(2020, 1, 1) + static_cast<std::int32_t>(any_direction ? random() % 2000 : b / (n / 2000 + 1));
  }
  slot =
      std::make_unique<book>(customer_table{id_index(std::move(ids), "customers"), {}, {}, {}, {}, {}}, manager_table{},
                             transaction_table{}, interaction_table{}, complaint_table{}, std::move(r));
  return *slot;
}

void run(benchmark::State& state, bool any_direction) {
  const book& b = referral_book(state.range(0), any_direction);
  int iterations = 0;
  for (auto _ : state) {
    const referral_network net = analyse_referrals(b);
    iterations = net.iterations;
    benchmark::DoNotOptimize(net.influence.data());
  }
  state.counters["referrals"] = static_cast<double>(b.referrals().referrer.size());
  state.counters["pagerank_iterations"] = iterations;
}

void referrals_acquisition_dag(benchmark::State& state) { run(state, false); }
void referrals_any_direction(benchmark::State& state) { run(state, true); }

}  // namespace

BENCHMARK(referrals_acquisition_dag)
    ->RangeMultiplier(10)
    ->Range(10'000, 1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(referrals_any_direction)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
