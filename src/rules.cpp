// The rule language: a tokenizer, a recursive-descent parser with a depth limit (so no
// input can exhaust the stack), and a column-at-a-time evaluator.
#include "cartera/rules.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <variant>

#include "detail/format.hpp"

namespace cartera {
namespace detail {

enum class op : std::uint8_t { eq, ne, lt, le, gt, ge, and_, or_, not_ };

struct rule_node {
  enum class kind : std::uint8_t { number, string, boolean, column, compare, logic, negate } what;
  std::size_t position = 0;  // 1-based, for messages
  double number = 0;
  std::string text;  // string literal or column name
  op operation = op::eq;
  std::shared_ptr<const rule_node> left, right;
};

}  // namespace detail
namespace {

using detail::op;
using detail::rule_node;
using node_ptr = std::shared_ptr<const rule_node>;

constexpr int max_depth = 200;

struct token {
  enum class kind : std::uint8_t { end, number, string, name, op, open, close } what;
  std::string text;
  std::size_t position;  // 1-based
  double number = 0;
};

[[noreturn]] void fail(std::string_view source, std::size_t position, const std::string& problem) {
  throw invalid_input({},
                      "rule \"" + std::string(source) + "\": position " + std::to_string(position) + ": " + problem);
}

std::string shown(const token& t) { return t.what == token::kind::end ? "the end" : "\"" + t.text + "\""; }

std::vector<token> tokenize(std::string_view s) {
  std::vector<token> tokens;
  std::size_t i = 0;
  const auto is_name_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  const auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
  while (i < s.size()) {
    const char c = s[i];
    const std::size_t at = i + 1;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      double value = 0;
      const auto [end, error] = std::from_chars(s.data() + i, s.data() + s.size(), value);
      if (error != std::errc()) fail(s, at, "not a number");
      const auto length = static_cast<std::size_t>(end - (s.data() + i));
      if (i + length < s.size() && is_name(s[i + length]))
        fail(s, at, "not a number: \"" + std::string(s.substr(i, length + 1)) + "\"");
      tokens.push_back({token::kind::number, std::string(s.substr(i, length)), at, value});
      i += length;
    } else if (c == '"' || c == '\'') {
      std::string text;
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != c) {
        if (s[j] == '\\' && j + 1 < s.size()) ++j;
        text += s[j++];
      }
      if (j >= s.size()) fail(s, at, "string not closed");
      tokens.push_back({token::kind::string, text, at});
      i = j + 1;
    } else if (is_name_start(c)) {
      std::size_t j = i;
      while (j < s.size() && is_name(s[j])) ++j;
      tokens.push_back({token::kind::name, std::string(s.substr(i, j - i)), at});
      i = j;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? token::kind::open : token::kind::close, std::string(1, c), at});
      ++i;
    } else {
      const std::string_view two = s.substr(i, 2);
      if (two == "==" || two == "!=" || two == "<=" || two == ">=") {
        tokens.push_back({token::kind::op, std::string(two), at});
        i += 2;
      } else if (c == '<' || c == '>') {
        tokens.push_back({token::kind::op, std::string(1, c), at});
        ++i;
      } else if (c == '=') {
        fail(s, at, "unexpected \"=\"; compare with \"==\"");
      } else {
        fail(s, at, "unexpected character \"" + std::string(1, c) + "\"");
      }
    }
  }
  tokens.push_back({token::kind::end, "", s.size() + 1});
  return tokens;
}

class parser {
 public:
  explicit parser(std::string_view source) : source_(source), tokens_(tokenize(source)) {}

  node_ptr parse() {
    node_ptr root = either(0);
    if (peek().what != token::kind::end)
      fail(source_, peek().position, "expected \"and\", \"or\" or the end, found " + shown(peek()));
    return root;
  }

 private:
  const token& peek() const { return tokens_[next_]; }
  const token& take() { return tokens_[next_++]; }
  bool keyword(std::string_view word) const { return peek().what == token::kind::name && peek().text == word; }

  void deeper(int depth) const {
    if (depth > max_depth)
      fail(source_, peek().position, "nested too deeply (more than " + std::to_string(max_depth) + " levels)");
  }

  // operand (word operand)*, left-associative: "or" over and-terms, "and" over not-terms.
  node_ptr chain(int depth, std::string_view word, op operation, node_ptr (parser::*operand)(int)) {
    deeper(depth);
    node_ptr left = (this->*operand)(depth + 1);
    while (keyword(word)) {
      const std::size_t at = take().position;
      node_ptr right = (this->*operand)(depth + 1);
      left = std::make_shared<rule_node>(
          rule_node{rule_node::kind::logic, at, 0, {}, operation, std::move(left), std::move(right)});
    }
    return left;
  }

  node_ptr either(int depth) { return chain(depth, "or", op::or_, &parser::both); }
  node_ptr both(int depth) { return chain(depth, "and", op::and_, &parser::negation); }

