#include "common/crc32c_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#include <cstring>

#include "common/crc32c_shift.h"

// CRC by carry-less multiply folding (Intel's "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ", reflected form), four 256-bit
// accumulators = eight 16-byte lanes, 128 bytes per step.
//
// Why it is correct: a 16-byte chunk F (bits reflected: bit 0 of byte 0 is the
// highest power) standing D bits before the end of a message contributes
// F(x)·x^D, and F·x^D ≡ H·(x^(64+D) mod P) + L·(x^D mod P) (H, L = the chunk's
// high- and low-degree halves), a value of < 128 bits. Folding keeps, for the
// bytes consumed so far, a 128-bit value congruent to them modulo P; the CRC of
// a message with register 0 is M(x)·x^32 mod P, so at the end the CRC of the
// folded 16 bytes equals the CRC of everything folded. The initial register is
// XORed into the first four bytes (how a reflected CRC register enters).
//
// Every constant is computed at compile time from the polynomial; nothing here
// is a magic number copied from elsewhere.

namespace samsa::crc32c_detail {
namespace {

constexpr uint32_t kNormalPolynomial = 0x1EDC6F41u;  // Castagnoli, x^32 implied

// x^n mod P, as a normal (bit j = coefficient of x^j) 32-bit value.
constexpr uint32_t x_pow_mod(unsigned n) {
  uint64_t r = 1;
  for (unsigned i = 0; i < n; ++i) {
    r <<= 1;
    if (r & (uint64_t{1} << 32)) r ^= (uint64_t{1} << 32) | kNormalPolynomial;
  }
  return static_cast<uint32_t>(r);
}

// A polynomial of degree < 64 in the reflected 64-bit layout (x^j at bit 63-j).
constexpr uint64_t reflect64(uint64_t v) {
  uint64_t r = 0;
  for (int i = 0; i < 64; ++i) {
    if (v & (uint64_t{1} << i)) r |= uint64_t{1} << (63 - i);
  }
  return r;
}

// The multiplier pair that moves a chunk D bits further. A reflected carry-less
// product carries an extra factor x (its result is one bit short), hence D-1.
struct fold_constants {
  uint64_t for_high_half;  // x^(64+D-1) mod P, applied to the low qword (high powers)
  uint64_t for_low_half;   // x^(D-1) mod P, applied to the high qword
};

constexpr fold_constants constants_for(unsigned distance_bits) {
  return {reflect64(x_pow_mod(64 + distance_bits - 1)), reflect64(x_pow_mod(distance_bits - 1))};
}

constexpr fold_constants kFold1024 = constants_for(1024);
constexpr fold_constants kFold512 = constants_for(512);
constexpr fold_constants kFold256 = constants_for(256);
constexpr fold_constants kFold128 = constants_for(128);

#define SAMSA_FOLD_TARGET __attribute__((target("avx2,vpclmulqdq,pclmul,sse4.2")))

SAMSA_FOLD_TARGET inline __m256i broadcast(fold_constants k) {
  const __m128i pair = _mm_set_epi64x(static_cast<long long>(k.for_low_half), static_cast<long long>(k.for_high_half));
  return _mm256_broadcastsi128_si256(pair);
}

// Each 128-bit lane of v moved `k`'s distance further, XORed with `next`.
SAMSA_FOLD_TARGET inline __m256i fold(__m256i v, __m256i k, __m256i next) {
  const __m256i high = _mm256_clmulepi64_epi128(v, k, 0x00);  // low qword of v × for_high_half
  const __m256i low = _mm256_clmulepi64_epi128(v, k, 0x11);   // high qword of v × for_low_half
  return _mm256_xor_si256(_mm256_xor_si256(high, low), next);
}

SAMSA_FOLD_TARGET inline __m128i fold(__m128i v, fold_constants k, __m128i next) {
  const __m128i kk = _mm_set_epi64x(static_cast<long long>(k.for_low_half), static_cast<long long>(k.for_high_half));
  const __m128i high = _mm_clmulepi64_si128(v, kk, 0x00);
  const __m128i low = _mm_clmulepi64_si128(v, kk, 0x11);
  return _mm_xor_si128(_mm_xor_si128(high, low), next);
}

SAMSA_FOLD_TARGET inline __m256i load(const uint8_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

inline uint64_t load_u64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);  // x86 is little-endian, as the CRC wants
  return v;
}

// Eight lanes at 16-byte positions 0..7 (a0 = lanes 0,1 ... a3 = lanes 6,7) down
// to one 128-bit value at position 7, then its CRC from register 0: the register
// after every byte the lanes stand for.
SAMSA_FOLD_TARGET inline uint32_t finish(__m256i a0, __m256i a1, __m256i a2, __m256i a3) {
  const __m256i k512 = broadcast(kFold512);
  const __m256i upper = fold(a0, k512, a2);                        // lanes 0,1 onto 4,5
  const __m256i top = fold(a1, k512, a3);                          // lanes 2,3 onto 6,7
  const __m256i last_two = fold(upper, broadcast(kFold256), top);  // lanes 4,5 onto 6,7
  const __m128i folded = fold(_mm256_castsi256_si128(last_two), kFold128, _mm256_extracti128_si256(last_two, 1));
  const uint64_t lo = static_cast<uint64_t>(_mm_cvtsi128_si64(folded));
  const uint64_t hi = static_cast<uint64_t>(_mm_extract_epi64(folded, 1));
  return static_cast<uint32_t>(_mm_crc32_u64(_mm_crc32_u64(0, lo), hi));
}

SAMSA_FOLD_TARGET inline __m256i with_register(__m256i first, uint32_t reg) {
  return _mm256_xor_si256(first, _mm256_zextsi128_si256(_mm_cvtsi32_si128(static_cast<int>(reg))));
}

// The fused step: the crc32 instruction (integer ports) and carry-less multiply
// (vector ports) run in parallel on two halves of a block, which neither can do
// alone at this speed. Folded half: 128 + kFusedFolds x 128 bytes; the other
// half: three crc32 streams of kFusedRounds x 8 bytes each, five rounds per fold.
constexpr size_t kFusedFolds = 24;
constexpr size_t kFusedRounds = 5 * kFusedFolds;
constexpr size_t kFoldedBytes = 128 * (kFusedFolds + 1);
constexpr size_t kStreamBytes = 8 * kFusedRounds;
constexpr size_t kFusedBlock = kFoldedBytes + 3 * kStreamBytes;
constexpr shift_tables kShiftStream = make_shift_tables(kStreamBytes);
constexpr shift_tables kShiftStreams = make_shift_tables(3 * kStreamBytes);

SAMSA_FOLD_TARGET inline uint32_t fused_block(uint32_t reg, const uint8_t* p) {
  __m256i a0 = with_register(load(p), reg);
  __m256i a1 = load(p + 32);
  __m256i a2 = load(p + 64);
  __m256i a3 = load(p + 96);
  const uint8_t* a = p + 128;
  const uint8_t* s0 = p + kFoldedBytes;
  const uint8_t* s1 = s0 + kStreamBytes;
  const uint8_t* s2 = s1 + kStreamBytes;
  uint64_t c0 = 0, c1 = 0, c2 = 0;
  const __m256i k1024 = broadcast(kFold1024);
  for (size_t i = 0; i < kFusedFolds; ++i) {
    a0 = fold(a0, k1024, load(a));
    a1 = fold(a1, k1024, load(a + 32));
    a2 = fold(a2, k1024, load(a + 64));
    a3 = fold(a3, k1024, load(a + 96));
    a += 128;
    for (int r = 0; r < 5; ++r) {
      c0 = _mm_crc32_u64(c0, load_u64(s0));
      c1 = _mm_crc32_u64(c1, load_u64(s1));
      c2 = _mm_crc32_u64(c2, load_u64(s2));
      s0 += 8;
      s1 += 8;
      s2 += 8;
    }
  }
  const uint32_t streams = kShiftStream.shift(kShiftStream.shift(static_cast<uint32_t>(c0)) ^ static_cast<uint32_t>(c1)) ^
                           static_cast<uint32_t>(c2);
  return kShiftStreams.shift(finish(a0, a1, a2, a3)) ^ streams;
}

}  // namespace

bool vpclmul_available() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("vpclmulqdq") &&
         __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.2");
}

SAMSA_FOLD_TARGET uint32_t vpclmul_extend(uint32_t reg, const uint8_t* p, size_t n) {
  while (n >= kFusedBlock) {
    reg = fused_block(reg, p);
    p += kFusedBlock;
    n -= kFusedBlock;
  }
  constexpr size_t kStep = 128;
  if (n < 2 * kStep) return sse42_extend(reg, p, n);

  __m256i a0 = with_register(load(p), reg);
  __m256i a1 = load(p + 32);
  __m256i a2 = load(p + 64);
  __m256i a3 = load(p + 96);
  p += kStep;
  n -= kStep;
  const __m256i k1024 = broadcast(kFold1024);
  while (n >= kStep) {
    a0 = fold(a0, k1024, load(p));
    a1 = fold(a1, k1024, load(p + 32));
    a2 = fold(a2, k1024, load(p + 64));
    a3 = fold(a3, k1024, load(p + 96));
    p += kStep;
    n -= kStep;
  }
  return sse42_extend(finish(a0, a1, a2, a3), p, n);
}

}  // namespace samsa::crc32c_detail

#endif  // __x86_64__
