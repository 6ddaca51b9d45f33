// CreateTopics, DeleteTopics, CreatePartitions and Metadata auto-creation over
// real sockets: Kafka 4.0's answers, codes and messages, and persistence
// across restarts.

#include <gtest/gtest.h>

#include <algorithm>

#include "broker/test/admin_fixture.h"
#include "protocol/generated/create_partitions.h"
#include "protocol/generated/create_topics.h"
#include "protocol/generated/delete_topics.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;
using protocol::create_topics_request;
using protocol::create_topics_response;
using creatable = create_topics_request::CreatableTopic;

creatable new_topic(std::string name, int32_t partitions = 1, int16_t replication_factor = -1,
                    std::vector<std::pair<std::string, std::optional<std::string>>> configs = {}) {
  creatable t;
  t.name = std::move(name);
  t.num_partitions = partitions;
  t.replication_factor = replication_factor;
  for (auto& [k, v] : configs) t.configs.push_back({k, v, {}});
  return t;
}

class AdminTopics : public admin_fixture {
 protected:
  create_topics_response create(std::vector<creatable> topics, int16_t version = 7, bool validate_only = false) {
    create_topics_request r;
    r.topics = std::move(topics);
    r.timeout_ms = 30000;
    r.validate_only = validate_only;
    auto resp = call<create_topics_response>(version, r);
    EXPECT_TRUE(resp);
    return resp ? *resp : create_topics_response{};
  }
  // The one result of creating one topic.
  create_topics_response::CreatableTopicResult create_one(creatable t, int16_t version = 7) {
    auto r = create({std::move(t)}, version);
    EXPECT_EQ(r.topics.size(), 1u);
    return r.topics.empty() ? create_topics_response::CreatableTopicResult{} : r.topics[0];
  }
  void expect_error(creatable t, error_code e, const std::string& message) {
    auto r = create_one(std::move(t));
    EXPECT_EQ(r.error_code, code(e)) << r.name << ": " << r.error_message.value_or("(null)");
    EXPECT_EQ(r.error_message.value_or("(null)"), message) << r.name;
  }
};

TEST_F(AdminTopics, CreatedTopicsAppearInMetadataWithOnePartitionLeaderEach) {
  auto r = create_one(new_topic("orders", 3, 1, {{"cleanup.policy", "compact"}}));
  ASSERT_EQ(r.error_code, 0) << r.error_message.value_or("");
  EXPECT_FALSE(r.error_message.has_value());
  EXPECT_FALSE(r.topic_id.is_zero());
  EXPECT_EQ(r.num_partitions, 3);
  EXPECT_EQ(r.replication_factor, 1);
  ASSERT_TRUE(r.configs.has_value());
  auto find = [&](const std::string& name) {
    auto it = std::find_if(r.configs->begin(), r.configs->end(), [&](const auto& c) { return c.name == name; });
    return it == r.configs->end() ? nullptr : &*it;
  };
  ASSERT_NE(find("cleanup.policy"), nullptr);
  EXPECT_EQ(find("cleanup.policy")->value, "compact");
  EXPECT_EQ(find("cleanup.policy")->config_source, 1);  // TOPIC_CONFIG
  ASSERT_NE(find("retention.ms"), nullptr);
  EXPECT_EQ(find("retention.ms")->value, "604800000");
  EXPECT_EQ(find("retention.ms")->config_source, 5);  // DEFAULT_CONFIG
  EXPECT_TRUE(std::is_sorted(r.configs->begin(), r.configs->end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; }));

  auto md = topic_metadata("orders");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->error_code, 0);
  EXPECT_EQ(md->topic_id, r.topic_id);
  ASSERT_EQ(md->partitions.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(md->partitions[i].partition_index, i);
    EXPECT_EQ(md->partitions[i].leader_id, 1);
    EXPECT_EQ(md->partitions[i].leader_epoch, 0);
    EXPECT_EQ(md->partitions[i].replica_nodes, std::vector<int32_t>{1});
    EXPECT_EQ(md->partitions[i].isr_nodes, std::vector<int32_t>{1});
  }
}

