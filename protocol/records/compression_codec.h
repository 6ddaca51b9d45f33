#pragma once

// The compression codecs a RecordBatch may name in attribute bits 0-2.

#include <cstdint>
#include <optional>
#include <string_view>

namespace samsa::protocol {

enum class compression_codec : uint8_t {
  none = 0,
  gzip = 1,
  snappy = 2,
  lz4 = 3,
  zstd = 4,  // needs Produce v7+ / Fetch v10+; the broker checks the API version
};

// nullopt for ids 5-7, which no Kafka release defines.
constexpr std::optional<compression_codec> compression_codec_from_id(uint8_t id) {
  if (id <= 4) return static_cast<compression_codec>(id);
  return std::nullopt;
}

constexpr std::string_view to_string(compression_codec c) {
  switch (c) {
    case compression_codec::none: return "none";
    case compression_codec::gzip: return "gzip";
    case compression_codec::snappy: return "snappy";
    case compression_codec::lz4: return "lz4";
    case compression_codec::zstd: return "zstd";
  }
  return "unknown";
}

}  // namespace samsa::protocol
