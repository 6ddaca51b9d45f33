#pragma once

// Topic configs the data path needs that storage does not hold.
//
// Kafka 3.7+ (KAFKA-15583) caps min.insync.replicas at the replica count
// (Partition.effectiveMinIsr): a single-replica topic accepts acks=all whatever
// min.insync.replicas says; NOT_ENOUGH_REPLICAS needs an ISR smaller than
// min(min.insync.replicas, replicas).

#include <algorithm>
#include <cstdint>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "broker/config/topic_config.h"

namespace samsa::broker::data {

// The topic's min.insync.replicas: its resolved config from the image (its
// override over the broker default), or the broker's static value for an
// image not built by the controller.
inline int32_t min_insync_replicas(const broker_services& services, const topic_metadata& topic) {
  if (topic.config) return topic.config->min_insync_replicas();
  return services.config ? services.config->get_int("min.insync.replicas") : 1;
}

// Kafka's Partition.effectiveMinIsr.
inline int32_t effective_min_isr(int32_t min_insync_replicas, const partition_metadata& p) {
  return std::min<int32_t>(min_insync_replicas, static_cast<int32_t>(std::max<size_t>(p.replicas.size(), 1)));
}

}  // namespace samsa::broker::data
