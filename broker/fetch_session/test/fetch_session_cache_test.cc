// The whole cache through requests: room, eviction over time, sharding and
// concurrent use.

#include "broker/fetch_session/fetch_session_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <set>
#include <thread>

#include "broker/fetch_session/test/fetch_session_fixture.h"

namespace samsa::broker {
namespace {

using namespace samsa::broker::testing;
using kind = fetch_context::kind;

const topic foo{"foo", topic_id(1)};

class FetchSessionCache : public ::testing::Test {
 protected:
  // A full fetch of foo-0 and foo-1 at `now`; returns the session id given.
  int32_t full_fetch(fetch_session_cache& c, bool is_follower = false) {
    auto ctx = new_context(c, request_builder::initial().add(foo, 0).add(foo, 1), names, now, is_follower);
    EXPECT_EQ(ctx.type(), kind::full);
    return ctx.build_response(answer_all_with(ctx, data(10, 10)), now).session_id;
  }
  void incremental_fetch(fetch_session_cache& c, int32_t id, int32_t epoch) {
    auto ctx = new_context(c, request_builder(latest_version, id, epoch), names, now);
    ASSERT_EQ(ctx.type(), kind::incremental);
    ctx.build_response(answer_all_with(ctx, data(10, 10)), now);
  }

  map_resolver names{{foo.id, foo.name}};
  int64_t now = 0;  // the fake clock, in milliseconds
};

TEST_F(FetchSessionCache, WhenTheCacheIsFullAFullFetchGetsSessionIdZero) {
  fetch_session_cache c{one_shard(2, 1000)};
  EXPECT_NE(full_fetch(c), invalid_session_id);
  EXPECT_NE(full_fetch(c), invalid_session_id);
  auto ctx = new_context(c, request_builder::initial().add(foo, 0), names, now);
  auto resp = ctx.build_response(answer_all_with(ctx, data(1)), now);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_EQ(resp.session_id, invalid_session_id);
  EXPECT_EQ(names_in(resp), (std::vector<std::string>{"foo-0"}));  // the data is still there
  EXPECT_EQ(c.get_stats().sessions, 2);
}

// Mirrors FetchSessionTest.testFetchSessionExpiration.
TEST_F(FetchSessionCache, TheLeastRecentlyUsedSessionIsEvictedOnceUnusedForLongerThanTheEvictionTime) {
  fetch_session_cache c{one_shard(2, 1000)};
  int32_t s1 = full_fetch(c);
  now += 500;
  int32_t s2 = full_fetch(c);
  EXPECT_TRUE(c.contains(s1));
  EXPECT_TRUE(c.contains(s2));
  now += 500;
  incremental_fetch(c, s1, 1);  // s1 used at 1000, s2 last used at 500
  now += 501;                   // 1501: s2 unused for 1001 ms
  int32_t s3 = full_fetch(c);
  EXPECT_NE(s3, invalid_session_id);
  EXPECT_TRUE(c.contains(s1));
  EXPECT_FALSE(c.contains(s2));
  EXPECT_TRUE(c.contains(s3));
  EXPECT_EQ(c.get_stats().evictions, 1);
}

// Mirrors FetchSessionTest.testPrivilegedSessionHandling.
TEST_F(FetchSessionCache, FollowerSessionsEvictConsumerSessionsButAgeOutThemselves) {
  fetch_session_cache c{one_shard(2, 1000)};
  int32_t s1 = full_fetch(c, /*is_follower=*/true);
  now += 500;
  int32_t s2 = full_fetch(c, /*is_follower=*/false);
  now += 500;
  // At 1000 nothing is stale, but the consumer session s2 gives way to a follower.
  int32_t s3 = full_fetch(c, /*is_follower=*/true);
  EXPECT_NE(s3, invalid_session_id);
  EXPECT_TRUE(c.contains(s1));
  EXPECT_FALSE(c.contains(s2));
  EXPECT_TRUE(c.contains(s3));
  now += 501;
  // At 1501 s1 (last used at 0) is stale: privileged or not, it goes.
  int32_t s4 = full_fetch(c, /*is_follower=*/true);
  EXPECT_NE(s4, invalid_session_id);
  EXPECT_FALSE(c.contains(s1));
  EXPECT_TRUE(c.contains(s3));
  EXPECT_TRUE(c.contains(s4));
}

TEST_F(FetchSessionCache, AnIncrementalFetchKeepsItsSessionFromGoingStale) {
  fetch_session_cache c{one_shard(1, 1000)};
  int32_t s1 = full_fetch(c);
  for (int epoch = 1; epoch <= 5; ++epoch) {
    now += 900;
    incremental_fetch(c, s1, epoch);
    EXPECT_EQ(full_fetch(c), invalid_session_id);  // a same-sized newcomer never wins
  }
  now += 1001;
  EXPECT_NE(full_fetch(c), invalid_session_id);
  EXPECT_FALSE(c.contains(s1));
}

// Mirrors FetchSessionTest.testFetchSessionCache_getShardedCache_retrievesCacheFromCorrectSegment.
TEST(FetchSessionCacheShards, ASessionIdNamesItsShard) {
  fetch_session_cache c{fetch_session_cache_config{.max_sessions = 80, .eviction_ms = 1000, .shard_count = 8}};
  const int32_t range = std::numeric_limits<int32_t>::max() / 8;
  EXPECT_EQ(c.shard_count(), 8);
  EXPECT_EQ(c.shard_of(1), 0);
  EXPECT_EQ(c.shard_of(range - 1), 0);
  EXPECT_EQ(c.shard_of(range), 1);
  EXPECT_EQ(c.shard_of(range * 2), 2);
  EXPECT_EQ(c.shard_of(range * 8), -1);
  EXPECT_EQ(c.shard_of(0), -1);
  EXPECT_EQ(c.shard_of(-1), -1);
}

// Mirrors FetchSessionTest.testFetchSessionCache_RoundRobinsIntoShards.
TEST(FetchSessionCacheShards, NewSessionsGoToTheShardsInTurn) {
  fetch_session_cache c{fetch_session_cache_config{.max_sessions = 80, .eviction_ms = 1000, .shard_count = 8}};
  map_resolver names{{foo.id, foo.name}};
  for (int i = 0; i < 16; ++i) {
    auto ctx = new_context(c, request_builder::initial().add(foo, 0), names, 0);
    int32_t id = ctx.build_response(answer_all_with(ctx, data(1)), 0).session_id;
    EXPECT_EQ(c.shard_of(id), i % 8);
  }
  // Each session is found through its id's shard.
  EXPECT_EQ(c.get_stats().sessions, 16);
}

TEST(FetchSessionCacheShards, TheSlotsAreSharedOutAndEachShardEvictsOnlyItsOwn) {
  // 10 slots over 4 shards: 3, 3, 2, 2.
  fetch_session_cache c{fetch_session_cache_config{.max_sessions = 10, .eviction_ms = 1000, .shard_count = 4}};
  map_resolver names{{foo.id, foo.name}};
  std::vector<int32_t> ids;
  for (int i = 0; i < 12; ++i) {
    auto ctx = new_context(c, request_builder::initial().add(foo, 0), names, 0);
    ids.push_back(ctx.build_response(answer_all_with(ctx, data(1)), 0).session_id);
  }
  std::vector<int> per_shard(4, 0);
  for (int32_t id : ids)
    if (id != invalid_session_id) ++per_shard[c.shard_of(id)];
  EXPECT_EQ(per_shard, (std::vector{3, 3, 2, 2}));
  EXPECT_EQ(c.get_stats().sessions, 10);
}

TEST(FetchSessionCacheShards, ManyThreadsFetchingAtOnceKeepEverySessionConsistent) {
  fetch_session_cache c{fetch_session_cache_config{.max_sessions = 64, .eviction_ms = 1'000'000, .shard_count = 4}};
  map_resolver names{{foo.id, foo.name}};
  constexpr int threads = 8;
  constexpr int rounds = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto ctx = new_context(c, request_builder::initial().add(foo, 0).add(foo, t + 1), names, 0);
      int32_t id = ctx.build_response(answer_all_with(ctx, data(0)), 0).session_id;
      if (id == invalid_session_id) {
        ++failures;
        return;
      }
      int32_t epoch = 1;
      for (int r = 0; r < rounds; ++r) {
        auto inc = new_context(c, request_builder(latest_version, id, epoch), names, r);
        if (inc.type() != kind::incremental || inc.partitions().size() != 2) {
          ++failures;
          return;
        }
        epoch = next_epoch(epoch);
        auto resp = inc.build_response(answer_all_with(inc, with_records(data(r + 1))), r);
        if (resp.error_code != 0 || resp.session_id != id || names_in(resp).size() != 2) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(c.get_stats().sessions, threads);
  EXPECT_EQ(c.get_stats().cached_partitions, 2 * threads);
}

}  // namespace
}  // namespace samsa::broker
