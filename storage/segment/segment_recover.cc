// Recovery of one segment after an unclean shutdown (Kafka's LogSegment.recover).

#include "storage/segment/file_batch_reader.h"
#include "storage/segment/segment.h"

namespace samsa::storage {

result<uint64_t> segment::recover(const std::function<void(const protocol::batch_view&)>& on_batch, bool contiguous) {
  std::lock_guard<std::mutex> g(lazy_mu_);
  auto f = log_file();
  if (!f) return f.error();
  auto file_size = (*f)->size();
  if (!file_size) return file_size.error();
  offset_index_.reset();
  offset_index_.set_max_entries(opts_.max_offset_index_entries);
  time_index_.reset();
  time_index_.set_max_entries(opts_.max_time_index_entries);
  txn_index_.reset();
  max_ts_ = {-1, base_};
  uint64_t valid = 0;
  uint64_t last_index_entry = 0;
  samsa::offset prev_last{base_.value() - 1};
  file_batch_reader r(**f, 0, *file_size, batch_read_mode::whole_batches, true, 1024 * 1024);
  while (r.next()) {
    const protocol::batch_header& h = r.header();
    // Offsets must increase and fit this segment's 4-byte relative offsets;
    // anything else is garbage that happens to carry a valid CRC.
    if (h.base_offset <= prev_last || h.last_offset() < h.base_offset ||
        !can_convert_to_relative_offset(h.last_offset())) {
      break;
    }
    if (contiguous && h.base_offset.value() != prev_last.value() + 1) break;
    if (h.max_timestamp_ms > max_ts_.timestamp_ms) max_ts_ = {h.max_timestamp_ms, h.last_offset()};
    if (valid - last_index_entry > static_cast<uint64_t>(opts_.index_interval_bytes)) {
      offset_index_.append(h.last_offset(), static_cast<uint32_t>(valid));
      time_index_.maybe_append(max_ts_.timestamp_ms, max_ts_.offset);
      last_index_entry = valid;
    }
    valid += static_cast<uint64_t>(h.size_bytes());
    if (on_batch) on_batch(r.view());
    prev_last = h.last_offset();
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  const uint64_t truncated = *file_size - valid;
  if (truncated > 0) {
    if (auto s = (*f)->truncate(valid); !s) return s.error();
  }
  size_.store(valid, std::memory_order_release);
  time_index_.maybe_append(max_ts_.timestamp_ms, max_ts_.offset, true);
  rolling_based_timestamp_.reset();
  bytes_since_last_index_entry_ = static_cast<uint32_t>(valid - last_index_entry);
  flushed_all_.store(false, std::memory_order_release);
  index_files_synced_.store(false, std::memory_order_release);
  max_ts_loaded_.store(true, std::memory_order_release);
  indexes_loaded_.store(true, std::memory_order_release);
  // Whatever index files exist describe the old contents; sealed segments get
  // them rewritten by the loader, the active one when it is sealed or closed.
  return truncated;
}

}  // namespace samsa::storage
