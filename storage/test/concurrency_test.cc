// The sharing model of partition_log under real threads (run it under TSan):
// one owner thread appends, reads, truncates and requests flushes, as a shard
// would; the fetched file slices are copied on another thread, as the network
// layer would; meanwhile the manager's scheduler (retention, flush.ms,
// checkpoints, deletions), cleaner and flush workers run on their own threads,
// with a tiny open-file cache so descriptors are evicted under the readers.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "protocol/records/batch_iterator.h"
#include "storage/io/posix_file_system.h"
#include "storage/manager/log_manager.h"
#include "storage/test/log_fixture.h"

namespace samsa::storage {
namespace {

using namespace samsa::storage::testing;

struct pending_slice {
  std::shared_ptr<const protocol::spliced_source> records;
  int64_t fetch_offset = 0;
  uint64_t truncations_at_read = 0;
  bool compacted = false;
};

// Hands slices from the owner thread to the "network" thread.
class slice_queue {
 public:
  void push(pending_slice s) {
    std::lock_guard<std::mutex> g(mu_);
    q_.push_back(std::move(s));
    cv_.notify_one();
  }
  void close() {
    std::lock_guard<std::mutex> g(mu_);
    closed_ = true;
    cv_.notify_one();
  }
  bool pop(pending_slice& out) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] { return closed_ || !q_.empty(); });
    if (q_.empty()) return false;
    out = std::move(q_.front());
    q_.pop_front();
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<pending_slice> q_;
  bool closed_ = false;
};

class Concurrency : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/samsa-conc-XXXXXX";
    root = ::mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(root); }

  std::string root;
  io::posix_file_system fs;
  io::system_clock clock;
};

