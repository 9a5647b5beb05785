#include "cartera/synthetic.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "detail/checks.hpp"
#include "detail/format.hpp"
#include "detail/parallel.hpp"
#include "detail/random.hpp"

namespace cartera {
namespace {

constexpr int region_count = 8;
const std::array<const char*, 6> products = {"accounts", "cards", "mortgages", "investments", "insurance", "loans"};
const std::array<const char*, 7> channels = {"digital", "email", "call", "branch", "visit", "video", "event"};
// Cumulative weights of the channels above, in percent.
constexpr std::array<int, 7> channel_cumulative = {30, 50, 70, 82, 90, 96, 100};
// Salts so each kind of event draws from its own stream of the customer.
constexpr std::uint64_t purchase_salt = 0x5EEDull, contact_salt = 0xC0FFEEull, complaint_salt = 0xBADull,
                        campaign_salt = 0xCA4Bull, profile_salt = 0xF1E1Dull, people_salt = 0x9E0Bull;
// Areas, on our side (managers) and on theirs (the people at a business customer).
constexpr std::array<const char*, 4> areas = {"sales", "finance", "systems", "management"};
constexpr std::array<const char*, 4> roles = {"purchasing", "finance manager", "systems manager", "general manager"};
// The fields of the default question bank (cartera.QUESTION_BANK): what customers told us.
constexpr std::array<const char*, 8> profile_fields = {
    "goals",      "contact_preference", "other_providers", "improvement",
    "occupation", "decision_makers",    "family",          "birthday"};
constexpr std::array<int, 4> campaign_days_before_end = {300, 200, 90, 10};

struct profile {
  int region;
  synthetic_behaviour behaviour;
  day_t since;
  double ticket;         // mean purchase amount
  double purchase_rate;  // purchases per day
  double contact_rate;   // contacts per day
  double margin_rate;
  index_t manager;
  bool complains;
  index_t referrer;
  day_t active_from;  // first day of history the customer can buy
  day_t change;       // behaviour changes from this day
  day_t lapse;        // lapsed customers stop on this day; others after the end
  bool reachable;
  double profile;  // share of their information the customer shared
};

profile draw_profile(const synthetic_options& o, std::int64_t c) {
  detail::random_stream r(o.seed, static_cast<std::uint64_t>(c));
  const day_t start = o.end - o.history_days + 1;
  profile p{};
  p.region = static_cast<int>(r.below(region_count));
  const double u = r.uniform();
  p.behaviour = u < o.declining_share                                      ? synthetic_behaviour::declining
                : u < o.declining_share + o.growing_share                  ? synthetic_behaviour::growing
                : u < o.declining_share + o.growing_share + o.lapsed_share ? synthetic_behaviour::lapsed
                                                                           : synthetic_behaviour::steady;
  p.since = r.chance(0.6) ? start - 1 - static_cast<day_t>(r.below(8 * 365))
                          : start + static_cast<day_t>(r.below(static_cast<std::uint64_t>(o.history_days)));
  // Pareto tail index 1.3: roughly the top 20 % of customers bring 80 % of the value.
  p.ticket = std::min(r.pareto(50.0, 1.3), 50'000.0);
  p.purchase_rate = o.transactions_per_customer / o.history_days * std::exp(0.7 * r.normal() - 0.245);
  p.contact_rate = o.interactions_per_customer / o.history_days * std::exp(0.5 * r.normal() - 0.125);
  p.margin_rate = 0.10 + 0.30 * r.uniform();
  const bool managed = r.chance(o.managed_share);
  if (managed && o.managers > 0) {
    // Manager i serves region i % 8; pick one of the customer's region when there is one.
    const index_t in_region = (o.managers - p.region + region_count - 1) / region_count;
    p.manager = in_region > 0
                    ? p.region + region_count * static_cast<index_t>(r.below(static_cast<std::uint64_t>(in_region)))
                    : static_cast<index_t>(r.below(static_cast<std::uint64_t>(o.managers)));
  } else {
    p.manager = no_index;
  }
  p.complains = r.chance(o.complaint_share);
  p.referrer =
      c > 0 && r.chance(o.referred_share) ? static_cast<index_t>(r.below(static_cast<std::uint64_t>(c))) : no_index;
  p.active_from = std::max(start, p.since);
  p.change = o.end - o.change_days + 1;
  p.lapse = p.behaviour == synthetic_behaviour::lapsed ? p.change - static_cast<day_t>(r.below(180)) : o.end + 1;
  p.reachable = r.chance(0.97);
  // Customers in closer contact tend to have shared more about themselves.
  p.profile =
      std::round(std::clamp(0.6 * r.uniform() + 0.2 * p.contact_rate * o.history_days / o.interactions_per_customer,
                            0.0, 1.0) *
                 100.0) /
      100.0;
  return p;
}

double rate_factor(const profile& p, double t) {
  if (t < p.change) return 1.0;
  switch (p.behaviour) {
    case synthetic_behaviour::declining:
      return 0.25;
    case synthetic_behaviour::growing:
      return 3.0;
    default:
      return 1.0;
  }
}

// Calls emit(day) for each event of a Poisson process with the profile's rate, from
// active_from to the end (or the lapse day); the rate may change at p.change, which the
// memoryless property lets us handle by restarting the clock there.
template <typename Emit>
void poisson_days(const profile& p, double base_rate, day_t end, detail::random_stream& r, Emit&& emit) {
  const double stop = std::min<double>(end + 1, p.lapse);
  double t = p.active_from;
  while (true) {
    const double rate = base_rate * rate_factor(p, t);
    double next = t + r.exponential(rate);
    if (t < p.change && next >= p.change && rate_factor(p, p.change) != 1.0) {
      t = p.change;
      continue;
    }
    if (next >= stop) return;
    t = next;
    emit(static_cast<day_t>(std::floor(t)));
  }
}

std::string numbered(const char* prefix, std::int64_t number, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%s%0*lld", prefix, digits, static_cast<long long>(number));
  return text;
}

}  // namespace

void synthetic_options::validate() const {
  const detail::policy_checks require("synthetic_options");
  require(customers >= 0, "customers", customers, "must be >= 0");
  require(managers >= 0, "managers", managers, "must be >= 0");
  require(history_days > change_days + 180 && history_days <= 36500, "history_days", history_days,
          "must exceed change_days + 180 and be at most 36500");
  require(change_days > 0, "change_days", change_days, "must be positive");
  require(end - history_days >= first_valid_day && end <= last_valid_day, "end", end, "history must lie in 1900..2199");
  require(transactions_per_customer > 0, "transactions_per_customer", transactions_per_customer, "must be positive");
  require(interactions_per_customer > 0, "interactions_per_customer", interactions_per_customer, "must be positive");
  for (const double share : {declining_share, growing_share, lapsed_share, complaint_share, referred_share,
                             managed_share, campaign_share, business_share}) {
    require(share >= 0 && share <= 1, "share", share, "shares must be in [0, 1]");
  }
  require(declining_share + growing_share + lapsed_share <= 1, "declining_share + growing_share + lapsed_share",
          declining_share + growing_share + lapsed_share, "must be at most 1");
}

std::vector<synthetic_behaviour> synthetic_behaviours(const synthetic_options& options) {
  options.validate();
  std::vector<synthetic_behaviour> result(static_cast<std::size_t>(options.customers));
  for (index_t c = 0; c < options.customers; ++c)
    result[static_cast<std::size_t>(c)] = draw_profile(options, c).behaviour;
  return result;
}

// Long on purpose: two passes over the customers, each from its own random streams (event
// counts, then the events written in place at the offsets the first pass left), then the
// book; apart, the passes would hand the offsets and profiles to each other.
book synthetic_book(const synthetic_options& o, const execution& run) {
  o.validate();
  const std::int64_t n = o.customers;
  std::vector<profile> profiles(static_cast<std::size_t>(n));
  std::vector<std::int64_t> tx_at(static_cast<std::size_t>(n) + 1, 0), in_at(static_cast<std::size_t>(n) + 1, 0);

  // Pass 1: profiles and event counts, so pass 2 can write straight into place.
  detail::parallel_for(n, run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t c = begin; c < end; ++c) {
      const profile& p = profiles[static_cast<std::size_t>(c)] = draw_profile(o, c);
      std::int64_t purchases = 0, contacts = 0;
      detail::random_stream buy(o.seed ^ purchase_salt, static_cast<std::uint64_t>(c));
      poisson_days(p, p.purchase_rate, o.end, buy, [&](day_t) { ++purchases; });
      detail::random_stream talk(o.seed ^ contact_salt, static_cast<std::uint64_t>(c));
      poisson_days(p, p.contact_rate, o.end, talk, [&](day_t) { ++contacts; });
      tx_at[static_cast<std::size_t>(c) + 1] = purchases;
      in_at[static_cast<std::size_t>(c) + 1] = contacts;
    }
  });
  std::partial_sum(tx_at.begin(), tx_at.end(), tx_at.begin());
  std::partial_sum(in_at.begin(), in_at.end(), in_at.begin());

