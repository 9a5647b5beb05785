#include "cartera/stages.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/parallel.hpp"

namespace cartera {
namespace {

struct criterion_info {
  std::string_view name;
  stage owner;
  bool maximum;
};

constexpr std::array<criterion_info, criterion_count> criteria = {{
    {"none", stage::confiar, false},
    {"reachable", stage::contactar, false},
    {"contacts", stage::contactar, false},
    {"two-way contacts", stage::relacionar, false},
    {"two-way share", stage::relacionar, false},
    {"relational contacts", stage::intimar, false},
    {"profile completeness", stage::intimar, false},
    {"breadth (products + people + managers + areas)", stage::intimar, false},
    {"longest gap between contacts (days)", stage::intimar, true},
    {"tenure (days)", stage::confiar, false},
    {"unprompted purchases", stage::confiar, false},
    {"trust signals (referrals, purchases after a complaint)", stage::confiar, false},
    {"oldest open complaint (days)", stage::confiar, true},
}};

// Marks a row whose relationship is with the current manager when there is none.
constexpr index_t without_manager = -2;

const criterion_info& info(criterion c) { return criteria[static_cast<std::size_t>(c)]; }

// The events of one customer that fall in a day range, found by binary search in the
// customer's day-ordered run.
std::pair<std::int64_t, std::int64_t> day_range(const int_column& days, std::int64_t begin, std::int64_t end,
                                                std::int64_t first_day, std::int64_t last_day) {
  const auto* data = days.data();
  const auto lo = std::lower_bound(data + begin, data + end, first_day, [](day_t d, std::int64_t v) { return d < v; });
  const auto hi = std::upper_bound(lo, data + end, last_day, [](std::int64_t v, day_t d) { return v < d; });
  return {lo - data, hi - data};
}

// Measures the criteria of one customer (optionally only their contacts with one manager)
// on a given day. One evaluator per thread: it owns the scratch space.
class evaluator {
 public:
  evaluator(const book& b, const stage_policy& p) : b_(b), p_(p) {}

  /// The stage the criteria give on `day`; fills `values` and `blocking` when asked.
  stage reached(index_t c, index_t manager, std::int64_t day, criterion_values* values = nullptr,
                criterion* blocking = nullptr) {
    criterion_values v{};
    measure(c, manager, day, p_.window_days, v);
    const stage result = judge(v, false, blocking);
    if (values) *values = v;
    return result;
  }

  /// The stage with hysteresis: the highest stage reached on any day of (day - grace, day].
  stage current(index_t c, index_t manager, std::int64_t day, stage reached_today) {
    if (reached_today == stage::confiar || p_.grace_days <= 1) return reached_today;
    if (ceiling(c, manager, day) <= reached_today) return reached_today;
    return highest_in_grace_period(c, manager, day, reached_today);
  }

 private:
  // The stage the measures give. `relaxed` lets the criteria that a longer window cannot
  // bound (share, gaps, open complaints) pass, for ceiling().
  stage judge(const criterion_values& v, bool relaxed, criterion* blocking) const {
    stage result = stage::sin_contacto;
    criterion failed = criterion::none;
    for (int k = 1; k < criterion_count; ++k) {
      const auto which = static_cast<criterion>(k);
      const double threshold = p_.threshold(which);
      const double value = v[static_cast<std::size_t>(k)];
      const bool unbounded = which == criterion::two_way_share || info(which).maximum;
      const bool holds = (relaxed && unbounded) || (info(which).maximum ? value <= threshold : value >= threshold);
      if (!holds) {
        failed = which;
        break;
      }
      // The last criterion of a stage passed: the customer stands at least there.
      if (k + 1 == criterion_count || info(static_cast<criterion>(k + 1)).owner != info(which).owner) {
        result = info(which).owner;
      }
    }
    if (blocking) *blocking = failed;
    return result;
  }

  // No day of the grace period can give more than this: every count over the union of
  // their windows, tenure on the last day, and the unboundable criteria let through. Most
  // customers are settled here, without visiting any day.
  stage ceiling(index_t c, index_t manager, std::int64_t day) {
    criterion_values v{};
    measure(c, manager, day, p_.window_days + p_.grace_days - 1, v);
    return judge(v, true, nullptr);
  }

