// partition_log: construction, offsets, rolling, segment removal, epochs,
// producers, cleaner hand-off, lifecycle and introspection.

#include "storage/log/partition_log.h"

#include <random>

#include "storage/segment/file_batch_reader.h"

namespace samsa::storage {

partition_log::partition_log(partition_log_params params)
    : params_(std::move(params)),
      fs_(*params_.fs),
      clock_(*params_.clock),
      dir_(params_.dir),
      config_(params_.config),
      producers_(*params_.fs, params_.dir, params_.config.producer_id_expiration_ms) {
  if (!params_.deleter) params_.deleter = std::make_shared<immediate_segment_deleter>();
}

partition_log::~partition_log() = default;

std::string partition_log::dir() const {
  std::lock_guard<std::mutex> g(mu_);
  return dir_;
}

log_config partition_log::config() const {
  std::lock_guard<std::mutex> g(mu_);
  return config_;
}

void partition_log::update_config(const log_config& c) {
  std::lock_guard<std::mutex> g(mu_);
  config_ = c;
  producers_.set_producer_id_expiration_ms(c.producer_id_expiration_ms);
}

status partition_log::check_writable() const {
  if (closed_) return error(errc::log_closed, "log " + params_.tp.dir_name() + " is closed");
  if (failed_) return error(errc::io_error, "log " + params_.tp.dir_name() + " is offline after an I/O error: " + failure_);
  return {};
}

status partition_log::fail(const error& e) {
  if (!failed_) failure_ = e.message;
  failed_ = true;
  return e;
}

bool partition_log::closed() const {
  std::lock_guard<std::mutex> g(mu_);
  return closed_;
}

bool partition_log::failed() const {
  std::lock_guard<std::mutex> g(mu_);
  return failed_;
}

segment_options partition_log::options_for(samsa::offset base) const {
  int64_t jitter = 0;
  if (config_.segment_jitter_ms > 0) {
    // Kafka draws a random jitter per segment; a seed from the partition and base
    // offset keeps it reproducible.
    std::mt19937_64 rng(std::hash<topic_partition>{}(params_.tp) ^ static_cast<uint64_t>(base.value()));
    const int64_t bound = std::min(config_.segment_jitter_ms, config_.segment_ms);
    jitter = bound > 0 ? static_cast<int64_t>(rng() % static_cast<uint64_t>(bound)) : 0;
  }
  return segment_options::from(config_, jitter);
}

// ---- offsets ------------------------------------------------------------------------------

void partition_log::set_log_end_offset(samsa::offset o) {
  log_end_offset_.store(o.value(), std::memory_order_release);
  if (recovery_point_.load(std::memory_order_relaxed) > o.value()) {
    recovery_point_.store(o.value(), std::memory_order_release);
  }
}

void partition_log::set_high_watermark(samsa::offset hw) {
  high_watermark_.store(hw.value(), std::memory_order_release);
  producers_.on_high_watermark_updated(hw);
  update_first_unstable_offset();
}

void partition_log::update_first_unstable_offset() {
  std::optional<samsa::offset> fuo = producers_.first_unstable_offset();
  const samsa::offset lso_floor = log_start_offset();
  if (fuo && *fuo < lso_floor) fuo = lso_floor;
  first_unstable_offset_ = fuo;
  const samsa::offset hw = high_watermark();
  last_stable_offset_.store((fuo && *fuo < hw ? *fuo : hw).value(), std::memory_order_release);
}

samsa::offset partition_log::update_high_watermark(samsa::offset hw) {
  std::lock_guard<std::mutex> g(mu_);
  samsa::offset v = hw;
  if (v < log_start_offset()) v = log_start_offset();
  if (v > log_end_offset()) v = log_end_offset();
  set_high_watermark(v);
  return v;
}

result<std::optional<samsa::offset>> partition_log::maybe_increment_high_watermark(samsa::offset hw) {
  std::lock_guard<std::mutex> g(mu_);
  if (hw > log_end_offset()) {
    return error(errc::invalid_argument, "high watermark " + std::to_string(hw.value()) + " is past the log end offset " +
                                             std::to_string(log_end_offset().value()));
  }
  const samsa::offset old = high_watermark();
  if (hw <= old) return std::optional<samsa::offset>();
  set_high_watermark(hw);
  return std::optional<samsa::offset>(old);
}

result<bool> partition_log::increment_log_start_offset_locked(samsa::offset o) {
  if (o > high_watermark()) {
    return error(errc::offset_out_of_range, "cannot increment the log start offset to " + std::to_string(o.value()) +
                                                " since it is larger than the high watermark " +
                                                std::to_string(high_watermark().value()));
  }
  if (o <= log_start_offset()) return false;
  log_start_offset_.store(o.value(), std::memory_order_release);
  epochs_.truncate_from_start(o);
  producers_.on_log_start_offset_incremented(o);
  update_first_unstable_offset();
  return true;
}

result<bool> partition_log::maybe_increment_log_start_offset(samsa::offset o) {
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = check_writable(); !s) return s.error();
  return increment_log_start_offset_locked(o);
}

