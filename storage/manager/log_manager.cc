// log_manager: loading, creating, deleting and shutting down logs.

#include "storage/manager/log_manager.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "storage/checkpoint/checkpoint_file.h"

namespace samsa::storage {

// Delayed deletion of removed segments and whole log directories.
class log_manager::deleter final : public segment_deleter {
 public:
  deleter(io::file_system& fs, const io::clock& clock) : fs_(fs), clock_(clock) {}

  void schedule(std::vector<std::shared_ptr<segment>> segments, int64_t delay_ms) override {
    std::lock_guard<std::mutex> g(mu_);
    const int64_t due = clock_.now_ms() + std::max<int64_t>(delay_ms, 0);
    for (auto& s : segments) segments_.emplace(due, std::move(s));
  }
  void schedule_dir(std::string dir, int64_t delay_ms) {
    std::lock_guard<std::mutex> g(mu_);
    dirs_.emplace(clock_.now_ms() + std::max<int64_t>(delay_ms, 0), std::move(dir));
  }
  size_t run(bool all) {
    std::vector<std::shared_ptr<segment>> segs;
    std::vector<std::string> dirs;
    {
      std::lock_guard<std::mutex> g(mu_);
      const int64_t now = clock_.now_ms();
      while (!segments_.empty() && (all || segments_.begin()->first <= now)) {
        segs.push_back(std::move(segments_.begin()->second));
        segments_.erase(segments_.begin());
      }
      while (!dirs_.empty() && (all || dirs_.begin()->first <= now)) {
        dirs.push_back(std::move(dirs_.begin()->second));
        dirs_.erase(dirs_.begin());
      }
    }
    for (auto& s : segs) (void)s->delete_files();
    for (const std::string& d : dirs) {
      if (auto entries = fs_.list_dir(d)) {
        for (const io::dir_entry& e : *entries) {
          if (!e.is_dir) (void)fs_.remove(io::join(d, e.name));
        }
      }
      (void)fs_.remove_dir(d);
    }
    return segs.size() + dirs.size();
  }

