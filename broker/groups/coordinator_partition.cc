#include "broker/groups/coordinator_partition.h"

namespace samsa::broker::groups {
namespace {

// Decodes one UTF-8 code point at s[i], advancing i; U+FFFD for a bad byte.
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int extra = 0;
  uint32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) extra = 1, cp = b0 & 0x1F;
  else if ((b0 & 0xF0) == 0xE0) extra = 2, cp = b0 & 0x0F;
  else if ((b0 & 0xF8) == 0xF0) extra = 3, cp = b0 & 0x07;
  else {
    ++i;
    return 0xFFFD;
  }
  if (i + extra >= s.size()) {  // truncated sequence
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return cp;
}

}  // namespace

int32_t java_string_hash_code(std::string_view utf8) {
  uint32_t h = 0;  // Java int arithmetic wraps: unsigned here
  size_t i = 0;
  while (i < utf8.size()) {
    const uint32_t cp = next_code_point(utf8, i);
    if (cp >= 0x10000) {
      const uint32_t v = cp - 0x10000;
      h = 31 * h + (0xD800 + (v >> 10));
      h = 31 * h + (0xDC00 + (v & 0x3FF));
    } else {
      h = 31 * h + cp;
    }
  }
  return static_cast<int32_t>(h);
}

int32_t coordinator_partition_for(std::string_view group_id, int32_t partitions) {
  const int32_t h = java_string_hash_code(group_id);
  // Utils.abs: Integer.MIN_VALUE maps to 0.
  const int32_t a = h == INT32_MIN ? 0 : (h < 0 ? -h : h);
  return a % partitions;
}

}  // namespace samsa::broker::groups
