#pragma once

// Applies metadata records to a metadata image (Kafka's MetadataDelta and the
// control managers' replay methods): the startup replay of the whole metadata
// log and each committed controller operation go through here, so the image
// after a restart is the image before it.
//
// Thread-safety: not thread-safe; one builder per replay or operation.
// Invariant: the image being built keeps metadata_image's invariants 1 and 2
// (topic ids index, partitions 0..n-1) after every successful apply().

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/controller/metadata_records.h"
#include "common/result.h"

namespace samsa::broker {

// What an applied batch changed, for the side effects that follow it
// (partition logs to create or delete, log configs to push).
struct image_changes {
  std::vector<std::pair<std::string, int32_t>> new_partitions;  // (topic, partition)
  std::vector<topic_metadata> removed_topics;                   // as they were before removal
  std::set<std::string> topic_configs_changed;
  bool broker_configs_changed = false;
};

class image_builder {
 public:
  // Starts from a copy of `base`. `static_config` is the broker's own
  // configuration; dynamic broker configs in the log are layered over it.
  image_builder(const metadata_image& base, std::shared_ptr<const config::broker_config> static_config,
                int32_t node_id);

  // Applies one record. Errors describe a log that contradicts itself
  // (duplicate topic, unknown topic id, partitions out of order, ...).
  result<ok_t, std::string> apply(const metadata_record& r);

  // The new image: derived state recomputed (the effective broker config when
  // broker configs changed, resolved configs of topics whose configs or
  // defaults changed), offset set to `offset`. Problems that do not stop the
  // image being built (a stored config no longer valid) are appended to *warnings.
  std::shared_ptr<metadata_image> build(int64_t offset, std::vector<std::string>* warnings);

  const image_changes& changes() const { return changes_; }

 private:
  result<ok_t, std::string> apply_record(const protocol::topic_record& r);
  result<ok_t, std::string> apply_record(const protocol::partition_record& r);
  result<ok_t, std::string> apply_record(const protocol::partition_change_record& r);
  result<ok_t, std::string> apply_record(const protocol::config_record& r);
  result<ok_t, std::string> apply_record(const protocol::remove_topic_record& r);
  result<ok_t, std::string> apply_record(const protocol::producer_ids_record& r);
  result<ok_t, std::string> apply_record(const protocol::feature_level_record& r);
  result<ok_t, std::string> apply_record(const protocol::no_op_record&) { return ok; }
  topic_metadata* topic_by_id(const uuid& id);

  std::shared_ptr<metadata_image> next_;
  std::shared_ptr<const config::broker_config> static_config_;
  int32_t node_id_;
  image_changes changes_;
  std::set<std::string> touched_topics_;  // created or re-configured: their config is resolved again
};

// The static configuration with the dynamic cluster defaults, then this
// broker's dynamic configs, applied. Errors are the broker_config's.
result<std::shared_ptr<const config::broker_config>, std::string> effective_broker_config(
    const config::broker_config& static_config, const config::properties* cluster_defaults,
    const config::properties* per_broker);

}  // namespace samsa::broker
