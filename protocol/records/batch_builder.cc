#include "protocol/records/batch_builder.h"

#include <algorithm>
#include <limits>

#include "common/crc32c.h"
#include "common/endian.h"
#include "protocol/records/compression/compression.h"
#include "protocol/records/varint.h"

namespace samsa::protocol {
namespace {

constexpr size_t kInt32Max = static_cast<size_t>(std::numeric_limits<int32_t>::max());

size_t nullable_size(const nullable_bytes& b) {
  return b ? varint_size(static_cast<int32_t>(b->size())) + b->size() : varint_size(-1);
}

void append_nullable(std::vector<uint8_t>& out, const nullable_bytes& b) {
  if (!b) {
    append_varint(out, -1);
    return;
  }
  append_varint(out, static_cast<int32_t>(b->size()));
  out.insert(out.end(), b->begin(), b->end());
}

// Bytes after the length varint.
size_t body_size(int32_t offset_delta, int64_t timestamp_delta, const record_input& r) {
  size_t n = 1 + varlong_size(timestamp_delta) + varint_size(offset_delta);
  n += nullable_size(r.key) + nullable_size(r.value);
  n += varint_size(static_cast<int32_t>(r.headers.size()));
  for (const auto& h : r.headers) {
    n += varint_size(static_cast<int32_t>(h.key.size())) + h.key.size() + nullable_size(h.value);
  }
  return n;
}

// Sum of every length the record encodes, to refuse int32 overflow up front.
bool lengths_fit_int32(const record_input& r) {
  size_t total = (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
  if (r.headers.size() > kInt32Max) return false;
  for (const auto& h : r.headers) total += h.key.size() + (h.value ? h.value->size() : 0);
  return total <= kInt32Max / 2;
}

}  // namespace

void append_encoded_record(std::vector<uint8_t>& out, int32_t offset_delta, int64_t timestamp_delta,
                           const record_input& r) {
  const size_t body = body_size(offset_delta, timestamp_delta, r);
  // Geometric growth: an exact reserve per record would copy the batch once per record.
  const size_t needed = out.size() + kMaxVarintBytes + body;
  if (needed > out.capacity()) out.reserve(std::max(needed, 2 * out.capacity()));
  append_varint(out, static_cast<int32_t>(body));
  out.push_back(0);  // attributes: unused
  append_varlong(out, timestamp_delta);
  append_varint(out, offset_delta);
  append_nullable(out, r.key);
  append_nullable(out, r.value);
  append_varint(out, static_cast<int32_t>(r.headers.size()));
  for (const auto& h : r.headers) {
    append_varint(out, static_cast<int32_t>(h.key.size()));
    out.insert(out.end(), h.key.begin(), h.key.end());
    append_nullable(out, h.value);
  }
}

record_status batch_builder::append_with_offset_delta(int32_t offset_delta, const record_input& r) {
  if (count_ > 0 && offset_delta <= last_offset_delta_) return record_error::invalid_record;
  if (offset_delta < 0 || count_ == std::numeric_limits<int32_t>::max()) return record_error::invalid_record;
  if (r.timestamp_ms < 0 && r.timestamp_ms != kNoTimestamp) return record_error::invalid_record;
  if (!lengths_fit_int32(r)) return record_error::too_large;

  if (!base_timestamp_ms_) base_timestamp_ms_ = options_.delete_horizon_ms.value_or(r.timestamp_ms);
  // Wrapping subtraction: a delete horizon can sit far from record timestamps.
  const auto delta = static_cast<int64_t>(static_cast<uint64_t>(r.timestamp_ms) -
                                          static_cast<uint64_t>(*base_timestamp_ms_));
  append_encoded_record(records_, offset_delta, delta, r);
  max_timestamp_ms_ = std::max(max_timestamp_ms_, r.timestamp_ms);
  last_offset_delta_ = offset_delta;
  ++count_;
  return {};
}

record_result<std::vector<uint8_t>> batch_builder::build() const {
  batch_header h;
  h.base_offset = options_.base_offset;
  h.partition_leader_epoch = options_.partition_leader_epoch;
  h.attributes = batch_attributes()
                     .with_codec(options_.compression)
                     .with_ts_type(options_.ts_type)
                     .with_transactional(options_.is_transactional)
                     .with_control(options_.is_control)
                     .with_delete_horizon_ms(options_.delete_horizon_ms.has_value());
  h.last_offset_delta = count_ == 0 ? 0 : last_offset_delta_;
  h.base_timestamp_ms = options_.delete_horizon_ms.value_or(base_timestamp_ms_.value_or(kNoTimestamp));
  h.max_timestamp_ms =
      options_.ts_type == timestamp_type::log_append_time ? options_.log_append_time_ms : max_timestamp_ms_;
  h.producer_id = options_.producer_id;
  h.producer_epoch = options_.producer_epoch;
  h.base_sequence = options_.base_sequence;
  h.records_count = count_;

  std::vector<uint8_t> out(batch_layout::kHeaderSize);
  if (auto s = compress(options_.compression, records_, out, options_.compression_level); !s) return s.error();
  if (out.size() - batch_layout::kLogOverhead > kInt32Max) return record_error::too_large;
  h.batch_length = static_cast<int32_t>(out.size() - batch_layout::kLogOverhead);
  encode_batch_header(h, std::span<uint8_t, batch_layout::kHeaderSize>(out.data(), batch_layout::kHeaderSize));
  const uint32_t crc =
      crc32c(out.data() + batch_layout::kCrcCoverageStart, out.size() - batch_layout::kCrcCoverageStart);
  store_be<uint32_t>(out.data() + batch_layout::kCrc, crc);
  return out;
}

}  // namespace samsa::protocol
