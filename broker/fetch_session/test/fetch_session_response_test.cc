// What an incremental response must carry, the fairness rotation, response
// assembly and response sizes.

#include <gtest/gtest.h>

#include "broker/fetch_session/test/fetch_session_fixture.h"

namespace samsa::broker {
namespace {

using namespace samsa::broker::testing;
using kind = fetch_context::kind;
using protocol::error_code;
using partition_data = protocol::fetch_response::PartitionData;

const topic foo{"foo", topic_id(1)};
const topic bar{"bar", topic_id(2)};
const topic zar{"zar", topic_id(3)};

class IncrementalResponse : public ::testing::Test {
 protected:
  // A session over foo-0 told high watermark 50, log start offset 0.
  void SetUp() override {
    auto ctx = new_context(cache, request_builder::initial().add(foo, 0), names, 0);
    id = ctx.build_response(answer_all_with(ctx, data(50, 0)), 0).session_id;
    ASSERT_NE(id, invalid_session_id);
  }
  // Whether foo-0 answered with `d` appears in the next incremental response.
  bool sent(const partition_data& d) {
    auto ctx = new_context(cache, request_builder(latest_version, id, epoch), names, 0);
    EXPECT_EQ(ctx.type(), kind::incremental);
    epoch = next_epoch(epoch);
    return !ctx.build_response({{fp(foo, 0), d}}, 0).responses.empty();
  }

