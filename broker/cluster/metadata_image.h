#pragma once

// An immutable snapshot of what the cluster looks like: brokers and their
// endpoints, topics and their partitions. Handlers read the current snapshot
// without locks; a change publishes a new one (copy on write).

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
  std::vector<int32_t> offline_replicas;
};

struct topic_metadata {
  std::string name;
  uuid id;
  bool internal = false;
  std::vector<partition_metadata> partitions;
};

struct metadata_image {
  std::string cluster_id;
  int32_t controller_id = -1;
  // Offset of the last metadata change this image includes; grows with every change.
  int64_t offset = 0;
  std::vector<broker_registration> brokers;
  std::map<std::string, topic_metadata> topics;

  const topic_metadata* find_topic(const std::string& name) const {
    auto it = topics.find(name);
    return it == topics.end() ? nullptr : &it->second;
  }
  const topic_metadata* find_topic(const uuid& id) const {
    for (const auto& [_, t] : topics)
      if (t.id == id) return &t;
    return nullptr;
  }
};

// Holds the current image. Readers on any thread get a consistent snapshot.
class metadata_cache {
 public:
  explicit metadata_cache(std::shared_ptr<const metadata_image> initial) : current_(std::move(initial)) {}
  std::shared_ptr<const metadata_image> current() const { return current_.load(std::memory_order_acquire); }
  void publish(std::shared_ptr<const metadata_image> next) { current_.store(std::move(next), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const metadata_image>> current_;
};

}  // namespace samsa::broker