TEST_F(AdminTopics, EveryServedVersionCreatesATopic) {
  for (int16_t v = 2; v <= 7; ++v) {
    auto r = create_one(new_topic("v" + std::to_string(v), 2), v);
    EXPECT_EQ(r.error_code, 0) << "v" << v << ": " << r.error_message.value_or("");
    EXPECT_TRUE(topic_exists("v" + std::to_string(v)));
  }
}

TEST_F(AdminTopics, DefaultsComeFromNumPartitionsAndDefaultReplicationFactor) {
  auto r = create_one(new_topic("defaults", -1, -1));
  ASSERT_EQ(r.error_code, 0);
  EXPECT_EQ(r.num_partitions, 1);
  EXPECT_EQ(r.replication_factor, 1);
}

TEST_F(AdminTopics, InvalidNamesAreRefusedWithKafkasMessages) {
  expect_error(new_topic("bad name"), error_code::invalid_topic_exception,
               "Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, "
               "'.', '_' and '-'");
  expect_error(new_topic(""), error_code::invalid_topic_exception,
               "Topic name is invalid: the empty string is not allowed");
  expect_error(new_topic("."), error_code::invalid_topic_exception, "Topic name is invalid: '.' is not allowed");
  expect_error(new_topic(".."), error_code::invalid_topic_exception, "Topic name is invalid: '..' is not allowed");
  const std::string long_name(250, 'x');
  expect_error(new_topic(long_name), error_code::invalid_topic_exception,
               "Topic name is invalid: the length of '" + long_name + "' is longer than the max allowed length 249");
}

TEST_F(AdminTopics, NamesThatCollideOnDotAndUnderscoreAreRefused) {
  ASSERT_EQ(create_one(new_topic("metrics.cpu")).error_code, 0);
  expect_error(new_topic("metrics_cpu"), error_code::invalid_topic_exception,
               "Topic 'metrics_cpu' collides with existing topic: metrics.cpu");
  expect_error(new_topic("metrics.cpu"), error_code::topic_already_exists, "Topic 'metrics.cpu' already exists.");
}

TEST_F(AdminTopics, PartitionCountsAndReplicationFactorsAreChecked) {
  expect_error(new_topic("p0", 0), error_code::invalid_partitions,
               "Number of partitions was set to an invalid non-positive value.");
  expect_error(new_topic("pneg", -3), error_code::invalid_partitions,
               "Number of partitions was set to an invalid non-positive value.");
  expect_error(new_topic("r0", 1, 0), error_code::invalid_replication_factor,
               "Replication factor must be larger than 0, or -1 to use the default value.");
  expect_error(new_topic("r3", 1, 3), error_code::invalid_replication_factor,
               "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached "
               "because only 1 broker(s) are registered.");
}

TEST_F(AdminTopics, ManualAssignmentsAreValidatedAsKafkaDoes) {
  auto manual = [](std::string name, std::vector<std::pair<int32_t, std::vector<int32_t>>> parts) {
    creatable t = new_topic(std::move(name), -1, -1);
    for (auto& [p, brokers] : parts) t.assignments.push_back({p, brokers, {}});
    return t;
  };
  creatable with_rf = manual("m1", {{0, {1}}});
  with_rf.replication_factor = 1;
  expect_error(with_rf, error_code::invalid_request,
               "A manual partition assignment was specified, but replication factor was not set to -1.");
  creatable with_count = manual("m2", {{0, {1}}});
  with_count.num_partitions = 1;
  expect_error(with_count, error_code::invalid_request,
               "A manual partition assignment was specified, but numPartitions was not set to -1.");
  expect_error(manual("m3", {{0, {2}}}), error_code::invalid_replica_assignment,
               "The manual partition assignment includes broker 2, but no such broker is registered.");
  expect_error(manual("m4", {{0, {1}}, {0, {1}}}), error_code::invalid_replica_assignment,
               "Found multiple manual partition assignments for partition 0");
  expect_error(manual("m5", {{0, {1}}, {2, {1}}}), error_code::invalid_replica_assignment,
               "partitions should be a consecutive 0-based integer sequence");
  expect_error(manual("m6", {{0, {1, 1}}}), error_code::invalid_replica_assignment,
               "The manual partition assignment includes the broker 1 more than once.");
  expect_error(manual("m7", {{0, {}}}), error_code::invalid_replica_assignment,
               "The manual partition assignment includes an empty replica list.");
  auto ok = create_one(manual("m8", {{1, {1}}, {0, {1}}}));
  EXPECT_EQ(ok.error_code, 0) << ok.error_message.value_or("");
  EXPECT_EQ(ok.num_partitions, 2);
}

