#include "protocol/records/compression/compression.h"

#include "protocol/records/compression/codecs.h"

namespace samsa::protocol {

record_status compress(compression_codec codec, std::span<const uint8_t> input, std::vector<uint8_t>& out,
                       std::optional<int> level) {
  switch (codec) {
    case compression_codec::none:
      out.insert(out.end(), input.begin(), input.end());
      return {};
    case compression_codec::gzip: return gzip_compress(input, out, level);
    case compression_codec::snappy: return snappy_compress_xerial(input, out);
    case compression_codec::lz4: return lz4_compress(input, out, level);
    case compression_codec::zstd: return zstd_compress(input, out, level);
  }
  return record_error::unsupported_compression;
}

record_result<std::vector<uint8_t>> decompress(compression_codec codec, std::span<const uint8_t> input,
                                               size_t max_output_bytes) {
  switch (codec) {
    case compression_codec::none:
      if (input.size() > max_output_bytes) return record_error::too_large;
      return std::vector<uint8_t>(input.begin(), input.end());
    case compression_codec::gzip: return gzip_decompress(input, max_output_bytes);
    case compression_codec::snappy: return snappy_decompress(input, max_output_bytes);
    case compression_codec::lz4: return lz4_decompress(input, max_output_bytes);
    case compression_codec::zstd: return zstd_decompress(input, max_output_bytes);
  }
  return record_error::unsupported_compression;
}

}  // namespace samsa::protocol
