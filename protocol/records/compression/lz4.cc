// lz4: the LZ4 frame format as Kafka uses it for magic >= 1.
//
// Kafka's writer (Lz4BlockOutputStream) emits: magic 04 22 4D 18, FLG 0x60
// (version 01, independent blocks, no block/content checksum, no content size,
// no dictionary), BD 0x40 (64 KiB max block), the header checksum byte, blocks
// ([uint32 LE size, high bit = stored uncompressed][data]), then a zero end mark.
//
// Kafka's reader (Lz4BlockInputStream) rejects dependent blocks and any FLG with
// reserved bits 0-1 set (so dictionary IDs too), verifies the header checksum,
// and ignores bytes after the end mark. We add LZ4F's own checks on top (content
// checksum when present), which only refuses frames no Kafka client writes.

#include <lz4frame.h>

#include <cstring>

#include "common/endian.h"
#include "protocol/records/compression/bounded_output.h"
#include "protocol/records/compression/codecs.h"

namespace samsa::protocol {
namespace {

constexpr uint32_t kFrameMagic = 0x184D2204;
constexpr size_t kMinFrameHeader = 7;  // magic, FLG, BD, HC
constexpr uint8_t kFlgVersionMask = 0xC0;
constexpr uint8_t kFlgVersion1 = 0x40;
constexpr uint8_t kFlgBlockIndependent = 0x20;
constexpr uint8_t kFlgReservedAndDict = 0x03;
constexpr int kKafkaDefaultLz4Level = 9;

uint32_t load_le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

// The frame descriptor rules Kafka adds to the LZ4 frame format.
bool kafka_accepts_frame_header(std::span<const uint8_t> in) {
  if (in.size() < kMinFrameHeader || load_le32(in.data()) != kFrameMagic) return false;
  const uint8_t flg = in[4];
  return (flg & kFlgVersionMask) == kFlgVersion1 && (flg & kFlgBlockIndependent) != 0 &&
         (flg & kFlgReservedAndDict) == 0;
}

class lz4_dctx {
 public:
  lz4_dctx() { ok_ = !LZ4F_isError(LZ4F_createDecompressionContext(&ctx_, LZ4F_VERSION)); }
  ~lz4_dctx() {
    if (ctx_ != nullptr) LZ4F_freeDecompressionContext(ctx_);
  }
  lz4_dctx(const lz4_dctx&) = delete;
  lz4_dctx& operator=(const lz4_dctx&) = delete;
  bool ok() const { return ok_; }
  LZ4F_dctx* get() { return ctx_; }

 private:
  LZ4F_dctx* ctx_ = nullptr;
  bool ok_ = false;
};

}  // namespace

record_status lz4_compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level) {
  LZ4F_preferences_t prefs;
  std::memset(&prefs, 0, sizeof prefs);
  prefs.frameInfo.blockSizeID = LZ4F_max64KB;
  prefs.frameInfo.blockMode = LZ4F_blockIndependent;
  prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
  prefs.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum;
  prefs.frameInfo.contentSize = 0;  // Kafka never writes the content size
  // Kafka runs its fast compressor at the default level 9 and the HC one otherwise.
  const int lvl = level.value_or(kKafkaDefaultLz4Level);
  prefs.compressionLevel = lvl == kKafkaDefaultLz4Level ? 0 : lvl;
  const size_t bound = LZ4F_compressFrameBound(input.size(), &prefs);
  const size_t start = out.size();
  out.resize(start + bound);
  const size_t written = LZ4F_compressFrame(out.data() + start, bound, input.data(), input.size(), &prefs);
  if (LZ4F_isError(written)) {
    out.resize(start);
    return record_error::compression_failed;
  }
  out.resize(start + written);
  return {};
}

record_result<std::vector<uint8_t>> lz4_decompress(std::span<const uint8_t> input, size_t max_output_bytes) {
  if (!kafka_accepts_frame_header(input)) return record_error::decompression_failed;
  lz4_dctx dctx;
  if (!dctx.ok()) return record_error::decompression_failed;
  size_t pos = 0;
  return compression_detail::drive_decoder(
      input.size(), max_output_bytes, [&](uint8_t* dst, size_t cap) -> compression_detail::step_outcome {
        compression_detail::step_outcome r;
        size_t dst_size = cap;
        size_t src_size = input.size() - pos;
        const size_t hint = LZ4F_decompress(dctx.get(), dst, &dst_size, input.data() + pos, &src_size, nullptr);
        pos += src_size;
        r.consumed = src_size;
        r.produced = dst_size;
        if (LZ4F_isError(hint)) {
          r.failed = true;
        } else if (hint == 0) {
          r.finished = true;  // end mark seen; trailing bytes are ignored, as in Kafka
        }
        return r;
      });
}

}  // namespace samsa::protocol
