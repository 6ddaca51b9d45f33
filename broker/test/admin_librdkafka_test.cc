// The admin API of librdkafka (CreateTopics, DeleteTopics, CreatePartitions,
// DescribeConfigs, AlterConfigs), producer auto-creation and kcat against an
// in-process broker. librdkafka 2.0 has no IncrementalAlterConfigs; that API is
// covered over the wire in admin_configs_test.cc.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>

#include "broker/test/admin_fixture.h"
#include "broker/test/process.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

struct rk_deleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using client_ptr = std::unique_ptr<rd_kafka_t, rk_deleter>;

struct queue_deleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct event_deleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
using event_ptr = std::unique_ptr<rd_kafka_event_t, event_deleter>;

// One topic's or resource's outcome.
struct outcome {
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string message;
};

class AdminLibrdkafka : public admin_fixture {
 protected:
  client_ptr client(rd_kafka_type_t type = RD_KAFKA_PRODUCER,
                    std::vector<std::pair<std::string, std::string>> settings = {}) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[512];
    settings.emplace_back("bootstrap.servers", bootstrap());
    for (const auto& [k, v] : settings)
      EXPECT_EQ(rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err), RD_KAFKA_CONF_OK) << err;
    rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
    EXPECT_NE(rk, nullptr) << err;
    return client_ptr(rk);
  }

  // Waits for the admin result event on `q`.
  event_ptr wait(rd_kafka_queue_t* q) {
    rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 30000);
    EXPECT_NE(ev, nullptr);
    if (ev) {
      EXPECT_EQ(rd_kafka_event_error(ev), RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_event_error_string(ev);
    }
    return event_ptr(ev);
  }

  std::map<std::string, outcome> topic_outcomes(const rd_kafka_topic_result_t** results, size_t n) {
    std::map<std::string, outcome> out;
    for (size_t i = 0; i < n; ++i) {
      const char* msg = rd_kafka_topic_result_error_string(results[i]);
      out[rd_kafka_topic_result_name(results[i])] = {rd_kafka_topic_result_error(results[i]), msg ? msg : ""};
    }
    return out;
  }

  std::map<std::string, outcome> create_topics(rd_kafka_t* rk, const std::vector<std::tuple<std::string, int, int>>& topics,
                                               std::vector<std::pair<std::string, std::string>> configs = {}) {
    std::vector<rd_kafka_NewTopic_t*> nts;
    char err[512];
    for (const auto& [name, partitions, rf] : topics) {
      rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(name.c_str(), partitions, rf, err, sizeof err);
      EXPECT_NE(nt, nullptr) << err;
      for (const auto& [k, v] : configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
      nts.push_back(nt);
    }
    std::unique_ptr<rd_kafka_queue_t, queue_deleter> q(rd_kafka_queue_new(rk));
    rd_kafka_CreateTopics(rk, nts.data(), nts.size(), nullptr, q.get());
    rd_kafka_NewTopic_destroy_array(nts.data(), nts.size());
    auto ev = wait(q.get());
    if (!ev) return {};
    size_t n = 0;
    auto results = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
    return topic_outcomes(results, n);
  }

  std::map<std::string, outcome> delete_topics(rd_kafka_t* rk, const std::vector<std::string>& names) {
    std::vector<rd_kafka_DeleteTopic_t*> dts;
    for (const auto& n : names) dts.push_back(rd_kafka_DeleteTopic_new(n.c_str()));
    std::unique_ptr<rd_kafka_queue_t, queue_deleter> q(rd_kafka_queue_new(rk));
    rd_kafka_DeleteTopics(rk, dts.data(), dts.size(), nullptr, q.get());
    rd_kafka_DeleteTopic_destroy_array(dts.data(), dts.size());
    auto ev = wait(q.get());
    if (!ev) return {};
    size_t n = 0;
    auto results = rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(ev.get()), &n);
    return topic_outcomes(results, n);
  }

  std::map<std::string, outcome> create_partitions(rd_kafka_t* rk, const std::string& topic, size_t total) {
    char err[512];
    rd_kafka_NewPartitions_t* np = rd_kafka_NewPartitions_new(topic.c_str(), total, err, sizeof err);
    std::unique_ptr<rd_kafka_queue_t, queue_deleter> q(rd_kafka_queue_new(rk));
    rd_kafka_CreatePartitions(rk, &np, 1, nullptr, q.get());
    rd_kafka_NewPartitions_destroy(np);
    auto ev = wait(q.get());
    if (!ev) return {};
    size_t n = 0;
    auto results = rd_kafka_CreatePartitions_result_topics(rd_kafka_event_CreatePartitions_result(ev.get()), &n);
    return topic_outcomes(results, n);
  }

  struct config_view {
    outcome result;
    std::map<std::string, std::pair<std::string, rd_kafka_ConfigSource_t>> entries;  // name -> (value, source)
  };
  config_view describe_configs(rd_kafka_t* rk, rd_kafka_ResourceType_t type, const std::string& name) {
    rd_kafka_ConfigResource_t* res = rd_kafka_ConfigResource_new(type, name.c_str());
    std::unique_ptr<rd_kafka_queue_t, queue_deleter> q(rd_kafka_queue_new(rk));
    rd_kafka_DescribeConfigs(rk, &res, 1, nullptr, q.get());
    rd_kafka_ConfigResource_destroy(res);
    auto ev = wait(q.get());
    config_view out;
    if (!ev) return out;
    size_t n = 0;
    auto resources = rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev.get()), &n);
    EXPECT_EQ(n, 1u);
    if (n != 1) return out;
    out.result.err = rd_kafka_ConfigResource_error(resources[0]);
    const char* msg = rd_kafka_ConfigResource_error_string(resources[0]);
    out.result.message = msg ? msg : "";
    size_t cnt = 0;
    auto entries = rd_kafka_ConfigResource_configs(resources[0], &cnt);
    for (size_t i = 0; i < cnt; ++i) {
      const char* v = rd_kafka_ConfigEntry_value(entries[i]);
      out.entries[rd_kafka_ConfigEntry_name(entries[i])] = {v ? v : "(null)", rd_kafka_ConfigEntry_source(entries[i])};
    }
    return out;
  }

  outcome alter_configs(rd_kafka_t* rk, rd_kafka_ResourceType_t type, const std::string& name,
                        const std::vector<std::pair<std::string, std::string>>& configs) {
    rd_kafka_ConfigResource_t* res = rd_kafka_ConfigResource_new(type, name.c_str());
    for (const auto& [k, v] : configs) rd_kafka_ConfigResource_set_config(res, k.c_str(), v.c_str());
    std::unique_ptr<rd_kafka_queue_t, queue_deleter> q(rd_kafka_queue_new(rk));
    rd_kafka_AlterConfigs(rk, &res, 1, nullptr, q.get());
    rd_kafka_ConfigResource_destroy(res);
    auto ev = wait(q.get());
    outcome out;
    if (!ev) return out;
    size_t n = 0;
    auto resources = rd_kafka_AlterConfigs_result_resources(rd_kafka_event_AlterConfigs_result(ev.get()), &n);
    EXPECT_EQ(n, 1u);
    if (n != 1) return out;
    out.err = rd_kafka_ConfigResource_error(resources[0]);
    const char* msg = rd_kafka_ConfigResource_error_string(resources[0]);
    out.message = msg ? msg : "";
    return out;
  }

  int partition_count(rd_kafka_t* rk, const std::string& topic) {
    rd_kafka_topic_t* t = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    int count = -1;
    if (rd_kafka_metadata(rk, 0, t, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) count = md->topics[0].partition_cnt;
      rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(t);
    return count;
  }
};

