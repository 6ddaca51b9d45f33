#include "broker/net/shared_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace samsa::broker::net {
namespace {

TEST(SharedLimit, AdmitsWhileInUseIsBelowTheLimitEvenPastIt) {
  shared_limit l(1000);
  EXPECT_TRUE(l.try_take(600));
  EXPECT_TRUE(l.try_take(600));  // 600 < 1000: admitted, overshooting (Kafka's non-strict pool)
  EXPECT_EQ(l.in_use(), 1200);
  EXPECT_FALSE(l.try_take(1));
  l.give_back(600);
  EXPECT_TRUE(l.try_take(1));
}

TEST(SharedLimit, AdmitsATakeLargerThanTheWholeLimitWhenNothingIsInUse) {
  shared_limit l(10);
  EXPECT_TRUE(l.try_take(1'000'000));
  EXPECT_FALSE(l.try_take(1));
}

TEST(SharedLimit, UnlimitedAdmitsEverythingAndCountsNothing) {
  shared_limit l(-1);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(l.try_take(1 << 30));
  EXPECT_EQ(l.in_use(), 0);
  l.give_back(5);
}

TEST(SharedLimit, ARefusedTakerIsWokenOnceSomethingIsGivenBack) {
  shared_limit l(1);
  ASSERT_TRUE(l.try_take(1));
  int woken = 0;
  EXPECT_FALSE(l.take_or_wait(1, [&] { ++woken; }));
  EXPECT_EQ(woken, 0);
  l.give_back(1);
  EXPECT_EQ(woken, 1);
  l.give_back(0);
  EXPECT_EQ(woken, 1);  // a waiter runs once
}

TEST(SharedLimit, TakeOrWaitDoesNotRegisterWhenItSucceeds) {
  shared_limit l(1);
  int woken = 0;
  EXPECT_TRUE(l.take_or_wait(1, [&] { ++woken; }));
  l.give_back(1);
  EXPECT_EQ(woken, 0);
}

TEST(SharedLimit, NoWakeUpIsLostUnderConcurrentTakersAndGivers) {
  // Each worker takes one unit, or waits and retries when woken; every unit
  // is given back. All workers must finish.
  shared_limit l(2);
  std::atomic<int> done{0};
  std::atomic<int> wakeups{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        for (int attempt = 0;; ++attempt) {
          std::atomic<bool> woken{false};
          if (l.take_or_wait(1, [&woken] { woken = true; })) break;
          // Bounded wait for the wake-up (no sleep: spin with yield).
          for (int spin = 0; !woken.load() && spin < 50'000'000; ++spin) std::this_thread::yield();
          ASSERT_TRUE(woken.load()) << "lost wake-up";
          wakeups.fetch_add(1);
        }
        l.give_back(1);
      }
      done.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(done.load(), 4);
  EXPECT_EQ(l.in_use(), 0);
}

}  // namespace
}  // namespace samsa::broker::net
