// flush_worker with several threads: passes of different logs overlap, passes of
// one log never do, and stop() drains the queue.

#include "storage/durability/flush_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace samsa::storage {
namespace {

// Each pass waits until `expected` passes (of any log) are inside run_flush at
// once, or a deadline passes.
struct rendezvous {
  std::mutex mu;
  std::condition_variable cv;
  int inside = 0;
  int expected = 0;
};

class meeting_log final : public flushable {
 public:
  explicit meeting_log(rendezvous& r) : r_(r) {}
  void run_flush() override {
    std::unique_lock<std::mutex> lk(r_.mu);
    ++r_.inside;
    r_.cv.notify_all();
    met = r_.cv.wait_for(lk, std::chrono::seconds(10), [&] { return r_.inside >= r_.expected; });
  }
  bool met = false;

 private:
  rendezvous& r_;
};

TEST(FlushWorker, PassesOfDifferentLogsRunAtTheSameTime) {
  rendezvous r;
  r.expected = 3;
  flush_worker w("t", 3);
  w.start();
  std::vector<std::shared_ptr<meeting_log>> logs;
  for (int i = 0; i < 3; ++i) logs.push_back(std::make_shared<meeting_log>(r));
  for (auto& l : logs) w.schedule(l);
  w.stop();
  for (auto& l : logs) EXPECT_TRUE(l->met) << "three passes should have been inside run_flush together";
}

// Counts how many threads are inside its pass at once.
class overlap_log final : public flushable {
 public:
  void run_flush() override {
    const int now = inside.fetch_add(1) + 1;
    int seen = max_inside.load();
    while (now > seen && !max_inside.compare_exchange_weak(seen, now)) {
    }
    for (int i = 0; i < 50; ++i) std::this_thread::yield();
    inside.fetch_sub(1);
    runs.fetch_add(1);
  }
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  std::atomic<int> runs{0};
};

TEST(FlushWorker, ALogIsNeverFlushedByTwoThreadsAtOnce) {
  flush_worker w("t", 4);
  w.start();
  auto log = std::make_shared<overlap_log>();
  auto other = std::make_shared<overlap_log>();
  // Requests keep arriving while passes run, as appends do for a busy partition.
  for (int i = 0; i < 2000; ++i) {
    w.schedule(log);
    if (i % 3 == 0) w.schedule(other);
  }
  w.stop();
  EXPECT_EQ(log->max_inside.load(), 1);
  EXPECT_EQ(other->max_inside.load(), 1);
  EXPECT_GE(log->runs.load(), 1);
  EXPECT_EQ(w.queued(), 0u);
}

class counting_log final : public flushable {
 public:
  void run_flush() override { runs.fetch_add(1); }
  std::atomic<int> runs{0};
};

TEST(FlushWorker, StopRunsEveryQueuedPassFirst) {
  flush_worker w("t", 3);
  w.start();
  std::vector<std::shared_ptr<counting_log>> logs;
  for (int i = 0; i < 50; ++i) logs.push_back(std::make_shared<counting_log>());
  for (auto& l : logs) w.schedule(l);
  w.stop();
  for (auto& l : logs) EXPECT_EQ(l->runs.load(), 1);
  EXPECT_EQ(w.queued(), 0u);
}

}  // namespace
}  // namespace samsa::storage