std::optional<samsa::offset> partition_log::first_unstable_offset() const {
  std::lock_guard<std::mutex> g(mu_);
  return first_unstable_offset_;
}

// ---- epochs ---------------------------------------------------------------------------------

void partition_log::maybe_assign_epoch_start_offset(samsa::leader_epoch epoch, samsa::offset start) {
  std::lock_guard<std::mutex> g(mu_);
  epochs_.assign(epoch, start);
}

std::optional<samsa::leader_epoch> partition_log::latest_epoch() const {
  std::lock_guard<std::mutex> g(mu_);
  return epochs_.latest_epoch();
}

std::optional<epoch_end_offset> partition_log::end_offset_for_epoch(samsa::leader_epoch epoch) const {
  std::lock_guard<std::mutex> g(mu_);
  const epoch_end_offset r = epochs_.end_offset_for(epoch, log_end_offset());
  if (r.end_offset.value() == -1) return std::nullopt;
  return r;
}

std::vector<epoch_entry> partition_log::leader_epoch_entries() const {
  std::lock_guard<std::mutex> g(mu_);
  return epochs_.entries();
}

// ---- producers --------------------------------------------------------------------------------

std::optional<producer_state_entry> partition_log::producer_state(samsa::producer_id id) const {
  std::lock_guard<std::mutex> g(mu_);
  const producer_state_entry* e = producers_.last_entry(id);
  if (!e) return std::nullopt;
  return *e;
}

std::vector<producer_state_entry> partition_log::active_producers() const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<producer_state_entry> out;
  for (const auto& [id, e] : producers_.active_producers()) out.push_back(e);
  return out;
}

uint64_t partition_log::maybe_start_transaction_verification(samsa::producer_id id) {
  std::lock_guard<std::mutex> g(mu_);
  const producer_state_entry* e = producers_.last_entry(id);
  if (e && e->current_txn_first_offset()) return 0;
  return producers_.maybe_create_verification_guard(id, clock_.now_ms());
}

void partition_log::remove_expired_producers(int64_t now_ms) {
  std::lock_guard<std::mutex> g(mu_);
  producers_.remove_expired_producers(now_ms);
}

// ---- rolling and segment removal -----------------------------------------------------------------

