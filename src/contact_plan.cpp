#include "cartera/contact_plan.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string>
#include <tuple>
#include <unordered_map>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/text_codes.hpp"

namespace cartera {
namespace {

constexpr double golden = 0.6180339887498949;

// A uniform number in [0, 1) fixed for each customer: spreads first contacts over the
// interval and channels over the mix, the same on every run.
double customer_fraction(index_t c) {
  std::uint64_t x = static_cast<std::uint64_t>(c) + 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

int weekday(day_t d) { return static_cast<int>(((d % 7) + 7 + 3) % 7); }  // 1970-01-01 was a Thursday; Monday = 0

using detail::text_codes;

struct want {
  index_t customer;
  day_t due;
  contact_purpose purpose;
  std::int32_t occurrence;  // cadence: 0 for the customer's first in the horizon
  double priority;          // alert priority
  index_t tier;
  index_t channel;
  double minutes;
  index_t reason;  // code into the plan's reason texts
};

// Whether one more contact on day `d` keeps every window of `period` days that holds it at
// or under `cap` contacts, given the customer's other contact days (sorted). A window's
// count only rises when its end reaches a contact, so the windows to check are the first
// one holding d and those ending on a contact at or after d.
bool cap_allows(const std::vector<day_t>& days, day_t d, int period, int cap) {
  if (cap <= 0) return false;
  const auto count_from = [&](day_t first) {
    const auto lo = std::lower_bound(days.begin(), days.end(), first);
    const auto hi = std::lower_bound(days.begin(), days.end(), first + period);
    return static_cast<int>(hi - lo);
  };
  if (count_from(d - period + 1) + 1 > cap) return false;
  for (auto it = std::lower_bound(days.begin(), days.end(), d); it != days.end() && *it < d + period; ++it) {
    if (count_from(*it - period + 1) + 1 > cap) return false;
  }
  return true;
}

// The channel of a contact: the customer's preferred one when the tier × stage mix uses
// it; else, for the n-th cadence contact, the mix sampled along a golden-ratio sequence
// (so over many contacts the mix is met); for alerts and follow-ups the mix's main channel;
// with an empty mix the preferred channel, or the quickest one.
index_t choose_channel(const contact_policy& policy, const cadence_rule& rule, index_t preferred, index_t customer,
                       int sequence, bool cadence) {
  if (preferred != no_index && rule.mix[static_cast<std::size_t>(preferred)] > 0) return preferred;
  const double total = std::accumulate(rule.mix.begin(), rule.mix.end(), 0.0);
  if (total <= 0) {
    if (preferred != no_index) return preferred;
    return static_cast<index_t>(std::min_element(policy.minutes.begin(), policy.minutes.end()) -
                                policy.minutes.begin());
  }
  if (!cadence) return static_cast<index_t>(std::max_element(rule.mix.begin(), rule.mix.end()) - rule.mix.begin());
  double u = customer_fraction(customer) + sequence * golden;
  u = (u - std::floor(u)) * total;
  for (std::size_t ch = 0; ch < rule.mix.size(); ++ch) {
    if (u < rule.mix[ch]) return static_cast<index_t>(ch);
    u -= rule.mix[ch];
  }
  return static_cast<index_t>(std::max_element(rule.mix.begin(), rule.mix.end()) - rule.mix.begin());
}

using detail::format_number;

}  // namespace

std::string_view purpose_name(contact_purpose p) {
  switch (p) {
    case contact_purpose::alert:
      return "alert";
    case contact_purpose::follow_up:
      return "follow_up";
    case contact_purpose::cadence:
      break;
  }
  return "cadence";
}

std::string_view unmet_name(unmet_reason r) { return r == unmet_reason::time_budget ? "time_budget" : "contact_cap"; }

std::string_view status_name(customer_plan_status s) {
  static constexpr std::string_view names[] = {"planned",     "partly",     "not_planned",
                                               "nothing_due", "no_manager", "unreachable"};
  return names[static_cast<std::size_t>(s)];
}

std::vector<index_t> preferred_channels(const book& b, day_t as_of, const contact_policy& policy) {
  policy.validate();
  const auto& in = b.interactions();
  const auto offsets = b.interaction_offsets();
  // The book's channel codes → policy channels.
  std::vector<index_t> to_policy(in.channel.categories.size(), no_index);
  for (std::size_t k = 0; k < to_policy.size(); ++k) to_policy[k] = policy.channel_of(in.channel.categories[k]);
  const bool have_channel = in.channel.codes.size() > 0;
  const bool have_two_way = in.two_way.size() > 0;
  std::vector<index_t> preferred(static_cast<std::size_t>(b.customer_count()), no_index);
  std::vector<std::int32_t> count(policy.channels.size());
  std::vector<day_t> latest(policy.channels.size());
  for (index_t c = 0; c < b.customer_count(); ++c) {
    if (!have_channel) break;
    std::fill(count.begin(), count.end(), 0);
    std::fill(latest.begin(), latest.end(), no_day);
    for (auto row = offsets[static_cast<std::size_t>(c)]; row < offsets[static_cast<std::size_t>(c) + 1]; ++row) {
      const auto r = static_cast<Eigen::Index>(row);
      if (in.day[r] >= as_of) break;
      if (in.day[r] < as_of - policy.preference_days || (have_two_way && in.two_way[r] == 0)) continue;
      const index_t code = in.channel.codes[r];
      const index_t ch = code == no_index ? no_index : to_policy[static_cast<std::size_t>(code)];
      if (ch == no_index) continue;
      ++count[static_cast<std::size_t>(ch)];
      latest[static_cast<std::size_t>(ch)] = in.day[r];
    }
    index_t best = no_index;
    for (std::size_t ch = 0; ch < count.size(); ++ch) {
      if (count[ch] == 0) continue;
      if (best == no_index || std::tie(count[ch], latest[ch]) > std::tie(count[static_cast<std::size_t>(best)],
                                                                         latest[static_cast<std::size_t>(best)])) {
        best = static_cast<index_t>(ch);
      }
    }
    preferred[static_cast<std::size_t>(c)] = best;
  }
  return preferred;
}

namespace {

// Throws invalid_input naming the input, row and value of the first problem.
void check_inputs(const book& b, const contact_inputs& inputs, day_t start, int days, const contact_policy& policy) {
  const auto count = static_cast<std::size_t>(b.customer_count());
  const auto managers = static_cast<index_t>(inputs.time_budget.size());
  if (days < 1) throw invalid_input({"contact_plan", "days", -1, std::to_string(days)}, "must be >= 1");
  if (start < first_valid_day || start > last_valid_day) {
    throw invalid_input({"contact_plan", "start", -1, std::to_string(start)},
                        "must be a day between 1900-01-01 and 2199-12-31");
  }
  using detail::check_size;
  using detail::counted;
  check_size("contact_inputs", "manager", inputs.manager.size(), count, "customer");
  check_size("contact_inputs", "tier", inputs.tier.size(), count, "customer");
  check_size("contact_inputs", "stage", inputs.stages.size(), count, "customer");
  check_size("contact_inputs", "preferred_channel", inputs.preferred_channel.size(), count, "customer", counted::rows,
             true);
  check_size("contact_inputs", "max_contacts", inputs.max_contacts.size(), count, "customer", counted::rows, true);
  for (index_t m = 0; m < managers; ++m) {
    const double budget = inputs.time_budget[static_cast<std::size_t>(m)];
    if (!(budget >= 0) || !std::isfinite(budget)) {
      throw invalid_input({"managers", "time_budget", m, format_number(budget)},
                          "minutes per period must be finite and >= 0");
    }
  }
  const auto tiers = static_cast<index_t>(policy.tiers.size());
  const auto channels = static_cast<index_t>(policy.channels.size());
  for (std::size_t c = 0; c < count; ++c) {
    const auto row = static_cast<std::int64_t>(c);
    if (inputs.manager[c] < no_index || inputs.manager[c] >= managers) {
      throw unknown_id({"customers", "manager", row, std::to_string(inputs.manager[c])}, "no such manager");
    }
    if (inputs.tier[c] < 0 || inputs.tier[c] >= tiers) {
      throw invalid_input({"customers", "tier", row, std::to_string(inputs.tier[c])},
                          "no such tier in the contact policy");
    }
    if (static_cast<int>(inputs.stages[c]) >= stage_count) {
      throw invalid_input({"customers", "stage", row, std::to_string(static_cast<int>(inputs.stages[c]))},
                          "no such stage");
    }
    if (!inputs.preferred_channel.empty() &&
        (inputs.preferred_channel[c] < no_index || inputs.preferred_channel[c] >= channels)) {
      throw invalid_input({"customers", "preferred_channel", row, std::to_string(inputs.preferred_channel[c])},
                          "no such channel in the contact policy");
    }
    if (!inputs.max_contacts.empty() && inputs.max_contacts[c] < -1) {
      throw invalid_input({"customers", "max_contacts", row, std::to_string(inputs.max_contacts[c])},
                          "must be >= 0 (-1: the policy's)");
    }
  }
  if (inputs.alerts) {
    const alert_table& a = *inputs.alerts;
    if (a.kind.size() != a.customer.size() || a.priority.size() != a.customer.size() ||
        a.urgent.size() != a.customer.size()) {
      throw invalid_input({"alerts", "customer", -1, std::to_string(a.customer.size()) + " rows"},
                          "every column of the alert table needs one row per alert");
    }
    for (std::size_t k = 0; k < a.customer.size(); ++k) {
      if (a.customer[k] < 0 || a.customer[k] >= b.customer_count()) {
        throw unknown_id({"alerts", "customer", static_cast<std::int64_t>(k), std::to_string(a.customer[k])},
                         "no such customer");
      }
    }
  }
  if (inputs.campaigns) {
    const campaign_table& t = *inputs.campaigns;
    detail::check_size("campaigns", "day", t.day.size(), t.customer.size(), "campaign contact");
    for (Eigen::Index r = 0; r < t.customer.size(); ++r) {
      if (t.customer[r] < 0 || t.customer[r] >= b.customer_count()) {
        throw unknown_id({"campaigns", "customer", r, std::to_string(t.customer[r])}, "no such customer");
      }
      if (t.day[r] < first_valid_day || t.day[r] > last_valid_day) {
        throw invalid_input({"campaigns", "day", r, std::to_string(t.day[r])},
                            "must be a day between 1900-01-01 and 2199-12-31");
      }
    }
  }
  if (inputs.responses) {
    const campaign_responses& r = *inputs.responses;
    for (std::size_t k = 0; k < r.row.size(); ++k) {
      if (r.row[k] < 0 || r.row[k] >= b.campaigns().customer.size() || k >= r.outcome.size() ||
          k >= r.response_day.size() || k >= r.bought.size()) {
        throw invalid_input({"campaign_responses", "row", static_cast<std::int64_t>(k), std::to_string(r.row[k])},
                            "no such row in the book's campaigns");
      }
    }
  }
}

// The texts of reasons and notes, each coded once.
class plan_texts {
 public:
  plan_texts(contact_plan& plan, const contact_inputs& inputs, const contact_policy& policy,
             const interaction_table& in)
      : reasons_(plan.contacts.reason),
        notes_(plan.contacts.last_note),
        inputs_(inputs),
        policy_(policy),
        in_(in),
        cadence_(policy.tiers.size() * stage_count, no_index) {
    notes_by_flags_.fill(no_index);
  }

