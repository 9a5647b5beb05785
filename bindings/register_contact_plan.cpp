// The contact plan and its cadence policy, returning NumPy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <optional>

#include "cartera/contact_plan.hpp"
#include "numpy_columns.hpp"
#include "policy_binding.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

constexpr const char* weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

[[noreturn]] void bad_field(const std::string& field, const std::string& value, const std::string& rule) {
  throw invalid_input({"contact_policy", field, -1, value}, rule);
}

// New channels or tiers make the cadence explicit again: the defaults where they apply,
// otherwise no contacts, for the cadence field (set after them) to fill.
void reset_cadence(contact_policy& p) {
  const bool defaults_fit = p.tiers.size() == 3 && p.channels == contact_policy{}.channels;
  p.cadence = defaults_fit ? contact_policy::default_cadence()
                           : std::vector<cadence_rule>(
                                 p.tiers.size() * stage_count,
                                 {0.0, contact_nature::transactional, std::vector<double>(p.channels.size(), 0.0)});
}

py::dict minutes_dict(const contact_policy& p) {
  py::dict minutes;
  for (std::size_t ch = 0; ch < p.channels.size(); ++ch) minutes[py::str(p.channels[ch])] = p.minutes[ch];
  return minutes;
}

void set_minutes(contact_policy& p, const py::handle& value) {
  std::vector<std::string> channels;
  std::vector<double> minutes;
  for (const auto& [channel, each] : value.cast<py::dict>()) {
    channels.push_back(py::str(channel).cast<std::string>());
    minutes.push_back(each.cast<double>());
  }
  p.channels = std::move(channels);
  p.minutes = std::move(minutes);
  reset_cadence(p);
}

void set_tiers(contact_policy& p, const py::handle& value) {
  p.tiers = value.cast<std::vector<std::string>>();
  reset_cadence(p);
}

py::dict cadence_dict(const contact_policy& p) {
  py::dict cadence;
  for (std::size_t t = 0; t < p.tiers.size(); ++t) {
    py::dict by_stage;
    for (int s = 0; s < stage_count; ++s) {
      const cadence_rule& r = p.rule(static_cast<index_t>(t), static_cast<stage>(s));
      py::dict mix;
      for (std::size_t ch = 0; ch < r.mix.size(); ++ch) {
        if (r.mix[ch] > 0) mix[py::str(p.channels[ch])] = r.mix[ch];
      }
      by_stage[py::str(std::string(stage_name(static_cast<stage>(s))))] =
          py::dict(py::arg("contacts") = r.contacts, py::arg("nature") = std::string(nature_name(r.nature)),
                   py::arg("mix") = mix);
    }
    cadence[py::str(p.tiers[t])] = by_stage;
  }
  return cadence;
}

// Sets the cells the dict names ({tier: {stage: {contacts, nature, mix}}}), keeping the others.
void set_cadence(contact_policy& p, const py::handle& given) {
  if (p.cadence.empty()) p.cadence = contact_policy::default_cadence();
  for (const auto& [tier_key, stages] : given.cast<py::dict>()) {
    const auto tier = py::str(tier_key).cast<std::string>();
    const auto t = std::find(p.tiers.begin(), p.tiers.end(), tier) - p.tiers.begin();
    if (static_cast<std::size_t>(t) == p.tiers.size()) bad_field("cadence", "'" + tier + "'", "no such tier");
    for (const auto& [stage_key, fields] : stages.cast<py::dict>()) {
      const auto stage_text = py::str(stage_key).cast<std::string>();
      int s = 0;
      while (s < stage_count && stage_name(static_cast<stage>(s)) != stage_text) ++s;
      if (s == stage_count) bad_field("cadence[" + tier + "]", "'" + stage_text + "'", "no such stage");
      cadence_rule& r = p.cadence[static_cast<std::size_t>(t) * stage_count + static_cast<std::size_t>(s)];
      const std::string where = "cadence[" + tier + ", " + stage_text + "]";
      for (const auto& [field_key, value] : fields.cast<py::dict>()) {
        const auto field = py::str(field_key).cast<std::string>();
        if (field == "contacts") {
          r.contacts = value.cast<double>();
        } else if (field == "nature") {
          const auto nature = value.cast<std::string>();
          if (nature != "relational" && nature != "transactional")
            bad_field(where + ".nature", "'" + nature + "'", "expected 'relational' or 'transactional'");
          r.nature = nature == "relational" ? contact_nature::relational : contact_nature::transactional;
        } else if (field == "mix") {
          std::fill(r.mix.begin(), r.mix.end(), 0.0);
          for (const auto& [channel_key, share] : value.cast<py::dict>()) {
            const auto channel = py::str(channel_key).cast<std::string>();
            const index_t ch = p.channel_of(channel);
            if (ch == no_index)
              bad_field(where + ".mix", "'" + channel + "'", "no such channel; the channels are the keys of minutes");
            r.mix[static_cast<std::size_t>(ch)] = share.cast<double>();
          }
        } else {
          bad_field(where, "'" + field + "'", "unknown field; the fields are contacts, nature, mix");
        }
      }
    }
  }
}

