#pragma once

// Zigzag varints (protobuf sint32/sint64) as used inside Kafka records, and a
// bounds-checked cursor for reading untrusted record bytes.
//
// Decoding matches Kafka's ByteUtils exactly: a varint is at most 5 bytes and a
// varlong at most 10; a continuation bit on the last allowed byte is an error;
// value bits past 32 (64) in that last byte are ignored, as Kafka ignores them.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace samsa::protocol {

inline constexpr size_t kMaxVarintBytes = 5;
inline constexpr size_t kMaxVarlongBytes = 10;

size_t varint_size(int32_t v);
size_t varlong_size(int64_t v);
void append_varint(std::vector<uint8_t>& out, int32_t v);
void append_varlong(std::vector<uint8_t>& out, int64_t v);

// Reads forward through a span. Each read either succeeds whole or returns false;
// after a false return the position is unspecified and the cursor should be dropped.
class byte_cursor {
 public:
  explicit byte_cursor(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }

  // Inline with a one- and two-byte fast path: the appender validates every
  // record of every batch with these, about eight reads per record.
  bool read_int8(int8_t& out) {
    if (remaining() < 1) return false;
    out = static_cast<int8_t>(bytes_[pos_++]);
    return true;
  }
  bool read_varint(int32_t& out) {
    uint32_t raw = 0;
    if (!read_short_unsigned_varint(raw)) return read_varint_slow(out);
    out = static_cast<int32_t>((raw >> 1) ^ (0u - (raw & 1u)));
    return true;
  }
  bool read_varlong(int64_t& out) {
    uint32_t raw = 0;
    if (!read_short_unsigned_varint(raw)) return read_varlong_slow(out);
    out = static_cast<int64_t>((uint64_t{raw} >> 1) ^ (0ull - (uint64_t{raw} & 1ull)));
    return true;
  }
  // The next n bytes, as a view into the underlying span.
  bool read_bytes(size_t n, std::span<const uint8_t>& out) {
    if (remaining() < n) return false;
    out = bytes_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  // The one- and two-byte encodings (values below 2^14) without a loop: record
  // lengths and key/value lengths of records under 8 KiB take two bytes. False,
  // with the position unchanged, for anything longer or truncated.
  bool read_short_unsigned_varint(uint32_t& raw) {
    const size_t left = remaining();
    if (left >= 1 && bytes_[pos_] < 0x80) {
      raw = bytes_[pos_++];
      return true;
    }
    if (left >= 2 && bytes_[pos_ + 1] < 0x80) {
      raw = (uint32_t{bytes_[pos_]} & 0x7fu) | (uint32_t{bytes_[pos_ + 1]} << 7);
      pos_ += 2;
      return true;
    }
    return false;
  }
  bool read_varint_slow(int32_t& out);
  bool read_varlong_slow(int64_t& out);

  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;  // Invariant: pos_ <= bytes_.size().
};

}  // namespace samsa::protocol
