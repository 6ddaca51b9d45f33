#include "broker/handlers/produce_records_check.h"

#include "common/endian.h"
#include "protocol/records/batch_header.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
namespace layout = protocol::batch_layout;

// Kafka's LegacyRecord.RECORD_OVERHEAD_V0: the smallest size field any magic allows.
constexpr int32_t kMinSizeField = 14;

// One step of ByteBufferLogInputStream: the size of the batch at the start of
// `bytes`, nullopt when there is no whole batch, or a CorruptRecordException.
struct next_batch {
  std::optional<size_t> size;
  std::optional<std::string> corrupt;
};

next_batch next_batch_size(std::span<const uint8_t> bytes) {
  if (bytes.size() < layout::kLogOverhead) return {};
  const int32_t size_field = load_be<int32_t>(bytes.data() + layout::kBatchLength);
  if (size_field < kMinSizeField) {
    return {std::nullopt, "Record size " + std::to_string(size_field) +
                              " is less than the minimum record overhead (" + std::to_string(kMinSizeField) + ")"};
  }
  if (bytes.size() < layout::kHeaderSizeUpToMagic) return {};
  const int8_t magic = static_cast<int8_t>(bytes[layout::kMagic]);
  if (magic < 0 || magic > layout::kMagicV2) return {std::nullopt, "Invalid magic found in record: " + std::to_string(magic)};
  const size_t total = static_cast<size_t>(size_field) + layout::kLogOverhead;
  if (bytes.size() < total) return {};
  return {total, std::nullopt};
}

}  // namespace

first_batch_look look_at_first_batch(std::span<const uint8_t> records) {
  first_batch_look out;
  next_batch n = next_batch_size(records);
  if (n.corrupt) {
    out.request_error = error_code::corrupt_message;
    out.message = *n.corrupt;
    return out;
  }
  if (!n.size) return out;
  first_batch_info info;
  info.magic = static_cast<int8_t>(records[layout::kMagic]);
  // Legacy batches are never transactional; a v2 size field >= 14 always
  // covers the attributes (offset 21..22 < 26).
  if (info.magic == layout::kMagicV2) {
    const uint16_t attributes = load_be<uint16_t>(records.data() + layout::kAttributes);
    info.transactional = (attributes & 0x10) != 0;
    if (*n.size >= layout::kHeaderSize) {
      info.producer_id = load_be<int64_t>(records.data() + layout::kProducerId);
      info.producer_epoch = load_be<int16_t>(records.data() + layout::kProducerEpoch);
      info.base_sequence = load_be<int32_t>(records.data() + layout::kBaseSequence);
    }
  }
  out.batch = info;
  return out;
}

records_check validate_produce_records(int16_t version, std::span<const uint8_t> records) {
  records_check out;
  next_batch first = next_batch_size(records);
  if (first.corrupt) return {error_code::corrupt_message, false, *first.corrupt};
  if (!first.size) {
    return {error_code::invalid_record, false,
            "Produce requests with version " + std::to_string(version) +
                " must have at least one record batch per partition"};
  }
  const int8_t magic = static_cast<int8_t>(records[layout::kMagic]);
  if (magic != layout::kMagicV2) {
    return {error_code::invalid_record, false,
            "Produce requests with version " + std::to_string(version) +
                " are only allowed to contain record batches with magic version 2"};
  }
  if (version < 7) {
    const int codec = load_be<uint16_t>(records.data() + layout::kAttributes) & 0x07;
    if (codec > 4) return {error_code::unknown_server_error, true, "Unknown compression type id: " + std::to_string(codec)};
    if (codec == 4) {
      return {error_code::unsupported_compression_type, false,
              "Produce requests with version " + std::to_string(version) +
                  " are not allowed to use ZStandard compression"};
    }
  }
  next_batch second = next_batch_size(records.subspan(*first.size));
  if (second.corrupt) return {error_code::corrupt_message, false, *second.corrupt};
  if (second.size) {
    return {error_code::invalid_record, false,
            "Produce requests with version " + std::to_string(version) +
                " are only allowed to contain exactly one record batch per partition"};
  }
  return out;
}

}  // namespace samsa::broker
