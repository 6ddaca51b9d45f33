#pragma once

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka's
// RecordBatch v2. Uses carry-less multiply folding (AVX2 + VPCLMULQDQ) when the
// CPU has it, else the SSE4.2 `crc32` instruction, else a slicing-by-8 table; all
// give identical results.
//
// Extend semantics: `crc` is the CRC of the bytes that precede `data`, so
//   crc32c(b, nb, crc32c(a, na)) == crc32c(a ++ b, na + nb)
// and crc32c(nullptr, 0) == 0. Standard vector: crc32c("123456789") == 0xE3069283.
//
// Thread-safety: all functions are pure; any thread may call them at any time.

#include <cstddef>
#include <cstdint>
#include <span>

namespace samsa {

uint32_t crc32c(const uint8_t* data, size_t n, uint32_t crc = 0);

inline uint32_t crc32c(std::span<const uint8_t> data, uint32_t crc = 0) {
  return crc32c(data.data(), data.size(), crc);
}

// The two implementations, exposed so tests can check they agree.
uint32_t crc32c_software(const uint8_t* data, size_t n, uint32_t crc = 0);
// True when this CPU can run crc32c_hardware.
bool crc32c_hardware_available();
// Precondition: crc32c_hardware_available().
uint32_t crc32c_hardware(const uint8_t* data, size_t n, uint32_t crc = 0);
// True when this CPU can run crc32c_folding (AVX2, VPCLMULQDQ, SSE4.2).
bool crc32c_folding_available();
// Precondition: crc32c_folding_available(). Short inputs go to the SSE4.2 path.
uint32_t crc32c_folding(const uint8_t* data, size_t n, uint32_t crc = 0);

}  // namespace samsa
