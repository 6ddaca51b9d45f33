// librdkafka, the C client most non-Java clients wrap, against an in-process broker.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include "broker/test/broker_fixture.h"

namespace samsa::broker::testing {
namespace {

class Librdkafka : public broker_fixture {
 protected:
  // Without this, librdkafka's own metadata refresh for a registered topic can
  // auto-create it before the request under test, which then finds it (racy).
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"auto.create.topics.enable", "false"}};
  }
  rd_kafka_t* client() {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[512];
    EXPECT_EQ(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap().c_str(), err, sizeof err), RD_KAFKA_CONF_OK);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    EXPECT_NE(rk, nullptr) << err;
    return rk;
  }
};

TEST_F(Librdkafka, SeesOneBrokerWithItsAddressClusterIdAndController) {
  rd_kafka_t* rk = client();
  const rd_kafka_metadata_t* md = nullptr;
  ASSERT_EQ(rd_kafka_metadata(rk, 1, nullptr, &md, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(md->broker_cnt, 1);
  EXPECT_EQ(md->brokers[0].id, 1);
  EXPECT_STREQ(md->brokers[0].host, "127.0.0.1");
  EXPECT_EQ(md->brokers[0].port, port());
  EXPECT_EQ(md->topic_cnt, 0);
  rd_kafka_metadata_destroy(md);
  char* cluster = rd_kafka_clusterid(rk, 10000);
  ASSERT_NE(cluster, nullptr);
  EXPECT_EQ(std::string(cluster), the_broker().cluster_id());
  rd_kafka_mem_free(rk, cluster);
  EXPECT_EQ(rd_kafka_controllerid(rk, 10000), 1);
  rd_kafka_destroy(rk);
}

TEST_F(Librdkafka, AnUnknownTopicIsReportedAsSuch) {
  rd_kafka_t* rk = client();
  rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, "missing-topic", nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  ASSERT_EQ(rd_kafka_metadata(rk, 0, topic, &md, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(md->topic_cnt, 1);
  EXPECT_EQ(md->topics[0].err, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(topic);
  rd_kafka_destroy(rk);
}

}  // namespace
}  // namespace samsa::broker::testing