 private:
  io::file_system& fs_;
  const io::clock& clock_;
  std::mutex mu_;
  std::multimap<int64_t, std::shared_ptr<segment>> segments_;
  std::multimap<int64_t, std::string> dirs_;
};

log_manager::log_manager(io::file_system& fs, const io::clock& clock, log_manager_config config,
                         topic_config_provider configs)
    : fs_(fs),
      clock_(clock),
      config_(std::move(config)),
      configs_(std::move(configs)),
      cache_(std::make_shared<io::open_file_cache>(config_.max_open_segment_files)),
      deleter_(std::make_shared<deleter>(fs, clock)) {
  cleaner_ = std::make_unique<log_cleaner>(fs_, clock_, cache_, config_.cleaner);
}

result<std::unique_ptr<log_manager>> log_manager::open(io::file_system& fs, const io::clock& clock,
                                                       log_manager_config config, topic_config_provider configs) {
  if (config.log_dirs.empty()) return error(errc::invalid_argument, "no log directories");
  std::unique_ptr<log_manager> m(new log_manager(fs, clock, std::move(config), std::move(configs)));
  if (auto s = m->load(); !s) {
    m->shut_down_ = true;  // nothing to flush: the logs that loaded are dropped unflushed
    std::vector<std::shared_ptr<partition_log>> logs = m->all_logs();
    for (auto& l : logs) l->close_without_flush();
    return s.error();
  }
  if (m->config_.background_threads) m->start_threads();
  return m;
}

log_manager::~log_manager() {
  stop_threads();
  if (!shut_down_) {
    for (auto& l : all_logs()) l->close_without_flush();
    for (auto& d : dirs_) {
      if (d.flusher) d.flusher->stop();
    }
  }
}

log_config log_manager::config_for(const std::string& topic) const {
  auto it = topic_configs_.find(topic);
  if (it != topic_configs_.end()) return it->second;
  if (configs_) return configs_(topic);
  return config_.default_config;
}

partition_log_params log_manager::params_for(const topic_partition& tp, size_t dir_index, const log_config& config) {
  partition_log_params p;
  p.fs = &fs_;
  p.clock = &clock_;
  p.file_cache = cache_;
  p.flusher = dirs_[dir_index].flusher;
  p.deleter = deleter_;
  p.dir = io::join(dirs_[dir_index].path, tp.dir_name());
  p.tp = tp;
  p.config = config;
  p.recovery_checkpoint_hook = [this, dir_index]() {
    return write_checkpoint(dir_index, kRecoveryPointCheckpoint,
                            [](const partition_log& l) { return l.recovery_point().value(); });
  };
  return p;
}

status log_manager::load() {
  const auto start = std::chrono::steady_clock::now();
  dirs_.resize(config_.log_dirs.size());
  cleaner_checkpoints_.resize(config_.log_dirs.size());
  for (size_t i = 0; i < dirs_.size(); ++i) {
    dir_state& d = dirs_[i];
    d.path = config_.log_dirs[i];
    d.flusher = std::make_shared<flush_worker>("flush-" + d.path,
                                               static_cast<size_t>(std::max(1, config_.flush_threads_per_data_dir)));
    if (!fs_.exists(d.path)) {
      if (auto s = fs_.make_dir(d.path); !s) return s;
      if (auto s = fs_.sync_dir(io::parent_of(d.path)); !s) return s;
    }
    auto lock = fs_.lock(io::join(d.path, std::string(kLockFile)));
    if (!lock) return lock.error();
    d.lock = std::move(*lock);
  }
  for (size_t i = 0; i < dirs_.size(); ++i) {
    if (auto s = load_dir(i); !s) return s;
  }
  load_duration_ms_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  return {};
}

status log_manager::load_dir(size_t index) {
  dir_state& d = dirs_[index];
  const std::string marker = io::join(d.path, std::string(kCleanShutdownMarker));
  if (fs_.exists(marker)) {
    d.had_clean_shutdown = true;
    // Remove it durably before any log is written: a crash from now on must recover.
    if (auto s = fs_.remove(marker); !s) return s;
    if (auto s = fs_.sync_dir(d.path); !s) return s;
  }
  // Unreadable checkpoints fall back as Kafka does: recovery point 0, log start
  // offset from the segments, no high watermark.
  auto read_or_empty = [&](std::string_view name) {
    auto r = read_offset_checkpoint(fs_, io::join(d.path, std::string(name)));
    return r ? *r : offset_checkpoint_map();
  };
  const offset_checkpoint_map recovery_points = read_or_empty(kRecoveryPointCheckpoint);
  const offset_checkpoint_map log_starts = read_or_empty(kLogStartOffsetCheckpoint);
  const offset_checkpoint_map high_watermarks = read_or_empty(kReplicationOffsetCheckpoint);
  cleaner_checkpoints_[index] = read_or_empty(kCleanerOffsetCheckpoint);

  auto entries = fs_.list_dir(d.path);
  if (!entries) return entries.error();
  std::vector<std::pair<topic_partition, std::string>> to_load;
  for (const io::dir_entry& e : *entries) {
    if (!e.is_dir) continue;
    if (ends_with(e.name, kDeleteDirSuffix)) {
      deleter_->schedule_dir(io::join(d.path, e.name), 0);  // an interrupted delete
      continue;
    }
    if (ends_with(e.name, "-future") || ends_with(e.name, "-stray")) continue;
    auto tp = parse_partition_dir_name(e.name);
    if (!tp) continue;  // not Kafka data (Kafka refuses to start; we skip it)
    to_load.emplace_back(*tp, e.name);
  }

  std::mutex results_mu;
  std::optional<error> first_error;
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= to_load.size()) return;
      const topic_partition& tp = to_load[i].first;
      log_config cfg;
      {
        std::lock_guard<std::mutex> g(mu_);
        cfg = config_for(tp.topic);
      }
      partition_log_params p = params_for(tp, index, cfg);
      p.had_clean_shutdown = d.had_clean_shutdown;
      if (auto it = recovery_points.find(tp); it != recovery_points.end()) p.recovery_point_checkpoint = samsa::offset{it->second};
      if (auto it = log_starts.find(tp); it != log_starts.end()) p.log_start_offset_checkpoint = samsa::offset{it->second};
      if (auto it = high_watermarks.find(tp); it != high_watermarks.end()) p.high_watermark_checkpoint = samsa::offset{it->second};
      auto log = partition_log::open(std::move(p));
      std::lock_guard<std::mutex> g(results_mu);
      if (!log) {
        if (!first_error) first_error = log.error();
        continue;
      }
      std::lock_guard<std::mutex> g2(mu_);
      logs_[tp] = log_entry{*log, index};
    }
  };
  const size_t threads = std::max<int32_t>(1, config_.num_recovery_threads_per_data_dir);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads && t < to_load.size(); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (first_error) return *first_error;
  d.loaded_all = true;
  return {};
}

result<std::shared_ptr<partition_log>> log_manager::get_or_create_log(const topic_partition& tp,
                                                                      std::optional<log_config> config) {
  std::lock_guard<std::mutex> g(mu_);
  if (shut_down_) return error(errc::log_closed, "log manager is shut down");
  if (auto it = logs_.find(tp); it != logs_.end()) return it->second.log;
  // Kafka's nextLogDirs: the directory with the fewest logs.
  std::vector<size_t> counts(dirs_.size(), 0);
  for (const auto& [t, e] : logs_) ++counts[e.dir];
  size_t best = 0;
  for (size_t i = 1; i < counts.size(); ++i) {
    if (counts[i] < counts[best]) best = i;
  }
  const log_config cfg = config ? *config : config_for(tp.topic);
  if (config) topic_configs_[tp.topic] = *config;
  auto log = partition_log::open(params_for(tp, best, cfg));
  if (!log) return log.error();
  logs_[tp] = log_entry{*log, best};
  return *log;
}

std::shared_ptr<partition_log> log_manager::get_log(const topic_partition& tp) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = logs_.find(tp);
  return it == logs_.end() ? nullptr : it->second.log;
}

