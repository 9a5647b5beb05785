#pragma once
// The synthetic books the benchmarks share: made once per size and kept, since making one
// takes longer than most of what is measured on it.

#include <map>
#include <memory>

#include "cartera/synthetic.hpp"

namespace cartera::benchmarks {

/// A bank of `customers` with about 10 transactions and `interactions_per_customer`
/// contacts each (a million customers: about 10 M transactions).
inline const book& synthetic_bank(std::int64_t customers, double interactions_per_customer = 6.0) {
  static std::map<std::pair<std::int64_t, double>, std::unique_ptr<book>> books;
  auto& slot = books[{customers, interactions_per_customer}];
  if (!slot) {
    synthetic_options options;
    options.customers = static_cast<index_t>(customers);
    options.managers = static_cast<index_t>(customers / 100);
    options.transactions_per_customer = 12.85;
    options.interactions_per_customer = interactions_per_customer;
    slot = std::make_unique<book>(synthetic_book(options));
  }
  return *slot;
}

}  // namespace cartera::benchmarks
