#include "cartera/gap_instances.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "cartera/error.hpp"

namespace cartera {
namespace {

double read_number(std::istream& in, const char* what, std::int64_t position) {
  std::string token;
  if (!(in >> token)) throw invalid_input({"orlibrary_gap", what, position, "end of input"}, "expected a number >= 0");
  char* end = nullptr;
  const double value = std::strtod(token.c_str(), &end);
  if (end != token.c_str() + token.size() || !std::isfinite(value) || value < 0) {
    throw invalid_input({"orlibrary_gap", what, position, token}, "expected a number >= 0");
  }
  return value;
}

}  // namespace

assignment_problem read_orlibrary_gap(std::istream& in) {
  const double agents = read_number(in, "agents", -1), items = read_number(in, "items", -1);
  if (agents != std::floor(agents) || items != std::floor(items) || agents > 1e6 || items > 1e8) {
    throw invalid_input({"orlibrary_gap", "size", -1, std::to_string(agents) + " " + std::to_string(items)},
                        "expected two counts");
  }
  const auto m = static_cast<std::size_t>(agents), n = static_cast<std::size_t>(items);
  std::vector<double> cost(m * n), weight(m * n);  // agent-major, as in the file
  for (std::size_t k = 0; k < m * n; ++k) cost[k] = read_number(in, "cost", static_cast<std::int64_t>(k));
  for (std::size_t k = 0; k < m * n; ++k) weight[k] = read_number(in, "weight", static_cast<std::int64_t>(k));
  assignment_problem p;
  p.customers = static_cast<index_t>(n);
  p.managers = static_cast<index_t>(m);
  for (std::size_t j = 0; j < m; ++j)
    p.time_budget.push_back(read_number(in, "capacity", static_cast<std::int64_t>(j)));
  p.capacity.assign(m, static_cast<std::int64_t>(n));
  double dearest_total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double dearest = 0;
    for (std::size_t j = 0; j < m; ++j) {
      p.manager.push_back(static_cast<index_t>(j));
      p.cost.push_back(cost[j * n + i]);
      p.workload.push_back(weight[j * n + i]);
      dearest = std::max(dearest, cost[j * n + i]);
    }
    dearest_total += dearest;
    p.offsets.push_back(static_cast<std::int64_t>(p.manager.size()));
  }
  p.leave_out.assign(n, dearest_total + 1);
  return p;
}

}  // namespace cartera