TEST_F(AdminTopics, ConfigsAreValidatedAsKafkaDoes) {
  expect_error(new_topic("c1", 1, -1, {{"retention.ms", std::nullopt}}), error_code::invalid_config,
               "Null value not supported for topic configs: retention.ms");
  expect_error(new_topic("c2", 1, -1, {{"no.such.config", "1"}}), error_code::invalid_config,
               "Unknown topic config name: no.such.config");
  expect_error(new_topic("c3", 1, -1, {{"retention.ms", "soon"}}), error_code::invalid_config,
               "Invalid value soon for configuration retention.ms: Not a number of type LONG");
  // A bad config wins over a bad replication factor: configs are checked first.
  expect_error(new_topic("c4", 1, 5, {{"segment.bytes", "12"}}), error_code::invalid_config,
               "Invalid value 12 for configuration segment.bytes: Value must be at least 1048576");
  EXPECT_FALSE(topic_exists("c1"));
}

TEST_F(AdminTopics, DuplicateNamesAndTheMetadataTopicAreInvalidRequests) {
  auto r = create({new_topic("twice"), new_topic("once"), new_topic("twice"), new_topic("__cluster_metadata")});
  ASSERT_EQ(r.topics.size(), 3u);
  EXPECT_EQ(r.topics[0].name, "once");
  EXPECT_EQ(r.topics[0].error_code, 0);
  EXPECT_EQ(r.topics[1].name, "twice");
  EXPECT_EQ(r.topics[1].error_code, code(error_code::invalid_request));
  EXPECT_EQ(r.topics[1].error_message, "Duplicate topic name.");
  EXPECT_EQ(r.topics[2].name, "__cluster_metadata");
  EXPECT_EQ(r.topics[2].error_code, code(error_code::invalid_request));
  EXPECT_EQ(r.topics[2].error_message, "Creation of internal topic __cluster_metadata is prohibited.");
  EXPECT_FALSE(topic_exists("twice"));
  EXPECT_EQ(r.throttle_time_ms, 0);
}

TEST_F(AdminTopics, ValidateOnlyAnswersWithoutCreating) {
  auto r = create({new_topic("dry", 4)}, 7, true);
  ASSERT_EQ(r.topics.size(), 1u);
  EXPECT_EQ(r.topics[0].error_code, 0);
  EXPECT_EQ(r.topics[0].num_partitions, 4);
  EXPECT_FALSE(topic_exists("dry"));
}

TEST_F(AdminTopics, InternalTopicsAreFlaggedInternal) {
  ASSERT_EQ(create_one(new_topic("__consumer_offsets", 2, 1, {{"cleanup.policy", "compact"}})).error_code, 0);
  auto md = topic_metadata("__consumer_offsets");
  ASSERT_TRUE(md);
  EXPECT_TRUE(md->is_internal);
}

// --- DeleteTopics ---------------------------------------------------------------------------

class AdminDeleteTopics : public AdminTopics {
 protected:
  protocol::delete_topics_response remove(protocol::delete_topics_request r, int16_t version = 6) {
    auto resp = call<protocol::delete_topics_response>(version, r);
    EXPECT_TRUE(resp);
    return resp ? *resp : protocol::delete_topics_response{};
  }
  static protocol::delete_topics_request by_names(std::vector<std::string> names) {
    protocol::delete_topics_request r;
    r.topic_names = std::move(names);
    r.timeout_ms = 30000;
    return r;
  }
};

