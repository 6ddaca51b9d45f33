// The controller on a real log manager: records, replay, crashes, producer
// ids, partition logs and stray logs.

#include <gtest/gtest.h>

#include <set>

#include "broker/controller/test/controller_fixture.h"

namespace samsa::broker::testing {
namespace {

using protocol::error_code;

// The controller's part of an image, compared field by field.
void expect_same_metadata(const metadata_image& a, const metadata_image& b) {
  EXPECT_EQ(a.offset, b.offset);
  EXPECT_EQ(a.next_producer_id, b.next_producer_id);
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.topic_names_by_id, b.topic_names_by_id);
  ASSERT_EQ(a.topics.size(), b.topics.size());
  for (const auto& [name, t] : a.topics) {
    const topic_metadata* u = b.find_topic(name);
    ASSERT_NE(u, nullptr) << name;
    EXPECT_EQ(t.id, u->id);
    EXPECT_EQ(t.internal, u->internal);
    ASSERT_EQ(t.partitions.size(), u->partitions.size()) << name;
    for (size_t i = 0; i < t.partitions.size(); ++i) {
      EXPECT_EQ(t.partitions[i].leader, u->partitions[i].leader);
      EXPECT_EQ(t.partitions[i].leader_epoch, u->partitions[i].leader_epoch);
      EXPECT_EQ(t.partitions[i].partition_epoch, u->partitions[i].partition_epoch);
      EXPECT_EQ(t.partitions[i].replicas, u->partitions[i].replicas);
      EXPECT_EQ(t.partitions[i].isr, u->partitions[i].isr);
    }
    ASSERT_TRUE(t.config && u->config);
    EXPECT_EQ(t.config->retention_ms(), u->config->retention_ms()) << name;
    EXPECT_EQ(t.config->overrides().entries(), u->config->overrides().entries()) << name;
  }
  ASSERT_EQ(a.configs.size(), b.configs.size());
  for (const auto& [r, p] : a.configs) {
    const config::properties* q = b.find_configs(r);
    ASSERT_NE(q, nullptr) << r.name;
    EXPECT_EQ(p.entries(), q->entries()) << r.name;
  }
  ASSERT_TRUE(a.effective_config && b.effective_config);
  EXPECT_EQ(a.effective_config->log_retention_ms(), b.effective_config->log_retention_ms());
}

class Controller : public controller_fixture {};

TEST_F(Controller, AFreshControllerWritesTheBootstrapFeatureLevel) {
  auto img = image();
  EXPECT_EQ(img->features.at("metadata.version"), local_controller::bootstrap_metadata_version);
  EXPECT_EQ(img->offset, 0);
  EXPECT_TRUE(img->topics.empty());
  ASSERT_NE(img->effective_config, nullptr);
}

TEST_F(Controller, ReplayingTheMetadataLogRebuildsTheSameImage) {
  create("orders", 3, {{"retention.ms", "100000"}, {"cleanup.policy", "compact"}});
  create("payments", 1);
  create("audit.log", 2);
  ASSERT_TRUE(allocate());
  auto changed = alter({{{config_resource_type::topic, "orders"},
                         {{"retention.ms", alter_config_op::remove, std::nullopt},
                          {"segment.bytes", alter_config_op::set, "1048576"}}},
                        {{config_resource_type::broker, ""}, {{"log.retention.ms", alter_config_op::set, "3600000"}}},
                        {{config_resource_type::broker, "1"}, {{"log.cleaner.threads", alter_config_op::set, "2"}}}});
  ASSERT_EQ(changed.size(), 3u);
  for (const auto& c : changed) EXPECT_TRUE(c.error.ok()) << c.resource.name << ": " << c.error.message.value_or("");
  ASSERT_EQ(create_partitions("payments", 4).at(0).error_code, 0);
  auto deleted = delete_topics({image()->find_topic("audit.log")->id});
  ASSERT_EQ(deleted.at(0).error, api_error{});
  create("audit.log", 1);
  ASSERT_TRUE(allocate());
  auto replaced = replace({{{config_resource_type::topic, "payments"}, {{"max.message.bytes", "2000"}}}});
  ASSERT_TRUE(replaced.at(0).error.ok());

  auto before = image();
  EXPECT_EQ(before->effective_config->log_retention_ms(), 3600000);
  EXPECT_EQ(before->find_topic("payments")->config->retention_ms(), 3600000);
  EXPECT_EQ(before->find_topic("payments")->partitions.size(), 4u);
  EXPECT_EQ(before->next_producer_id, 2000);
  clean_restart();
  expect_same_metadata(*before, *image());
  // And once more after a crash that keeps nothing unsynced.
  crash_restart(7, storage::io::crash_mode::drop_unsynced);
  expect_same_metadata(*before, *image());
}

TEST_F(Controller, EveryAcknowledgedOperationSurvivesACrash) {
  std::set<std::string> acknowledged;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    for (int i = 0; i < 3; ++i) {
      const std::string name = "t" + std::to_string(seed) + "-" + std::to_string(i);
      auto r = create_topics({topic(name, 2)});
      if (r.topics.at(0).error_code == 0) acknowledged.insert(name);
    }
    // One more that may or may not make it: the process dies while writing.
    fs.freeze_after(seed % 5);
    (void)create_topics({topic("maybe-" + std::to_string(seed))});
    crash_restart(seed, seed % 2 ? storage::io::crash_mode::random_pages_and_tear
                                 : storage::io::crash_mode::drop_unsynced);
    auto img = image();
    for (const auto& name : acknowledged) {
      const topic_metadata* t = img->find_topic(name);
      ASSERT_NE(t, nullptr) << "lost " << name << " at seed " << seed;
      EXPECT_EQ(t->partitions.size(), 2u);
      for (int p = 0; p < 2; ++p) EXPECT_NE(logs->get_log({name, p}), nullptr) << name << "-" << p;
    }
  }
  EXPECT_EQ(acknowledged.size(), 36u);
}

