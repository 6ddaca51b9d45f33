#include "protocol/records/batch_view.h"

#include <limits>

#include "common/crc32c.h"
#include "common/endian.h"

namespace samsa::protocol {

using namespace batch_layout;

record_result<batch_view> batch_view::from_prefix(std::span<const uint8_t> buffer) {
  if (auto s = check_magic_and_length(buffer); !s) return s.error();
  const int64_t size = int64_t{load_be<int32_t>(buffer.data() + kBatchLength)} + int64_t{kLogOverhead};
  if (static_cast<uint64_t>(size) > buffer.size()) return record_error::partial_batch;
  return batch_view(buffer.first(static_cast<size_t>(size)));
}

batch_header batch_view::header() const {
  // Cannot fail: the constructor's invariants are parse_batch_header's conditions.
  return parse_batch_header(bytes_).value();
}

samsa::offset batch_view::base_offset() const { return samsa::offset{load_be<int64_t>(bytes_.data() + kBaseOffset)}; }
int32_t batch_view::batch_length() const { return load_be<int32_t>(bytes_.data() + kBatchLength); }
samsa::leader_epoch batch_view::partition_leader_epoch() const {
  return samsa::leader_epoch{load_be<int32_t>(bytes_.data() + kPartitionLeaderEpoch)};
}
uint32_t batch_view::stored_crc() const { return load_be<uint32_t>(bytes_.data() + kCrc); }
batch_attributes batch_view::attributes() const {
  return batch_attributes(load_be<int16_t>(bytes_.data() + kAttributes));
}
int32_t batch_view::last_offset_delta() const { return load_be<int32_t>(bytes_.data() + kLastOffsetDelta); }
int64_t batch_view::base_timestamp_ms() const { return load_be<int64_t>(bytes_.data() + kBaseTimestamp); }
int64_t batch_view::max_timestamp_ms() const { return load_be<int64_t>(bytes_.data() + kMaxTimestamp); }
samsa::producer_id batch_view::producer_id() const {
  return samsa::producer_id{load_be<int64_t>(bytes_.data() + kProducerId)};
}
samsa::producer_epoch batch_view::producer_epoch() const {
  return samsa::producer_epoch{load_be<int16_t>(bytes_.data() + kProducerEpoch)};
}
int32_t batch_view::base_sequence() const { return load_be<int32_t>(bytes_.data() + kBaseSequence); }
int32_t batch_view::records_count() const { return load_be<int32_t>(bytes_.data() + kRecordsCount); }

std::optional<int64_t> batch_view::delete_horizon_ms() const {
  if (!attributes().has_delete_horizon_ms()) return std::nullopt;
  return base_timestamp_ms();
}

uint32_t batch_view::computed_crc() const {
  return crc32c(bytes_.data() + kCrcCoverageStart, bytes_.size() - kCrcCoverageStart);
}

int64_t batch_view::record_timestamp_ms(int64_t timestamp_delta) const {
  return record_timestamps(*this).of(timestamp_delta);
}

int32_t batch_view::record_sequence(int32_t offset_delta) const {
  const int32_t base = base_sequence();
  if (base < 0) return kNoSequence;
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  if (offset_delta < 0) return kNoSequence;  // not produced by any client; keep arithmetic defined
  if (base > kMax - offset_delta) return offset_delta - (kMax - base) - 1;
  return base + offset_delta;
}

record_result<mutable_batch_view> mutable_batch_view::from_prefix(std::span<uint8_t> buffer) {
  auto v = batch_view::from_prefix(buffer);
  if (!v) return v.error();
  return mutable_batch_view(buffer.first(v->size_bytes()));
}

batch_view mutable_batch_view::view() const {
  // Cannot fail: same bytes that passed from_prefix.
  return batch_view::from_prefix(bytes_).value();
}

void mutable_batch_view::set_base_offset(samsa::offset base) {
  store_be<int64_t>(bytes_.data() + kBaseOffset, base.value());
}

void mutable_batch_view::set_last_offset(samsa::offset last) {
  const int32_t delta = load_be<int32_t>(bytes_.data() + kLastOffsetDelta);
  set_base_offset(samsa::offset{last.value() - delta});
}

void mutable_batch_view::set_partition_leader_epoch(samsa::leader_epoch epoch) {
  store_be<int32_t>(bytes_.data() + kPartitionLeaderEpoch, epoch.value());
}

void mutable_batch_view::set_max_timestamp(timestamp_type type, int64_t max_timestamp_ms) {
  const batch_attributes attrs(load_be<int16_t>(bytes_.data() + kAttributes));
  if (attrs.ts_type() == type && load_be<int64_t>(bytes_.data() + kMaxTimestamp) == max_timestamp_ms) return;
  store_be<int16_t>(bytes_.data() + kAttributes, attrs.with_ts_type(type).raw());
  store_be<int64_t>(bytes_.data() + kMaxTimestamp, max_timestamp_ms);
  update_crc();
}

void mutable_batch_view::update_crc() {
  const uint32_t crc = crc32c(bytes_.data() + kCrcCoverageStart, bytes_.size() - kCrcCoverageStart);
  store_be<uint32_t>(bytes_.data() + kCrc, crc);
}

}  // namespace samsa::protocol
