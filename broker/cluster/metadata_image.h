#pragma once

// An immutable snapshot of what the cluster looks like: brokers and their
// endpoints, topics and their partitions, configs, producer ids and features.
// Handlers read the current snapshot without locks; a change publishes a new
// one (copy on write). Kafka's MetadataImage.
//
// Two writers own disjoint parts of an image:
//   - the broker publishes its registration (cluster id, controller id, the
//     brokers and their advertised endpoints) with metadata_cache::publish();
//   - the controller (broker/controller/) publishes everything else, replayed
//     from the metadata log, with metadata_cache::publish_metadata().
// Each publish keeps the other writer's part of the current image.
//
// Invariants of an image the controller published:
//   1. topic_names_by_id holds exactly one entry per topic, id -> name.
//   2. every topic has partitions 0..n-1 in order (partitions[i].partition == i)
//      and a non-null resolved config.
//   3. effective_config is non-null.

#include <atomic>
#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/config/properties.h"
#include "broker/config/topic_config.h"
#include "common/uuid.h"

namespace samsa::broker {

struct endpoint {
  std::string listener_name;
  std::string host;
  uint16_t port = 0;
};

struct broker_registration {
  int32_t node_id = 0;
  std::optional<std::string> rack;
  std::vector<endpoint> endpoints;  // advertised, one per listener

  const endpoint* find_endpoint(const std::string& listener_name) const {
    for (const auto& e : endpoints)
      if (e.listener_name == listener_name) return &e;
    return nullptr;
  }
};

struct partition_metadata {
  int32_t partition = 0;
  int32_t leader = -1;
  int32_t leader_epoch = 0;
  int32_t partition_epoch = 0;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
  std::vector<int32_t> offline_replicas;
};

struct topic_metadata {
  std::string name;
  uuid id;
  bool internal = false;
  std::vector<partition_metadata> partitions;
  // The topic's configuration: its overrides over the effective broker
  // defaults. Null only in images not built by the controller (tests).
  std::shared_ptr<const config::topic_config> config;
};

// Kafka's ConfigResource.Type ids, as stored in ConfigRecord.resource_type
// and sent in DescribeConfigs / AlterConfigs requests.
enum class config_resource_type : int8_t {
  unknown = 0,
  topic = 2,
  broker = 4,
  broker_logger = 8,
  client_metrics = 16,
  group = 32,
};

// A config resource: (type, name). BROKER "" is the cluster-wide default,
// BROKER "<id>" one broker.
struct config_resource {
  config_resource_type type = config_resource_type::unknown;
  std::string name;
  auto operator<=>(const config_resource&) const = default;
  bool operator==(const config_resource&) const = default;
};

struct metadata_image {
  // --- The broker's registration (metadata_cache::publish) -------------------
  std::string cluster_id;
  int32_t controller_id = -1;
  std::vector<broker_registration> brokers;

  // --- The controller's metadata (metadata_cache::publish_metadata) ----------
  // Offset of the last metadata log record this image includes; -1 for none.
  int64_t offset = -1;
  std::map<std::string, topic_metadata> topics;
  std::map<uuid, std::string> topic_names_by_id;  // Invariant 1
  // Stored configs (ConfigRecord): topic overrides and dynamic broker configs.
  std::map<config_resource, config::properties> configs;
  // The static broker configuration with the dynamic cluster defaults and this
  // broker's dynamic configs applied (Kafka's DynamicBrokerConfig.currentConfig).
  std::shared_ptr<const config::broker_config> effective_config;
  // The first producer id of the next block to lease (ProducerIdsRecord).
  int64_t next_producer_id = 0;
  // Finalized feature levels (FeatureLevelRecord), e.g. metadata.version.
  std::map<std::string, int16_t> features;

  const topic_metadata* find_topic(const std::string& name) const {
    auto it = topics.find(name);
    return it == topics.end() ? nullptr : &it->second;
  }
  const topic_metadata* find_topic(const uuid& id) const {
    auto it = topic_names_by_id.find(id);
    return it == topic_names_by_id.end() ? nullptr : find_topic(it->second);
  }
  // The stored configs of a resource, or null when it has none.
  const config::properties* find_configs(const config_resource& r) const {
    auto it = configs.find(r);
    return it == configs.end() ? nullptr : &it->second;
  }
  const config::properties* topic_overrides(const std::string& topic) const {
    return find_configs({config_resource_type::topic, topic});
  }
  const config::properties* dynamic_cluster_defaults() const {
    return find_configs({config_resource_type::broker, ""});
  }
  const config::properties* dynamic_broker_configs(int32_t node_id) const {
    return find_configs({config_resource_type::broker, std::to_string(node_id)});
  }
};

// Holds the current image. Readers on any thread get a consistent snapshot
// without locking; the two writers (see the header comment) serialise on a
// mutex so neither loses the other's part.
class metadata_cache {
 public:
  explicit metadata_cache(std::shared_ptr<const metadata_image> initial) : current_(std::move(initial)) {}

  std::shared_ptr<const metadata_image> current() const { return current_.load(std::memory_order_acquire); }

  // The broker's registration: cluster id, controller id and brokers come from
  // `registration`; the controller's metadata of the current image is kept.
  void publish(std::shared_ptr<const metadata_image> registration) {
    std::lock_guard<std::mutex> g(write_mu_);
    auto next = std::make_shared<metadata_image>(*current());
    next->cluster_id = registration->cluster_id;
    next->controller_id = registration->controller_id;
    next->brokers = registration->brokers;
    current_.store(std::move(next), std::memory_order_release);
  }

  // The controller's metadata: everything in `next` but the registration,
  // which is taken from the current image.
  void publish_metadata(std::shared_ptr<metadata_image> next) {
    std::lock_guard<std::mutex> g(write_mu_);
    auto now = current();
    next->cluster_id = now->cluster_id;
    next->controller_id = now->controller_id;
    next->brokers = now->brokers;
    current_.store(std::shared_ptr<const metadata_image>(std::move(next)), std::memory_order_release);
  }

 private:
  std::mutex write_mu_;
  std::atomic<std::shared_ptr<const metadata_image>> current_;
};

}  // namespace samsa::broker
