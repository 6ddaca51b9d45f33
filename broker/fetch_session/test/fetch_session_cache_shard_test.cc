// One cache shard on its own: ids, limits, eviction and accounting.

#include "broker/fetch_session/fetch_session_cache_shard.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>

#include "broker/fetch_session/fetch_metadata.h"

namespace samsa::broker {
namespace {

constexpr int32_t whole_range = std::numeric_limits<int32_t>::max();

std::vector<cached_partition> dummy_partitions(int n) {
  std::vector<cached_partition> out;
  for (int i = 0; i < n; ++i) {
    uuid id;
    id.bytes[0] = static_cast<uint8_t>(i + 1);
    id.bytes[1] = static_cast<uint8_t>((i + 1) >> 8);
    out.push_back(cached_partition{fetch_partition{id, "test", partition_id{i}}, {}});
  }
  return out;
}

void expect_holds_exactly(const fetch_session_cache_shard& shard, std::initializer_list<int32_t> ids) {
  for (int32_t id : ids) EXPECT_NE(shard.get(id), nullptr) << "missing session " << id;
  EXPECT_EQ(shard.size(), ids.size());
}

// Mirrors FetchSessionTest.testNewSessionId.
TEST(FetchSessionCacheShard, NewSessionIdsArePositive) {
  fetch_session_cache_shard shard(3, 100, 0, whole_range, 7);
  for (int i = 0; i < 10000; ++i) EXPECT_GT(shard.new_session_id(), 0);
}

TEST(FetchSessionCacheShard, SessionIdsAreUniqueAndStayInsideTheShardRange) {
  const int32_t range = whole_range / 8;
  fetch_session_cache_shard shard(200, 100, 3, range, 7);
  std::set<int32_t> seen;
  for (int i = 0; i < 200; ++i) {
    int32_t id = shard.maybe_create_session(0, false, true, dummy_partitions(1));
    ASSERT_NE(id, invalid_session_id);
    EXPECT_GE(id, 3 * range);
    EXPECT_LT(id, 4 * range);
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(FetchSessionCacheShard, TheSameSeedGivesTheSameSessionIds) {
  fetch_session_cache_shard a(3, 100, 0, whole_range, 99);
  fetch_session_cache_shard b(3, 100, 0, whole_range, 99);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(a.maybe_create_session(0, false, true, dummy_partitions(1)),
              b.maybe_create_session(0, false, true, dummy_partitions(1)));
  }
}

// Mirrors FetchSessionTest.testSessionCache.
TEST(FetchSessionCacheShard, EvictsStaleSessionsThenLessValuableOldEnoughOnesAndFavoursPrivilegedNewcomers) {
  fetch_session_cache_shard shard(3, 100, 0, whole_range, 1);
  EXPECT_EQ(shard.size(), 0u);
  int32_t id1 = shard.maybe_create_session(0, false, true, dummy_partitions(10));
  int32_t id2 = shard.maybe_create_session(10, false, true, dummy_partitions(20));
  int32_t id3 = shard.maybe_create_session(20, false, true, dummy_partitions(30));
  // Full, nothing stale, nothing old enough to be evicted by size.
  EXPECT_EQ(shard.maybe_create_session(30, false, true, dummy_partitions(40)), invalid_session_id);
  EXPECT_EQ(shard.maybe_create_session(40, false, true, dummy_partitions(5)), invalid_session_id);
  expect_holds_exactly(shard, {id1, id2, id3});

  // id2 (last used at 10) is stale at 210: it goes, although id1 is smaller.
  shard.touch(*shard.get(id1), 200);
  int32_t id4 = shard.maybe_create_session(210, false, true, dummy_partitions(11));
  expect_holds_exactly(shard, {id1, id3, id4});

  // Nothing stale at 410; id1 is the smallest old-enough session and 50 > 10.
  shard.touch(*shard.get(id1), 400);
  shard.touch(*shard.get(id3), 390);
  shard.touch(*shard.get(id4), 400);
  int32_t id5 = shard.maybe_create_session(410, false, true, dummy_partitions(50));
  expect_holds_exactly(shard, {id3, id4, id5});

  // A small unprivileged newcomer is worth less than id4 (11 partitions)...
  EXPECT_EQ(shard.maybe_create_session(410, false, true, dummy_partitions(5)), invalid_session_id);
  // ...but a privileged one is worth more than any unprivileged session.
  int32_t id6 = shard.maybe_create_session(410, true, true, dummy_partitions(5));
  expect_holds_exactly(shard, {id3, id5, id6});
  EXPECT_EQ(shard.evictions(), 3);
}

// Mirrors FetchSessionTest.testResizeCachedSessions.
TEST(FetchSessionCacheShard, CountsCachedPartitionsAsSessionsComeGrowShrinkAndGo) {
  fetch_session_cache_shard shard(2, 100, 0, whole_range, 1);
  EXPECT_EQ(shard.total_partitions(), 0);
  int32_t id1 = shard.maybe_create_session(0, false, true, dummy_partitions(2));
  EXPECT_EQ(shard.total_partitions(), 2);
  int32_t id2 = shard.maybe_create_session(0, false, true, dummy_partitions(4));
  EXPECT_EQ(shard.total_partitions(), 6);
  EXPECT_EQ(shard.evictions(), 0);

  shard.touch(*shard.get(id1), 200);
  auto session2 = shard.get(id2);
  shard.touch(*session2, 200);
  int32_t id3 = shard.maybe_create_session(200, false, true, dummy_partitions(5));
  expect_holds_exactly(shard, {id2, id3});  // id1 (2 partitions) lost to 5 partitions
  EXPECT_EQ(shard.total_partitions(), 9);
  EXPECT_EQ(shard.evictions(), 1);

  EXPECT_TRUE(shard.remove(id3));
  EXPECT_FALSE(shard.remove(id3));
  expect_holds_exactly(shard, {id2});
  EXPECT_EQ(shard.total_partitions(), 4);
  EXPECT_EQ(shard.evictions(), 1);  // closing is not evicting

  // The count follows a session's size when it is next touched.
  session2->update({}, {make_session_key(dummy_partitions(1)[0].partition, true)});
  EXPECT_EQ(session2->size(), 3u);
  EXPECT_EQ(shard.total_partitions(), 4);
  shard.touch(*session2, session2->last_used_ms());
  EXPECT_EQ(shard.total_partitions(), 3);
}

TEST(FetchSessionCacheShard, WithZeroSlotsNoSessionIsEverCreated) {
  fetch_session_cache_shard shard(0, 100, 0, whole_range, 1);
  EXPECT_EQ(shard.maybe_create_session(0, true, true, dummy_partitions(100)), invalid_session_id);
  EXPECT_EQ(shard.maybe_create_session(1'000'000, true, true, dummy_partitions(100)), invalid_session_id);
  EXPECT_EQ(shard.size(), 0u);
}

TEST(FetchSessionCacheShard, StalenessNeedsMoreThanTheEvictionTime) {
  fetch_session_cache_shard shard(1, 100, 0, whole_range, 1);
  int32_t id1 = shard.maybe_create_session(0, true, true, dummy_partitions(1000));
  // Exactly eviction_ms unused is not yet stale (Kafka compares with >).
  EXPECT_EQ(shard.maybe_create_session(100, false, true, dummy_partitions(1)), invalid_session_id);
  int32_t id2 = shard.maybe_create_session(101, false, true, dummy_partitions(1));
  EXPECT_NE(id2, invalid_session_id);
  expect_holds_exactly(shard, {id2});
  EXPECT_EQ(shard.get(id1), nullptr);
}

TEST(FetchSessionCacheShard, ARecentlyCreatedSessionCannotBeEvictedForSizeUntilTouchedWhenOldEnough) {
  fetch_session_cache_shard shard(1, 100, 0, whole_range, 1);
  int32_t small = shard.maybe_create_session(0, false, true, dummy_partitions(1));
  auto s = shard.get(small);
  // Used often (never stale) but only touched while young: not evictable by size.
  shard.touch(*s, 50);
  EXPECT_EQ(shard.maybe_create_session(120, false, true, dummy_partitions(100)), invalid_session_id);
  // Touched when older than eviction_ms: now a bigger newcomer may take its place.
  shard.touch(*s, 120);
  EXPECT_NE(shard.maybe_create_session(130, false, true, dummy_partitions(100)), invalid_session_id);
  EXPECT_EQ(shard.get(small), nullptr);
}

TEST(FetchSessionCacheShard, AYoungPrivilegedSessionIsSafeFromPrivilegedNewcomersUntilOldEnough) {
  fetch_session_cache_shard shard(1, 100, 0, whole_range, 1);
  int32_t follower = shard.maybe_create_session(0, true, true, dummy_partitions(1));
  shard.touch(*shard.get(follower), 50);
  EXPECT_EQ(shard.maybe_create_session(60, true, true, dummy_partitions(100)), invalid_session_id);
  shard.touch(*shard.get(follower), 150);
  EXPECT_NE(shard.maybe_create_session(160, true, true, dummy_partitions(100)), invalid_session_id);
  EXPECT_EQ(shard.get(follower), nullptr);
}

TEST(FetchSessionCacheShard, AnEqualNewcomerDoesNotEvict) {
  fetch_session_cache_shard shard(1, 100, 0, whole_range, 1);
  int32_t id = shard.maybe_create_session(0, false, true, dummy_partitions(5));
  shard.touch(*shard.get(id), 150);
  // (false, 5, 0) < (false, 5, id): same kind and size never displaces.
  EXPECT_EQ(shard.maybe_create_session(160, false, true, dummy_partitions(5)), invalid_session_id);
  EXPECT_NE(shard.maybe_create_session(160, false, true, dummy_partitions(6)), invalid_session_id);
}

TEST(FetchMetadata, EpochsCountUpWrapToOneAndStayFinal) {
  EXPECT_EQ(next_epoch(initial_epoch), 1);
  EXPECT_EQ(next_epoch(41), 42);
  EXPECT_EQ(next_epoch(std::numeric_limits<int32_t>::max()), 1);
  EXPECT_EQ(next_epoch(final_epoch), final_epoch);
  EXPECT_EQ(next_epoch(-7), final_epoch);
  EXPECT_TRUE((fetch_metadata{0, 0}.is_full()));
  EXPECT_TRUE((fetch_metadata{5, -1}.is_full()));
  EXPECT_FALSE((fetch_metadata{5, 1}.is_full()));
}

}  // namespace
}  // namespace samsa::broker
