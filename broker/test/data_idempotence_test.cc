// The idempotent producer against lost responses: librdkafka with
// enable.idempotence=true behind a proxy that drops connections after the
// broker has appended but before the client hears back. librdkafka retries
// with the same sequence numbers; the broker must answer the retries with the
// original offsets and never append twice.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include "broker/test/data_flaky_proxy.h"
#include "broker/test/data_rdkafka.h"
#include "broker/test/data_topics_fixture.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

class DataIdempotence : public data_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    // Clients learn the proxy's address from Metadata, so every connection goes through it.
    return {{"advertised.listeners", "PLAINTEXT://127.0.0.1:" + std::to_string(proxy_.port())}};
  }
  void SetUp() override {
    data_fixture::SetUp();
    if (HasFatalFailure()) return;
    proxy_.start(port());
  }
  void TearDown() override {
    proxy_.stop();
    data_fixture::TearDown();
  }
  std::string proxied() const { return "127.0.0.1:" + std::to_string(proxy_.port()); }

  flaky_proxy proxy_{0.15, 25, 20241025};
};

TEST_F(DataIdempotence, RetriesAfterLostResponsesLeaveEveryRecordExactlyOnceInOrder) {
  constexpr int32_t kPartitions = 3;
  constexpr int64_t kRecords = 30'000;
  create_topic("exactly-once", kPartitions);
  const int64_t base_ts = 1'700'000'000'000;

  delivery_log log;
  rd_kafka_conf_t* conf = base_conf(proxied());
  set(conf, "enable.idempotence", "true");
  set(conf, "linger.ms", "2");
  set(conf, "batch.num.messages", "100");
  set(conf, "message.timeout.ms", "120000");
  set(conf, "retry.backoff.ms", "20");
  set(conf, "reconnect.backoff.ms", "10");
  set(conf, "reconnect.backoff.max.ms", "100");
  rd_kafka_conf_set_opaque(conf, &log);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  char err[512];
  rd_kafka_t* p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  ASSERT_NE(p, nullptr) << err;
  produce_records(p, "exactly-once", "idem", 0, kRecords, kPartitions, base_ts);
  EXPECT_EQ(rd_kafka_flush(p, 180'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_destroy(p);
  EXPECT_EQ(log.failed.load(), 0) << log.first_error;
  EXPECT_EQ(log.delivered.load(), kRecords);
  std::cout << "[ proxy    ] " << proxy_.cuts() << " connections cut while responses were in flight\n";
  EXPECT_GT(proxy_.cuts(), 0) << "the proxy must have lost some responses for this test to mean anything ("
                              << proxy_.response_chunks() << " response chunks forwarded)";

  // Read straight from the broker: each partition holds its records once, in order.
  rd_kafka_conf_t* cconf = base_conf(bootstrap());
  rd_kafka_t* c = rd_kafka_new(RD_KAFKA_CONSUMER, cconf, err, sizeof err);
  ASSERT_NE(c, nullptr) << err;
  for (int32_t part = 0; part < kPartitions; ++part) {
    const int64_t expected = (kRecords - part + kPartitions - 1) / kPartitions;
    int64_t next_index = part;
    auto log_ptr = services().logs->get_log({"exactly-once", part});
    ASSERT_EQ(log_ptr->log_end_offset().value(), expected) << "no duplicate was appended to partition " << part;
    // The consumer goes to the advertised (proxy) address too; its cuts only slow it down.
    int64_t seen = read_partition(c, "exactly-once", part, RD_KAFKA_OFFSET_BEGINNING, expected, 120s,
                                  [&](const rd_kafka_message_t* m) {
                                    ASSERT_TRUE(same_record(m, record_of("idem", next_index, base_ts)));
                                    next_index += kPartitions;
                                  });
    EXPECT_EQ(seen, expected);
  }
  rd_kafka_destroy(c);
}

}  // namespace
}  // namespace samsa::broker::testing
