// gzip: what Kafka's GzipCompression reads and writes (java.util.zip GZIP streams).
//
// Reading follows java.util.zip.GZIPInputStream: gzip members may be concatenated,
// and bytes after a member that do not start another member are ignored.

#include <zlib.h>

#include <climits>

#include "protocol/records/compression/bounded_output.h"
#include "protocol/records/compression/codecs.h"

namespace samsa::protocol {
namespace {

constexpr int kGzipWindowBits = 16 + MAX_WBITS;  // +16: gzip wrapper, not zlib

class inflater {
 public:
  inflater() { ok_ = inflateInit2(&zs_, kGzipWindowBits) == Z_OK; }
  ~inflater() {
    if (ok_) inflateEnd(&zs_);
  }
  inflater(const inflater&) = delete;
  inflater& operator=(const inflater&) = delete;
  bool ok() const { return ok_; }
  z_stream& stream() { return zs_; }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

bool starts_gzip_member(const z_stream& zs) {
  return zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b;
}

}  // namespace

record_status gzip_compress(std::span<const uint8_t> input, std::vector<uint8_t>& out, std::optional<int> level) {
  // Kafka accepts levels 1-9 and -1 (zlib's default, 6).
  int lvl = level.value_or(Z_DEFAULT_COMPRESSION);
  if (lvl < Z_DEFAULT_COMPRESSION || lvl > Z_BEST_COMPRESSION) lvl = Z_DEFAULT_COMPRESSION;
  if (input.size() > UINT_MAX / 2) return record_error::too_large;
  z_stream zs{};
  if (deflateInit2(&zs, lvl, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return record_error::compression_failed;
  }
  const size_t start = out.size();
  const uLong bound = deflateBound(&zs, static_cast<uLong>(input.size()));
  out.resize(start + bound);
  zs.next_in = const_cast<Bytef*>(input.data());  // zlib's API is not const-correct
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = out.data() + start;
  zs.avail_out = static_cast<uInt>(bound);
  const int rc = deflate(&zs, Z_FINISH);
  const size_t written = bound - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    out.resize(start);
    return record_error::compression_failed;
  }
  out.resize(start + written);
  return {};
}

record_result<std::vector<uint8_t>> gzip_decompress(std::span<const uint8_t> input, size_t max_output_bytes) {
  if (input.size() > UINT_MAX) return record_error::too_large;
  inflater inf;
  if (!inf.ok()) return record_error::decompression_failed;
  z_stream& zs = inf.stream();
  zs.next_in = const_cast<Bytef*>(input.data());
  zs.avail_in = static_cast<uInt>(input.size());
  return compression_detail::drive_decoder(
      input.size(), max_output_bytes, [&](uint8_t* dst, size_t cap) -> compression_detail::step_outcome {
        compression_detail::step_outcome r;
        const uInt in_before = zs.avail_in;
        zs.next_out = dst;
        zs.avail_out = static_cast<uInt>(std::min<size_t>(cap, UINT_MAX));
        const uInt out_before = zs.avail_out;
        const int rc = inflate(&zs, Z_NO_FLUSH);
        r.consumed = in_before - zs.avail_in;
        r.produced = out_before - zs.avail_out;
        if (rc == Z_STREAM_END) {
          if (starts_gzip_member(zs)) {
            if (inflateReset(&zs) != Z_OK) r.failed = true;
            r.consumed += 1;  // count the member boundary as progress
          } else {
            r.finished = true;  // trailing non-gzip bytes are ignored, as in Java
          }
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
          r.failed = true;  // Z_DATA_ERROR, Z_NEED_DICT, Z_MEM_ERROR
        }
        return r;
      });
}

}  // namespace samsa::protocol
