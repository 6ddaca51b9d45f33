// Produce over a real socket: offsets, acks, and Kafka's error for every kind
// of bad input (corrupt, oversized, lying lengths, bad timestamps, ...).

#include <gtest/gtest.h>

#include "broker/test/data_topics_fixture.h"
#include "broker/test/data_wire.h"
#include "common/endian.h"
#include "protocol/records/batch_view.h"
#include "protocol/error_code.h"
#include "protocol/generated/api_versions.h"
#include "protocol/generated/init_producer_id.h"
#include "storage/log/partition_log.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;

int16_t code(error_code e) { return static_cast<int16_t>(e); }

class DataProduce : public data_fixture {
 protected:
  void SetUp() override {
    data_fixture::SetUp();
    if (HasFatalFailure()) return;
    topic_id_ = create_topic("events", 3);
  }
  std::shared_ptr<storage::partition_log> log_of(const std::string& topic, int32_t p) {
    return services().logs->get_log({topic, p});
  }
  int64_t new_producer_id(wire_client& c) {
    protocol::init_producer_id_request req;
    req.transactional_id = std::nullopt;
    req.transaction_timeout_ms = 60000;
    EXPECT_TRUE(c.send(4, 99, req));
    auto r = c.read_response<protocol::init_producer_id_response>(4, 99);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->error_code, 0);
    EXPECT_EQ(r->producer_epoch, 0);
    return r->producer_id;
  }
  uuid topic_id_;
};

TEST_F(DataProduce, AnAcksOneProduceGetsContiguousBaseOffsetsAndTheLogStartOffset) {
  wire_client c(port());
  auto first = produce_one(c, "events", 0, make_batch(5));
  ASSERT_TRUE(first);
  EXPECT_EQ(only_partition(*first).error_code, 0);
  EXPECT_EQ(only_partition(*first).base_offset, 0);
  EXPECT_EQ(only_partition(*first).log_start_offset, 0);
  EXPECT_EQ(only_partition(*first).log_append_time_ms, -1);
  auto second = produce_one(c, "events", 0, make_batch(3));
  ASSERT_TRUE(second);
  EXPECT_EQ(only_partition(*second).base_offset, 5);
  auto log = log_of("events", 0);
  EXPECT_EQ(log->log_end_offset().value(), 8);
  EXPECT_EQ(log->high_watermark().value(), 8) << "a single replica's high watermark follows the log end";
}

TEST_F(DataProduce, EveryProduceVersionFromThreeToElevenIsServed) {
  wire_client c(port());
  for (int16_t v = 3; v <= 11; ++v) {
    auto r = produce(c, {{"events", 1, make_batch(1)}}, 1, v, 100 + v);
    ASSERT_TRUE(r) << "v" << v;
    EXPECT_EQ(only_partition(*r).error_code, 0) << "v" << v;
    EXPECT_EQ(only_partition(*r).base_offset, v - 3) << "v" << v;
  }
}

TEST_F(DataProduce, VersionsBelowThreeCloseTheConnectionAlthoughAdvertised) {
  wire_client c(port());
  ASSERT_TRUE(c.send(2, 1, produce_request_of({{"events", 0, make_batch(1)}}, 1)));
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(DataProduce, UnknownTopicsAndPartitionsAreAnsweredUnknownTopicOrPartition) {
  wire_client c(port());
  auto r = produce(c, {{"missing", 0, make_batch(1)}, {"events", 7, make_batch(1)}, {"events", 2, make_batch(1)}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->responses.size(), 2u);
  EXPECT_EQ(r->responses[0].name, "missing");
  EXPECT_EQ(r->responses[0].partition_responses[0].error_code, code(error_code::unknown_topic_or_partition));
  EXPECT_EQ(r->responses[0].partition_responses[0].base_offset, -1);
  ASSERT_EQ(r->responses[1].partition_responses.size(), 2u);
  EXPECT_EQ(r->responses[1].partition_responses[0].error_code, code(error_code::unknown_topic_or_partition));
  EXPECT_EQ(r->responses[1].partition_responses[1].error_code, 0) << "the good partition is still appended";
}

TEST_F(DataProduce, AcksOtherThanZeroOneOrAllAreInvalidRequiredAcks) {
  wire_client c(port());
  auto r = produce(c, {{"events", 0, make_batch(1)}}, 2);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::invalid_required_acks));
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 0);
}