  transaction_table tx;
  const auto tx_rows = static_cast<Eigen::Index>(tx_at.back());
  tx.customer.resize(tx_rows);
  tx.day.resize(tx_rows);
  tx.amount.resize(tx_rows);
  tx.margin.resize(tx_rows);
  tx.product.categories.assign(products.begin(), products.end());
  tx.product.codes.resize(tx_rows);
  tx.proactive.resize(tx_rows);

  interaction_table in;
  const auto in_rows = static_cast<Eigen::Index>(in_at.back());
  in.customer.resize(in_rows);
  in.manager.resize(in_rows);
  in.day.resize(in_rows);
  in.channel.categories.assign(channels.begin(), channels.end());
  in.channel.codes.resize(in_rows);
  in.proactive.resize(in_rows);
  in.relational.resize(in_rows);
  in.two_way.resize(in_rows);

  // Pass 2: the same streams again, now writing the events.
  detail::parallel_for(n, run, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t c = begin; c < end; ++c) {
      const profile& p = profiles[static_cast<std::size_t>(c)];
      const auto customer = static_cast<index_t>(c);
      detail::random_stream buy(o.seed ^ purchase_salt, static_cast<std::uint64_t>(c));
      detail::random_stream extra(o.seed ^ purchase_salt ^ 1, static_cast<std::uint64_t>(c));
      std::int64_t k = tx_at[static_cast<std::size_t>(c)];
      poisson_days(p, p.purchase_rate, o.end, buy, [&](day_t day) {
        const double amount = std::round(p.ticket * std::exp(0.4 * extra.normal() - 0.08) * 100.0) / 100.0;
        tx.customer[k] = customer;
        tx.day[k] = day;
        tx.amount[k] = amount;
        tx.margin[k] = std::round(amount * p.margin_rate * 100.0) / 100.0;
        tx.product.codes[k] = static_cast<index_t>(extra.below(products.size()));
        tx.proactive[k] = extra.chance(0.3) ? 1 : 0;
        ++k;
      });
      detail::random_stream talk(o.seed ^ contact_salt, static_cast<std::uint64_t>(c));
      detail::random_stream how(o.seed ^ contact_salt ^ 1, static_cast<std::uint64_t>(c));
      k = in_at[static_cast<std::size_t>(c)];
      poisson_days(p, p.contact_rate, o.end, talk, [&](day_t day) {
        const auto pick = static_cast<int>(how.below(100));
        index_t channel = 0;
        while (pick >= channel_cumulative[static_cast<std::size_t>(channel)]) ++channel;
        const bool personal = channel >= 2 && channel != 3;  // call, visit, video, event
        in.customer[k] = customer;
        in.manager[k] = personal && how.chance(0.8) ? p.manager : no_index;
        in.day[k] = day;
        in.channel.codes[k] = channel;
        in.proactive[k] = how.chance(0.5) ? 1 : 0;
        in.relational[k] = how.chance(personal ? 0.45 : 0.15) ? 1 : 0;
        in.two_way[k] = how.chance(personal ? 0.8 : 0.3) ? 1 : 0;
        ++k;
      });
    }
  });

  // Customers, complaints and referrals: one pass in customer order (small tables).
  std::vector<std::string> ids(static_cast<std::size_t>(n));
  customer_table customers;
  customers.since.resize(n);
  customers.region.categories.reserve(region_count);
  for (int r = 1; r <= region_count; ++r) customers.region.categories.push_back("R" + std::to_string(r));
  customers.region.codes.resize(n);
  customers.manager.resize(n);
  customers.reachable.resize(n);
  customers.profile.resize(n);
  complaint_table complaints;
  std::vector<index_t> complaint_customer, referrer, referred;
  std::vector<day_t> opened, resolved, referral_day;
  std::vector<std::uint8_t> first_contact;
  for (std::int64_t c = 0; c < n; ++c) {
    const profile& p = profiles[static_cast<std::size_t>(c)];
    ids[static_cast<std::size_t>(c)] = numbered("C", c + 1, 7);
    customers.since[c] = p.since;
    customers.region.codes[c] = p.region;
    customers.manager[c] = p.manager;
    customers.reachable[c] = p.reachable ? 1 : 0;
    customers.profile[c] = p.profile;
    detail::random_stream r(o.seed ^ complaint_salt, static_cast<std::uint64_t>(c));
    if (p.complains) {
      const day_t day =
          p.active_from + static_cast<day_t>(r.below(static_cast<std::uint64_t>(o.end - p.active_from + 1)));
      const day_t fixed = day + 1 + static_cast<day_t>(r.below(45));
      const bool closed = r.chance(0.8) && fixed <= o.end;
      complaint_customer.push_back(static_cast<index_t>(c));
      opened.push_back(day);
      resolved.push_back(closed ? fixed : no_day);
      first_contact.push_back(closed && r.chance(0.5) ? 1 : 0);
    }
    if (p.referrer != no_index) {
      referrer.push_back(p.referrer);
      referred.push_back(static_cast<index_t>(c));
      referral_day.push_back(p.active_from);
    }
  }
  customers.id = id_index(std::move(ids), "customers");

  const auto to_int = [](const std::vector<std::int32_t>& v) {
    return int_column(Eigen::Map<const int_column>(v.data(), static_cast<Eigen::Index>(v.size())));
  };
  complaints.customer = to_int(complaint_customer);
  complaints.opened = to_int(opened);
  complaints.resolved = to_int(resolved);
  complaints.first_contact =
      Eigen::Map<const flag_column>(first_contact.data(), static_cast<Eigen::Index>(first_contact.size()));
  referral_table referrals{to_int(referrer), to_int(referred), to_int(referral_day)};

  manager_table managers;
  std::vector<std::string> manager_ids(static_cast<std::size_t>(o.managers));
  managers.region.categories = customers.region.categories;
  managers.region.codes.resize(o.managers);
  for (index_t i = 0; i < o.managers; ++i) {
    manager_ids[static_cast<std::size_t>(i)] = numbered("M", i + 1, 5);
    managers.region.codes[i] = i % region_count;
  }
  managers.id = id_index(std::move(manager_ids), "managers");
  managers.capacity = int_column::Constant(o.managers, 100);
  managers.time_budget = real_column::Constant(o.managers, 4800.0);  // 80 hours a period
  managers.area.categories.assign(areas.begin(), areas.end());
  managers.area.codes.resize(o.managers);
  for (index_t i = 0; i < o.managers; ++i) managers.area.codes[i] = i % static_cast<index_t>(areas.size());

  // Central campaigns: each reaches its share of the customers known on its day.
  campaign_table campaigns;
  std::vector<index_t> reached;
  std::vector<day_t> campaign_day;
  std::vector<std::int32_t> campaign_code;
  for (std::size_t k = 0; k < campaign_days_before_end.size(); ++k) {
    const day_t day = o.end - campaign_days_before_end[k];
    campaigns.campaign.categories.push_back("mailing " + format_day(day));
    for (std::int64_t c = 0; c < n; ++c) {
      detail::random_stream r(o.seed ^ campaign_salt ^ (k << 48), static_cast<std::uint64_t>(c));
      if (profiles[static_cast<std::size_t>(c)].active_from <= day && r.chance(o.campaign_share)) {
        reached.push_back(static_cast<index_t>(c));
        campaign_day.push_back(day);
        campaign_code.push_back(static_cast<std::int32_t>(k));
      }
    }
  }
  campaigns.customer = to_int(reached);
  campaigns.day = to_int(campaign_day);
  campaigns.campaign.codes = to_int(campaign_code);

  // The profile: each field told, with the customer's profile share, on a day of their
  // history, to their manager.
  profile_table profile;
  std::vector<index_t> told_by_customer, told_to;
  std::vector<day_t> told_on;
  std::vector<std::int32_t> told_field;
  for (std::int64_t c = 0; c < n; ++c) {
    const struct profile& p = profiles[static_cast<std::size_t>(c)];
    detail::random_stream r(o.seed ^ profile_salt, static_cast<std::uint64_t>(c));
    for (std::size_t f = 0; f < profile_fields.size(); ++f) {
      if (!r.chance(p.profile)) continue;
      told_by_customer.push_back(static_cast<index_t>(c));
      told_on.push_back(p.active_from +
                        static_cast<day_t>(r.below(static_cast<std::uint64_t>(o.end - p.active_from + 1))));
      told_field.push_back(static_cast<std::int32_t>(f));
      told_to.push_back(p.manager);
    }
  }
  for (const char* field : profile_fields) profile.field.categories.emplace_back(field);

  // The people at the business customers (one in five): one to three, each of an area,
  // their data checked on a day of the customer's history (one in ten never).
  people_table people;
  std::vector<index_t> at_customer;
  std::vector<std::int32_t> person_code, role_code, updated;
  std::vector<std::string> names;
  for (std::int64_t c = 0; c < n; ++c) {
    detail::random_stream r(o.seed ^ people_salt, static_cast<std::uint64_t>(c));
    if (!r.chance(o.business_share)) continue;
    const struct profile& p = profiles[static_cast<std::size_t>(c)];
    const auto count = 1 + static_cast<int>(r.below(3));
    for (int k = 0; k < count; ++k) {
      at_customer.push_back(static_cast<index_t>(c));
      person_code.push_back(static_cast<std::int32_t>(names.size()));
      names.push_back(numbered("P", c + 1, 7) + "-" + std::to_string(k + 1));
      role_code.push_back(static_cast<std::int32_t>(r.below(roles.size())));
      updated.push_back(r.chance(0.1)
                            ? no_day
                            : p.active_from +
                                  static_cast<day_t>(r.below(static_cast<std::uint64_t>(o.end - p.active_from + 1))));
    }
  }
  people.customer = to_int(at_customer);
  people.person.categories = std::move(names);
  people.person.codes = to_int(person_code);
  people.role.categories.assign(roles.begin(), roles.end());
  people.role.codes = to_int(role_code);
  people.area.categories.assign(areas.begin(), areas.end());
  people.area.codes = people.role.codes;  // each role belongs to the area of the same rank
  people.updated = to_int(updated);
  profile.customer = to_int(told_by_customer);
  profile.field.codes = to_int(told_field);
  profile.learned = to_int(told_on);
  profile.by = to_int(told_to);

  return book(std::move(customers), std::move(managers), std::move(tx), std::move(in), std::move(complaints),
              std::move(referrals), std::move(campaigns), std::move(profile), std::move(people));
}

}  // namespace cartera
