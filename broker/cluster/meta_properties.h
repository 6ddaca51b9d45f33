#pragma once

// meta.properties, the identity file Kafka keeps in every log directory
// (MetaProperties / MetaPropertiesEnsemble): version=1, cluster.id, node.id,
// directory.id. Samsa writes it on first start (Kafka needs
// `kafka-storage.sh format` first; a single binary formats itself) and refuses
// to start when a directory belongs to another node or cluster.

#include <optional>
#include <string>
#include <vector>

#include "common/uuid.h"

namespace samsa::broker {

struct meta_properties {
  std::string cluster_id;
  int32_t node_id = -1;
  std::string directory_id;
};

struct meta_properties_error {
  std::string message;
};

// Reads every directory's meta.properties, checks they agree with each other
// and with node_id, creates directories and missing files (with a new cluster
// id if no directory has one). Returns the cluster id, or why not.
struct ensemble_result {
  std::string cluster_id;
  std::optional<meta_properties_error> error;
};
ensemble_result load_or_format_log_dirs(const std::vector<std::string>& log_dirs, int32_t node_id);

// A random Kafka-style id: 16 random bytes, URL-safe base64 without padding.
std::string random_kafka_id();

}  // namespace samsa::broker
