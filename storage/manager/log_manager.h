#pragma once

// Owns every partition log of every log directory (Kafka's LogManager):
//   - startup: locks each directory (.lock), reads and removes the clean
//     shutdown marker (durably, before anything is written), reads the
//     checkpoints, and loads every <topic>-<partition> directory on a pool of
//     num.recovery.threads.per.data.dir threads per directory (recovering them
//     after an unclean shutdown);
//   - creates logs in the directory holding the fewest, deletes them by renaming
//     the directory to <topic>-<partition>.<uuid>-delete and removing it after
//     file.delete.delay.ms;
//   - one flush worker (group commit) per directory;
//   - background tasks on one scheduler thread: retention
//     (log.retention.check.interval.ms), flush.ms (log.flush.scheduler.interval.ms),
//     recovery-point / log-start-offset / high-watermark checkpoints, producer id
//     expiry, delayed file deletion; the log cleaner on its own thread;
//   - clean shutdown: closes (flushes) every log, writes the checkpoints and the
//     marker, so the next start skips recovery.
//
// Thread-safety: all public methods may be called from any thread. Logs are
// shared (shared_ptr); see partition_log.h for their rules. The run_* methods are
// what the background threads call, exposed so tests can drive them
// deterministically with background_threads = false.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "storage/cleaner/log_cleaner.h"
#include "storage/durability/flush_worker.h"
#include "storage/io/clock.h"
#include "storage/io/file_system.h"
#include "storage/io/open_file_cache.h"
#include "storage/log/partition_log.h"
#include "storage/log_config.h"

namespace samsa::storage {

struct log_manager_config {
  std::vector<std::string> log_dirs;
  log_config default_config;
  int32_t num_recovery_threads_per_data_dir = 2;       // Kafka's code default is 1; our broker's is 2
  int32_t flush_threads_per_data_dir = 8;              // samsa.log.flush.threads.per.data.dir (flush_worker.h)
  int64_t retention_check_interval_ms = 300'000;       // log.retention.check.interval.ms
  int64_t flush_scheduler_interval_ms = kLongMax;      // log.flush.scheduler.interval.ms (runs flush.ms)
  int64_t recovery_point_checkpoint_interval_ms = 60'000;   // log.flush.offset.checkpoint.interval.ms
  int64_t log_start_offset_checkpoint_interval_ms = 60'000; // log.flush.start.offset.checkpoint.interval.ms
  int64_t high_watermark_checkpoint_interval_ms = 5'000;    // replica.high.watermark.checkpoint.interval.ms
  int64_t producer_id_expiration_check_interval_ms = 600'000;  // producer.id.expiration.check.interval.ms
  int64_t initial_task_delay_ms = 30'000;              // log.initial.task.delay.ms
  int64_t log_dir_delete_delay_ms = 60'000;            // file.delete.delay.ms of the defaults, for whole logs
  bool cleaner_enable = true;                          // log.cleaner.enable
  int64_t cleaner_backoff_ms = 15'000;                 // log.cleaner.backoff.ms
  cleaner_config cleaner;
  size_t max_open_segment_files = 1024;                // descriptors for sealed segments (all logs)
  bool background_threads = true;                      // false: tests call the run_* methods
};

class log_manager {
 public:
  using topic_config_provider = std::function<log_config(const std::string& topic)>;

  // Loads every log directory. `configs` gives each topic's config (default:
  // config.default_config for all).
  static result<std::unique_ptr<log_manager>> open(io::file_system& fs, const io::clock& clock,
                                                   log_manager_config config, topic_config_provider configs = {});
  // Without shutdown(): the logs are closed without flushing (no marker: the next
  // start recovers, as after a crash).
  ~log_manager();

  result<std::shared_ptr<partition_log>> get_or_create_log(const topic_partition& tp,
                                                           std::optional<log_config> config = std::nullopt);
  std::shared_ptr<partition_log> get_log(const topic_partition& tp) const;
  std::vector<std::shared_ptr<partition_log>> all_logs() const;
  // Kafka's asyncDelete: the log disappears now, its files after the delay.
  status delete_log(const topic_partition& tp);
  void update_topic_config(const std::string& topic, const log_config& config);

  // Clean shutdown: see the header comment. The manager is unusable afterwards.
  status shutdown(int64_t broker_epoch = -1);

  // ---- background tasks (also callable directly) ---------------------------------
  int run_retention_once();
  void run_flush_dirty_logs();
  status write_recovery_point_checkpoints();
  status write_log_start_offset_checkpoints();
  status write_high_watermark_checkpoints();
  void run_producer_expiration();
  // Deletes removed segments and directories whose delay has passed (`all`: every one).
  size_t run_deletions(bool all = false);
  // One cleaner round: cleans the dirtiest compacted log if any is worth it, then
  // applies retention to compact,delete logs. Returns whether a log was cleaned.
  result<bool> run_cleaner_once();
  // Runs the queued flush passes of every directory on this thread (tests).
  size_t run_flush_workers();

  // ---- introspection --------------------------------------------------------------
  const std::vector<std::string>& log_dirs() const { return config_.log_dirs; }
  bool had_clean_shutdown(size_t dir_index) const { return dirs_.at(dir_index).had_clean_shutdown; }
  int64_t load_duration_ms() const { return load_duration_ms_; }
  std::optional<samsa::offset> cleaner_checkpoint(const topic_partition& tp) const;
  const std::shared_ptr<io::open_file_cache>& file_cache() { return cache_; }

 private:
  struct dir_state {
    std::string path;
    std::shared_ptr<flush_worker> flusher;
    std::unique_ptr<io::file_lock> lock;
    bool had_clean_shutdown = false;
    bool loaded_all = false;
  };
  struct log_entry {
    std::shared_ptr<partition_log> log;
    size_t dir = 0;
  };
  class deleter;

  log_manager(io::file_system& fs, const io::clock& clock, log_manager_config config, topic_config_provider configs);
  status load();
  status load_dir(size_t index);
  partition_log_params params_for(const topic_partition& tp, size_t dir_index, const log_config& config);
  log_config config_for(const std::string& topic) const;
  status write_checkpoint(size_t dir_index, std::string_view name,
                          const std::function<int64_t(const partition_log&)>& value);
  status write_cleaner_checkpoint(size_t dir_index);
  void start_threads();
  void stop_threads();
  void scheduler_loop();
  void cleaner_loop();

  io::file_system& fs_;
  const io::clock& clock_;
  log_manager_config config_;
  topic_config_provider configs_;
  std::shared_ptr<io::open_file_cache> cache_;
  std::shared_ptr<deleter> deleter_;
  std::vector<dir_state> dirs_;
  int64_t load_duration_ms_ = 0;

  mutable std::mutex mu_;  // logs_, topic_configs_, cleaner state
  std::map<topic_partition, log_entry> logs_;
  std::unordered_map<std::string, log_config> topic_configs_;
  std::vector<std::map<topic_partition, int64_t>> cleaner_checkpoints_;  // per dir
  std::set<topic_partition> uncleanable_;
  std::mutex checkpoint_mu_;  // serialises checkpoint file writes
  std::mutex cleaner_run_mu_;  // one cleaning at a time
  std::unique_ptr<log_cleaner> cleaner_;

  std::mutex thread_mu_;
  std::condition_variable thread_cv_;
  bool stopping_ = false;
  bool shut_down_ = false;
  std::thread scheduler_;
  std::thread cleaner_thread_;
};

}  // namespace samsa::storage
