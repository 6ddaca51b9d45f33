// DescribeConfigs, AlterConfigs and IncrementalAlterConfigs for topics,
// brokers and broker loggers over real sockets, persisted across restarts.

#include <gtest/gtest.h>

#include <algorithm>

#include "broker/test/admin_fixture.h"
#include "protocol/generated/alter_configs.h"
#include "protocol/generated/create_topics.h"
#include "protocol/generated/describe_configs.h"
#include "protocol/generated/incremental_alter_configs.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;
using described = protocol::describe_configs_response::DescribeConfigsResourceResult;

constexpr int8_t topic_type = 2;
constexpr int8_t broker_type = 4;
constexpr int8_t logger_type = 8;

// AlterConfigOp.OpType ids.
constexpr int8_t op_set = 0;
constexpr int8_t op_delete = 1;
constexpr int8_t op_append = 2;
constexpr int8_t op_subtract = 3;

class AdminConfigs : public admin_fixture {
 protected:
  void create(const std::string& name, std::vector<std::pair<std::string, std::string>> configs = {}) {
    protocol::create_topics_request r;
    protocol::create_topics_request::CreatableTopic t;
    t.name = name;
    t.num_partitions = 1;
    t.replication_factor = -1;
    for (auto& [k, v] : configs) t.configs.push_back({k, v, {}});
    r.topics.push_back(t);
    auto resp = call<protocol::create_topics_response>(7, r);
    ASSERT_TRUE(resp);
    ASSERT_EQ(resp->topics.at(0).error_code, 0) << resp->topics.at(0).error_message.value_or("");
  }

  std::optional<protocol::describe_configs_response::DescribeConfigsResult> describe(
      int8_t type, const std::string& name, std::optional<std::vector<std::string>> keys = std::nullopt,
      bool synonyms = false, int16_t version = 4) {
    protocol::describe_configs_request r;
    protocol::describe_configs_request::DescribeConfigsResource res;
    res.resource_type = type;
    res.resource_name = name;
    res.configuration_keys = std::move(keys);  // null: every config
    r.resources.push_back(std::move(res));
    r.include_synonyms = synonyms;
    r.include_documentation = version >= 3;
    auto resp = call<protocol::describe_configs_response>(version, r);
    if (!resp || resp->results.size() != 1) return std::nullopt;
    return resp->results[0];
  }
  std::optional<described> one_config(int8_t type, const std::string& name, const std::string& key,
                                      bool synonyms = false) {
    auto r = describe(type, name, std::vector<std::string>{key}, synonyms);
    if (!r || r->error_code != 0 || r->configs.size() != 1) return std::nullopt;
    return r->configs[0];
  }

  struct change {
    std::string name;
    int8_t op;
    std::optional<std::string> value;
  };
  std::vector<protocol::incremental_alter_configs_response::AlterConfigsResourceResponse> alter(
      std::vector<std::tuple<int8_t, std::string, std::vector<change>>> resources, bool validate_only = false,
      int16_t version = 1) {
    protocol::incremental_alter_configs_request r;
    for (auto& [type, name, changes] : resources) {
      protocol::incremental_alter_configs_request::AlterConfigsResource res;
      res.resource_type = type;
      res.resource_name = name;
      for (auto& c : changes) res.configs.push_back({c.name, c.op, c.value, {}});
      r.resources.push_back(std::move(res));
    }
    r.validate_only = validate_only;
    auto resp = call<protocol::incremental_alter_configs_response>(version, r);
    EXPECT_TRUE(resp);
    return resp ? resp->responses : decltype(resp->responses){};
  }
  // One resource, expecting `e` and `message`.
  void expect_alter(int8_t type, const std::string& name, std::vector<change> changes, error_code e,
                    std::optional<std::string> message = std::nullopt) {
    auto r = alter({{type, name, std::move(changes)}});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error_code, code(e)) << name << ": " << r[0].error_message.value_or("(null)");
    if (message) {
      EXPECT_EQ(r[0].error_message.value_or("(null)"), *message);
    }
  }
  std::vector<protocol::alter_configs_response::AlterConfigsResourceResponse> legacy_alter(
      int8_t type, const std::string& name, std::vector<std::pair<std::string, std::optional<std::string>>> configs,
      int16_t version = 2) {
    protocol::alter_configs_request r;
    protocol::alter_configs_request::AlterConfigsResource res;
    res.resource_type = type;
    res.resource_name = name;
    for (auto& [k, v] : configs) res.configs.push_back({k, v, {}});
    r.resources.push_back(std::move(res));
    auto resp = call<protocol::alter_configs_response>(version, r);
    EXPECT_TRUE(resp);
    return resp ? resp->responses : decltype(resp->responses){};
  }
};