py::list working_days_list(const contact_policy& p) {
  py::list working;
  for (int d = 0; d < 7; ++d) {
    if (p.working_days[static_cast<std::size_t>(d)]) working.append(weekdays[d]);
  }
  return working;
}

void set_working_days(contact_policy& p, const py::handle& value) {
  std::array<bool, 7> working{};
  for (const auto& day : value.cast<py::list>()) {
    const auto name = day.cast<std::string>();
    const auto d = std::find_if(std::begin(weekdays), std::end(weekdays), [&](const char* w) { return name == w; }) -
                   std::begin(weekdays);
    if (d == 7) bad_field("working_days", "'" + name + "'", "expected mon, tue, wed, thu, fri, sat or sun");
    working[static_cast<std::size_t>(d)] = true;
  }
  p.working_days = working;
}

std::vector<policy_field<contact_policy>> contact_fields() {
  using p = contact_policy;
  return {
      custom<p>("minutes", minutes_dict, set_minutes,
                "Minutes per contact by channel ({'visit': 90, ...}); new channels reset the cadence."),
      custom<p>(
          "tiers", [](const p& policy) { return py::cast(policy.tiers); }, set_tiers,
          "The tiers, lowest to highest; new tiers reset the cadence."),
      custom<p>("cadence", cadence_dict, set_cadence,
                "{tier: {stage: {'contacts', 'nature', 'mix'}}}: proactive contacts per period, their nature and "
                "channel shares."),
      member("period_days", &p::period_days, "Cadences, time budgets and contact caps count per this many days."),
      member("max_contacts", &p::max_contacts,
             "Most contacts per customer in any period_days (campaigns count), unless the customer says."),
      member("follow_up_days", &p::follow_up_days,
             "A conversation the customer started this recently, not yet answered proactively, gets a follow-up."),
      member("preference_days", &p::preference_days,
             "The preferred channel is learned from the two-way contacts of this many days."),
      custom<p>("working_days", working_days_list, set_working_days,
                "The days contacts are planned on: 'mon' … 'sun'."),
  };
}

}  // namespace

