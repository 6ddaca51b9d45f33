#include "storage/cleaner/log_cleaner.h"

#include <algorithm>

#include "common/crc32c.h"
#include "common/endian.h"
#include "protocol/records/batch_builder.h"
#include "protocol/records/batch_records.h"
#include "storage/cleaner/cleaned_txn_metadata.h"
#include "storage/segment/file_batch_reader.h"

namespace samsa::storage {

namespace {

using seg_ptr = std::shared_ptr<segment>;

// Kafka's LogSegments.values(from, to): from the segment holding `from` through
// the last one starting below `to`.
std::vector<seg_ptr> segments_in(const std::vector<seg_ptr>& all, int64_t from, int64_t to) {
  std::vector<seg_ptr> out;
  for (size_t i = 0; i < all.size(); ++i) {
    const int64_t base = all[i]->base_offset().value();
    const int64_t next = i + 1 < all.size() ? all[i + 1]->base_offset().value() : INT64_MAX;
    if (next <= from) continue;
    if (base >= to) break;
    out.push_back(all[i]);
  }
  return out;
}

// Kafka's nonActiveLogSegmentsFrom.
std::vector<seg_ptr> non_active_from(const std::vector<seg_ptr>& all, int64_t from) {
  std::vector<seg_ptr> out = segments_in(all, from, INT64_MAX);
  if (!out.empty() && out.back() == all.back()) out.pop_back();
  return out;
}

// The header of an empty batch kept to preserve a producer's last sequence, or the
// last offset of a cleaning round (Kafka's DefaultRecordBatch.writeEmptyHeader).
std::vector<uint8_t> empty_batch_like(const protocol::batch_view& b) {
  protocol::batch_header h = b.header();
  h.batch_length = protocol::batch_layout::kMinBatchLength;
  h.attributes = h.attributes.with_codec(protocol::compression_codec::none).with_delete_horizon_ms(false);
  h.base_timestamp_ms = b.max_timestamp_ms();
  h.records_count = 0;
  std::vector<uint8_t> out(protocol::batch_layout::kHeaderSize);
  protocol::encode_batch_header(h, std::span<uint8_t, protocol::batch_layout::kHeaderSize>(out.data(), out.size()));
  store_be<uint32_t>(out.data() + protocol::batch_layout::kCrc,
                     crc32c(out.data() + protocol::batch_layout::kCrcCoverageStart,
                            out.size() - protocol::batch_layout::kCrcCoverageStart));
  return out;
}

// Kafka's Cleaner.shouldRetainRecord for v2 batches.
bool should_retain_record(const offset_map& map, const protocol::batch_view& b, const protocol::record_view& r,
                          int64_t now_ms) {
  const int64_t offset = b.record_offset(r.offset_delta).value();
  if (offset > map.latest_offset()) return true;
  if (!r.key) return false;  // a record without a key cannot be compacted: dropped
  const bool latest_for_key = offset >= map.get(*r.key);
  const auto horizon = b.delete_horizon_ms();
  const bool retain_deletes = !horizon || now_ms < *horizon;
  return latest_for_key && (r.value.has_value() || retain_deletes);
}

// Rebuilds a batch with only `retained` records, keeping its header fields and
// last offset (so the producer's last sequence survives).
result<std::vector<uint8_t>> rebuild_batch(const protocol::batch_view& b,
                                           const std::vector<protocol::record_view>& retained,
                                           std::optional<int64_t> delete_horizon_ms) {
  protocol::batch_builder_options o;
  o.base_offset = b.base_offset();
  o.partition_leader_epoch = b.partition_leader_epoch();
  o.compression = *b.attributes().codec();
  o.ts_type = b.attributes().ts_type();
  o.log_append_time_ms = b.max_timestamp_ms();
  o.is_transactional = b.attributes().is_transactional();
  o.is_control = b.attributes().is_control();
  o.delete_horizon_ms = delete_horizon_ms;
  o.producer_id = b.producer_id();
  o.producer_epoch = b.producer_epoch();
  o.base_sequence = b.base_sequence();
  protocol::batch_builder builder(o);
  std::vector<protocol::record_header_view> headers;
  for (const protocol::record_view& kept : retained) {
    headers.clear();
    protocol::header_reader hr(kept);
    protocol::record_header_view h;
    while (hr.next(h)) headers.push_back(h);
    protocol::record_input in;
    in.key = kept.key;
    in.value = kept.value;
    in.headers = headers;
    in.timestamp_ms = b.record_timestamp_ms(kept.timestamp_delta);
    if (!builder.append_with_offset_delta(kept.offset_delta, in)) {
      return error(errc::corrupt_record, "cannot rebuild a batch while cleaning");
    }
  }
  auto built = builder.build();
  if (!built) return error(errc::corrupt_record, "cannot rebuild a batch while cleaning");
  std::vector<uint8_t> out = std::move(built).value();
  store_be<int32_t>(out.data() + protocol::batch_layout::kLastOffsetDelta, b.last_offset_delta());
  protocol::mutable_batch_view::from_prefix(out)->update_crc();
  return out;
}

// Kafka's MemoryRecords.filterTo for one batch with the cleaner's filter
// (Cleaner.cleanInto): the bytes to write, or nothing.
result<std::vector<uint8_t>> filter_batch(const protocol::batch_view& b, const cleaner_view& view, const offset_map& map,
                                          cleaned_txn_metadata& txns, samsa::offset upper_bound_of_round,
                                          int64_t now_ms) {
  const log_config& cfg = view.config;
  const bool control = b.attributes().is_control();
  const bool can_discard = control ? txns.on_control_batch_read(b) : txns.on_batch_read(b);
  const auto horizon = b.delete_horizon_ms();
  // A marker goes only once its delete horizon passed; aborted data at once.
  const bool discard_records = control ? (can_discard && horizon && *horizon <= now_ms) : can_discard;
  bool last_of_producer = false;
  if (b.producer_id().value() >= 0) {
    auto lr = view.last_records_of_active_producers.find(b.producer_id().value());
    if (lr != view.last_records_of_active_producers.end()) {
      last_of_producer = lr->second.first >= 0 ? b.last_offset().value() == lr->second.first
                                               : control && b.producer_epoch().value() == lr->second.second;
    }
  }
  // Kafka's BatchRetention: keep an emptied batch for an active producer's last
  // sequence and for the round's last offset; otherwise drop what is empty.
  const bool retain_empty = last_of_producer || b.last_offset().value() + 1 == upper_bound_of_round.value();
  if (!retain_empty && discard_records) return std::vector<uint8_t>();
  const bool marker_for_empty_txn = can_discard && control;

  auto records = protocol::batch_records::open(b, static_cast<size_t>(cfg.max_uncompressed_batch_bytes()));
  if (!records) return error(errc::corrupt_record, "cannot read a batch while cleaning");
  protocol::record_reader rr = records->reader();
  protocol::record_view rec;
  std::vector<protocol::record_view> retained;
  bool write_original = true;
  bool tombstones = false;
  while (rr.next(rec)) {
    const bool retain = !discard_records && (control || should_retain_record(map, b, rec, now_ms));
    if (retain) {
      retained.push_back(rec);
      if (!rec.value) tombstones = true;
    } else {
      write_original = false;
    }
  }
  if (retained.empty()) return retain_empty ? empty_batch_like(b) : std::vector<uint8_t>();
  // Tombstones and markers of empty transactions get a delete horizon the first
  // time a cleaning sees them (KIP-534); that needs a rewrite.
  const bool set_horizon = (tombstones || marker_for_empty_txn) && !horizon;
  if (write_original && !set_horizon) return std::vector<uint8_t>(b.bytes().begin(), b.bytes().end());
  std::optional<int64_t> new_horizon = horizon;
  if (set_horizon) new_horizon = now_ms + cfg.delete_retention_ms;
  return rebuild_batch(b, retained, new_horizon);
}

}  // namespace

cleanable_range compute_cleanable_range(const cleaner_view& v, std::optional<samsa::offset> checkpoint, int64_t now_ms) {
  cleanable_range r;
  const samsa::offset lso = v.log_start_offset;
  const samsa::offset ckpt = checkpoint.value_or(lso);
  if (ckpt < lso || ckpt > v.log_end_offset) {
    r.first_dirty = lso;
    r.force_update_checkpoint = true;
  } else {
    r.first_dirty = ckpt;
  }
  int64_t uncleanable = std::min(v.last_stable_offset.value(), v.active_base.value());
  const int64_t min_lag = std::max<int64_t>(v.config.min_compaction_lag_ms, 0);
  if (min_lag > 0) {
    for (const seg_ptr& s : non_active_from(v.segments, r.first_dirty.value())) {
      if (s->largest_timestamp() > now_ms - min_lag) {
        uncleanable = std::min(uncleanable, s->base_offset().value());
        break;
      }
    }
  }
  uncleanable = std::max(uncleanable, r.first_dirty.value());
  // The first uncleanable offset rounds down to its segment (calculateCleanableBytes).
  const std::vector<seg_ptr> from_uncleanable = non_active_from(v.segments, uncleanable);
  const samsa::offset first_uncleanable =
      from_uncleanable.empty() ? v.segments.back()->base_offset() : from_uncleanable.front()->base_offset();
  r.first_uncleanable = first_uncleanable;
  for (const seg_ptr& s : segments_in(v.segments, std::min(r.first_dirty, first_uncleanable).value(),
                                      first_uncleanable.value())) {
    r.cleanable_bytes += s->size_bytes();
  }
  for (const seg_ptr& s : v.segments) {
    if (s->base_offset() < r.first_dirty) r.clean_bytes += s->size_bytes();
  }
  // max.compaction.lag.ms: is the oldest dirty data overdue?
  int64_t earliest = INT64_MAX;
  for (const seg_ptr& s : non_active_from(v.segments, r.first_dirty.value())) {
    const int64_t ts = s->first_batch_timestamp();
    if (ts > 0) earliest = std::min(earliest, ts);
  }
  const int64_t max_lag = std::max<int64_t>(v.config.max_compaction_lag_ms, 0);
  const int64_t clean_until = max_lag > now_ms ? INT64_MIN : now_ms - max_lag;
  r.need_compaction_now = earliest < clean_until;
  return r;
}

result<samsa::offset> log_cleaner::build_offset_map(partition_log& log, const cleaner_view& view, samsa::offset start,
                                                    samsa::offset end, offset_map& map) {
  map.clear();
  const std::vector<seg_ptr> dirty = segments_in(view.segments, start.value(), end.value());
  cleaned_txn_metadata txns;
  auto aborted = log.collect_aborted_transactions(start, end);
  if (!aborted) return aborted.error();
  txns.add_aborted_transactions(*aborted);
  for (size_t i = 0; i < dirty.size(); ++i) {
    const segment& seg = *dirty[i];
    const int64_t next_start = i + 1 < dirty.size() ? dirty[i + 1]->base_offset().value() : end.value();
    auto idx = seg.offset_idx();
    if (!idx) return idx.error();
    auto f = seg.log_file();
    if (!f) return f.error();
    file_batch_reader r(**f, (*idx)->lookup(start).position, seg.size_bytes(), batch_read_mode::whole_batches, false,
                        1 << 20);
    while (r.next()) {
      const protocol::batch_view b = r.view();
      if (b.attributes().is_control()) {
        txns.on_control_batch_read(b);
      } else if (!txns.on_batch_read(b)) {
        auto records = protocol::batch_records::open(b, static_cast<size_t>(view.config.max_uncompressed_batch_bytes()));
        if (!records) return error(errc::corrupt_record, "cannot read a batch while building the offset map");
        protocol::record_reader rr = records->reader();
        protocol::record_view rec;
        while (rr.next(rec)) {
          const int64_t off = b.record_offset(rec.offset_delta).value();
          if (rec.key && off >= start.value()) {
            if (!map.put(*rec.key, off)) return samsa::offset{map.latest_offset() + 1};  // full
          }
        }
      }
      if (b.last_offset() >= start) map.update_latest_offset(b.last_offset().value());
    }
    if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
    map.update_latest_offset(next_start - 1);
  }
  return samsa::offset{map.latest_offset() + 1};
}

result<bool> log_cleaner::clean_group(partition_log& log, const cleaner_view& view, const std::vector<seg_ptr>& group,
                                      const offset_map& map, cleaned_txn_metadata& txns,
                                      samsa::offset upper_bound_of_round, int64_t now_ms) {
  const log_config& cfg = view.config;
  segment_options opts = segment_options::from(cfg, 0);
  opts.preallocate = false;
  auto created = segment::create(fs_, cache_, log.dir(), group.front()->base_offset(), opts, now_ms, kCleanedSuffix);
  if (!created) return created.error();
  std::shared_ptr<segment> cleaned = *created;
  txns.set_output([&cleaned](const aborted_txn& t) { cleaned->append_aborted_txn(t); });

  for (size_t i = 0; i < group.size(); ++i) {
    const segment& src = *group[i];
    samsa::offset upper;
    if (i + 1 < group.size()) {
      upper = group[i + 1]->base_offset();
    } else {
      auto n = src.read_next_offset();
      if (!n) return n.error();
      upper = *n;
    }
    auto aborted = log.collect_aborted_transactions(src.base_offset(), upper);
    if (!aborted) return aborted.error();
    txns.add_aborted_transactions(*aborted);

    auto f = src.log_file();
    if (!f) return f.error();
    file_batch_reader r(**f, 0, src.size_bytes(), batch_read_mode::whole_batches, false, 1 << 20);
    while (r.next()) {
      const protocol::batch_view b = r.view();
      auto out = filter_batch(b, view, map, txns, upper_bound_of_round, now_ms);
      if (!out) return out.error();
      if (out->empty()) continue;
      const protocol::batch_view ob = protocol::batch_view::from_prefix(*out).value();
      if (auto s = cleaned->append(ob.last_offset(), ob.max_timestamp_ms(), ob.last_offset(), *out); !s) return s.error();
    }
    if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  }
  if (auto s = cleaned->seal(); !s) return s.error();
  if (auto s = cleaned->flush(); !s) return s.error();
  (void)cleaned->set_last_modified(group.back()->last_modified_ms());
  return log.cleaner_replace_segments(cleaned, group, view.generation);
}

result<std::optional<samsa::offset>> log_cleaner::clean(partition_log& log, const cleaner_view& view,
                                                        const cleanable_range& range) {
  const int64_t now = clock_.now_ms();
  offset_map map(static_cast<size_t>(static_cast<double>(config_.dedupe_buffer_bytes) * config_.io_buffer_load_factor));
  auto end = build_offset_map(log, view, range.first_dirty, range.first_uncleanable, map);
  if (!end) return end.error();
  // Group the segments below the end so cleaned segments do not shrink too much
  // (Kafka's groupSegmentsBySize), each group into one cleaned segment.
  const std::vector<seg_ptr> segs = segments_in(view.segments, 0, end->value());
  std::vector<std::vector<seg_ptr>> groups;
  size_t i = 0;
  while (i < segs.size()) {
    std::vector<seg_ptr> group{segs[i]};
    auto oi = segs[i]->offset_idx();
    auto ti = segs[i]->time_idx();
    if (!oi) return oi.error();
    if (!ti) return ti.error();
    uint64_t log_size = segs[i]->size_bytes();
    uint64_t index_size = (*oi)->size_bytes();
    uint64_t time_size = (*ti)->size_bytes();
    ++i;
    while (i < segs.size()) {
      auto noi = segs[i]->offset_idx();
      auto nti = segs[i]->time_idx();
      if (!noi) return noi.error();
      if (!nti) return nti.error();
      const int64_t last_offset_estimate =
          i + 1 < segs.size() ? segs[i + 1]->base_offset().value() - 1 : range.first_uncleanable.value() - 1;
      const bool fits = log_size + segs[i]->size_bytes() <= static_cast<uint64_t>(view.config.segment_bytes) &&
                        index_size + (*noi)->size_bytes() <= static_cast<uint64_t>(view.config.segment_index_bytes) &&
                        time_size + (*nti)->size_bytes() <= static_cast<uint64_t>(view.config.segment_index_bytes) &&
                        (segs[i]->size_bytes() == 0 ||
                         last_offset_estimate - group.front()->base_offset().value() <= INT32_MAX);
      if (!fits) break;
      log_size += segs[i]->size_bytes();
      index_size += (*noi)->size_bytes();
      time_size += (*nti)->size_bytes();
      group.push_back(segs[i]);
      ++i;
    }
    groups.push_back(std::move(group));
  }
  cleaned_txn_metadata txns;
  for (const auto& group : groups) {
    auto swapped = clean_group(log, view, group, map, txns, range.first_uncleanable, now);
    if (!swapped) return swapped.error();
    if (!*swapped) return std::optional<samsa::offset>();
  }
  return std::optional<samsa::offset>(*end);
}

}  // namespace samsa::storage
