#include "broker/txn/transaction_log_records.h"

#include "protocol/wire/encoded_message.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::broker::txn {
namespace {

constexpr int16_t kTransactionLogRecordType = 0;

// Tags of TransactionLogValue v1 (MessageUtil's flexible format); values of
// other tags are skipped.
void read_tagged_fields(protocol::reader& in, txn_log_value& v) {
  const uint32_t n = in.read_tag_count();
  for (uint32_t i = 0; i < n && in.ok(); ++i) {
    const uint32_t tag = in.read_uvarint();
    const uint32_t size = in.read_uvarint();
    if (tag == 0 && size == 8) v.previous_producer_id = in.read_int64();
    else if (tag == 1 && size == 8) v.next_producer_id = in.read_int64();
    else if (tag == 2 && size == 2) v.client_transaction_version = in.read_int16();
    else (void)in.read_span(size);
  }
}

std::vector<uint8_t> bytes_of(const protocol::encoded_message& m) { return {m.bytes.begin(), m.bytes.end()}; }

}  // namespace

std::vector<uint8_t> encode_txn_key(const std::string& transactional_id) {
  protocol::encoded_message m;
  {
    protocol::writer o(m);
    o.write_int16(kTransactionLogRecordType);
    o.write_string(transactional_id, false);
  }
  return bytes_of(m);
}

std::vector<uint8_t> encode_txn_value(const txn_log_value& v) {
  // Version 1 (transaction.version >= 1, which Samsa finalizes): flexible.
  constexpr bool flexible = true;
  protocol::encoded_message m;
  {
    protocol::writer o(m);
    o.write_int16(1);
    o.write_int64(v.producer_id);
    o.write_int16(v.producer_epoch);
    o.write_int32(v.transaction_timeout_ms);
    o.write_int8(static_cast<int8_t>(v.state));
    if (v.state == txn_state::empty) {
      o.write_null_length(flexible, false);
    } else {
      o.write_length(v.partitions.size(), flexible, false);
      for (const auto& [topic, ids] : v.partitions) {
        o.write_string(topic, flexible);
        o.write_length(ids.size(), flexible, false);
        for (int32_t p : ids) o.write_int32(p);
        o.write_uvarint(0);  // the partition entry's tagged fields: none
      }
    }
    o.write_int64(v.last_update_timestamp_ms);
    o.write_int64(v.start_timestamp_ms);
    // Tagged fields, ascending, only when not their default (MessageUtil).
    // Kafka sets ClientTransactionVersion; NextProducerId is written too
    // while an epoch overflow is pending (Prepare* of version 2), so that a
    // restart completes the move to the new producer id (Kafka's reader
    // takes it; Kafka itself leaves it at its default).
    const bool next = v.next_producer_id != -1;
    const bool ctv = v.client_transaction_version != 0;
    o.write_uvarint(static_cast<uint32_t>(next) + static_cast<uint32_t>(ctv));
    if (next) {
      o.write_uvarint(1);
      o.write_uvarint(8);
      o.write_int64(v.next_producer_id);
    }
    if (ctv) {
      o.write_uvarint(2);
      o.write_uvarint(2);
      o.write_int16(v.client_transaction_version);
    }
  }
  return bytes_of(m);
}

// Version 0, as Kafka writes with transaction.version 0 (tests and tools).
std::vector<uint8_t> encode_txn_value_v0(const txn_log_value& v) {
  protocol::encoded_message m;
  {
    protocol::writer o(m);
    o.write_int16(0);
    o.write_int64(v.producer_id);
    o.write_int16(v.producer_epoch);
    o.write_int32(v.transaction_timeout_ms);
    o.write_int8(static_cast<int8_t>(v.state));
    if (v.state == txn_state::empty) {
      o.write_int32(-1);
    } else {
      o.write_int32(static_cast<int32_t>(v.partitions.size()));
      for (const auto& [topic, ids] : v.partitions) {
        o.write_string(topic, false);
        o.write_int32(static_cast<int32_t>(ids.size()));
        for (int32_t p : ids) o.write_int32(p);
      }
    }
    o.write_int64(v.last_update_timestamp_ms);
    o.write_int64(v.start_timestamp_ms);
  }
  return bytes_of(m);
}

std::optional<std::string> decode_txn_key(std::span<const uint8_t> bytes) {
  protocol::reader in(bytes);
  const int16_t type = in.read_int16();
  if (!in.ok() || type != kTransactionLogRecordType) return std::nullopt;
  std::string id;
  in.read_string(id, false);
  if (!in.ok()) return std::nullopt;
  return id;
}

std::optional<txn_log_value> decode_txn_value(std::span<const uint8_t> bytes) {
  protocol::reader in(bytes);
  const int16_t version = in.read_int16();
  if (!in.ok() || version < 0 || version > 1) return std::nullopt;
  const bool flexible = version >= 1;  // compact lengths and tagged fields
  txn_log_value v;
  v.producer_id = in.read_int64();
  v.producer_epoch = in.read_int16();
  v.transaction_timeout_ms = in.read_int32();
  auto state = txn_state_from_id(in.read_int8());
  if (!in.ok() || !state) return std::nullopt;
  v.state = *state;
  // A null partition list (-1) is how Empty transactions are written.
  const int32_t topics = in.read_array_length(flexible, true, 1);
  for (int32_t t = 0; in.ok() && t < topics; ++t) {
    std::string topic;
    in.read_string(topic, flexible);
    const int32_t count = in.read_array_length(flexible, false, sizeof(int32_t));
    std::vector<int32_t> ids;
    for (int32_t i = 0; in.ok() && i < count; ++i) ids.push_back(in.read_int32());
    if (flexible) {
      txn_log_value ignored;
      read_tagged_fields(in, ignored);
    }
    v.partitions.emplace_back(std::move(topic), std::move(ids));
  }
  v.last_update_timestamp_ms = in.read_int64();
  v.start_timestamp_ms = in.read_int64();
  if (flexible) read_tagged_fields(in, v);
  if (!in.ok()) return std::nullopt;
  return v;
}

}  // namespace samsa::broker::txn
