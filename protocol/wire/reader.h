#pragma once

// Bounds-checked reading of Kafka's primitive types from a byte span.
//
// Errors are sticky: the first failure is recorded, the reader jumps to the end
// and every later read returns a zero value, so generated decoders check ok()
// only where a loop or an allocation depends on what was read.
//
// Invariant: begin_ <= p_ <= end_; nothing is ever read outside [begin_, end_).

#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/endian.h"
#include "common/uuid.h"
#include "protocol/wire/decode_error.h"
#include "protocol/wire/records.h"
#include "protocol/wire/tagged_field.h"

namespace samsa::protocol {

class reader {
 public:
  reader() = default;
  // `owner` keeps the bytes alive for records views that outlive the reader.
  explicit reader(std::span<const uint8_t> bytes, std::shared_ptr<const void> owner = {})
      : begin_(bytes.data()), p_(bytes.data()), end_(bytes.data() + bytes.size()), owner_(std::move(owner)) {}

  bool ok() const { return error_ == decode_error::none; }
  decode_error error() const { return error_; }
  // Offset of the first failure, for logs.
  size_t error_position() const { return error_position_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  size_t position() const { return static_cast<size_t>(p_ - begin_); }
  const std::shared_ptr<const void>& owner() const { return owner_; }

  void fail(decode_error e) {
    if (ok()) {
      error_ = e;
      error_position_ = position();
    }
    p_ = end_;
  }

  int8_t read_int8() { return fixed<int8_t>(); }
  int16_t read_int16() { return fixed<int16_t>(); }
  int32_t read_int32() { return fixed<int32_t>(); }
  int64_t read_int64() { return fixed<int64_t>(); }
  uint16_t read_uint16() { return fixed<uint16_t>(); }
  uint32_t read_uint32() { return fixed<uint32_t>(); }
  bool read_bool() { return fixed<int8_t>() != 0; }
  double read_float64() { return std::bit_cast<double>(fixed<uint64_t>()); }
  uuid read_uuid() {
    uuid u;
    if (remaining() < 16) {
      fail(decode_error::truncated);
      return u;
    }
    for (auto& b : u.bytes) b = *p_++;
    return u;
  }

  uint32_t read_uvarint();
  uint64_t read_uvarlong();
  int32_t read_varint() {
    uint32_t u = read_uvarint();
    return static_cast<int32_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  int64_t read_varlong() {
    uint64_t u = read_uvarlong();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }

  // The next n bytes, or an empty span (and a failure) if fewer remain.
  std::span<const uint8_t> read_span(size_t n) {
    if (remaining() < n) {
      fail(decode_error::truncated);
      return {};
    }
    std::span<const uint8_t> s(p_, n);
    p_ += n;
    return s;
  }

  // A reader over the next n bytes, sharing this reader's owner.
  reader sub_reader(size_t n) {
    auto s = read_span(n);
    reader r(s, owner_);
    if (!ok()) r.fail(error_);
    return r;
  }

  void read_string(std::string& out, bool compact);
  void read_string(std::optional<std::string>& out, bool compact, bool nullable);
  void read_bytes(std::vector<uint8_t>& out, bool compact);
  void read_bytes(std::optional<std::vector<uint8_t>>& out, bool compact, bool nullable);
  void read_records(records& out, bool compact, bool nullable);
  // An array's element count, or -1 for a null array (only when nullable).
  // Fails when the remaining bytes cannot hold count elements of at least
  // min_element_size bytes each, so a lying count never drives an allocation.
  int32_t read_array_length(bool compact, bool nullable, size_t min_element_size);
  // The tagged-field count of a flexible struct, bounded like an array count.
  uint32_t read_tag_count();

 private:
  template <typename T>
  T fixed() {
    if (remaining() < sizeof(T)) {
      fail(decode_error::truncated);
      return T{};
    }
    T v = load_be<T>(p_);
    p_ += sizeof(T);
    return v;
  }
  // Reads a length prefix: compact = unsigned varint of length+1, otherwise an
  // int16 (strings) or int32. Returns -1 for null, -2 after a failure.
  int64_t read_length(bool compact, bool int16_length);

  const uint8_t* begin_ = nullptr;
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  std::shared_ptr<const void> owner_;
  decode_error error_ = decode_error::none;
  size_t error_position_ = 0;
};

}  // namespace samsa::protocol