TEST_F(AdminConfigs, ATopicDescribesEveryTopicConfigWithItsOverrideAndSources) {
  create("t", {{"retention.ms", "1234"}});
  for (int16_t v = 1; v <= 4; ++v) {
    auto r = describe(topic_type, "t", std::nullopt, true, v);
    ASSERT_TRUE(r) << "v" << v;
    EXPECT_EQ(r->error_code, 0);
    EXPECT_GT(r->configs.size(), 30u);
    auto it = std::find_if(r->configs.begin(), r->configs.end(), [](const auto& c) { return c.name == "retention.ms"; });
    ASSERT_NE(it, r->configs.end());
    EXPECT_EQ(it->value, "1234");
    EXPECT_EQ(it->config_source, 1);  // TOPIC_CONFIG
    EXPECT_FALSE(it->read_only);
    ASSERT_GE(it->synonyms.size(), 1u);
    EXPECT_EQ(it->synonyms[0].name, "retention.ms");
    EXPECT_EQ(it->synonyms[0].source, 1);
    if (v >= 3) {
      EXPECT_EQ(it->config_type, 5);  // LONG
    }
  }
  auto segment = one_config(topic_type, "t", "segment.bytes", true);
  ASSERT_TRUE(segment);
  EXPECT_EQ(segment->value, "1073741824");
  EXPECT_EQ(segment->config_source, 5);
  ASSERT_EQ(segment->synonyms.size(), 1u);
  EXPECT_EQ(segment->synonyms[0].name, "log.segment.bytes");  // the broker default
  EXPECT_EQ(segment->synonyms[0].source, 5);
}

TEST_F(AdminConfigs, UnknownOrInvalidResourcesGetKafkasErrors) {
  auto unknown = describe(topic_type, "nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->error_code, code(error_code::unknown_topic_or_partition));
  auto invalid = describe(topic_type, "bad name");
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->error_code, code(error_code::invalid_topic_exception));
  auto other_broker = describe(broker_type, "2");
  ASSERT_TRUE(other_broker);
  EXPECT_EQ(other_broker->error_code, code(error_code::invalid_request));
  EXPECT_EQ(other_broker->error_message, "Unexpected broker id, expected 1 or empty string, but received 2");
  auto not_a_number = describe(broker_type, "one");
  ASSERT_TRUE(not_a_number);
  EXPECT_EQ(not_a_number->error_message, "Broker id must be an integer, but it is: one");
  // A resource type Kafka does not know fails the whole request.
  protocol::describe_configs_request r;
  r.resources.push_back({99, "x", std::nullopt, {}});
  r.resources.push_back({topic_type, "nope", std::nullopt, {}});
  auto both = call<protocol::describe_configs_response>(4, r);
  ASSERT_TRUE(both);
  ASSERT_EQ(both->results.size(), 2u);
  for (const auto& x : both->results) EXPECT_EQ(x.error_code, code(error_code::invalid_request));
}

