#pragma once

// Shared helpers for the record codec tests.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/records/batch_builder.h"
#include "protocol/records/record_reader.h"

namespace samsa::protocol::testing {

inline std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline std::string string_of(std::span<const uint8_t> b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

// A record as tests write it: strings for bytes, nullopt for null.
struct sample_record {
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
  int64_t timestamp_ms = 1700000000000;
};

// Builds a batch of `records` with `options`; aborts the test on failure.
inline std::vector<uint8_t> build_batch(const batch_builder_options& options,
                                        const std::vector<sample_record>& records) {
  batch_builder b(options);
  for (const auto& r : records) {
    std::vector<record_header_view> headers;
    for (const auto& [k, v] : r.headers) {
      record_header_view h;
      h.key = bytes_of(k);
      if (v) h.value = bytes_of(*v);
      headers.push_back(h);
    }
    record_input in;
    if (r.key) in.key = bytes_of(*r.key);
    if (r.value) in.value = bytes_of(*r.value);
    in.headers = headers;
    in.timestamp_ms = r.timestamp_ms;
    if (!b.append(in)) std::abort();
  }
  auto built = b.build();
  if (!built) std::abort();
  return std::move(built).value();
}

inline std::vector<sample_record> three_records() {
  return {
      {"key-0", "value-0 value-0 value-0 value-0", {{"h1", "v1"}}, 1700000000000},
      {std::nullopt, "hello hello hello hello hello", {}, 1700000000005},
      {"k2", std::nullopt, {{"trace", std::nullopt}, {"empty", ""}}, 1700000000001},
  };
}

// Reads every record back as sample_records (timestamps made absolute by `batch`).
template <typename BatchView>
std::vector<sample_record> read_back(const BatchView& batch, record_reader reader) {
  std::vector<sample_record> out;
  record_view r;
  while (reader.next(r)) {
    sample_record s;
    if (r.key) s.key = string_of(*r.key);
    if (r.value) s.value = string_of(*r.value);
    header_reader hr(r);
    record_header_view h;
    while (hr.next(h)) {
      std::optional<std::string> v;
      if (h.value) v = string_of(*h.value);
      s.headers.emplace_back(std::string(h.key_string()), v);
    }
    s.timestamp_ms = batch.record_timestamp_ms(r.timestamp_delta);
    out.push_back(std::move(s));
  }
  return out;
}

inline bool operator==(const sample_record& a, const sample_record& b) {
  return a.key == b.key && a.value == b.value && a.headers == b.headers && a.timestamp_ms == b.timestamp_ms;
}

}  // namespace samsa::protocol::testing
