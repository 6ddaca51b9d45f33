// Loading a partition directory (Kafka's LogLoader): leftovers of interrupted
// deletions and cleanings, segments, recovery after an unclean shutdown, leader
// epochs, producer state and the starting offsets.

#include <algorithm>
#include <set>

#include "storage/log/partition_log.h"
#include "storage/log/producer_state_rebuild.h"

namespace samsa::storage {

class log_loader {
 public:
  static result<std::shared_ptr<partition_log>> load(partition_log_params params);

 private:
  log_loader(std::shared_ptr<partition_log> log) : log_(std::move(log)), fs_(log_->fs_), dir_(log_->dir_) {}
  status clean_up_leftovers();
  status open_segments();
  status recover(size_t start_index, samsa::offset log_start);
  status load_epochs();
  status finish(bool recovered);
  status make_recovery_durable(samsa::offset first_recovered_base);

  std::shared_ptr<partition_log> log_;
  io::file_system& fs_;
  std::string dir_;
  std::vector<std::shared_ptr<segment>> segs_;
  // Recovery cut bytes or removed segments: make_recovery_durable() must sync.
  bool recovery_changed_files_ = false;
  std::vector<samsa::offset> initial_snapshots_;  // on disk when loading began
  std::vector<std::string> recovery_snapshots_;  // written unsynced by recover()
};

result<std::shared_ptr<partition_log>> partition_log::open(partition_log_params params) {
  return log_loader::load(std::move(params));
}

status log_loader::clean_up_leftovers() {
  auto entries = fs_.list_dir(dir_);
  if (!entries) return entries.error();
  std::vector<std::string> swaps;
  std::vector<std::string> cleaned;
  int64_t min_cleaned = INT64_MAX;
  for (const io::dir_entry& e : *entries) {
    if (e.is_dir) continue;
    const std::string path = io::join(dir_, e.name);
    if (ends_with(e.name, kDeletedSuffix) || ends_with(e.name, kTmpSuffix)) {
      if (auto s = fs_.remove(path); !s && s.code() != errc::not_found) return s;
    } else if (ends_with(e.name, kCleanedSuffix)) {
      if (auto o = offset_from_file_name(e.name)) min_cleaned = std::min(min_cleaned, o->value());
      cleaned.push_back(path);
    } else if (ends_with(e.name, kSwapSuffix)) {
      swaps.push_back(e.name);
    }
  }
  // Kafka's KAFKA-6264 rule: a .swap at or above the lowest .cleaned belongs to an
  // operation that never finished renaming; drop it with the .cleaned files.
  std::vector<std::string> valid_swaps;
  for (const std::string& name : swaps) {
    auto o = offset_from_file_name(name);
    if (o && o->value() >= min_cleaned) {
      if (auto s = fs_.remove(io::join(dir_, name)); !s && s.code() != errc::not_found) return s;
    } else {
      valid_swaps.push_back(name);
    }
  }
  for (const std::string& p : cleaned) {
    if (auto s = fs_.remove(p); !s && s.code() != errc::not_found) return s;
  }
  // A complete swap replaces the segments it covers: delete those, then rename.
  int64_t min_swap = INT64_MAX;
  int64_t max_swap = INT64_MIN;
  for (const std::string& name : valid_swaps) {
    const std::string log_swap = std::string(kLogSuffix) + std::string(kSwapSuffix);
    if (!ends_with(name, log_swap)) continue;
    auto base = offset_from_file_name(name);
    if (!base) continue;
    auto seg = segment::open_existing(fs_, log_->params_.file_cache, dir_, *base, log_->options_for(*base), false,
                                      log_->clock_.now_ms(), kSwapSuffix);
    if (!seg) return seg.error();
    auto next = (*seg)->read_next_offset();
    if (!next) return next.error();
    min_swap = std::min(min_swap, base->value());
    max_swap = std::max(max_swap, next->value());
  }
  if (!valid_swaps.empty()) {
    auto again = fs_.list_dir(dir_);
    if (!again) return again.error();
    for (const io::dir_entry& e : *again) {
      if (e.is_dir || ends_with(e.name, kSwapSuffix)) continue;
      auto o = offset_from_file_name(e.name);
      if (!o || ends_with(e.name, kSnapshotSuffix)) continue;
      if (o->value() >= min_swap && o->value() < max_swap) {
        if (auto s = fs_.remove(io::join(dir_, e.name)); !s && s.code() != errc::not_found) return s;
      }
    }
    for (const std::string& name : valid_swaps) {
      const std::string to = name.substr(0, name.size() - kSwapSuffix.size());
      if (auto s = fs_.rename(io::join(dir_, name), io::join(dir_, to)); !s) return s;
    }
    log_->dir_dirty_ = true;
  }
  return {};
}

status log_loader::open_segments() {
  auto entries = fs_.list_dir(dir_);
  if (!entries) return entries.error();
  std::set<int64_t> logs;
  for (const io::dir_entry& e : *entries) {
    if (!e.is_dir && ends_with(e.name, kLogSuffix) && e.name.size() == 20 + kLogSuffix.size()) {
      if (auto o = offset_from_file_name(e.name)) logs.insert(o->value());
    }
  }
  // Index files without a log file are orphans.
  for (const io::dir_entry& e : *entries) {
    if (e.is_dir) continue;
    for (std::string_view kind : {kIndexSuffix, kTimeIndexSuffix, kTxnIndexSuffix}) {
      if (ends_with(e.name, kind) && e.name.size() == 20 + kind.size()) {
        auto o = offset_from_file_name(e.name);
        if (o && !logs.count(o->value())) {
          if (auto s = fs_.remove(io::join(dir_, e.name)); !s && s.code() != errc::not_found) return s;
        }
      }
    }
  }
  size_t i = 0;
  for (int64_t base : logs) {
    const bool last = ++i == logs.size();
    auto seg = segment::open_existing(fs_, log_->params_.file_cache, dir_, samsa::offset{base},
                                      log_->options_for(samsa::offset{base}), last, log_->clock_.now_ms());
    if (!seg) return seg.error();
    segs_.push_back(*seg);
  }
  return {};
}

status log_loader::recover(size_t start_index, samsa::offset log_start) {
  const int64_t now = log_->clock_.now_ms();
  // Producer state at the first segment to recover, in a scratch manager (Kafka's
  // recoverSegment); the log's own manager is rebuilt from snapshots afterwards.
  producer_state_manager psm(fs_, dir_, log_->config_.producer_id_expiration_ms);
  if (auto s = psm.load_snapshot_list(); !s) return s;
  segment_map before;
  for (size_t i = 0; i < start_index; ++i) before[segs_[i]->base_offset().value()] = segs_[i];
  if (auto s = rebuild_producer_state(psm, before, log_start, segs_[start_index]->base_offset(), false, false, now);
      !s) {
    return s;
  }
  leader_epoch_cache& epochs = log_->epochs_;
  for (size_t i = start_index; i < segs_.size(); ++i) {
    segment& seg = *segs_[i];
    status cb_status;
    auto truncated = seg.recover([&](const protocol::batch_view& b) {
      if (b.partition_leader_epoch().value() >= 0) {
        const auto latest = epochs.latest_epoch();
        if (!latest || b.partition_leader_epoch() > *latest) epochs.assign(b.partition_leader_epoch(), b.base_offset());
      }
      if (b.producer_id().value() >= 0 && cb_status) {
        producer_append_info info = psm.prepare_update(b.producer_id(), append_origin::replication);
        auto r = info.append(b);
        if (!r) {
          cb_status = r.error();
          return;
        }
        psm.update(info);
        if (*r) {
          const samsa::offset lso = psm.last_stable_offset(**r);
          if ((*r)->aborted) seg.append_aborted_txn({(*r)->producer_id, (*r)->first_offset, (*r)->last_offset, lso});
          (void)psm.complete_txn(**r);
        }
      }
      psm.update_map_end_offset(samsa::offset{b.last_offset().value() + 1});
    }, !log_->config_.cleanup_compact);
    if (!truncated) return truncated.error();
    if (!cb_status) return cb_status;
    if (i + 1 < segs_.size()) {
      if (auto s = seg.write_index_files(); !s) return s;
    }
    auto next = seg.read_next_offset();
    if (!next) return next.error();
    psm.update_map_end_offset(std::max(psm.map_end_offset(), *next));
    if (auto r = psm.take_snapshot(false); !r) return r.error();
    // A hole before the next segment means this segment lost an unsynced tail
    // that a later segment's data outlived (file systems may write files back in
    // any order). Offsets in a log that is never compacted have no gaps
    // otherwise, so cut there to keep the log a prefix of what was written.
    bool hole = false;
    if (i + 1 < segs_.size() && !log_->config_.cleanup_compact) {
      hole = *next < segs_[i + 1]->base_offset();
    }
    if (*truncated > 0 || hole) {
      recovery_changed_files_ = true;
      // Everything after a torn or corrupt batch is gone (Kafka deletes the rest).
      std::vector<std::shared_ptr<segment>> rest(segs_.begin() + static_cast<long>(i) + 1, segs_.end());
      segs_.resize(i + 1);
      for (const auto& r : rest) {
        if (auto s = r->change_suffix("", kDeletedSuffix); !s) return s;
        if (auto s = psm.delete_snapshot(r->base_offset()); !s) return s;
      }
      log_->params_.deleter->schedule(std::move(rest), 0);
      log_->dir_dirty_ = true;
      break;
    }
  }
  // A trailing empty segment that starts past the end of the data before it is
  // the residue of a roll whose predecessor's unsynced tail was lost: its name
  // reached the disk, the data before it did not. Dropping it loses nothing and
  // keeps the log a prefix of what was written (Kafka would keep the gap).
  while (segs_.size() > 1 && segs_.back()->size_bytes() == 0) {
    auto prev_next = segs_[segs_.size() - 2]->read_next_offset();
    if (!prev_next) return prev_next.error();
    if (segs_.back()->base_offset() <= *prev_next) break;
    std::shared_ptr<segment> phantom = segs_.back();
    segs_.pop_back();
    recovery_changed_files_ = true;
    if (auto s = phantom->change_suffix("", kDeletedSuffix); !s) return s;
    if (auto s = psm.delete_snapshot(phantom->base_offset()); !s) return s;
    log_->params_.deleter->schedule({phantom}, 0);
    log_->dir_dirty_ = true;
  }
  for (std::string& p : psm.take_unsynced_snapshots()) recovery_snapshots_.push_back(std::move(p));
  // The last segment is now the active one even if it was opened as sealed.
  if (segs_.back()->is_sealed()) {
    auto reopened = segs_.back()->reopen_as_active();
    if (!reopened) return reopened.error();
    segs_.back() = *reopened;
  }
  return {};
}

status log_loader::load_epochs() {
  auto entries = read_leader_epoch_checkpoint(fs_, io::join(dir_, std::string(kLeaderEpochCheckpoint)));
  // A corrupt checkpoint is rebuilt from the log as far as recovery reaches (Kafka
  // fails the log dir instead; the data is intact, only the cache is lost).
  log_->epochs_ = entries ? leader_epoch_cache(*entries) : leader_epoch_cache();
  if (!entries) log_->epochs_.mark_dirty();
  return {};
}

status log_loader::finish(bool recovered) {
  partition_log& log = *log_;
  const partition_log_params& p = log.params_;
  const samsa::offset log_start_ckpt = p.log_start_offset_checkpoint.value_or(samsa::offset{0});
  const int64_t now = log.clock_.now_ms();
  for (const auto& s : segs_) log.segments_[s->base_offset().value()] = s;
  samsa::offset leo = log_start_ckpt;
  if (!log.segments_.empty()) {
    auto next = log.active()->read_next_offset();
    if (!next) return next.error();
    leo = *next;
    if (leo < log_start_ckpt) {
      // Segments were lost (deleted by hand?): start over at the log start offset.
      std::vector<std::shared_ptr<segment>> all;
      for (const auto& [b, s] : log.segments_) all.push_back(s);
      log.segments_.clear();
      for (const auto& s : all) {
        if (auto r = s->change_suffix("", kDeletedSuffix); !r) return r;
      }
      p.deleter->schedule(std::move(all), 0);
      log.epochs_.clear();
      leo = log_start_ckpt;
      recovered = true;
    }
  }
  if (log.segments_.empty()) {
    auto seg = segment::create(fs_, p.file_cache, dir_, log_start_ckpt, log.options_for(log_start_ckpt), now);
    if (!seg) return seg.error();
    log.segments_[log_start_ckpt.value()] = *seg;
    log.dir_dirty_ = true;
    leo = log_start_ckpt;
  }
  log.epochs_.truncate_from_end(leo);
  log.epochs_.truncate_from_start(log_start_ckpt);
  const samsa::offset log_start = std::max(log_start_ckpt, log.segments_.begin()->second->base_offset());
  log.log_start_offset_.store(log_start.value());
  log.log_end_offset_.store(leo.value());

  if (auto s = log.producers_.load_snapshot_list(); !s) return s;
  std::vector<samsa::offset> bases;
  for (const auto& [b, s] : log.segments_) bases.push_back(samsa::offset{b});
  if (auto s = log.producers_.remove_stray_snapshots(bases); !s) return s;
  // After a recovery the snapshot syncs are left to the flush worker or to
  // make_recovery_durable; after a clean shutdown nothing is written.
  if (auto s = rebuild_producer_state(log.producers_, log.segments_, log_start, leo,
                                      p.had_clean_shutdown && !recovered, !recovered, now);
      !s) {
    return s;
  }
  // After a clean shutdown everything is durable; after a recovery,
  // make_recovery_durable() syncs what recovery changed before raising it to leo.
  // Stale derived state must not outlive this load: if a crash cut the log, the
  // epoch checkpoint and snapshots describe offsets that will be written again
  // with other contents. Make their correction durable now (Kafka flushes the
  // epoch checkpoint asynchronously here and has the same window otherwise).
  if (log.epochs_.dirty()) {
    const std::string text = encode_leader_epoch_checkpoint(log.epochs_.entries());
    if (auto s = io::write_file_atomically(fs_, io::join(dir_, std::string(kLeaderEpochCheckpoint)),
                                           std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()),
                                                                    text.size()));
        !s) {
      return s;
    }
    log.epochs_.mark_clean();
  }
  const std::vector<samsa::offset> snapshots_after = log.producers_.snapshot_offsets();
  const bool snapshot_removed = std::any_of(initial_snapshots_.begin(), initial_snapshots_.end(), [&](samsa::offset o) {
    return std::find(snapshots_after.begin(), snapshots_after.end(), o) == snapshots_after.end();
  });
  if (snapshot_removed) {
    if (auto s = fs_.sync_dir(dir_); !s) return s;
  }
  const samsa::offset rp = p.had_clean_shutdown && !recovered ? leo : std::min(p.recovery_point_checkpoint, leo);
  log.recovery_point_.store(rp.value());
  samsa::offset hw = p.high_watermark_checkpoint.value_or(log_start);
  hw = std::clamp(hw, log_start, leo);
  log.set_high_watermark(hw);
  log.last_flush_ms_.store(now);
  return {};
}

