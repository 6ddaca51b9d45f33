// partition_log truncation, retention and producer-state rebuilding.

#include <map>

#include "storage/log/partition_log.h"
#include "storage/log/producer_state_rebuild.h"
#include "storage/segment/file_batch_reader.h"

namespace samsa::storage {

status partition_log::rebuild_producer_state(samsa::offset last_offset, bool reload_from_clean_shutdown,
                                             bool sync_snapshots) {
  return storage::rebuild_producer_state(producers_, segments_, log_start_offset(), last_offset,
                                         reload_from_clean_shutdown, sync_snapshots, clock_.now_ms());
}

// ---- truncation ----------------------------------------------------------------------------------

status partition_log::truncate_fully_locked(samsa::offset new_offset, std::optional<samsa::offset> log_start) {
  std::vector<std::shared_ptr<segment>> old;
  for (const auto& [b, s] : segments_) old.push_back(s);
  // Create the new active segment first so the log is never without one. When it
  // reuses the old active segment's base, that one is renamed out of the way first.
  std::shared_ptr<segment> last = old.back();
  if (last->base_offset() == new_offset && last->suffix().empty()) {
    if (auto r = last->change_suffix("", kDeletedSuffix); !r) return fail(r.error());
  }
  auto seg = segment::create(fs_, params_.file_cache, dir_, new_offset, options_for(new_offset), clock_.now_ms());
  if (!seg) return fail(seg.error());
  segments_.clear();
  segments_[new_offset.value()] = *seg;
  if (auto s = remove_segments(old); !s) return s;
  ++generation_;
  truncated_since_checkpoint_ = true;
  set_log_end_offset(new_offset);
  if (recovery_point().value() > new_offset.value()) recovery_point_.store(new_offset.value());
  epochs_.clear();
  if (auto s = producers_.truncate_fully_and_start_at(new_offset); !s) return fail(s.error());
  log_start_offset_.store(log_start.value_or(new_offset).value(), std::memory_order_release);
  if (auto s = rebuild_producer_state(new_offset, false, false); !s) return fail(s.error());
  set_high_watermark(new_offset);
  fail_flushes_above(new_offset, errc::log_truncated);
  // The truncation barrier: the next flush pass makes the lowered recovery point,
  // the renames and the epochs durable; schedule it now.
  schedule_flush_locked(new_offset, nullptr, nullptr);
  return {};
}

status partition_log::truncate_fully_and_start_at(samsa::offset new_offset, std::optional<samsa::offset> log_start) {
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = check_writable(); !s) return s;
  if (new_offset.value() < 0) return error(errc::invalid_argument, "negative offset");
  return truncate_fully_locked(new_offset, log_start);
}

result<bool> partition_log::truncate_to(samsa::offset target) {
  if (target.value() < 0) return error(errc::invalid_argument, "cannot truncate to a negative offset");
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = check_writable(); !s) return s.error();
  if (target >= log_end_offset()) {
    // A conflicting epoch entry at the end may exist even when no data does.
    epochs_.truncate_from_end(log_end_offset());
    return false;
  }
  if (segments_.begin()->second->base_offset() > target) {
    if (auto s = truncate_fully_locked(target, std::nullopt); !s) return s.error();
    return true;
  }
  std::vector<std::shared_ptr<segment>> above;
  for (auto it = segments_.upper_bound(target.value()); it != segments_.end(); ++it) above.push_back(it->second);
  if (auto s = remove_segments(above); !s) return s.error();
  // A sealed segment becomes active again through a new object (segment.h).
  std::shared_ptr<segment>& last = segments_.rbegin()->second;
  if (last->is_sealed()) {
    auto reopened = last->reopen_as_active();
    if (!reopened) return fail(reopened.error()).error();
    last = *reopened;
  }
  auto removed = last->truncate_to(target, clock_.now_ms());
  if (!removed) return fail(removed.error()).error();
  // A target inside a batch removes the whole batch (as Kafka does); unlike Kafka
  // the log end offset is then the end of the remaining data, not the target, so
  // a log that is never compacted stays free of gaps (recovery relies on it).
  auto data_end = last->read_next_offset();
  if (!data_end) return fail(data_end.error()).error();
  const samsa::offset end = std::min(target, *data_end);
  ++generation_;
  truncated_since_checkpoint_ = true;
  dir_dirty_ = true;
  set_log_end_offset(end);
  epochs_.truncate_from_end(end);
  if (end < log_start_offset()) log_start_offset_.store(end.value(), std::memory_order_release);
  if (auto s = rebuild_producer_state(end, false, false); !s) return fail(s.error()).error();
  if (high_watermark() >= log_end_offset()) set_high_watermark(log_end_offset());
  else update_first_unstable_offset();
  fail_flushes_above(end, errc::log_truncated);
  schedule_flush_locked(end, nullptr, nullptr);  // the truncation barrier (see truncate_fully_locked)
  return true;
}