TEST_F(AdminDeleteTopics, DeletesByNameAtEveryVersionBeforeSix) {
  for (int16_t v = 1; v <= 5; ++v) {
    const std::string name = "del" + std::to_string(v);
    ASSERT_EQ(create_one(new_topic(name, 2)).error_code, 0);
    auto r = remove(by_names({name}), v);
    ASSERT_EQ(r.responses.size(), 1u);
    EXPECT_EQ(r.responses[0].name, name);
    EXPECT_EQ(r.responses[0].error_code, 0) << "v" << v;
    EXPECT_FALSE(topic_exists(name));
  }
}

TEST_F(AdminDeleteTopics, DeletesByIdAndByNameAtVersionSix) {
  auto a = create_one(new_topic("by-id", 1));
  ASSERT_EQ(create_one(new_topic("by-name", 1)).error_code, 0);
  protocol::delete_topics_request r;
  r.topics.push_back({std::nullopt, a.topic_id, {}});
  r.topics.push_back({std::string("by-name"), uuid{}, {}});
  auto resp = remove(r);
  ASSERT_EQ(resp.responses.size(), 2u);
  for (const auto& x : resp.responses) {
    EXPECT_EQ(x.error_code, 0);
    EXPECT_FALSE(x.topic_id.is_zero());
  }
  EXPECT_FALSE(topic_exists("by-id"));
  EXPECT_FALSE(topic_exists("by-name"));
}

TEST_F(AdminDeleteTopics, BadReferencesGetKafkasErrors) {
  auto a = create_one(new_topic("real", 1));
  uuid unknown;
  unknown.bytes[0] = 7;
  protocol::delete_topics_request r;
  r.topics.push_back({std::nullopt, uuid{}, {}});                          // neither
  r.topics.push_back({std::string("real"), a.topic_id, {}});               // both
  r.topics.push_back({std::string("missing"), uuid{}, {}});                // unknown name
  r.topics.push_back({std::nullopt, unknown, {}});                         // unknown id
  r.topics.push_back({std::string("dup"), uuid{}, {}});                    // duplicate name
  r.topics.push_back({std::string("dup"), uuid{}, {}});
  auto resp = remove(r);
  auto find = [&](int16_t code_wanted, const std::string& message) {
    return std::count_if(resp.responses.begin(), resp.responses.end(), [&](const auto& x) {
      return x.error_code == code_wanted && x.error_message.value_or("") == message;
    });
  };
  EXPECT_EQ(find(code(error_code::invalid_request), "Neither topic name nor id were specified."), 1);
  EXPECT_EQ(find(code(error_code::invalid_request), "You may not specify both topic name and topic id."), 1);
  EXPECT_EQ(find(code(error_code::unknown_topic_or_partition), "This server does not host this topic-partition."), 1);
  EXPECT_EQ(find(code(error_code::unknown_topic_id), "This server does not host this topic ID."), 1);
  EXPECT_EQ(find(code(error_code::invalid_request), "Duplicate topic name."), 1);
  EXPECT_EQ(resp.responses.size(), 5u);
  EXPECT_TRUE(topic_exists("real"));
}

TEST_F(AdminDeleteTopics, ANameAndTheIdItMapsToAreOneTopicGivenTwice) {
  auto a = create_one(new_topic("same", 1));
  protocol::delete_topics_request r;
  r.topics.push_back({std::nullopt, a.topic_id, {}});
  r.topics.push_back({std::string("same"), uuid{}, {}});
  auto resp = remove(r);
  ASSERT_EQ(resp.responses.size(), 1u);
  EXPECT_EQ(resp.responses[0].error_code, code(error_code::invalid_request));
  EXPECT_EQ(resp.responses[0].error_message, "The provided topic name maps to an ID that was already supplied.");
  EXPECT_TRUE(topic_exists("same"));
}

