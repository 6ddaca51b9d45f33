#pragma once

// Compression of a batch's records section with the framings Kafka uses:
//   gzip    RFC 1952 gzip members (zlib)
//   snappy  xerial snappy-java stream framing on output; xerial or raw on input
//   lz4     LZ4 frame format, 64 KiB independent blocks, no checksums (as Kafka writes)
//   zstd    standard zstd frames
// docs/formats/record_batch.md describes each framing.
//
// Decompression is bomb-safe: output never grows past `max_output_bytes`; more
// would be too_large. Corrupt or truncated input is decompression_failed. Nothing
// throws. All functions are thread-safe (no shared state).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "protocol/records/compression_codec.h"
#include "protocol/records/record_result.h"

namespace samsa::protocol {

// Appends the compressed form of `input` to `out` (codec none appends it as is).
// `level` uses Kafka's per-codec meaning (compression.<codec>.level); nullopt is
// Kafka's default: gzip 6, lz4 9 (the fast compressor), zstd 3. Snappy has no level.
record_status compress(compression_codec codec, std::span<const uint8_t> input, std::vector<uint8_t>& out,
                       std::optional<int> level = std::nullopt);

record_result<std::vector<uint8_t>> decompress(compression_codec codec, std::span<const uint8_t> input,
                                               size_t max_output_bytes);

}  // namespace samsa::protocol
