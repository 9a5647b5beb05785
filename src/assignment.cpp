#include "cartera/assignment.hpp"

#include <cmath>
#include <string>

#include "assignment_detail.hpp"
#include "cartera/detail/format.hpp"

namespace cartera {

void assignment_problem::validate() const {
  const auto fail = [](const char* column, std::int64_t row, const std::string& value, const std::string& problem) {
    throw invalid_input({"assignment_problem", column, row, value}, problem);
  };
  if (customers < 0) fail("customers", -1, std::to_string(customers), "must be >= 0");
  if (managers < 0) fail("managers", -1, std::to_string(managers), "must be >= 0");
  if (offsets.size() != static_cast<std::size_t>(customers) + 1 || offsets.front() != 0) {
    fail("offsets", -1, std::to_string(offsets.size()) + " entries", "must hold customers + 1 entries starting at 0");
  }
  for (std::size_t c = 0; c < static_cast<std::size_t>(customers); ++c) {
    if (offsets[c + 1] < offsets[c]) fail("offsets", static_cast<std::int64_t>(c + 1), std::to_string(offsets[c + 1]), "must not decrease");
  }
  const auto arcs = static_cast<std::size_t>(offsets.back());
  if (manager.size() != arcs) fail("manager", -1, std::to_string(manager.size()) + " arcs", "must hold one entry per arc (" + std::to_string(arcs) + ")");
  if (cost.size() != arcs) fail("cost", -1, std::to_string(cost.size()) + " arcs", "must hold one entry per arc (" + std::to_string(arcs) + ")");
  for (std::size_t a = 0; a < arcs; ++a) {
    if (manager[a] < 0 || manager[a] >= managers) fail("manager", static_cast<std::int64_t>(a), std::to_string(manager[a]), "no such manager");
    if (!std::isfinite(cost[a]) || cost[a] < 0) fail("cost", static_cast<std::int64_t>(a), detail::format_number(cost[a]), "must be finite and >= 0");
  }
  if (leave_out.size() != static_cast<std::size_t>(customers)) {
    fail("leave_out", -1, std::to_string(leave_out.size()) + " entries", "must hold one entry per customer");
  }
  for (std::size_t c = 0; c < leave_out.size(); ++c) {
    if (!std::isfinite(leave_out[c]) || leave_out[c] < 0) {
      fail("leave_out", static_cast<std::int64_t>(c), detail::format_number(leave_out[c]), "must be finite and >= 0");
    }
  }
  if (capacity.size() != static_cast<std::size_t>(managers)) {
    fail("capacity", -1, std::to_string(capacity.size()) + " entries", "must hold one entry per manager");
  }
  for (std::size_t m = 0; m < capacity.size(); ++m) {
    if (capacity[m] < 0) fail("capacity", static_cast<std::int64_t>(m), std::to_string(capacity[m]), "must be >= 0");
  }
}

namespace detail {

std::int64_t scaled(double value, double scale) { return std::llround(value * scale); }

assignment_result finish(const assignment_problem& p, std::vector<index_t> manager_of, double scale) {
  assignment_result r;
  r.manager = std::move(manager_of);
  r.load.assign(static_cast<std::size_t>(p.managers), 0);
  r.reason.assign(static_cast<std::size_t>(p.customers), unassigned_reason::assigned);
  std::int64_t objective = 0;
  for (index_t c = 0; c < p.customers; ++c) {
    const index_t m = r.manager[static_cast<std::size_t>(c)];
    if (m == no_index) {
      objective += scaled(p.leave_out[static_cast<std::size_t>(c)], scale);
      continue;
    }
    ++r.load[static_cast<std::size_t>(m)];
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    for (std::int64_t a = p.offsets[static_cast<std::size_t>(c)]; a < p.offsets[static_cast<std::size_t>(c) + 1]; ++a) {
      if (p.manager[static_cast<std::size_t>(a)] == m) best = std::min(best, scaled(p.cost[static_cast<std::size_t>(a)], scale));
    }
    objective += best;
  }
  for (index_t c = 0; c < p.customers; ++c) {
    if (r.manager[static_cast<std::size_t>(c)] != no_index) continue;
    const auto first = p.offsets[static_cast<std::size_t>(c)], last = p.offsets[static_cast<std::size_t>(c) + 1];
    bool room = false;
    for (std::int64_t a = first; a < last; ++a) {
      const auto m = static_cast<std::size_t>(p.manager[static_cast<std::size_t>(a)]);
      room = room || r.load[m] < p.capacity[m];
    }
    r.reason[static_cast<std::size_t>(c)] = first == last ? unassigned_reason::no_candidate
                                           : room         ? unassigned_reason::not_worth_it
                                                          : unassigned_reason::capacity_exhausted;
  }
  r.objective = static_cast<double>(objective) / scale;
  return r;
}

}  // namespace detail
}  // namespace cartera