result<std::shared_ptr<segment>> partition_log::roll_locked(std::optional<samsa::offset> expected_next_offset) {
  const samsa::offset leo = log_end_offset();
  const samsa::offset new_offset = std::max(expected_next_offset.value_or(samsa::offset{0}), leo);
  std::shared_ptr<segment> current = active();
  if (segments_.count(new_offset.value())) {
    // Kafka's KAFKA-6388 case: an empty active segment already starts here.
    if (current->base_offset() == new_offset && current->size_bytes() == 0) return current;
    return error(errc::invalid_argument, "a segment starting at " + std::to_string(new_offset.value()) + " exists");
  }
  if (new_offset < current->base_offset()) {
    return error(errc::invalid_argument, "cannot roll to " + std::to_string(new_offset.value()) +
                                             ", below the active segment");
  }
  if (auto s = current->seal(); !s) return fail(s.error()).error();
  auto seg = segment::create(fs_, params_.file_cache, dir_, new_offset, options_for(new_offset), clock_.now_ms());
  if (!seg) return fail(seg.error()).error();
  segments_[new_offset.value()] = *seg;
  dir_dirty_ = true;
  // A snapshot at the new base lets recovery start from this segment.
  producers_.update_map_end_offset(new_offset);
  if (auto snap = producers_.take_snapshot(false); !snap) return fail(snap.error()).error();
  // Kafka flushes the rolled segment asynchronously; so do we.
  schedule_flush_locked(new_offset, nullptr, nullptr);
  return *seg;
}

status partition_log::roll() {
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = check_writable(); !s) return s;
  auto r = roll_locked(std::nullopt);
  if (!r) return r.error();
  return {};
}

result<std::shared_ptr<segment>> partition_log::maybe_roll(int32_t messages_size, samsa::offset first_offset,
                                                           samsa::offset last_offset, int64_t max_timestamp_ms) {
  roll_params p;
  p.max_segment_ms = config_.segment_ms;
  p.max_segment_bytes = config_.segment_bytes;
  p.max_timestamp_in_messages = max_timestamp_ms;
  p.max_offset_in_messages = last_offset;
  p.messages_size = messages_size;
  p.now_ms = clock_.now_ms();
  if (!active()->should_roll(p)) return active();
  return roll_locked(first_offset);
}

status partition_log::remove_segments(const std::vector<std::shared_ptr<segment>>& segs) {
  if (segs.empty()) return {};
  for (const auto& s : segs) {
    auto it = segments_.find(s->base_offset().value());
    if (it != segments_.end() && it->second == s) segments_.erase(it);
    if (s->suffix().empty()) {
      if (auto r = s->change_suffix("", kDeletedSuffix); !r) return fail(r.error());
    }
    if (auto r = producers_.delete_snapshot(s->base_offset()); !r) return fail(r.error());
  }
  dir_dirty_ = true;
  params_.deleter->schedule(segs, config_.file_delete_delay_ms);
  return {};
}

// ---- cleaner --------------------------------------------------------------------------------------

cleaner_view partition_log::cleaner_snapshot() const {
  std::lock_guard<std::mutex> g(mu_);
  cleaner_view v;
  for (const auto& [b, s] : segments_) v.segments.push_back(s);
  v.log_start_offset = log_start_offset();
  v.log_end_offset = log_end_offset();
  v.last_stable_offset = last_stable_offset();
  v.active_base = active()->base_offset();
  v.generation = generation_;
  v.config = config_;
  for (const auto& [id, e] : producers_.active_producers()) {
    v.last_records_of_active_producers[id] = {e.last_data_offset().value(), e.producer_epoch().value()};
  }
  return v;
}

result<bool> partition_log::cleaner_replace_segments(std::shared_ptr<segment> cleaned,
                                                     const std::vector<std::shared_ptr<segment>>& old,
                                                     uint64_t generation) {
  std::string dir;
  {
    std::lock_guard<std::mutex> g(mu_);
    bool still_valid = generation == generation_ && !closed_ && !failed_ && !old.empty();
    for (const auto& s : old) {
      auto it = segments_.find(s->base_offset().value());
      if (it == segments_.end() || it->second != s || !s->is_sealed()) still_valid = false;
    }
    if (still_valid) {
      if (auto r = cleaned->change_suffix(kCleanedSuffix, kSwapSuffix); !r) return fail(r.error()).error();
      std::vector<std::shared_ptr<segment>> removed;
      for (const auto& s : old) {
        segments_.erase(s->base_offset().value());
        if (auto r = s->change_suffix("", kDeletedSuffix); !r) return fail(r.error()).error();
        removed.push_back(s);
        if (s->base_offset() != cleaned->base_offset()) {
          if (auto r = producers_.delete_snapshot(s->base_offset()); !r) return fail(r.error()).error();
        }
      }
      segments_[cleaned->base_offset().value()] = cleaned;
      if (auto r = cleaned->change_suffix(kSwapSuffix, ""); !r) return fail(r.error()).error();
      dir_dirty_ = true;
      params_.deleter->schedule(std::move(removed), config_.file_delete_delay_ms);
      dir = dir_;
    }
  }
  if (dir.empty()) {
    (void)cleaned->delete_files();
    return false;
  }
  // Kafka flushes the directory after a swap so the new names are durable.
  if (auto s = fs_.sync_dir(dir); !s) {
    std::lock_guard<std::mutex> g(mu_);
    return fail(s.error()).error();
  }
  return true;
}

