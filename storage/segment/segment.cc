#include "storage/segment/segment.h"

#include <algorithm>

#include "common/endian.h"
#include "storage/log/file_names.h"
#include "storage/segment/file_batch_reader.h"

namespace samsa::storage {
namespace {

constexpr uint64_t kPageBytes = 4096;  // start_writeback() leaves a partial last page alone

}  // namespace

segment_options segment_options::from(const log_config& c, int64_t roll_jitter_ms) {
  segment_options o;
  o.index_interval_bytes = c.index_interval_bytes;
  o.max_offset_index_entries = c.max_offset_index_entries();
  o.max_time_index_entries = c.max_time_index_entries();
  o.roll_jitter_ms = roll_jitter_ms;
  o.preallocate = c.preallocate;
  o.preallocate_bytes = c.segment_bytes;
  o.reserve_limit_bytes = c.segment_bytes;
  return o;
}

segment::segment(io::file_system& fs, std::shared_ptr<io::open_file_cache> cache, std::string dir, samsa::offset base,
                 const segment_options& opts, int64_t now_ms, std::string suffix)
    : fs_(fs),
      cache_(std::move(cache)),
      dir_(std::move(dir)),
      base_(base),
      opts_(opts),
      id_(io::open_file_cache::next_key()),
      suffix_(std::move(suffix)),
      offset_index_(base, opts.max_offset_index_entries),
      time_index_(base, opts.max_time_index_entries),
      txn_index_(base),
      max_ts_{-1, base},
      created_ms_(now_ms) {}

segment::~segment() { cache_->erase(id_); }

std::string segment::path_for(std::string_view kind) const {
  std::lock_guard<std::mutex> g(path_mu_);
  return segment_path(dir_, base_, kind, suffix_);
}

std::string segment::log_path() const { return path_for(kLogSuffix); }

std::string segment::suffix() const {
  std::lock_guard<std::mutex> g(path_mu_);
  return suffix_;
}

result<std::shared_ptr<segment>> segment::create(io::file_system& fs, const std::shared_ptr<io::open_file_cache>& cache,
                                                 const std::string& dir, samsa::offset base,
                                                 const segment_options& opts, int64_t now_ms,
                                                 std::string_view suffix) {
  std::shared_ptr<segment> s(new segment(fs, cache, dir, base, opts, now_ms, std::string(suffix)));
  // Stale index files of an earlier segment with this base would be trusted later.
  for (std::string_view kind : {kIndexSuffix, kTimeIndexSuffix, kTxnIndexSuffix}) {
    const std::string p = s->path_for(kind);
    if (fs.exists(p)) {
      if (auto r = fs.remove(p); !r) return r.error();
    }
  }
  auto f = fs.open(s->log_path(), io::open_mode::create_truncate);
  if (!f) return f.error();
  if (opts.preallocate && opts.preallocate_bytes > 0) {
    if (auto r = (*f)->allocate(static_cast<uint64_t>(opts.preallocate_bytes)); !r) return r.error();
  }
  s->active_file_ = std::move(*f);
  return s;
}

result<std::shared_ptr<segment>> segment::open_existing(io::file_system& fs, const std::shared_ptr<io::open_file_cache>& cache,
                                                        const std::string& dir, samsa::offset base,
                                                        const segment_options& opts, bool active, int64_t now_ms,
                                                        std::string_view suffix) {
  std::shared_ptr<segment> s(new segment(fs, cache, dir, base, opts, now_ms, std::string(suffix)));
  auto f = fs.open(s->log_path(), io::open_mode::read_write);
  if (!f) return f.error();
  auto size = (*f)->size();
  if (!size) return size.error();
  s->size_.store(*size, std::memory_order_release);
  s->has_index_files_ = fs.exists(s->path_for(kIndexSuffix));
  s->has_txn_file_ = fs.exists(s->path_for(kTxnIndexSuffix));
  s->indexes_loaded_.store(false, std::memory_order_release);
  s->max_ts_loaded_.store(false, std::memory_order_release);
  if (active) {
    s->active_file_ = std::move(*f);
  } else {
    s->sealed_.store(true, std::memory_order_release);
    s->flushed_all_.store(true, std::memory_order_release);  // found on disk: synced before or recovered
    s->index_files_synced_.store(true, std::memory_order_release);
    std::shared_ptr<io::file> handle = std::move(*f);
    auto cached = cache->get(s->id_, [&]() -> result<std::shared_ptr<io::file>> { return handle; });
    if (!cached) return cached.error();
  }
  return s;
}

result<std::shared_ptr<io::file>> segment::log_file() const {
  if (!is_sealed()) {
    // Other threads (flush worker, readers) may ask while the owner seals.
    std::lock_guard<std::mutex> g(path_mu_);
    if (active_file_) return active_file_;
  }
  return cache_->get(id_, [this]() { return open_own_file(kLogSuffix, io::open_mode::read_write); });
}

result<std::shared_ptr<io::file>> segment::open_own_file(std::string_view kind, io::open_mode mode) const {
  // Sealed segments are reopened by name after the open-file cache evicted them,
  // possibly on another thread (flush worker, cleaner) than the one renaming or
  // deleting the segment: without the lock the name could change between
  // reading it and opening it.
  std::lock_guard<std::mutex> g(path_mu_);
  if (files_deleted_.load(std::memory_order_relaxed)) {
    return error(errc::not_found, "segment " + std::to_string(base_.value()) + " of " + dir_ + " was deleted");
  }
  return fs_.open(segment_path(dir_, base_, kind, suffix_), mode);
}

// ---- lazy index loading ----------------------------------------------------------

status segment::ensure_indexes() const {
  if (indexes_loaded_.load(std::memory_order_acquire)) return {};
  std::lock_guard<std::mutex> g(lazy_mu_);
  if (indexes_loaded_.load(std::memory_order_relaxed)) return {};
  status s = load_index_files_locked();
  if (!s && s.code() != errc::io_error) s = rebuild_indexes_locked();
  if (!s) return s;
  max_ts_loaded_.store(true, std::memory_order_release);
  indexes_loaded_.store(true, std::memory_order_release);
  return {};
}

status segment::load_index_files_locked() const {
  auto oi = io::read_file(fs_, path_for(kIndexSuffix));
  if (!oi) return error(oi.code() == errc::not_found ? errc::corrupt_file : oi.code(), oi.error().message);
  auto ti = io::read_file(fs_, path_for(kTimeIndexSuffix));
  if (!ti) return error(ti.code() == errc::not_found ? errc::corrupt_file : ti.code(), ti.error().message);
  auto o = offset_index::parse(base_, opts_.max_offset_index_entries, *oi);
  if (!o) return o.error();
  auto t = time_index::parse(base_, opts_.max_time_index_entries, *ti);
  if (!t) return t.error();
  txn_index x(base_);
  if (fs_.exists(path_for(kTxnIndexSuffix))) {
    auto xi = io::read_file(fs_, path_for(kTxnIndexSuffix));
    if (!xi) return xi.error();
    auto parsed = txn_index::parse(base_, *xi);
    if (!parsed) return parsed.error();
    x = std::move(*parsed);
  }
  const uint64_t size = size_bytes();
  if (o->entries() > 0 && o->last_entry().position >= size) {
    return error(errc::corrupt_file, "offset index points past the end of " + log_path());
  }
  offset_index_ = std::move(*o);
  time_index_ = std::move(*t);
  txn_index_ = std::move(x);
  max_ts_ = time_index_.last_entry();
  return {};
}

status segment::rebuild_indexes_locked() const {
  auto f = log_file();
  if (!f) return f.error();
  offset_index_.reset();
  time_index_.reset();
  max_ts_ = {-1, base_};
  file_batch_reader r(**f, 0, size_bytes(), batch_read_mode::headers, false, 256 * 1024);
  uint64_t last_index_pos = 0;
  while (r.next()) {
    const auto& h = r.header();
    if (h.max_timestamp_ms > max_ts_.timestamp_ms) max_ts_ = {h.max_timestamp_ms, h.last_offset()};
    if (r.position() - last_index_pos > static_cast<uint64_t>(opts_.index_interval_bytes)) {
      offset_index_.append(h.last_offset(), static_cast<uint32_t>(r.position()));
      time_index_.maybe_append(max_ts_.timestamp_ms, max_ts_.offset);
      last_index_pos = r.position();
    }
  }
  if (r.stop_reason() == batch_stop::io_error) return *r.io_failure();
  time_index_.maybe_append(max_ts_.timestamp_ms, max_ts_.offset, true);
  // The transaction index cannot be rebuilt from this segment alone; keep what the file had.
  if (fs_.exists(path_for(kTxnIndexSuffix))) {
    auto xi = io::read_file(fs_, path_for(kTxnIndexSuffix));
    if (xi) {
      auto parsed = txn_index::parse(base_, *xi);
      if (parsed) txn_index_ = std::move(*parsed);
    }
  }
  return {};
}

status segment::load_indexes() {
  std::lock_guard<std::mutex> g(lazy_mu_);
  if (auto s = load_index_files_locked(); !s) return s;
  max_ts_loaded_.store(true, std::memory_order_release);
  indexes_loaded_.store(true, std::memory_order_release);
  return {};
}

result<const offset_index*> segment::offset_idx() const {
  if (auto s = ensure_indexes(); !s) return s.error();
  return &offset_index_;
}

result<const time_index*> segment::time_idx() const {
  if (auto s = ensure_indexes(); !s) return s.error();
  return &time_index_;
}

result<const txn_index*> segment::txn_idx() const {
  if (auto s = ensure_indexes(); !s) return s.error();
  return &txn_index_;
}

timestamp_offset segment::max_timestamp_and_offset() const {
  if (max_ts_loaded_.load(std::memory_order_acquire)) return max_ts_;
  std::lock_guard<std::mutex> g(lazy_mu_);
  if (!max_ts_loaded_.load(std::memory_order_relaxed)) {
    // Only the last time index entry is needed (retention reads it for every segment).
    timestamp_offset last{-1, base_};
    auto f = open_own_file(kTimeIndexSuffix, io::open_mode::read_only);
    if (f) {
      auto size = (*f)->size();
      if (size && *size >= time_index::kEntrySize && *size % time_index::kEntrySize == 0) {
        uint8_t buf[time_index::kEntrySize];
        if (io::pread_exact(**f, *size - time_index::kEntrySize, buf)) {
          last = {load_be<int64_t>(buf), samsa::offset{base_.value() + load_be<int32_t>(buf + 8)}};
        }
      }
    }
    max_ts_ = last;
    max_ts_loaded_.store(true, std::memory_order_release);
  }
  return max_ts_;
}

// ---- appends -----------------------------------------------------------------------

status segment::append(samsa::offset largest_offset, int64_t largest_timestamp_ms,
                       samsa::offset shallow_offset_of_max_timestamp, std::span<const uint8_t> records) {
  SAMSA_ASSERT(!is_sealed() && active_file_, "append to a sealed segment");
  if (records.empty()) return {};
  const uint64_t physical = size_bytes();
  if (!offset_index_.can_append_offset(largest_offset)) {
    return error(errc::invalid_argument, "offset " + std::to_string(largest_offset.value()) +
                                             " does not fit segment " + std::to_string(base_.value()));
  }
  reserve_ahead(physical + records.size());
  if (auto s = active_file_->pwrite(physical, records); !s) {
    (void)active_file_->truncate(physical);  // best effort: never leave half a batch
    return s;
  }
  if (physical == 0) rolling_based_timestamp_ = largest_timestamp_ms;
  size_.store(physical + records.size(), std::memory_order_release);
  flushed_all_.store(false, std::memory_order_release);
  if (largest_timestamp_ms > max_ts_.timestamp_ms) max_ts_ = {largest_timestamp_ms, shallow_offset_of_max_timestamp};
  if (bytes_since_last_index_entry_ > static_cast<uint32_t>(opts_.index_interval_bytes)) {
    offset_index_.append(largest_offset, static_cast<uint32_t>(physical));
    time_index_.maybe_append(max_ts_.timestamp_ms, max_ts_.offset);
    bytes_since_last_index_entry_ = 0;
  }
  bytes_since_last_index_entry_ += static_cast<uint32_t>(records.size());
  return {};
}

void segment::reserve_ahead(uint64_t write_end) {
  // log.preallocate already allocated the whole segment.
  if (opts_.preallocate || opts_.reserve_limit_bytes <= 0 || write_end <= reserved_end_) return;
  const uint64_t step = std::clamp<uint64_t>(size_bytes(), kMinReserveStep, kMaxReserveStep);
  const uint64_t limit = std::max<uint64_t>(write_end, static_cast<uint64_t>(opts_.reserve_limit_bytes));
  const uint64_t end = std::min(write_end + step, limit);
  const uint64_t from = std::max(reserved_end_, size_bytes());
  active_file_->reserve(from, end - from);
  reserved_end_ = end;
}

void segment::start_writeback() {
  const uint64_t end = size_bytes() / kPageBytes * kPageBytes;
  if (end < writeback_end_ + kMinWritebackStep) return;
  active_file_->start_writeback(writeback_end_, end - writeback_end_);
  writeback_end_ = end;
}

bool segment::should_roll(const roll_params& p) {
  const bool reached_roll_ms =
      time_waited_for_roll(p.now_ms, p.max_timestamp_in_messages) > p.max_segment_ms - opts_.roll_jitter_ms;
  const int64_t size = static_cast<int64_t>(size_bytes());
  return size > int64_t{p.max_segment_bytes} - p.messages_size || (size > 0 && reached_roll_ms) ||
         offset_index_.is_full() || time_index_.is_full() || !can_convert_to_relative_offset(p.max_offset_in_messages);
}

int64_t segment::time_waited_for_roll(int64_t now_ms, int64_t message_timestamp_ms) {
  const int64_t ts = first_batch_timestamp();
  if (ts != INT64_MAX) return message_timestamp_ms - ts;
  return now_ms - created_ms_;
}

int64_t segment::first_batch_timestamp() {
  // The cleaner thread asks sealed segments; the owner asks the active one.
  std::lock_guard<std::mutex> g(lazy_mu_);
  if (!rolling_based_timestamp_ && size_bytes() > 0) {
    auto f = log_file();
    if (f) {
      file_batch_reader r(**f, 0, size_bytes(), batch_read_mode::headers, false, 4096);
      if (r.next()) rolling_based_timestamp_ = r.header().max_timestamp_ms;
    }
  }
  if (rolling_based_timestamp_ && *rolling_based_timestamp_ >= 0) return *rolling_based_timestamp_;
  return INT64_MAX;
}

status segment::write_index_file(std::string_view kind, const std::vector<uint8_t>& bytes, bool remove_if_empty) {
  const std::string p = path_for(kind);
  if (bytes.empty() && remove_if_empty) {
    if (fs_.exists(p)) return fs_.remove(p);
    return {};
  }
  auto f = fs_.open(p, io::open_mode::create_truncate);
  if (!f) return f.error();
  return (*f)->pwrite(0, bytes);
}

status segment::write_index_files() {
  if (auto s = write_index_file(kIndexSuffix, offset_index_.serialize(), false); !s) return s;
  if (auto s = write_index_file(kTimeIndexSuffix, time_index_.serialize(), false); !s) return s;
  if (auto s = write_index_file(kTxnIndexSuffix, txn_index_.serialize(), true); !s) return s;
  has_index_files_ = true;
  has_txn_file_ = !txn_index_.empty();
  index_files_synced_.store(false, std::memory_order_release);
  flushed_all_.store(false, std::memory_order_release);
  return {};
}

status segment::seal() {
  SAMSA_ASSERT(!is_sealed(), "seal of a sealed segment");
  time_index_.maybe_append(max_ts_.timestamp_ms, max_ts_.offset, true);
  if (auto s = write_index_files(); !s) return s;
  // Gives back blocks reserved past the end (log.preallocate, reserve_ahead;
  // also those of a run before a restart, which this object does not know of).
  if (auto s = active_file_->truncate(size_bytes()); !s) return s;
  // Hand the descriptor to the cache so readers keep using it without a reopen.
  std::shared_ptr<io::file> handle = active_file_;
  auto cached = cache_->get(id_, [&]() -> result<std::shared_ptr<io::file>> { return handle; });
  if (!cached) return cached.error();
  std::lock_guard<std::mutex> g(path_mu_);
  sealed_.store(true, std::memory_order_release);
  active_file_.reset();
  return {};
}

result<uint64_t> segment::truncate_to(samsa::offset o, int64_t now_ms) {
  SAMSA_ASSERT(!is_sealed(), "truncate of a sealed segment (reopen_as_active first)");
  auto mapping = translate_offset(o);
  if (!mapping) return mapping.error();
  offset_index_.truncate_to(o);
  time_index_.truncate_to(o);
  txn_index_.truncate_to(o);
  uint64_t removed = 0;
  if (*mapping) {
    const uint64_t new_size = (*mapping)->position;
    removed = size_bytes() - new_size;
    if (auto s = active_file_->truncate(new_size); !s) return s.error();
    reserved_end_ = new_size;  // truncate() gave back the blocks past the new end
    writeback_end_ = std::min(writeback_end_, new_size / kPageBytes * kPageBytes);
    size_.store(new_size, std::memory_order_release);
    flushed_all_.store(false, std::memory_order_release);
  }
  if (size_bytes() == 0) {
    created_ms_ = now_ms;
    rolling_based_timestamp_.reset();
  }
  bytes_since_last_index_entry_ = 0;
  // Kafka's readLargestTimestamp: the last time index entry, or a larger batch after it.
  if (max_ts_.timestamp_ms >= 0) {
    auto m = max_timestamp_after(offset_index_.lookup(time_index_.last_entry().offset).position);
    if (!m) return m.error();
    const timestamp_offset last = time_index_.last_entry();
    max_ts_ = m->timestamp_ms > last.timestamp_ms ? timestamp_offset{m->timestamp_ms, m->offset} : last;
  }
  // On-disk index files (written at seal or close) now describe removed data.
  for (std::string_view kind : {kIndexSuffix, kTimeIndexSuffix, kTxnIndexSuffix}) {
    const std::string p = path_for(kind);
    if (fs_.exists(p)) {
      if (auto s = fs_.remove(p); !s) return s.error();
    }
  }
  has_index_files_ = false;
  has_txn_file_ = false;
  return removed;
}

result<std::shared_ptr<segment>> segment::reopen_as_active() const {
  if (auto s = ensure_indexes(); !s) return s.error();
  std::shared_ptr<segment> s(new segment(fs_, cache_, dir_, base_, opts_, created_ms_, suffix()));
  auto f = fs_.open(log_path(), io::open_mode::read_write);
  if (!f) return f.error();
  s->active_file_ = std::move(*f);
  s->size_.store(size_bytes(), std::memory_order_release);
  s->has_index_files_ = has_index_files_;
  s->has_txn_file_ = has_txn_file_;
  s->offset_index_ = offset_index_;
  s->offset_index_.set_max_entries(opts_.max_offset_index_entries);
  s->time_index_ = time_index_;
  s->time_index_.set_max_entries(opts_.max_time_index_entries);
  s->txn_index_ = txn_index_;
  s->max_ts_ = max_timestamp_and_offset();
  {
    std::lock_guard<std::mutex> g(lazy_mu_);
    s->rolling_based_timestamp_ = rolling_based_timestamp_;
  }
  return s;
}

// ---- durability and files ------------------------------------------------------------

status segment::flush() {
  if (flushed_all_.load(std::memory_order_acquire)) return {};
  const bool sealed = is_sealed();
  auto f = log_file();
  if (!f) {
    // Deleted by retention, truncation or a cleaner swap after the flush worker
    // picked it: it is no longer part of the log, so nothing needs to be durable.
    if (files_deleted()) return {};
    return f.error();
  }
  if (auto s = (*f)->sync(); !s) return s;
  if (sealed && !index_files_synced_.load(std::memory_order_acquire)) {
    for (std::string_view kind : {kIndexSuffix, kTimeIndexSuffix, kTxnIndexSuffix}) {
      auto idx = open_own_file(kind, io::open_mode::read_write);
      if (!idx) {
        if (idx.code() == errc::not_found) continue;  // never written (empty) or deleted
        return idx.error();
      }
      if (auto s = (*idx)->sync(); !s) return s;
    }
    index_files_synced_.store(true, std::memory_order_release);
  }
  if (sealed) flushed_all_.store(true, std::memory_order_release);
  return {};
}

status segment::change_suffix(std::string_view from, std::string_view to) {
  std::lock_guard<std::mutex> g(path_mu_);
  SAMSA_ASSERT(suffix_ == from, "segment suffix changed concurrently");
  for (std::string_view kind : {kLogSuffix, kIndexSuffix, kTimeIndexSuffix, kTxnIndexSuffix}) {
    const std::string a = segment_path(dir_, base_, kind, from);
    const std::string b = segment_path(dir_, base_, kind, to);
    if (kind != kLogSuffix && !fs_.exists(a)) continue;
    if (auto s = fs_.rename(a, b); !s) return s;
  }
  suffix_ = std::string(to);
  return {};
}

status segment::delete_files() {
  cache_->erase(id_);
  status outcome;
  {
    std::lock_guard<std::mutex> g(path_mu_);
    files_deleted_.store(true, std::memory_order_release);
    for (std::string_view kind : {kLogSuffix, kIndexSuffix, kTimeIndexSuffix, kTxnIndexSuffix}) {
      const std::string p = segment_path(dir_, base_, kind, suffix_);
      if (!fs_.exists(p)) continue;
      if (auto s = fs_.remove(p); !s && s.code() != errc::not_found) {
        outcome = s;
        break;
      }
    }
  }
  // A reopen between the first erase and the lock may have cached a descriptor.
  cache_->erase(id_);
  return outcome;
}

status segment::set_last_modified(int64_t ms) {
  auto f = log_file();
  if (!f) return f.error();
  return (*f)->set_last_modified_ms(ms);
}

int64_t segment::last_modified_ms() const {
  auto f = log_file();
  if (!f) return 0;
  auto m = (*f)->last_modified_ms();
  return m ? *m : 0;
}

int64_t segment::largest_timestamp() const {
  const int64_t ts = max_timestamp_so_far();
  return ts >= 0 ? ts : last_modified_ms();
}

}  // namespace samsa::storage
