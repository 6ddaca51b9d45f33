#include "protocol/wire/reader.h"

#include <algorithm>

namespace samsa::protocol {

const char* to_string(decode_error e) {
  switch (e) {
    case decode_error::none: return "none";
    case decode_error::truncated: return "truncated";
    case decode_error::invalid_length: return "invalid length";
    case decode_error::null_not_allowed: return "null in a non-nullable field";
    case decode_error::string_too_long: return "string longer than 32767 bytes";
    case decode_error::varint_too_long: return "varint too long";
    case decode_error::collection_too_large: return "collection larger than the remaining bytes";
    case decode_error::invalid_tag: return "tag not valid for this version";
    case decode_error::trailing_bytes: return "trailing bytes";
    case decode_error::unsupported_version: return "unsupported version";
  }
  return "unknown";
}

uint32_t reader::read_uvarint() {
  uint32_t value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (p_ == end_) {
      fail(decode_error::truncated);
      return 0;
    }
    uint8_t b = *p_++;
    // The fifth byte may carry only the top four bits of a 32-bit value.
    if (shift == 28 && (b & 0xf0) != 0) {
      fail(decode_error::varint_too_long);
      return 0;
    }
    value |= static_cast<uint32_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return value;
  }
  fail(decode_error::varint_too_long);
  return 0;
}

uint64_t reader::read_uvarlong() {
  uint64_t value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (p_ == end_) {
      fail(decode_error::truncated);
      return 0;
    }
    uint8_t b = *p_++;
    if (shift == 63 && (b & 0xfe) != 0) {
      fail(decode_error::varint_too_long);
      return 0;
    }
    value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return value;
  }
  fail(decode_error::varint_too_long);
  return 0;
}

int64_t reader::read_length(bool compact, bool int16_length) {
  int64_t n;
  if (compact) {
    n = static_cast<int64_t>(read_uvarint()) - 1;
  } else if (int16_length) {
    n = read_int16();
  } else {
    n = read_int32();
  }
  if (!ok()) return -2;
  // Kafka reads any negative length as null.
  return n < 0 ? -1 : n;
}

void reader::read_string(std::string& out, bool compact) {
  int64_t n = read_length(compact, true);
  if (n == -2) return;
  if (n < 0) return fail(decode_error::null_not_allowed);
  if (n > 0x7fff) return fail(decode_error::string_too_long);
  auto s = read_span(static_cast<size_t>(n));
  out.assign(reinterpret_cast<const char*>(s.data()), s.size());
}

void reader::read_string(std::optional<std::string>& out, bool compact, bool nullable) {
  int64_t n = read_length(compact, true);
  if (n == -2) return;
  if (n < 0) {
    if (!nullable) return fail(decode_error::null_not_allowed);
    out.reset();
    return;
  }
  if (n > 0x7fff) return fail(decode_error::string_too_long);
  auto s = read_span(static_cast<size_t>(n));
  out.emplace(reinterpret_cast<const char*>(s.data()), s.size());
}

void reader::read_bytes(std::vector<uint8_t>& out, bool compact) {
  int64_t n = read_length(compact, false);
  if (n == -2) return;
  if (n < 0) return fail(decode_error::null_not_allowed);
  auto s = read_span(static_cast<size_t>(n));
  out.assign(s.begin(), s.end());
}

void reader::read_bytes(std::optional<std::vector<uint8_t>>& out, bool compact, bool nullable) {
  int64_t n = read_length(compact, false);
  if (n == -2) return;
  if (n < 0) {
    if (!nullable) return fail(decode_error::null_not_allowed);
    out.reset();
    return;
  }
  auto s = read_span(static_cast<size_t>(n));
  out.emplace(s.begin(), s.end());
}

void reader::read_records(records& out, bool compact, bool nullable) {
  int64_t n = read_length(compact, false);
  if (n == -2) return;
  if (n < 0) {
    if (!nullable) return fail(decode_error::null_not_allowed);
    out = records();
    return;
  }
  auto s = read_span(static_cast<size_t>(n));
  if (ok()) out = records::borrowed(s, owner_);
}

int32_t reader::read_array_length(bool compact, bool nullable, size_t min_element_size) {
  int64_t n = read_length(compact, false);
  if (n == -2) return -1;
  if (n < 0) {
    if (!nullable) fail(decode_error::null_not_allowed);
    return -1;
  }
  // Kafka refuses counts above the remaining byte count; elements of a known
  // minimum size tighten that bound (such a message would fail later anyway).
  if (static_cast<uint64_t>(n) * std::max<size_t>(min_element_size, 1) > remaining()) {
    fail(decode_error::collection_too_large);
    return -1;
  }
  return static_cast<int32_t>(n);
}

uint32_t reader::read_tag_count() {
  uint32_t n = read_uvarint();
  // Every tagged field takes at least two bytes (tag and size).
  if (static_cast<uint64_t>(n) * 2 > remaining()) {
    fail(decode_error::collection_too_large);
    return 0;
  }
  return n;
}

}  // namespace samsa::protocol
