#pragma once

// The controller of a single-node cluster: Kafka's QuorumController with a
// quorum of one. It owns the metadata log and is the only writer of the
// controller's part of the metadata image.
//
// Each operation, one at a time on the controller's thread:
//   plan (validate against the current image) -> records -> one batch appended
//   to the metadata log and made durable -> applied to a new image -> partition
//   logs of new partitions created, log configs pushed -> image published ->
//   logs of deleted topics deleted -> answered.
// A client that sees a topic in the image can therefore produce to it, and an
// answered change survives a crash.
//
// Startup (open): the whole metadata log is replayed into an image; the
// partition logs are reconciled with it (missing logs created, configs pushed,
// logs of topics the metadata does not know deleted as Kafka deletes stray
// replicas); on an empty log the bootstrap batch (metadata.version) is written.
//
// Thread-safety: see controller.h. Invariants:
//   1. image_ reflects exactly the batches of the metadata log below
//      log_->end_offset() (after open and after every commit).
//   2. Only the controller's thread touches image_, log_ and ids_ after open.
//   3. Once the metadata log failed (I/O error), no operation writes again.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/controller/controller.h"
#include "broker/controller/image_builder.h"
#include "broker/controller/metadata_log.h"
#include "broker/controller/plan_context.h"
#include "common/result.h"
#include "storage/io/clock.h"
#include "storage/manager/log_manager.h"

namespace spdlog {
class logger;
}

namespace samsa::broker {


class local_controller final : public controller {
 public:
  // Opens the metadata log, replays it, reconciles the partition logs,
  // publishes the image and starts the controller's thread.
  static result<std::unique_ptr<local_controller>, std::string> open(controller_options options);
  ~local_controller() override;

  void allocate_producer_ids(std::function<void(result<producer_id_block, protocol::error_code>)> done) override;
  void create_topics(protocol::create_topics_request request, create_topics_callback done) override;
  void auto_create_topics(std::vector<std::string> names) override;
  void delete_topics(std::vector<uuid> topic_ids, delete_topics_callback done) override;
  void create_partitions(std::vector<protocol::create_partitions_request::CreatePartitionsTopic> topics,
                         bool validate_only, create_partitions_callback done) override;
  void incremental_alter_configs(std::vector<incremental_config_changes> changes, bool validate_only,
                                 alter_configs_callback done) override;
  void legacy_alter_configs(std::vector<replacement_configs> changes, bool validate_only,
                            alter_configs_callback done) override;

  // Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE.
  static constexpr int32_t producer_id_block_size = 1000;
  // metadata.version written at bootstrap: 3.9-IV0 (what ApiVersions reports).
  static constexpr int16_t bootstrap_metadata_version = 21;

 private:
  struct task {
    std::function<void()> run;
    std::function<void()> cancel;  // answers "shutting down" instead
  };

  explicit local_controller(controller_options options);
  result<ok_t, std::string> load();
  void reconcile_logs(bool delete_strays);
  void submit(task t);
  void loop();

  plan_context context() const { return plan_context{*image_, *options_.config, node_id_}; }
  // Appends `records` as one durable batch, applies it and publishes the new
  // image (see the header comment). nullopt on success.
  std::optional<api_error> commit(const std::vector<metadata_record>& records);
  void create_partition_log(const topic_metadata& topic, int32_t partition);
  void push_log_configs(const std::vector<std::string>& topics);
  void run_auto_create(const std::vector<std::string>& names);

  controller_options options_;
  int32_t node_id_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<metadata_log> log_;
  std::shared_ptr<const metadata_image> image_;  // Invariant 1, 2
  random_uuid_source ids_;

  std::mutex mu_;  // queue_, stopping_, auto_creating_
  std::condition_variable cv_;
  std::deque<task> queue_;
  bool stopping_ = false;
  std::set<std::string> auto_creating_;  // names queued for auto-creation
  std::thread thread_;
};

}  // namespace samsa::broker
