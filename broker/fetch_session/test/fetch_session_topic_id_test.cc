// Topic ids (Fetch v13+): unknown ids, lazy name resolution, forgetting by id,
// and sessions that switch between name and id versions.

#include <gtest/gtest.h>

#include "broker/fetch_session/test/fetch_session_fixture.h"

namespace samsa::broker {
namespace {

using namespace samsa::broker::testing;
using kind = fetch_context::kind;
using protocol::error_code;

const topic foo{"foo", topic_id(1)};
const topic bar{"bar", topic_id(2)};
const topic zar{"zar", topic_id(3)};

class FetchSessionTopicIds : public ::testing::Test {
 protected:
  fetch_session_cache cache{one_shard(10, 1000)};
  int64_t now = 0;
};

// Mirrors FetchSessionTest.testResolveUnknownPartitions.
TEST_F(FetchSessionTopicIds, UnknownTopicIdsStayInTheSessionAndResolveOnceTheMetadataKnowsThem) {
  map_resolver names;  // the broker knows no topic yet
  auto ctx1 = new_context(cache, request_builder::initial().add(foo, 0).add(bar, 0).add(zar, 0), names, now);
  ASSERT_EQ(ctx1.type(), kind::full);
  EXPECT_EQ(partitions_of(ctx1), (std::vector{unresolved(foo, 0), unresolved(bar, 0), unresolved(zar, 0)}));
  auto resp1 = ctx1.build_response(answer_all_with(ctx1, data(10, 10)), now);
  int32_t id = resp1.session_id;
  ASSERT_NE(id, invalid_session_id);
  EXPECT_EQ(error_of(resp1, "#1-0"), static_cast<int16_t>(error_code::unknown_topic_id));

  names.set(foo.id, foo.name);
  auto ctx2 = new_context(cache, request_builder(latest_version, id, 1), names, now);
  ASSERT_EQ(ctx2.type(), kind::incremental);
  EXPECT_EQ(partitions_of(ctx2), (std::vector{fp(foo, 0), unresolved(bar, 0), unresolved(zar, 0)}));
  auto resp2 = ctx2.build_response(answer_all_with(ctx2, data(10, 10)), now);
  // foo is now readable (it was an error before); the others still fail.
  EXPECT_EQ(names_in(resp2), (std::vector<std::string>{"foo-0", "#2-0", "#3-0"}));

  names.set(bar.id, bar.name);
  auto ctx3 = new_context(cache, request_builder(latest_version, id, 2).add(bar, 0), names, now);
  EXPECT_EQ(partitions_of(ctx3), (std::vector{fp(foo, 0), fp(bar, 0), unresolved(zar, 0)}));
  ctx3.build_response(answer_all_with(ctx3, data(10, 10)), now);

  names.set(zar.id, zar.name);
  auto ctx4 = new_context(cache, request_builder(latest_version, id, 3), names, now);
  EXPECT_EQ(partitions_of(ctx4), (std::vector{fp(foo, 0), fp(bar, 0), fp(zar, 0)}));
  ctx4.build_response(answer_all_with(ctx4, data(10, 10)), now);

  // The topics vanish from the metadata: resolved names are kept.
  map_resolver nothing;
  auto ctx5 = new_context(cache, request_builder(latest_version, id, 4), nothing, now);
  EXPECT_EQ(partitions_of(ctx5), (std::vector{fp(foo, 0), fp(bar, 0), fp(zar, 0)}));
}

// Mirrors FetchSessionTest.testToForgetPartitions (all four combinations).
TEST_F(FetchSessionTopicIds, ForgettingByTopicIdWorksWhetherOrNotTheNameResolves) {
  for (bool starts_resolved : {false, true}) {
    for (bool ends_resolved : {false, true}) {
      SCOPED_TRACE(::testing::Message() << starts_resolved << ends_resolved);
      map_resolver names1, names2;
      if (starts_resolved) names1.set(foo.id, foo.name);
      if (ends_resolved) names2.set(foo.id, foo.name);
      auto ctx1 = new_context(cache, request_builder::initial().add(foo, 0).add(bar, 0), names1, now);
      EXPECT_EQ(partitions_of(ctx1),
                (std::vector{starts_resolved ? fp(foo, 0) : unresolved(foo, 0), unresolved(bar, 0)}));
      int32_t id = ctx1.build_response(answer_all_with(ctx1, data(10, 10)), now).session_id;

      auto ctx2 = new_context(cache, request_builder(latest_version, id, 1).forget(foo, 0), names2, now);
      ASSERT_EQ(ctx2.type(), kind::incremental);
      EXPECT_EQ(partitions_of(ctx2), (std::vector{unresolved(bar, 0)}));
      ctx2.build_response(answer_all_with(ctx2, data(10, 10)), now);

      auto ctx3 = new_context(cache, request_builder(latest_version, id, 2).forget(bar, 0), map_resolver{}, now);
      EXPECT_EQ(ctx3.type(), kind::sessionless);
      EXPECT_TRUE(ctx3.partitions().empty());
    }
  }
}

// Mirrors FetchSessionTest.testFetchSessionWithUnknownIdOldRequestVersion.
TEST_F(FetchSessionTopicIds, RequestsBeforeVersionThirteenUseNamesAndIgnoreTheMetadataIds) {
  map_resolver only_bar{{bar.id, bar.name}};
  auto ctx = new_context(cache, request_builder::initial(last_name_version).add(foo, 0).add(foo, 1), only_bar, now);
  ASSERT_EQ(ctx.type(), kind::full);
  EXPECT_EQ(partitions_of(ctx), (std::vector{fp(foo, 0, 12), fp(foo, 1, 12)}));
  auto resp = ctx.build_response(answer_all_with(ctx, data(10, 10)), now);
  EXPECT_EQ(resp.error_code, 0);
  EXPECT_NE(resp.session_id, invalid_session_id);
  ASSERT_EQ(resp.responses.size(), 1u);
  EXPECT_EQ(resp.responses[0].topic, "foo");
  EXPECT_TRUE(resp.responses[0].topic_id.is_zero());
}

// Mirrors FetchSessionTest.testIncrementalFetchSessionWithIdsWhenSessionDoesNotUseIds.
TEST_F(FetchSessionTopicIds, AVersionThirteenRequestInANameSessionIsFetchSessionTopicIdError) {
  map_resolver names;
  auto ctx1 = new_context(cache, request_builder::initial(last_name_version).add(foo, 0), names, now);
  int32_t id = ctx1.build_response(answer_all_with(ctx1, data(100, 100)), now).session_id;
  names.set(foo.id, foo.name);
  auto ctx2 = new_context(cache, request_builder(13, id, 1), names, now);
  EXPECT_EQ(ctx2.type(), kind::session_error);
  EXPECT_EQ(ctx2.error(), error_code::fetch_session_topic_id_error);
  auto resp = ctx2.build_response({}, now);
  EXPECT_EQ(resp.error_code, static_cast<int16_t>(error_code::fetch_session_topic_id_error));
  EXPECT_EQ(resp.session_id, invalid_session_id);
  // The session itself survives, for a request of the right kind.
  EXPECT_EQ(new_context(cache, request_builder(last_name_version, id, 1), names, now).type(), kind::incremental);
}

// Mirrors FetchSessionTest.testIncrementalFetchSessionWithoutIdsWhenSessionUsesIds.
TEST_F(FetchSessionTopicIds, AVersionTwelveRequestInAnIdSessionIsFetchSessionTopicIdError) {
  map_resolver names{{foo.id, foo.name}};
  auto ctx1 = new_context(cache, request_builder::initial(13).add(foo, 0), names, now);
  int32_t id = ctx1.build_response(answer_all_with(ctx1, data(100, 100)), now).session_id;
  names.erase(foo.id);
  auto ctx2 = new_context(cache, request_builder(last_name_version, id, 1), names, now);
  EXPECT_EQ(ctx2.error(), error_code::fetch_session_topic_id_error);
}

TEST_F(FetchSessionTopicIds, AFullRequestMaySwitchVersionsBecauseItStartsAFreshSession) {
  map_resolver names{{foo.id, foo.name}};
  auto ctx1 = new_context(cache, request_builder::initial(last_name_version).add(foo, 0), names, now);
  int32_t id = ctx1.build_response(answer_all_with(ctx1, data(1)), now).session_id;
  auto ctx2 = new_context(cache, request_builder(latest_version, id, initial_epoch).add(foo, 0), names, now);
  EXPECT_EQ(ctx2.type(), kind::full);
  int32_t id2 = ctx2.build_response(answer_all_with(ctx2, data(1)), now).session_id;
  EXPECT_EQ(new_context(cache, request_builder(latest_version, id2, 1), names, now).type(), kind::incremental);
}

// Mirrors FetchSessionTest.testFetchSessionUpdateTopicIdsBrokerSide.
TEST_F(FetchSessionTopicIds, AnInconsistentTopicIdErrorFromTheReadIsSentInTheIncrementalResponse) {
  map_resolver names{{foo.id, foo.name}, {bar.id, bar.name}};
  auto ctx1 = new_context(cache, request_builder::initial().add(foo, 0).add(bar, 1), names, now);
  std::vector<partition_result> results1{
      {fp(bar, 1), data(10, 10)},
      {fp(foo, 0), error_data(error_code::unknown_topic_or_partition)},
  };
  auto resp1 = ctx1.build_response(results1, now);
  EXPECT_EQ(names_in(resp1), (std::vector<std::string>{"bar-1", "foo-0"}));  // the handler's order
  int32_t id = resp1.session_id;

  // foo was re-created under a new id; the log check finds the session's id stale.
  map_resolver recreated{{bar.id, bar.name}, {topic_id(9), foo.name}};
  auto ctx2 = new_context(cache, request_builder(latest_version, id, 1), recreated, now);
  ASSERT_EQ(ctx2.type(), kind::incremental);
  // The session order follows the first response: bar-1, then foo-0.
  EXPECT_EQ(partitions_of(ctx2), (std::vector{fp(bar, 1), fp(foo, 0)}));
  auto resp2 = ctx2.build_response({{fp(foo, 0), error_data(error_code::inconsistent_topic_id)}}, now);
  EXPECT_EQ(resp2.error_code, 0);
  EXPECT_EQ(error_of(resp2, "foo-0"), static_cast<int16_t>(error_code::inconsistent_topic_id));
}

TEST_F(FetchSessionTopicIds, TheSameNameUnderTwoIdsIsTwoPartitions) {
  const topic old_foo{"foo", topic_id(1)};
  const topic new_foo{"foo", topic_id(7)};
  map_resolver names{{old_foo.id, "foo"}, {new_foo.id, "foo"}};
  auto ctx1 = new_context(cache, request_builder::initial().add(old_foo, 0), names, now);
  int32_t id = ctx1.build_response(answer_all_with(ctx1, data(1)), now).session_id;
  // A client that saw the topic re-created adds the new id and forgets the old one.
  auto ctx2 = new_context(cache, request_builder(latest_version, id, 1).add(new_foo, 0).forget(old_foo, 0), names, now);
  ASSERT_EQ(ctx2.type(), kind::incremental);
  EXPECT_EQ(partitions_of(ctx2), (std::vector{fp(new_foo, 0)}));
}

TEST_F(FetchSessionTopicIds, ResponsesGroupPartitionsByTopicIdEvenWhenTheNameIsUnknown) {
  map_resolver names{{foo.id, foo.name}};
  auto ctx = new_context(cache, request_builder::sessionless().add(bar, 0).add(bar, 1).add(foo, 0), names, now);
  auto resp = ctx.build_response(answer_all_with(ctx, data(3)), now);
  ASSERT_EQ(resp.responses.size(), 2u);
  EXPECT_EQ(resp.responses[0].topic_id, bar.id);
  EXPECT_EQ(resp.responses[0].topic, "");
  EXPECT_EQ(resp.responses[0].partitions.size(), 2u);
  EXPECT_EQ(resp.responses[1].topic_id, foo.id);
  EXPECT_EQ(resp.responses[1].topic, "foo");
}

}  // namespace
}  // namespace samsa::broker