// ---- retention (Kafka's deleteOldSegments) ----------------------------------------------------

std::vector<std::shared_ptr<segment>> partition_log::deletable_segments(
    const std::function<bool(const segment&, const segment*)>& predicate) const {
  std::vector<std::shared_ptr<segment>> out;
  for (auto it = segments_.begin(); it != segments_.end(); ++it) {
    auto next = std::next(it);
    const segment* next_seg = next == segments_.end() ? nullptr : next->second.get();
    const bool last_and_empty = next_seg == nullptr && it->second->size_bytes() == 0;
    const samsa::offset upper = next_seg ? next_seg->base_offset() : log_end_offset();
    // Never at or above the high watermark: the log start offset cannot pass it.
    if (!(high_watermark() >= upper && predicate(*it->second, next_seg)) || last_and_empty) break;
    out.push_back(it->second);
  }
  return out;
}

result<int> partition_log::delete_segments(std::vector<std::shared_ptr<segment>> deletable) {
  if (deletable.empty()) return 0;
  const int n = static_cast<int>(deletable.size());
  if (deletable.size() == segments_.size()) {
    // Keep one segment: roll a new empty one at the log end first.
    auto rolled = roll_locked(std::nullopt);
    if (!rolled) return rolled.error();
    if (deletable.back()->base_offset() == (*rolled)->base_offset()) deletable.pop_back();
  }
  if (deletable.empty()) return n;
  auto next = segments_.upper_bound(deletable.back()->base_offset().value());
  SAMSA_ASSERT(next != segments_.end(), "retention would delete the active segment");
  auto moved = increment_log_start_offset_locked(next->second->base_offset());
  if (!moved) return moved.error();
  if (auto s = remove_segments(deletable); !s) return s.error();
  return n;
}

result<int> partition_log::delete_old_segments() {
  std::lock_guard<std::mutex> g(mu_);
  if (auto s = check_writable(); !s) return s.error();
  int total = 0;
  // Log start offset breaches (DeleteRecords), for every cleanup policy.
  auto by_start = deletable_segments([this](const segment&, const segment* next) {
    return next != nullptr && next->base_offset() <= log_start_offset();
  });
  auto r = delete_segments(std::move(by_start));
  if (!r) return r.error();
  total += *r;
  if (!config_.cleanup_delete) return total;

  if (config_.retention_bytes >= 0) {
    uint64_t size = 0;
    for (const auto& [b, s] : segments_) size += s->size_bytes();
    if (size >= static_cast<uint64_t>(config_.retention_bytes)) {
      int64_t diff = static_cast<int64_t>(size) - config_.retention_bytes;
      auto by_size = deletable_segments([&diff](const segment& s, const segment*) {
        const int64_t seg_size = static_cast<int64_t>(s.size_bytes());
        if (diff - seg_size < 0) return false;
        diff -= seg_size;
        return true;
      });
      r = delete_segments(std::move(by_size));
      if (!r) return r.error();
      total += *r;
    }
  }
  if (config_.retention_ms >= 0) {
    const int64_t now = clock_.now_ms();
    const int64_t retention = config_.retention_ms;
    auto by_time = deletable_segments(
        [now, retention](const segment& s, const segment*) { return now - s.largest_timestamp() > retention; });
    r = delete_segments(std::move(by_time));
    if (!r) return r.error();
    total += *r;
  }
  return total;
}

}  // namespace samsa::storage
