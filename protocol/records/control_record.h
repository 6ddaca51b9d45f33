#pragma once

// Control records: the single record of a control batch (attributes bit 5, and
// bit 4 for transaction markers). Consumers never hand them to applications.
//
//   key   (4 bytes)  int16 version (0), int16 type
//   value, for COMMIT/ABORT (EndTransactionMarker, 6 bytes):
//                    int16 version (0), int32 coordinatorEpoch
//
// Parsing follows Kafka: a key or marker value shorter than the above, or with a
// negative version, is invalid; a higher version is read as version 0 (extra
// bytes ignored); an unknown type parses as `unknown` so readers can skip it.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/kafka_types.h"
#include "protocol/records/batch_view.h"
#include "protocol/records/record_reader.h"
#include "protocol/records/record_result.h"

namespace samsa::protocol {

enum class control_record_type : int16_t {
  unknown = -1,
  abort = 0,
  commit = 1,
  // KRaft-internal types; a Kafka-protocol broker only skips them.
  leader_change = 2,
  snapshot_header = 3,
  snapshot_footer = 4,
  kraft_version = 5,
  kraft_voters = 6,
};

std::string_view to_string(control_record_type t);

struct end_txn_marker {
  control_record_type type = control_record_type::abort;  // abort or commit only
  int32_t coordinator_epoch = 0;

  bool operator==(const end_txn_marker&) const = default;
};

inline constexpr size_t kControlRecordKeySize = 4;
inline constexpr size_t kEndTxnMarkerValueSize = 6;

std::array<uint8_t, kControlRecordKeySize> encode_control_record_key(control_record_type type);
std::array<uint8_t, kEndTxnMarkerValueSize> encode_end_txn_marker_value(int32_t coordinator_epoch);

// The type named by a control record's key. Errors: invalid_control_record.
record_result<control_record_type> parse_control_record_type(const nullable_bytes& key);

// The marker in a COMMIT/ABORT control record. Errors: invalid_control_record
// (bad key, a type other than abort/commit, or a bad value).
record_result<end_txn_marker> parse_end_txn_marker(const record_view& record);

struct end_txn_marker_batch {
  samsa::offset base_offset{0};
  samsa::leader_epoch partition_leader_epoch{kNoPartitionLeaderEpoch};
  samsa::producer_id producer_id{kNoProducerId};
  samsa::producer_epoch producer_epoch{kNoProducerEpoch};
  int64_t timestamp_ms = kNoTimestamp;
  end_txn_marker marker;
};

// A control batch holding one marker, as Kafka's coordinator writes it:
// transactional + control, no compression, CreateTime, baseSequence -1.
// Precondition: marker.type is abort or commit.
record_result<std::vector<uint8_t>> build_end_txn_marker_batch(const end_txn_marker_batch& m);

}  // namespace samsa::protocol