  stage highest_in_grace_period(index_t c, index_t manager, std::int64_t day, stage reached_today) {
    const std::int64_t first = day - p_.grace_days + 1;
    candidates_.clear();
    candidates_.push_back(first);
    const std::int64_t window = p_.window_days;
    const auto add_days = [&](const int_column& days, std::int64_t begin, std::int64_t end, bool leaves) {
      // Days an event enters the window, and (for windowed events) days it leaves.
      auto [lo, hi] = day_range(days, begin, end, first, day);
      for (std::int64_t k = lo; k < hi; ++k) candidates_.push_back(days[k]);
      if (!leaves) return;
      std::tie(lo, hi) = day_range(days, begin, end, first - window, day - window);
      for (std::int64_t k = lo; k < hi; ++k) candidates_.push_back(days[k] + window);
    };
    const auto tx = b_.transaction_offsets();
    const auto in = b_.interaction_offsets();
    const auto co = b_.complaint_offsets();
    const auto re = b_.referral_offsets();
    add_days(b_.transactions().day, tx[c], tx[c + 1], true);
    add_days(b_.interactions().day, in[c], in[c + 1], true);
    add_days(b_.referrals().day, re[c], re[c + 1], false);
    const auto& resolved = b_.complaints().resolved;
    for (std::int64_t k = co[c]; k < co[c + 1] && resolved.size() != 0; ++k) {
      if (resolved[k] != no_day && resolved[k] > first && resolved[k] <= day) candidates_.push_back(resolved[k]);
    }
    const std::int64_t known = known_since(c, day);
    if (known != no_day) {
      const std::int64_t tenure_met = known + p_.confiar.min_tenure_days;
      if (tenure_met > first && tenure_met <= day) candidates_.push_back(tenure_met);
    }
    std::sort(candidates_.begin(), candidates_.end());
    candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
    stage best = reached_today;
    for (const std::int64_t candidate : candidates_) {
      if (candidate >= day) break;
      best = std::max(best, reached(c, manager, candidate));
      if (best == stage::confiar) break;
    }
    return best;
  }

  std::int64_t known_since(index_t c, std::int64_t day) const {
    std::int64_t known = no_day;
    const auto see = [&](std::int64_t d) {
      if (d != no_day && d <= day && (known == no_day || d < known)) known = d;
    };
    if (b_.customers().since.size() != 0) see(b_.customers().since[c]);
    const auto tx = b_.transaction_offsets();
    const auto in = b_.interaction_offsets();
    if (tx[c] < tx[c + 1]) see(b_.transactions().day[tx[c]]);
    if (in[c] < in[c + 1]) see(b_.interactions().day[in[c]]);
    return known;
  }

