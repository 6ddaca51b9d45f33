#pragma once

// The fixed 61-byte header of a RecordBatch v2 (magic 2). Layout only; the full
// format is in docs/formats/record_batch.md. All integers are big-endian.
//
//   off size field                 CRC-32C covers
//    0   8   baseOffset             no
//    8   4   batchLength            no   (bytes after this field: total size - 12)
//   12   4   partitionLeaderEpoch   no
//   16   1   magic (= 2)            no
//   17   4   crc                    no
//   21   2   attributes             yes  (see batch_attributes.h)
//   23   4   lastOffsetDelta        yes
//   27   8   baseTimestamp          yes
//   35   8   maxTimestamp           yes
//   43   8   producerId             yes
//   51   2   producerEpoch          yes
//   53   4   baseSequence           yes
//   57   4   recordsCount           yes
//   61   -   records (or one compressed block of them)   yes

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/kafka_types.h"
#include "protocol/records/batch_attributes.h"
#include "protocol/records/record_result.h"

namespace samsa::protocol {

namespace batch_layout {
inline constexpr size_t kBaseOffset = 0;
inline constexpr size_t kBatchLength = 8;
inline constexpr size_t kPartitionLeaderEpoch = 12;
inline constexpr size_t kMagic = 16;
inline constexpr size_t kCrc = 17;
inline constexpr size_t kAttributes = 21;
inline constexpr size_t kLastOffsetDelta = 23;
inline constexpr size_t kBaseTimestamp = 27;
inline constexpr size_t kMaxTimestamp = 35;
inline constexpr size_t kProducerId = 43;
inline constexpr size_t kProducerEpoch = 51;
inline constexpr size_t kBaseSequence = 53;
inline constexpr size_t kRecordsCount = 57;
inline constexpr size_t kHeaderSize = 61;

// baseOffset and batchLength are not counted by batchLength.
inline constexpr size_t kLogOverhead = 12;
// Bytes up to and including magic: what must be read before anything else.
inline constexpr size_t kHeaderSizeUpToMagic = 17;
inline constexpr int32_t kMinBatchLength = static_cast<int32_t>(kHeaderSize - kLogOverhead);  // 49
inline constexpr size_t kCrcCoverageStart = kAttributes;
inline constexpr int8_t kMagicV2 = 2;
}  // namespace batch_layout

inline constexpr int64_t kNoTimestamp = -1;
inline constexpr int32_t kNoSequence = -1;
inline constexpr int64_t kNoProducerId = -1;
inline constexpr int16_t kNoProducerEpoch = -1;
inline constexpr int32_t kNoPartitionLeaderEpoch = -1;

struct batch_header {
  samsa::offset base_offset{0};
  int32_t batch_length = batch_layout::kMinBatchLength;
  samsa::leader_epoch partition_leader_epoch{kNoPartitionLeaderEpoch};
  int8_t magic = batch_layout::kMagicV2;
  uint32_t crc = 0;
  batch_attributes attributes;
  int32_t last_offset_delta = 0;
  int64_t base_timestamp_ms = kNoTimestamp;
  int64_t max_timestamp_ms = kNoTimestamp;
  samsa::producer_id producer_id{kNoProducerId};
  samsa::producer_epoch producer_epoch{kNoProducerEpoch};
  int32_t base_sequence = kNoSequence;
  int32_t records_count = 0;

  // Total bytes of the batch, header included.
  int64_t size_bytes() const { return int64_t{batch_length} + int64_t{batch_layout::kLogOverhead}; }
  samsa::offset last_offset() const { return samsa::offset{base_offset.value() + last_offset_delta}; }

  bool operator==(const batch_header&) const = default;
};

// Decodes the header at the start of `bytes`. Checks, in Kafka's order: enough
// bytes for magic (truncated), magic 0/1 (unsupported_magic), any other magic but 2
// (invalid_magic), enough bytes for the header (truncated), batchLength >= 49
// (invalid_length). It does not check the CRC or that the whole batch is present.
record_result<batch_header> parse_batch_header(std::span<const uint8_t> bytes);

// Writes all 61 header bytes, the crc field exactly as given.
void encode_batch_header(const batch_header& h, std::span<uint8_t, batch_layout::kHeaderSize> out);

// Checks magic and batchLength from the first bytes of a buffer, without the
// rest of the header; shared by parse_batch_header and the batch iterator.
record_status check_magic_and_length(std::span<const uint8_t> bytes);

}  // namespace samsa::protocol