TEST_F(AdminConfigs, TheBrokerDescribesItsConfigsAsReadOnlyOrDynamic) {
  auto r = describe(broker_type, "1", std::nullopt, true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error_code, 0);
  auto find = [&](const std::string& name) {
    auto it = std::find_if(r->configs.begin(), r->configs.end(), [&](const auto& c) { return c.name == name; });
    return it == r->configs.end() ? nullptr : &*it;
  };
  ASSERT_NE(find("log.dirs"), nullptr);
  EXPECT_TRUE(find("log.dirs")->read_only);
  EXPECT_EQ(find("log.dirs")->config_source, 4);  // STATIC_BROKER_CONFIG
  ASSERT_NE(find("log.retention.ms"), nullptr);
  EXPECT_FALSE(find("log.retention.ms")->read_only);
  auto cluster = describe(broker_type, "");
  ASSERT_TRUE(cluster);
  EXPECT_EQ(cluster->error_code, 0);
  EXPECT_TRUE(cluster->configs.empty());
}

TEST_F(AdminConfigs, IncrementalChangesToATopicAreAppliedValidatedAndReverted) {
  create("t");
  expect_alter(topic_type, "t", {{"retention.ms", op_set, "5000"}, {"cleanup.policy", op_append, "compact"}},
               error_code::none);
  EXPECT_EQ(one_config(topic_type, "t", "retention.ms")->value, "5000");
  EXPECT_EQ(one_config(topic_type, "t", "cleanup.policy")->value, "delete,compact");
  expect_alter(topic_type, "t", {{"cleanup.policy", op_subtract, "delete"}}, error_code::none);
  EXPECT_EQ(one_config(topic_type, "t", "cleanup.policy")->value, "compact");
  expect_alter(topic_type, "t", {{"retention.ms", op_delete, std::nullopt}}, error_code::none);
  auto back = one_config(topic_type, "t", "retention.ms");
  EXPECT_EQ(back->value, "604800000");
  EXPECT_EQ(back->config_source, 5);

  expect_alter(topic_type, "t", {{"retention.ms", op_append, "1"}}, error_code::invalid_config,
               "Can't APPEND to key retention.ms because its type is not LIST.");
  expect_alter(topic_type, "t", {{"retention.ms", op_set, "x"}}, error_code::invalid_config,
               "Invalid value x for configuration retention.ms: Not a number of type LONG");
  expect_alter(topic_type, "t", {{"no.such", op_set, "1"}}, error_code::invalid_config,
               "Unknown topic config name: no.such");
  expect_alter(topic_type, "missing", {{"retention.ms", op_set, "1"}}, error_code::unknown_topic_or_partition,
               "The topic 'missing' does not exist.");
  expect_alter(topic_type, "", {{"retention.ms", op_set, "1"}}, error_code::invalid_request,
               "Default topic resources are not allowed.");
  expect_alter(topic_type, "t", {{"retention.ms", op_set, std::nullopt}}, error_code::invalid_request,
               "Null value not supported for : retention.ms");
  expect_alter(topic_type, "t", {{"retention.ms", op_set, "1"}, {"retention.ms", op_set, "2"}},
               error_code::invalid_request, "Error due to duplicate config keys");
  auto twice = alter({{topic_type, "t", {{"retention.ms", op_set, "1"}}}, {topic_type, "t", {}}});
  ASSERT_EQ(twice.size(), 2u);
  for (const auto& x : twice) EXPECT_EQ(x.error_message, "Each resource must appear at most once.");
  // validate_only changes nothing.
  auto dry = alter({{topic_type, "t", {{"retention.ms", op_set, "42"}}}}, true);
  EXPECT_EQ(dry.at(0).error_code, 0);
  EXPECT_EQ(one_config(topic_type, "t", "retention.ms")->value, "604800000");
}

