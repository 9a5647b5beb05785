#pragma once
/// \file people.hpp
/// The people at the account: "registre por lo menos más de un par de nombres de contacto
/// en cada una de estas empresas"; intimar means "varias personas/áreas involucradas"; and
/// "haga que las personas apropiadas de su organización llamen a los ejecutivos apropiados
/// de la empresa del Cliente".

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cartera/book.hpp"
#include "cartera/contact_plan.hpp"

namespace cartera {

enum class people_finding : std::uint8_t {
  few_people = 0,       ///< a valuable account with fewer than min_people named people
  single_threaded = 1,  ///< every interaction naming a person, in the window, went through one
  stale_person = 2,     ///< a person whose data was not checked for stale_days (or never)
};
inline constexpr int people_finding_count = 3;
/// "few_people", "single_threaded" or "stale_person".
[[nodiscard]] std::string_view finding_name(people_finding finding);

struct people_policy {
  int min_people = 2;        ///< named people a valuable account should have
  int window_days = 365;     ///< single-threaded: the interactions of this many days
  int min_interactions = 3;  ///< and at least this many of them naming a person
  int stale_days = 730;      ///< a person not checked this long is stale

  void validate() const;
};

/// One row per finding, by customer, then finding, then person.
struct people_findings {
  std::vector<index_t> customer;
  std::vector<people_finding> finding;
  std::vector<std::int64_t> person;  ///< row in book::people() (stale_person and single_threaded), else -1
  std::vector<std::string> reason;
};

/// The findings as of `as_of` (none without a people table). `valuable`, one flag per
/// customer, says whose accounts need min_people; empty: every customer's.
[[nodiscard]] people_findings find_people_issues(const book& customers, day_t as_of,
                                                 std::span<const std::uint8_t> valuable = {},
                                                 const people_policy& policy = {});

/// For each planned contact, whom at the customer to talk to: the person of the same area
/// as the contact's manager (managers.area against people.area), else anyone; the most
/// recently checked first. A row of book::people(), or -1 when the customer has nobody named.
[[nodiscard]] std::vector<std::int64_t> pair_people(const book& customers, const planned_contacts& contacts);

}  // namespace cartera
