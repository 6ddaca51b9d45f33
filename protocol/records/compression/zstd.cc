// zstd: standard zstd frames (RFC 8878), as zstd-jni and librdkafka write them.
//
// Java producers stream, so their frames usually lack the content size; we decode
// with the streaming API and never trust a declared size for allocation. Several
// frames may follow each other (zstd-jni reads on across frames); skippable frames
// are skipped; anything else after the last frame is an error.
//
// Memory: our output is bounded by max_output_bytes. zstd's own window buffer is
// sized by the frame header (up to 2^27 bytes with the default window limit, the
// same limit zstd-jni uses); it is written only as output is produced, so resident
// memory stays near max_output_bytes even for a hostile header.

#include <zstd.h>

#include "protocol/records/compression/bounded_output.h"
#include "protocol/records/compression/codecs.h"

namespace samsa::protocol {
namespace {

constexpr int kKafkaDefaultZstdLevel = 3;

class zstd_dctx {
 public:
  zstd_dctx() : ctx_(ZSTD_createDCtx()) {}
  ~zstd_dctx() { ZSTD_freeDCtx(ctx_); }
  zstd_dctx(const zstd_dctx&) = delete;
  zstd_dctx& operator=(const zstd_dctx&) = delete;
  ZSTD_DCtx* get() { return ctx_; }

 private:
  ZSTD_DCtx* ctx_;
};

}  // namespace

record_status zstd_compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level) {
  int lvl = level.value_or(kKafkaDefaultZstdLevel);
  if (lvl < ZSTD_minCLevel() || lvl > ZSTD_maxCLevel()) lvl = kKafkaDefaultZstdLevel;
  const size_t bound = ZSTD_compressBound(input.size());
  const size_t start = out.size();
  out.resize(start + bound);
  const size_t written = ZSTD_compress(out.data() + start, bound, input.data(), input.size(), lvl);
  if (ZSTD_isError(written)) {
    out.resize(start);
    return record_error::compression_failed;
  }
  out.resize(start + written);
  return {};
}

record_result<std::vector<uint8_t>> zstd_decompress(std::span<const uint8_t> input, size_t max_output_bytes) {
  if (input.empty()) return record_error::decompression_failed;
  // A declared size over the limit fails early; an absent or smaller one proves nothing.
  const unsigned long long declared = ZSTD_getFrameContentSize(input.data(), input.size());
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR && declared > max_output_bytes) {
    return record_error::too_large;
  }
  zstd_dctx dctx;
  if (dctx.get() == nullptr) return record_error::decompression_failed;
  ZSTD_inBuffer in{input.data(), input.size(), 0};
  return compression_detail::drive_decoder(
      input.size(), max_output_bytes, [&](uint8_t* dst, size_t cap) -> compression_detail::step_outcome {
        compression_detail::step_outcome r;
        ZSTD_outBuffer out{dst, cap, 0};
        const size_t in_before = in.pos;
        const size_t rc = ZSTD_decompressStream(dctx.get(), &out, &in);
        r.consumed = in.pos - in_before;
        r.produced = out.pos;
        if (ZSTD_isError(rc)) {
          r.failed = true;
        } else if (rc == 0 && in.pos == in.size) {
          r.finished = true;  // last frame complete and flushed, no input left
        }
        return r;
      });
}

}  // namespace samsa::protocol