  // Measures every criterion over the `window` days ending on `day`.
  void measure(index_t c, index_t manager, std::int64_t day, std::int64_t window, criterion_values& v) {
    const auto at = [&](criterion k) -> double& { return v[static_cast<std::size_t>(k)]; };
    const auto& people = b_.customers();
    const std::int64_t window_first = day - window + 1;

    at(criterion::reachable) = people.reachable.size() == 0 ? 1.0 : people.reachable[c];
    at(criterion::profile) = people.profile.size() == 0 ? 0.0 : people.profile[c];

    // Contacts in the window.
    const auto& in = b_.interactions();
    const auto in_at = b_.interaction_offsets();
    const auto [in_lo, in_hi] = day_range(in.day, in_at[c], in_at[c + 1], window_first, day);
    std::int64_t contacts = 0, two_way = 0, relational = 0, gap = 0, previous = no_day;
    managers_.clear();
    persons_.clear();
    areas_.clear();
    for (std::int64_t k = in_lo; k < in_hi; ++k) {
      const index_t with = in.manager.size() == 0 ? no_index : in.manager[k];
      if (manager != no_index && with != manager) continue;
      ++contacts;
      if (in.two_way.size() != 0) two_way += in.two_way[k];
      if (in.relational.size() != 0) relational += in.relational[k];
      if (with != no_index) managers_.push_back(with);
      if (in.person.codes.size() != 0 && in.person.codes[k] != no_index) persons_.push_back(in.person.codes[k]);
      if (in.area.codes.size() != 0 && in.area.codes[k] != no_index) areas_.push_back(in.area.codes[k]);
      if (previous != no_day) gap = std::max<std::int64_t>(gap, in.day[k] - previous);
      previous = in.day[k];
    }
    gap = previous == no_day ? window : std::max(gap, day - previous);
    at(criterion::contacts) = static_cast<double>(contacts);
    at(criterion::two_way) = static_cast<double>(two_way);
    at(criterion::two_way_share) = contacts > 0 ? static_cast<double>(two_way) / static_cast<double>(contacts) : 0.0;
    at(criterion::relational) = static_cast<double>(relational);
    at(criterion::continuity) = static_cast<double>(gap);

    // Purchases in the window: products (breadth) and unprompted purchases.
    const auto& tx = b_.transactions();
    const auto tx_at = b_.transaction_offsets();
    const auto [tx_lo, tx_hi] = day_range(tx.day, tx_at[c], tx_at[c + 1], window_first, day);
    std::int64_t unprompted = 0;
    products_.clear();
    for (std::int64_t k = tx_lo; k < tx_hi; ++k) {
      if (tx.proactive.size() == 0 || tx.proactive[k] == 0) ++unprompted;
      if (tx.product.codes.size() != 0 && tx.product.codes[k] != no_index) products_.push_back(tx.product.codes[k]);
    }
    at(criterion::unprompted) = static_cast<double>(unprompted);
    // Breadth: on their side the products bought and the people who took part, on ours the
    // managers and the areas ("varias personas/áreas involucradas").
    at(criterion::breadth) =
        static_cast<double>(distinct(products_) + distinct(persons_) + distinct(managers_) + distinct(areas_));

    const std::int64_t known = known_since(c, day);
    at(criterion::tenure) = known == no_day ? 0.0 : static_cast<double>(day - known);

    // Trust: referrals given, and complaints after which the customer bought again.
    const auto re_at = b_.referral_offsets();
    const auto [re_lo, re_hi] = day_range(b_.referrals().day, re_at[c], re_at[c + 1], first_valid_day, day);
    std::int64_t signals = re_hi - re_lo;
    const auto& co = b_.complaints();
    const auto co_at = b_.complaint_offsets();
    const auto [tx_all_lo, tx_all_hi] = day_range(tx.day, tx_at[c], tx_at[c + 1], first_valid_day, day);
    const std::int64_t last_purchase = tx_all_hi > tx_all_lo ? tx.day[tx_all_hi - 1] : no_day;
    std::int64_t oldest_open = 0;
    for (std::int64_t k = co_at[c]; k < co_at[c + 1] && co.opened[k] <= day; ++k) {
      if (last_purchase != no_day && last_purchase > co.opened[k]) ++signals;
      const bool open = co.resolved.size() == 0 || co.resolved[k] == no_day || co.resolved[k] > day;
      if (open) oldest_open = std::max<std::int64_t>(oldest_open, day - co.opened[k]);
    }
    at(criterion::trust_signals) = static_cast<double>(signals);
    at(criterion::open_complaint) = static_cast<double>(oldest_open);
  }

  static std::int64_t distinct(std::vector<index_t>& values) {
    std::sort(values.begin(), values.end());
    return std::unique(values.begin(), values.end()) - values.begin();
  }

