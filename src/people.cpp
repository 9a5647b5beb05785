#include "cartera/people.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "detail/checks.hpp"

namespace cartera {

std::string_view finding_name(people_finding finding) {
  static constexpr std::array<std::string_view, people_finding_count> names = {"few_people", "single_threaded",
                                                                               "stale_person"};
  return names[static_cast<std::size_t>(finding)];
}

void people_policy::validate() const {
  const detail::policy_checks check("people_policy");
  check(min_people >= 0, "min_people", min_people, "must be 0 or more");
  check(window_days > 0, "window_days", window_days, "must be a positive number of days");
  check(min_interactions > 0, "min_interactions", min_interactions, "must be positive");
  check(stale_days > 0, "stale_days", stale_days, "must be a positive number of days");
}

people_findings find_people_issues(const book& customers, day_t as_of, std::span<const std::uint8_t> valuable,
                                   const people_policy& policy) {
  policy.validate();
  const auto n = static_cast<std::size_t>(customers.customer_count());
  detail::check_size("people", "valuable", valuable.size(), n, "customer", detail::counted::entries, true);
  people_findings out;
  const people_table& people = customers.people();
  if (people.customer.size() == 0) return out;
  const auto at = customers.people_offsets();
  const auto& in = customers.interactions();
  const auto in_at = customers.interaction_offsets();
  const auto name = [&](std::int64_t row) {
    const index_t code = people.person.codes[row];
    return code == no_index ? std::string("someone") : people.person.categories[static_cast<std::size_t>(code)];
  };
  const auto add = [&](std::size_t c, people_finding f, std::int64_t person, std::string reason) {
    out.customer.push_back(static_cast<index_t>(c));
    out.finding.push_back(f);
    out.person.push_back(person);
    out.reason.push_back(std::move(reason));
  };
  for (std::size_t c = 0; c < n; ++c) {
    const std::int64_t named = at[c + 1] - at[c];
    if ((valuable.empty() || valuable[c]) && named < policy.min_people) {
      add(c, people_finding::few_people, -1,
          std::to_string(named) + " named " + (named == 1 ? "person" : "people") + ", at least " +
              std::to_string(policy.min_people) + " wanted");
    }
    // Single-threaded: the window's interactions that name a person, all the same one.
    if (in.person.codes.size() != 0) {
      std::int64_t naming = 0;
      index_t only = no_index;
      bool one = true;
      for (std::int64_t k = in_at[c]; k < in_at[c + 1] && in.day[k] <= as_of; ++k) {
        if (in.day[k] <= as_of - policy.window_days || in.person.codes[k] == no_index) continue;
        ++naming;
        if (only == no_index) only = in.person.codes[k];
        one = one && in.person.codes[k] == only;
      }
      if (naming >= policy.min_interactions && one) {
        const std::string who = in.person.categories[static_cast<std::size_t>(only)];
        std::int64_t row = -1;  // the person in the people table, when named there
        for (std::int64_t k = at[c]; k < at[c + 1]; ++k) {
          if (people.person.codes[k] != no_index &&
              people.person.categories[static_cast<std::size_t>(people.person.codes[k])] == who) {
            row = k;
          }
        }
        add(c, people_finding::single_threaded, row,
            "all " + std::to_string(naming) + " interactions of the last " + std::to_string(policy.window_days) +
                " days with " + who);
      }
    }
    if (people.updated.size() != 0) {
      for (std::int64_t k = at[c]; k < at[c + 1]; ++k) {
        const day_t checked = people.updated[k];
        if (checked == no_day) {
          add(c, people_finding::stale_person, k, name(k) + ": never checked");
        } else if (as_of - checked >= policy.stale_days) {
          add(c, people_finding::stale_person, k, name(k) + ": not checked since " + format_day(checked));
        }
      }
    }
  }
  return out;
}

std::vector<std::int64_t> pair_people(const book& customers, const planned_contacts& contacts) {
  const people_table& people = customers.people();
  const auto at = customers.people_offsets();
  const categorical& ours = customers.managers().area;
  std::vector<std::int64_t> out(contacts.customer.size(), -1);
  for (std::size_t k = 0; k < contacts.customer.size(); ++k) {
    const auto c = static_cast<std::size_t>(contacts.customer[k]);
    if (contacts.customer[k] < 0 || contacts.customer[k] >= customers.customer_count()) {
      throw unknown_id({"contacts", "customer", static_cast<std::int64_t>(k), std::to_string(contacts.customer[k])},
                       "no such customer");
    }
    const index_t m = contacts.manager[k];
    const index_t our_area = ours.empty() || m < 0 || m >= customers.manager_count() ? no_index : ours.codes[m];
    const std::string* area = our_area == no_index ? nullptr : &ours.categories[static_cast<std::size_t>(our_area)];
    // People are by the day checked: the last of a kind is the most recently checked.
    for (std::int64_t r = at[c]; r < at[c + 1]; ++r) {
      const bool same_area = area != nullptr && people.area.codes.size() != 0 && people.area.codes[r] != no_index &&
                             people.area.categories[static_cast<std::size_t>(people.area.codes[r])] == *area;
      const bool best_so_far_same_area =
          out[k] >= 0 && area != nullptr && people.area.codes.size() != 0 && people.area.codes[out[k]] != no_index &&
          people.area.categories[static_cast<std::size_t>(people.area.codes[out[k]])] == *area;
      if (same_area || !best_so_far_same_area) out[k] = r;
    }
  }
  return out;
}

}  // namespace cartera
