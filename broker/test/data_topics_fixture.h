#pragma once

// Topics for data-path tests, made through the real CreateTopics API (the
// controller writes them to the metadata log and publishes the image), plus
// the one thing a single broker cannot make by request: an image whose
// partition has another leader epoch or a smaller ISR than its replicas
// (reshape_partitions), for the epoch-fencing and min-ISR cases.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/test/broker_fixture.h"
#include "broker/test/wire_client.h"
#include "protocol/generated/create_topics.h"
#include "protocol/records/batch_builder.h"
#include "storage/manager/log_manager.h"

namespace samsa::broker::testing {

// Creates `name` through CreateTopics on `port`; returns its id (zero on failure,
// with a test failure recorded).
inline uuid create_topic_via_api(uint16_t port, const std::string& name, int32_t partitions,
                                 const std::map<std::string, std::string>& configs = {}) {
  protocol::create_topics_request req;
  req.timeout_ms = 30000;
  auto& t = req.topics.emplace_back();
  t.name = name;
  t.num_partitions = partitions;
  t.replication_factor = 1;
  for (const auto& [k, v] : configs) t.configs.push_back({k, v, {}});
  wire_client c(port);
  EXPECT_TRUE(c.send(7, 1, req));
  auto r = c.read_response<protocol::create_topics_response>(7, 1, 30s);
  EXPECT_TRUE(r) << "no CreateTopics answer for " << name;
  if (!r) return {};
  EXPECT_EQ(r->topics.at(0).error_code, 0) << name << ": " << r->topics.at(0).error_message.value_or("");
  return r->topics.at(0).topic_id;
}

class data_fixture : public broker_fixture {
 protected:
  broker_services& services() { return the_broker().services_for_testing(); }

  uuid create_topic(const std::string& name, int32_t partitions, const std::map<std::string, std::string>& configs = {}) {
    uuid id = create_topic_via_api(port(), name, partitions, configs);
    EXPECT_NE(services().metadata->current()->find_topic(name), nullptr) << name << " is not in the image";
    return id;
  }

  // Publishes an image in which every partition of `topic` went through `change`
  // (a leader epoch the broker has not seen, replicas that are not in the ISR).
  void reshape_partitions(const std::string& topic, const std::function<void(partition_metadata&)>& change) {
    auto next = std::make_shared<metadata_image>(*services().metadata->current());
    auto it = next->topics.find(topic);
    ASSERT_NE(it, next->topics.end());
    for (auto& p : it->second.partitions) change(p);
    services().metadata->publish_metadata(next);
  }
};

// One record batch with `count` records "value-<i>" (keys "key-<i>").
inline std::vector<uint8_t> make_batch(int count, protocol::batch_builder_options options = {},
                                       int64_t timestamp_ms = -1) {
  protocol::batch_builder b(options);
  std::vector<std::string> keys, values;
  for (int i = 0; i < count; ++i) {
    keys.push_back("key-" + std::to_string(i));
    values.push_back("value-" + std::to_string(i));
  }
  for (int i = 0; i < count; ++i) {
    protocol::record_input r;
    r.key = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(keys[i].data()), keys[i].size());
    r.value = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(values[i].data()), values[i].size());
    r.timestamp_ms = timestamp_ms;
    EXPECT_TRUE(b.append(r).ok());
  }
  auto built = b.build();
  EXPECT_TRUE(built.ok());
  return built.ok() ? std::move(built.value()) : std::vector<uint8_t>{};
}

}  // namespace samsa::broker::testing
