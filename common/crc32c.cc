#include "common/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include "common/assert.h"
#include "common/crc32c_internal.h"
#include "common/crc32c_shift.h"

// Both paths keep the CRC "register" un-inverted internally; the public
// functions invert on the way in and out (that is what makes them extendable).
// Every table here is computed at compile time and is immutable.

namespace samsa {
namespace {

using crc32c_detail::byte_table;
using crc32c_detail::make_byte_table;
using crc32c_detail::make_shift_tables;
using crc32c_detail::shift_tables;


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
// over N zero bytes", a linear map over GF(2) tabulated per N (crc32c_shift.h).

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

}  // namespace

__attribute__((target("sse4.2"))) uint32_t crc32c_detail::sse42_extend(uint32_t reg, const uint8_t* p, size_t n) {
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

namespace {
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
  return ~crc32c_detail::sse42_extend(~crc, data, n);
#else
  SAMSA_UNREACHABLE("crc32c_hardware on a CPU without it");
#endif
}

bool crc32c_folding_available() {
#if defined(__x86_64__)
  return crc32c_detail::vpclmul_available();
#else
  return false;
#endif
}

uint32_t crc32c_folding(const uint8_t* data, size_t n, uint32_t crc) {
#if defined(__x86_64__)
  SAMSA_ASSERT(crc32c_folding_available(), "crc32c_folding needs AVX2 and VPCLMULQDQ");
  return ~crc32c_detail::vpclmul_extend(~crc, data, n);
#else
  SAMSA_UNREACHABLE("crc32c_folding on a CPU without it");
#endif
}

uint32_t crc32c(const uint8_t* data, size_t n, uint32_t crc) {
#if defined(__x86_64__)
  // Decided once; a CPU does not lose an instruction set while we run.
  static const bool use_folding = crc32c_folding_available();
  static const bool use_hardware = crc32c_hardware_available();
  if (use_folding) return ~crc32c_detail::vpclmul_extend(~crc, data, n);
  if (use_hardware) return ~crc32c_detail::sse42_extend(~crc, data, n);
#endif
  return ~software_extend(~crc, data, n);
}

}  // namespace samsa