  index_t reason(const std::string& text) { return reasons_(text); }

  // "valuable_complainer (urgent), declining": a customer's alert rows, most urgent first.
  index_t alerts(std::span<const std::size_t> rows) {
    std::string text;
    for (const std::size_t row : rows) {
      text += std::string(text.empty() ? "" : ", ") + std::string(alert_name(inputs_.alerts->kind[row])) +
              (inputs_.alerts->urgent[row] ? " (urgent)" : "");
    }
    return reasons_(text);
  }

  index_t cadence(index_t tier, stage s) {
    index_t& code = cadence_[static_cast<std::size_t>(tier) * stage_count + static_cast<std::size_t>(s)];
    if (code == no_index) {
      code = reasons_("cadence: " + policy_.tiers[static_cast<std::size_t>(tier)] + " × " + std::string(stage_name(s)) +
                      ", " + format_number(policy_.rule(tier, s).contacts) + " per " +
                      std::to_string(policy_.period_days) + " days");
    }
    return code;
  }

  // The last interaction in words ("customer-initiated, two-way, relational") from the flags
  // the book has; "" when there is none.
  index_t note(Eigen::Index last) {
    if (last < 0) return notes_("");
    // Each flag the book has: absent 0, set 1, clear 2, as one base-3 digit.
    const auto digit = [&](const flag_column& column) { return column.size() == 0 ? 0 : column[last] ? 1 : 2; };
    const int key = digit(in_.proactive) + 3 * digit(in_.two_way) + 9 * digit(in_.relational);
    index_t& code = notes_by_flags_[static_cast<std::size_t>(key)];
    if (code != no_index) return code;
    std::string text;
    const auto word = [&](const flag_column& column, const char* yes, const char* no) {
      if (column.size() > 0) text += std::string(text.empty() ? "" : ", ") + (column[last] ? yes : no);
    };
    word(in_.proactive, "proactive", "customer-initiated");
    word(in_.two_way, "two-way", "one-way");
    word(in_.relational, "relational", "transactional");
    return code = notes_(text.empty() ? "contact" : text);
  }