TEST_F(AdminLibrdkafka, CreatesListsAndDeletesTopics) {
  auto rk = client();
  auto created = create_topics(rk.get(), {{"alpha", 3, 1}, {"beta", 1, -1}}, {{"retention.ms", "60000"}});
  ASSERT_EQ(created.size(), 2u);
  for (const auto& [name, o] : created) EXPECT_EQ(o.err, RD_KAFKA_RESP_ERR_NO_ERROR) << name << ": " << o.message;
  EXPECT_EQ(partition_count(rk.get(), "alpha"), 3);
  EXPECT_EQ(partition_count(rk.get(), "beta"), 1);

  auto again = create_topics(rk.get(), {{"alpha", 1, 1}});
  EXPECT_EQ(again["alpha"].err, RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
  EXPECT_EQ(again["alpha"].message, "Topic 'alpha' already exists.");
  auto rf = create_topics(rk.get(), {{"gamma", 1, 3}});
  EXPECT_EQ(rf["gamma"].err, RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR);
  EXPECT_EQ(rf["gamma"].message,
            "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached "
            "because only 1 broker(s) are registered.");
  auto bad_config = create_topics(rk.get(), {{"delta", 1, 1}}, {{"cleanup.policy", "shred"}});
  EXPECT_EQ(bad_config["delta"].err, RD_KAFKA_RESP_ERR_INVALID_CONFIG);

  auto deleted = delete_topics(rk.get(), {"alpha", "nope"});
  EXPECT_EQ(deleted["alpha"].err, RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(deleted["nope"].err, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  EXPECT_FALSE(topic_exists("alpha"));
  EXPECT_TRUE(topic_exists("beta"));
}

TEST_F(AdminLibrdkafka, CreatesPartitions) {
  auto rk = client();
  ASSERT_EQ(create_topics(rk.get(), {{"grow", 1, 1}})["grow"].err, RD_KAFKA_RESP_ERR_NO_ERROR);
  auto r = create_partitions(rk.get(), "grow", 4);
  EXPECT_EQ(r["grow"].err, RD_KAFKA_RESP_ERR_NO_ERROR) << r["grow"].message;
  EXPECT_EQ(partition_count(rk.get(), "grow"), 4);
  auto shrink = create_partitions(rk.get(), "grow", 2);
  EXPECT_EQ(shrink["grow"].err, RD_KAFKA_RESP_ERR_INVALID_PARTITIONS);
  EXPECT_EQ(shrink["grow"].message, "The topic grow currently has 4 partition(s); 2 would not be an increase.");
}

TEST_F(AdminLibrdkafka, DescribesAndAltersTopicAndBrokerConfigsThatSurviveARestart) {
  {
    auto rk = client();
    ASSERT_EQ(create_topics(rk.get(), {{"conf", 1, 1}}, {{"retention.ms", "60000"}})["conf"].err,
              RD_KAFKA_RESP_ERR_NO_ERROR);
    auto topic = describe_configs(rk.get(), RD_KAFKA_RESOURCE_TOPIC, "conf");
    EXPECT_EQ(topic.result.err, RD_KAFKA_RESP_ERR_NO_ERROR);
    EXPECT_EQ(topic.entries["retention.ms"].first, "60000");
    EXPECT_EQ(topic.entries["retention.ms"].second, RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG);
    EXPECT_EQ(topic.entries["cleanup.policy"].second, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);

    auto altered = alter_configs(rk.get(), RD_KAFKA_RESOURCE_TOPIC, "conf", {{"segment.ms", "3600000"}});
    EXPECT_EQ(altered.err, RD_KAFKA_RESP_ERR_NO_ERROR) << altered.message;
    auto broker = alter_configs(rk.get(), RD_KAFKA_RESOURCE_BROKER, "1", {{"log.cleaner.threads", "2"}});
    EXPECT_EQ(broker.err, RD_KAFKA_RESP_ERR_NO_ERROR) << broker.message;
    auto refused = alter_configs(rk.get(), RD_KAFKA_RESOURCE_BROKER, "1", {{"log.dirs", "/x"}});
    EXPECT_EQ(refused.err, RD_KAFKA_RESP_ERR_INVALID_REQUEST);
    EXPECT_EQ(refused.message, "Cannot update these configs dynamically: Set(log.dirs)");
    auto missing = describe_configs(rk.get(), RD_KAFKA_RESOURCE_TOPIC, "missing");
    EXPECT_EQ(missing.result.err, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  }
  restart();
  auto rk = client();
  auto topic = describe_configs(rk.get(), RD_KAFKA_RESOURCE_TOPIC, "conf");
  // AlterConfigs replaced the whole set: retention.ms went back to its default.
  EXPECT_EQ(topic.entries["segment.ms"].first, "3600000");
  EXPECT_EQ(topic.entries["retention.ms"].second, RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG);
  auto broker = describe_configs(rk.get(), RD_KAFKA_RESOURCE_BROKER, "1");
  EXPECT_EQ(broker.result.err, RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(broker.entries["log.cleaner.threads"].first, "2");
  EXPECT_EQ(broker.entries["log.cleaner.threads"].second, RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG);
}

TEST_F(AdminLibrdkafka, AProducerMetadataRequestAutoCreatesItsTopic) {
  auto rk = client(RD_KAFKA_PRODUCER);
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk.get(), "auto-created", nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  ASSERT_EQ(rd_kafka_metadata(rk.get(), 0, t, &md, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(t);
  EXPECT_TRUE(wait_for_topic("auto-created"));
  EXPECT_EQ(partition_count(rk.get(), "auto-created"), 1);
}

TEST_F(AdminLibrdkafka, KcatListsCreatedTopicsWithTheirPartitions) {
  auto rk = client();
  ASSERT_EQ(create_topics(rk.get(), {{"listed", 2, 1}})["listed"].err, RD_KAFKA_RESP_ERR_NO_ERROR);
  auto kcat = run_command({"kcat", "-L", "-b", bootstrap(), "-t", "listed", "-m", "10"}, dir(), 30s);
  EXPECT_EQ(kcat.exit_code, 0) << kcat.output;
  EXPECT_NE(kcat.output.find("topic \"listed\" with 2 partitions:"), std::string::npos) << kcat.output;
  EXPECT_NE(kcat.output.find("partition 1, leader 1, replicas: 1, isrs: 1"), std::string::npos) << kcat.output;
}

}  // namespace
}  // namespace samsa::broker::testing