TEST_F(Concurrency, SlicesStayWholeOnOtherThreadsWhileRetentionCleaningAndFlushesRun) {
  log_manager_config mc;
  mc.log_dirs = {root + "/d0", root + "/d1"};
  mc.initial_task_delay_ms = 0;
  mc.retention_check_interval_ms = 2;
  mc.flush_scheduler_interval_ms = 3;
  mc.recovery_point_checkpoint_interval_ms = 4;
  mc.log_start_offset_checkpoint_interval_ms = 4;
  mc.high_watermark_checkpoint_interval_ms = 4;
  mc.producer_id_expiration_check_interval_ms = 5;
  mc.cleaner_backoff_ms = 2;
  mc.max_open_segment_files = 4;
  mc.default_config.segment_bytes = 16 * 1024;
  mc.default_config.index_interval_bytes = 512;
  mc.default_config.retention_bytes = 64 * 1024;
  mc.default_config.file_delete_delay_ms = 0;
  mc.default_config.flush_ms = 5;
  for (const auto& d : mc.log_dirs) ASSERT_TRUE(fs.make_dir(d));
  auto m = log_manager::open(fs, clock, mc);
  ASSERT_TRUE(m) << m.error();
  std::unique_ptr<log_manager> manager = std::move(*m);

  log_config compacted = mc.default_config;
  compacted.cleanup_delete = false;
  compacted.cleanup_compact = true;
  compacted.segment_bytes = 8 * 1024;
  compacted.min_cleanable_dirty_ratio = 0.01;
  compacted.delete_retention_ms = 0;
  auto plain_log = manager->get_or_create_log(topic_partition{"plain", 0});
  auto compact_log = manager->get_or_create_log(topic_partition{"compact", 0}, compacted);
  ASSERT_TRUE(plain_log && compact_log);
  std::shared_ptr<partition_log> logs[2] = {*plain_log, *compact_log};

  slice_queue queue;
  std::atomic<uint64_t> truncations{0};
  std::atomic<int64_t> slices_checked{0};
  std::atomic<int64_t> flushes_done{0};
  std::atomic<int64_t> flush_failures{0};
  std::atomic<bool> network_failed{false};

  std::thread network([&] {
    pending_slice s;
    while (queue.pop(s)) {
      std::vector<uint8_t> bytes(s.records->size());
      s.records->copy_to(bytes.data());
      // A truncation after the read may shorten the file under the slice (see
      // file_slice_source.h); only slices no truncation raced are checked.
      if (truncations.load() != s.truncations_at_read) continue;
      protocol::batch_iterator it(bytes);
      int64_t last = -1;
      bool first = true;
      while (it.next()) {
        const auto& b = it.batch();
        if (b.base_offset().value() <= last) network_failed = true;
        if (first && !s.compacted && b.last_offset().value() < s.fetch_offset) network_failed = true;
        first = false;
        last = b.last_offset().value();
      }
      if (it.error() || it.position() != bytes.size() || first) network_failed = true;
      slices_checked.fetch_add(1);
    }
  });

  // Joins the network thread even when an assertion below returns early.
  struct joiner {
    slice_queue& q;
    std::thread& t;
    ~joiner() {
      q.close();
      if (t.joinable()) t.join();
    }
  } join_network{queue, network};

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  uint64_t seed = 12345;
  auto rnd = [&seed](uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  int64_t flushes_requested = 0;
  int rounds = 0;
  while (std::chrono::steady_clock::now() < deadline && rounds < 20'000) {
    ++rounds;
    for (int which = 0; which < 2; ++which) {
      partition_log& log = *logs[which];
      std::vector<uint8_t> batch = simple_batch(1 + static_cast<int>(rnd(8)), 100, clock.now_ms());
      auto a = log.append_as_leader(batch, leader_epoch{0});
      ASSERT_TRUE(a) << a.error();
      ++flushes_requested;
      log.request_flush(offset{a->last_offset.value() + 1}, [&](status st) {
        (st ? flushes_done : flush_failures).fetch_add(1);
      });
      if (rnd(50) == 0 && log.log_end_offset().value() - log.log_start_offset().value() > 10) {
        // A follower-style truncation of the last few offsets.
        truncations.fetch_add(1);
        ASSERT_TRUE(log.truncate_to(offset(log.log_end_offset().value() - 1 - static_cast<int64_t>(rnd(5)))));
      }
      log.update_high_watermark(log.log_end_offset());
      const int64_t start = log.log_start_offset().value();
      const int64_t span = log.log_end_offset().value() - start;
      if (span <= 0) continue;
      const int64_t from = start + static_cast<int64_t>(rnd(static_cast<uint64_t>(span)));
      auto r = log.read(offset{from}, 4096 + static_cast<int64_t>(rnd(32 * 1024)), fetch_isolation::high_watermark,
                        true);
      // Retention may move the log start past `from` between the two loads above.
      if (!r) {
        ASSERT_EQ(r.code(), errc::offset_out_of_range) << r.error();
        continue;
      }
      if (r->records) queue.push({r->records, from, truncations.load(), which == 1});
    }
  }
  queue.close();
  network.join();

  // Every flush request is answered (a truncation fails the ones above it).
  for (int i = 0; i < 2000 && flushes_done + flush_failures < flushes_requested; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(flushes_done + flush_failures, flushes_requested);
  EXPECT_FALSE(network_failed.load());
  EXPECT_GT(slices_checked.load(), 100);
  EXPECT_GT(logs[0]->log_start_offset().value(), 0) << "retention should have run";
  ASSERT_TRUE(manager->shutdown());
  manager.reset();

  // What the threads left behind is a consistent log that loads cleanly. Background
  // tasks and the cleaner stay off in the reopened manager: retention would otherwise
  // move the log start while the check below reads from it.
  mc.initial_task_delay_ms = 3'600'000;
  mc.cleaner_enable = false;
  auto again = log_manager::open(fs, clock, mc);
  ASSERT_TRUE(again) << again.error();
  for (auto& l : (*again)->all_logs()) {
    auto bytes = read_all_bytes(*l);
    EXPECT_FALSE(records_of(bytes).empty());
  }
  ASSERT_TRUE((*again)->shutdown());
}

}  // namespace
}  // namespace samsa::storage
