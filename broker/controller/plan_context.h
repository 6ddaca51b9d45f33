#pragma once

// What the controller's planning functions (topic_ops, config_ops) read: the
// current image and this node. Planning is pure: it turns a request into the
// records to append and the answer to give, without touching any state.

#include <cstddef>
#include <cstdint>
#include <random>

#include "broker/cluster/metadata_image.h"
#include "broker/config/broker_config.h"
#include "common/uuid.h"

namespace samsa::broker {

// Kafka's QuorumController.MAX_RECORDS_PER_USER_OP: one operation is one batch
// of at most this many records.
inline constexpr size_t max_records_per_user_op = 10000;

struct plan_context {
  const metadata_image& image;
  // The broker's static configuration (server.properties and overrides).
  const config::broker_config& static_config;
  int32_t node_id = 1;

  // The configuration in force: static plus dynamic broker configs.
  const config::broker_config& effective_config() const {
    return image.effective_config ? *image.effective_config : static_config;
  }
  // A single node: this broker is the only one registered, and it is never fenced.
  bool is_registered_broker(int32_t id) const { return id == node_id; }
  int32_t registered_broker_count() const { return 1; }
};

// Kafka's Uuid.randomUuid: a version 4, variant 2 random UUID that is neither
// reserved (0, 1) nor printed with a leading '-'.
// Thread-safety: not thread-safe; the controller's thread owns one.
class random_uuid_source {
 public:
  random_uuid_source() : rng_((uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()) {}

  uuid next() {
    for (;;) {
      uuid u;
      for (size_t i = 0; i < 16; i += 8) {
        uint64_t r = rng_();
        for (size_t j = 0; j < 8; ++j) u.bytes[i + j] = static_cast<uint8_t>(r >> (8 * j));
      }
      u.bytes[6] = static_cast<uint8_t>((u.bytes[6] & 0x0f) | 0x40);
      u.bytes[8] = static_cast<uint8_t>((u.bytes[8] & 0x3f) | 0x80);
      // The variant bits make 0 and 1 impossible; the leading '-' is not.
      if (u.to_base64().front() != '-') return u;
    }
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace samsa::broker
