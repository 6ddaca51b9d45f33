#include "broker/config/describe.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace samsa::broker::config {
namespace {

broker_config broker(std::initializer_list<std::pair<std::string, std::string>> kv = {}) {
  properties p;
  for (const auto& [k, v] : kv) p.set(k, v);
  auto c = broker_config::from_properties(std::move(p));
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().message);
  return std::move(c).value();
}

described_config find(const std::vector<described_config>& all, std::string_view name) {
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& d) { return d.name == name; });
  EXPECT_NE(it, all.end()) << name;
  return it == all.end() ? described_config{} : *it;
}

describe_options with_synonyms() {
  describe_options o;
  o.include_synonyms = true;
  return o;
}

TEST(DescribeBroker, ListsEveryNonInternalConfigSortedByName) {
  auto all = describe_broker_config(broker(), {});
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](auto& a, auto& b) { return a.name < b.name; }));
  EXPECT_EQ(std::count_if(all.begin(), all.end(), [](auto& d) { return d.name == "unstable.api.versions.enable"; }), 0);
  auto threads = find(all, "num.io.threads");
  EXPECT_EQ(threads.value, "8");
  EXPECT_EQ(threads.source, config_source::default_config);
  EXPECT_EQ(threads.type, describe_config_type::int32);
  EXPECT_FALSE(threads.read_only);  // cluster-wide dynamic
  EXPECT_TRUE(find(all, "log.dirs").read_only);
  EXPECT_FALSE(find(all, "log.dirs").value.has_value());  // null default, unset
}

TEST(DescribeBroker, StaticValuesComeFromTheFileAndKeepTheDefaultAsSynonym) {
  auto all = describe_broker_config(broker({{"num.io.threads", "16"}}), with_synonyms());
  auto d = find(all, "num.io.threads");
  EXPECT_EQ(d.value, "16");
  EXPECT_EQ(d.source, config_source::static_broker_config);
  EXPECT_EQ(d.synonyms, (std::vector<described_synonym>{{"num.io.threads", "16", config_source::static_broker_config},
                                                         {"num.io.threads", "8", config_source::default_config}}));
}

TEST(DescribeBroker, RetentionSynonymsAreOrderedByLevelThenPrecedence) {
  auto all = describe_broker_config(broker({{"log.retention.hours", "24"}, {"log.retention.ms", "1000"}}), with_synonyms());
  auto ms = find(all, "log.retention.ms");
  EXPECT_EQ(ms.value, "1000");
  EXPECT_EQ(ms.synonyms, (std::vector<described_synonym>{
                             {"log.retention.ms", "1000", config_source::static_broker_config},
                             {"log.retention.hours", "24", config_source::static_broker_config},
                             {"log.retention.hours", "168", config_source::default_config},
                         }));
  // Synonyms listed before the described name are dropped (Kafka's dropWhile).
  auto hours = find(all, "log.retention.hours");
  EXPECT_EQ(hours.synonyms, (std::vector<described_synonym>{
                                {"log.retention.hours", "24", config_source::static_broker_config},
                                {"log.retention.hours", "168", config_source::default_config},
                            }));
}

TEST(DescribeBroker, PasswordsAndUnknownKeysAreSensitive) {
  auto all = describe_broker_config(broker({{"ssl.keystore.password", "secret"}, {"custom.key", "x"}}), with_synonyms());
  auto pw = find(all, "ssl.keystore.password");
  EXPECT_TRUE(pw.sensitive);
  EXPECT_FALSE(pw.value.has_value());
  ASSERT_EQ(pw.synonyms.size(), 1u);
  EXPECT_FALSE(pw.synonyms[0].value.has_value());
  EXPECT_EQ(pw.source, config_source::static_broker_config);
  auto custom = find(all, "custom.key");
  EXPECT_TRUE(custom.sensitive);
  EXPECT_FALSE(custom.value.has_value());
  EXPECT_EQ(custom.type, describe_config_type::unknown);
  EXPECT_EQ(custom.source, config_source::static_broker_config);
}

TEST(DescribeBroker, RequestedNamesFilterTheAnswer) {
  describe_options o;
  o.names = {"num.io.threads", "no.such.config"};
  o.include_documentation = true;
  auto all = describe_broker_config(broker(), o);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name, "num.io.threads");
  EXPECT_TRUE(all[0].documentation.has_value());
}

TEST(DescribeBroker, DynamicLayersTakePrecedence) {
  properties per_broker;
  per_broker.set("num.io.threads", "12");
  properties cluster;
  cluster.set("num.io.threads", "10");
  dynamic_broker_layers layers{&per_broker, &cluster};
  auto d = find(describe_broker_config(broker({{"num.io.threads", "16"}}), with_synonyms(), layers), "num.io.threads");
  ASSERT_EQ(d.synonyms.size(), 4u);
  EXPECT_EQ(d.source, config_source::dynamic_broker_config);
  EXPECT_EQ(d.synonyms[1].source, config_source::dynamic_default_broker_config);
  auto defaults = describe_cluster_default_config(with_synonyms(), layers);
  ASSERT_EQ(defaults.size(), 1u);
  EXPECT_EQ(defaults[0].value, "10");
  EXPECT_EQ(defaults[0].source, config_source::dynamic_default_broker_config);
  ASSERT_EQ(defaults[0].synonyms.size(), 1u);
}

TEST(DescribeTopic, OverridesAreTopicConfigFollowedByBrokerSynonyms) {
  auto b = broker({{"log.segment.bytes", "2097152"}});
  auto t = topic_config::resolve(b, std::vector<topic_config_override>{{"segment.bytes", "3145728"}});
  ASSERT_TRUE(t.has_value());
  auto all = describe_topic_config(b, *t, with_synonyms());
  auto d = find(all, "segment.bytes");
  EXPECT_EQ(d.value, "3145728");
  EXPECT_EQ(d.source, config_source::topic_config);
  EXPECT_FALSE(d.read_only);
  EXPECT_EQ(d.synonyms, (std::vector<described_synonym>{
                            {"segment.bytes", "3145728", config_source::topic_config},
                            {"log.segment.bytes", "2097152", config_source::static_broker_config},
                            {"log.segment.bytes", "1073741824", config_source::default_config},
                        }));
}

TEST(DescribeTopic, ValuesUseKafkaStringForms) {
  auto b = broker();
  auto t = topic_config::resolve(b, std::vector<topic_config_override>{{"cleanup.policy", " compact , delete "}});
  auto all = describe_topic_config(b, *t, {});
  EXPECT_EQ(find(all, "cleanup.policy").value, "compact,delete");
  EXPECT_EQ(find(all, "min.cleanable.dirty.ratio").value, "0.5");
  EXPECT_EQ(find(all, "retention.ms").value, "604800000");
  EXPECT_EQ(find(all, "leader.replication.throttled.replicas").value, "");
}

TEST(DescribeTopic, RetentionFromHoursShowsAsDefaultLikeKafka) {
  // Kafka keeps only synonyms from the first broker synonym (log.retention.ms)
  // on, so hours-only retention is reported as DEFAULT_CONFIG without synonyms
  // even though the value comes from log.retention.hours.
  auto b = broker({{"log.retention.hours", "24"}});
  auto t = topic_config::resolve(b, properties{});
  auto d = find(describe_topic_config(b, *t, with_synonyms()), "retention.ms");
  EXPECT_EQ(d.value, "86400000");
  EXPECT_EQ(d.source, config_source::default_config);
  EXPECT_TRUE(d.synonyms.empty());
}

}  // namespace
}  // namespace samsa::broker::config
