#pragma once

// The group coordinator as the broker runs it: the coordinator, its log on
// __consumer_offsets and the thread that drives its timers, built from the
// broker's config (Kafka's group.* and offsets.* settings).
//
// Lifecycle: made after the controller and the data plane; load() replays
// __consumer_offsets before the network starts; stop() answers waiting
// requests (NOT_COORDINATOR) and stops the timers; destroyed after the logs
// are closed (durability callbacks of the last writes may still come back
// until then).

#include <memory>

#include "broker/groups/consumer_offsets_log.h"
#include "broker/groups/group_coordinator.h"
#include "broker/groups/group_ticker.h"

namespace samsa::broker {
struct broker_services;
namespace config {
class broker_config;
}
}  // namespace samsa::broker

namespace samsa::broker::groups {

coordinator_config coordinator_config_from(const config::broker_config& c);

class group_service {
 public:
  group_service(const config::broker_config& config, broker_services& services);
  ~group_service();

  group_coordinator& coordinator() { return coordinator_; }
  // Replays __consumer_offsets; returns the records replayed.
  int64_t load();
  void stop();

 private:
  broker_services& services_;
  consumer_offsets_log log_;
  group_coordinator coordinator_;
  std::unique_ptr<group_ticker> ticker_;
};

}  // namespace samsa::broker::groups
