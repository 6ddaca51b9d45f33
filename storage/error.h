#pragma once

// Why a storage operation failed. Errors are values: every fallible function
// returns result<T> (result.h). The broker maps errc to Kafka error codes in one
// switch; the Kafka code each value corresponds to is written next to it.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace samsa::storage {

enum class errc : uint8_t {
  // A batch failed its CRC, or its framing (length, magic) is broken.
  // Kafka: CORRUPT_MESSAGE (2).
  corrupt_record,
  // A batch or record breaks a LogValidator rule (offsets, count, control batch
  // from a client, missing key on a compacted topic, more than one batch, legacy
  // magic). Kafka: INVALID_RECORD (87); record_errors says which records.
  invalid_record,
  // A batch is larger than max.message.bytes. Kafka: MESSAGE_TOO_LARGE (10).
  record_too_large,
  // The appended bytes are larger than segment.bytes. Kafka: RECORD_LIST_TOO_LARGE (18).
  record_batch_too_large,
  // A CreateTime timestamp is outside message.timestamp.before/after.max.ms, or a
  // producer set LogAppendTime. Kafka: INVALID_TIMESTAMP (32).
  invalid_timestamp,
  // The batch's sequence does not follow the producer's last one.
  // Kafka: OUT_OF_ORDER_SEQUENCE_NUMBER (45).
  out_of_order_sequence,
  // Not returned by append: a duplicate is a success with duplicate = true and
  // the original offsets (Kafka answers NONE). Kept for the broker's mapping table.
  // Kafka: DUPLICATE_SEQUENCE_NUMBER (46) is never sent for v2 batches.
  duplicate_sequence,
  // The batch's producer epoch is older than the producer's current one (fenced).
  // Kafka: INVALID_PRODUCER_EPOCH (90) (PRODUCER_FENCED for transactional
  // producers is decided by the transaction coordinator, not the log).
  invalid_producer_epoch,
  // Kafka 2.5+ (KIP-360) never raises this from the log: a producer the log does
  // not know may start at any sequence. Kept for the broker's mapping table.
  // Kafka: UNKNOWN_PRODUCER_ID (59).
  unknown_producer_id,
  // A non-transactional batch from a producer with an open transaction.
  // Kafka: INVALID_TXN_STATE (48).
  invalid_txn_state,
  // An end-transaction marker with an older coordinator epoch.
  // Kafka: TRANSACTION_COORDINATOR_FENCED (52).
  transaction_coordinator_fenced,
  // A read or log-start-offset move outside [log start offset, log end offset]
  // (or above the high watermark for DeleteRecords). Kafka: OFFSET_OUT_OF_RANGE (1).
  offset_out_of_range,
  // A follower append whose first offset is below the log end offset.
  // Kafka: UnexpectedAppendOffsetException (internal to replication; surfaces as
  // KAFKA_STORAGE_ERROR (56) if it ever reached a client).
  unexpected_append_offset,
  // A follower append whose offsets do not increase. Kafka: OffsetsOutOfOrderException
  // (internal; UNKNOWN_SERVER_ERROR (-1) if it reached a client).
  offsets_out_of_order,
  // The batch names a codec the broker cannot read (attribute codec 5-7). Kafka
  // fails the whole Produce request with UNKNOWN_SERVER_ERROR (-1) (README of
  // protocol/records); UNSUPPORTED_COMPRESSION_TYPE (76) is for zstd on old versions.
  unsupported_compression,
  // A compressed records section does not decompress. Kafka: UNKNOWN_SERVER_ERROR (-1).
  decompression_failed,
  // The operation's arguments are impossible (negative offsets, ...): a caller bug.
  // Kafka: UNKNOWN_SERVER_ERROR (-1).
  invalid_argument,
  // A durability request covered offsets that a truncation removed before they
  // became durable. Kafka: NOT_LEADER_OR_FOLLOWER (6) (the leader stepped down).
  log_truncated,
  // The log was closed or deleted. Kafka: NOT_LEADER_OR_FOLLOWER (6) or
  // KAFKA_STORAGE_ERROR (56) depending on why.
  log_closed,
  // An I/O call failed; the log is now offline. Kafka: KAFKA_STORAGE_ERROR (56).
  io_error,
  // A file or directory does not exist (internal; io_error if it reaches the broker).
  not_found,
  // A file or directory already exists (internal).
  already_exists,
  // A checkpoint, snapshot or index file does not parse (internal: the data is
  // rebuilt or ignored, as Kafka does).
  corrupt_file,
};

std::string_view to_string(errc e);
inline std::ostream& operator<<(std::ostream& os, errc e) { return os << to_string(e); }

// One record rejected by validation: its index in the batch and why (Kafka's
// RecordError, returned in ProduceResponse.record_errors).
struct record_error_detail {
  int32_t batch_index = 0;
  std::string message;
};

struct error {
  errc code = errc::io_error;
  std::string message;
  std::vector<record_error_detail> record_errors;  // invalid_record / invalid_timestamp only

  error() = default;
  error(errc c, std::string m = {}) : code(c), message(std::move(m)) {}  // NOLINT: implicit from errc
};

inline std::ostream& operator<<(std::ostream& os, const error& e) {
  os << to_string(e.code);
  if (!e.message.empty()) os << ": " << e.message;
  return os;
}

}  // namespace samsa::storage