TEST_F(AdminConfigs, DynamicBrokerConfigsFollowKafkasRules) {
  create("plain");
  expect_alter(broker_type, "", {{"log.retention.ms", op_set, "3600000"}}, error_code::none);
  auto broker_view = one_config(broker_type, "1", "log.retention.ms", true);
  ASSERT_TRUE(broker_view);
  EXPECT_EQ(broker_view->value, "3600000");
  EXPECT_EQ(broker_view->config_source, 3);  // DYNAMIC_DEFAULT_BROKER_CONFIG
  auto cluster = describe(broker_type, "");
  ASSERT_TRUE(cluster);
  ASSERT_EQ(cluster->configs.size(), 1u);
  EXPECT_EQ(cluster->configs[0].name, "log.retention.ms");
  // Topics without their own value follow the dynamic default.
  auto topic_view = one_config(topic_type, "plain", "retention.ms");
  EXPECT_EQ(topic_view->value, "3600000");
  EXPECT_EQ(topic_view->config_source, 3);
  expect_alter(broker_type, "1", {{"log.retention.ms", op_set, "7200000"}}, error_code::none);
  EXPECT_EQ(one_config(broker_type, "1", "log.retention.ms")->config_source, 2);  // DYNAMIC_BROKER_CONFIG
  EXPECT_EQ(one_config(topic_type, "plain", "retention.ms")->value, "7200000");

  expect_alter(broker_type, "1", {{"log.dirs", op_set, "/elsewhere"}}, error_code::invalid_request,
               "Cannot update these configs dynamically: Set(log.dirs)");
  expect_alter(broker_type, "", {{"listeners", op_set, "PLAINTEXT://:1"}}, error_code::invalid_request,
               "Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)");
  expect_alter(broker_type, "1", {{"num.io.threads", op_set, "many"}}, error_code::invalid_request,
               "Invalid value many for configuration num.io.threads: Not a number of type INT");
  expect_alter(broker_type, "2", {{"num.io.threads", op_set, "4"}}, error_code::invalid_request,
               "Unexpected broker id, expected 1, but received 2");
  expect_alter(broker_type, "x", {{"num.io.threads", op_set, "4"}}, error_code::invalid_request,
               "Node id must be an integer, but it is: x");
  expect_alter(broker_type, "1", {{"num.io.threads", op_append, "4"}}, error_code::invalid_config,
               "Config value append is not allowed for config key: num.io.threads");
  expect_alter(99, "x", {{"a", op_set, "b"}}, error_code::invalid_request, "Unknown resource type 99");
}

TEST_F(AdminConfigs, LegacyAlterConfigsReplacesTheWholeSet) {
  create("t");
  auto r = legacy_alter(topic_type, "t", {{"retention.ms", "1000"}, {"segment.bytes", "1048576"}});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].error_code, 0) << r[0].error_message.value_or("");
  EXPECT_EQ(one_config(topic_type, "t", "retention.ms")->value, "1000");
  r = legacy_alter(topic_type, "t", {{"max.message.bytes", "2000"}}, 0);
  EXPECT_EQ(r.at(0).error_code, 0);
  EXPECT_EQ(one_config(topic_type, "t", "retention.ms")->config_source, 5);
  EXPECT_EQ(one_config(topic_type, "t", "segment.bytes")->config_source, 5);
  EXPECT_EQ(one_config(topic_type, "t", "max.message.bytes")->value, "2000");

  r = legacy_alter(topic_type, "t", {{"retention.ms", std::nullopt}});
  EXPECT_EQ(r.at(0).error_code, code(error_code::invalid_request));
  EXPECT_EQ(r.at(0).error_message, "Null value not supported for : retention.ms");
  r = legacy_alter(logger_type, "1", {{"root", "INFO"}});
  EXPECT_EQ(r.at(0).error_code, code(error_code::invalid_request));
  EXPECT_EQ(r.at(0).error_message, "Unknown resource type 8");
  r = legacy_alter(broker_type, "1", {{"log.cleaner.threads", "2"}});
  EXPECT_EQ(r.at(0).error_code, 0);
  EXPECT_EQ(one_config(broker_type, "1", "log.cleaner.threads")->value, "2");
}

