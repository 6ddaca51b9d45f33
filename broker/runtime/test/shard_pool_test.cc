#include "broker/runtime/shard_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace samsa::broker::runtime {
namespace {

using namespace std::chrono_literals;

constexpr auto kDeadline = 10s;

shard_pool_config with_shards(size_t n) {
  shard_pool_config c;
  c.shards = n;
  return c;
}

TEST(ShardPool, DefaultsToOneShardPerHardwareThread) {
  shard_pool pool;
  EXPECT_EQ(pool.size(), std::max(1u, std::thread::hardware_concurrency()));
}

TEST(ShardPool, PostRunsTheTaskOnTheShardItWasPostedTo) {
  shard_pool pool(with_shards(3));
  pool.start();
  for (uint32_t s = 0; s < 3; ++s) {
    auto seen = pool.submit(shard_id{s}, [&pool] { return pool.current_shard(); });
    ASSERT_EQ(seen.wait_for(kDeadline), std::future_status::ready);
    auto shard = seen.get();
    ASSERT_TRUE(shard.has_value());
    EXPECT_EQ(*shard, shard_id{s});
  }
  pool.stop();
}

TEST(ShardPool, EachShardIsOneThreadForItsWholeLife) {
  shard_pool pool(with_shards(2));
  pool.start();
  std::vector<std::future<std::thread::id>> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(pool.submit(shard_id{static_cast<uint32_t>(i % 2)}, [] { return std::this_thread::get_id(); }));
  std::thread::id first[2];
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(ids[i].wait_for(kDeadline), std::future_status::ready);
    auto id = ids[i].get();
    if (i < 2) first[i] = id;
    else EXPECT_EQ(id, first[i % 2]);
  }
  EXPECT_NE(first[0], first[1]);
  EXPECT_NE(first[0], std::this_thread::get_id());
  pool.stop();
}

TEST(ShardPool, CurrentShardIsEmptyOnOtherThreads) {
  shard_pool pool(with_shards(1));
  pool.start();
  EXPECT_FALSE(pool.current_shard().has_value());
  shard_pool other(with_shards(1));
  other.start();
  // A thread of another pool is not a shard of this one.
  auto seen = other.submit(shard_id{0}, [&pool] { return pool.current_shard(); });
  ASSERT_EQ(seen.wait_for(kDeadline), std::future_status::ready);
  EXPECT_FALSE(seen.get().has_value());
  other.stop();
  pool.stop();
}

TEST(ShardPool, TasksPostedToOneShardRunInPostingOrder) {
  shard_pool pool(with_shards(2));
  pool.start();
  std::vector<int> order;  // touched only on shard 1
  for (int i = 0; i < 1000; ++i) pool.post(shard_id{1}, [&order, i] { order.push_back(i); });
  auto done = pool.submit(shard_id{1}, [&order] { return order; });
  ASSERT_EQ(done.wait_for(kDeadline), std::future_status::ready);
  auto seen = done.get();
  ASSERT_EQ(seen.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(seen[i], i);
  pool.stop();
}

TEST(ShardPool, TasksPostedBeforeStartRunOnceStarted) {
  shard_pool pool(with_shards(1));
  std::promise<void> ran;
  auto f = ran.get_future();
  ASSERT_TRUE(pool.post(shard_id{0}, [&ran] { ran.set_value(); }));
  EXPECT_EQ(f.wait_for(50ms), std::future_status::timeout);
  pool.start();
  EXPECT_EQ(f.wait_for(kDeadline), std::future_status::ready);
  pool.stop();
}

TEST(ShardPool, StopRunsEveryQueuedTaskIncludingTasksPostedWhileDraining) {
  shard_pool pool(with_shards(2));
  pool.start();
  std::atomic<int> ran{0};
  // A chain of tasks hopping between shards: each posts the next one.
  struct hop {
    shard_pool* pool;
    std::atomic<int>* ran;
    int left;
    void operator()() {
      ran->fetch_add(1);
      if (left > 0) pool->post(shard_id{static_cast<uint32_t>(left % 2)}, hop{pool, ran, left - 1});
    }
  };
  for (int i = 0; i < 10; ++i) pool.post(shard_id{0}, hop{&pool, &ran, 99});
  pool.stop();
  EXPECT_EQ(ran.load(), 10 * 100);
}

TEST(ShardPool, PostFromOutsideIsRefusedAfterStop) {
  shard_pool pool(with_shards(1));
  pool.start();
  pool.stop();
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  EXPECT_FALSE(pool.post(shard_id{0}, [t = std::move(token)] {}));
  EXPECT_TRUE(watch.expired());  // the refused task was destroyed, not leaked
  EXPECT_FALSE(pool.running());
}

TEST(ShardPool, SubmitOfARefusedTaskGivesABrokenPromise) {
  shard_pool pool(with_shards(1));
  pool.start();
  pool.stop();
  auto f = pool.submit(shard_id{0}, [] { return 1; });
  EXPECT_THROW(f.get(), std::future_error);
}

TEST(ShardPool, StopWithoutStartIsHarmless) {
  shard_pool pool(with_shards(2));
  pool.stop();
  EXPECT_FALSE(pool.running());
}

TEST(ShardPool, DestructorStopsARunningPool) {
  std::atomic<int> ran{0};
  {
    shard_pool pool(with_shards(2));
    pool.start();
    for (int i = 0; i < 100; ++i) pool.post(shard_id{static_cast<uint32_t>(i % 2)}, [&ran] { ran.fetch_add(1); });
  }
  EXPECT_EQ(ran.load(), 100);
}

TEST(ShardPool, ManyThreadsMayPostConcurrently) {
  shard_pool pool(with_shards(2));
  pool.start();
  std::atomic<int> ran{0};
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&pool, &ran, t] {
      for (int i = 0; i < 500; ++i) pool.post(shard_id{static_cast<uint32_t>((i + t) % 2)}, [&ran] { ran.fetch_add(1); });
    });
  }
  for (auto& p : posters) p.join();
  pool.stop();
  EXPECT_EQ(ran.load(), 2000);
}

}  // namespace
}  // namespace samsa::broker::runtime
