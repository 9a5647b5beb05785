// The contact plan of a bank: 1 M customers, 10 k managers, a 4-week horizon (the target
// is at most 2 s), with the alerts of the book and a million campaign contacts.
#include <benchmark/benchmark.h>

#include <random>

#include "cartera/alerts.hpp"
#include "cartera/contact_plan.hpp"
#include "cartera/team_sizing.hpp"
#include "synthetic_books.hpp"

namespace {

using namespace cartera;

struct plan_inputs {
  std::vector<index_t> manager;
  std::vector<index_t> tier;
  std::vector<stage> stages;
  std::vector<double> budget;
  alert_table alerts;
  campaign_table campaigns;
};

// Everybody in a portfolio (their current manager, or one by turns); tiers 50/30/20 %,
// stages uniform, as the segmentation and ladder would give them.
const plan_inputs& inputs_of(const book& b) {
  static std::map<const book*, std::unique_ptr<plan_inputs>> made;
  auto& slot = made[&b];
  if (slot) return *slot;
  slot = std::make_unique<plan_inputs>();
  plan_inputs& in = *slot;
  const index_t n = b.customer_count();
  const index_t managers = b.manager_count();
  std::mt19937_64 random(5);
  for (index_t c = 0; c < n; ++c) {
    const index_t current = b.customers().manager.size() > 0 ? b.customers().manager[c] : no_index;
    in.manager.push_back(current != no_index ? current : c % managers);
    const auto draw = random() % 10;
    in.tier.push_back(draw < 5 ? 0 : draw < 8 ? 1 : 2);
    in.stages.push_back(static_cast<stage>(random() % stage_count));
  }
  in.budget.assign(static_cast<std::size_t>(managers), 4800.0);
  const value_table value = compute_value(b, b.last_day());
  in.alerts = detect_alerts(b, value, b.last_day());
  in.campaigns.customer.resize(n);
  in.campaigns.day.resize(n);
  for (index_t k = 0; k < n; ++k) {
    in.campaigns.customer[k] = static_cast<std::int32_t>(random() % static_cast<std::uint64_t>(n));
    in.campaigns.day[k] = b.last_day() - 14 + static_cast<std::int32_t>(random() % 42);
  }
  return in;
}

void contact_plan_four_weeks(benchmark::State& state) {
  const book& b = benchmarks::synthetic_bank(state.range(0));
  const plan_inputs& in = inputs_of(b);
  contact_inputs inputs{in.manager, in.tier, in.stages, in.budget};
  inputs.alerts = &in.alerts;
  inputs.campaigns = &in.campaigns;
  std::size_t planned = 0, unmet = 0;
  for (auto _ : state) {
    const contact_plan plan = plan_contacts(b, inputs, b.last_day() + 1, 28);
    planned = plan.contacts.customer.size();
    unmet = plan.unmet.customer.size();
    benchmark::DoNotOptimize(plan.contacts.day.data());
  }
  state.counters["managers"] = static_cast<double>(b.manager_count());
  state.counters["planned"] = static_cast<double>(planned);
  state.counters["unmet"] = static_cast<double>(unmet);
  state.counters["alerts"] = static_cast<double>(in.alerts.customer.size());
}

void team_size(benchmark::State& state) {
  const book& b = benchmarks::synthetic_bank(state.range(0));
  const plan_inputs& in = inputs_of(b);
  for (auto _ : state) {
    const team_sizing t = size_team(in.tier, in.stages, {}, 4800);
    benchmark::DoNotOptimize(t.managers_needed);
  }
}

}  // namespace

BENCHMARK(contact_plan_four_weeks)
    ->RangeMultiplier(10)
    ->Range(10'000, 1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(team_size)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
