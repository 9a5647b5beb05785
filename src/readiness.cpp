#include "cartera/readiness.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <vector>

#include "detail/checks.hpp"

namespace cartera {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

double share(double part, double whole) { return whole > 0 ? part / whole : not_a_number; }

}  // namespace

void readiness_policy::validate() const {
  const detail::policy_checks check("readiness_policy");
  check(interaction_days > 0, "interaction_days", interaction_days, "must be a positive number of days");
  check(mvc_share > 0 && mvc_share <= 1, "mvc_share", mvc_share, "must be in (0, 1]");
}

book_readiness measure_readiness(const book& customers, const value_table& value, std::span<const stage> stages,
                                 day_t as_of, const readiness_policy& policy, std::span<const index_t> preferred,
                                 std::span<const index_t> planned) {
  policy.validate();
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("readiness", "value", static_cast<std::size_t>(value.monetary.size()), n, "customer");
  detail::check_size("readiness", "stage", stages.size(), n, "customer", detail::counted::entries);
  detail::check_size("readiness", "preferred", preferred.size(), n, "customer", detail::counted::entries, true);
  detail::check_size("readiness", "planned", planned.size(), n, "customer", detail::counted::entries, true);
  if (preferred.empty() != planned.empty()) {
    detail::fail({"readiness", preferred.empty() ? "preferred" : "planned", -1, "absent"},
                 "preferred and planned channels go together");
  }

  book_readiness r;
  r.customers = static_cast<index_t>(n);
  const auto& reachable = customers.customers().reachable;
  const auto& in = customers.interactions();
  const auto at = customers.interaction_offsets();
  const day_t from = as_of - policy.interaction_days, middle = as_of - policy.interaction_days / 2;
  double reached = 0, valued = 0, talking = 0, continuing = 0, close = 0, with_preference = 0, kept = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const auto i = static_cast<index_t>(c);
    reached += reachable.size() == 0 || reachable[i] != 0;
    valued += value.frequency[i] > 0;
    bool early = false, late = false;
    for (std::int64_t k = at[c]; k < at[c + 1] && in.day[k] <= as_of; ++k) {
      if (in.day[k] <= from || (in.two_way.size() != 0 && in.two_way[k] == 0)) continue;
      (in.day[k] <= middle ? early : late) = true;
    }
    talking += early || late;
    continuing += early && late;
    close += stages[c] == stage::intimar || stages[c] == stage::confiar;
    if (!preferred.empty() && preferred[c] >= 0 && planned[c] >= 0) {
      ++with_preference;
      kept += preferred[c] == planned[c];
    }
  }
  const double count = static_cast<double>(n);
  r.identify = share(reached, count);
  r.differentiate = share(valued, count);
  r.interact = share(talking, count);
  r.dialogue_continuity = share(continuing, talking);
  r.individualise = share(close, count);
  r.preferred_channel_kept = preferred.empty() ? not_a_number : share(kept, with_preference);

  // The most valuable ⌈mvc_share × n⌉ customers' part of the window's revenue (net revenue below 0 counts 0).
  std::vector<double> revenue(n);
  for (std::size_t c = 0; c < n; ++c) revenue[c] = std::max(value.monetary[static_cast<index_t>(c)], 0.0);
  const auto top = std::min(n, static_cast<std::size_t>(std::ceil(policy.mvc_share * count)));
  std::partial_sort(revenue.begin(), revenue.begin() + static_cast<std::ptrdiff_t>(top), revenue.end(),
                    std::greater<>());
  const double total = std::accumulate(revenue.begin(), revenue.end(), 0.0);
  r.mvc_revenue_share =
      share(std::accumulate(revenue.begin(), revenue.begin() + static_cast<std::ptrdiff_t>(top), 0.0), total);
  return r;
}

}  // namespace cartera
