// Reads of one segment: offset translation, whole-batch ranges, timestamp search.

#include "protocol/records/batch_header.h"
#include "protocol/records/batch_records.h"
#include "storage/segment/file_batch_reader.h"
#include "storage/segment/segment.h"

namespace samsa::storage {

namespace {
// Header scans cover about one index interval; a few KiB per read is plenty.
constexpr size_t kScanChunk = 8 * 1024;
}  // namespace

result<std::optional<batch_position>> segment::translate_offset(samsa::offset o, uint64_t starting_position) const {
  auto idx = offset_idx();
  if (!idx) return idx.error();
  const uint64_t from = std::max<uint64_t>((*idx)->lookup(o).position, starting_position);
  auto f = log_file();
  if (!f) return f.error();
  // Fast path for a consumer reading on: when each append got an index entry,
  // the batch holding o is the one at the next entry. Checking it first keeps
  // the file reads moving forward (a read behind the fetch position would make
  // the kernel drop its readahead).
  if (auto next = (*idx)->first_entry_above(o); next && next->position > from) {
    // Only this one header is wanted: reading a scan chunk here would copy 8 KiB
    // per fetch that the fetch itself then sends again.
    file_batch_reader probe(**f, next->position, size_bytes(), batch_read_mode::headers, false,
                            protocol::batch_layout::kHeaderSize);
    if (probe.next() && probe.header().base_offset <= o && probe.header().last_offset() >= o) {
      return std::optional<batch_position>(batch_position{probe.header().last_offset(), probe.position(),
                                                          static_cast<uint64_t>(probe.header().size_bytes())});
    }
    if (probe.stop_reason() == batch_stop::io_error) return *probe.io_failure();
  }
  file_batch_reader r(**f, from, size_bytes(), batch_read_mode::headers, false, kScanChunk);
  while (r.next()) {
    if (r.header().last_offset() >= o) {
      return std::optional<batch_position>(
          batch_position{r.header().last_offset(), r.position(), static_cast<uint64_t>(r.header().size_bytes())});
    }
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  return std::optional<batch_position>();
}

result<std::optional<segment_read>> segment::read(samsa::offset start, int64_t max_size,
                                                  std::optional<uint64_t> max_position, bool min_one_message) const {
  if (max_size < 0) return error(errc::invalid_argument, "negative max size");
  auto first = translate_offset(start);
  if (!first) return first.error();
  if (!*first) return std::optional<segment_read>();
  const batch_position& b = **first;
  const int64_t adjusted = min_one_message ? std::max<int64_t>(max_size, static_cast<int64_t>(b.size)) : max_size;
  segment_read out;
  out.start_position = b.position;
  out.first_entry_incomplete = adjusted < static_cast<int64_t>(b.size);
  if (adjusted == 0 || !max_position || *max_position <= b.position) return std::optional<segment_read>(out);
  const uint64_t fetch_size = std::min<uint64_t>(*max_position - b.position, static_cast<uint64_t>(adjusted));
  const uint64_t limit = b.position + fetch_size;
  if (b.position + b.size > limit) return std::optional<segment_read>(out);  // not even one whole batch
  // Whole batches only: find the last batch end <= limit, starting from the index
  // entry nearest below the limit to keep the header scan short.
  uint64_t end = b.position + b.size;
  auto idx = offset_idx();
  if (!idx) return idx.error();
  uint64_t scan_from = end;
  if (auto e = (*idx)->last_entry_at_or_before_position(static_cast<uint32_t>(std::min<uint64_t>(limit, UINT32_MAX)));
      e && e->position > scan_from) {
    // An index entry is a batch start, hence the end of the batch before it. Stop
    // there rather than read headers past it: the response is at most one index
    // interval short of max_bytes, and the reads of a sequential consumer stay
    // sequential (a header read near the limit would defeat the kernel's readahead).
    end = e->position;
    scan_from = limit;
  }
  if (end < limit && scan_from < limit) {
    auto f = log_file();
    if (!f) return f.error();
    file_batch_reader r(**f, scan_from, std::min<uint64_t>(limit, size_bytes()), batch_read_mode::headers, false,
                        kScanChunk);
    while (r.next()) end = r.next_position();
    if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  }
  out.length = end - b.position;
  return std::optional<segment_read>(out);
}

result<samsa::offset> segment::read_next_offset() const {
  auto idx = offset_idx();
  if (!idx) return idx.error();
  auto f = log_file();
  if (!f) return f.error();
  file_batch_reader r(**f, (*idx)->last_entry().position, size_bytes(), batch_read_mode::headers, false, kScanChunk);
  samsa::offset next = base_;
  while (r.next()) next = samsa::offset{r.header().last_offset().value() + 1};
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  return next;
}

result<timestamp_and_offset> segment::max_timestamp_after(uint64_t position) const {
  auto f = log_file();
  if (!f) return f.error();
  timestamp_and_offset best{-1, samsa::offset{-1}, std::nullopt};
  file_batch_reader r(**f, position, size_bytes(), batch_read_mode::headers, false, kScanChunk);
  while (r.next()) {
    if (r.header().max_timestamp_ms > best.timestamp_ms) {
      best = {r.header().max_timestamp_ms, r.header().last_offset(), std::nullopt};
    }
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  return best;
}

namespace {
std::optional<samsa::leader_epoch> maybe_epoch(samsa::leader_epoch e) {
  if (e.value() < 0) return std::nullopt;
  return e;
}
}  // namespace

result<std::optional<timestamp_and_offset>> segment::find_offset_by_timestamp(int64_t target_ms,
                                                                              samsa::offset starting_offset) const {
  auto ti = time_idx();
  if (!ti) return ti.error();
  auto oi = offset_idx();
  if (!oi) return oi.error();
  const timestamp_offset t = (*ti)->lookup(target_ms);
  const uint64_t position = (*oi)->lookup(std::max(t.offset, starting_offset)).position;
  auto f = log_file();
  if (!f) return f.error();
  file_batch_reader r(**f, position, size_bytes(), batch_read_mode::headers, false, kScanChunk);
  while (r.next()) {
    if (r.header().max_timestamp_ms < target_ms) continue;
    // Read this batch whole and walk its records.
    file_batch_reader whole(**f, r.position(), r.next_position(), batch_read_mode::whole_batches);
    if (!whole.next()) return error(errc::corrupt_record, "batch vanished while searching timestamps");
    const protocol::batch_view batch = whole.view();
    auto records = protocol::batch_records::open(batch, 256u << 20);
    if (!records) return error(errc::corrupt_record, std::string(protocol::to_string(records.error())));
    protocol::record_reader rr = records->reader();
    protocol::record_view rec;
    while (rr.next(rec)) {
      const int64_t ts = batch.record_timestamp_ms(rec.timestamp_delta);
      const samsa::offset off = batch.record_offset(rec.offset_delta);
      if (ts >= target_ms && off >= starting_offset) {
        return std::optional<timestamp_and_offset>(timestamp_and_offset{ts, off, maybe_epoch(batch.partition_leader_epoch())});
      }
    }
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  return std::optional<timestamp_and_offset>();
}

result<std::optional<timestamp_and_offset>> segment::find_max_timestamp_record() const {
  const timestamp_offset m = max_timestamp_and_offset();
  if (m.timestamp_ms < 0) return std::optional<timestamp_and_offset>();
  auto oi = offset_idx();
  if (!oi) return oi.error();
  auto f = log_file();
  if (!f) return f.error();
  file_batch_reader r(**f, (*oi)->lookup(m.offset).position, size_bytes(), batch_read_mode::headers, false, kScanChunk);
  while (r.next()) {
    if (r.header().max_timestamp_ms != m.timestamp_ms) continue;
    file_batch_reader whole(**f, r.position(), r.next_position(), batch_read_mode::whole_batches);
    if (!whole.next()) return error(errc::corrupt_record, "batch vanished while searching timestamps");
    const protocol::batch_view batch = whole.view();
    auto records = protocol::batch_records::open(batch, 256u << 20);
    if (!records) return error(errc::corrupt_record, std::string(protocol::to_string(records.error())));
    protocol::record_reader rr = records->reader();
    protocol::record_view rec;
    // Kafka's RecordBatch.offsetOfMaxTimestamp: the first record carrying it.
    while (rr.next(rec)) {
      if (batch.record_timestamp_ms(rec.timestamp_delta) == m.timestamp_ms) {
        return std::optional<timestamp_and_offset>(timestamp_and_offset{
            m.timestamp_ms, batch.record_offset(rec.offset_delta), maybe_epoch(batch.partition_leader_epoch())});
      }
    }
    return std::optional<timestamp_and_offset>();
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  return std::optional<timestamp_and_offset>();
}

std::optional<samsa::offset> segment::fetch_upper_bound_offset(uint64_t position) const {
  auto idx = offset_idx();
  if (!idx) return std::nullopt;
  auto e = (*idx)->first_entry_at_or_after_position(static_cast<uint32_t>(std::min<uint64_t>(position, UINT32_MAX)));
  if (!e) return std::nullopt;
  return e->offset;
}

txn_search_result segment::collect_aborted_txns(samsa::offset fetch_offset, samsa::offset upper_bound) const {
  auto idx = txn_idx();
  if (!idx) return {};
  return (*idx)->collect(fetch_offset, upper_bound);
}

status segment::validate_tail() {
  if (auto s = ensure_indexes(); !s) return s;
  auto f = log_file();
  if (!f) return f.error();
  const offset_position last = offset_index_.last_entry();
  file_batch_reader r(**f, last.position, size_bytes(), batch_read_mode::headers, true, 256 * 1024);
  bool first = true;
  samsa::offset prev{base_.value() - 1};
  while (r.next()) {
    const auto& h = r.header();
    if (first && offset_index_.entries() > 0 && (h.base_offset > last.offset || h.last_offset() < last.offset)) {
      // Kafka's entries use the append's last offset, which may be a later batch of
      // a multi-batch append; the batch at the position must not start past it.
      if (h.base_offset > last.offset) return error(errc::corrupt_file, "offset index disagrees with " + log_path());
    }
    if (h.base_offset <= prev || !can_convert_to_relative_offset(h.last_offset())) {
      return error(errc::corrupt_file, "offsets do not increase in " + log_path());
    }
    prev = h.last_offset();
    first = false;
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  if (r.stop_reason() != batch_stop::end) return error(errc::corrupt_file, "torn or corrupt tail in " + log_path());
  if (time_index_.last_entry().offset > prev && time_index_.entries() > 0) {
    return error(errc::corrupt_file, "time index points past the end of " + log_path());
  }
  if (!txn_index_.empty() && txn_index_.all().back().last_offset > prev) {
    return error(errc::corrupt_file, "transaction index points past the end of " + log_path());
  }
  return {};
}

}  // namespace samsa::storage
