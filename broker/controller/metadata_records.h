#pragma once

// The records of the metadata log and their byte form, Kafka's
// MetadataRecordSerde (AbstractApiMessageSerde):
//
//   unsigned varint  frame version (always 1)
//   unsigned varint  record type (the record's api key: TopicRecord = 2, ...)
//   unsigned varint  record version
//   bytes            the record body in that version (flexible encoding)
//
// Each is the value of one record (null key, no headers) in a RecordBatch v2
// of the __cluster_metadata-0 log. See docs/formats/metadata_log.md.
//
// Only the record types Samsa's controller writes or must understand are
// decoded; any other type is an error (a log written by something newer).

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/result.h"
#include "protocol/generated/metadata/config_record.h"
#include "protocol/generated/metadata/feature_level_record.h"
#include "protocol/generated/metadata/no_op_record.h"
#include "protocol/generated/metadata/partition_change_record.h"
#include "protocol/generated/metadata/partition_record.h"
#include "protocol/generated/metadata/producer_ids_record.h"
#include "protocol/generated/metadata/remove_topic_record.h"
#include "protocol/generated/metadata/topic_record.h"

namespace samsa::broker {

using metadata_record_body =
    std::variant<protocol::topic_record, protocol::partition_record, protocol::config_record,
                 protocol::remove_topic_record, protocol::producer_ids_record, protocol::feature_level_record,
                 protocol::partition_change_record, protocol::no_op_record>;

// Kafka's ApiMessageAndVersion.
struct metadata_record {
  metadata_record_body body;
  int16_t version = 0;

  int16_t api_key() const;
  bool operator==(const metadata_record&) const = default;
};

// The version Samsa writes for each record type.
template <typename Record>
metadata_record make_record(Record r) {
  return metadata_record{metadata_record_body(std::move(r)), 0};
}

// Appends the serialised record (frame header and body) to `out`.
void encode_metadata_record(const metadata_record& r, std::vector<uint8_t>& out);

// Decodes one record value. Errors name what is wrong (unknown frame version
// or type, a version out of range, a malformed body, trailing bytes).
result<metadata_record, std::string> decode_metadata_record(std::span<const uint8_t> value);

// For logs: "TopicRecord(name=a, topicId=...)".
std::string describe_metadata_record(const metadata_record& r);

}  // namespace samsa::broker