TEST_F(DataProduce, ABatchWithABadCrcIsCorruptMessageAndNothingIsAppended) {
  wire_client c(port());
  auto batch = make_batch(4);
  batch.back() ^= 0x5a;
  auto r = produce_one(c, "events", 0, batch);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::corrupt_message));
  EXPECT_EQ(only_partition(*r).log_start_offset, -1);
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 0);
}

TEST_F(DataProduce, ASizeFieldBelowTheMinimumFailsTheWholeRequestWithCorruptMessage) {
  wire_client c(port());
  auto bad = make_batch(1);
  store_be<int32_t>(bad.data() + 8, 10);
  auto r = produce(c, {{"events", 0, make_batch(1)}, {"events", 1, bad}});
  ASSERT_TRUE(r);
  for (const auto& p : r->responses[0].partition_responses) {
    EXPECT_EQ(p.error_code, code(error_code::corrupt_message));
    EXPECT_TRUE(p.error_message.has_value());
  }
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 0) << "Kafka fails the request before any append";
}

TEST_F(DataProduce, ASizeFieldLongerThanTheBytesSentIsInvalidRecord) {
  wire_client c(port());
  auto lying = make_batch(2);
  store_be<int32_t>(lying.data() + 8, static_cast<int32_t>(lying.size()) + 100);
  auto r = produce_one(c, "events", 0, lying);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::invalid_record));
}

TEST_F(DataProduce, AnEmptyRecordsFieldIsInvalidRecordAndNullRecordsAreUnknownServerError) {
  wire_client c(port());
  auto empty = produce_one(c, "events", 0, {});
  ASSERT_TRUE(empty);
  EXPECT_EQ(only_partition(*empty).error_code, code(error_code::invalid_record));
  auto null = produce(c, {{"events", 0, std::nullopt}}, 1, 9, 2);
  ASSERT_TRUE(null);
  EXPECT_EQ(only_partition(*null).error_code, code(error_code::unknown_server_error));
}

TEST_F(DataProduce, ARecordsLengthLongerThanTheRequestClosesTheConnection) {
  // The records field claims more bytes than the frame holds: the body does
  // not parse, and Kafka closes the connection without an answer.
  auto frame = wire_client::encode_request(9, 1, produce_request_of({{"events", 0, make_batch(1)}}, 1));
  std::vector<uint8_t> cut(frame.begin(), frame.end() - 10);
  wire_client c(port());
  ASSERT_TRUE(c.send_frame(cut));
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 0);
}

TEST_F(DataProduce, APartitionLedElsewhereIsNotLeaderOrFollowerWithTheLeaderNamedFromV10) {
  create_topic("elsewhere", 1);
  reshape_partitions("elsewhere", [](partition_metadata& p) {
    p.leader = 7;
    p.leader_epoch = 3;
  });
  wire_client c(port());
  auto r = produce(c, {{"elsewhere", 0, make_batch(1)}}, 1, 10);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::not_leader_or_follower));
  EXPECT_EQ(only_partition(*r).current_leader.leader_id, 7);
  EXPECT_EQ(only_partition(*r).current_leader.leader_epoch, 3);
  EXPECT_TRUE(r->node_endpoints.empty()) << "broker 7 is not registered";
}

TEST_F(DataProduce, TwoBatchesForOnePartitionAreInvalidRecord) {
  wire_client c(port());
  auto two = make_batch(1);
  auto second = make_batch(1);
  two.insert(two.end(), second.begin(), second.end());
  auto r = produce_one(c, "events", 0, two);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::invalid_record));
}

TEST_F(DataProduce, ATrailingPartialBatchIsIgnoredAsKafkaDoes) {
  wire_client c(port());
  auto batch = make_batch(2);
  auto partial = make_batch(2);
  batch.insert(batch.end(), partial.begin(), partial.begin() + 20);
  auto r = produce_one(c, "events", 0, batch);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, 0);
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 2);
}

TEST_F(DataProduce, ZstdBeforeVersionSevenIsUnsupportedCompressionType) {
  wire_client c(port());
  protocol::batch_builder_options o;
  o.compression = protocol::compression_codec::zstd;
  auto r = produce(c, {{"events", 0, make_batch(3, o)}}, 1, 6);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::unsupported_compression_type));
  auto v7 = produce(c, {{"events", 0, make_batch(3, o)}}, 1, 7, 2);
  ASSERT_TRUE(v7);
  EXPECT_EQ(only_partition(*v7).error_code, 0);
}

