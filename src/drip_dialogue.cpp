#include "cartera/drip_dialogue.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <tuple>

#include "detail/checks.hpp"
#include "detail/parallel.hpp"

namespace cartera {
namespace {

void check_bank(std::span<const drip_question> bank) {
  for (std::size_t q = 0; q < bank.size(); ++q) {
    const auto row = static_cast<std::int64_t>(q);
    if (bank[q].field.empty()) detail::fail({"question_bank", "field", row, ""}, "must name a profile field");
    if (!(bank[q].valid_days > 0)) {
      detail::fail({"question_bank", "valid_days", row, std::to_string(bank[q].valid_days)},
                   "must be a positive number of days");
    }
    if (!std::isfinite(bank[q].priority)) {
      detail::fail({"question_bank", "priority", row, detail::format_number(bank[q].priority)}, "must be finite");
    }
  }
}

void check_customers(const book& b, std::span<const index_t> tier, std::span<const stage> stages) {
  const auto n = static_cast<std::size_t>(b.customer_count());
  detail::check_size("questions", "tier", tier.size(), n, "customer", detail::counted::entries);
  detail::check_size("questions", "stage", stages.size(), n, "customer", detail::counted::entries);
}

bool suits(const drip_question& q, index_t tier, stage s) {
  return (q.tiers.empty() || std::find(q.tiers.begin(), q.tiers.end(), tier) != q.tiers.end()) &&
         (q.stages.empty() || std::find(q.stages.begin(), q.stages.end(), s) != q.stages.end());
}

// The last day each of the bank's fields was learned about customer c up to `day`, no_day
// when never: one entry per bank question (questions may share a field).
void last_learned(const book& b, std::size_t c, day_t day, const std::vector<index_t>& field_code,
                  std::vector<day_t>& out) {
  std::fill(out.begin(), out.end(), no_day);
  const auto& p = b.profile();
  const auto at = b.profile_offsets();
  for (std::int64_t k = at[c]; k < at[c + 1] && p.learned[k] <= day; ++k) {
    for (std::size_t q = 0; q < field_code.size(); ++q) {
      if (field_code[q] != no_index && field_code[q] == p.field.codes[k]) out[q] = p.learned[k];  // the last stays
    }
  }
}

// Each bank question's field as a code of the book's profile fields (-1: never learned).
std::vector<index_t> field_codes(const book& b, std::span<const drip_question> bank) {
  std::vector<index_t> codes(bank.size());
  for (std::size_t q = 0; q < bank.size(); ++q) codes[q] = b.profile().field.code_of(bank[q].field);
  return codes;
}

bool still_valid(day_t learned, const drip_question& q, day_t day) {
  return learned != no_day && day - learned < q.valid_days;
}

}  // namespace

void drip_policy::validate() const {
  const detail::policy_checks check("drip_policy");
  check(questions_per_contact >= 0, "questions_per_contact", questions_per_contact, "must be 0 or more");
}

contact_questions choose_questions(const book& customers, const planned_contacts& contacts,
                                   std::span<const drip_question> bank, std::span<const index_t> tier,
                                   std::span<const stage> stages, const drip_policy& policy) {
  policy.validate();
  check_bank(bank);
  check_customers(customers, tier, stages);
  const std::vector<index_t> field_code = field_codes(customers, bank);
  // Which areas may ask each question, as codes of the managers' areas (-1: an area no
  // manager has).
  const categorical& area = customers.managers().area;
  std::vector<std::vector<index_t>> allowed(bank.size());
  for (std::size_t q = 0; q < bank.size(); ++q) {
    for (const auto& name : bank[q].areas) allowed[q].push_back(area.code_of(name));
  }
  // Questions by priority (highest first), then bank order.
  std::vector<std::size_t> by_priority(bank.size());
  std::iota(by_priority.begin(), by_priority.end(), 0);
  std::stable_sort(by_priority.begin(), by_priority.end(),
                   [&](std::size_t a, std::size_t b) { return bank[a].priority > bank[b].priority; });
  // The plan's contacts by customer, then day.
  const std::size_t count = contacts.customer.size();
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tuple(contacts.customer[a], contacts.day[a]) < std::tuple(contacts.customer[b], contacts.day[b]);
  });
  std::vector<std::vector<index_t>> chosen(count);
  std::vector<std::uint8_t> asked(bank.size());
  for (std::size_t first = 0; first < count;) {
    const index_t c = contacts.customer[order[first]];
    const auto cu = static_cast<std::size_t>(c);
    std::size_t last = first;
    while (last < count && contacts.customer[order[last]] == c) ++last;
    std::fill(asked.begin(), asked.end(), 0);
    for (std::size_t k = first; k < last; ++k) {
      const std::size_t contact = order[k];
      const index_t manager = contacts.manager[contact];
      const index_t manager_area =
          area.empty() || manager == no_index ? no_index : area.codes[static_cast<Eigen::Index>(manager)];
      for (const std::size_t q : by_priority) {
        if (static_cast<int>(chosen[contact].size()) >= policy.questions_per_contact) break;
        const drip_question& question = bank[q];
        if (asked[q] || !suits(question, tier[cu], stages[cu])) continue;
        if (!allowed[q].empty() && std::find(allowed[q].begin(), allowed[q].end(), manager_area) == allowed[q].end()) {
          continue;
        }
        // The field's answer as the contact's day sees it (profile rows after it are not known yet).
        day_t known = no_day;
        const auto& p = customers.profile();
        const auto at = customers.profile_offsets();
        for (std::int64_t r = at[cu]; r < at[cu + 1] && p.learned[r] <= contacts.day[contact]; ++r) {
          if (field_code[q] != no_index && p.field.codes[r] == field_code[q]) known = p.learned[r];
        }
        if (still_valid(known, question, contacts.day[contact])) continue;
        // Another question filling the same field, asked earlier in the plan, asks it already.
        bool same_field_asked = false;
        for (std::size_t other = 0; other < bank.size(); ++other) {
          same_field_asked = same_field_asked || (asked[other] && bank[other].field == question.field);
        }
        if (same_field_asked) continue;
        asked[q] = 1;
        chosen[contact].push_back(static_cast<index_t>(q));
      }
    }
    first = last;
  }
  contact_questions out;
  out.offsets.assign(count + 1, 0);
  for (std::size_t k = 0; k < count; ++k) {
    out.offsets[k + 1] = out.offsets[k] + static_cast<std::int64_t>(chosen[k].size());
    out.question.insert(out.question.end(), chosen[k].begin(), chosen[k].end());
  }
  return out;
}

std::vector<double> profile_completeness(const book& customers, day_t as_of, std::span<const drip_question> bank,
                                         std::span<const index_t> tier, std::span<const stage> stages) {
  check_bank(bank);
  check_customers(customers, tier, stages);
  const std::vector<index_t> field_code = field_codes(customers, bank);
  const auto n = static_cast<std::size_t>(customers.customer_count());
  std::vector<double> out(n, 1.0);
  detail::parallel_for(static_cast<std::int64_t>(n), {}, [&](std::int64_t first, std::int64_t last) {
    std::vector<day_t> learned(bank.size());
    for (auto c = static_cast<std::size_t>(first); c < static_cast<std::size_t>(last); ++c) {
      last_learned(customers, c, as_of, field_code, learned);
      double suited = 0, known = 0;
      for (std::size_t q = 0; q < bank.size(); ++q) {
        if (!suits(bank[q], tier[c], stages[c])) continue;
        ++suited;
        known += still_valid(learned[q], bank[q], as_of);
      }
      if (suited > 0) out[c] = known / suited;
    }
  });
  return out;
}

}  // namespace cartera