// ---- lifecycle ----------------------------------------------------------------------------------------

status partition_log::close() {
  std::vector<std::shared_ptr<segment>> segs;
  std::vector<std::string> snapshots;
  std::vector<pending_flush> pending;
  std::vector<std::pair<flush_callback, errc>> failed;
  std::string dir;
  bool sync_parent = false;
  status result_status;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (closed_) return {};
    closed_ = true;
    sync_parent = std::exchange(parent_dir_dirty_, false);
    pending.swap(pending_flushes_);
    failed.swap(failed_flushes_);
    dir = dir_;
    if (failed_) {
      result_status = error(errc::io_error, "log " + params_.tp.dir_name() + " failed before close");
    } else {
      // Kafka's close: the final time index entry, index files, a producer
      // snapshot at the log end offset and the epochs, then everything synced.
      if (auto s = active()->seal(); !s) result_status = s;
      producers_.update_map_end_offset(log_end_offset());
      if (result_status) {
        if (auto snap = producers_.take_snapshot(false); !snap) result_status = snap.error();
      }
      if (result_status) {
        const std::string text = encode_leader_epoch_checkpoint(epochs_.entries());
        std::lock_guard<std::mutex> ef(epoch_file_mu_);
        result_status = io::write_file_atomically(
            fs_, io::join(dir_, std::string(kLeaderEpochCheckpoint)),
            std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
        if (result_status) epochs_.mark_clean();
      }
      for (const auto& [b, s] : segments_) segs.push_back(s);
      snapshots = producers_.take_unsynced_snapshots();
    }
  }
  if (result_status) {
    for (const auto& s : segs) {
      if (auto r = s->flush(); !r) {
        result_status = r;
        break;
      }
    }
  }
  if (result_status) {
    for (const std::string& p : snapshots) {
      auto f = fs_.open(p, io::open_mode::read_write);
      if (f) (void)(*f)->sync();
    }
    result_status = fs_.sync_dir(dir);
    if (result_status && sync_parent) result_status = fs_.sync_dir(io::parent_of(dir));
  }
  if (result_status) {
    std::lock_guard<std::mutex> g(mu_);
    recovery_point_.store(log_end_offset_.load(std::memory_order_relaxed), std::memory_order_release);
  }
  for (auto& p : pending) {
    if (p.cb) p.cb(result_status ? status() : status(error(errc::log_closed, "log closed")));
  }
  for (auto& [cb, why] : failed) cb(error(why));
  return result_status;
}

void partition_log::close_without_flush() {
  std::vector<pending_flush> pending;
  std::vector<std::pair<flush_callback, errc>> failed;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (closed_) return;
    closed_ = true;
    pending.swap(pending_flushes_);
    failed.swap(failed_flushes_);
  }
  for (auto& p : pending) {
    if (p.cb) p.cb(error(errc::log_closed, "log closed"));
  }
  for (auto& [cb, why] : failed) cb(error(why));
}

status partition_log::rename_dir(const std::string& new_dir) {
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = fs_.rename(dir_, new_dir); !s) return s;
  dir_ = new_dir;
  return {};
}