TEST_F(DataProduce, AnUnknownCodecFailsTheWholeRequestBeforeVersionSevenAndOnePartitionAfter) {
  wire_client c(port());
  auto bad = make_batch(1);
  bad[22] = static_cast<uint8_t>((bad[22] & ~0x07) | 0x06);  // codec 6, with a valid CRC
  protocol::mutable_batch_view::from_prefix(bad).value().update_crc();
  auto v6 = produce(c, {{"events", 0, bad}, {"events", 1, make_batch(1)}}, 1, 6);
  ASSERT_TRUE(v6);
  for (const auto& p : v6->responses[0].partition_responses) EXPECT_EQ(p.error_code, code(error_code::unknown_server_error));
  auto v9 = produce(c, {{"events", 0, bad}, {"events", 1, make_batch(1)}}, 1, 9, 2);
  ASSERT_TRUE(v9);
  EXPECT_EQ(v9->responses[0].partition_responses[0].error_code, code(error_code::unknown_server_error));
  EXPECT_EQ(v9->responses[0].partition_responses[1].error_code, 0);
}

class DataProduceLimits : public DataProduce {
 protected:
  void SetUp() override {
    DataProduce::SetUp();
    if (HasFatalFailure()) return;
    create_topic("small", 1, {{"max.message.bytes", "200"}});
    create_topic("strict-time", 1, {{"message.timestamp.before.max.ms", "60000"}});
    create_topic("compacted", 1, {{"cleanup.policy", "compact"}});
    create_topic("append-time", 1, {{"message.timestamp.type", "LogAppendTime"}});
  }
};

TEST_F(DataProduceLimits, ABatchOverMaxMessageBytesIsMessageTooLarge) {
  wire_client c(port());
  auto r = produce_one(c, "small", 0, make_batch(20));
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::message_too_large));
  EXPECT_EQ(only_partition(*r).log_start_offset, -1);
}

TEST_F(DataProduceLimits, AnOldTimestampIsInvalidTimestampWithTheRecordNamed) {
  wire_client c(port());
  auto r = produce_one(c, "strict-time", 0, make_batch(2, {}, 1'000'000));
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::invalid_timestamp));
  EXPECT_FALSE(only_partition(*r).record_errors.empty());
  EXPECT_TRUE(only_partition(*r).error_message.has_value());
  EXPECT_EQ(only_partition(*r).log_start_offset, 0) << "validation errors carry the log start offset";
}

TEST_F(DataProduceLimits, ANullKeyOnACompactedTopicIsInvalidRecordWithRecordErrors) {
  wire_client c(port());
  protocol::batch_builder b({});
  std::string v = "no key";
  protocol::record_input in;
  in.value = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), v.size());
  ASSERT_TRUE(b.append(in).ok());
  auto r = produce_one(c, "compacted", 0, b.build().value());
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::invalid_record));
  ASSERT_EQ(only_partition(*r).record_errors.size(), 1u);
  EXPECT_EQ(only_partition(*r).record_errors[0].batch_index, 0);
}

TEST_F(DataProduceLimits, ALogAppendTimeTopicAnswersTheAppendTime) {
  wire_client c(port());
  auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  auto r = produce_one(c, "append-time", 0, make_batch(2));
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, 0);
  EXPECT_GE(only_partition(*r).log_append_time_ms, before);
}

TEST_F(DataProduce, AcksZeroGetsNoAnswerAndTheNextRequestIsAnsweredNormally) {
  wire_client c(port());
  ASSERT_TRUE(c.send(9, 1, produce_request_of({{"events", 0, make_batch(2)}}, 0)));
  auto r = produce(c, {{"events", 0, make_batch(1)}}, 1, 9, 2);
  ASSERT_TRUE(r) << "the acks=1 answer is the first frame";
  EXPECT_EQ(only_partition(*r).base_offset, 2);
}

