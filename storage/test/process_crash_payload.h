#pragma once

// What the crash child writes: record values derived from their offsets.

#include <cstdint>
#include <string>
#include <vector>

#include "storage/test/log_fixture.h"

namespace samsa::storage::testing {

inline const std::string kCrashTopic = "killed";

inline std::string payload_for(int64_t offset, size_t extra) {
  std::string v = "offset-" + std::to_string(offset) + "-";
  const uint64_t h = static_cast<uint64_t>(offset) * 0x9E3779B97F4A7C15ull;
  for (size_t i = 0; i < extra; ++i) v.push_back(static_cast<char>('a' + (h >> (i % 60)) % 26));
  return v;
}

// The record at `offset` carries payload_for(offset, extra(offset)).
inline size_t extra_for(int64_t offset, size_t size_hint) { return (static_cast<size_t>(offset) * 31 + size_hint) % 700; }

inline std::vector<uint8_t> payload_batch(int64_t first_offset, int n, size_t size_hint) {
  batch_spec s;
  for (int i = 0; i < n; ++i) {
    const int64_t o = first_offset + i;
    s.records.push_back({"k" + std::to_string(o), payload_for(o, extra_for(o, 0)), kT0 + o});
  }
  (void)size_hint;
  return make_batch(s);
}

}  // namespace samsa::storage::testing
