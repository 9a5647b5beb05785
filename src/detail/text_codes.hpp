#pragma once
// Dictionary-encoding texts as they come: reasons repeat a lot, so each distinct text is
// one category of the output column.

#include <string>
#include <unordered_map>

#include "cartera/columns.hpp"

namespace cartera::detail {

class text_codes {
 public:
  explicit text_codes(categorical& out) : out_(out) {}

  /// The text's code in `out`, adding it as a category the first time.
  index_t operator()(const std::string& text) {
    const auto [it, added] = codes_.try_emplace(text, static_cast<index_t>(out_.categories.size()));
    if (added) out_.categories.push_back(text);
    return it->second;
  }

 private:
  categorical& out_;
  std::unordered_map<std::string, index_t> codes_;
};

}  // namespace cartera::detail