TEST_F(DataProduce, AcksZeroWithAnErrorClosesTheConnectionAsKafkaDoes) {
  wire_client c(port());
  ASSERT_TRUE(c.send(9, 1, produce_request_of({{"missing", 0, make_batch(2)}}, 0)));
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(DataProduce, TransactionalBatchesWithoutATransactionalIdFailTheRequest) {
  wire_client c(port());
  protocol::batch_builder_options o;
  o.is_transactional = true;
  o.producer_id = producer_id{5};
  o.producer_epoch = producer_epoch{0};
  o.base_sequence = 0;
  auto r = produce(c, {{"events", 0, make_batch(1, o)}});
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::transactional_id_authorization_failed));
}

// Before __transaction_state exists the verification finds no coordinator
// (txn_wire_test.cc covers verification with one).
TEST_F(DataProduce, TransactionalBatchesAreNotEnoughReplicasWithoutATransactionCoordinator) {
  wire_client c(port());
  protocol::batch_builder_options o;
  o.is_transactional = true;
  o.producer_id = producer_id{5};
  o.producer_epoch = producer_epoch{0};
  o.base_sequence = 0;
  auto r = produce(c, {{"events", 0, make_batch(1, o)}}, 1, 9, 1, std::string("txn-1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::not_enough_replicas));
  EXPECT_NE(only_partition(*r).error_message.value_or("").find("COORDINATOR_NOT_AVAILABLE"), std::string::npos);
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 0);
}

TEST_F(DataProduce, InternalTopicsAreInvalidTopicExceptionForClients) {
  // Kafka refuses to create internal topics by request; rename one in the image.
  create_topic("not-internal-yet", 1);
  {
    auto next = std::make_shared<metadata_image>(*services().metadata->current());
    auto t = next->topics.extract("not-internal-yet");
    t.key() = "__consumer_offsets";
    t.mapped().name = "__consumer_offsets";
    t.mapped().internal = true;
    next->topic_names_by_id[t.mapped().id] = "__consumer_offsets";
    next->topics.insert(std::move(t));
    services().metadata->publish_metadata(next);
  }
  wire_client c(port());
  auto r = produce_one(c, "__consumer_offsets", 0, make_batch(1));
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, code(error_code::invalid_topic_exception));
}

TEST_F(DataProduce, AcksAllIsAnsweredOnlyOnceTheDataIsDurable) {
  wire_client c(port());
  for (int i = 0; i < 5; ++i) {
    auto r = produce(c, {{"events", 0, make_batch(10)}}, -1, 9, i);
    ASSERT_TRUE(r);
    EXPECT_EQ(only_partition(*r).error_code, 0);
    EXPECT_GE(log_of("events", 0)->recovery_point().value(), only_partition(*r).base_offset + 10)
        << "everything acknowledged is below the recovery point (fsynced)";
  }
}

TEST_F(DataProduce, AcksAllWithAZeroTimeoutTimesOutUnlessTheFlushIsAlreadyDone) {
  wire_client c(port());
  auto r = produce(c, {{"events", 0, make_batch(10)}}, -1, 9, 1, std::nullopt, 0);
  ASSERT_TRUE(r);
  const int16_t e = only_partition(*r).error_code;
  EXPECT_TRUE(e == 0 || e == code(error_code::request_timed_out)) << e;
  EXPECT_EQ(only_partition(*r).base_offset, 0) << "the data was appended either way, as in Kafka";
}

TEST_F(DataProduce, PipelinedProducesOfOneConnectionAppendInRequestOrder) {
  wire_client c(port());
  constexpr int kRequests = 60;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(c.send(9, i, produce_request_of({{"events", 2, make_batch(1 + i % 3)}}, i % 2 ? -1 : 1)));
  }
  int64_t expected = 0;
  for (int i = 0; i < kRequests; ++i) {
    auto r = c.read_response<protocol::produce_response>(9, i, 10s);
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(only_partition(*r).base_offset, expected) << i;
    expected += 1 + i % 3;
  }
}

TEST_F(DataProduce, AnIdempotentRetryGetsTheOriginalOffsetsAndIsNotAppendedTwice) {
  wire_client c(port());
  const int64_t pid = new_producer_id(c);
  protocol::batch_builder_options o;
  o.producer_id = producer_id{pid};
  o.producer_epoch = producer_epoch{0};
  o.base_sequence = 0;
  auto batch = make_batch(4, o);
  auto first = produce_one(c, "events", 0, batch);
  ASSERT_TRUE(first);
  EXPECT_EQ(only_partition(*first).error_code, 0);
  produce_one(c, "events", 0, make_batch(1));  // someone else's record in between
  auto retry = produce_one(c, "events", 0, batch);
  ASSERT_TRUE(retry);
  EXPECT_EQ(only_partition(*retry).error_code, 0);
  EXPECT_EQ(only_partition(*retry).base_offset, only_partition(*first).base_offset);
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 5);
}