// Long on purpose: one m.def per function of the concept, in the order the stubs list them.
void register_contact_plan(py::module_& m) {
  py::class_<contact_policy> policy(
      m, "ContactPolicy",
      "Cadences per tier × stage and minutes per contact by channel. Build with keywords:\n"
      "ContactPolicy(max_contacts=3, cadence={'Premium': {'intimar': {'contacts': 3}}}).");
  define_policy(policy, "ContactPolicy", contact_fields());
  policy.def(
      "workload",
      [](const contact_policy& p, const std::string& tier, const std::string& stage_text) {
        const auto t = std::find(p.tiers.begin(), p.tiers.end(), tier) - p.tiers.begin();
        if (static_cast<std::size_t>(t) == p.tiers.size()) bad_field("tiers", "'" + tier + "'", "no such tier");
        int s = 0;
        while (s < stage_count && stage_name(static_cast<stage>(s)) != stage_text) ++s;
        if (s == stage_count) bad_field("stage", "'" + stage_text + "'", "no such stage");
        return p.workload(static_cast<index_t>(t), static_cast<stage>(s));
      },
      py::arg("tier"), py::arg("stage"), "Expected minutes per period a customer of this tier and stage takes.");

  m.def(
      "plan_contacts",
      [](const book& b, const py::handle& manager, const py::handle& tier, const py::handle& stage_codes,
         const py::handle& time_budget, const py::object& preferred, const py::object& max_contacts,
         const py::object& alerts, const py::object& campaigns, const py::object& follow_up, day_t start, int days,
         const contact_policy& p) {
        const int_column managers = to_int_column(manager, "customers", "manager");
        const int_column tiers = to_int_column(tier, "customers", "tier");
        const std::vector<stage> stages = to_stages(stage_codes, "customers", "stage");
        const real_column budget = to_real_column(time_budget, "managers", "time_budget");
        const int_column pref =
            preferred.is_none() ? int_column() : to_int_column(preferred, "customers", "preferred_channel");
        const int_column caps =
            max_contacts.is_none() ? int_column() : to_int_column(max_contacts, "customers", "max_contacts");
        alert_table alert_rows;
        if (!alerts.is_none()) {
          const auto a = alerts.cast<py::dict>();
          const int_column who = to_int_column(a["customer"], "alerts", "customer");
          const int_column kind = to_int_column(a["kind"], "alerts", "kind");
          const real_column priority = to_real_column(a["priority"], "alerts", "priority");
          const flag_column urgent = to_flag_column(a["urgent"], "alerts", "urgent");
          for (Eigen::Index k = 0; k < who.size(); ++k) {
            if (kind[k] < 0 || kind[k] >= alert_kind_count)
              throw invalid_input({"alerts", "alert", k, std::to_string(kind[k])}, "no such alert");
            alert_rows.customer.push_back(who[k]);
            alert_rows.kind.push_back(static_cast<alert_kind>(kind[k]));
            alert_rows.priority.push_back(priority[k]);
            alert_rows.urgent.push_back(urgent[k]);
            alert_rows.reason.emplace_back();
          }
        }
        campaign_table campaign_rows;
        if (!campaigns.is_none()) {
          const auto c = campaigns.cast<py::tuple>();
          campaign_rows.customer = to_int_column(c[0], "campaigns", "customer");
          campaign_rows.day = to_int_column(c[1], "campaigns", "day");
        }
        contact_inputs in{span_of(managers), span_of(tiers), stages, span_of(budget), span_of(pref), span_of(caps)};
        if (!alerts.is_none()) in.alerts = &alert_rows;
        if (!campaigns.is_none()) in.campaigns = &campaign_rows;
        // (campaign policy, each customer's manager as a row of the book's managers): the
        // book's campaign responses as of the day before the plan, to follow up.
        std::optional<campaign_policy> responding;
        int_column book_managers;
        if (!follow_up.is_none()) {
          const auto pair = follow_up.cast<py::tuple>();
          responding = pair[0].cast<campaign_policy>();
          book_managers = to_int_column(pair[1], "customers", "manager");
        }
        campaign_responses responses;
        contact_plan plan;
        {
          py::gil_scoped_release release;
          if (responding) {
            responses = measure_campaigns(b, start - 1, *responding, span_of(book_managers));
            in.responses = &responses;
          }
          plan = plan_contacts(b, in, start, days, p);
        }
        auto& c = plan.contacts;
        std::vector<std::uint8_t> alert_codes(c.alert.size());
        for (std::size_t k = 0; k < alert_codes.size(); ++k) {
          alert_codes[k] = c.purpose[k] == contact_purpose::alert ? static_cast<std::uint8_t>(c.alert[k]) : 255;
        }
        py::dict contacts(
            py::arg("manager") = array_of(c.manager), py::arg("customer") = array_of(c.customer),
            py::arg("day") = array_of(c.day), py::arg("channel") = array_of(c.channel),
            py::arg("minutes") = array_of(c.minutes), py::arg("purpose") = codes_of(c.purpose),
            py::arg("nature") = codes_of(c.nature), py::arg("alert") = array_of(alert_codes),
            py::arg("priority") = array_of(c.priority), py::arg("reason") = categorical_out(std::move(c.reason)),
            py::arg("last_day") = array_of(c.last_day), py::arg("last_channel") = array_of(c.last_channel),
            py::arg("last_note") = categorical_out(std::move(c.last_note)));
        const auto& u = plan.unmet;
        py::dict unmet(py::arg("manager") = array_of(u.manager), py::arg("customer") = array_of(u.customer),
                       py::arg("due") = array_of(u.due), py::arg("channel") = array_of(u.channel),
                       py::arg("minutes") = array_of(u.minutes), py::arg("purpose") = codes_of(u.purpose),
                       py::arg("reason") = codes_of(u.reason));
        const auto& cp = plan.customers;
        py::dict customers(py::arg("status") = codes_of(cp.status), py::arg("wanted") = array_of(cp.wanted),
                           py::arg("planned") = array_of(cp.planned), py::arg("minutes") = array_of(cp.minutes),
                           py::arg("channel") = array_of(cp.channel));
        const auto& mp = plan.managers;
        py::dict per_manager(py::arg("portfolio") = array_of(mp.portfolio), py::arg("reached") = array_of(mp.reached),
                             py::arg("budget") = array_of(mp.budget), py::arg("planned") = array_of(mp.planned),
                             py::arg("demand") = array_of(mp.demand));
        return py::dict(py::arg("contacts") = contacts, py::arg("unmet") = unmet, py::arg("customers") = customers,
                        py::arg("managers") = per_manager);
      },
      py::arg("book"), py::arg("manager"), py::arg("tier"), py::arg("stage"), py::arg("time_budget"),
      py::arg("preferred"), py::arg("max_contacts"), py::arg("alerts"), py::arg("campaigns"),
      py::arg("campaign_policy"), py::arg("start"), py::arg("days"), py::arg("policy"));

  m.def(
      "preferred_channels",
      [](const book& b, day_t as_of, const contact_policy& p) { return array_of(preferred_channels(b, as_of, p)); },
      py::arg("book"), py::arg("as_of"), py::arg("policy"));

  std::vector<std::string> purposes = {"alert", "follow_up", "cadence"};
  m.attr("CONTACT_PURPOSES") = purposes;
  std::vector<std::string> statuses;
  for (int s = 0; s < 6; ++s) statuses.emplace_back(status_name(static_cast<customer_plan_status>(s)));
  m.attr("PLAN_STATUSES") = statuses;
}
