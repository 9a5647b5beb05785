// The assignment problem's checks, and the figures every solver prices the same way: the
// band penalties, the status and stop names.
#include <algorithm>
#include <cmath>
#include <string>

#include "assignment/solver_support.hpp"
#include "cartera/assignment.hpp"
#include "detail/checks.hpp"

namespace cartera {

using detail::check_numbers;
using detail::check_size;
using detail::counted;
using detail::fail;
using detail::format_number;

namespace {
constexpr const char* table = "assignment_problem";
}  // namespace

// Long on purpose: a flat list of checks, one per array and rule, in the order the errors
// are reported.
void assignment_problem::validate() const {
  if (customers < 0) fail({table, "customers", -1, std::to_string(customers)}, "must be >= 0");
  if (managers < 0) fail({table, "managers", -1, std::to_string(managers)}, "must be >= 0");
  const auto n = static_cast<std::size_t>(customers), m = static_cast<std::size_t>(managers);
  if (offsets.size() != n + 1 || offsets.front() != 0) {
    fail({table, "offsets", -1, std::to_string(offsets.size()) + " entries"},
         "must hold customers + 1 entries starting at 0");
  }
  for (std::size_t c = 0; c < n; ++c) {
    if (offsets[c + 1] < offsets[c])
      fail({table, "offsets", static_cast<std::int64_t>(c + 1), std::to_string(offsets[c + 1])}, "must not decrease");
  }
  const auto arcs = static_cast<std::size_t>(offsets.back());
  const auto sized = [&](const char* column, std::size_t size, std::size_t expected, const char* per, bool optional) {
    check_size(table, column, size, expected, per, counted::entries, optional);
  };
  sized("manager", manager.size(), arcs, "arc", false);
  sized("cost", cost.size(), arcs, "arc", false);
  sized("workload", workload.size(), arcs, "arc", true);
  sized("leave_out", leave_out.size(), n, "customer", false);
  sized("capacity", capacity.size(), m, "manager", false);
  sized("time_budget", time_budget.size(), m, "manager", true);
  sized("pinned", pinned.size(), n, "customer", true);
  sized("current", current.size(), n, "customer", true);
  sized("band.low", band.low.size(), m, "manager", true);
  sized("band.high", band.high.size(), m, "manager", band.low.empty());
  if (band.low.empty() && !band.high.empty())
    fail({table, "band.low", -1, "0 entries"}, "must be given with band.high");
  sized("value_balance.value", value_balance.value.size(), n, "customer", true);
  sized("value_balance.low", value_balance.low.size(), m, "manager", true);
  sized("value_balance.high", value_balance.high.size(), m, "manager", value_balance.low.empty());
  if (value_balance.low.empty() != value_balance.high.empty())
    fail({table, "value_balance.low", -1, "0 entries"}, "must be given with value_balance.high");
  if (!value_balance.low.empty() && value_balance.value.empty())
    fail({table, "value_balance.value", -1, "0 entries"}, "must be given with value_balance.low");
  sized("fixed_cost", fixed_cost.size(), m, "manager", true);
  check_numbers(table, "value_balance.value", value_balance.value);
  check_numbers(table, "value_balance.low", value_balance.low);
  check_numbers(table, "value_balance.high", value_balance.high, {.infinity = true});
  check_numbers(table, "fixed_cost", fixed_cost);
  if (!std::isfinite(value_balance.penalty) || value_balance.penalty < 0) {
    fail({table, "value_balance.penalty", -1, format_number(value_balance.penalty)}, "must be finite and >= 0");
  }
  for (std::size_t j = 0; j < value_balance.low.size(); ++j) {
    if (value_balance.high[j] < value_balance.low[j]) {
      fail({table, "value_balance.high", static_cast<std::int64_t>(j), format_number(value_balance.high[j])},
           "must be >= value_balance.low");
    }
  }
  check_numbers(table, "cost", cost);
  check_numbers(table, "workload", workload);
  check_numbers(table, "leave_out", leave_out);
  check_numbers(table, "time_budget", time_budget, {.infinity = true});
  if (!std::isfinite(band.penalty) || band.penalty < 0)
    fail({table, "band.penalty", -1, format_number(band.penalty)}, "must be finite and >= 0");
  if (!workload.empty() && time_budget.empty())
    fail({table, "time_budget", -1, "0 entries"}, "must be given with workloads");
  std::vector<std::int64_t> seen(m, -1);
  for (std::size_t c = 0; c < n; ++c) {
    for (auto a = static_cast<std::size_t>(offsets[c]); a < static_cast<std::size_t>(offsets[c + 1]); ++a) {
      const index_t j = manager[a];
      if (j < 0 || j >= managers)
        fail({table, "manager", static_cast<std::int64_t>(a), std::to_string(j)}, "no such manager");
      if (seen[static_cast<std::size_t>(j)] == static_cast<std::int64_t>(c)) {
        fail({table, "manager", static_cast<std::int64_t>(a), std::to_string(j)},
             "repeats a candidate of customer " + std::to_string(c));
      }
      seen[static_cast<std::size_t>(j)] = static_cast<std::int64_t>(c);
    }
  }
  for (std::size_t j = 0; j < capacity.size(); ++j) {
    if (capacity[j] < 0)
      fail({table, "capacity", static_cast<std::int64_t>(j), std::to_string(capacity[j])}, "must be >= 0");
  }
  for (std::size_t j = 0; j < band.low.size(); ++j) {
    if (band.low[j] < 0)
      fail({table, "band.low", static_cast<std::int64_t>(j), std::to_string(band.low[j])}, "must be >= 0");
    if (band.high[j] < band.low[j])
      fail({table, "band.high", static_cast<std::int64_t>(j), std::to_string(band.high[j])}, "must be >= band.low");
  }
  for (std::size_t c = 0; c < current.size(); ++c) {
    if (current[c] < no_index || current[c] >= managers)
      fail({table, "current", static_cast<std::int64_t>(c), std::to_string(current[c])}, "no such manager");
  }
  if (move_budget < -1)
    fail({table, "move_budget", -1, std::to_string(move_budget)}, "must be >= 0, or -1 for no limit");
  if (pinned.empty()) return;
  std::vector<std::int64_t> pins(m, 0);
  std::vector<double> minutes(m, 0);
  for (std::size_t c = 0; c < n; ++c) {
    const index_t j = pinned[c];
    if (j == no_index) continue;
    if (j < no_index || j >= managers)
      fail({table, "pinned", static_cast<std::int64_t>(c), std::to_string(j)}, "no such manager");
    const std::int64_t arc = detail::arc_to(*this, static_cast<index_t>(c), j);
    if (arc < 0)
      fail({table, "pinned", static_cast<std::int64_t>(c), std::to_string(j)},
           "is not among the customer's candidates");
    const auto k = static_cast<std::size_t>(j);
    if (++pins[k] > capacity[k]) {
      fail({table, "pinned", static_cast<std::int64_t>(c), std::to_string(j)},
           "pins more customers on manager " + std::to_string(j) + " than its capacity (" +
               std::to_string(capacity[k]) + ")");
    }
    if (!workload.empty()) {
      minutes[k] += workload[static_cast<std::size_t>(arc)];
      if (minutes[k] > time_budget[k] * (1 + 1e-12)) {
        fail({table, "pinned", static_cast<std::int64_t>(c), std::to_string(j)},
             "pins more minutes on manager " + std::to_string(j) + " than its time budget (" +
                 format_number(time_budget[k]) + ")");
      }
    }
  }
}

bool assignment_problem::capacity_only() const {
  if (!band.low.empty() && band.penalty > 0) return false;
  if (!value_balance.low.empty() && value_balance.penalty > 0) return false;
  for (const double f : fixed_cost) {
    if (f > 0) return false;
  }
  if (workload.empty()) return true;
  for (std::size_t j = 0; j < time_budget.size(); ++j) {
    if (!std::isinf(time_budget[j])) return false;
  }
  return true;
}

double band_penalty(const load_band& band, index_t manager, std::int64_t load) {
  if (band.low.empty() || band.penalty == 0) return 0;
  const auto m = static_cast<std::size_t>(manager);
  const std::int64_t outside =
      std::max<std::int64_t>(0, band.low[m] - load) + std::max<std::int64_t>(0, load - band.high[m]);
  return band.penalty * static_cast<double>(outside);
}

double value_penalty(const value_band& band, index_t manager, double value) {
  if (band.low.empty() || band.penalty == 0) return 0;
  const auto m = static_cast<std::size_t>(manager);
  return band.penalty * (std::max(0.0, band.low[m] - value) + std::max(0.0, value - band.high[m]));
}

const char* status_name(solve_status status) {
  switch (status) {
    case solve_status::optimal:
      return "optimal";
    case solve_status::feasible:
      return "feasible";
    case solve_status::stopped:
      return "stopped";
    case solve_status::infeasible:
      return "infeasible";
  }
  return "?";
}

const char* stop_reason_name(stop_reason reason) {
  switch (reason) {
    case stop_reason::none:
      return "none";
    case stop_reason::time_limit:
      return "time_limit";
    case stop_reason::progress:
      return "progress";
  }
  return "?";
}

}  // namespace cartera
