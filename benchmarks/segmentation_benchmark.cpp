// Segmentation on 1 M customers of the synthetic bank: weighted score, ABC, RFM, rules,
// alerts, and k-means on 1 M × 8 standardised value features.
#include <benchmark/benchmark.h>

#include <cmath>

#include "cartera/alerts.hpp"
#include "cartera/kmeans.hpp"
#include "cartera/segmentation.hpp"
#include "synthetic_books.hpp"

namespace {

using namespace cartera;

const book& bank() { return benchmarks::synthetic_bank(1'000'000); }

const value_table& bank_value() {
  static const value_table v = compute_value(bank(), bank().last_day());
  return v;
}

std::span<const double> span_of(const real_column& c) { return {c.data(), static_cast<std::size_t>(c.size())}; }

column_set value_columns() {
  const value_table& v = bank_value();
  column_set c(static_cast<index_t>(v.monetary.size()));
  c.add("monetary", v.monetary);
  c.add("frequency", v.frequency.cast<double>());
  c.add("margin", v.margin);
  c.add("recency", v.recency);
  c.add("contribution", v.contribution);
  c.add("trend", v.trend);
  return c;
}

void score_tiers(benchmark::State& state) {
  const column_set c = value_columns();
  score_policy p;
  p.variables = {
      {"monetary", 2.0}, {"frequency", 1.0}, {"margin", 1.0}, {"recency", 1.0, normalisation::percentile, false}};
  for (auto _ : state) benchmark::DoNotOptimize(fit_apply_score(p, c).second.score.data());
}

void abc_classes(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(classify_abc(span_of(bank_value().monetary)).rank.data());
}

void rfm_segments(benchmark::State& state) {
  const value_table& v = bank_value();
  const real_column frequency = v.frequency.cast<double>();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        fit_apply_rfm({}, span_of(v.recency), span_of(frequency), span_of(v.monetary)).second.r.data());
  }
}

void rule_list(benchmark::State& state) {
  const column_set c = value_columns();
  const std::vector<rule> rules = {{"Cuidar", "monetary > 1000 and recency > 60"},
                                   {"Reducir coste", "contribution < 0"},
                                   {"Crecer", "trend > 1.5 and frequency >= 3"}};
  for (auto _ : state) benchmark::DoNotOptimize(apply_rules(rules, "Mantener", c).rule.data());
}

void moments_of_truth(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(detect_alerts(bank(), bank_value(), bank().last_day()).customer.data());
}

void kmeans_1m_by_8(benchmark::State& state) {
  const value_table& v = bank_value();
  point_matrix points(v.monetary.size(), 8);
  const real_column* columns[] = {&v.recency, &v.monetary, &v.monetary_mean, &v.margin,
                                  &v.recent,  &v.usual,    &v.cost_to_serve, &v.contribution};
  for (Eigen::Index j = 0; j < 8; ++j) {
    for (Eigen::Index r = 0; r < points.rows(); ++r) {
      const double x = (*columns[j])[r];
      points(r, j) = std::isfinite(x) ? std::copysign(std::log1p(std::abs(x)), x) : 10.0;
    }
  }
  kmeans_options options;
  options.clusters = 8;
  options.restarts = 1;
  options.max_iterations = 30;
  options.tolerance = 0;
  for (auto _ : state) benchmark::DoNotOptimize(fit_kmeans(points, options).model.inertia);
}

}  // namespace

// The bank and its value are made before the clock starts.
[[maybe_unused]] const bool prepared = (bank_value(), true);

BENCHMARK(score_tiers)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(abc_classes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(rfm_segments)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(rule_list)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(moments_of_truth)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(kmeans_1m_by_8)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
