// librdkafka end to end: a million records across partitions with keys,
// headers and timestamps under every codec, read back byte for byte from the
// earliest offset, from the latest, and from a timestamp (offsetsForTimes).
//
// Records: SAMSA_E2E_RECORDS (environment), else 1,000,000 — 100,000 in
// sanitizer builds (SAMSA_SANITIZE), where everything runs ~10x slower.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <cstdlib>

#include "broker/test/data_rdkafka.h"
#include "broker/test/data_topics_fixture.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

int64_t total_records() {
  if (const char* e = std::getenv("SAMSA_E2E_RECORDS")) return std::max<int64_t>(std::atoll(e), 5 * 4);
#ifdef SAMSA_SANITIZE
  return 100'000;
#else
  return 1'000'000;
#endif
}

constexpr int32_t kPartitions = 4;
const char* const kCodecs[] = {"none", "gzip", "snappy", "lz4", "zstd"};

class DataLibrdkafka : public data_fixture {
 protected:
  rd_kafka_t* producer(const std::string& codec, delivery_log& log, bool idempotent = true) {
    rd_kafka_conf_t* conf = base_conf(bootstrap());
    set(conf, "compression.codec", codec);
    set(conf, "enable.idempotence", idempotent ? "true" : "false");
    set(conf, "linger.ms", "5");
    set(conf, "batch.num.messages", "5000");
    set(conf, "queue.buffering.max.messages", "200000");
    rd_kafka_conf_set_opaque(conf, &log);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    EXPECT_NE(rk, nullptr) << err;
    return rk;
  }
  rd_kafka_t* consumer() {
    rd_kafka_conf_t* conf = base_conf(bootstrap());
    set(conf, "fetch.wait.max.ms", "100");
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    EXPECT_NE(rk, nullptr) << err;
    return rk;
  }
  static void finish(rd_kafka_t* rk, delivery_log& log, int64_t expected) {
    EXPECT_EQ(rd_kafka_flush(rk, 120'000), RD_KAFKA_RESP_ERR_NO_ERROR);
    EXPECT_EQ(log.failed.load(), 0) << log.first_error;
    EXPECT_EQ(log.delivered.load(), expected);
    rd_kafka_destroy(rk);
  }
};

TEST_F(DataLibrdkafka, AMillionRecordsUnderEveryCodecComeBackByteForByte) {
  const int64_t per_codec = total_records() / 5;
  const int64_t base_ts = 1'700'000'000'000;
  for (const char* codec : kCodecs) {
    SCOPED_TRACE(codec);
    const std::string topic = std::string("e2e-") + codec;
    create_topic(topic, kPartitions);
    delivery_log log;
    rd_kafka_t* p = producer(codec, log);
    produce_records(p, topic, codec, 0, per_codec, kPartitions, base_ts);
    finish(p, log, per_codec);

    // Offsets are contiguous per partition and records kept their order.
    std::map<int32_t, int64_t> next_offset;
    std::map<int32_t, int64_t> last_index;
    for (const auto& [where, i] : log.placed) {
      ASSERT_EQ(where.second, next_offset[where.first]++) << "partition " << where.first;
      ASSERT_EQ(i % kPartitions, where.first);
      ASSERT_GT(i, last_index.contains(where.first) ? last_index[where.first] : -1);
      last_index[where.first] = i;
    }

    rd_kafka_t* c = consumer();
    for (int32_t part = 0; part < kPartitions; ++part) {
      const int64_t expected = next_offset[part];
      int64_t seen = read_partition(c, topic, part, RD_KAFKA_OFFSET_BEGINNING, expected, 60s,
                                    [&](const rd_kafka_message_t* m) {
                                      const int64_t i = log.placed.at({part, m->offset});
                                      ASSERT_TRUE(same_record(m, record_of(codec, i, base_ts)));
                                    });
      EXPECT_EQ(seen, expected) << "partition " << part;
    }
    rd_kafka_destroy(c);
  }
}

TEST_F(DataLibrdkafka, AConsumerStartingAtTheLatestOffsetSeesOnlyNewRecords) {
  create_topic("latest", 1);
  const int64_t base_ts = 1'700'000'000'000;
  delivery_log old_log;
  rd_kafka_t* p = producer("lz4", old_log);
  produce_records(p, "latest", "old", 0, 1000, 1, base_ts);
  finish(p, old_log, 1000);

  rd_kafka_t* c = consumer();
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(c, "latest", nullptr);
  ASSERT_EQ(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_END), 0);
  // Let the consumer resolve the end offset before new records arrive.
  rd_kafka_message_t* none = rd_kafka_consume(rkt, 0, 1000);
  if (none) rd_kafka_message_destroy(none);

  delivery_log new_log;
  rd_kafka_t* p2 = producer("snappy", new_log);
  produce_records(p2, "latest", "new", 0, 500, 1, base_ts);
  finish(p2, new_log, 500);
  int64_t got = 0;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (got < 500 && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consume(rkt, 0, 200);
    if (!m) continue;
    if (!m->err) {
      EXPECT_EQ(m->offset, 1000 + got);
      EXPECT_TRUE(same_record(m, record_of("new", got, base_ts)));
      ++got;
    }
    rd_kafka_message_destroy(m);
  }
  EXPECT_EQ(got, 500);
  rd_kafka_consume_stop(rkt, 0);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(c);
}

TEST_F(DataLibrdkafka, OffsetsForTimesFindsTheFirstRecordAtOrAfterATimestamp) {
  create_topic("times", 2);
  const int64_t base_ts = 1'700'000'000'000;
  delivery_log log;
  rd_kafka_t* p = producer("zstd", log);
  produce_records(p, "times", "t", 0, 20'000, 2, base_ts);
  finish(p, log, 20'000);

  rd_kafka_t* c = consumer();
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(2);
  const int64_t wanted_ts = base_ts + 12'345;
  rd_kafka_topic_partition_list_add(parts, "times", 0)->offset = wanted_ts;
  rd_kafka_topic_partition_list_add(parts, "times", 1)->offset = wanted_ts;
  ASSERT_EQ(rd_kafka_offsets_for_times(c, parts, 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  for (int k = 0; k < parts->cnt; ++k) {
    const int32_t part = parts->elems[k].partition;
    ASSERT_EQ(parts->elems[k].err, RD_KAFKA_RESP_ERR_NO_ERROR);
    // Record i has timestamp base_ts + i and sits in partition i % 2 at offset i / 2.
    int64_t first = 12'345;
    while (first % 2 != part) ++first;
    EXPECT_EQ(parts->elems[k].offset, first / 2) << "partition " << part;
    int64_t next = first;
    int64_t seen = read_partition(c, "times", part, parts->elems[k].offset, 100, 30s, [&](const rd_kafka_message_t* m) {
      EXPECT_TRUE(same_record(m, record_of("t", next, base_ts)));
      next += 2;
    });
    EXPECT_EQ(seen, 100);
  }
  rd_kafka_topic_partition_list_destroy(parts);

  // Earliest and latest through the same API (ListOffsets -2 / -1).
  int64_t low = -1, high = -1;
  ASSERT_EQ(rd_kafka_query_watermark_offsets(c, "times", 0, &low, &high, 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(low, 0);
  EXPECT_EQ(high, 10'000);
  rd_kafka_destroy(c);
}

}  // namespace
}  // namespace samsa::broker::testing