TEST_F(DataProduce, ASequenceGapIsOutOfOrderSequenceNumber) {
  wire_client c(port());
  const int64_t pid = new_producer_id(c);
  protocol::batch_builder_options o;
  o.producer_id = producer_id{pid};
  o.producer_epoch = producer_epoch{0};
  o.base_sequence = 0;
  ASSERT_EQ(only_partition(*produce_one(c, "events", 0, make_batch(2, o))).error_code, 0);
  o.base_sequence = 5;
  auto gap = produce_one(c, "events", 0, make_batch(2, o));
  ASSERT_TRUE(gap);
  EXPECT_EQ(only_partition(*gap).error_code, code(error_code::out_of_order_sequence_number));
  EXPECT_EQ(only_partition(*gap).log_start_offset, 0);
}

TEST_F(DataProduce, AnOlderProducerEpochIsInvalidProducerEpoch) {
  wire_client c(port());
  const int64_t pid = new_producer_id(c);
  protocol::batch_builder_options o;
  o.producer_id = producer_id{pid};
  o.producer_epoch = producer_epoch{3};
  o.base_sequence = 0;
  ASSERT_EQ(only_partition(*produce_one(c, "events", 0, make_batch(1, o))).error_code, 0);
  o.producer_epoch = producer_epoch{2};
  o.base_sequence = 1;
  auto fenced = produce_one(c, "events", 0, make_batch(1, o));
  ASSERT_TRUE(fenced);
  EXPECT_EQ(only_partition(*fenced).error_code, code(error_code::invalid_producer_epoch));
}

TEST_F(DataProduce, APartitionNamedTwiceIsAppendedOnceAndAnsweredOnce) {
  wire_client c(port());
  auto r = produce(c, {{"events", 0, make_batch(1)}, {"events", 0, make_batch(3)}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->responses[0].partition_responses.size(), 1u);
  EXPECT_EQ(log_of("events", 0)->log_end_offset().value(), 3) << "the last one named wins, as in Kafka's map";
}

TEST_F(DataProduce, ATopicsOwnMinInsyncReplicasIsCappedAtItsReplicaCountToo) {
  create_topic("strict-isr", 1, {{"min.insync.replicas", "3"}});
  wire_client c(port());
  auto r = produce(c, {{"strict-isr", 0, make_batch(1)}}, -1);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, 0);
}

class DataProduceMinIsr : public data_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"min.insync.replicas", "2"}};
  }
};

TEST_F(DataProduceMinIsr, AcksAllToASingleReplicaTopicSucceedsWhateverMinInsyncReplicasSays) {
  create_topic("one-replica", 1);
  wire_client c(port());
  auto r = produce(c, {{"one-replica", 0, make_batch(1)}}, -1);
  ASSERT_TRUE(r);
  EXPECT_EQ(only_partition(*r).error_code, 0) << "Kafka 3.7+ caps min.insync.replicas at the replica count";
}

TEST_F(DataProduceMinIsr, AcksAllWithAnIsrBelowMinInsyncReplicasIsNotEnoughReplicas) {
  create_topic("shrunk", 1);
  const int32_t self = services().node_id;
  reshape_partitions("shrunk", [self](partition_metadata& p) {
    p.replicas = {self, 99};
    p.isr = {self};
  });
  wire_client c(port());
  auto all = produce(c, {{"shrunk", 0, make_batch(1)}}, -1);
  ASSERT_TRUE(all);
  EXPECT_EQ(only_partition(*all).error_code, code(error_code::not_enough_replicas));
  EXPECT_EQ(only_partition(*all).log_start_offset, 0);
  auto one = produce(c, {{"shrunk", 0, make_batch(1)}}, 1, 9, 2);
  ASSERT_TRUE(one);
  EXPECT_EQ(only_partition(*one).error_code, 0) << "acks=1 does not care about the ISR";
}

}  // namespace
}  // namespace samsa::broker::testing
