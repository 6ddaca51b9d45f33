#pragma once

// A local_controller over a real log manager on the fault-injecting file
// system (background threads on: flushes complete on their own), with clean
// and crash restarts and blocking wrappers around the asynchronous operations.

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/cluster/log_config_mapping.h"
#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/controller/local_controller.h"
#include "storage/io/clock.h"
#include "storage/io/fault_injection_file_system.h"
#include "storage/manager/log_manager.h"

namespace samsa::broker::testing {

class controller_fixture : public ::testing::Test {
 protected:
  // Extra broker configs for a test.
  virtual std::vector<std::pair<std::string, std::string>> extra_config() const { return {}; }

  void SetUp() override {
    fs.make_dirs_durable("/");
    config::properties props;
    props.set("log.dirs", "/data");
    props.set("node.id", "1");
    for (const auto& [k, v] : extra_config()) props.set(k, v);
    auto c = config::broker_config::from_properties(props);
    ASSERT_TRUE(c) << c.error().message;
    config = std::make_shared<config::broker_config>(std::move(*c));
    start();
  }

  void TearDown() override {
    ctl.reset();
    if (logs) (void)logs->shutdown();
    logs.reset();
  }

  void start() {
    cache = std::make_unique<metadata_cache>(std::make_shared<metadata_image>());
    auto manager_config = to_log_manager_config(*config);
    manager_config.initial_task_delay_ms = 3'600'000;
    auto m = storage::log_manager::open(fs, clock, manager_config, [this](const std::string& topic) {
      return topic_log_config(*config, cache.get(), topic);
    });
    ASSERT_TRUE(m) << m.error();
    logs = std::move(*m);
    controller_options o;
    o.config = config;
    o.logs = logs.get();
    o.metadata = cache.get();
    o.clock = &clock;
    auto c = local_controller::open(std::move(o));
    ASSERT_TRUE(c) << c.error();
    ctl = std::move(*c);
  }

  void clean_restart() {
    ctl.reset();
    ASSERT_TRUE(logs->shutdown());
    logs.reset();
    start();
  }

  // Power loss: nothing is shut down, then the disk keeps what `mode` says.
  void crash_restart(uint64_t seed, storage::io::crash_mode mode) {
    ctl.reset();
    logs.reset();
    fs.crash(seed, mode);
    start();
  }

  std::shared_ptr<const metadata_image> image() const { return cache->current(); }

  // --- blocking operations ---------------------------------------------------
  protocol::create_topics_response create_topics(std::vector<protocol::create_topics_request::CreatableTopic> topics,
                                                 bool validate_only = false) {
    protocol::create_topics_request r;
    r.topics = std::move(topics);
    r.validate_only = validate_only;
    std::promise<protocol::create_topics_response> p;
    ctl->create_topics(std::move(r), [&](protocol::create_topics_response out) { p.set_value(std::move(out)); });
    return p.get_future().get();
  }
  static protocol::create_topics_request::CreatableTopic topic(std::string name, int32_t partitions = 1,
                                                               std::vector<std::pair<std::string, std::string>> configs = {}) {
    protocol::create_topics_request::CreatableTopic t;
    t.name = std::move(name);
    t.num_partitions = partitions;
    t.replication_factor = -1;
    for (auto& [k, v] : configs) t.configs.push_back({k, v, {}});
    return t;
  }
  // Creates one topic and expects success.
  void create(const std::string& name, int32_t partitions = 1,
              std::vector<std::pair<std::string, std::string>> configs = {}) {
    auto r = create_topics({topic(name, partitions, std::move(configs))});
    ASSERT_EQ(r.topics.size(), 1u);
    ASSERT_EQ(r.topics[0].error_code, 0) << name << ": " << r.topics[0].error_message.value_or("");
  }
  std::vector<topic_deletion_result> delete_topics(std::vector<uuid> ids) {
    std::promise<std::vector<topic_deletion_result>> p;
    ctl->delete_topics(std::move(ids), [&](std::vector<topic_deletion_result> out) { p.set_value(std::move(out)); });
    return p.get_future().get();
  }
  std::vector<protocol::create_partitions_response::CreatePartitionsTopicResult> create_partitions(
      const std::string& name, int32_t count) {
    protocol::create_partitions_request::CreatePartitionsTopic t;
    t.name = name;
    t.count = count;
    t.assignments.reset();
    std::promise<std::vector<protocol::create_partitions_response::CreatePartitionsTopicResult>> p;
    ctl->create_partitions({t}, false, [&](auto out) { p.set_value(std::move(out)); });
    return p.get_future().get();
  }
  std::vector<config_resource_result> alter(std::vector<incremental_config_changes> changes) {
    std::promise<std::vector<config_resource_result>> p;
    ctl->incremental_alter_configs(std::move(changes), false, [&](auto out) { p.set_value(std::move(out)); });
    return p.get_future().get();
  }
  std::vector<config_resource_result> replace(std::vector<replacement_configs> changes) {
    std::promise<std::vector<config_resource_result>> p;
    ctl->legacy_alter_configs(std::move(changes), false, [&](auto out) { p.set_value(std::move(out)); });
    return p.get_future().get();
  }
  result<producer_id_block, protocol::error_code> allocate() {
    std::promise<result<producer_id_block, protocol::error_code>> p;
    ctl->allocate_producer_ids([&](result<producer_id_block, protocol::error_code> r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }

  storage::io::fault_injection_file_system fs;
  storage::io::system_clock clock;
  std::shared_ptr<const config::broker_config> config;
  std::unique_ptr<metadata_cache> cache;
  std::unique_ptr<storage::log_manager> logs;
  std::unique_ptr<local_controller> ctl;
};

}  // namespace samsa::broker::testing
