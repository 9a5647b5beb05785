#pragma once
// A repeat summary's distinct histories (frequency, recency, age) with the customers each
// stands for, in their own sorted order: the repeat-purchase models sum their likelihoods
// over them, so that a fit depends neither on the customers' order nor on where they were
// counted.

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <tuple>
#include <vector>

#include "cartera/bg_nbd.hpp"
#include "cartera/error.hpp"
#include "detail/format.hpp"
#include "detail/hashing.hpp"

namespace cartera::detail {

// The customers of one history counted once, weighted by their number: a summary in whole
// days repeats histories a lot (every customer without repeat purchases who came on one day
// has the same). With the distinct frequencies among them, for the terms of x alone.
struct distinct_histories {
  std::vector<double> frequency, recency, age, weight;
  std::vector<std::int32_t> group;  ///< the row's frequency, as an index into frequencies
  std::vector<double> frequencies, group_weight;
};

inline distinct_histories distinct(const repeat_history& h, double scale) {
  distinct_histories d;
  const std::size_t mask = std::bit_ceil(std::max<std::size_t>(16, 2 * h.size())) - 1;
  std::vector<std::int32_t> slots(mask + 1, -1);
  std::map<double, std::int32_t> groups;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double x = h.frequency[i], t_x = h.recency[i] * scale, t = h.age[i] * scale;
    std::size_t slot = detail::hash_numbers(x, t_x, t) & mask;
    for (; slots[slot] >= 0; slot = (slot + 1) & mask) {
      const auto k = static_cast<std::size_t>(slots[slot]);
      if (d.frequency[k] == x && d.recency[k] == t_x && d.age[k] == t) break;
    }
    const double w = h.weight_of(i);
    if (slots[slot] >= 0) {
      d.weight[static_cast<std::size_t>(slots[slot])] += w;
      continue;
    }
    slots[slot] = static_cast<std::int32_t>(d.frequency.size());
    d.frequency.push_back(x);
    d.recency.push_back(t_x);
    d.age.push_back(t);
    d.weight.push_back(w);
    groups.emplace(x, 0);
  }
  // In the order of the histories, not of the customers: the sums then run the same for
  // any order of the customers, and for their histories counted elsewhere (a book in
  // partitions), so the fit is the same to the last bit.
  std::vector<std::size_t> order(d.frequency.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(d.frequency[a], d.recency[a], d.age[a]) < std::tie(d.frequency[b], d.recency[b], d.age[b]);
  });
  const auto reordered = [&](std::vector<double>& column) {
    std::vector<double> out(column.size());
    for (std::size_t k = 0; k < order.size(); ++k) out[k] = column[order[k]];
    column.swap(out);
  };
  for (std::vector<double>* column : {&d.frequency, &d.recency, &d.age, &d.weight}) reordered(*column);
  for (auto& [x, k] : groups) {
    k = static_cast<std::int32_t>(d.frequencies.size());
    d.frequencies.push_back(x);
  }
  d.group_weight.assign(d.frequencies.size(), 0.0);
  d.group.resize(d.frequency.size());
  for (std::size_t k = 0; k < d.frequency.size(); ++k) {
    d.group[k] = groups.find(d.frequency[k])->second;
    d.group_weight[static_cast<std::size_t>(d.group[k])] += d.weight[k];
  }
  return d;
}

/// A repeat summary made ready for a fit: checked, with at least one customer and a
/// penalizer of 0 or more; time scaled, as lifetimes does, so that the longest age is 10
/// (the rate scales move with the time unit, and the fit is better conditioned near 1).
struct histories_to_fit {
  distinct_histories histories;
  double scale = 1.0;
  /// Each customer's likelihood in scaled time is the unscaled one times scale^−x: this,
  /// added to a log-likelihood on `histories`, gives it in the summary's time unit.
  double log_likelihood_shift = 0.0;
};

inline histories_to_fit prepared_for_fit(const repeat_history& history, const model_fit_options& options) {
  history.check("repeat_history");
  if (history.size() == 0) throw invalid_input({"repeat_history", "", -1, ""}, "no customer to fit the model on");
  if (!(std::isfinite(options.penalizer) && options.penalizer >= 0)) {
    throw invalid_input({"model_fit_options", "penalizer", -1, format_number(options.penalizer)}, "must be 0 or more");
  }
  histories_to_fit out;
  const double longest = *std::max_element(history.age.begin(), history.age.end());
  out.scale = longest > 0 ? 10 / longest : 1.0;
  out.histories = distinct(history, out.scale);
  double repeats = 0;
  for (std::size_t i = 0; i < history.size(); ++i) repeats += history.frequency[i] * history.weight_of(i);
  out.log_likelihood_shift = repeats * std::log(out.scale);
  return out;
}

}  // namespace cartera::detail
