// The published generalized assignment instances: read, and solved close to their best known values.
#include "cartera/gap_instances.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "assignment_support.hpp"
#include "test_support.hpp"

namespace cartera {
namespace {

using namespace assignment_support;

std::filesystem::path gap_data() {
  const char* from_environment = std::getenv("CARTERA_DATA");
  return std::filesystem::path(from_environment != nullptr ? from_environment : CARTERA_TEST_DATA) / "gap";
}

// The best known values of the published instances, by path ("cattrysse1994/gap1-0").
std::map<std::string, double> best_known_gap_values() {
  std::ifstream in(gap_data() / "best_known.csv");
  std::map<std::string, double> values;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream row(line);
    for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
    if (fields.size() >= 8) values[fields[0]] = std::stod(fields[7]);
  }
  return values;
}

TEST(gap_instances_test, published_gap_instances_are_solved_close_to_their_best_known_values) {
  // gap1-0 … gap12-0 (OR-Library, 15 to 60 items, all with proven optima).
  const auto best_known = best_known_gap_values();
  ASSERT_FALSE(best_known.empty()) << "missing " << (gap_data() / "best_known.csv") << " (set CARTERA_DATA)";
  double total_gap = 0;
  for (int k = 1; k <= 12; ++k) {
    const std::string name = "cattrysse1994/gap" + std::to_string(k) + "-0";
    std::ifstream in(gap_data() / name);
    ASSERT_TRUE(in) << "missing " << (gap_data() / name);
    const double best = best_known.at(name);
    const assignment_problem p = read_orlibrary_gap(in);
    const assignment_result r = solve_assignment(p, {.time_limit = 2, .iterations = 300});
    expect_feasible(p, r);
    EXPECT_TRUE(std::ranges::none_of(r.manager, [](index_t m) { return m == no_index; })) << name;
    EXPECT_LE(r.bound, best + 1e-9) << name;
    EXPECT_GE(r.objective, best - 1e-9) << name;
    total_gap += (r.objective - best) / best;
  }
  EXPECT_LE(total_gap / 12, 0.01);
}

TEST(gap_instances_test, orlibrary_reader_names_a_bad_number) {
  std::istringstream in("2 2\n1 2 3 4\n1 1 1 x\n");
  EXPECT_THROW_MSG((void)read_orlibrary_gap(in), invalid_input,
                   "orlibrary_gap.weight row 3 (value x): expected a number >= 0");
}

}  // namespace
}  // namespace cartera
