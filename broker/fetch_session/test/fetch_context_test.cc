// The four kinds of fetch context and the session lifecycle: create, continue,
// change, close, and the session errors.

#include <gtest/gtest.h>

#include "broker/fetch_session/test/fetch_session_fixture.h"

namespace samsa::broker {
namespace {

using namespace samsa::broker::testing;
using kind = fetch_context::kind;
using protocol::error_code;

const topic foo{"foo", topic_id(1)};
const topic bar{"bar", topic_id(2)};

class FetchContext : public ::testing::Test {
 protected:
  // Creates a session over foo-0 (fetch offset 0) and foo-1 (fetch offset 10).
  int32_t create_foo_session(int16_t version = latest_version) {
    auto ctx = new_context(cache, request_builder::initial(version)
                                      .add(foo, 0, {.fetch_offset = 0})
                                      .add(foo, 1, {.fetch_offset = 10}),
                           names, now);
    EXPECT_EQ(ctx.type(), kind::full);
    auto resp = ctx.build_response(answer_all(ctx, [](const fetch_partition& p) {
                                     return p.partition.value() == 0 ? data(100, 100) : data(10, 10);
                                   }),
                                   now);
    EXPECT_EQ(resp.error_code, 0);
    EXPECT_NE(resp.session_id, invalid_session_id);
    return resp.session_id;
  }

