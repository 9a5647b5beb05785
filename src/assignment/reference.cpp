// The capacity-only assignment as a general minimum-cost flow, solved by Boost.Graph, to
// cross-check the solver written for the problem's shape.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>

#include "assignment/solver_support.hpp"
#include "cartera/assignment.hpp"

namespace cartera {
namespace {

using traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using graph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, long,
                    boost::property<boost::edge_residual_capacity_t, long,
                                    boost::property<boost::edge_reverse_t, traits::edge_descriptor,
                                                    boost::property<boost::edge_weight_t, long>>>>>;
using edge = graph::edge_descriptor;

// Adds u → v with a zero-capacity reverse twin, as Boost's flow algorithms expect.
edge add_arc(graph& g, std::size_t u, std::size_t v, long capacity, long cost) {
  const edge forward = boost::add_edge(u, v, g).first;
  const edge backward = boost::add_edge(v, u, g).first;
  boost::put(boost::edge_capacity, g, forward, capacity);
  boost::put(boost::edge_capacity, g, backward, 0);
  boost::put(boost::edge_weight, g, forward, cost);
  boost::put(boost::edge_weight, g, backward, -cost);
  boost::put(boost::edge_reverse, g, forward, backward);
  boost::put(boost::edge_reverse, g, backward, forward);
  return forward;
}

}  // namespace

namespace detail {

solver_output solve_boost(const assignment_problem& p, const assignment_options& options) {
  if (8 * largest_scaled(p, options.cost_scale) * static_cast<double>(2 * p.customers + 2) >= 0x1p62) {
    throw invalid_input(
        {"assignment_options", "solver", -1, "boost"},
        "the reference solver's 64-bit path lengths cannot hold costs this large; use \"auction\" or \"flow\"");
  }
  // Nodes: source, customers, managers, sink.
  const auto n = static_cast<std::size_t>(p.customers), m = static_cast<std::size_t>(p.managers);
  const std::size_t source = 0, sink = n + m + 1;
  graph g(sink + 1);
  std::vector<edge> arcs;
  arcs.reserve(p.manager.size());
  for (std::size_t c = 0; c < n; ++c) {
    add_arc(g, source, 1 + c, 1, 0);
    add_arc(g, 1 + c, sink, 1, scaled(p.leave_out[c], options.cost_scale));
    for (std::int64_t a = p.offsets[c]; a < p.offsets[c + 1]; ++a) {
      const auto k = static_cast<std::size_t>(a);
      arcs.push_back(
          add_arc(g, 1 + c, 1 + n + static_cast<std::size_t>(p.manager[k]), 1, scaled(p.cost[k], options.cost_scale)));
    }
  }
  for (std::size_t j = 0; j < m; ++j) add_arc(g, 1 + n + j, sink, static_cast<long>(p.capacity[j]), 0);
  boost::successive_shortest_path_nonnegative_weights(g, source, sink);
  std::vector<index_t> manager_of(n, no_index);
  const auto residual = boost::get(boost::edge_residual_capacity, g);
  for (std::size_t c = 0, k = 0; c < n; ++c) {
    for (std::int64_t a = p.offsets[c]; a < p.offsets[c + 1]; ++a, ++k) {
      if (residual[arcs[k]] == 0) manager_of[c] = p.manager[static_cast<std::size_t>(a)];
    }
  }
  return exact_output(p, std::move(manager_of), 0, options.cost_scale);
}

}  // namespace detail

}  // namespace cartera