status log_loader::make_recovery_durable(samsa::offset first_recovered_base) {
  // Recovery cut torn tails or deleted segments, none of it synced. A later crash
  // must not bring back the cut bytes behind a recovery point that has moved past
  // them, so sync everything recovery touched now (we are on a loader thread,
  // where blocking is fine); then every offset below the log end is durable.
  // When recovery changed nothing, keep Kafka's recovery point (min of the
  // checkpoint and the log end) and let the next flush pass sync the data: a
  // process crash may have left it in the page cache only.
  partition_log& log = *log_;
  if (!recovery_changed_files_) return {};
  for (const std::string& p : recovery_snapshots_) {
    if (auto f = fs_.open(p, io::open_mode::read_write)) {
      if (auto s = (*f)->sync(); !s) return s;
    }
  }
  for (auto it = log.segments_.lower_bound(first_recovered_base.value()); it != log.segments_.end(); ++it) {
    if (auto s = it->second->flush(); !s) return s;
  }
  const std::string text = encode_leader_epoch_checkpoint(log.epochs_.entries());
  if (auto s = io::write_file_atomically(fs_, io::join(dir_, std::string(kLeaderEpochCheckpoint)),
                                         std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
      !s) {
    return s;
  }
  log.epochs_.mark_clean();
  for (const std::string& p : log.producers_.take_unsynced_snapshots()) {
    if (auto f = fs_.open(p, io::open_mode::read_write)) {
      if (auto s = (*f)->sync(); !s) return s;
    }
  }
  if (auto s = fs_.sync_dir(dir_); !s) return s;
  log.dir_dirty_ = false;
  log.recovery_point_.store(log.log_end_offset_.load());
  return {};
}

result<std::shared_ptr<partition_log>> log_loader::load(partition_log_params params) {
  SAMSA_ASSERT(params.fs && params.clock && params.file_cache, "partition_log_params needs fs, clock and file cache");
  std::shared_ptr<partition_log> log(new partition_log(std::move(params)));
  io::file_system& fs = *log->params_.fs;
  bool created = false;
  if (!fs.exists(log->dir_)) {
    if (auto s = fs.make_dir(log->dir_); !s) return s.error();
    created = true;
  }
  log_loader loader(log);
  if (auto s = loader.clean_up_leftovers(); !s) return s.error();
  {
    producer_state_manager listing(fs, log->dir_, 0);
    if (auto s = listing.load_snapshot_list(); !s) return s.error();
    loader.initial_snapshots_ = listing.snapshot_offsets();
  }
  if (auto s = loader.load_epochs(); !s) return s.error();
  if (auto s = loader.open_segments(); !s) return s.error();
  const partition_log_params& p = log->params_;
  const samsa::offset log_start_ckpt = p.log_start_offset_checkpoint.value_or(samsa::offset{0});
  bool recovered = false;
  samsa::offset first_recovered{0};
  if (!loader.segs_.empty()) {
    std::optional<size_t> start;
    if (p.had_clean_shutdown) {
      // Trust the files, but the active segment's indexes must load.
      if (!loader.segs_.back()->load_indexes()) start = loader.segs_.size() - 1;
    } else {
      // Recover from the segment holding the recovery point; earlier segments
      // are trusted once their tails check out (see segment::validate_tail).
      size_t i = 0;
      while (i + 1 < loader.segs_.size() && loader.segs_[i + 1]->base_offset() <= p.recovery_point_checkpoint) ++i;
      for (size_t j = 0; j < i; ++j) {
        if (!loader.segs_[j]->validate_tail()) {
          i = j;
          break;
        }
      }
      start = i;
    }
    if (start) {
      first_recovered = loader.segs_[*start]->base_offset();
      if (auto s = loader.recover(*start, log_start_ckpt); !s) return s.error();
      recovered = true;
    }
  }
  if (auto s = loader.finish(recovered); !s) return s.error();
  if (recovered) {
    if (auto s = loader.make_recovery_durable(first_recovered); !s) return s.error();
  }
  if (created) log->parent_dir_dirty_ = true;
  return log;
}

}  // namespace samsa::storage