class AdminDeletionDisabled : public AdminDeleteTopics {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"delete.topic.enable", "false"}};
  }
};

TEST_F(AdminDeletionDisabled, OldVersionsGetInvalidRequestNewOnesTopicDeletionDisabled) {
  ASSERT_EQ(create_one(new_topic("keep", 1)).error_code, 0);
  for (int16_t v = 1; v <= 5; ++v) {
    auto r = remove(by_names({"keep"}), v);
    ASSERT_EQ(r.responses.size(), 1u);
    EXPECT_EQ(r.responses[0].error_code,
              code(v < 3 ? error_code::invalid_request : error_code::topic_deletion_disabled))
        << "v" << v;
  }
  protocol::delete_topics_request r;
  r.topics.push_back({std::string("keep"), uuid{}, {}});
  auto v6 = remove(r, 6);
  ASSERT_EQ(v6.responses.size(), 1u);
  EXPECT_EQ(v6.responses[0].error_code, code(error_code::topic_deletion_disabled));
  EXPECT_TRUE(topic_exists("keep"));
}

// --- CreatePartitions --------------------------------------------------------------------

class AdminCreatePartitions : public AdminTopics {
 protected:
  using part_topic = protocol::create_partitions_request::CreatePartitionsTopic;
  std::vector<protocol::create_partitions_response::CreatePartitionsTopicResult> grow(
      std::vector<part_topic> topics, int16_t version = 3, bool validate_only = false) {
    protocol::create_partitions_request r;
    r.topics = std::move(topics);
    r.timeout_ms = 30000;
    r.validate_only = validate_only;
    auto resp = call<protocol::create_partitions_response>(version, r);
    EXPECT_TRUE(resp);
    return resp ? resp->results : decltype(resp->results){};
  }
  static part_topic to(std::string name, int32_t count,
                       std::optional<std::vector<std::vector<int32_t>>> assignments = std::nullopt) {
    part_topic t;
    t.name = std::move(name);
    t.count = count;
    if (assignments) {
      t.assignments.emplace();
      for (auto& a : *assignments) t.assignments->push_back({a, {}});
    } else {
      t.assignments.reset();
    }
    return t;
  }
};

TEST_F(AdminCreatePartitions, AddsPartitionsAtEveryVersion) {
  ASSERT_EQ(create_one(new_topic("grow", 1)).error_code, 0);
  for (int16_t v = 0; v <= 3; ++v) {
    auto r = grow({to("grow", 2 + v)}, v);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error_code, 0) << "v" << v << ": " << r[0].error_message.value_or("");
  }
  auto md = topic_metadata("grow");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->partitions.size(), 5u);
  EXPECT_EQ(md->partitions[4].leader_id, 1);
}

TEST_F(AdminCreatePartitions, RefusesWhatKafkaRefuses) {
  ASSERT_EQ(create_one(new_topic("three", 3)).error_code, 0);
  auto check = [&](part_topic t, error_code e, std::optional<std::string> message) {
    auto r = grow({t});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error_code, code(e)) << t.name;
    EXPECT_EQ(r[0].error_message, message) << t.name;
  };
  check(to("three", 3), error_code::invalid_partitions, "Topic already has 3 partition(s).");
  check(to("three", 2), error_code::invalid_partitions,
        "The topic three currently has 3 partition(s); 2 would not be an increase.");
  check(to("nope", 5), error_code::unknown_topic_or_partition, std::nullopt);
  check(to("three", 5, std::vector<std::vector<int32_t>>{{1}}), error_code::invalid_replica_assignment,
        "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.");
  check(to("three", 4, std::vector<std::vector<int32_t>>{{2}}), error_code::invalid_replica_assignment,
        "The manual partition assignment includes broker 2, but no such broker is registered.");
  auto dup = grow({to("three", 4), to("three", 5)});
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0].error_code, code(error_code::invalid_request));
  EXPECT_EQ(dup[0].error_message, "Duplicate topic name.");
  auto dry = grow({to("three", 6)}, 3, true);
  EXPECT_EQ(dry.at(0).error_code, 0);
  EXPECT_EQ(topic_metadata("three")->partitions.size(), 3u);
  auto manual = grow({to("three", 4, std::vector<std::vector<int32_t>>{{1}})});
  EXPECT_EQ(manual.at(0).error_code, 0);
  EXPECT_EQ(topic_metadata("three")->partitions.size(), 4u);
}

