#pragma once

// Internal to common/crc32c*.cc: the register-level entry points of each
// implementation. A "register" is the un-inverted CRC state (see crc32c.cc).

#include <cstddef>
#include <cstdint>

namespace samsa::crc32c_detail {

#if defined(__x86_64__)
// SSE4.2 crc32 instruction, three interleaved streams. Needs SSE4.2.
uint32_t sse42_extend(uint32_t reg, const uint8_t* p, size_t n);

// Carry-less multiply folding (VPCLMULQDQ on 256-bit registers), 128 bytes per
// step, finished with sse42_extend. Needs AVX2, VPCLMULQDQ, PCLMULQDQ and SSE4.2.
uint32_t vpclmul_extend(uint32_t reg, const uint8_t* p, size_t n);
bool vpclmul_available();
#endif

}  // namespace samsa::crc32c_detail
