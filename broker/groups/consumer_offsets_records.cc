#include "broker/groups/consumer_offsets_records.h"

#include "protocol/wire/encoded_message.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::broker::groups {
namespace {

constexpr int16_t kOffsetCommitKeyVersion = 1;
constexpr int16_t kGroupMetadataKeyVersion = 2;

// Kafka writes these records in non-flexible versions: int16 string lengths,
// int32 byte lengths, no tagged fields.
constexpr bool kCompact = false;

std::vector<uint8_t> bytes_of(const protocol::encoded_message& m) { return {m.bytes.begin(), m.bytes.end()}; }

}  // namespace

std::vector<uint8_t> encode_key(const offset_commit_key& k) {
  protocol::encoded_message m;
  {
    protocol::writer o(m);
    o.write_int16(kOffsetCommitKeyVersion);
    o.write_string(k.group, kCompact);
    o.write_string(k.topic, kCompact);
    o.write_int32(k.partition);
  }
  return bytes_of(m);
}

std::vector<uint8_t> encode_key(const group_metadata_key& k) {
  protocol::encoded_message m;
  {
    protocol::writer o(m);
    o.write_int16(kGroupMetadataKeyVersion);
    o.write_string(k.group, kCompact);
  }
  return bytes_of(m);
}

std::vector<uint8_t> encode_value(const offset_commit_value& v) {
  protocol::encoded_message m;
  {
    protocol::writer o(m);
    if (v.expire_timestamp_ms) {
      o.write_int16(1);
      o.write_int64(v.offset);
      o.write_string(v.metadata, kCompact);
      o.write_int64(v.commit_timestamp_ms);
      o.write_int64(*v.expire_timestamp_ms);
    } else {
      o.write_int16(3);
      o.write_int64(v.offset);
      o.write_int32(v.leader_epoch);
      o.write_string(v.metadata, kCompact);
      o.write_int64(v.commit_timestamp_ms);
    }
  }
  return bytes_of(m);
}

std::vector<uint8_t> encode_value(const group_metadata_value& v) {
  protocol::encoded_message m;
  {
    protocol::writer o(m);
    o.write_int16(3);
    o.write_string(v.protocol_type, kCompact);
    o.write_int32(v.generation);
    o.write_string(v.protocol, kCompact, true);
    o.write_string(v.leader, kCompact, true);
    o.write_int64(v.current_state_timestamp_ms);
    o.write_int32(static_cast<int32_t>(v.members.size()));
    for (const auto& mem : v.members) {
      o.write_string(mem.member_id, kCompact);
      o.write_string(mem.group_instance_id, kCompact, true);
      o.write_string(mem.client_id, kCompact);
      o.write_string(mem.client_host, kCompact);
      o.write_int32(mem.rebalance_timeout_ms);
      o.write_int32(mem.session_timeout_ms);
      o.write_bytes(mem.subscription, kCompact);
      o.write_bytes(mem.assignment, kCompact);
    }
  }
  return bytes_of(m);
}

std::optional<record_key> decode_key(std::span<const uint8_t> bytes) {
  protocol::reader in(bytes);
  const int16_t version = in.read_int16();
  if (!in.ok()) return std::nullopt;
  if (version == 0 || version == 1) {
    offset_commit_key k;
    in.read_string(k.group, kCompact);
    in.read_string(k.topic, kCompact);
    k.partition = in.read_int32();
    if (!in.ok()) return std::nullopt;
    return k;
  }
  if (version == 2) {
    group_metadata_key k;
    in.read_string(k.group, kCompact);
    if (!in.ok()) return std::nullopt;
    return k;
  }
  return std::nullopt;  // consumer-protocol, share or streams records
}

std::optional<offset_commit_value> decode_offset_commit_value(std::span<const uint8_t> bytes) {
  protocol::reader in(bytes);
  const int16_t version = in.read_int16();
  if (!in.ok() || version < 0 || version > 3) return std::nullopt;
  offset_commit_value v;
  v.offset = in.read_int64();
  if (version >= 3) v.leader_epoch = in.read_int32();
  in.read_string(v.metadata, kCompact);
  v.commit_timestamp_ms = in.read_int64();
  if (version == 1) v.expire_timestamp_ms = in.read_int64();
  if (!in.ok()) return std::nullopt;
  return v;
}

std::optional<group_metadata_value> decode_group_metadata_value(std::span<const uint8_t> bytes) {
  protocol::reader in(bytes);
  const int16_t version = in.read_int16();
  if (!in.ok() || version < 0 || version > 3) return std::nullopt;
  group_metadata_value v;
  in.read_string(v.protocol_type, kCompact);
  v.generation = in.read_int32();
  in.read_string(v.protocol, kCompact, true);
  in.read_string(v.leader, kCompact, true);
  if (version >= 2) v.current_state_timestamp_ms = in.read_int64();
  const int32_t n = in.read_int32();
  if (!in.ok() || n < 0) return std::nullopt;
  for (int32_t i = 0; i < n && in.ok(); ++i) {
    group_member_record mem;
    in.read_string(mem.member_id, kCompact);
    if (version >= 3) in.read_string(mem.group_instance_id, kCompact, true);
    in.read_string(mem.client_id, kCompact);
    in.read_string(mem.client_host, kCompact);
    if (version >= 1) mem.rebalance_timeout_ms = in.read_int32();
    mem.session_timeout_ms = in.read_int32();
    in.read_bytes(mem.subscription, kCompact);
    in.read_bytes(mem.assignment, kCompact);
    v.members.push_back(std::move(mem));
  }
  if (!in.ok()) return std::nullopt;
  return v;
}

}  // namespace samsa::broker::groups
