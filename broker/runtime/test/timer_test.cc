#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include "broker/runtime/shard_pool.h"

namespace samsa::broker::runtime {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeadline = 10s;

class TimerTest : public ::testing::Test {
 protected:
  TimerTest() : pool_(config()) { pool_.start(); }
  ~TimerTest() override { pool_.stop(); }

  static shard_pool_config config() {
    shard_pool_config c;
    c.shards = 2;
    return c;
  }

  // Waits until everything already queued on the shard has run.
  void settle(shard_id s) {
    auto f = pool_.submit(s, [] {});
    ASSERT_EQ(f.wait_for(kDeadline), std::future_status::ready);
  }

  shard_pool pool_;
};

TEST_F(TimerTest, FiresOnItsShardNoEarlierThanTheDelay) {
  std::promise<std::optional<shard_id>> fired;
  auto f = fired.get_future();
  const auto start = std::chrono::steady_clock::now();
  auto handle = pool_.schedule_after(shard_id{1}, 30ms, [&] { fired.set_value(pool_.current_shard()); });
  ASSERT_EQ(f.wait_for(kDeadline), std::future_status::ready);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
  EXPECT_EQ(f.get(), shard_id{1});
  EXPECT_FALSE(handle.pending());
  EXPECT_FALSE(handle.cancel());  // already ran
}

TEST_F(TimerTest, CancelledTimerNeverRunsAndItsTaskIsDestroyed) {
  std::atomic<bool> ran{false};
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  auto handle = pool_.schedule_after(shard_id{0}, 20ms, [&ran, t = std::move(token)] { ran = true; });
  EXPECT_TRUE(handle.pending());
  EXPECT_TRUE(handle.cancel());
  EXPECT_FALSE(handle.cancel());  // only the first cancel counts
  EXPECT_FALSE(handle.pending());
  // A later timer on the same shard has fired, so the cancelled one's deadline has passed.
  std::promise<void> later;
  pool_.schedule_after(shard_id{0}, 60ms, [&later] { later.set_value(); });
  ASSERT_EQ(later.get_future().wait_for(kDeadline), std::future_status::ready);
  settle(shard_id{0});
  EXPECT_FALSE(ran.load());
  EXPECT_TRUE(watch.expired());
}

TEST_F(TimerTest, CancelFromTheOwningShardDestroysTheTaskAtOnce) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  auto result = pool_.submit(shard_id{0}, [&]() {
    auto h = pool_.schedule_after(shard_id{0}, 1h, [t = std::move(token)] {});
    bool cancelled = h.cancel();
    return cancelled && watch.expired();
  });
  ASSERT_EQ(result.wait_for(kDeadline), std::future_status::ready);
  EXPECT_TRUE(result.get());
}

TEST_F(TimerTest, TimersFireInDeadlineOrder) {
  std::vector<int> order;  // touched only on shard 0
  std::promise<void> done;
  pool_.schedule_after(shard_id{0}, 40ms, [&] { order.push_back(3); done.set_value(); });
  pool_.schedule_after(shard_id{0}, 20ms, [&] { order.push_back(2); });
  pool_.schedule_after(shard_id{0}, 0ms, [&] { order.push_back(1); });
  ASSERT_EQ(done.get_future().wait_for(kDeadline), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(TimerLifecycle, StopCancelsPendingTimersWithoutRunningThem) {
  shard_pool pool(shard_pool_config{.shards = 1});
  pool.start();
  std::atomic<bool> ran{false};
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  auto handle = pool.schedule_after(shard_id{0}, 1h, [&ran, t = std::move(token)] { ran = true; });
  const auto start = std::chrono::steady_clock::now();
  pool.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // did not wait for the hour
  EXPECT_FALSE(ran.load());
  EXPECT_TRUE(watch.expired());
  EXPECT_FALSE(handle.pending());
  EXPECT_FALSE(handle.cancel());
  // Scheduling on a stopped pool is refused.
  EXPECT_FALSE(pool.schedule_after(shard_id{0}, 1ms, [] {}).pending());
}

TEST(TimerLifecycle, StopReleasesATaskThatOwnsTheHolderOfItsOwnHandle) {
  // A waiting fetch keeps its timer_handle and its timer's task keeps the fetch:
  // stopping the pool must break that cycle, or the fetch and its connection leak.
  struct owner {
    timer_handle timer;
  };
  shard_pool pool(shard_pool_config{.shards = 1});
  pool.start();
  auto o = std::make_shared<owner>();
  std::weak_ptr<owner> watch = o;
  o->timer = pool.schedule_after(shard_id{0}, 1h, [o] { (void)o; });
  o.reset();
  ASSERT_FALSE(watch.expired());  // alive through its own timer
  pool.stop();
  EXPECT_TRUE(watch.expired());
}

TEST(TimerLifecycle, InertHandleCancelsNothing) {
  timer_handle h;
  EXPECT_FALSE(h.pending());
  EXPECT_FALSE(h.cancel());
}

}  // namespace
}  // namespace samsa::broker::runtime