TEST_F(Controller, ProducerIdBlocksNeverRepeatAcrossRestarts) {
  std::set<int64_t> firsts;
  auto take = [&](int n) {
    for (int i = 0; i < n; ++i) {
      auto b = allocate();
      ASSERT_TRUE(b);
      EXPECT_EQ(b->size, 1000);
      EXPECT_TRUE(firsts.insert(b->first_id).second) << "block " << b->first_id << " leased twice";
      EXPECT_EQ(b->first_id, (static_cast<int64_t>(firsts.size()) - 1) * 1000);
    }
  };
  take(3);
  clean_restart();
  take(2);
  crash_restart(3, storage::io::crash_mode::drop_unsynced);
  take(2);
  crash_restart(4, storage::io::crash_mode::random_pages_and_tear);
  take(1);
  EXPECT_EQ(firsts.size(), 8u);
}

TEST_F(Controller, PartitionLogsExistWhenTheTopicIsAnswered) {
  protocol::create_topics_request r;
  r.topics.push_back(topic("ready", 4, {{"retention.ms", "12345"}}));
  std::promise<void> done;
  ctl->create_topics(std::move(r), [&](protocol::create_topics_response out) {
    EXPECT_EQ(out.topics.at(0).error_code, 0);
    // The image is published and every partition log exists with the topic's config.
    const topic_metadata* t = cache->current()->find_topic("ready");
    EXPECT_NE(t, nullptr);
    for (int p = 0; p < 4; ++p) {
      auto log = logs->get_log({"ready", p});
      EXPECT_NE(log, nullptr);
      if (log) {
        EXPECT_EQ(log->config().retention_ms, 12345);
      }
    }
    done.set_value();
  });
  done.get_future().get();
}

TEST_F(Controller, TheMetadataLogIsNeverSubjectToRetention) {
  auto log = logs->get_log({"__cluster_metadata", 0});
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->config().retention_ms, -1);
  EXPECT_EQ(log->config().retention_bytes, -1);
  EXPECT_FALSE(log->config().cleanup_delete);
  EXPECT_FALSE(log->config().cleanup_compact);
  create("x");
  clean_restart();
  log = logs->get_log({"__cluster_metadata", 0});
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->config().retention_ms, -1);
  ASSERT_TRUE(log->roll());
  logs->run_retention_once();
  EXPECT_EQ(log->log_start_offset().value(), 0);
}

TEST_F(Controller, StrayLogsAreDeletedAtStartupAndMissingOnesCreated) {
  create("kept", 2);
  ctl.reset();
  ASSERT_TRUE(logs->get_or_create_log({"orphan", 0}));
  ASSERT_TRUE(logs->get_or_create_log({"kept", 7}));
  ASSERT_TRUE(logs->delete_log({"kept", 1}));
  ASSERT_TRUE(logs->shutdown());
  logs.reset();
  start();
  EXPECT_EQ(logs->get_log({"orphan", 0}), nullptr);
  EXPECT_EQ(logs->get_log({"kept", 7}), nullptr);
  EXPECT_NE(logs->get_log({"kept", 0}), nullptr);
  EXPECT_NE(logs->get_log({"kept", 1}), nullptr);
  EXPECT_NE(logs->get_log({"__cluster_metadata", 0}), nullptr);
}

