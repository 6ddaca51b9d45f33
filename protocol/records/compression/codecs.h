#pragma once

// The per-codec halves of compression.h. Same contracts; exposed for tests and
// for callers that need a specific framing (raw snappy).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "protocol/records/record_result.h"

namespace samsa::protocol {

record_status gzip_compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level);
record_result<std::vector<uint8_t>> gzip_decompress(std::span<const uint8_t> input, size_t max_output_bytes);

// Snappy comes in two framings inside Kafka batches. Java producers (snappy-java's
// SnappyOutputStream) write the xerial stream: a 16-byte header then
// [int32 length][raw snappy block] chunks. librdkafka writes one raw snappy block.
// Readers tell them apart by the header's 8-byte magic, as snappy-java does.
enum class snappy_framing : uint8_t { xerial, raw };
snappy_framing detect_snappy_framing(std::span<const uint8_t> input);
record_status snappy_compress_xerial(std::span<const uint8_t> input, std::vector<uint8_t>& out);
record_status snappy_compress_raw(std::span<const uint8_t> input, std::vector<uint8_t>& out);
record_result<std::vector<uint8_t>> snappy_decompress(std::span<const uint8_t> input, size_t max_output_bytes);

record_status lz4_compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level);
record_result<std::vector<uint8_t>> lz4_decompress(std::span<const uint8_t> input, size_t max_output_bytes);

record_status zstd_compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level);
record_result<std::vector<uint8_t>> zstd_decompress(std::span<const uint8_t> input, size_t max_output_bytes);

}  // namespace samsa::protocol