// --- Metadata auto-creation -----------------------------------------------------------------

class AdminAutoCreate : public AdminTopics {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"num.partitions", "3"}};
  }
  std::optional<protocol::metadata_response> ask(const std::string& name, bool allow, int16_t version = 12) {
    protocol::metadata_request r;
    r.topics.emplace();
    r.topics->push_back({{}, name, {}});
    r.allow_auto_topic_creation = allow;
    return call<protocol::metadata_response>(version, r);
  }
};

TEST_F(AdminAutoCreate, AMetadataRequestCreatesTheTopicAndAnswersUnknownMeanwhile) {
  auto first = ask("auto-1", true);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->topics.size(), 1u);
  EXPECT_EQ(first->topics[0].error_code, code(error_code::unknown_topic_or_partition));
  ASSERT_TRUE(wait_for_topic("auto-1"));
  EXPECT_EQ(topic_metadata("auto-1")->partitions.size(), 3u);
  // Old versions (no allow flag) create too.
  ASSERT_TRUE(ask("auto-v1", true, 1));
  EXPECT_TRUE(wait_for_topic("auto-v1"));
}

TEST_F(AdminAutoCreate, NothingIsCreatedWhenTheRequestDisallowsIt) {
  auto r = ask("not-auto", false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->topics.at(0).error_code, code(error_code::unknown_topic_or_partition));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(topic_exists("not-auto"));
  auto bad = ask("bad name", true);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->topics.at(0).error_code, code(error_code::invalid_topic_exception));
  auto meta = ask("__cluster_metadata", true);
  ASSERT_TRUE(meta);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(topic_exists("__cluster_metadata"));
}

class AdminAutoCreateDisabled : public AdminAutoCreate {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override {
    return {{"auto.create.topics.enable", "false"}};
  }
};

TEST_F(AdminAutoCreateDisabled, NothingIsCreatedWhenTheBrokerDisallowsIt) {
  auto r = ask("never", true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->topics.at(0).error_code, code(error_code::unknown_topic_or_partition));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(topic_exists("never"));
}

// --- Persistence ---------------------------------------------------------------------------

TEST_F(AdminTopics, TopicsSurviveACleanRestartAndACrash) {
  auto a = create_one(new_topic("durable", 2, 1, {{"retention.ms", "1234"}}));
  ASSERT_EQ(a.error_code, 0);
  ASSERT_EQ(create_one(new_topic("deleted", 1)).error_code, 0);
  protocol::delete_topics_request del;
  del.topic_names = {"deleted"};
  ASSERT_EQ(call<protocol::delete_topics_response>(5, del)->responses.at(0).error_code, 0);
  restart();
  auto md = topic_metadata("durable");
  ASSERT_TRUE(md);
  EXPECT_EQ(md->error_code, 0);
  EXPECT_EQ(md->topic_id, a.topic_id);
  EXPECT_EQ(md->partitions.size(), 2u);
  EXPECT_FALSE(topic_exists("deleted"));
  ASSERT_EQ(create_one(new_topic("after-restart", 1)).error_code, 0);
  crash_restart();
  EXPECT_TRUE(topic_exists("durable"));
  EXPECT_TRUE(topic_exists("after-restart"));
  EXPECT_FALSE(topic_exists("deleted"));
  EXPECT_FALSE(std::filesystem::exists(dir() / "data" / "deleted-0"));
}

}  // namespace
}  // namespace samsa::broker::testing
