#include "cartera/repeated_rows.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <string>
#include <string_view>

#include "detail/hashing.hpp"
#include "detail/parallel.hpp"

namespace cartera {

namespace {

std::size_t length_of(const row_values& column) {
  return std::visit([](const auto& values) { return values.size(); }, column);
}

std::uint64_t value_hash(const row_values& column, std::size_t row) {
  if (const auto* codes = std::get_if<std::span<const std::uint64_t>>(&column)) return (*codes)[row];
  const auto& texts = std::get<text_view>(column);
  if (texts.is_missing(row)) return 0x5bd1e9955bd1e995ULL;
  return std::hash<std::string_view>{}(texts[row]);
}

bool same_value(const row_values& column, std::size_t a, std::size_t b) {
  if (const auto* codes = std::get_if<std::span<const std::uint64_t>>(&column)) return (*codes)[a] == (*codes)[b];
  const auto& texts = std::get<text_view>(column);
  if (texts.is_missing(a) || texts.is_missing(b)) return texts.is_missing(a) == texts.is_missing(b);
  return texts[a] == texts[b];
}

struct entry {
  std::int64_t row;
  std::uint64_t hash;
};

}  // namespace

std::vector<std::int64_t> repeated_rows(std::span<const row_values> columns, std::span<const std::uint8_t> keep,
                                        const execution& run) {
  const std::size_t rows = columns.empty() ? keep.size() : length_of(columns.front());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (length_of(columns[c]) != rows) {
      throw invalid_input(
          {"repeated_rows", "columns", static_cast<std::int64_t>(c), std::to_string(length_of(columns[c]))},
          "a column of another length than the first (" + std::to_string(rows) + " rows)");
    }
  }
  if (!keep.empty() && keep.size() != rows) {
    throw invalid_input({"repeated_rows", "keep", -1, std::to_string(keep.size())},
                        "keep flags for another number of rows than the columns (" + std::to_string(rows) + ")");
  }
  std::vector<std::int64_t> repeat_of(rows, -1);
  const auto kept = [&](std::size_t row) { return keep.empty() || keep[row] != 0; };

  // Buckets of about 2048 rows, chosen by the top bits of the row's hash.
  const auto bits = static_cast<int>(std::bit_width(rows / 2048));
  const std::size_t buckets = std::size_t{1} << bits;
  const auto bucket_of = [&](std::uint64_t hash) { return bits == 0 ? std::size_t{0} : hash >> (64 - bits); };
  std::vector<std::uint64_t> hashes(rows);
  constexpr std::int64_t chunks = 16;  // fixed, so the buckets' order never depends on threads
  std::vector<std::vector<std::int64_t>> counts(chunks, std::vector<std::int64_t>(buckets, 0));
  const auto chunk_rows = [&](std::int64_t chunk) {
    return std::pair{static_cast<std::size_t>(static_cast<std::int64_t>(rows) * chunk / chunks),
                     static_cast<std::size_t>(static_cast<std::int64_t>(rows) * (chunk + 1) / chunks)};
  };
  detail::parallel_for(
      chunks, run,
      [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t chunk = first; chunk < last; ++chunk) {
          const auto [begin, end] = chunk_rows(chunk);
          auto& count = counts[static_cast<std::size_t>(chunk)];
          for (std::size_t row = begin; row < end; ++row) {
            if (!kept(row)) continue;
            std::uint64_t hash = 0;
            for (const auto& column : columns) hash = detail::scramble(hash ^ value_hash(column, row));
            hashes[row] = hash;
            ++count[bucket_of(hash)];
          }
        }
      },
      1);
  // Each chunk's rows go after the earlier chunks' in every bucket: rows stay in row order.
  std::vector<std::int64_t> bucket_start(buckets + 1, 0);
  for (std::size_t b = 0; b < buckets; ++b) {
    std::int64_t at = bucket_start[b];
    for (auto& count : counts) {
      const std::int64_t n = count[b];
      count[b] = at;
      at += n;
    }
    bucket_start[b + 1] = at;
  }
  std::vector<entry> entries(static_cast<std::size_t>(bucket_start[buckets]));
  detail::parallel_for(
      chunks, run,
      [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t chunk = first; chunk < last; ++chunk) {
          const auto [begin, end] = chunk_rows(chunk);
          auto& next = counts[static_cast<std::size_t>(chunk)];
          for (std::size_t row = begin; row < end; ++row) {
            if (!kept(row)) continue;
            entries[static_cast<std::size_t>(next[bucket_of(hashes[row])]++)] = {static_cast<std::int64_t>(row),
                                                                                 hashes[row]};
          }
        }
      },
      1);
  const auto same_row = [&](std::size_t a, std::size_t b) {
    return std::ranges::all_of(columns, [&](const row_values& column) { return same_value(column, a, b); });
  };
  detail::parallel_for(
      static_cast<std::int64_t>(buckets), run,
      [&](std::int64_t first, std::int64_t last) {
        std::vector<std::int32_t> slots;  // an open-addressing table of the bucket's first rows
        for (std::int64_t b = first; b < last; ++b) {
          const auto begin = static_cast<std::size_t>(bucket_start[static_cast<std::size_t>(b)]);
          const auto end = static_cast<std::size_t>(bucket_start[static_cast<std::size_t>(b) + 1]);
          const std::size_t mask = std::bit_ceil(std::max<std::size_t>(8, 2 * (end - begin))) - 1;
          slots.assign(mask + 1, -1);
          for (std::size_t e = begin; e < end; ++e) {
            const entry& row = entries[e];
            std::size_t slot = row.hash & mask;
            for (; slots[slot] >= 0; slot = (slot + 1) & mask) {
              const entry& earlier = entries[begin + static_cast<std::size_t>(slots[slot])];
              if (earlier.hash == row.hash &&
                  same_row(static_cast<std::size_t>(earlier.row), static_cast<std::size_t>(row.row))) {
                repeat_of[static_cast<std::size_t>(row.row)] = earlier.row;
                break;
              }
            }
            if (slots[slot] < 0) slots[slot] = static_cast<std::int32_t>(e - begin);
          }
        }
      },
      64);
  return repeat_of;
}

}  // namespace cartera
