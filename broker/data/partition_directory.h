#pragma once

// Where a request finds a partition: the metadata image says whether it exists
// and who leads it; the log manager holds its log. Kafka's
// ReplicaManager.getPartitionOrException plus the leader check, for a broker
// that is the only replica of what it leads.
//
// The image decides. A partition the image lacks is UNKNOWN_TOPIC_OR_PARTITION;
// one led by another broker is NOT_LEADER_OR_FOLLOWER; one we lead whose log
// cannot be opened or created is KAFKA_STORAGE_ERROR. A log missing from the
// log manager is created (Kafka creates it when the broker becomes leader), so
// a topic made by the controller is usable whoever creates its logs first.
//
// Thread-safety: every method may be called from any shard. Lookups take a
// shared lock; hosting a partition for the first time takes it exclusively.
// Lifetime: the log manager outlives the directory.

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "broker/cluster/metadata_image.h"
#include "broker/data/hosted_partition.h"
#include "protocol/error_code.h"

namespace samsa::storage {
class log_manager;
}

namespace samsa::broker::data {

struct partition_lookup {
  protocol::error_code error = protocol::error_code::none;
  // Set when error is none.
  std::shared_ptr<hosted_partition> partition;
  // The image's entry, whenever the image has the partition (also with
  // NOT_LEADER_OR_FOLLOWER, to name the leader). Points into the image the
  // caller holds.
  const partition_metadata* metadata = nullptr;
  const topic_metadata* topic = nullptr;
};

class partition_directory {
 public:
  partition_directory(storage::log_manager& logs, int32_t node_id) : logs_(logs), node_id_(node_id) {}

  partition_lookup find(const metadata_image& image, const std::string& topic, int32_t partition);
  partition_lookup find(const topic_metadata& topic, int32_t partition);

  // The partition if it has been hosted (no image lookup, no log creation).
  std::shared_ptr<hosted_partition> hosted(std::string_view topic, int32_t partition) const;

  // A request found `h`'s log closed (deleted, or the log manager shut down):
  // the next lookup opens the partition's log again.
  void forget(const std::shared_ptr<hosted_partition>& h);

 private:
  std::shared_ptr<hosted_partition> host(const topic_metadata& topic, const partition_metadata& p);

  storage::log_manager& logs_;
  const int32_t node_id_;
  mutable std::shared_mutex mu_;
  // Per topic name, indexed by partition; null where not hosted yet.
  std::map<std::string, std::vector<std::shared_ptr<hosted_partition>>, std::less<>> by_topic_;
};

// The image's entry for `partition` of `topic`, or null.
const partition_metadata* find_partition(const topic_metadata& topic, int32_t partition);

}  // namespace samsa::broker::data