 private:
  text_codes reasons_;
  text_codes notes_;
  const contact_inputs& inputs_;
  const contact_policy& policy_;
  const interaction_table& in_;
  std::vector<index_t> cadence_;
  std::array<index_t, 27> notes_by_flags_;
};

// Pass one, in customer order (the book's layout, so memory is read in sequence): every
// customer's wants, the days that count toward their cap, and their last interaction.
struct gathered {
  std::vector<want> wants;
  std::vector<std::int64_t> cap_offsets;  // customer c's cap days: cap_days[cap_offsets[c], cap_offsets[c + 1])
  std::vector<day_t> cap_days;
  std::vector<Eigen::Index> last;  // last interaction row before the horizon, -1 for none
  std::vector<alert_kind> first_alert;
};

// Long on purpose: every input is checked and gathered in one place, in the order the
// errors are reported (sizes, then values, then references).
gathered gather(const book& b, const contact_inputs& inputs, day_t start, int days, const contact_policy& policy,
                std::span<const index_t> preferred, plan_texts& texts, customer_plan& cp) {
  const auto count = static_cast<std::size_t>(b.customer_count());
  const auto& in = b.interactions();
  const auto offsets = b.interaction_offsets();
  const int period = policy.period_days;
  const day_t end = start + days;
  gathered g;
  g.cap_offsets.assign(count + 1, 0);
  g.last.assign(count, -1);
  g.first_alert.assign(count, alert_kind::below_zero);

  // Alerts by customer, most urgent first.
  std::vector<std::size_t> alert_rows;
  std::vector<std::int64_t> alert_offsets(count + 1, 0);
  if (inputs.alerts) {
    const alert_table& a = *inputs.alerts;
    for (const index_t c : a.customer) ++alert_offsets[static_cast<std::size_t>(c) + 1];
    std::partial_sum(alert_offsets.begin(), alert_offsets.end(), alert_offsets.begin());
    alert_rows.resize(a.customer.size());
    std::vector<std::int64_t> next(alert_offsets.begin(), alert_offsets.end() - 1);
    for (std::size_t k = 0; k < a.customer.size(); ++k)
      alert_rows[static_cast<std::size_t>(next[static_cast<std::size_t>(a.customer[k])]++)] = k;
    for (std::size_t c = 0; c < count; ++c) {
      std::stable_sort(alert_rows.begin() + alert_offsets[c], alert_rows.begin() + alert_offsets[c + 1],
                       [&](std::size_t x, std::size_t y) { return a.priority[x] > a.priority[y]; });
    }
  }
  // Campaign contacts by customer: the ones given, or the book's.
  std::vector<std::int64_t> campaign_offsets(count + 1, 0);
  std::vector<day_t> campaign_days;
  {
    const campaign_table& t = inputs.campaigns ? *inputs.campaigns : b.campaigns();
    for (Eigen::Index r = 0; r < t.customer.size(); ++r)
      ++campaign_offsets[static_cast<std::size_t>(t.customer[r]) + 1];
    std::partial_sum(campaign_offsets.begin(), campaign_offsets.end(), campaign_offsets.begin());
    campaign_days.resize(static_cast<std::size_t>(t.customer.size()));
    std::vector<std::int64_t> next(campaign_offsets.begin(), campaign_offsets.end() - 1);
    for (Eigen::Index r = 0; r < t.customer.size(); ++r) {
      campaign_days[static_cast<std::size_t>(next[static_cast<std::size_t>(t.customer[r])]++)] = t.day[r];
    }
  }

  // Each customer's latest campaign response still due a follow-up (its row in the responses).
  std::vector<std::int64_t> due_response(count, -1);
  if (inputs.responses) {
    const campaign_responses& r = *inputs.responses;
    for (std::size_t k = 0; k < r.row.size(); ++k) {
      if (r.outcome[k] != campaign_outcome::follow_up_due) continue;
      auto& due = due_response[static_cast<std::size_t>(b.campaigns().customer[r.row[k]])];
      if (due < 0 || r.response_day[k] >= r.response_day[static_cast<std::size_t>(due)])
        due = static_cast<std::int64_t>(k);
    }
  }

  const auto& people = b.customers();
  const bool have_proactive = in.proactive.size() > 0;
  for (std::size_t cu = 0; cu < count; ++cu) {
    const auto c = static_cast<index_t>(cu);
    g.cap_offsets[cu + 1] = g.cap_offsets[cu];
    if (inputs.manager[cu] == no_index) {
      cp.status[cu] = customer_plan_status::no_manager;
      continue;
    }
    if (people.reachable.size() > 0 && people.reachable[c] == 0) {
      cp.status[cu] = customer_plan_status::unreachable;
      continue;
    }
    // History before the horizon: the last interaction, the last proactive one, how many,
    // and the proactive contacts of the last period, which count toward the cap.
    day_t last_proactive = no_day;
    std::int32_t proactive_count = 0;
    const auto cap_first = g.cap_days.size();
    for (auto row = offsets[cu]; row < offsets[cu + 1]; ++row) {
      const auto r = static_cast<Eigen::Index>(row);
      if (in.day[r] >= start) break;
      g.last[cu] = r;
      if (have_proactive && in.proactive[r] == 0) continue;
      last_proactive = in.day[r];
      ++proactive_count;
      if (in.day[r] > start - period) g.cap_days.push_back(in.day[r]);
    }
    for (auto row = campaign_offsets[cu]; row < campaign_offsets[cu + 1]; ++row) {
      g.cap_days.push_back(campaign_days[static_cast<std::size_t>(row)]);
    }
    std::sort(g.cap_days.begin() + static_cast<std::ptrdiff_t>(cap_first), g.cap_days.end());
    g.cap_offsets[cu + 1] = static_cast<std::int64_t>(g.cap_days.size());

    const index_t tier = inputs.tier[cu];
    const stage s = inputs.stages[cu];
    const cadence_rule& rule = policy.rule(tier, s);
    const index_t pref = preferred[cu];
    const auto minutes = [&](index_t channel) { return policy.minutes[static_cast<std::size_t>(channel)]; };
    const Eigen::Index last = g.last[cu];
    bool answered = false;  // an alert or follow-up contact opens the horizon
    if (alert_offsets[cu + 1] > alert_offsets[cu]) {
      const std::span<const std::size_t> rows(alert_rows.data() + alert_offsets[cu],
                                              static_cast<std::size_t>(alert_offsets[cu + 1] - alert_offsets[cu]));
      g.first_alert[cu] = inputs.alerts->kind[rows.front()];
      const index_t ch = choose_channel(policy, rule, pref, c, proactive_count, false);
      g.wants.push_back({c, start, contact_purpose::alert, 0, inputs.alerts->priority[rows.front()], tier, ch,
                         minutes(ch), texts.alerts(rows)});
      answered = true;
    } else if (last >= 0 && have_proactive && in.proactive[last] == 0 &&
               (in.two_way.size() == 0 || in.two_way[last] != 0) && in.day[last] >= start - policy.follow_up_days) {
      const index_t ch = choose_channel(policy, rule, pref, c, proactive_count, false);
      const index_t code = in.channel.codes[last];
      const std::string what = code == no_index ? "contact" : in.channel.categories[static_cast<std::size_t>(code)];
      g.wants.push_back({c, start, contact_purpose::follow_up, 0, 0.0, tier, ch, minutes(ch),
                         texts.reason("follow-up of the " + what + " of " + format_day(in.day[last]))});
      answered = true;
    } else if (due_response[cu] >= 0) {
      const campaign_responses& r = *inputs.responses;
      const auto k = static_cast<std::size_t>(due_response[cu]);
      const auto row = static_cast<Eigen::Index>(r.row[k]);
      const categorical& names = b.campaigns().campaign;
      const index_t code = names.empty() ? no_index : names.codes[row];
      const std::string campaign =
          code == no_index ? "the campaign" : "campaign " + names.categories[static_cast<std::size_t>(code)];
      const index_t ch = choose_channel(policy, rule, pref, c, proactive_count, false);
      g.wants.push_back(
          {c, start, contact_purpose::follow_up, 0, 0.0, tier, ch, minutes(ch),
           texts.reason("follow-up of the response to " + campaign + " of " + format_day(b.campaigns().day[row]) +
                        " (" + (r.bought[k] ? "bought" : "contacted us") + " on " + format_day(r.response_day[k]) +
                        ")")});
      answered = true;
    }
    if (rule.contacts > 0) {
      const double interval = period / rule.contacts;
      double due = last_proactive == no_day ? -1.0 : last_proactive + interval;
      if (answered) {
        due = start + interval;
      } else if (due < start) {
        due = start + std::floor(customer_fraction(c) * std::min(interval, static_cast<double>(days)));
      }
      for (std::int32_t k = 0; due < end; due += interval, ++k) {
        const index_t ch = choose_channel(policy, rule, pref, c, proactive_count + k, true);
        g.wants.push_back({c, static_cast<day_t>(std::floor(due)), contact_purpose::cadence, k, 0.0, tier, ch,
                           minutes(ch), texts.cadence(tier, s)});
      }
    }
  }
  return g;
}

}  // namespace

// Long on purpose: one walk over the working days in order, whose state (each manager's
// minutes, each customer's caps and last contact) every step reads and changes; split, the
// steps would pass that state around.
contact_plan plan_contacts(const book& b, const contact_inputs& inputs, day_t start, int days,
                           const contact_policy& policy) {
  policy.validate();
  check_inputs(b, inputs, start, days, policy);
  const auto count = static_cast<std::size_t>(b.customer_count());
  const auto managers = static_cast<index_t>(inputs.time_budget.size());
  std::vector<index_t> learned;
  std::span<const index_t> preferred = inputs.preferred_channel;
  if (preferred.empty()) {
    learned = preferred_channels(b, start, policy);
    preferred = learned;
  }
  const auto& in = b.interactions();
  const int period = policy.period_days;
  std::vector<day_t> working;
  for (day_t d = start; d < start + days; ++d) {
    if (policy.working_days[static_cast<std::size_t>(weekday(d))]) working.push_back(d);
  }
  const double longest_contact = *std::max_element(policy.minutes.begin(), policy.minutes.end());

  contact_plan plan;
  plan.start = start;
  plan.days = days;
  auto& cp = plan.customers;
  cp.status.assign(count, customer_plan_status::nothing_due);
  cp.wanted.assign(count, 0);
  cp.planned.assign(count, 0);
  cp.minutes.assign(count, 0.0);
  cp.channel.assign(count, no_index);
  auto& mp = plan.managers;
  mp.portfolio.assign(static_cast<std::size_t>(managers), 0);
  mp.reached.assign(static_cast<std::size_t>(managers), 0);
  mp.budget.resize(static_cast<std::size_t>(managers));
  mp.planned.assign(static_cast<std::size_t>(managers), 0.0);
  mp.demand.assign(static_cast<std::size_t>(managers), 0.0);
  for (const index_t m : inputs.manager) {
    if (m != no_index) ++mp.portfolio[static_cast<std::size_t>(m)];
  }

  plan_texts texts(plan, inputs, policy, in);
  gathered g = gather(b, inputs, start, days, policy, preferred, texts, cp);

  // Wants by manager (a stable counting sort: customer order within each manager).
  std::vector<std::int64_t> first(static_cast<std::size_t>(managers) + 1, 0);
  for (const want& w : g.wants)
    ++first[static_cast<std::size_t>(inputs.manager[static_cast<std::size_t>(w.customer)]) + 1];
  std::partial_sum(first.begin(), first.end(), first.begin());
  std::vector<want> wants(g.wants.size());
  {
    std::vector<std::int64_t> next(first.begin(), first.end() - 1);
    for (const want& w : g.wants)
      wants[static_cast<std::size_t>(
          next[static_cast<std::size_t>(inputs.manager[static_cast<std::size_t>(w.customer)])]++)] = w;
    g.wants.clear();
    g.wants.shrink_to_fit();
  }

  // Pass two, manager by manager: wants in priority order, each on the working day nearest
  // its due day that has room and that the customer's cap allows.
  std::vector<double> day_used(working.size());
  std::vector<std::int32_t> slot(count, -1);  // the customer's row in `taken` while their manager is planned
  std::vector<std::vector<day_t>> taken;      // days that count toward the cap, planned ones included
  struct row {
    day_t day;
    std::size_t want;
  };
  std::vector<row> rows;
  auto& out = plan.contacts;
  std::vector<index_t> reason_rows, note_rows;
  for (index_t m = 0; m < managers; ++m) {
    const auto mu = static_cast<std::size_t>(m);
    const double budget = inputs.time_budget[mu] * days / period;
    mp.budget[mu] = budget;
    const auto begin = wants.begin() + first[mu], end = wants.begin() + first[mu + 1];
    std::sort(begin, end, [](const want& x, const want& y) {
      return std::tuple(static_cast<int>(x.purpose), -x.priority, x.occurrence, -x.tier, x.due, x.customer) <
             std::tuple(static_cast<int>(y.purpose), -y.priority, y.occurrence, -y.tier, y.due, y.customer);
    });
    std::size_t customers_here = 0;
    for (auto w = begin; w != end; ++w) {
      const auto cu = static_cast<std::size_t>(w->customer);
      if (slot[cu] >= 0) continue;
      if (taken.size() <= customers_here) taken.emplace_back();
      taken[customers_here].assign(g.cap_days.begin() + g.cap_offsets[cu], g.cap_days.begin() + g.cap_offsets[cu + 1]);
      slot[cu] = static_cast<std::int32_t>(customers_here++);
    }
    std::fill(day_used.begin(), day_used.end(), 0.0);
    const double day_cap = working.empty() ? 0.0 : budget / static_cast<double>(working.size()) + longest_contact;
    double used = 0.0;
    rows.clear();
    for (auto w = begin; w != end; ++w) {
      const auto cu = static_cast<std::size_t>(w->customer);
      std::vector<day_t>& days_taken = taken[static_cast<std::size_t>(slot[cu])];
      ++cp.wanted[cu];
      mp.demand[mu] += w->minutes;
      if (cp.channel[cu] == no_index) cp.channel[cu] = w->channel;
      const int cap =
          inputs.max_contacts.empty() || inputs.max_contacts[cu] < 0 ? policy.max_contacts : inputs.max_contacts[cu];
      std::ptrdiff_t chosen = -1;
      bool capped = false;
      if (used + w->minutes <= budget + 1e-9) {
        // Working days by distance from the due day (the earlier first on a tie).
        const auto size = static_cast<std::ptrdiff_t>(working.size());
        std::ptrdiff_t after = std::lower_bound(working.begin(), working.end(), w->due) - working.begin();
        std::ptrdiff_t before = after - 1;
        while (chosen < 0 && (before >= 0 || after < size)) {
          const bool take_before =
              after >= size || (before >= 0 && w->due - working[static_cast<std::size_t>(before)] <=
                                                   working[static_cast<std::size_t>(after)] - w->due);
          const std::ptrdiff_t d = take_before ? before-- : after++;
          const auto du = static_cast<std::size_t>(d);
          if (day_used[du] + w->minutes > day_cap + 1e-9) continue;
          if (std::binary_search(days_taken.begin(), days_taken.end(), working[du]) ||
              !cap_allows(days_taken, working[du], period, cap)) {
            capped = true;
            continue;
          }
          chosen = d;
        }
      }
      if (chosen < 0) {
        auto& u = plan.unmet;
        u.manager.push_back(m);
        u.customer.push_back(w->customer);
        u.due.push_back(w->due);
        u.channel.push_back(w->channel);
        u.minutes.push_back(w->minutes);
        u.purpose.push_back(w->purpose);
        u.reason.push_back(capped ? unmet_reason::contact_cap : unmet_reason::time_budget);
        continue;
      }
      const auto du = static_cast<std::size_t>(chosen);
      day_used[du] += w->minutes;
      used += w->minutes;
      days_taken.insert(std::upper_bound(days_taken.begin(), days_taken.end(), working[du]), working[du]);
      if (cp.planned[cu]++ == 0) ++mp.reached[mu];
      cp.minutes[cu] += w->minutes;
      rows.push_back({working[du], static_cast<std::size_t>(w - wants.begin())});
    }
    mp.planned[mu] = used;
    // The manager's contacts by day, then customer.
    std::sort(rows.begin(), rows.end(), [&](const row& x, const row& y) {
      return std::tuple(x.day, wants[x.want].customer, x.want) < std::tuple(y.day, wants[y.want].customer, y.want);
    });
    for (const row& r : rows) {
      const want& w = wants[r.want];
      const auto cu = static_cast<std::size_t>(w.customer);
      const Eigen::Index last = g.last[cu];
      out.manager.push_back(m);
      out.customer.push_back(w.customer);
      out.day.push_back(r.day);
      out.channel.push_back(w.channel);
      out.minutes.push_back(w.minutes);
      out.purpose.push_back(w.purpose);
      out.nature.push_back(policy.rule(w.tier, inputs.stages[cu]).nature);
      out.alert.push_back(w.purpose == contact_purpose::alert ? g.first_alert[cu] : alert_kind::below_zero);
      out.priority.push_back(w.priority);
      reason_rows.push_back(w.reason);
      out.last_day.push_back(last >= 0 ? in.day[last] : no_day);
      out.last_channel.push_back(last >= 0 ? in.channel.codes[last] : no_index);
      note_rows.push_back(texts.note(last));
    }
    for (auto w = begin; w != end; ++w) {
      const auto cu = static_cast<std::size_t>(w->customer);
      slot[cu] = -1;
      cp.status[cu] = cp.planned[cu] == cp.wanted[cu] ? customer_plan_status::planned
                      : cp.planned[cu] == 0           ? customer_plan_status::not_planned
                                                      : customer_plan_status::partly;
    }
  }
  out.reason.codes = Eigen::Map<const int_column>(reason_rows.data(), static_cast<Eigen::Index>(reason_rows.size()));
  out.last_note.codes = Eigen::Map<const int_column>(note_rows.data(), static_cast<Eigen::Index>(note_rows.size()));
  return plan;
}

}  // namespace cartera
