#include "protocol/records/record_error.h"

namespace samsa::protocol {

std::string_view to_string(record_error e) {
  switch (e) {
    case record_error::truncated: return "truncated";
    case record_error::partial_batch: return "partial_batch";
    case record_error::unsupported_magic: return "unsupported_magic";
    case record_error::invalid_magic: return "invalid_magic";
    case record_error::invalid_length: return "invalid_length";
    case record_error::corrupt_crc: return "corrupt_crc";
    case record_error::invalid_record: return "invalid_record";
    case record_error::record_count_mismatch: return "record_count_mismatch";
    case record_error::unsupported_compression: return "unsupported_compression";
    case record_error::decompression_failed: return "decompression_failed";
    case record_error::compression_failed: return "compression_failed";
    case record_error::too_large: return "too_large";
    case record_error::invalid_control_record: return "invalid_control_record";
  }
  return "unknown_record_error";
}

}  // namespace samsa::protocol
