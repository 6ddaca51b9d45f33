#pragma once

// The transaction coordinator as the broker runs it: the coordinator, its log
// on __transaction_state and the partitions of transactions, and a thread
// that drives its timers, built from the broker's config (Kafka's
// transaction.* settings).
//
// Lifecycle: made after the data plane and the group coordinator; load()
// replays __transaction_state before the network starts (and resumes the
// markers of transactions left in a Prepare state); stop() stops the timers
// and makes the coordinator answer NOT_COORDINATOR; destroyed after the logs
// are closed.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "broker/txn/transaction_state_log.h"
#include "broker/txn/txn_coordinator.h"

namespace samsa::broker {
struct broker_services;
namespace config {
class broker_config;
}
}  // namespace samsa::broker

namespace samsa::broker::txn {

txn_config txn_config_from(const config::broker_config& c);

// Calls coordinator.tick(wall-clock ms) every interval; the destructor stops and joins.
class txn_ticker {
 public:
  txn_ticker(txn_coordinator& coordinator, std::chrono::milliseconds interval);
  ~txn_ticker();
  txn_ticker(const txn_ticker&) = delete;
  txn_ticker& operator=(const txn_ticker&) = delete;

 private:
  void run();
  txn_coordinator& coordinator_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

class txn_service {
 public:
  txn_service(const config::broker_config& config, broker_services& services);
  ~txn_service();

  txn_coordinator& coordinator() { return coordinator_; }
  // Replays __transaction_state; returns the records replayed.
  int64_t load();
  void stop();

 private:
  broker_services& services_;
  transaction_state_log log_;
  txn_coordinator coordinator_;
  std::unique_ptr<txn_ticker> ticker_;
};

// Epoch milliseconds of the system clock: the coordinator's time base
// (Kafka's transaction timestamps are wall-clock).
int64_t txn_now_ms();

}  // namespace samsa::broker::txn