TEST_F(Controller, TopicConfigsArePushedToTheirLogsAfterReplay) {
  create("tuned", 1, {{"retention.ms", "5000"}});
  clean_restart();
  auto log = logs->get_log({"tuned", 0});
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(log->config().retention_ms, 5000);
  // A dynamic cluster default reaches topics without their own value.
  create("plain", 1);
  auto r = alter({{{config_resource_type::broker, ""}, {{"log.retention.ms", alter_config_op::set, "7777"}}}});
  ASSERT_TRUE(r.at(0).error.ok());
  EXPECT_EQ(logs->get_log({"plain", 0})->config().retention_ms, 7777);
  EXPECT_EQ(logs->get_log({"tuned", 0})->config().retention_ms, 5000);
}

TEST_F(Controller, DeletingATopicRemovesItsLogsAndConfigs) {
  create("gone", 2, {{"retention.ms", "1000"}});
  const uuid id = image()->find_topic("gone")->id;
  auto r = delete_topics({id, id});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].error.ok());
  EXPECT_EQ(r[1].error.code, error_code::unknown_topic_id);
  EXPECT_EQ(image()->find_topic("gone"), nullptr);
  EXPECT_EQ(image()->topic_overrides("gone"), nullptr);
  EXPECT_EQ(logs->get_log({"gone", 0}), nullptr);
  EXPECT_EQ(logs->get_log({"gone", 1}), nullptr);
  // The same name can be created again, with a new id and fresh configs.
  create("gone", 1);
  EXPECT_NE(image()->find_topic("gone")->id, id);
  EXPECT_EQ(image()->find_topic("gone")->config->retention_ms(), 604800000);
}

TEST_F(Controller, ValidateOnlyWritesNothing) {
  const int64_t offset = image()->offset;
  auto r = create_topics({topic("dry", 3)}, true);
  EXPECT_EQ(r.topics.at(0).error_code, 0);
  EXPECT_EQ(r.topics.at(0).num_partitions, 3);
  EXPECT_EQ(image()->offset, offset);
  EXPECT_EQ(image()->find_topic("dry"), nullptr);
  EXPECT_EQ(logs->get_log({"dry", 0}), nullptr);
}

TEST_F(Controller, AnOperationNeedingMoreThanTenThousandRecordsIsAPolicyViolation) {
  auto r = create_topics({topic("huge", 10'000)});
  ASSERT_EQ(r.topics.size(), 1u);
  EXPECT_EQ(r.topics[0].error_code, static_cast<int16_t>(error_code::policy_violation));
  EXPECT_EQ(r.topics[0].error_message, "Unable to perform excessively large batch operation.");
  EXPECT_EQ(image()->find_topic("huge"), nullptr);
  // Refused before two million partitions are planned, and quickly.
  auto enormous = create_topics({topic("enormous", 2'000'000)});
  EXPECT_EQ(enormous.topics.at(0).error_code, static_cast<int16_t>(error_code::policy_violation));
  auto grow = create_partitions("huge-not", 2'000'000);
  EXPECT_EQ(grow.at(0).error_code, static_cast<int16_t>(error_code::unknown_topic_or_partition));
  create("small");
  auto grow_small = create_partitions("small", 2'000'000);
  EXPECT_EQ(grow_small.at(0).error_code, static_cast<int16_t>(error_code::policy_violation));
  // 1 TopicRecord + 9,999 PartitionRecords fit (validate-only: no logs to create).
  auto ok = create_topics({topic("big", 9'999)}, true);
  EXPECT_EQ(ok.topics.at(0).error_code, 0);
}

TEST_F(Controller, ShutdownAnswersEveryQueuedOperationExactlyOnce) {
  std::atomic<int> answered{0};
  constexpr int n = 50;
  for (int i = 0; i < n; ++i) {
    protocol::create_topics_request r;
    r.topics.push_back(topic("q" + std::to_string(i)));
    ctl->create_topics(std::move(r), [&](protocol::create_topics_response out) {
      const int16_t code = out.topics.at(0).error_code;
      EXPECT_TRUE(code == 0 || code == static_cast<int16_t>(error_code::request_timed_out)) << code;
      answered.fetch_add(1);
    });
  }
  ctl.reset();
  EXPECT_EQ(answered.load(), n);
  // Operations after the controller is gone are impossible; a new one sees
  // exactly the topics that were answered with success.
  ASSERT_TRUE(logs->shutdown());
  logs.reset();
  start();
}

TEST_F(Controller, AnIOErrorOnTheMetadataLogFailsTheOperationAndLaterOnes) {
  create("before");
  fs.inject_error(storage::io::fault_op::sync, "__cluster_metadata", 1000);
  auto r = create_topics({topic("during")});
  EXPECT_EQ(r.topics.at(0).error_code, static_cast<int16_t>(error_code::unknown_server_error));
  EXPECT_EQ(image()->find_topic("during"), nullptr);
  auto again = create_topics({topic("after")});
  EXPECT_EQ(again.topics.at(0).error_code, static_cast<int16_t>(error_code::unknown_server_error));
  EXPECT_FALSE(allocate());
}

}  // namespace
}  // namespace samsa::broker::testing
