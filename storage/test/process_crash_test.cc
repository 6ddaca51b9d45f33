// Real-process crash test: a child process (crash_child.cc) appends with fsync
// on the real disk and reports what is durable over a pipe; it is SIGKILLed at
// random times, and after each kill everything it reported durable must be in
// the log, byte for byte, with contiguous offsets and consistent indexes.
// Restarts alternate between a fresh process recovering (unclean) and this
// process recovering and shutting down cleanly.
// Bounds: SAMSA_KILL_ROUNDS (default 12) and 30 s; temp dirs are removed.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "storage/io/posix_file_system.h"
#include "storage/manager/log_manager.h"
#include "storage/test/process_crash_payload.h"

#ifndef SAMSA_CRASH_CHILD_PATH
#error "SAMSA_CRASH_CHILD_PATH must name the storage_crash_child binary"
#endif

namespace samsa::storage {
namespace {

using namespace testing;
using steady = std::chrono::steady_clock;

struct child_result {
  int64_t synced = 0;
  bool reported_anything = false;
};

// Runs the child for about `run_ms`, reading "synced <n>" lines, then kills it.
child_result run_and_kill(const std::string& dir, uint64_t seed, int run_ms) {
  child_result r;
  int fds[2];
  if (::pipe(fds) != 0) return r;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    const std::string s = std::to_string(seed);
    ::execl(SAMSA_CRASH_CHILD_PATH, SAMSA_CRASH_CHILD_PATH, dir.c_str(), s.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  const auto deadline = steady::now() + std::chrono::milliseconds(run_ms);
  std::string buf;
  char chunk[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
    if (left <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;  // the child died on its own
    buf.append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buf.find('\n')) != std::string::npos) {
      const std::string line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (line.rfind("synced ", 0) == 0) {
        r.synced = std::max<int64_t>(r.synced, std::atoll(line.c_str() + 7));
        r.reported_anything = true;
      }
    }
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  // Lines written before the kill but not yet read still count: they were durable.
  ssize_t n;
  while ((n = ::read(fds[0], chunk, sizeof chunk)) > 0) buf.append(chunk, static_cast<size_t>(n));
  size_t nl;
  while ((nl = buf.find('\n')) != std::string::npos) {
    const std::string line = buf.substr(0, nl);
    buf.erase(0, nl + 1);
    if (line.rfind("synced ", 0) == 0) r.synced = std::max<int64_t>(r.synced, std::atoll(line.c_str() + 7));
  }
  ::close(fds[0]);
  return r;
}

TEST(ProcessCrash, EverythingAKilledProcessReportedSyncedIsThereAfterARestart) {
  char tmpl[] = "/tmp/samsa-kill-XXXXXX";
  const std::string root = ::mkdtemp(tmpl);
  const std::string dir = root + "/data";
  const int rounds = std::getenv("SAMSA_KILL_ROUNDS") ? std::atoi(std::getenv("SAMSA_KILL_ROUNDS")) : 12;
  const auto deadline = steady::now() + std::chrono::seconds(30);
  std::mt19937_64 rng(42);
  int64_t best_synced = 0;
  int done = 0;
  for (int round = 0; round < rounds && steady::now() < deadline; ++round) {
    const child_result r = run_and_kill(dir, rng(), 150 + static_cast<int>(rng() % 400));
    best_synced = std::max(best_synced, r.synced);

    io::posix_file_system fs;
    io::system_clock clock;
    log_manager_config config;
    config.log_dirs = {dir};
    config.background_threads = false;
    auto m = log_manager::open(fs, clock, config);
    ASSERT_TRUE(m) << "round " << round << ": " << m.error();
    auto log = (*m)->get_log(topic_partition{kCrashTopic, 0});
    if (best_synced == 0 && !log) continue;  // killed before it created anything
    ASSERT_TRUE(log) << "round " << round;
    EXPECT_GE(log->log_end_offset().value(), best_synced) << "round " << round << ": lost synced data";
    ASSERT_TRUE(log->check_consistency()) << "round " << round << ": " << log->check_consistency().error();
    int64_t expect = 0;
    for (const read_record& rec : read_all(*log)) {
      ASSERT_EQ(rec.offset, expect) << "round " << round << ": offsets not contiguous";
      ASSERT_EQ(rec.value, payload_for(rec.offset, extra_for(rec.offset, 0))) << "round " << round;
      ++expect;
    }
    ASSERT_EQ(expect, log->log_end_offset().value());
    // Half the time this process shuts down cleanly (the child then starts from
    // a clean marker); otherwise it just exits, leaving recovery to the child.
    if (round % 2 == 0) ASSERT_TRUE((*m)->shutdown());
    ++done;
  }
  std::printf("process crash test: %d kills, %lld offsets reported durable\n", done,
              static_cast<long long>(best_synced));
  EXPECT_GT(best_synced, 0);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace samsa::storage
