#include "common/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include "common/assert.h"

// Both paths keep the CRC "register" un-inverted internally; the public
// functions invert on the way in and out (that is what makes them extendable).
// Every table here is computed at compile time and is immutable.

namespace samsa {
namespace {

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

// Slicing-by-8: slice[k][b] is the register contribution of byte b followed by k zero bytes.
struct slicing_tables {
  std::array<std::array<uint32_t, 256>, 8> slice{};
};

constexpr slicing_tables make_slicing_tables() {
  slicing_tables s;
  const byte_table base = make_byte_table();
  s.slice[0] = base.entry;
  for (int k = 1; k < 8; ++k) {
    for (uint32_t i = 0; i < 256; ++i) {
      const uint32_t prev = s.slice[k - 1][i];
      s.slice[k][i] = (prev >> 8) ^ base.entry[prev & 0xffu];
    }
  }
  return s;
}

constexpr slicing_tables kSlicing = make_slicing_tables();

// Bytes are combined little-endian regardless of the host: the reflected CRC
// consumes the lowest-addressed byte first.
inline uint32_t load_le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

uint32_t software_extend(uint32_t reg, const uint8_t* p, size_t n) {
  const auto& t = kSlicing.slice;
  while (n >= 8) {
    const uint32_t lo = load_le32(p) ^ reg;
    const uint32_t hi = load_le32(p + 4);
    reg = t[7][lo & 0xffu] ^ t[6][(lo >> 8) & 0xffu] ^ t[5][(lo >> 16) & 0xffu] ^ t[4][lo >> 24] ^
          t[3][hi & 0xffu] ^ t[2][(hi >> 8) & 0xffu] ^ t[1][(hi >> 16) & 0xffu] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    reg = t[0][(reg ^ *p) & 0xffu] ^ (reg >> 8);
    ++p;
    --n;
  }
  return reg;
}

#if defined(__x86_64__)

// The hardware path runs three independent streams so the crc32 instruction's
// 3-cycle latency is hidden, then merges them. Merging needs "advance a register
// over N zero bytes", a linear map over GF(2) that we tabulate per N.
//
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

// Stream lengths for the 3-way loop: long for bulk data, short for the tail.
constexpr size_t kLongBlock = 8192;
constexpr size_t kShortBlock = 256;
constexpr shift_tables kShiftLong = make_shift_tables(kLongBlock);
constexpr shift_tables kShiftShort = make_shift_tables(kShortBlock);

inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);  // x86 is little-endian, as the CRC wants
  return v;
}

__attribute__((target("sse4.2"))) inline uint32_t three_way(uint32_t reg, const uint8_t* p, size_t block,
                                                             const shift_tables& shift) {
  uint64_t c0 = reg, c1 = 0, c2 = 0;
  const uint8_t* p1 = p + block;
  const uint8_t* p2 = p + 2 * block;
  for (size_t i = 0; i < block; i += 8) {
    c0 = _mm_crc32_u64(c0, load_u64(p + i));
    c1 = _mm_crc32_u64(c1, load_u64(p1 + i));
    c2 = _mm_crc32_u64(c2, load_u64(p2 + i));
  }
  // reg(c, A|B|C) = shift(shift(reg(c, A)) ^ reg(0, B)) ^ reg(0, C)
  return shift.shift(shift.shift(static_cast<uint32_t>(c0)) ^ static_cast<uint32_t>(c1)) ^
         static_cast<uint32_t>(c2);
}

__attribute__((target("sse4.2"))) uint32_t hardware_extend(uint32_t reg, const uint8_t* p, size_t n) {
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7u) != 0) {
    reg = _mm_crc32_u8(reg, *p++);
    --n;
  }
  while (n >= 3 * kLongBlock) {
    reg = three_way(reg, p, kLongBlock, kShiftLong);
    p += 3 * kLongBlock;
    n -= 3 * kLongBlock;
  }
  while (n >= 3 * kShortBlock) {
    reg = three_way(reg, p, kShortBlock, kShiftShort);
    p += 3 * kShortBlock;
    n -= 3 * kShortBlock;
  }
  uint64_t c = reg;
  while (n >= 8) {
    c = _mm_crc32_u64(c, load_u64(p));
    p += 8;
    n -= 8;
  }
  reg = static_cast<uint32_t>(c);
  while (n > 0) {
    reg = _mm_crc32_u8(reg, *p++);
    --n;
  }
  return reg;
}

#endif  // __x86_64__

}  // namespace

uint32_t crc32c_software(const uint8_t* data, size_t n, uint32_t crc) {
  return ~software_extend(~crc, data, n);
}

bool crc32c_hardware_available() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("sse4.2");
#else
  return false;
#endif
}

uint32_t crc32c_hardware(const uint8_t* data, size_t n, uint32_t crc) {
#if defined(__x86_64__)
  SAMSA_ASSERT(crc32c_hardware_available(), "crc32c_hardware needs SSE4.2");
  return ~hardware_extend(~crc, data, n);
#else
  SAMSA_UNREACHABLE("crc32c_hardware on a CPU without it");
#endif
}

uint32_t crc32c(const uint8_t* data, size_t n, uint32_t crc) {
#if defined(__x86_64__)
  // Decided once; a CPU does not lose SSE4.2 while we run.
  static const bool use_hardware = crc32c_hardware_available();
  if (use_hardware) return ~hardware_extend(~crc, data, n);
#endif
  return ~software_extend(~crc, data, n);
}

}  // namespace samsa