  fetch_session_cache cache{one_shard(10, 1000)};
  map_resolver names{{foo.id, foo.name}, {bar.id, bar.name}, {zar.id, zar.name}};
  int32_t id = 0;
  int32_t epoch = 1;
};

TEST_F(IncrementalResponse, AnUnchangedPartitionIsLeftOut) {
  EXPECT_FALSE(sent(data(50, 0)));
}

TEST_F(IncrementalResponse, RecordsAreAlwaysSent) {
  EXPECT_TRUE(sent(with_records(data(50, 0))));
  EXPECT_FALSE(sent(data(50, 0)));
}

TEST_F(IncrementalResponse, AMovedHighWatermarkIsSentOnce) {
  EXPECT_TRUE(sent(data(51, 0)));
  EXPECT_FALSE(sent(data(51, 0)));
}

TEST_F(IncrementalResponse, AMovedLogStartOffsetIsSentOnce) {
  EXPECT_TRUE(sent(data(50, 7)));
  EXPECT_FALSE(sent(data(50, 7)));
}

TEST_F(IncrementalResponse, AMovedLastStableOffsetAloneIsNotSentAsInKafka) {
  partition_data d = data(50, 0);
  d.last_stable_offset = 20;
  EXPECT_FALSE(sent(d));
}

TEST_F(IncrementalResponse, APreferredReadReplicaIsAlwaysSent) {
  partition_data d = data(50, 0);
  d.preferred_read_replica = 3;
  EXPECT_TRUE(sent(d));
  EXPECT_TRUE(sent(d));
}

TEST_F(IncrementalResponse, AnErrorIsAlwaysSentAndThePartitionReturnsWhenItClears) {
  partition_data err = error_data(error_code::not_leader_or_follower);
  EXPECT_TRUE(sent(err));
  EXPECT_TRUE(sent(err));
  // Back to the very numbers the fetcher knew before the error: still sent.
  EXPECT_TRUE(sent(data(50, 0)));
  EXPECT_FALSE(sent(data(50, 0)));
}

TEST_F(IncrementalResponse, AnErrorWithAnUnchangedHighWatermarkIsStillSent) {
  partition_data d = data(50, 0);
  d.error_code = static_cast<int16_t>(error_code::kafka_storage_error);
  EXPECT_TRUE(sent(d));
}

// Mirrors FetchSessionTest.testDivergingEpoch.
TEST(IncrementalResponseDivergingEpoch, PartitionsWithADivergingEpochAreAlwaysSent) {
  fetch_session_cache cache{one_shard(10, 1000)};
  map_resolver names{{foo.id, foo.name}, {bar.id, bar.name}};
  auto req = [&](int32_t session, int32_t epoch) {
    return request_builder(latest_version, session, epoch)
        .add(foo, 1, {.fetch_offset = 100, .max_bytes = 1000, .current_leader_epoch = 5, .last_fetched_epoch = 4})
        .add(bar, 2, {.fetch_offset = 100, .max_bytes = 1000, .current_leader_epoch = 5, .last_fetched_epoch = 4});
  };
  partition_data diverging = data(105, 0);
  diverging.diverging_epoch.epoch = 3;
  diverging.diverging_epoch.end_offset = 90;

  auto ctx1 = new_context(cache, req(invalid_session_id, initial_epoch), names, 0);
  auto resp1 = ctx1.build_response({{fp(foo, 1), data(105, 0)}, {fp(bar, 2), diverging}}, 0);
  EXPECT_EQ(names_in(resp1), (std::vector<std::string>{"foo-1", "bar-2"}));

  auto ctx2 = new_context(cache, req(resp1.session_id, 1), names, 0);
  ASSERT_EQ(ctx2.type(), kind::incremental);
  auto resp2 = ctx2.build_response({{fp(foo, 1), data(105, 0)}, {fp(bar, 2), diverging}}, 0);
  EXPECT_EQ(names_in(resp2), (std::vector<std::string>{"bar-2"}));
  auto resp3 = ctx2.build_response({{fp(foo, 1), diverging}, {fp(bar, 2), diverging}}, 0);
  EXPECT_EQ(names_in(resp3), (std::vector<std::string>{"foo-1", "bar-2"}));
  auto resp4 = ctx2.build_response({{fp(foo, 1), data(110, 0)}, {fp(bar, 2), diverging}}, 0);
  EXPECT_EQ(names_in(resp4), (std::vector<std::string>{"foo-1", "bar-2"}));
}

// Mirrors FetchSessionTest.testDeprioritizesPartitionsWithRecordsOnly.
TEST(FetchSessionFairness, OnlyPartitionsThatReturnedRecordsMoveToTheBackOfTheSession) {
  fetch_session_cache cache{one_shard(10, 1000)};
  map_resolver names{{foo.id, foo.name}, {bar.id, bar.name}, {zar.id, zar.name}};
  auto req = [&](int32_t session, int32_t epoch) {
    return request_builder(latest_version, session, epoch).add(foo, 1).add(bar, 2).add(zar, 3);
  };
  auto ctx1 = new_context(cache, req(invalid_session_id, initial_epoch), names, 0);
  int32_t id = ctx1.build_response(answer_all_with(ctx1, data(50, 0)), 0).session_id;

  auto ctx2 = new_context(cache, req(id, 1), names, 0);
  EXPECT_EQ(partitions_of(ctx2), (std::vector{fp(foo, 1), fp(bar, 2), fp(zar, 3)}));
  EXPECT_TRUE(ctx2.build_response({}, 0).responses.empty());

  auto resp = ctx2.build_response({{fp(foo, 1), data(60, 0)},                 // changed, no records
                                   {fp(bar, 2), with_records(data(60, 0))},   // records
                                   {fp(zar, 3), data(50, 0)}},                // unchanged
                                  0);
  EXPECT_EQ(names_in(resp), (std::vector<std::string>{"foo-1", "bar-2"}));

  auto ctx3 = new_context(cache, request_builder(latest_version, id, 2), names, 0);
  EXPECT_EQ(partitions_of(ctx3), (std::vector{fp(foo, 1), fp(zar, 3), fp(bar, 2)}));
}

TEST(FetchSessionFairness, ABusyPartitionCannotKeepTheOthersWaiting) {
  // Three partitions that always have records; the handler can only afford to
  // read the first one it is given each time (a response size limit).
  fetch_session_cache cache{one_shard(10, 1000)};
  map_resolver names{{foo.id, foo.name}};
  auto ctx = new_context(cache, request_builder::initial().add(foo, 0).add(foo, 1).add(foo, 2), names, 0);
  int32_t id = ctx.build_response(answer_all_with(ctx, data(0, 0)), 0).session_id;
  std::vector<std::string> served;
  int32_t epoch = 1;
  for (int i = 0; i < 6; ++i) {
    auto c = new_context(cache, request_builder(latest_version, id, epoch), names, 0);
    epoch = next_epoch(epoch);
    std::vector<partition_result> results;
    for (size_t j = 0; j < c.partitions().size(); ++j) {
      const auto& p = c.partitions()[j].partition;
      results.push_back({p, j == 0 ? with_records(data(1000, 0)) : data(1000, 0)});
    }
    auto resp = c.build_response(results, 0);
    served.push_back("foo-" + std::to_string(c.partitions()[0].partition.partition.value()));
  }
  EXPECT_EQ(served, (std::vector<std::string>{"foo-0", "foo-1", "foo-2", "foo-0", "foo-1", "foo-2"}));
}

// Mirrors FetchSessionTest.testUpdateAndGenerateResponseData.
TEST(FetchResponseAssembly, EveryKindOfContextAnswersUnknownIdsAndErrorsReadablyAndSessionErrorsEmpty) {
  fetch_session_cache cache{one_shard(10, 1000)};
  map_resolver receiving{{foo.id, foo.name}};  // bar is unknown on this broker
  auto answer = [](const fetch_context& c) {
    return answer_all(c, [](const fetch_partition& p) {
      return error_data(p.topic ? error_code::unknown_topic_or_partition : error_code::unknown_topic_id);
    });
  };
  auto check = [](const protocol::fetch_response& r) {
    EXPECT_EQ(error_of(r, "foo-0"), static_cast<int16_t>(error_code::unknown_topic_or_partition));
    EXPECT_EQ(error_of(r, "#2-0"), static_cast<int16_t>(error_code::unknown_topic_id));
  };
  auto c1 = new_context(cache, request_builder::sessionless().add(foo, 0).add(bar, 0), receiving, 0);
  EXPECT_EQ(c1.type(), kind::sessionless);
  check(c1.build_response(answer(c1), 0));

  auto c2 = new_context(cache, request_builder::initial().add(foo, 0).add(bar, 0), receiving, 0);
  EXPECT_EQ(c2.type(), kind::full);
  auto r2 = c2.build_response(answer(c2), 0);
  check(r2);

  auto c3 = new_context(cache, request_builder(latest_version, r2.session_id, 1), receiving, 0);
  EXPECT_EQ(c3.type(), kind::incremental);
  check(c3.build_response(answer(c3), 0));

  auto c4 = new_context(cache, request_builder(latest_version, r2.session_id, 1), receiving, 0);
  EXPECT_EQ(c4.type(), kind::session_error);
  EXPECT_TRUE(c4.build_response(answer(c4), 0).responses.empty());
}

TEST(FetchResponseAssembly, PartitionsKeepTheirOrderAndOnlyNeighboursShareATopicEntry) {
  std::vector<partition_result> results{
      {fp(foo, 0), data(1)}, {fp(foo, 1), data(1)}, {fp(bar, 0), data(1)}, {fp(foo, 2), data(1)}};
  auto resp = make_fetch_response(error_code::none, 77, results);
  EXPECT_EQ(resp.session_id, 77);
  ASSERT_EQ(resp.responses.size(), 3u);
  EXPECT_EQ(resp.responses[0].partitions.size(), 2u);
  EXPECT_EQ(resp.responses[2].topic, "foo");
  EXPECT_EQ(names_in(resp), (std::vector<std::string>{"foo-0", "foo-1", "bar-0", "foo-2"}));
}

TEST(FetchResponseAssembly, AnErrorPartitionHasNoHighWatermark) {
  partition_data d = error_partition_data(error_code::unknown_topic_id);
  EXPECT_EQ(d.error_code, 100);
  EXPECT_EQ(d.high_watermark, -1);
  EXPECT_EQ(d.last_stable_offset, -1);
  EXPECT_EQ(d.log_start_offset, -1);
  EXPECT_TRUE(d.records.is_null());
}

// Kafka's getResponseSize, used for quotas before deciding to throttle.
TEST(FetchResponseSize, IsTheEncodedSizeOfWhatWouldBeSentAndLeavesTheSessionUntouched) {
  fetch_session_cache cache{one_shard(10, 1000)};
  map_resolver names{{foo.id, foo.name}};
  auto ctx1 = new_context(cache, request_builder::initial().add(foo, 0).add(foo, 1), names, 0);
  auto full_results = answer_all_with(ctx1, with_records(data(5), 100));
  size_t full_size = ctx1.response_size(full_results);
  EXPECT_EQ(cache.get_stats().sessions, 0);  // sizing creates nothing
  auto resp1 = ctx1.build_response(full_results, 0);
  EXPECT_EQ(full_size, 4 + resp1.encoded_size(latest_version));

  auto ctx2 = new_context(cache, request_builder(latest_version, resp1.session_id, 1), names, 0);
  std::vector<partition_result> results{{fp(foo, 0), data(5)}, {fp(foo, 1), data(6)}};
  size_t size = ctx2.response_size(results);
  size_t again = ctx2.response_size(results);
  EXPECT_EQ(size, again);  // nothing recorded by sizing
  auto resp2 = ctx2.build_response(results, 0);
  EXPECT_EQ(names_in(resp2), (std::vector<std::string>{"foo-1"}));
  EXPECT_EQ(size, 4 + resp2.encoded_size(latest_version));
  EXPECT_LT(size, full_size);

  auto err = new_context(cache, request_builder(latest_version, 999, 1), names, 0);
  EXPECT_EQ(err.response_size({}), 4 + make_fetch_response(error_code::none, 0, {}).encoded_size(latest_version));
}

}  // namespace
}  // namespace samsa::broker
