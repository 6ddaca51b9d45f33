#include "broker/config/synonyms.h"

#include <gtest/gtest.h>

#include "broker/config/topic_config_defs.h"

namespace samsa::broker::config {
namespace {

using names = std::vector<std::string>;

TEST(Synonyms, TimeConfigsListMillisecondsFirst) {
  EXPECT_EQ(broker_config_synonyms("log.retention.hours", true),
            (names{"log.retention.ms", "log.retention.minutes", "log.retention.hours"}));
  EXPECT_EQ(broker_config_synonyms("log.roll.ms", true), (names{"log.roll.ms", "log.roll.hours"}));
  EXPECT_EQ(broker_config_synonyms("log.roll.jitter.hours", true), (names{"log.roll.jitter.ms", "log.roll.jitter.hours"}));
  EXPECT_EQ(broker_config_synonyms("log.flush.interval.ms", true),
            (names{"log.flush.interval.ms", "log.flush.scheduler.interval.ms"}));
  // The scheduler interval is a default of flush.interval, not the other way round.
  EXPECT_EQ(broker_config_synonyms("log.flush.scheduler.interval.ms", true), (names{"log.flush.scheduler.interval.ms"}));
}

TEST(Synonyms, ListenerOverridesHaveTheirBaseConfigAsSynonym) {
  EXPECT_EQ(broker_config_synonyms("listener.name.internal.ssl.keystore.location", true),
            (names{"listener.name.internal.ssl.keystore.location", "ssl.keystore.location"}));
  EXPECT_EQ(broker_config_synonyms("listener.name.sasl.plain.sasl.jaas.config", true),
            (names{"listener.name.sasl.plain.sasl.jaas.config", "sasl.jaas.config"}));
  EXPECT_EQ(broker_config_synonyms("listener.name.internal.ssl.keystore.location", false),
            (names{"listener.name.internal.ssl.keystore.location"}));
}

TEST(Synonyms, OtherConfigsAreTheirOwnOnlySynonym) {
  EXPECT_EQ(broker_config_synonyms("num.io.threads", true), (names{"num.io.threads"}));
}

TEST(TopicSynonyms, FollowServerTopicConfigSynonymsOrder) {
  auto of = [](std::string_view topic) {
    names out;
    for (const auto& s : find_topic_config_def(topic)->broker_synonyms()) out.emplace_back(s.name);
    return out;
  };
  EXPECT_EQ(of("retention.ms"), (names{"log.retention.ms", "log.retention.minutes", "log.retention.hours"}));
  EXPECT_EQ(of("segment.ms"), (names{"log.roll.ms", "log.roll.hours"}));
  EXPECT_EQ(of("segment.bytes"), (names{"log.segment.bytes"}));
  EXPECT_EQ(of("flush.messages"), (names{"log.flush.interval.messages"}));
  EXPECT_EQ(of("flush.ms"), (names{"log.flush.interval.ms", "log.flush.scheduler.interval.ms"}));
  EXPECT_EQ(of("cleanup.policy"), (names{"log.cleanup.policy"}));
  EXPECT_EQ(of("max.message.bytes"), (names{"message.max.bytes"}));
  EXPECT_EQ(of("file.delete.delay.ms"), (names{"log.segment.delete.delay.ms"}));
  EXPECT_EQ(of("min.cleanable.dirty.ratio"), (names{"log.cleaner.min.cleanable.ratio"}));
  EXPECT_EQ(of("segment.index.bytes"), (names{"log.index.size.max.bytes"}));
  EXPECT_EQ(of("min.insync.replicas"), (names{"min.insync.replicas"}));
  EXPECT_EQ(of("remote.storage.enable"), names{});
  EXPECT_EQ(find_topic_config_def("retention.ms")->synonyms[2].unit, synonym_unit::hours_to_ms);
  EXPECT_EQ(find_topic_config_def("retention.ms")->synonyms[1].unit, synonym_unit::minutes_to_ms);
}

}  // namespace
}  // namespace samsa::broker::config
