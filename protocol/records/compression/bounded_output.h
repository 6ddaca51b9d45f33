#pragma once

// The shared loop of the streaming decoders (gzip, lz4, zstd): an output buffer
// that grows geometrically but never past a hard limit, and a driver that turns
// "the decoder wants to write past the limit" into too_large.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/records/record_result.h"

namespace samsa::protocol::compression_detail {

// What one decoder step did.
struct step_outcome {
  size_t consumed = 0;    // input bytes taken
  size_t produced = 0;    // output bytes written
  bool finished = false;  // the whole compressed stream is decoded
  bool failed = false;    // corrupt input
};

// Runs `step(dst, capacity)` until it finishes, fails or stalls (no input taken
// and no output made, i.e. the input ended early).
//
// When the buffer has reached `limit`, the decoder is offered one scratch byte:
// if it writes it, the stream is longer than the limit and we stop with too_large.
// So the buffer never exceeds `limit` bytes.
template <typename Step>
record_result<std::vector<uint8_t>> drive_decoder(size_t input_size, size_t limit, Step&& step) {
  constexpr size_t kMinChunk = 4096;
  std::vector<uint8_t> out;
  size_t used = 0;
  out.resize(std::min(limit, std::max(kMinChunk, input_size * 4)));
  for (;;) {
    uint8_t scratch = 0;
    uint8_t* dst;
    size_t capacity;
    const bool at_limit = used == out.size() && out.size() == limit;
    if (at_limit) {
      dst = &scratch;
      capacity = 1;
    } else {
      if (used == out.size()) out.resize(std::min(limit, std::max(kMinChunk, out.size() * 2)));
      dst = out.data() + used;
      capacity = out.size() - used;
    }
    const step_outcome r = step(dst, capacity);
    if (r.failed) return record_error::decompression_failed;
    if (at_limit && r.produced > 0) return record_error::too_large;
    if (!at_limit) used += r.produced;
    if (r.finished) {
      out.resize(used);
      return out;
    }
    if (r.consumed == 0 && r.produced == 0) return record_error::decompression_failed;  // input ended early
  }
}

}  // namespace samsa::protocol::compression_detail