  node_ptr negation(int depth) {
    deeper(depth);
    if (keyword("not")) {
      const std::size_t at = take().position;
      return std::make_shared<rule_node>(
          rule_node{rule_node::kind::negate, at, 0, {}, op::not_, negation(depth + 1), nullptr});
    }
    return comparison(depth + 1);
  }

  node_ptr comparison(int depth) {
    node_ptr left = operand(depth + 1);
    if (peek().what != token::kind::op) return left;
    const token& t = take();
    const op operation = t.text == "=="   ? op::eq
                         : t.text == "!=" ? op::ne
                         : t.text == "<"  ? op::lt
                         : t.text == "<=" ? op::le
                         : t.text == ">"  ? op::gt
                                          : op::ge;
    node_ptr right = operand(depth + 1);
    return std::make_shared<rule_node>(rule_node{rule_node::kind::compare, t.position, 0, {}, operation, left, right});
  }

  node_ptr operand(int depth) {
    deeper(depth);
    const token& t = take();
    switch (t.what) {
      case token::kind::number:
        return std::make_shared<rule_node>(
            rule_node{rule_node::kind::number, t.position, t.number, {}, op::eq, nullptr, nullptr});
      case token::kind::string:
        return std::make_shared<rule_node>(
            rule_node{rule_node::kind::string, t.position, 0, t.text, op::eq, nullptr, nullptr});
      case token::kind::open: {
        node_ptr inner = either(depth + 1);
        if (peek().what != token::kind::close) fail(source_, peek().position, "expected \")\", found " + shown(peek()));
        take();
        return inner;
      }
      case token::kind::name:
        if (t.text == "true" || t.text == "false") {
          return std::make_shared<rule_node>(rule_node{
              rule_node::kind::boolean, t.position, t.text == "true" ? 1.0 : 0.0, {}, op::eq, nullptr, nullptr});
        }
        if (t.text == "and" || t.text == "or" || t.text == "not") break;
        return std::make_shared<rule_node>(
            rule_node{rule_node::kind::column, t.position, 0, t.text, op::eq, nullptr, nullptr});
      default:
        break;
    }
    fail(source_, t.position, "expected a number, a string, a column or \"(\", found " + shown(t));
  }

  std::string_view source_;
  std::vector<token> tokens_;
  std::size_t next_ = 0;
};

// A value during evaluation: numbers, booleans, or labels (a categorical, or one string).
struct labels {
  const std::vector<std::string>* categories;
  const int_column* codes;  // null for a single string
  std::string single;
};
using value = std::variant<real_column, flag_column, labels>;

class evaluator {
 public:
  evaluator(const std::string& source, const column_set& columns) : source_(source), columns_(columns) {}

  flag_column truth(const rule_node& n) {
    value v = eval(n);
    if (auto* flags = std::get_if<flag_column>(&v)) return std::move(*flags);
    if (auto* numbers = std::get_if<real_column>(&v))
      return ((*numbers != 0) && (*numbers == *numbers)).cast<std::uint8_t>();
    fail(source_, n.position, "a label is not a condition; compare it with == or !=");
  }

 private:
  Eigen::Index rows() const { return columns_.rows(); }

  value eval(const rule_node& n) {
    switch (n.what) {
      case rule_node::kind::number:
        return real_column(real_column::Constant(rows(), n.number));
      case rule_node::kind::boolean:
        return flag_column(flag_column::Constant(rows(), static_cast<std::uint8_t>(n.number)));
      case rule_node::kind::string:
        return labels{nullptr, nullptr, n.text};
      case rule_node::kind::column: {
        const column_set::column* found = columns_.find(n.text);
        if (found == nullptr) {
          fail(source_, n.position, "unknown column \"" + n.text + "\"; the columns are " + columns_.listing());
        }
        if (const auto* numbers = std::get_if<real_column>(found)) return *numbers;
        const auto& c = std::get<categorical>(*found);
        return labels{&c.categories, &c.codes, {}};
      }
      case rule_node::kind::negate:
        return flag_column(1 - truth(*n.left));
      case rule_node::kind::logic: {
        const flag_column a = truth(*n.left);
        const flag_column b = truth(*n.right);
        if (n.operation == op::and_) return flag_column(a * b);
        return flag_column((a + b).min(std::uint8_t{1}));
      }
      case rule_node::kind::compare:
        return compare(n);
    }
    fail(source_, n.position, "cannot evaluate");
  }