  fetch_session_cache cache{one_shard(10, 1000)};
  map_resolver names{{foo.id, foo.name}, {bar.id, bar.name}};
  int64_t now = 1000;
};

// Mirrors the LEGACY part of FetchSessionTest.testFetchRequests.
TEST_F(FetchContext, SessionlessFetchReadsEveryPartitionAndKeepsNoSession) {
  auto ctx = new_context(cache, request_builder::sessionless().add(foo, 0).add(bar, 1), names, now);
  EXPECT_EQ(ctx.type(), kind::sessionless);
  EXPECT_EQ(partitions_of(ctx), (std::vector{fp(foo, 0), fp(bar, 1)}));
  auto resp = ctx.build_response(answer_all_with(ctx, data(5)), now);
  EXPECT_EQ(resp.session_id, invalid_session_id);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_EQ(names_in(resp), (std::vector<std::string>{"foo-0", "bar-1"}));
  EXPECT_EQ(cache.get_stats().sessions, 0);
}

TEST_F(FetchContext, RequestsBeforeVersionSevenAreAlwaysSessionless) {
  // v6 has no session fields; whatever the struct says, the wire cannot carry them.
  protocol::fetch_request req = request_builder(6, 0, 0).add(foo, 0).decoded();
  req.session_epoch = initial_epoch;
  auto ctx = cache.new_context(req, 6, false, names, now);
  EXPECT_EQ(ctx.type(), kind::sessionless);
  EXPECT_EQ(ctx.build_response(answer_all_with(ctx, data(5)), now).session_id, invalid_session_id);
}

// Mirrors FetchSessionTest.testFetchRequests (the full request).
TEST_F(FetchContext, FullFetchWithEpochZeroCreatesASessionAndReturnsItsId) {
  auto ctx = new_context(cache, request_builder::initial().add(foo, 0, {.fetch_offset = 0}).add(foo, 1, {.fetch_offset = 10}),
                         names, now);
  ASSERT_EQ(ctx.type(), kind::full);
  EXPECT_EQ(ctx.session_id(), invalid_session_id);  // known only once the response is built
  ASSERT_EQ(ctx.partitions().size(), 2u);
  EXPECT_EQ(ctx.partitions()[0].partition, fp(foo, 0));
  EXPECT_EQ(ctx.partitions()[1].state.fetch_offset, offset{10});
  auto resp = ctx.build_response(answer_all_with(ctx, data(100)), now);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_NE(resp.session_id, invalid_session_id);
  EXPECT_EQ(names_in(resp), (std::vector<std::string>{"foo-0", "foo-1"}));
  EXPECT_TRUE(cache.contains(resp.session_id));
  EXPECT_EQ(cache.get_stats().cached_partitions, 2);
}

// Mirrors FetchSessionTest.testFetchRequests (the incremental requests).
TEST_F(FetchContext, IncrementalFetchReturnsOnlyPartitionsWhoseStateChanged) {
  int32_t id = create_foo_session();
  auto ctx = new_context(cache, request_builder(latest_version, id, 1), names, now);
  ASSERT_EQ(ctx.type(), kind::incremental);
  EXPECT_EQ(ctx.session_id(), id);
  // The session remembers both partitions and their fetch state.
  EXPECT_EQ(partitions_of(ctx), (std::vector{fp(foo, 0), fp(foo, 1)}));
  EXPECT_EQ(ctx.partitions()[1].state.fetch_offset, offset{10});

  // Nothing moved: an empty response in the same session.
  auto same = answer_all(ctx, [](const fetch_partition& p) {
    return p.partition.value() == 0 ? data(100, 100) : data(10, 10);
  });
  auto resp = ctx.build_response(same, now);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_EQ(resp.session_id, id);
  EXPECT_TRUE(resp.responses.empty());

  // foo-1's high watermark moved: only foo-1 is sent.
  auto ctx2 = new_context(cache, request_builder(latest_version, id, 2), names, now);
  auto moved = answer_all(ctx2, [](const fetch_partition& p) {
    return p.partition.value() == 0 ? data(100, 100) : data(11, 10);
  });
  EXPECT_EQ(names_in(ctx2.build_response(moved, now)), (std::vector<std::string>{"foo-1"}));
}

// Mirrors FetchSessionTest.testIncrementalFetchSession (with and without ids).
TEST_F(FetchContext, IncrementalFetchAddsNewPartitionsAndDropsForgottenOnes) {
  for (int16_t version : {latest_version, last_name_version}) {
    SCOPED_TRACE(version);
    int32_t id = create_foo_session(version);
    auto ctx = new_context(cache,
                           request_builder(version, id, 1).add(bar, 0, {.fetch_offset = 15, .max_bytes = 0}).forget(foo, 0),
                           names, now);
    ASSERT_EQ(ctx.type(), kind::incremental);
    // Kept partitions stay in place; added ones go to the end.
    EXPECT_EQ(partitions_of(ctx), (std::vector{fp(foo, 1, version), fp(bar, 0, version)}));
    EXPECT_EQ(ctx.partitions()[0].state.fetch_offset, offset{10});
    EXPECT_EQ(ctx.partitions()[1].state.fetch_offset, offset{15});
    auto resp = ctx.build_response(answer_all(ctx, [](const fetch_partition&) { return data(10, 10); }), now);
    EXPECT_EQ(resp.error_code, 0);
    EXPECT_EQ(resp.session_id, id);
    // foo-1 is unchanged (10/10); bar-0 is new to the fetcher.
    EXPECT_EQ(names_in(resp), (std::vector<std::string>{"bar-0"}));
  }
}

TEST_F(FetchContext, IncrementalFetchReplacesTheFetchStateOfAListedPartition) {
  int32_t id = create_foo_session();
  auto ctx = new_context(
      cache,
      request_builder(latest_version, id, 1)
          .add(foo, 1, {.fetch_offset = 20, .max_bytes = 7, .current_leader_epoch = 3, .last_fetched_epoch = 2}),
      names, now);
  ASSERT_EQ(ctx.partitions().size(), 2u);
  EXPECT_EQ(ctx.partitions()[1].partition, fp(foo, 1));  // keeps its place
  const partition_fetch_state& s = ctx.partitions()[1].state;
  EXPECT_EQ(s.fetch_offset, offset{20});
  EXPECT_EQ(s.max_bytes, 7);
  EXPECT_EQ(s.current_leader_epoch, leader_epoch{3});
  EXPECT_EQ(s.last_fetched_epoch, leader_epoch{2});
}

// Mirrors FetchSessionTest.testCachedLeaderEpoch and testLastFetchedEpoch.
TEST_F(FetchContext, LeaderEpochsComeBackFromTheSessionAndMinusOneMeansNone) {
  auto ctx = new_context(cache,
                         request_builder::initial()
                             .add(foo, 0)
                             .add(foo, 1, {.current_leader_epoch = 1, .last_fetched_epoch = 0})
                             .add(bar, 1, {.current_leader_epoch = 2, .last_fetched_epoch = -1}),
                         names, now);
  int32_t id = ctx.build_response(answer_all_with(ctx, data(10)), now).session_id;
  auto next = new_context(cache, request_builder(latest_version, id, 1), names, now);
  ASSERT_EQ(next.partitions().size(), 3u);
  EXPECT_EQ(next.partitions()[0].state.current_leader_epoch, std::nullopt);
  EXPECT_EQ(next.partitions()[0].state.last_fetched_epoch, std::nullopt);
  EXPECT_EQ(next.partitions()[1].state.current_leader_epoch, leader_epoch{1});
  EXPECT_EQ(next.partitions()[1].state.last_fetched_epoch, leader_epoch{0});
  EXPECT_EQ(next.partitions()[2].state.current_leader_epoch, leader_epoch{2});
  EXPECT_EQ(next.partitions()[2].state.last_fetched_epoch, std::nullopt);
}

// Mirrors FetchSessionTest.testFetchRequests (invalid epoch, requests 3 and 6).
TEST_F(FetchContext, AWrongEpochIsInvalidFetchSessionEpochAndLeavesTheSessionAlone) {
  int32_t id = create_foo_session();
  auto ctx = new_context(cache, request_builder(latest_version, id, 5).add(foo, 0), names, now);
  EXPECT_EQ(ctx.type(), kind::session_error);
  EXPECT_EQ(ctx.error(), error_code::invalid_fetch_session_epoch);
  EXPECT_TRUE(ctx.partitions().empty());
  auto resp = ctx.build_response({}, now);
  EXPECT_EQ(resp.error_code, static_cast<int16_t>(error_code::invalid_fetch_session_epoch));
  EXPECT_EQ(resp.session_id, invalid_session_id);
  EXPECT_TRUE(resp.responses.empty());
  // Epoch 1 still works.
  EXPECT_EQ(new_context(cache, request_builder(latest_version, id, 1), names, now).type(), kind::incremental);
}

TEST_F(FetchContext, ReplayingAnEpochAfterItWasUsedIsInvalidFetchSessionEpoch) {
  int32_t id = create_foo_session();
  EXPECT_EQ(new_context(cache, request_builder(latest_version, id, 1), names, now).type(), kind::incremental);
  auto again = new_context(cache, request_builder(latest_version, id, 1), names, now);
  EXPECT_EQ(again.error(), error_code::invalid_fetch_session_epoch);
  EXPECT_EQ(new_context(cache, request_builder(latest_version, id, 2), names, now).type(), kind::incremental);
}

// Mirrors FetchSessionTest.testFetchRequests (request 4).
TEST_F(FetchContext, AnUnknownSessionIdIsFetchSessionIdNotFound) {
  int32_t id = create_foo_session();
  for (int32_t unknown : {id + 1, 0, -5, std::numeric_limits<int32_t>::max()}) {
    auto ctx = new_context(cache, request_builder(latest_version, unknown, 1).add(foo, 0), names, now);
    EXPECT_EQ(ctx.type(), kind::session_error);
    EXPECT_EQ(ctx.error(), error_code::fetch_session_id_not_found) << unknown;
    EXPECT_EQ(ctx.build_response({}, now).error_code, static_cast<int16_t>(error_code::fetch_session_id_not_found));
  }
}

// Mirrors FetchSessionTest.testFetchRequests (request 8).
TEST_F(FetchContext, FinalEpochWithASessionIdClosesTheSessionAndIsSessionless) {
  int32_t id = create_foo_session();
  auto ctx = new_context(cache, request_builder(latest_version, id, final_epoch).add(bar, 0).add(bar, 1), names, now);
  EXPECT_EQ(ctx.type(), kind::sessionless);
  EXPECT_FALSE(cache.contains(id));
  EXPECT_EQ(cache.get_stats().sessions, 0);
  auto resp = ctx.build_response(answer_all_with(ctx, data(100)), now);
  EXPECT_EQ(resp.session_id, invalid_session_id);
  EXPECT_EQ(names_in(resp), (std::vector<std::string>{"bar-0", "bar-1"}));
  // The closed id is gone for good.
  EXPECT_EQ(new_context(cache, request_builder(latest_version, id, 1), names, now).error(),
            error_code::fetch_session_id_not_found);
}

TEST_F(FetchContext, InitialEpochWithASessionIdReplacesTheSessionWithANewOne) {
  int32_t id = create_foo_session();
  auto ctx = new_context(cache, request_builder(latest_version, id, initial_epoch).add(bar, 0), names, now);
  EXPECT_EQ(ctx.type(), kind::full);
  EXPECT_FALSE(cache.contains(id));
  int32_t fresh = ctx.build_response(answer_all_with(ctx, data(1)), now).session_id;
  EXPECT_NE(fresh, invalid_session_id);
  EXPECT_NE(fresh, id);
  EXPECT_EQ(cache.get_stats().sessions, 1);
}

// Mirrors FetchSessionTest.testZeroSizeFetchSession.
TEST_F(FetchContext, ForgettingEveryPartitionClosesTheSession) {
  int32_t id = create_foo_session();
  auto ctx = new_context(cache, request_builder(latest_version, id, 1).forget(foo, 0).forget(foo, 1), names, now);
  EXPECT_EQ(ctx.type(), kind::sessionless);
  auto resp = ctx.build_response({}, now);
  EXPECT_EQ(resp.session_id, invalid_session_id);
  EXPECT_TRUE(resp.responses.empty());
  EXPECT_EQ(cache.get_stats().sessions, 0);
}

TEST_F(FetchContext, AFullFetchOfNothingStillCreatesAnEmptySessionAsKafkaDoes) {
  auto ctx = new_context(cache, request_builder::initial(), names, now);
  int32_t id = ctx.build_response({}, now).session_id;
  EXPECT_NE(id, invalid_session_id);
  // Its first incremental request leaves it empty, which closes it.
  EXPECT_EQ(new_context(cache, request_builder(latest_version, id, 1), names, now).type(), kind::sessionless);
  EXPECT_FALSE(cache.contains(id));
}

// Mirrors FetchSessionTest.testFetchRequests (request 7).
TEST_F(FetchContext, AThrottledIncrementalResponseCarriesNoDataButKeepsTheSession) {
  int32_t id = create_foo_session();
  auto ctx = new_context(cache, request_builder(latest_version, id, 1), names, now);
  auto resp = ctx.throttled_response(100);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_EQ(resp.session_id, id);
  EXPECT_EQ(resp.throttle_time_ms, 100);
  EXPECT_TRUE(resp.responses.empty());
  // The epoch moved on with the request, and nothing was recorded as sent:
  // the next request sees the partitions as they were.
  auto next = new_context(cache, request_builder(latest_version, id, 2), names, now);
  ASSERT_EQ(next.type(), kind::incremental);
  auto unchanged = answer_all(next, [](const fetch_partition& p) {
    return p.partition.value() == 0 ? data(100, 100) : data(10, 10);
  });
  EXPECT_TRUE(next.build_response(unchanged, now).responses.empty());
}

TEST_F(FetchContext, AThrottledFullResponseCreatesNoSession) {
  auto ctx = new_context(cache, request_builder::initial().add(foo, 0), names, now);
  auto resp = ctx.throttled_response(250);
  EXPECT_EQ(resp.session_id, invalid_session_id);
  EXPECT_EQ(resp.throttle_time_ms, 250);
  EXPECT_TRUE(resp.responses.empty());
  EXPECT_EQ(cache.get_stats().sessions, 0);
}

TEST_F(FetchContext, AThrottledSessionErrorAnswersWithoutAnErrorAsKafkaDoes) {
  auto ctx = new_context(cache, request_builder(latest_version, 12345, 3), names, now);
  ASSERT_EQ(ctx.type(), kind::session_error);
  auto resp = ctx.throttled_response(10);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_EQ(resp.session_id, invalid_session_id);
}

TEST_F(FetchContext, ARequestThatOvertookAnotherInTheSameSessionMakesTheSlowerOneAnswerInvalidEpoch) {
  int32_t id = create_foo_session();
  auto slow = new_context(cache, request_builder(latest_version, id, 1), names, now);
  auto fast = new_context(cache, request_builder(latest_version, id, 2).forget(foo, 0), names, now);
  ASSERT_EQ(fast.type(), kind::incremental);
  EXPECT_EQ(fast.build_response(answer_all_with(fast, data(10, 10)), now).error_code, 0);
  auto resp = slow.build_response(answer_all_with(slow, data(999)), now);
  EXPECT_EQ(resp.error_code, static_cast<int16_t>(error_code::invalid_fetch_session_epoch));
  EXPECT_EQ(resp.session_id, id);
  EXPECT_TRUE(resp.responses.empty());
  EXPECT_EQ(slow.throttled_response(5).error_code, static_cast<int16_t>(error_code::invalid_fetch_session_epoch));
}

TEST_F(FetchContext, ARequestInFlightWhenItsSessionIsClosedStillGetsItsAnswer) {
  int32_t id = create_foo_session();
  auto in_flight = new_context(cache, request_builder(latest_version, id, 1), names, now);
  // Another request closes the session meanwhile.
  new_context(cache, request_builder(latest_version, id, final_epoch), names, now);
  ASSERT_FALSE(cache.contains(id));
  auto resp = in_flight.build_response(answer_all_with(in_flight, data(500, 100)), now);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_EQ(resp.session_id, id);
  EXPECT_EQ(names_in(resp), (std::vector<std::string>{"foo-0", "foo-1"}));
  // The fetcher learns on its next request.
  EXPECT_EQ(new_context(cache, request_builder(latest_version, id, 2), names, now).error(),
            error_code::fetch_session_id_not_found);
}

TEST_F(FetchContext, APartitionListedTwiceKeepsItsFirstPlaceAndItsLastState) {
  auto ctx = new_context(cache,
                         request_builder::initial()
                             .add(foo, 0, {.fetch_offset = 1})
                             .add(bar, 0)
                             .add(foo, 0, {.fetch_offset = 9}),
                         names, now);
  ASSERT_EQ(partitions_of(ctx), (std::vector{fp(foo, 0), fp(bar, 0)}));
  EXPECT_EQ(ctx.partitions()[0].state.fetch_offset, offset{9});
}

TEST_F(FetchContext, FollowerRequestsCreatePrivilegedSessions) {
  fetch_session_cache small{one_shard(1, 1000)};
  auto consumer = new_context(small, request_builder::initial().add(foo, 0), names, now);
  int32_t consumer_id = consumer.build_response(answer_all_with(consumer, data(1)), now).session_id;
  auto follower = new_context(small, request_builder::initial().add(foo, 0), names, now, /*is_follower=*/true);
  int32_t follower_id = follower.build_response(answer_all_with(follower, data(1)), now).session_id;
  EXPECT_NE(follower_id, invalid_session_id);
  EXPECT_FALSE(small.contains(consumer_id));
  // A consumer cannot push the young follower session out.
  auto consumer2 = new_context(small, request_builder::initial().add(foo, 0).add(foo, 1), names, now);
  EXPECT_EQ(consumer2.build_response(answer_all_with(consumer2, data(1)), now).session_id, invalid_session_id);
}

}  // namespace
}  // namespace samsa::broker
