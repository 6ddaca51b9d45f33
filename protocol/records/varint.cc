#include "protocol/records/varint.h"

namespace samsa::protocol {
namespace {

uint32_t zigzag32(int32_t v) { return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31); }
uint64_t zigzag64(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }

template <typename U>
size_t unsigned_size(U u) {
  size_t n = 1;
  while (u >= 0x80) {
    u >>= 7;
    ++n;
  }
  return n;
}

template <typename U>
void append_unsigned(std::vector<uint8_t>& out, U u) {
  while (u >= 0x80) {
    out.push_back(static_cast<uint8_t>(u | 0x80));
    u >>= 7;
  }
  out.push_back(static_cast<uint8_t>(u));
}

}  // namespace

size_t varint_size(int32_t v) { return unsigned_size(zigzag32(v)); }
size_t varlong_size(int64_t v) { return unsigned_size(zigzag64(v)); }
void append_varint(std::vector<uint8_t>& out, int32_t v) { append_unsigned(out, zigzag32(v)); }
void append_varlong(std::vector<uint8_t>& out, int64_t v) { append_unsigned(out, zigzag64(v)); }

bool byte_cursor::read_varint_slow(int32_t& out) {
  uint32_t raw = 0;
  for (size_t i = 0; i < kMaxVarintBytes; ++i) {
    if (remaining() < 1) return false;
    const uint8_t b = bytes_[pos_++];
    raw |= static_cast<uint32_t>(b & 0x7f) << (7 * i);  // bits past 32 fall off, as in Kafka
    if ((b & 0x80) == 0) {
      out = static_cast<int32_t>((raw >> 1) ^ (0u - (raw & 1u)));
      return true;
    }
  }
  return false;  // continuation bit on the fifth byte
}

bool byte_cursor::read_varlong_slow(int64_t& out) {
  uint64_t raw = 0;
  for (size_t i = 0; i < kMaxVarlongBytes; ++i) {
    if (remaining() < 1) return false;
    const uint8_t b = bytes_[pos_++];
    raw |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      out = static_cast<int64_t>((raw >> 1) ^ (0ull - (raw & 1ull)));
      return true;
    }
  }
  return false;  // continuation bit on the tenth byte
}

}  // namespace samsa::protocol
