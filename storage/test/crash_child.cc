// The child of the real-process crash test (process_crash_test.cc).
//
//   storage_crash_child <log dir> <seed>
//
// Opens a log manager on the real file system, then appends forever: each record
// carries a value derived from its own offset, so a reader can check every byte
// without knowing what the child did. After each append it requests a flush;
// when the flush worker reports the data durable it prints the durable end
// offset on stdout ("synced <offset>"). The parent SIGKILLs it at a random time.

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>

#include "storage/io/posix_file_system.h"
#include "storage/manager/log_manager.h"
#include "storage/test/process_crash_payload.h"

using namespace samsa;
using namespace samsa::storage;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <log dir> <seed>\n", argv[0]);
    return 2;
  }
  io::posix_file_system fs;
  io::system_clock clock;
  log_manager_config config;
  config.log_dirs = {argv[1]};
  config.default_config.segment_bytes = 256 * 1024;
  config.initial_task_delay_ms = 100;
  config.recovery_point_checkpoint_interval_ms = 200;
  auto m = log_manager::open(fs, clock, config);
  if (!m) {
    std::fprintf(stderr, "open failed: %s\n", m.error().message.c_str());
    return 1;
  }
  auto log = (*m)->get_or_create_log(topic_partition{storage::testing::kCrashTopic, 0});
  if (!log) {
    std::fprintf(stderr, "create failed: %s\n", log.error().message.c_str());
    return 1;
  }
  std::mt19937_64 rng(std::strtoull(argv[2], nullptr, 10));
  std::mutex out_mu;
  std::atomic<int64_t> reported{-1};
  for (;;) {
    const int64_t first = (*log)->log_end_offset().value();
    const int n = 1 + static_cast<int>(rng() % 20);
    std::vector<uint8_t> batch = storage::testing::payload_batch(first, n, rng() % 2000);
    auto a = (*log)->append_as_leader(batch, leader_epoch{0});
    if (!a) {
      std::fprintf(stderr, "append failed: %s\n", a.error().message.c_str());
      return 1;
    }
    if (a->first_offset.value() != first) return 3;
    const int64_t up_to = a->last_offset.value() + 1;
    (*log)->request_flush(offset{up_to}, [&, up_to](status s) {
      if (!s) return;
      std::lock_guard<std::mutex> g(out_mu);
      if (up_to <= reported.load()) return;
      reported.store(up_to);
      char line[64];
      const int len = std::snprintf(line, sizeof line, "synced %lld\n", static_cast<long long>(up_to));
      (void)!::write(1, line, static_cast<size_t>(len));
    });
    if (rng() % 50 == 0) (void)(*log)->roll();
    if (rng() % 4 == 0) ::usleep(static_cast<useconds_t>(rng() % 500));
  }
}