TEST_F(AdminConfigs, ConfigsArePersistedAcrossRestarts) {
  create("t", {{"retention.ms", "999"}});
  expect_alter(topic_type, "t", {{"segment.ms", op_set, "60000"}}, error_code::none);
  expect_alter(broker_type, "", {{"log.retention.bytes", op_set, "1000000"}}, error_code::none);
  expect_alter(broker_type, "1", {{"log.cleaner.threads", op_set, "3"}}, error_code::none);
  restart();
  EXPECT_EQ(one_config(topic_type, "t", "retention.ms")->value, "999");
  EXPECT_EQ(one_config(topic_type, "t", "segment.ms")->value, "60000");
  EXPECT_EQ(one_config(topic_type, "t", "retention.bytes")->value, "1000000");
  EXPECT_EQ(one_config(broker_type, "1", "log.cleaner.threads")->value, "3");
  EXPECT_EQ(one_config(broker_type, "1", "log.cleaner.threads")->config_source, 2);
  crash_restart();
  EXPECT_EQ(one_config(topic_type, "t", "segment.ms")->value, "60000");
  EXPECT_EQ(one_config(broker_type, "1", "log.retention.bytes")->config_source, 3);
}

TEST_F(AdminConfigs, CreateTopicsReportsDynamicDefaultsAsTheirSource) {
  expect_alter(broker_type, "", {{"log.retention.ms", op_set, "7200000"}}, error_code::none);
  // Only the first broker synonym of a topic config is dynamic (DynamicLogConfig).
  expect_alter(broker_type, "", {{"log.retention.hours", op_set, "2"}}, error_code::invalid_request,
               "Cannot update these configs dynamically: Set(log.retention.hours)");
  protocol::create_topics_request r;
  protocol::create_topics_request::CreatableTopic t;
  t.name = "fresh";
  t.num_partitions = 1;
  t.replication_factor = -1;
  r.topics.push_back(t);
  auto resp = call<protocol::create_topics_response>(7, r);
  ASSERT_TRUE(resp);
  const auto& configs = *resp->topics.at(0).configs;
  auto it = std::find_if(configs.begin(), configs.end(), [](const auto& c) { return c.name == "retention.ms"; });
  ASSERT_NE(it, configs.end());
  EXPECT_EQ(it->value, "7200000");
  EXPECT_EQ(it->config_source, 3);
}

TEST_F(AdminConfigs, BrokerLoggerLevelsCanBeDescribedAndChanged) {
  auto r = describe(logger_type, "1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->error_code, 0);
  auto root = std::find_if(r->configs.begin(), r->configs.end(), [](const auto& c) { return c.name == "root"; });
  ASSERT_NE(root, r->configs.end());
  const std::string before = *root->value;
  EXPECT_EQ(root->config_source, 6);  // DYNAMIC_BROKER_LOGGER_CONFIG
  expect_alter(logger_type, "1", {{"root", op_set, "DEBUG"}}, error_code::none);
  EXPECT_EQ(one_config(logger_type, "1", "root")->value, "DEBUG");
  expect_alter(logger_type, "1", {{"root", op_set, "LOUD"}}, error_code::invalid_config,
               "Cannot set the log level of root to LOUD as it is not a supported log level. Valid log levels are "
               "DEBUG, ERROR, FATAL, INFO, TRACE, WARN");
  expect_alter(logger_type, "1", {{"nope", op_set, "INFO"}}, error_code::invalid_config, "Logger nope does not exist!");
  expect_alter(logger_type, "1", {{"root", op_delete, std::nullopt}}, error_code::invalid_request,
               "Removing the log level of the root logger is not allowed");
  expect_alter(logger_type, "1", {{"root", op_append, "INFO"}}, error_code::invalid_request,
               "APPEND operation is not allowed for the BROKER_LOGGER resource");
  expect_alter(logger_type, "1", {{"root", op_set, before}}, error_code::none);
  auto empty = describe(logger_type, "");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->error_message, "Broker id must not be empty");
}

}  // namespace
}  // namespace samsa::broker::testing
