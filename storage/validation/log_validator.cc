#include "storage/validation/log_validator.h"

#include <optional>
#include <string>

#include "common/endian.h"
#include "protocol/records/batch_builder.h"
#include "protocol/records/batch_records.h"
#include "protocol/records/batch_view.h"

namespace samsa::storage {

namespace {

using protocol::timestamp_type;

int64_t wrap_sub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t wrap_neg(int64_t a) { return static_cast<int64_t>(0 - static_cast<uint64_t>(a)); }

struct record_check {
  bool any_timestamp_error = false;
  std::vector<record_error_detail> errors;
};

// Kafka's validateRecord: key first, then timestamp; one error per record at most.
// `ts` is the record's timestamp.
void check_record(const protocol::record_timestamps& batch, int64_t ts, const protocol::record_view& rec, int32_t index,
                  const validator_params& p, record_check& out) {
  if (p.compacted && !rec.key) {
    out.errors.push_back({index, "Compacted topic cannot accept message without key in topic partition"});
    return;
  }
  if (p.timestamp_type == timestamp_type::create_time && ts != protocol::kNoTimestamp) {
    if (timestamp_out_of_range(ts, p.now_ms, p.timestamp_before_max_ms, p.timestamp_after_max_ms)) {
      out.any_timestamp_error = true;
      out.errors.push_back({index, "Timestamp " + std::to_string(ts) + " of message with offset " +
                                       std::to_string(rec.offset_delta) + " is out of range. The timestamp should be within [" +
                                       std::to_string(wrap_sub(p.now_ms, p.timestamp_before_max_ms)) + ", " +
                                       std::to_string(static_cast<int64_t>(static_cast<uint64_t>(p.now_ms) +
                                                                           static_cast<uint64_t>(p.timestamp_after_max_ms))) +
                                       "]"});
    }
  } else if (batch.log_append_time()) {
    out.any_timestamp_error = true;
    out.errors.push_back({index, "Invalid timestamp type in message. Producer should not set timestamp type to LogAppendTime."});
  }
}

status record_errors_to_status(record_check& c) {
  if (c.errors.empty()) return {};
  error e(c.any_timestamp_error ? errc::invalid_timestamp : errc::invalid_record,
          c.any_timestamp_error ? "One or more records have been rejected due to invalid timestamp"
                                : "One or more records have been rejected due to " + std::to_string(c.errors.size()) +
                                      " record errors");
  e.record_errors = std::move(c.errors);
  return e;
}

error from_record_error(protocol::record_error e) {
  switch (e) {
    case protocol::record_error::unsupported_compression:
      return error(errc::unsupported_compression, "unknown compression codec");
    case protocol::record_error::decompression_failed:
      return error(errc::decompression_failed, "records section does not decompress");
    case protocol::record_error::too_large:
      return error(errc::invalid_record, "batch decompresses past the broker's limit");
    default:
      return error(errc::invalid_record, std::string("malformed records: ") + std::string(protocol::to_string(e)));
  }
}

status validate_batch(const protocol::batch_view& b, const validator_params& p) {
  if (p.origin != append_origin::client) return {};
  const int64_t count_from_offsets = int64_t{b.last_offset_delta()} + 1;
  if (count_from_offsets <= 0) return error(errc::invalid_record, "Batch has an invalid offset range");
  const int32_t count = b.records_count();
  if (count <= 0) return error(errc::invalid_record, "Invalid reported count for record batch: " + std::to_string(count));
  if (count_from_offsets != count) {
    return error(errc::invalid_record, "Inconsistent batch offset range and count of records " + std::to_string(count));
  }
  if (b.attributes().is_control()) return error(errc::invalid_record, "Clients are not allowed to write control records");
  if (b.producer_id().value() >= 0 && b.base_sequence() < 0) {
    return error(errc::invalid_record, "Invalid sequence number " + std::to_string(b.base_sequence()));
  }
  return {};
}

}  // namespace

bool timestamp_out_of_range(int64_t timestamp_ms, int64_t now_ms, int64_t before_max_ms, int64_t after_max_ms) {
  const int64_t diff = wrap_sub(now_ms, timestamp_ms);
  return diff > before_max_ms || wrap_neg(diff) > after_max_ms;
}

result<validation_result> validate_and_assign_offsets(std::span<uint8_t> bytes, samsa::offset first_offset,
                                                      const validator_params& p) {
  auto mv = protocol::mutable_batch_view::from_prefix(bytes);
  if (!mv) return from_record_error(mv.error());
  const protocol::batch_view batch = mv->view();
  if (auto s = validate_batch(batch, p); !s) return s.error();

  const auto source = batch.attributes().codec();
  if (!source) return error(errc::unsupported_compression, "unknown compression codec");
  const protocol::compression_codec target = p.compression.producer ? *source : p.compression.codec;

  validation_result out;
  out.log_append_time_ms = p.now_ms;

  auto opened = protocol::batch_records::open(batch, p.max_uncompressed_bytes);
  if (!opened) return from_record_error(opened.error());
  protocol::record_reader reader = opened->reader();
  protocol::record_view rec;
  record_check check;
  int32_t index = 0;
  int64_t max_batch_ts = protocol::kNoTimestamp;
  bool deltas_consecutive = true;
  const protocol::record_timestamps timestamps(batch);
  while (reader.next(rec)) {
    const size_t errors_before = check.errors.size();
    const int64_t ts = timestamps.of(rec.timestamp_delta);
    check_record(timestamps, ts, rec, index, p, check);
    if (check.errors.size() == errors_before) {
      max_batch_ts = std::max(max_batch_ts, ts);
      if (rec.offset_delta != index) deltas_consecutive = false;
    }
    ++index;
  }
  if (reader.error()) return from_record_error(*reader.error());
  if (auto s = record_errors_to_status(check); !s) return s.error();
  out.record_count = index;

  const bool uncompressed = *source == protocol::compression_codec::none && target == protocol::compression_codec::none;
  bool in_place = uncompressed || *source == target;
  if (!uncompressed && !deltas_consecutive) in_place = false;
  if (*source == protocol::compression_codec::none && batch.attributes().is_control()) in_place = true;

  if (in_place) {
    // Uncompressed batches are never rewritten for their deltas: Kafka just sets lastOffset.
    out.last_offset = samsa::offset{first_offset.value() + out.record_count - 1};
    mv->set_last_offset(out.last_offset);
    mv->set_partition_leader_epoch(p.partition_leader_epoch);
    if (p.timestamp_type == timestamp_type::log_append_time) {
      mv->set_max_timestamp(timestamp_type::log_append_time, p.now_ms);
      out.max_timestamp_ms = p.now_ms;
      out.shallow_offset_of_max_timestamp = out.last_offset;
    } else {
      mv->set_max_timestamp(p.timestamp_type, max_batch_ts);
      out.max_timestamp_ms = max_batch_ts;
      out.shallow_offset_of_max_timestamp = max_batch_ts > protocol::kNoTimestamp || !uncompressed
                                                ? out.last_offset
                                                : samsa::offset{-1};
    }
    return out;
  }

  // Rebuild with the target codec and consecutive offsets (Kafka's buildRecordsAndAssignOffsets).
  protocol::batch_builder_options o;
  o.base_offset = first_offset;
  o.partition_leader_epoch = p.partition_leader_epoch;
  o.compression = target;
  o.compression_level = p.compression.level;
  o.ts_type = p.timestamp_type;
  o.log_append_time_ms = p.now_ms;
  o.is_transactional = batch.attributes().is_transactional();
  o.producer_id = batch.producer_id();
  o.producer_epoch = batch.producer_epoch();
  o.base_sequence = batch.base_sequence();
  protocol::batch_builder builder(o);
  protocol::record_reader again = opened->reader();
  std::vector<protocol::record_header_view> headers;
  while (again.next(rec)) {
    headers.clear();
    protocol::header_reader hr(rec);
    protocol::record_header_view h;
    while (hr.next(h)) headers.push_back(h);
    protocol::record_input in;
    in.key = rec.key;
    in.value = rec.value;
    in.headers = headers;
    in.timestamp_ms = batch.record_timestamp_ms(rec.timestamp_delta);
    if (auto s = builder.append(in); !s) return from_record_error(s.error());
  }
  auto built = builder.build();
  if (!built) return from_record_error(built.error());
  out.rebuilt = true;
  out.rebuilt_batch = std::move(built).value();
  const protocol::batch_view nb = protocol::batch_view::from_prefix(out.rebuilt_batch).value();
  out.last_offset = nb.last_offset();
  out.max_timestamp_ms = nb.max_timestamp_ms();
  out.shallow_offset_of_max_timestamp = out.last_offset;
  return out;
}

}  // namespace samsa::storage
