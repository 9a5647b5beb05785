// The row checks of cartera.clean that run over every raw row: days and numbers read from
// text, ids looked up among the known ones, and exact duplicate lines. Texts come as Arrow
// lays them out, read in place.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <cstring>

#include "cartera/repeated_rows.hpp"
#include "cartera/text_reading.hpp"
#include "numpy_columns.hpp"
#include "python_texts.hpp"

namespace py = pybind11;
using namespace cartera;
using namespace cartera::python;

namespace {

using codes_array = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;

// A reader of text_reading.hpp over Python texts: (the values read, the status of each text).
template <typename Readings, typename Column>
py::tuple read_texts(const py::handle& values, const std::string& table, const std::string& column,
                     Readings (*read)(const text_view&, const execution&), Column Readings::*read_values) {
  const python_texts texts(values, table, column);
  Readings readings;
  {
    py::gil_scoped_release release;
    readings = read(texts.view(), {});
  }
  py::array_t<std::uint8_t> status(static_cast<py::ssize_t>(readings.status.size()));
  std::memcpy(status.mutable_data(), readings.status.data(), readings.status.size());
  return py::make_tuple(to_numpy(std::move(readings.*read_values)), status);
}

}  // namespace

void register_cleaning(py::module_& m) {
  m.def(
      "read_iso_days",
      [](const py::handle& values, const std::string& table, const std::string& column) {
        return read_texts(values, table, column, read_iso_days, &day_readings::day);
      },
      py::arg("values"), py::arg("table"), py::arg("column"),
      "ISO dates (an optional time of day without a zone dropped) as days since 1970-01-01\n"
      "(int32), and per text 0 read, 1 missing or empty, 2 unread (another form: for pandas).");
  m.def(
      "read_numbers",
      [](const py::handle& values, const std::string& table, const std::string& column) {
        return read_texts(values, table, column, read_numbers, &number_readings::value);
      },
      py::arg("values"), py::arg("table"), py::arg("column"),
      "Decimal numbers (float64) as std::from_chars reads the whole text, and per text 0 read,\n"
      "1 missing or empty, 2 unread (another form, or not finite: for pandas).");
  m.def(
      "text_positions",
      [](const py::handle& values, const py::handle& labels, const std::string& table, const std::string& column,
         const std::string& labels_table) {
        const python_texts given(values, table, column);
        const python_texts known(labels, labels_table, "id");
        const id_index index(strings_of(known.view()), labels_table);
        int_column rows;
        {
          py::gil_scoped_release release;
          rows = index.find_all(given.view());
        }
        return to_numpy(std::move(rows));
      },
      py::arg("values"), py::arg("labels"), py::arg("table"), py::arg("column"), py::arg("labels_table"),
      "Each text's row among `labels` (int32), -1 where it is missing or not there. Both are\n"
      "(offsets, bytes, missing) triples; labels must be unique and not empty.");

  m.def(
      "repeated_rows",
      [](const py::list& columns, const py::object& keep, const std::string& table) {
        std::vector<codes_array> codes;  // held while the spans read them
        std::vector<python_texts> texts;
        codes.reserve(columns.size());
        texts.reserve(columns.size());
        std::vector<row_values> values;
        for (std::size_t c = 0; c < columns.size(); ++c) {
          const py::handle column = columns[c];
          const std::string name = table + " column " + std::to_string(c);
          if (py::isinstance<py::tuple>(column)) {
            values.emplace_back(texts.emplace_back(column, table, name).view());
          } else {
            const auto& array = codes.emplace_back(codes_array::ensure(column));
            if (!array || array.ndim() != 1)
              throw type_mismatch({table, name, -1, ""}, "expected a 1-D array of codes");
            values.emplace_back(std::span<const std::uint64_t>(array.data(), static_cast<std::size_t>(array.shape(0))));
          }
        }
        const flag_column kept = to_flag_column(keep, table, "keep");
        std::vector<std::int64_t> repeat_of;
        {
          py::gil_scoped_release release;
          repeat_of = repeated_rows(values, span_of(kept));
        }
        return array_of(repeat_of);
      },
      py::arg("columns"), py::arg("keep"), py::arg("table"),
      "For every kept row equal in every column to an earlier kept row, that first row (int64);\n"
      "-1 for the others. A column is a uint64 array of codes or an (offsets, bytes, missing)\n"
      "triple of texts.");
}
