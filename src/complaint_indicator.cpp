#include "cartera/complaint_indicator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "detail/checks.hpp"
#include "detail/ordering.hpp"
#include "detail/parallel.hpp"

namespace cartera {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t left_out = std::numeric_limits<std::uint64_t>::max();  // opened after the day

// One complaint as the indicator counts it.
struct complaint_facts {
  std::uint64_t key = left_out;  // its row of the indicator: manager (none last), then month
  day_t days_to_resolve = no_day;
  bool first_contact = false, valuable = false, valuable_due = false, valuable_in_time = false, stay_due = false,
       stayed = false;
  double weight = 0;
};

// The figures of one manager's month, added complaint by complaint.
struct month_figures {
  std::int64_t complaints = 0, resolved = 0, first_contact = 0, valuable = 0, valuable_due = 0, valuable_in_time = 0,
               stay_due = 0, stayed = 0;
  double value = 0, first_contact_value = 0, stay_due_value = 0, stayed_value = 0, total_days = 0;
  std::vector<day_t> days_to_resolve;

  void add(const complaint_facts& f) {
    ++complaints;
    value += f.weight;
    if (f.days_to_resolve != no_day) {
      ++resolved;
      total_days += f.days_to_resolve;
      days_to_resolve.push_back(f.days_to_resolve);
    }
    if (f.first_contact) {
      ++first_contact;
      first_contact_value += f.weight;
    }
    valuable += f.valuable;
    valuable_due += f.valuable_due;
    valuable_in_time += f.valuable_in_time;
    if (f.stay_due) {
      ++stay_due;
      stay_due_value += f.weight;
    }
    if (f.stayed) {
      ++stayed;
      stayed_value += f.weight;
    }
  }
};

double ratio(double part, double whole) { return whole > 0 ? part / whole : not_a_number; }

double median(std::vector<day_t>& days) {
  if (days.empty()) return not_a_number;
  const std::size_t half = days.size() / 2;
  std::nth_element(days.begin(), days.begin() + static_cast<std::ptrdiff_t>(half), days.end());
  const double upper = days[half];
  if (days.size() % 2 == 1) return upper;
  return (upper + *std::max_element(days.begin(), days.begin() + static_cast<std::ptrdiff_t>(half))) / 2;
}

// Whether the customer bought on a day in (opened, opened + stay_days]: their purchases are
// one run by day.
bool bought_after(const book& customers, std::size_t c, day_t opened, int stay_days) {
  const auto at = customers.transaction_offsets();
  const auto* first = customers.transactions().day.data() + at[c];
  const auto* last = customers.transactions().day.data() + at[c + 1];
  const auto* next = std::upper_bound(first, last, opened);
  return next != last && *next <= opened + stay_days;
}

std::uint64_t row_key(index_t manager, index_t managers, day_t month) {
  const auto portfolio = static_cast<std::uint64_t>(manager == no_index ? managers : manager);
  const auto since = static_cast<std::uint64_t>(static_cast<std::int64_t>(month) - std::numeric_limits<day_t>::min());
  return portfolio << 32 | since;
}

void add_row(complaint_indicator_table& out, index_t manager, day_t month, month_figures& f) {
  out.manager.push_back(manager);
  out.month.push_back(month);
  out.complaints.push_back(f.complaints);
  out.resolved.push_back(f.resolved);
  out.first_contact.push_back(f.first_contact);
  out.first_contact_share.push_back(ratio(static_cast<double>(f.first_contact), static_cast<double>(f.complaints)));
  out.first_contact_share_by_value.push_back(ratio(f.first_contact_value, f.value));
  out.mean_days_to_resolve.push_back(ratio(f.total_days, static_cast<double>(f.resolved)));
  out.median_days_to_resolve.push_back(median(f.days_to_resolve));
  out.valuable.push_back(f.valuable);
  out.valuable_due.push_back(f.valuable_due);
  out.valuable_in_time.push_back(f.valuable_in_time);
  out.valuable_in_time_share.push_back(
      ratio(static_cast<double>(f.valuable_in_time), static_cast<double>(f.valuable_due)));
  out.stay_due.push_back(f.stay_due);
  out.stayed.push_back(f.stayed);
  out.stayed_share.push_back(ratio(static_cast<double>(f.stayed), static_cast<double>(f.stay_due)));
  out.stayed_share_by_value.push_back(ratio(f.stayed_value, f.stay_due_value));
  out.value.push_back(f.value);
  out.first_contact_value.push_back(f.first_contact_value);
  out.stay_due_value.push_back(f.stay_due_value);
  out.stayed_value.push_back(f.stayed_value);
}

}  // namespace

