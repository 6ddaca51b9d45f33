#pragma once

// The controller: the single writer of cluster metadata. Every change
// (topics, partitions, configs, producer id blocks) becomes metadata records
// that are made durable in the metadata log before they are applied to the
// metadata image and answered — Kafka's KRaft controller on one node
// (QuorumController with its ReplicationControlManager,
// ConfigurationControlManager and ProducerIdControlManager).
//
// The operations take what Kafka's controller takes: requests already checked
// by the handler the way Kafka's ControllerApis / ConfigAdminManager check them
// (duplicates, authorization, resource names, broker-side config rules), and
// answer per topic or resource. Validation against the current metadata
// (exists, collides, partitions, replication factor, configs) is the
// controller's.
//
// Thread-safety: every method may be called from any thread; operations run
// one at a time, in call order, and callbacks run on the controller's thread
// (marshal to a shard if needed). A callback must not block for long.
// Lifetime: destroying the controller answers the operations still queued
// (REQUEST_TIMED_OUT, "The controller is shutting down.") and returns only
// when no callback can run any more.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "broker/cluster/metadata_image.h"
#include "common/result.h"
#include "common/uuid.h"
#include "protocol/error_code.h"
#include "protocol/generated/create_partitions.h"
#include "protocol/generated/create_topics.h"
#include "storage/log_config.h"

namespace spdlog {
class logger;
}

namespace samsa::storage {
class log_manager;
}
namespace samsa::storage::io {
class clock;
}

namespace samsa::broker {

// A block of producer ids leased to this broker (Kafka's ProducerIdsRecord /
// AllocateProducerIds): [first_id, first_id + size).
struct producer_id_block {
  int64_t first_id = 0;
  int32_t size = 0;
};

// Kafka's ApiError: a code and an optional message (null: the client shows
// the code's default message).
struct api_error {
  protocol::error_code code = protocol::error_code::none;
  std::optional<std::string> message;

  bool ok() const { return code == protocol::error_code::none; }
  bool operator==(const api_error&) const = default;
};

// Kafka's AlterConfigOp.OpType ids.
enum class alter_config_op : int8_t { set = 0, remove = 1, append = 2, subtract = 3 };

struct config_change {
  std::string name;
  alter_config_op op = alter_config_op::set;
  std::optional<std::string> value;  // null only for remove
};

// One resource of an IncrementalAlterConfigs request, in request order.
struct incremental_config_changes {
  config_resource resource;
  std::vector<config_change> changes;
};

// One resource of a (legacy) AlterConfigs request: its complete new config set.
struct replacement_configs {
  config_resource resource;
  std::vector<std::pair<std::string, std::string>> configs;
};

struct config_resource_result {
  config_resource resource;
  api_error error;
};

// One topic of a DeleteTopics request, resolved to its id by the handler.
struct topic_deletion_result {
  uuid topic_id;
  api_error error;
};

class controller {
 public:
  using create_topics_callback = std::function<void(protocol::create_topics_response)>;
  using delete_topics_callback = std::function<void(std::vector<topic_deletion_result>)>;
  using create_partitions_callback =
      std::function<void(std::vector<protocol::create_partitions_response::CreatePartitionsTopicResult>)>;
  using alter_configs_callback = std::function<void(std::vector<config_resource_result>)>;

  virtual ~controller() = default;

  // Leases the next block of producer ids; durable before the callback.
  virtual void allocate_producer_ids(std::function<void(result<producer_id_block, protocol::error_code>)> done) = 0;

  // CreateTopics (ReplicationControlManager.createTopics). Topic names are
  // distinct and never __cluster_metadata (the handler answers those). The
  // response has one result per requested topic, in request order; configs,
  // partition count and replication factor are filled for created topics.
  // A request that would need more than 10,000 records fails as a whole:
  // every topic gets POLICY_VIOLATION.
  virtual void create_topics(protocol::create_topics_request request, create_topics_callback done) = 0;

  // Starts creating topics a Metadata request named (auto.create.topics.enable):
  // returns at once. Topics already being created are skipped; failures are
  // only logged (Kafka's AutoTopicCreationManager). Names must be valid.
  virtual void auto_create_topics(std::vector<std::string> names) = 0;

  // DeleteTopics by id (ReplicationControlManager.deleteTopics): one result per
  // id, UNKNOWN_TOPIC_ID for ids that do not exist (any more).
  virtual void delete_topics(std::vector<uuid> topic_ids, delete_topics_callback done) = 0;

  // CreatePartitions; topic names are distinct. One result per topic.
  virtual void create_partitions(std::vector<protocol::create_partitions_request::CreatePartitionsTopic> topics,
                                 bool validate_only, create_partitions_callback done) = 0;

  // IncrementalAlterConfigs for TOPIC and BROKER resources (distinct), as
  // ConfigurationControlManager.incrementalAlterConfigs. One result per resource.
  virtual void incremental_alter_configs(std::vector<incremental_config_changes> changes, bool validate_only,
                                         alter_configs_callback done) = 0;

  // AlterConfigs (legacy): each resource's stored configs become exactly the
  // given set (ConfigurationControlManager.legacyAlterConfigs).
  virtual void legacy_alter_configs(std::vector<replacement_configs> changes, bool validate_only,
                                    alter_configs_callback done) = 0;
};

// What the broker gives its controller.
struct controller_options {
  // The broker's static configuration. Required.
  std::shared_ptr<const config::broker_config> config;
  // Every partition log, the metadata log included. Must outlive the controller.
  storage::log_manager* logs = nullptr;
  // Where images are published. Must outlive the controller.
  metadata_cache* metadata = nullptr;
  const storage::io::clock* clock = nullptr;
  std::shared_ptr<spdlog::logger> logger;  // null: spdlog's default logger
};

// The single-node controller (local_controller.h): replays the metadata log,
// reconciles the partition logs with it, publishes the image, and serves.
result<std::unique_ptr<controller>, std::string> open_controller(controller_options options);

// The storage configuration of a topic's logs, for the log manager's
// topic_config_provider: the metadata log's never-delete configuration for
// __cluster_metadata, the topic's resolved configuration once the controller
// published it, the broker's topic defaults before that (the controller
// pushes every topic's configuration after replay, before anything is served).
// `metadata` may be null (not created yet).
storage::log_config topic_log_config(const config::broker_config& static_config, const metadata_cache* metadata,
                                     const std::string& topic);

}  // namespace samsa::broker
