#pragma once

// Startup replay of an internal topic (__consumer_offsets, __transaction_state):
// the coordinators rebuild their state from every batch of every partition of
// the topic this broker hosts, read from the log start to the log end in
// offset order.

#include <cstdint>
#include <functional>
#include <string_view>

#include "protocol/records/batch_view.h"

namespace samsa::broker {

struct broker_services;

// Calls on_batch(partition, batch) for each batch. A partition whose log cannot
// be read further ends there (what was read is kept), as Kafka's loader stops at
// the end of what it can read.
void replay_internal_topic(broker_services& services, std::string_view topic,
                           const std::function<void(int32_t partition, const protocol::batch_view& batch)>& on_batch);

}  // namespace samsa::broker
