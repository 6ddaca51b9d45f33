#include "broker/controller/metadata_records.h"

#include <fmt/format.h>

#include "protocol/wire/encoded_message.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::broker {
namespace {

// AbstractApiMessageSerde.DEFAULT_FRAME_VERSION.
constexpr uint32_t frame_version = 1;

template <typename Record>
result<metadata_record, std::string> decode_body(protocol::reader& r, int16_t version) {
  if (version < Record::min_version || version > Record::max_version)
    return make_failure(fmt::format("{} version {} is not supported (versions {}-{})", Record::message_name, version,
                                    Record::min_version, Record::max_version));
  Record body;
  body.decode(r, version);
  if (!r.ok()) return make_failure(fmt::format("Failed to deserialize record with type {}", Record::api_key));
  if (r.remaining() > 0)
    return make_failure(fmt::format("Found {} byte(s) of garbage after {}", r.remaining(), Record::api_key));
  return metadata_record{metadata_record_body(std::move(body)), version};
}

std::string ints(const std::vector<int32_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

}  // namespace

int16_t metadata_record::api_key() const {
  return std::visit([](const auto& b) { return std::decay_t<decltype(b)>::api_key; }, body);
}

void encode_metadata_record(const metadata_record& rec, std::vector<uint8_t>& out) {
  protocol::encoded_message m;
  {
    protocol::writer w(m);
    w.write_uvarint(frame_version);
    w.write_uvarint(static_cast<uint32_t>(rec.api_key()));
    w.write_uvarint(static_cast<uint32_t>(rec.version));
    std::visit([&](const auto& b) { b.encode(w, rec.version); }, rec.body);
  }
  out.insert(out.end(), m.bytes.begin(), m.bytes.end());
}

result<metadata_record, std::string> decode_metadata_record(std::span<const uint8_t> value) {
  protocol::reader r(value);
  const uint32_t frame = r.read_uvarint();
  if (!r.ok()) return make_failure(std::string("Error while reading frame version"));
  if (frame == 0)
    return make_failure(std::string("Could not deserialize metadata record with frame version 0"));
  if (frame != frame_version)
    return make_failure(fmt::format("Could not deserialize metadata record due to unknown frame version {}"
                                    "(only frame version 1 is supported)",
                                    frame));
  const uint32_t type = r.read_uvarint();
  if (!r.ok() || type > 0x7fff) return make_failure(std::string("Error while reading type"));
  const uint32_t version = r.read_uvarint();
  if (!r.ok() || version > 0x7fff) return make_failure(std::string("Error while reading version"));
  const auto v = static_cast<int16_t>(version);
  switch (static_cast<int16_t>(type)) {
    case protocol::topic_record::api_key: return decode_body<protocol::topic_record>(r, v);
    case protocol::partition_record::api_key: return decode_body<protocol::partition_record>(r, v);
    case protocol::config_record::api_key: return decode_body<protocol::config_record>(r, v);
    case protocol::remove_topic_record::api_key: return decode_body<protocol::remove_topic_record>(r, v);
    case protocol::producer_ids_record::api_key: return decode_body<protocol::producer_ids_record>(r, v);
    case protocol::feature_level_record::api_key: return decode_body<protocol::feature_level_record>(r, v);
    case protocol::partition_change_record::api_key: return decode_body<protocol::partition_change_record>(r, v);
    case protocol::no_op_record::api_key: return decode_body<protocol::no_op_record>(r, v);
    default: break;
  }
  return make_failure(fmt::format("Unknown metadata record type {}", type));
}

std::string describe_metadata_record(const metadata_record& rec) {
  struct visitor {
    std::string operator()(const protocol::topic_record& r) const {
      return fmt::format("TopicRecord(name={}, topicId={})", r.name, r.topic_id.to_base64());
    }
    std::string operator()(const protocol::partition_record& r) const {
      return fmt::format("PartitionRecord(topicId={}, partitionId={}, replicas={}, isr={}, leader={}, leaderEpoch={}, "
                         "partitionEpoch={})",
                         r.topic_id.to_base64(), r.partition_id, ints(r.replicas), ints(r.isr), r.leader,
                         r.leader_epoch, r.partition_epoch);
    }
    std::string operator()(const protocol::config_record& r) const {
      return fmt::format("ConfigRecord(resourceType={}, resourceName={}, name={}, value={})", r.resource_type,
                         r.resource_name, r.name, r.value ? *r.value : "null");
    }
    std::string operator()(const protocol::remove_topic_record& r) const {
      return fmt::format("RemoveTopicRecord(topicId={})", r.topic_id.to_base64());
    }
    std::string operator()(const protocol::producer_ids_record& r) const {
      return fmt::format("ProducerIdsRecord(brokerId={}, brokerEpoch={}, nextProducerId={})", r.broker_id,
                         r.broker_epoch, r.next_producer_id);
    }
    std::string operator()(const protocol::feature_level_record& r) const {
      return fmt::format("FeatureLevelRecord(name={}, featureLevel={})", r.name, r.feature_level);
    }
    std::string operator()(const protocol::partition_change_record& r) const {
      return fmt::format("PartitionChangeRecord(topicId={}, partitionId={}, leader={})", r.topic_id.to_base64(),
                         r.partition_id, r.leader);
    }
    std::string operator()(const protocol::no_op_record&) const { return "NoOpRecord()"; }
  };
  return std::visit(visitor{}, rec.body);
}

}  // namespace samsa::broker
