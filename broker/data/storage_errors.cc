#include "broker/data/storage_errors.h"

namespace samsa::broker::data {

using protocol::error_code;
using storage::errc;

error_code to_kafka_error(errc e) {
  switch (e) {
    // Bad input from the producer: permanent for that batch.
    case errc::corrupt_record: return error_code::corrupt_message;
    case errc::invalid_record: return error_code::invalid_record;
    case errc::record_too_large: return error_code::message_too_large;
    case errc::record_batch_too_large: return error_code::record_list_too_large;
    case errc::invalid_timestamp: return error_code::invalid_timestamp;
    // Kafka answers a codec it cannot read, a stream that does not decompress
    // and an impossible argument with a generic exception from the validator.
    case errc::unsupported_compression: return error_code::unknown_server_error;
    case errc::decompression_failed: return error_code::unknown_server_error;
    case errc::invalid_argument: return error_code::unknown_server_error;
    case errc::offsets_out_of_order: return error_code::unknown_server_error;

    // Producer state (idempotence and transactions).
    case errc::out_of_order_sequence: return error_code::out_of_order_sequence_number;
    case errc::duplicate_sequence: return error_code::duplicate_sequence_number;
    // Kafka 2.7+ answers a fenced epoch on the produce path with the retriable
    // INVALID_PRODUCER_EPOCH (47), not PRODUCER_FENCED (ProducerAppendInfo).
    case errc::invalid_producer_epoch: return error_code::invalid_producer_epoch;
    case errc::unknown_producer_id: return error_code::unknown_producer_id;
    case errc::invalid_txn_state: return error_code::invalid_txn_state;
    case errc::transaction_coordinator_fenced: return error_code::transaction_coordinator_fenced;

    case errc::offset_out_of_range: return error_code::offset_out_of_range;

    // The log went away under the request (deleted topic, stepped-down leader):
    // the client refreshes metadata and retries.
    case errc::log_truncated: return error_code::not_leader_or_follower;
    case errc::log_closed: return error_code::not_leader_or_follower;

    // The disk failed; Kafka takes the directory offline.
    case errc::io_error: return error_code::kafka_storage_error;
    case errc::unexpected_append_offset: return error_code::kafka_storage_error;
    case errc::not_found: return error_code::kafka_storage_error;
    case errc::already_exists: return error_code::kafka_storage_error;
    case errc::corrupt_file: return error_code::kafka_storage_error;
  }
  // The safe retriable default (see the header).
  return error_code::kafka_storage_error;
}

}  // namespace samsa::broker::data