  value compare(const rule_node& n) {
    value a = eval(*n.left);
    value b = eval(*n.right);
    const bool equality = n.operation == op::eq || n.operation == op::ne;
    if (const auto* x = std::get_if<real_column>(&a)) {
      if (const auto* y = std::get_if<real_column>(&b)) {
        switch (n.operation) {
          case op::eq:
            return flag_column((*x == *y).cast<std::uint8_t>());
          case op::ne:
            return flag_column((*x != *y && *x == *x && *y == *y).cast<std::uint8_t>());
          case op::lt:
            return flag_column((*x < *y).cast<std::uint8_t>());
          case op::le:
            return flag_column((*x <= *y).cast<std::uint8_t>());
          case op::gt:
            return flag_column((*x > *y).cast<std::uint8_t>());
          default:
            return flag_column((*x >= *y).cast<std::uint8_t>());
        }
      }
    }
    if (std::holds_alternative<labels>(a) && std::holds_alternative<labels>(b)) {
      if (!equality) fail(source_, n.position, "labels compare only with == or !=");
      flag_column same = equal_labels(std::get<labels>(a), std::get<labels>(b));
      return flag_column(n.operation == op::eq ? same : flag_column(1 - same));
    }
    // A number meets true/false as a flag: non-zero is true (flags arrive as 0/1 numbers).
    const auto as_flag = [](value& v) {
      if (auto* numbers = std::get_if<real_column>(&v))
        v = flag_column(((*numbers != 0) && (*numbers == *numbers)).cast<std::uint8_t>());
    };
    if (std::holds_alternative<flag_column>(a) || std::holds_alternative<flag_column>(b)) {
      as_flag(a);
      as_flag(b);
    }
    if (std::holds_alternative<flag_column>(a) && std::holds_alternative<flag_column>(b)) {
      if (!equality) fail(source_, n.position, "true and false compare only with == or !=");
      const auto& x = std::get<flag_column>(a);
      const auto& y = std::get<flag_column>(b);
      if (n.operation == op::eq) return flag_column((x == y).cast<std::uint8_t>());
      return flag_column((x != y).cast<std::uint8_t>());
    }
    const auto kind = [](const value& v) {
      return v.index() == 0 ? "a number" : v.index() == 1 ? "true/false" : "a label";
    };
    fail(source_, n.position, std::string("cannot compare ") + kind(a) + " with " + kind(b));
  }

  // Row by row: do the two sides hold the same text? A missing label equals nothing.
  flag_column equal_labels(const labels& a, const labels& b) const {
    const auto text_codes = [](const labels& l, const labels& other) {
      // For each category of l, its code among other's categories (-2: absent there).
      std::vector<index_t> map;
      const std::vector<std::string> one = {l.single};
      const auto& mine = l.codes ? *l.categories : one;
      const std::vector<std::string> other_one = {other.single};
      const auto& theirs = other.codes ? *other.categories : other_one;
      for (const auto& text : mine) {
        index_t found = -2;
        for (std::size_t k = 0; k < theirs.size(); ++k) {
          if (theirs[k] == text) found = static_cast<index_t>(k);
        }
        map.push_back(found);
      }
      return map;
    };
    const std::vector<index_t> map = text_codes(a, b);
    flag_column out(rows());
    for (Eigen::Index r = 0; r < rows(); ++r) {
      const index_t left = a.codes ? (*a.codes)[r] : 0;
      const index_t right = b.codes ? (*b.codes)[r] : 0;
      out[r] = left >= 0 && right >= 0 && map[static_cast<std::size_t>(left)] == right ? 1 : 0;
    }
    return out;
  }

  const std::string& source_;
  const column_set& columns_;
};

void collect(const rule_node& n, std::vector<std::string>& names) {
  if (n.what == rule_node::kind::column && std::find(names.begin(), names.end(), n.text) == names.end())
    names.push_back(n.text);
  if (n.left) collect(*n.left, names);
  if (n.right) collect(*n.right, names);
}

}  // namespace

condition::condition(std::string_view text) : text_(text), root_(parser(text).parse()) {}

flag_column condition::evaluate(const column_set& columns) const { return evaluator(text_, columns).truth(*root_); }

std::vector<std::string> condition::columns() const {
  std::vector<std::string> names;
  collect(*root_, names);
  return names;
}

rule_labels apply_rules(std::span<const rule> rules, std::string_view default_label, const column_set& columns) {
  rule_labels out;
  const Eigen::Index rows = columns.rows();
  // Several rules may share a label: each label is one category.
  const auto code_of = [&](std::string_view label) {
    const index_t code = out.label.code_of(label);
    if (code != no_index) return code;
    out.label.categories.emplace_back(label);
    return static_cast<index_t>(out.label.categories.size() - 1);
  };
  out.rule = int_column::Constant(rows, no_index);
  out.label.codes.resize(rows);
  std::vector<std::uint8_t> decided(static_cast<std::size_t>(rows), 0);
  for (std::size_t k = 0; k < rules.size(); ++k) {
    const index_t code = code_of(rules[k].label);
    flag_column match;
    try {
      match = condition(rules[k].condition).evaluate(columns);
    } catch (const invalid_input& e) {
      throw invalid_input({"rules", std::to_string(k), -1, "'" + rules[k].label + "'"}, e.what());
    }
    for (Eigen::Index r = 0; r < rows; ++r) {
      if (match[r] && !decided[static_cast<std::size_t>(r)]) {
        decided[static_cast<std::size_t>(r)] = 1;
        out.rule[r] = static_cast<index_t>(k);
        out.label.codes[r] = code;
      }
    }
  }
  const index_t fallback = code_of(default_label);
  for (Eigen::Index r = 0; r < rows; ++r) {
    if (!decided[static_cast<std::size_t>(r)]) out.label.codes[r] = fallback;
  }
  return out;
}

}  // namespace cartera
