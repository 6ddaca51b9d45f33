#pragma once

// The checks Kafka makes on a Produce request's record bytes before they reach
// the log, read from the raw bytes exactly as Kafka's ByteBufferLogInputStream
// reads them (clients/.../record/ByteBufferLogInputStream.nextBatchSize):
//
//   request level (KafkaApis.handleProduceRequest -> RequestUtils.hasTransactionalRecords,
//   which opens the first batch of every partition, known or not):
//     - a first batch whose size field is below 14 or whose magic is not 0-2
//       throws CorruptRecordException out of the handler: every partition
//       is answered CORRUPT_MESSAGE;
//   partition level (ProduceRequest.validateRecords, v3+, known partitions only):
//     - no whole batch                          INVALID_RECORD
//     - first batch not magic 2                 INVALID_RECORD
//     - v3-6: codec 5-7 (CompressionType.forId throws IllegalArgumentException,
//       which is not an ApiException)           whole request UNKNOWN_SERVER_ERROR
//     - v3-6: zstd                              UNSUPPORTED_COMPRESSION_TYPE
//     - a second batch                          INVALID_RECORD
//     - a second batch with a broken size/magic CORRUPT_MESSAGE
//   A trailing partial batch is ignored (the log appends only whole batches).
//
// Everything else (CRC, batch length >= 49, records, base offset 0, sizes,
// timestamps, producer state) is checked by storage on append.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "protocol/error_code.h"

namespace samsa::broker {

// What the first batch of a partition says, when its header could be read.
struct first_batch_info {
  int8_t magic = 2;
  bool transactional = false;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
};

// The request-level look at one partition's bytes (hasTransactionalRecords).
// An error here fails the whole request with that code and message.
struct first_batch_look {
  std::optional<protocol::error_code> request_error;
  std::string message;
  std::optional<first_batch_info> batch;  // nullopt: no whole batch
};
first_batch_look look_at_first_batch(std::span<const uint8_t> records);

// ProduceRequest.validateRecords for one known partition.
struct records_check {
  protocol::error_code error = protocol::error_code::none;
  // True when Kafka fails the whole request instead (v3-6 unknown codec).
  bool request_fatal = false;
  std::string message;
};
records_check validate_produce_records(int16_t version, std::span<const uint8_t> records);

}  // namespace samsa::broker
