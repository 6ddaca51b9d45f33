// partition_log durability: flush requests and the flush pass the worker runs.

#include "storage/log/partition_log.h"

namespace samsa::storage {

void partition_log::schedule_flush_locked(samsa::offset up_to, flush_callback cb, std::vector<flush_callback>* fail_now) {
  if (closed_ || failed_) {
    if (cb) {
      if (fail_now) {
        fail_now->push_back(std::move(cb));
      } else {
        failed_flushes_.emplace_back(std::move(cb), failed_ ? errc::io_error : errc::log_closed);
      }
    }
    return;
  }
  pending_flushes_.push_back({up_to.value(), std::move(cb)});
  if (!flush_scheduled_ && params_.flusher) {
    flush_scheduled_ = true;
    params_.flusher->schedule(shared_from_this());
  }
}

void partition_log::after_append_locked(segment& seg, samsa::offset next) {
  if (next.value() - recovery_point().value() >= config_.flush_messages) schedule_flush_locked(next, nullptr, nullptr);
  // Someone waits for this log to become durable: get the bytes moving to the
  // disk now rather than when the next flush pass starts.
  if (flush_running_ || !pending_flushes_.empty()) seg.start_writeback();
}

void partition_log::request_flush(samsa::offset up_to, flush_callback cb) {
  std::vector<flush_callback> fail_now;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (closed_ || failed_) {
      // Still completed on the worker thread when there is one.
      failed_flushes_.emplace_back(std::move(cb), failed_ ? errc::io_error : errc::log_closed);
      if (!flush_scheduled_ && params_.flusher) {
        flush_scheduled_ = true;
        params_.flusher->schedule(shared_from_this());
      }
      return;
    }
    schedule_flush_locked(up_to, std::move(cb), &fail_now);
  }
  for (auto& cb2 : fail_now) cb2(error(errc::log_closed));
}

void partition_log::fail_flushes_above(samsa::offset o, errc why) {
  std::vector<pending_flush> keep;
  for (auto& p : pending_flushes_) {
    if (p.up_to > o.value()) {
      if (p.cb) failed_flushes_.emplace_back(std::move(p.cb), why);
    } else {
      keep.push_back(std::move(p));
    }
  }
  pending_flushes_.swap(keep);
  if (!failed_flushes_.empty() && !flush_scheduled_ && params_.flusher) {
    flush_scheduled_ = true;
    params_.flusher->schedule(shared_from_this());
  }
}

void partition_log::run_flush() {
  // 1. Under the lock: decide what this pass covers and collect the files.
  std::vector<std::shared_ptr<segment>> segs;
  std::vector<std::string> snapshots;
  std::vector<std::pair<flush_callback, errc>> to_fail;
  std::optional<std::string> epoch_text;
  bool sync_dir = false;
  bool sync_parent_dir = false;
  bool write_recovery_checkpoint = false;
  std::string dir;
  int64_t target = 0;
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> g(mu_);
    flush_scheduled_ = false;
    to_fail.swap(failed_flushes_);
    if (closed_ || failed_) {
      for (auto& p : pending_flushes_) {
        if (p.cb) to_fail.emplace_back(std::move(p.cb), failed_ ? errc::io_error : errc::log_closed);
      }
      pending_flushes_.clear();
    } else if (!pending_flushes_.empty()) {
      target = log_end_offset().value();
      generation = generation_;
      const int64_t rp = recovery_point().value();
      auto it = segments_.upper_bound(rp);
      if (it != segments_.begin()) --it;
      for (; it != segments_.end(); ++it) {
        if (!it->second->fully_flushed()) segs.push_back(it->second);
      }
      snapshots = producers_.take_unsynced_snapshots();
      if (epochs_.dirty()) {
        epoch_text = encode_leader_epoch_checkpoint(epochs_.entries());
        epochs_.mark_clean();
      }
      sync_dir = std::exchange(dir_dirty_, false);
      sync_parent_dir = std::exchange(parent_dir_dirty_, false);
      write_recovery_checkpoint = std::exchange(truncated_since_checkpoint_, false);
      dir = dir_;
      flush_running_ = true;
    }
  }
  for (auto& [cb, why] : to_fail) cb(error(why, "flush abandoned"));
  if (dir.empty()) return;

  // 2. Without the lock: make it durable. Order matters for recovery: the epochs
  //    and (after a truncation) the lowered recovery point reach disk before the
  //    recovery point can move past the data they describe.
  //    Segment data goes first: the checkpoint write below syncs the directory,
  //    which must not make a new segment's name durable before the data of the
  //    segments before it.
  status s;
  if (write_recovery_checkpoint && params_.recovery_checkpoint_hook) s = params_.recovery_checkpoint_hook();
  for (size_t i = 0; s && i < segs.size(); ++i) s = segs[i]->flush();
  if (s && epoch_text) {
    std::lock_guard<std::mutex> g(epoch_file_mu_);
    s = io::write_file_atomically(fs_, io::join(dir, std::string(kLeaderEpochCheckpoint)),
                                  std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(epoch_text->data()),
                                                           epoch_text->size()));
  }
  for (size_t i = 0; s && i < snapshots.size(); ++i) {
    auto f = fs_.open(snapshots[i], io::open_mode::read_write);
    if (f) {
      s = (*f)->sync();
    } else if (f.code() != errc::not_found) {
      s = f.error();
    }
  }
  if (s && sync_dir) s = fs_.sync_dir(dir);
  if (s && sync_parent_dir) s = fs_.sync_dir(io::parent_of(dir));

  // 3. Under the lock: advance the recovery point and collect what completed.
  std::vector<std::pair<flush_callback, status>> done;
  {
    std::lock_guard<std::mutex> g(mu_);
    flush_running_ = false;
    if (!s) {
      if (!failed_) failure_ = s.error().message;
      failed_ = true;
      if (epoch_text) epochs_.mark_dirty();
      for (auto& p : pending_flushes_) {
        if (p.cb) done.emplace_back(std::move(p.cb), s);
      }
      pending_flushes_.clear();
    } else {
      if (generation == generation_) {
        const int64_t rp = std::min(target, log_end_offset().value());
        if (rp > recovery_point().value()) recovery_point_.store(rp, std::memory_order_release);
        last_flush_ms_.store(clock_.now_ms(), std::memory_order_relaxed);
      } else {
        // A truncation ran meanwhile: what was synced may not be what the log
        // holds now. Flush again rather than reason about it.
        if (epoch_text) epochs_.mark_dirty();
        dir_dirty_ = dir_dirty_ || sync_dir;
        parent_dir_dirty_ = parent_dir_dirty_ || sync_parent_dir;
      }
      const int64_t rp = recovery_point().value();
      std::vector<pending_flush> keep;
      bool again = false;
      for (auto& p : pending_flushes_) {
        if (p.up_to <= rp) {
          if (p.cb) done.emplace_back(std::move(p.cb), status());
        } else {
          // Still above what is durable: keep it; another pass is needed if the
          // data it waits for is already written.
          if (p.up_to <= log_end_offset().value()) again = true;
          keep.push_back(std::move(p));
        }
      }
      pending_flushes_.swap(keep);
      if (again && !flush_scheduled_ && params_.flusher) {
        flush_scheduled_ = true;
        params_.flusher->schedule(shared_from_this());
      }
    }
  }
  for (auto& [cb, st] : done) cb(st);
}

}  // namespace samsa::storage