  const book& b_;
  const stage_policy& p_;
  std::vector<index_t> products_, managers_, persons_, areas_;
  std::vector<std::int64_t> candidates_;
};

stage_table make_table(std::size_t rows) {
  stage_table t;
  t.current.resize(rows);
  t.reached.resize(rows);
  t.blocking.resize(rows);
  for (auto& column : t.values) column.resize(static_cast<Eigen::Index>(rows));
  return t;
}

// Evaluates rows [0, rows): customer_of(row) and manager_of(row) say whose relationship.
template <typename CustomerOf, typename ManagerOf>
stage_table evaluate_rows(const book& b, std::size_t rows, CustomerOf customer_of, ManagerOf manager_of, day_t as_of,
                          const stage_policy& policy, const execution& run) {
  policy.validate();
  stage_table t = make_table(rows);
  detail::parallel_for(static_cast<std::int64_t>(rows), run, [&](std::int64_t begin, std::int64_t end) {
    evaluator e(b, policy);
    criterion_values v;
    for (std::int64_t row = begin; row < end; ++row) {
      const index_t c = customer_of(row);
      const index_t m = manager_of(row);
      const auto r = static_cast<std::size_t>(row);
      if (m == without_manager) {
        v.fill(0.0);
        v[static_cast<std::size_t>(criterion::continuity)] = policy.window_days;
        t.reached[r] = t.current[r] = stage::sin_contacto;
        t.blocking[r] = criterion::contacts;
      } else {
        t.reached[r] = e.reached(c, m, as_of, &v, &t.blocking[r]);
        t.current[r] = e.current(c, m, as_of, t.reached[r]);
      }
      for (int k = 0; k < criterion_count; ++k)
        t.values[static_cast<std::size_t>(k)][row] = v[static_cast<std::size_t>(k)];
    }
  });
  return t;
}

// Whose contacts count for customer c: everyone's, or only the current manager's.
index_t manager_for(relationship with, const int_column& current, index_t c) {
  if (with == relationship::customer) return no_index;
  const index_t m = current.size() == 0 ? no_index : current[c];
  return m == no_index ? without_manager : m;
}

std::string number(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == std::floor(value) && std::abs(value) < 1e15) return std::to_string(static_cast<std::int64_t>(value));
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

// "; to reach intimar: relational contacts 1 of 3", or nothing at confiar.
std::string next_step(criterion blocking, double value, const stage_policy& policy) {
  if (blocking == criterion::none) return {};
  return "; to reach " + std::string(stage_name(criterion_stage(blocking))) + ": " +
         std::string(criterion_name(blocking)) + " " + number(value) +
         (criterion_is_maximum(blocking) ? " > " : " of ") + number(policy.threshold(blocking));
}

}  // namespace

std::string_view stage_name(stage s) {
  static constexpr std::array<std::string_view, stage_count> names = {"sin_contacto", "contactar", "relacionar",
                                                                      "intimar", "confiar"};
  return names[static_cast<std::size_t>(s)];
}

std::string_view criterion_name(criterion c) { return info(c).name; }
bool criterion_is_maximum(criterion c) { return info(c).maximum; }
stage criterion_stage(criterion c) { return info(c).owner; }

double stage_policy::threshold(criterion c) const {
  switch (c) {
    case criterion::none:
      return 0;
    case criterion::reachable:
      return contactar.require_reachable ? 1 : 0;
    case criterion::contacts:
      return contactar.min_contacts;
    case criterion::two_way:
      return relacionar.min_two_way;
    case criterion::two_way_share:
      return relacionar.min_two_way_share;
    case criterion::relational:
      return intimar.min_relational;
    case criterion::profile:
      return intimar.min_profile;
    case criterion::breadth:
      return intimar.min_breadth;
    case criterion::continuity:
      return intimar.max_gap_days;
    case criterion::tenure:
      return confiar.min_tenure_days;
    case criterion::unprompted:
      return confiar.min_unprompted;
    case criterion::trust_signals:
      return confiar.min_trust_signals;
    case criterion::open_complaint:
      return confiar.max_open_complaint_days;
  }
  return 0;
}

void stage_policy::validate() const {
  const detail::policy_checks require("stage_policy");
  require(window_days > 0 && window_days <= 36500, "window_days", window_days, "must be in 1..36500");
  require(grace_days > 0 && grace_days <= 36500, "grace_days", grace_days, "must be in 1..36500 (1: no hysteresis)");
  require(contactar.min_contacts >= 0, "contactar.min_contacts", contactar.min_contacts, "must be >= 0");
  require(relacionar.min_two_way >= 0, "relacionar.min_two_way", relacionar.min_two_way, "must be >= 0");
  require(relacionar.min_two_way_share >= 0 && relacionar.min_two_way_share <= 1, "relacionar.min_two_way_share",
          relacionar.min_two_way_share, "must be in [0, 1]");
  require(intimar.min_relational >= 0, "intimar.min_relational", intimar.min_relational, "must be >= 0");
  require(intimar.min_profile >= 0 && intimar.min_profile <= 1, "intimar.min_profile", intimar.min_profile,
          "must be in [0, 1]");
  require(intimar.min_breadth >= 0, "intimar.min_breadth", intimar.min_breadth, "must be >= 0");
  require(intimar.max_gap_days >= 0, "intimar.max_gap_days", intimar.max_gap_days, "must be >= 0");
  require(confiar.min_tenure_days >= 0, "confiar.min_tenure_days", confiar.min_tenure_days, "must be >= 0");
  require(confiar.min_unprompted >= 0, "confiar.min_unprompted", confiar.min_unprompted, "must be >= 0");
  require(confiar.min_trust_signals >= 0, "confiar.min_trust_signals", confiar.min_trust_signals, "must be >= 0");
  require(confiar.max_open_complaint_days >= 0, "confiar.max_open_complaint_days", confiar.max_open_complaint_days,
          "must be >= 0");
}

stage_table evaluate_stages(const book& customers, day_t as_of, const stage_policy& policy, relationship with,
                            const execution& run) {
  const auto& current = customers.customers().manager;
  return evaluate_rows(
      customers, static_cast<std::size_t>(customers.customer_count()),
      [](std::int64_t row) { return static_cast<index_t>(row); },
      [&](std::int64_t row) { return manager_for(with, current, static_cast<index_t>(row)); }, as_of, policy, run);
}

stage_table evaluate_stages(const book& customers, std::span<const index_t> which, day_t as_of,
                            const stage_policy& policy, relationship with, const execution& run) {
  for (std::size_t row = 0; row < which.size(); ++row) {
    if (which[row] < 0 || which[row] >= customers.customer_count()) {
      throw unknown_id({"stages", "customer", static_cast<std::int64_t>(row), std::to_string(which[row])},
                       "no such row in customers");
    }
  }
  const auto& current = customers.customers().manager;
  return evaluate_rows(
      customers, which.size(), [&](std::int64_t row) { return which[static_cast<std::size_t>(row)]; },
      [&](std::int64_t row) { return manager_for(with, current, which[static_cast<std::size_t>(row)]); }, as_of, policy,
      run);
}

stage_table evaluate_pair_stages(const book& customers, std::span<const index_t> pair_customer,
                                 std::span<const index_t> pair_manager, day_t as_of, const stage_policy& policy,
                                 const execution& run) {
  if (pair_customer.size() != pair_manager.size()) {
    throw invalid_input({"pairs", "manager", -1, std::to_string(pair_manager.size()) + " rows"},
                        "customer and manager columns differ in length (" + std::to_string(pair_customer.size()) + ")");
  }
  for (std::size_t row = 0; row < pair_customer.size(); ++row) {
    if (pair_customer[row] < 0 || pair_customer[row] >= customers.customer_count()) {
      throw unknown_id({"pairs", "customer", static_cast<std::int64_t>(row), std::to_string(pair_customer[row])},
                       "no such row in customers");
    }
    if (pair_manager[row] < 0 || pair_manager[row] >= customers.manager_count()) {
      throw unknown_id({"pairs", "manager", static_cast<std::int64_t>(row), std::to_string(pair_manager[row])},
                       "no such row in managers");
    }
  }
  return evaluate_rows(
      customers, pair_customer.size(), [&](std::int64_t row) { return pair_customer[static_cast<std::size_t>(row)]; },
      [&](std::int64_t row) { return pair_manager[static_cast<std::size_t>(row)]; }, as_of, policy, run);
}

std::pair<std::vector<index_t>, std::vector<index_t>> interaction_pairs(const book& customers, day_t as_of) {
  std::pair<std::vector<index_t>, std::vector<index_t>> pairs;
  const auto& in = customers.interactions();
  if (in.manager.size() == 0) return pairs;
  const auto at = customers.interaction_offsets();
  std::vector<index_t> seen;
  for (index_t c = 0; c < customers.customer_count(); ++c) {
    seen.clear();
    for (std::int64_t k = at[static_cast<std::size_t>(c)];
         k < at[static_cast<std::size_t>(c) + 1] && in.day[k] <= as_of; ++k) {
      if (in.manager[k] != no_index) seen.push_back(in.manager[k]);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (const index_t m : seen) {
      pairs.first.push_back(c);
      pairs.second.push_back(m);
    }
  }
  return pairs;
}

std::string describe(const stage_table& stages, std::size_t row, const stage_policy& policy) {
  const stage current = stages.current[row];
  const stage reached = stages.reached[row];
  const auto value = [&](criterion c) {
    return stages.values[static_cast<std::size_t>(c)][static_cast<Eigen::Index>(row)];
  };
  std::string text(stage_name(current));
  if (current != reached) {
    text += " (kept within the " + std::to_string(policy.grace_days) + "-day grace period; the criteria give " +
            std::string(stage_name(reached)) + ")";
  }
  std::string held;
  for (int k = 1; k < criterion_count; ++k) {
    const auto c = static_cast<criterion>(k);
    if (criterion_stage(c) != reached) continue;
    held += (held.empty() ? "" : ", ") + std::string(criterion_name(c)) + " " + number(value(c)) +
            (criterion_is_maximum(c) ? " <= " : " >= ") + number(policy.threshold(c));
  }
  if (!held.empty()) text += ": " + held;
  return text + next_step(stages.blocking[row], value(stages.blocking[row]), policy);
}

categorical summarize_reasons(const stage_table& stages, const stage_policy& policy) {
  categorical reasons;
  const auto rows = static_cast<Eigen::Index>(stages.current.size());
  reasons.codes.resize(rows);
  // Rows with the same stages, blocking criterion and (rounded) value share one text.
  std::map<std::tuple<stage, stage, criterion, std::int64_t>, index_t> seen;
  for (Eigen::Index row = 0; row < rows; ++row) {
    const auto r = static_cast<std::size_t>(row);
    const criterion blocking = stages.blocking[r];
    const double value = stages.values[static_cast<std::size_t>(blocking)][row];
    const auto key = std::make_tuple(stages.current[r], stages.reached[r], blocking, std::llround(value * 100));
    auto [it, inserted] = seen.try_emplace(key, static_cast<index_t>(reasons.categories.size()));
    if (inserted) {
      std::string text(stage_name(stages.current[r]));
      if (stages.current[r] != stages.reached[r])
        text += " (kept: the criteria give " + std::string(stage_name(stages.reached[r])) + ")";
      reasons.categories.push_back(text + next_step(blocking, value, policy));
    }
    reasons.codes[row] = it->second;
  }
  return reasons;
}

stage_history evaluate_stage_history(const book& customers, std::span<const day_t> days, const stage_policy& policy,
                                     relationship with, const execution& run) {
  for (std::size_t d = 1; d < days.size(); ++d) {
    if (days[d] <= days[d - 1]) {
      throw invalid_input({"stage_history", "days", static_cast<std::int64_t>(d), format_day(days[d])},
                          "days must be strictly ascending");
    }
  }
  stage_history history;
  history.days.assign(days.begin(), days.end());
  const auto n = static_cast<std::size_t>(customers.customer_count());
  std::vector<stage> previous(n, stage::sin_contacto);
  for (const day_t day : days) {
    stage_table t = evaluate_stages(customers, day, policy, with, run);
    for (std::size_t c = 0; c < n; ++c) {
      if (t.current[c] == previous[c]) continue;
      const criterion blocking = t.blocking[c];
      history.changes.push_back({static_cast<index_t>(c), day, previous[c], t.current[c], blocking,
                                 t.values[static_cast<std::size_t>(blocking)][static_cast<Eigen::Index>(c)]});
    }
    previous = t.current;
    history.stages.push_back(std::move(t.current));
  }
  return history;
}

}  // namespace cartera