void complaint_policy::validate() const {
  const detail::policy_checks check("complaint_policy");
  check(response_days > 0, "response_days", response_days, "must be a positive number of days");
  check(stay_days > 0, "stay_days", stay_days, "must be a positive number of days");
  check(valuable_share >= 0 && valuable_share <= 1, "valuable_share", valuable_share, "must be in [0, 1]");
}

complaint_indicator_table complaint_indicator(const book& customers, day_t as_of, std::span<const double> value,
                                              std::span<const std::uint8_t> valuable_flags,
                                              const complaint_policy& policy, std::span<const index_t> manager) {
  policy.validate();
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("complaint_indicator", "value", value.size(), n, "customer", detail::counted::entries);
  detail::check_numbers("complaint_indicator", "value", value, {.infinity = false, .negative = true});
  detail::check_size("complaint_indicator", "valuable", valuable_flags.size(), n, "customer", detail::counted::entries,
                     true);
  detail::check_size("complaint_indicator", "manager", manager.size(), n, "customer", detail::counted::entries, true);
  const auto& book_manager = customers.customers().manager;
  const auto manager_of = [&](std::size_t c) -> index_t {
    if (!manager.empty()) return manager[c];
    return book_manager.size() ? book_manager[static_cast<index_t>(c)] : no_index;
  };
  for (std::size_t c = 0; c < manager.size(); ++c) {
    if (manager[c] < no_index || manager[c] >= customers.manager_count()) {
      throw unknown_id({"complaint_indicator", "manager", static_cast<std::int64_t>(c), std::to_string(manager[c])},
                       "no such manager");
    }
  }
  const std::vector<std::uint8_t> valuable =
      !valuable_flags.empty() ? std::vector<std::uint8_t>(valuable_flags.begin(), valuable_flags.end())
                              : detail::top_share(detail::order_by(value, true), policy.valuable_share,
                                                  [&](index_t c) { return value[static_cast<std::size_t>(c)] > 0; });

  // Each complaint's facts, customer by customer on every thread (each complaint written
  // by one), then the complaints sorted by their row of the indicator and added up in order.
  const auto& complaints = customers.complaints();
  const auto at = customers.complaint_offsets();
  std::vector<complaint_facts> facts(static_cast<std::size_t>(complaints.customer.size()));
  detail::parallel_for(static_cast<std::int64_t>(n), {}, [&](std::int64_t first, std::int64_t last) {
    for (auto c = static_cast<std::size_t>(first); c < static_cast<std::size_t>(last); ++c) {
      const double weight = std::max(value[c], 0.0);
      const index_t m = manager_of(c);
      for (std::int64_t k = at[c]; k < at[c + 1]; ++k) {
        const day_t opened = complaints.opened[k];
        if (opened > as_of) break;  // by day within the customer
        const day_t resolved = complaints.resolved.size() ? complaints.resolved[k] : no_day;
        const bool is_resolved = resolved != no_day && resolved <= as_of;
        complaint_facts& f = facts[static_cast<std::size_t>(k)];
        f.key = row_key(m, customers.manager_count(), first_day_of_month(opened));
        f.weight = weight;
        if (is_resolved) f.days_to_resolve = resolved - opened;
        f.first_contact = is_resolved && complaints.first_contact.size() && complaints.first_contact[k];
        f.valuable = valuable[c] != 0;
        f.valuable_due = f.valuable && (is_resolved || as_of - opened >= policy.response_days);
        f.valuable_in_time = f.valuable && is_resolved && resolved - opened <= policy.response_days;
        f.stay_due = as_of - opened >= policy.stay_days;
        f.stayed = f.stay_due && bought_after(customers, c, opened, policy.stay_days);
      }
    }
  });
  std::vector<std::pair<std::uint64_t, std::int64_t>> order;
  order.reserve(facts.size());
  for (std::size_t k = 0; k < facts.size(); ++k) {
    if (facts[k].key != left_out) order.emplace_back(facts[k].key, static_cast<std::int64_t>(k));
  }
  std::sort(order.begin(), order.end());

  complaint_indicator_table out;
  month_figures figures;
  for (std::size_t k = 0; k < order.size(); ++k) {
    figures.add(facts[static_cast<std::size_t>(order[k].second)]);
    if (k + 1 == order.size() || order[k + 1].first != order[k].first) {
      const auto portfolio = static_cast<index_t>(order[k].first >> 32);
      const auto month = static_cast<day_t>(static_cast<std::int64_t>(order[k].first & 0xFFFFFFFFu) +
                                            std::numeric_limits<day_t>::min());
      add_row(out, portfolio == customers.manager_count() ? no_index : portfolio, month, figures);
      figures = {};
    }
  }
  return out;
}

}  // namespace cartera