status partition_log::delete_files() {
  std::string dir;
  {
    std::lock_guard<std::mutex> g(mu_);
    SAMSA_ASSERT(closed_, "delete_files of an open log");
    dir = dir_;
    for (const auto& [b, s] : segments_) params_.file_cache->erase(s->id());
  }
  auto entries = fs_.list_dir(dir);
  if (!entries) return entries.code() == errc::not_found ? status() : status(entries.error());
  for (const io::dir_entry& e : *entries) {
    if (e.is_dir) continue;
    if (auto s = fs_.remove(io::join(dir, e.name)); !s && s.code() != errc::not_found) return s;
  }
  return fs_.remove_dir(dir);
}

// ---- introspection ---------------------------------------------------------------------------------------

size_t partition_log::number_of_segments() const {
  std::lock_guard<std::mutex> g(mu_);
  return segments_.size();
}

std::vector<samsa::offset> partition_log::segment_base_offsets() const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<samsa::offset> out;
  for (const auto& [b, s] : segments_) out.push_back(samsa::offset{b});
  return out;
}

uint64_t partition_log::size_bytes() const {
  std::lock_guard<std::mutex> g(mu_);
  uint64_t n = 0;
  for (const auto& [b, s] : segments_) n += s->size_bytes();
  return n;
}

status partition_log::check_consistency() const {
  std::lock_guard<std::mutex> g(mu_);
  auto bad = [](const std::string& what) { return error(errc::corrupt_file, what); };
  int64_t prev_last = -1;
  int64_t last_next = -1;
  for (auto it = segments_.begin(); it != segments_.end(); ++it) {
    const segment& s = *it->second;
    auto f = s.log_file();
    if (!f) return f.error();
    auto oi = s.offset_idx();
    if (!oi) return oi.error();
    auto ti = s.time_idx();
    if (!ti) return ti.error();
    // Batch starts, their offsets, and the batch each index entry must point at.
    std::map<uint64_t, std::pair<int64_t, int64_t>> batches;  // position -> (base, last)
    file_batch_reader r(**f, 0, s.size_bytes(), batch_read_mode::whole_batches, true, 1 << 20);
    while (r.next()) {
      const auto& h = r.header();
      if (h.base_offset.value() <= prev_last) return bad("offsets do not increase at " + std::to_string(h.base_offset.value()));
      if (h.base_offset < s.base_offset()) return bad("batch below its segment's base offset");
      batches[r.position()] = {h.base_offset.value(), h.last_offset().value()};
      prev_last = h.last_offset().value();
      last_next = prev_last + 1;
    }
    if (r.stop_reason() != batch_stop::end) return bad("segment " + std::to_string(it->first) + " has a bad batch");
    for (size_t i = 0; i < (*oi)->entries(); ++i) {
      const offset_position e = (*oi)->entry(i);
      auto b = batches.find(e.position);
      if (b == batches.end()) return bad("offset index entry not at a batch start");
      if (b->second.first > e.offset.value()) return bad("offset index entry past its batch");
      if (b != batches.begin() && std::prev(b)->second.second >= e.offset.value()) {
        return bad("offset index entry skips a batch holding its offset");
      }
    }
    for (size_t i = 0; i < (*ti)->entries(); ++i) {
      const timestamp_offset e = (*ti)->entry(i);
      if (e.offset.value() > prev_last && !batches.empty()) return bad("time index entry past the segment");
    }
    auto next = std::next(it);
    if (next != segments_.end() && prev_last >= next->first) return bad("segment overlaps the next one");
  }
  const int64_t leo = log_end_offset().value();
  if (last_next > leo) return bad("data past the log end offset");
  if (leo < active()->base_offset().value()) return bad("log end offset below the active segment");
  if (!(log_start_offset() <= high_watermark() && high_watermark() <= log_end_offset())) {
    return bad("log start offset <= high watermark <= log end offset does not hold");
  }
  if (recovery_point() > log_end_offset()) return bad("recovery point past the log end offset");
  if (producers_.map_end_offset() != log_end_offset()) return bad("producer state is not at the log end offset");
  return {};
}

}  // namespace samsa::storage
