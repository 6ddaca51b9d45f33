// log_manager background tasks and their threads.

#include <chrono>

#include "storage/checkpoint/checkpoint_file.h"
#include "storage/manager/log_manager.h"

namespace samsa::storage {

status log_manager::write_checkpoint(size_t dir_index, std::string_view name,
                                     const std::function<int64_t(const partition_log&)>& value) {
  offset_checkpoint_map offsets;
  {
    std::lock_guard<std::mutex> g(mu_);
    for (const auto& [tp, e] : logs_) {
      if (e.dir == dir_index) offsets[tp] = value(*e.log);
    }
  }
  std::lock_guard<std::mutex> g(checkpoint_mu_);
  return write_offset_checkpoint(fs_, io::join(dirs_[dir_index].path, std::string(name)), offsets);
}

status log_manager::write_cleaner_checkpoint(size_t dir_index) {
  offset_checkpoint_map offsets;
  {
    std::lock_guard<std::mutex> g(mu_);
    offsets = cleaner_checkpoints_[dir_index];
  }
  std::lock_guard<std::mutex> g(checkpoint_mu_);
  return write_offset_checkpoint(fs_, io::join(dirs_[dir_index].path, std::string(kCleanerOffsetCheckpoint)), offsets);
}

status log_manager::write_recovery_point_checkpoints() {
  status first;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    auto s = write_checkpoint(i, kRecoveryPointCheckpoint, [](const partition_log& l) { return l.recovery_point().value(); });
    if (!s && first) first = s;
  }
  return first;
}

status log_manager::write_log_start_offset_checkpoints() {
  status first;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    auto s = write_checkpoint(i, kLogStartOffsetCheckpoint, [](const partition_log& l) { return l.log_start_offset().value(); });
    if (!s && first) first = s;
  }
  return first;
}

status log_manager::write_high_watermark_checkpoints() {
  status first;
  for (size_t i = 0; i < dirs_.size(); ++i) {
    auto s = write_checkpoint(i, kReplicationOffsetCheckpoint, [](const partition_log& l) { return l.high_watermark().value(); });
    if (!s && first) first = s;
  }
  return first;
}

int log_manager::run_retention_once() {
  int total = 0;
  for (auto& log : all_logs()) {
    // Compacted logs get retention from the cleaner thread (Kafka's cleanupLogs
    // only takes non-compacted logs).
    if (log->config().cleanup_compact && config_.cleaner_enable) continue;
    auto r = log->delete_old_segments();
    if (r) total += *r;
  }
  return total;
}

void log_manager::run_flush_dirty_logs() {
  const int64_t now = clock_.now_ms();
  for (auto& log : all_logs()) {
    const log_config c = log->config();
    if (now - log->last_flush_time_ms() >= c.flush_ms && log->log_end_offset() > log->recovery_point()) {
      log->request_flush(log->log_end_offset(), nullptr);
    }
  }
}

void log_manager::run_producer_expiration() {
  const int64_t now = clock_.now_ms();
  for (auto& log : all_logs()) log->remove_expired_producers(now);
}

size_t log_manager::run_flush_workers() {
  size_t n = 0;
  for (auto& d : dirs_) n += d.flusher->run_pending();
  return n;
}

result<bool> log_manager::run_cleaner_once() {
  std::lock_guard<std::mutex> run(cleaner_run_mu_);
  const int64_t now = clock_.now_ms();
  struct candidate {
    topic_partition tp;
    size_t dir;
    std::shared_ptr<partition_log> log;
    cleaner_view view;
    cleanable_range range;
  };
  std::optional<candidate> filthiest;
  std::vector<std::shared_ptr<partition_log>> compact_and_delete;
  {
    std::vector<std::tuple<topic_partition, size_t, std::shared_ptr<partition_log>, std::optional<int64_t>>> logs;
    {
      std::lock_guard<std::mutex> g(mu_);
      for (const auto& [tp, e] : logs_) {
        if (uncleanable_.count(tp)) continue;
        std::optional<int64_t> ckpt;
        if (auto it = cleaner_checkpoints_[e.dir].find(tp); it != cleaner_checkpoints_[e.dir].end()) ckpt = it->second;
        logs.emplace_back(tp, e.dir, e.log, ckpt);
      }
    }
    for (auto& [tp, dir, log, ckpt] : logs) {
      cleaner_view v = log->cleaner_snapshot();
      if (!v.config.cleanup_compact) continue;
      if (v.config.cleanup_delete) compact_and_delete.push_back(log);
      std::optional<samsa::offset> c;
      if (ckpt) c = samsa::offset{*ckpt};
      cleanable_range r = compute_cleanable_range(v, c, now);
      if (r.clean_bytes + r.cleanable_bytes == 0 || !r.worth_cleaning(v.config.min_cleanable_dirty_ratio)) continue;
      if (!filthiest || r.cleanable_ratio() > filthiest->range.cleanable_ratio()) {
        filthiest = candidate{tp, dir, log, std::move(v), r};
      }
    }
  }
  bool cleaned = false;
  if (filthiest) {
    auto next_dirty = cleaner_->clean(*filthiest->log, filthiest->view, filthiest->range);
    if (!next_dirty) {
      // Kafka marks the partition uncleanable and carries on with the others.
      std::lock_guard<std::mutex> g(mu_);
      uncleanable_.insert(filthiest->tp);
    } else if (*next_dirty) {
      cleaned = true;
      {
        std::lock_guard<std::mutex> g(mu_);
        if (logs_.count(filthiest->tp)) cleaner_checkpoints_[filthiest->dir][filthiest->tp] = (*next_dirty)->value();
      }
      if (auto s = write_cleaner_checkpoint(filthiest->dir); !s) return s.error();
    }
  }
  for (auto& log : compact_and_delete) (void)log->delete_old_segments();
  return cleaned;
}

