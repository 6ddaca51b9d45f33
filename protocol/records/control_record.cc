#include "protocol/records/control_record.h"

#include "common/assert.h"
#include "common/endian.h"
#include "protocol/records/batch_builder.h"

namespace samsa::protocol {
namespace {

constexpr int16_t kControlKeyVersion = 0;
constexpr int16_t kEndTxnMarkerVersion = 0;

bool is_marker(control_record_type t) { return t == control_record_type::abort || t == control_record_type::commit; }

}  // namespace

std::string_view to_string(control_record_type t) {
  switch (t) {
    case control_record_type::unknown: return "UNKNOWN";
    case control_record_type::abort: return "ABORT";
    case control_record_type::commit: return "COMMIT";
    case control_record_type::leader_change: return "LEADER_CHANGE";
    case control_record_type::snapshot_header: return "SNAPSHOT_HEADER";
    case control_record_type::snapshot_footer: return "SNAPSHOT_FOOTER";
    case control_record_type::kraft_version: return "KRAFT_VERSION";
    case control_record_type::kraft_voters: return "KRAFT_VOTERS";
  }
  return "UNKNOWN";
}

std::array<uint8_t, kControlRecordKeySize> encode_control_record_key(control_record_type type) {
  std::array<uint8_t, kControlRecordKeySize> key{};
  store_be<int16_t>(key.data(), kControlKeyVersion);
  store_be<int16_t>(key.data() + 2, static_cast<int16_t>(type));
  return key;
}

std::array<uint8_t, kEndTxnMarkerValueSize> encode_end_txn_marker_value(int32_t coordinator_epoch) {
  std::array<uint8_t, kEndTxnMarkerValueSize> value{};
  store_be<int16_t>(value.data(), kEndTxnMarkerVersion);
  store_be<int32_t>(value.data() + 2, coordinator_epoch);
  return value;
}

record_result<control_record_type> parse_control_record_type(const nullable_bytes& key) {
  if (!key || key->size() < kControlRecordKeySize) return record_error::invalid_control_record;
  if (load_be<int16_t>(key->data()) < 0) return record_error::invalid_control_record;
  const int16_t type = load_be<int16_t>(key->data() + 2);
  if (type < 0 || type > static_cast<int16_t>(control_record_type::kraft_voters)) return control_record_type::unknown;
  return static_cast<control_record_type>(type);
}

record_result<end_txn_marker> parse_end_txn_marker(const record_view& record) {
  auto type = parse_control_record_type(record.key);
  if (!type) return type.error();
  if (!is_marker(*type)) return record_error::invalid_control_record;
  const nullable_bytes& value = record.value;
  if (!value || value->size() < kEndTxnMarkerValueSize) return record_error::invalid_control_record;
  if (load_be<int16_t>(value->data()) < 0) return record_error::invalid_control_record;
  return end_txn_marker{*type, load_be<int32_t>(value->data() + 2)};
}

record_result<std::vector<uint8_t>> build_end_txn_marker_batch(const end_txn_marker_batch& m) {
  SAMSA_ASSERT(is_marker(m.marker.type), "an end-transaction marker is ABORT or COMMIT");
  batch_builder_options o;
  o.base_offset = m.base_offset;
  o.partition_leader_epoch = m.partition_leader_epoch;
  o.is_transactional = true;
  o.is_control = true;
  o.producer_id = m.producer_id;
  o.producer_epoch = m.producer_epoch;
  o.base_sequence = kNoSequence;
  batch_builder b(o);
  const auto key = encode_control_record_key(m.marker.type);
  const auto value = encode_end_txn_marker_value(m.marker.coordinator_epoch);
  record_input r;
  r.key = std::span<const uint8_t>(key);
  r.value = std::span<const uint8_t>(value);
  r.timestamp_ms = m.timestamp_ms;
  if (auto s = b.append(r); !s) return s.error();
  return b.build();
}

}  // namespace samsa::protocol
