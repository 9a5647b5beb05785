// The capacity-only instances of assignment_benchmark as LEMON minimum-cost flows
// (NetworkSimplex, CostScaling), with the same integer costs (1/1000): the peers of the
// "auction" solver. Built only when LEMON (Debian liblemon-dev) is installed.
#include <benchmark/benchmark.h>

#include <lemon/cost_scaling.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <cmath>

#include "assignment_instances.hpp"

namespace {

using graph = lemon::SmartDigraph;

struct lemon_flow {
  graph g;
  graph::ArcMap<long long> capacity{g}, cost{g};
  graph::NodeMap<long long> supply{g};

  // customer → candidate manager (capacity 1), customer → sink (capacity 1, the leave-out
  // price), manager → sink (its capacity); every customer supplies one unit.
  explicit lemon_flow(const cartera::benchmarks::random_instance& p) {
    std::vector<graph::Node> customer, manager;
    g.reserveNode(p.customers + p.managers + 1);
    g.reserveArc(static_cast<int>(p.manager.size()) + p.customers + p.managers);
    for (int c = 0; c < p.customers; ++c) customer.push_back(g.addNode());
    for (int m = 0; m < p.managers; ++m) manager.push_back(g.addNode());
    const graph::Node sink = g.addNode();
    const auto add = [&](graph::Node u, graph::Node v, long long cap, double price) {
      const graph::Arc a = g.addArc(u, v);
      capacity.set(a, cap);
      cost.set(a, std::llround(price * 1000));
    };
    for (int c = 0; c < p.customers; ++c) {
      supply.set(customer[static_cast<std::size_t>(c)], 1);
      for (auto a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
        add(customer[static_cast<std::size_t>(c)],
            manager[static_cast<std::size_t>(p.manager[static_cast<std::size_t>(a)])], 1,
            p.cost[static_cast<std::size_t>(a)]);
      }
      add(customer[static_cast<std::size_t>(c)], sink, 1, p.leave_out[static_cast<std::size_t>(c)]);
    }
    for (int m = 0; m < p.managers; ++m)
      add(manager[static_cast<std::size_t>(m)], sink, p.capacity[static_cast<std::size_t>(m)], 0);
    for (int m = 0; m < p.managers; ++m) supply.set(manager[static_cast<std::size_t>(m)], 0);
    supply.set(sink, -p.customers);
  }
};

template <typename Algorithm>
void lemon_run(benchmark::State& state) {
  const auto& p = cartera::benchmarks::random_book(state.range(0), static_cast<int>(state.range(1)));
  double objective = 0;
  for (auto _ : state) {
    lemon_flow flow(p);  // building the graph is part of the peer's work, as ours builds its arrays
    Algorithm algorithm(flow.g);
    algorithm.upperMap(flow.capacity).costMap(flow.cost).supplyMap(flow.supply);
    algorithm.run();
    objective = static_cast<double>(algorithm.template totalCost<long long>()) / 1000;
  }
  state.counters["objective"] = objective;
}

void lemon_network_simplex(benchmark::State& state) {
  lemon_run<lemon::NetworkSimplex<graph, long long, long long>>(state);
}
void lemon_cost_scaling(benchmark::State& state) { lemon_run<lemon::CostScaling<graph, long long, long long>>(state); }

}  // namespace

BENCHMARK(lemon_network_simplex)
    ->Args({3'000, 20})
    ->Args({10'000, 20})
    ->Args({100'000, 20})
    ->Args({1'000'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(lemon_cost_scaling)
    ->Args({3'000, 20})
    ->Args({10'000, 20})
    ->Args({100'000, 20})
    ->Args({1'000'000, 20})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);
