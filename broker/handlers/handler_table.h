#pragma once

// The one table of APIs this broker serves: which versions each handler
// implements and what ApiVersions advertises. The dispatcher checks every
// request against it; ApiVersions answers from it, so nothing is advertised
// that has no handler.

#include <cstdint>
#include <span>

namespace samsa::broker {

class request_context;

using handler_fn = void (*)(request_context&& ctx);

struct api_handler {
  int16_t api_key;
  int16_t min_version;  // oldest version served
  int16_t max_version;  // newest version served
  // What ApiVersions advertises as the minimum. Below min_version only where
  // old librdkafka needs an overlap to enable a feature (Produce 0, as Kafka
  // 4.0 does, KAFKA-18659); such versions are still refused.
  int16_t advertised_min_version;
  handler_fn handle;
};

// Ordered by api_key.
std::span<const api_handler> all_handlers();
const api_handler* find_handler(int16_t api_key);

// The groups the table is built from, each kept by the code that serves it:
// topics, partitions and configs (admin_handlers.cc), and the data path:
// produce, fetch, offsets, producer ids (data_handlers.cc), and groups.
std::span<const api_handler> admin_handlers();
std::span<const api_handler> data_handlers();
// The group coordinator (group_handler_table.cc).
std::span<const api_handler> group_handlers();
// The transaction coordinator and transactional admin APIs (txn_handler_table.cc).
std::span<const api_handler> txn_handlers();

}  // namespace samsa::broker
