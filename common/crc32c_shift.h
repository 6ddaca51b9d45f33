#pragma once

// Internal to common/crc32c*.cc: the CRC-32C register as a linear map over
// GF(2), evaluated at compile time. "Shift by N" advances a register over N
// zero bytes; it is what merges CRCs of pieces computed independently:
//   reg(c, A ++ B) = shift_|B|(reg(c, A)) ^ reg(0, B).
// Registers are un-inverted and bit-reflected (see crc32c.cc).

#include <array>
#include <cstddef>
#include <cstdint>

namespace samsa::crc32c_detail {

constexpr uint32_t kPolynomial = 0x82F63B78u;  // Castagnoli, bit-reflected.

// One byte of input through the register: the classic reflected table step.
struct byte_table {
  std::array<uint32_t, 256> entry{};
};

constexpr byte_table make_byte_table() {
  byte_table t;
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c >> 1) ^ (kPolynomial & (0u - (c & 1u)));
    t.entry[i] = c;
  }
  return t;
}

// A linear map on 32-bit registers, stored as the images of the 32 unit vectors.
struct gf2_map {
  std::array<uint32_t, 32> column{};

  constexpr uint32_t apply(uint32_t v) const {
    uint32_t out = 0;
    for (int i = 0; v != 0; ++i, v >>= 1) {
      if (v & 1u) out ^= column[i];
    }
    return out;
  }
  // (this ∘ other): apply `other` first.
  constexpr gf2_map after(const gf2_map& other) const {
    gf2_map r;
    for (int i = 0; i < 32; ++i) r.column[i] = apply(other.column[i]);
    return r;
  }
};

constexpr gf2_map zero_bytes_map(size_t n) {
  const byte_table t = make_byte_table();
  gf2_map one_byte;  // reg -> table[reg & 0xff] ^ (reg >> 8)
  for (int i = 0; i < 32; ++i) {
    const uint32_t v = 1u << i;
    one_byte.column[i] = t.entry[v & 0xffu] ^ (v >> 8);
  }
  gf2_map result;
  for (int i = 0; i < 32; ++i) result.column[i] = 1u << i;  // identity
  gf2_map power = one_byte;
  while (n > 0) {
    if (n & 1u) result = power.after(result);
    power = power.after(power);
    n >>= 1;
  }
  return result;
}

// The zero-byte map for a fixed length, as four byte-indexed tables.
struct shift_tables {
  std::array<std::array<uint32_t, 256>, 4> by_byte{};

  uint32_t shift(uint32_t reg) const {
    return by_byte[0][reg & 0xffu] ^ by_byte[1][(reg >> 8) & 0xffu] ^ by_byte[2][(reg >> 16) & 0xffu] ^
           by_byte[3][reg >> 24];
  }
};

constexpr shift_tables make_shift_tables(size_t n) {
  const gf2_map m = zero_bytes_map(n);
  shift_tables s;
  for (int k = 0; k < 4; ++k) {
    for (uint32_t b = 0; b < 256; ++b) s.by_byte[k][b] = m.apply(b << (8 * k));
  }
  return s;
}

}  // namespace samsa::crc32c_detail
