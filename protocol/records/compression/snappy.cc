// snappy in its two Kafka framings. The xerial stream (snappy-java's
// SnappyOutputStream, what Java producers and Kafka itself write):
//
//   off size  field
//    0   8    magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00
//    8   4    version (1), int32 big-endian
//   12   4    minimum compatible version (1), int32 big-endian
//   16   -    chunks: [int32 BE compressed length][raw snappy block of <= 32 KiB input]
//
// Reading follows snappy-java's SnappyInputStream: input without the magic (or
// shorter than the 16-byte header) is one raw snappy block; the version fields are
// not checked; a repeated header between chunks starts a concatenated stream; a
// tail of 1-3 bytes too short for a chunk length ends the stream.

#include <snappy.h>

#include <algorithm>
#include <cstring>

#include "common/endian.h"
#include "protocol/records/compression/codecs.h"

namespace samsa::protocol {
namespace {

constexpr uint8_t kXerialMagic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0x00};
constexpr size_t kXerialHeaderSize = 16;
constexpr int32_t kXerialVersion = 1;
constexpr int32_t kXerialCompatibleVersion = 1;
constexpr size_t kXerialBlockSize = 32 * 1024;  // SnappyOutputStream.DEFAULT_BLOCK_SIZE

bool has_xerial_magic(std::span<const uint8_t> b) {
  return b.size() >= sizeof kXerialMagic && std::memcmp(b.data(), kXerialMagic, sizeof kXerialMagic) == 0;
}

// Decodes one raw snappy block, appending to `out` without passing `limit`.
record_status append_raw_block(std::span<const uint8_t> block, std::vector<uint8_t>& out, size_t limit) {
  const char* src = reinterpret_cast<const char*>(block.data());
  size_t n = 0;
  if (!snappy::GetUncompressedLength(src, block.size(), &n)) return record_error::decompression_failed;
  if (n > limit - out.size()) return record_error::too_large;  // checked before allocating
  const size_t start = out.size();
  if (start + n > out.capacity()) {
    // Grow geometrically for many small chunks, but never reserve past the limit.
    out.reserve(std::min(limit, std::max(start + n, 2 * out.capacity())));
  }
  out.resize(start + n);
  if (!snappy::RawUncompress(src, block.size(), reinterpret_cast<char*>(out.data() + start))) {
    return record_error::decompression_failed;
  }
  return {};
}

record_status decode_xerial(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t limit) {
  size_t pos = kXerialHeaderSize;
  while (in.size() - pos >= 4) {
    const int32_t chunk = load_be<int32_t>(in.data() + pos);
    if (has_xerial_magic(in.subspan(pos))) {
      // A second stream appended to the first: skip its header and go on.
      if (in.size() - pos < kXerialHeaderSize) return record_error::decompression_failed;
      pos += kXerialHeaderSize;
      continue;
    }
    pos += 4;
    if (chunk < 0 || static_cast<size_t>(chunk) > in.size() - pos) return record_error::decompression_failed;
    if (auto s = append_raw_block(in.subspan(pos, static_cast<size_t>(chunk)), out, limit); !s) return s;
    pos += static_cast<size_t>(chunk);
  }
  return {};
}

}  // namespace

snappy_framing detect_snappy_framing(std::span<const uint8_t> input) {
  return input.size() >= kXerialHeaderSize && has_xerial_magic(input) ? snappy_framing::xerial : snappy_framing::raw;
}

record_status snappy_compress_raw(std::span<const uint8_t> input, std::vector<uint8_t>& out) {
  const size_t start = out.size();
  out.resize(start + snappy::MaxCompressedLength(input.size()));
  size_t written = 0;
  snappy::RawCompress(reinterpret_cast<const char*>(input.data()), input.size(),
                      reinterpret_cast<char*>(out.data() + start), &written);
  out.resize(start + written);
  return {};
}

record_status snappy_compress_xerial(std::span<const uint8_t> input, std::vector<uint8_t>& out) {
  const size_t blocks = (input.size() + kXerialBlockSize - 1) / kXerialBlockSize;
  const size_t start = out.size();
  out.resize(start + kXerialHeaderSize + blocks * (4 + snappy::MaxCompressedLength(kXerialBlockSize)));
  uint8_t* p = out.data() + start;
  std::memcpy(p, kXerialMagic, sizeof kXerialMagic);
  store_be<int32_t>(p + 8, kXerialVersion);
  store_be<int32_t>(p + 12, kXerialCompatibleVersion);
  size_t pos = start + kXerialHeaderSize;
  for (size_t off = 0; off < input.size(); off += kXerialBlockSize) {
    const size_t n = std::min(kXerialBlockSize, input.size() - off);
    size_t written = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(input.data() + off), n,
                        reinterpret_cast<char*>(out.data() + pos + 4), &written);
    store_be<int32_t>(out.data() + pos, static_cast<int32_t>(written));
    pos += 4 + written;
  }
  out.resize(pos);
  return {};
}

record_result<std::vector<uint8_t>> snappy_decompress(std::span<const uint8_t> input, size_t max_output_bytes) {
  std::vector<uint8_t> out;
  const record_status s = detect_snappy_framing(input) == snappy_framing::xerial
                              ? decode_xerial(input, out, max_output_bytes)
                              : append_raw_block(input, out, max_output_bytes);
  if (!s) return s.error();
  return out;
}

}  // namespace samsa::protocol