std::vector<std::shared_ptr<partition_log>> log_manager::all_logs() const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::shared_ptr<partition_log>> out;
  out.reserve(logs_.size());
  for (const auto& [tp, e] : logs_) out.push_back(e.log);
  return out;
}

void log_manager::update_topic_config(const std::string& topic, const log_config& config) {
  std::vector<std::shared_ptr<partition_log>> logs;
  {
    std::lock_guard<std::mutex> g(mu_);
    topic_configs_[topic] = config;
    for (const auto& [tp, e] : logs_) {
      if (tp.topic == topic) logs.push_back(e.log);
    }
  }
  for (auto& l : logs) l->update_config(config);
}

status log_manager::delete_log(const topic_partition& tp) {
  log_entry entry;
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = logs_.find(tp);
    if (it == logs_.end()) return error(errc::not_found, "no log for " + tp.dir_name());
    entry = it->second;
    logs_.erase(it);
    cleaner_checkpoints_[entry.dir].erase(tp);
    uncleanable_.erase(tp);
  }
  entry.log->close_without_flush();
  // <topic>-<partition>.<uuid>-delete, capped at 255 characters like Kafka.
  std::random_device rd;
  std::mt19937_64 rng((uint64_t{rd()} << 32) ^ rd());
  char uuid[33];
  std::snprintf(uuid, sizeof uuid, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  std::string suffix = "-" + std::to_string(tp.partition) + "." + uuid + std::string(kDeleteDirSuffix);
  std::string topic = tp.topic.substr(0, std::min(tp.topic.size(), 255 - suffix.size()));
  const std::string new_dir = io::join(dirs_[entry.dir].path, topic + suffix);
  if (auto s = entry.log->rename_dir(new_dir); !s) return s;
  deleter_->schedule_dir(new_dir, config_.log_dir_delete_delay_ms);
  if (auto s = write_recovery_point_checkpoints(); !s) return s;
  if (auto s = write_log_start_offset_checkpoints(); !s) return s;
  return write_cleaner_checkpoint(entry.dir);
}

status log_manager::shutdown(int64_t broker_epoch) {
  stop_threads();
  std::vector<std::vector<std::shared_ptr<partition_log>>> by_dir(dirs_.size());
  {
    std::lock_guard<std::mutex> g(mu_);
    if (shut_down_) return {};
    shut_down_ = true;
    for (const auto& [tp, e] : logs_) by_dir[e.dir].push_back(e.log);
  }
  status result_status;
  std::vector<bool> dir_ok(dirs_.size(), true);
  // Let the flush workers finish what is queued first: closing logs then runs alone.
  for (auto& d : dirs_) {
    d.flusher->stop();
    d.flusher->run_pending();
  }
  for (size_t i = 0; i < dirs_.size(); ++i) {
    std::atomic<size_t> next{0};
    std::mutex err_mu;
    auto worker = [&]() {
      for (;;) {
        const size_t j = next.fetch_add(1);
        if (j >= by_dir[i].size()) return;
        if (auto s = by_dir[i][j]->close(); !s) {
          std::lock_guard<std::mutex> g(err_mu);
          dir_ok[i] = false;
          if (result_status) result_status = s;
        }
      }
    };
    std::vector<std::thread> pool;
    const size_t threads = std::max<int32_t>(1, config_.num_recovery_threads_per_data_dir);
    for (size_t t = 1; t < threads && t < by_dir[i].size(); ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    dirs_[i].flusher->run_pending();
  }
  for (size_t i = 0; i < dirs_.size(); ++i) {
    status s = write_checkpoint(i, kRecoveryPointCheckpoint, [](const partition_log& l) { return l.recovery_point().value(); });
    if (s) s = write_checkpoint(i, kLogStartOffsetCheckpoint, [](const partition_log& l) { return l.log_start_offset().value(); });
    if (s) s = write_checkpoint(i, kReplicationOffsetCheckpoint, [](const partition_log& l) { return l.high_watermark().value(); });
    if (s) s = write_cleaner_checkpoint(i);
    if (!s) {
      dir_ok[i] = false;
      if (result_status) result_status = s;
    }
    // Kafka writes the marker when the directory had one or loaded completely.
    if (dir_ok[i] && (dirs_[i].had_clean_shutdown || dirs_[i].loaded_all)) {
      if (auto m = write_clean_shutdown_marker(fs_, dirs_[i].path, broker_epoch); !m && result_status) result_status = m;
    }
    dirs_[i].lock.reset();
  }
  return result_status;
}

size_t log_manager::run_deletions(bool all) { return deleter_->run(all); }

std::optional<samsa::offset> log_manager::cleaner_checkpoint(const topic_partition& tp) const {
  std::lock_guard<std::mutex> g(mu_);
  for (const auto& m : cleaner_checkpoints_) {
    if (auto it = m.find(tp); it != m.end()) return samsa::offset{it->second};
  }
  return std::nullopt;
}

}  // namespace samsa::storage
