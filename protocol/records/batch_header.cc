#include "protocol/records/batch_header.h"

#include "common/endian.h"

namespace samsa::protocol {

using namespace batch_layout;

record_status check_magic_and_length(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSizeUpToMagic) return record_error::truncated;
  const int8_t magic = static_cast<int8_t>(bytes[kMagic]);
  if (magic == 0 || magic == 1) return record_error::unsupported_magic;
  if (magic != kMagicV2) return record_error::invalid_magic;
  if (load_be<int32_t>(bytes.data() + kBatchLength) < kMinBatchLength) return record_error::invalid_length;
  return {};
}

record_result<batch_header> parse_batch_header(std::span<const uint8_t> bytes) {
  if (auto s = check_magic_and_length(bytes); !s) return s.error();
  if (bytes.size() < kHeaderSize) return record_error::truncated;
  const uint8_t* p = bytes.data();
  batch_header h;
  h.base_offset = samsa::offset{load_be<int64_t>(p + kBaseOffset)};
  h.batch_length = load_be<int32_t>(p + kBatchLength);
  h.partition_leader_epoch = samsa::leader_epoch{load_be<int32_t>(p + kPartitionLeaderEpoch)};
  h.magic = static_cast<int8_t>(p[kMagic]);
  h.crc = load_be<uint32_t>(p + kCrc);
  h.attributes = batch_attributes(load_be<int16_t>(p + kAttributes));
  h.last_offset_delta = load_be<int32_t>(p + kLastOffsetDelta);
  h.base_timestamp_ms = load_be<int64_t>(p + kBaseTimestamp);
  h.max_timestamp_ms = load_be<int64_t>(p + kMaxTimestamp);
  h.producer_id = samsa::producer_id{load_be<int64_t>(p + kProducerId)};
  h.producer_epoch = samsa::producer_epoch{load_be<int16_t>(p + kProducerEpoch)};
  h.base_sequence = load_be<int32_t>(p + kBaseSequence);
  h.records_count = load_be<int32_t>(p + kRecordsCount);
  return h;
}

void encode_batch_header(const batch_header& h, std::span<uint8_t, kHeaderSize> out) {
  uint8_t* p = out.data();
  store_be<int64_t>(p + kBaseOffset, h.base_offset.value());
  store_be<int32_t>(p + kBatchLength, h.batch_length);
  store_be<int32_t>(p + kPartitionLeaderEpoch, h.partition_leader_epoch.value());
  p[kMagic] = static_cast<uint8_t>(h.magic);
  store_be<uint32_t>(p + kCrc, h.crc);
  store_be<int16_t>(p + kAttributes, h.attributes.raw());
  store_be<int32_t>(p + kLastOffsetDelta, h.last_offset_delta);
  store_be<int64_t>(p + kBaseTimestamp, h.base_timestamp_ms);
  store_be<int64_t>(p + kMaxTimestamp, h.max_timestamp_ms);
  store_be<int64_t>(p + kProducerId, h.producer_id.value());
  store_be<int16_t>(p + kProducerEpoch, h.producer_epoch.value());
  store_be<int32_t>(p + kBaseSequence, h.base_sequence);
  store_be<int32_t>(p + kRecordsCount, h.records_count);
}

}  // namespace samsa::protocol
