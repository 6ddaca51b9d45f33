#include "storage/error.h"

namespace samsa::storage {

std::string_view to_string(errc e) {
  switch (e) {
    case errc::corrupt_record: return "corrupt_record";
    case errc::invalid_record: return "invalid_record";
    case errc::record_too_large: return "record_too_large";
    case errc::record_batch_too_large: return "record_batch_too_large";
    case errc::invalid_timestamp: return "invalid_timestamp";
    case errc::out_of_order_sequence: return "out_of_order_sequence";
    case errc::duplicate_sequence: return "duplicate_sequence";
    case errc::invalid_producer_epoch: return "invalid_producer_epoch";
    case errc::unknown_producer_id: return "unknown_producer_id";
    case errc::invalid_txn_state: return "invalid_txn_state";
    case errc::transaction_coordinator_fenced: return "transaction_coordinator_fenced";
    case errc::offset_out_of_range: return "offset_out_of_range";
    case errc::unexpected_append_offset: return "unexpected_append_offset";
    case errc::offsets_out_of_order: return "offsets_out_of_order";
    case errc::unsupported_compression: return "unsupported_compression";
    case errc::decompression_failed: return "decompression_failed";
    case errc::invalid_argument: return "invalid_argument";
    case errc::log_truncated: return "log_truncated";
    case errc::log_closed: return "log_closed";
    case errc::io_error: return "io_error";
    case errc::not_found: return "not_found";
    case errc::already_exists: return "already_exists";
    case errc::corrupt_file: return "corrupt_file";
  }
  return "unknown";
}

}  // namespace samsa::storage
