#pragma once
/// \file drip_dialogue.hpp
/// The drip dialogue ("diálogo por goteo"): "se le hace solamente un par de preguntas a los
/// Clientes cada vez que distintas personas de la empresa entran en contacto con el
/// Cliente" — and never one the customer already answered ("se pasan la vida pidiendo a
/// sus Clientes información que ELLOS YA TIENEN").
///
/// A question bank (policy data) says which profile field each question fills, for which
/// tiers and stages, how valuable the answer is, how long it stays valid and which areas
/// may ask it. Each planned contact gets the next questions to ask; what was learned comes
/// back as profile rows of the book.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cartera/book.hpp"
#include "cartera/contact_plan.hpp"
#include "cartera/stages.hpp"

namespace cartera {

/// One question of the bank.
struct drip_question {
  std::string field;               ///< the profile field its answer fills
  std::vector<index_t> tiers;      ///< rows in the plan's tiers it suits; empty: every tier
  std::vector<stage> stages;       ///< the stages it suits; empty: every stage
  double priority = 1;             ///< the answer's value: the most valuable gaps are asked first
  int valid_days = 730;            ///< an answer stays valid this many days after it was learned
  std::vector<std::string> areas;  ///< the managers' areas that may ask it; empty: every area
};

struct drip_policy {
  int questions_per_contact = 2;  ///< "un par de preguntas"

  void validate() const;
};

/// The questions of each planned contact: contact k asks rows [offsets[k], offsets[k + 1])
/// of `question` (rows of the bank), the most valuable first.
struct contact_questions {
  std::vector<std::int64_t> offsets;
  std::vector<index_t> question;
};

/// Chooses each planned contact's questions: those suited to the customer's tier and
/// stage, that the contact's manager's area may ask, whose field the customer has not
/// answered within its validity by the contact's day, and that no earlier contact of the
/// plan with the same customer asks already (so the questions spread over the people who
/// contact them), by priority, then bank order. `tier` and `stages` have one entry per
/// customer; the plan's contacts are taken in day order.
[[nodiscard]] contact_questions choose_questions(const book& customers, const planned_contacts& contacts,
                                                 std::span<const drip_question> bank, std::span<const index_t> tier,
                                                 std::span<const stage> stages, const drip_policy& policy = {});

/// Each customer's profile completeness as of `as_of`: the share of the bank's questions
/// suited to them (tier, stage) whose field they answered within its validity; 1 when no
/// question suits them.
[[nodiscard]] std::vector<double> profile_completeness(const book& customers, day_t as_of,
                                                       std::span<const drip_question> bank,
                                                       std::span<const index_t> tier, std::span<const stage> stages);

}  // namespace cartera