// ---- threads --------------------------------------------------------------------------------

void log_manager::start_threads() {
  for (auto& d : dirs_) d.flusher->start();
  {
    std::lock_guard<std::mutex> g(thread_mu_);
    stopping_ = false;
  }
  scheduler_ = std::thread([this] { scheduler_loop(); });
  if (config_.cleaner_enable) cleaner_thread_ = std::thread([this] { cleaner_loop(); });
}

void log_manager::stop_threads() {
  {
    std::lock_guard<std::mutex> g(thread_mu_);
    stopping_ = true;
  }
  thread_cv_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();
  if (cleaner_thread_.joinable()) cleaner_thread_.join();
}

void log_manager::scheduler_loop() {
  using steady = std::chrono::steady_clock;
  struct task {
    int64_t interval_ms;
    std::function<void()> run;
    steady::time_point due;
  };
  const auto start = steady::now() + std::chrono::milliseconds(config_.initial_task_delay_ms);
  std::vector<task> tasks = {
      {config_.retention_check_interval_ms, [this] { run_retention_once(); }, start},
      {config_.flush_scheduler_interval_ms, [this] { run_flush_dirty_logs(); }, start},
      {config_.recovery_point_checkpoint_interval_ms, [this] { (void)write_recovery_point_checkpoints(); }, start},
      {config_.log_start_offset_checkpoint_interval_ms, [this] { (void)write_log_start_offset_checkpoints(); }, start},
      {config_.high_watermark_checkpoint_interval_ms, [this] { (void)write_high_watermark_checkpoints(); }, start},
      {config_.producer_id_expiration_check_interval_ms, [this] { run_producer_expiration(); }, start},
      {1000, [this] { run_deletions(false); }, start},
  };
  // A "never" interval (Long.MAX) must not overflow the clock arithmetic.
  auto after = [](steady::time_point t, int64_t ms) {
    constexpr int64_t kYearMs = 365LL * 24 * 3600 * 1000;
    return t + std::chrono::milliseconds(std::min(ms, kYearMs));
  };
  for (auto& t : tasks) {
    if (t.interval_ms >= kLongMax / 2) t.due = after(start, t.interval_ms);
  }
  std::unique_lock<std::mutex> lk(thread_mu_);
  while (!stopping_) {
    steady::time_point next = steady::time_point::max();
    for (const auto& t : tasks) next = std::min(next, t.due);
    thread_cv_.wait_until(lk, next, [this] { return stopping_; });
    if (stopping_) break;
    const auto now = steady::now();
    for (auto& t : tasks) {
      if (t.due > now) continue;
      lk.unlock();
      t.run();
      lk.lock();
      t.due = after(now, std::max<int64_t>(t.interval_ms, 1));
      if (stopping_) break;
    }
  }
}

void log_manager::cleaner_loop() {
  std::unique_lock<std::mutex> lk(thread_mu_);
  while (!stopping_) {
    lk.unlock();
    auto cleaned = run_cleaner_once();
    lk.lock();
    if (stopping_) break;
    if (!cleaned || !*cleaned) {
      thread_cv_.wait_for(lk, std::chrono::milliseconds(config_.cleaner_backoff_ms), [this] { return stopping_; });
    }
  }
}

}  // namespace samsa::storage
