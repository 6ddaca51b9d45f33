#include "broker/txn/txn_service.h"

#include "broker/broker_services.h"
#include "broker/config/broker_config.h"
#include "broker/data/data_plane.h"

namespace samsa::broker::txn {

int64_t txn_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

txn_config txn_config_from(const config::broker_config& c) {
  txn_config out;
  out.partitions = c.transaction_state_log_num_partitions();
  out.max_timeout_ms = c.get_int("transaction.max.timeout.ms");
  out.id_expiration_ms = c.get_int("transactional.id.expiration.ms");
  out.abort_interval_ms = c.get_int("transaction.abort.timed.out.transaction.cleanup.interval.ms");
  out.remove_expired_interval_ms = c.get_int("transaction.remove.expired.transaction.cleanup.interval.ms");
  return out;
}

txn_ticker::txn_ticker(txn_coordinator& coordinator, std::chrono::milliseconds interval)
    : coordinator_(coordinator), interval_(interval), thread_([this] { run(); }) {}

txn_ticker::~txn_ticker() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void txn_ticker::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    coordinator_.tick(txn_now_ms());
    lock.lock();
  }
}

txn_service::txn_service(const config::broker_config& config, broker_services& services)
    : services_(services),
      log_(services, services.groups),
      coordinator_(
          txn_config_from(config), log_,
          [&services](txn_coordinator::pid_done done) { services.data->producer_ids.generate(std::move(done)); },
          txn_now_ms, [&services](int32_t partition) { return transaction_state_leader_epoch(services, partition); }) {}

txn_service::~txn_service() { stop(); }

int64_t txn_service::load() {
  const int64_t n = load_transaction_state(services_, coordinator_);
  ticker_ = std::make_unique<txn_ticker>(coordinator_, std::chrono::milliseconds(100));
  return n;
}

void txn_service::stop() {
  ticker_.reset();
  coordinator_.shutdown();
}

}  // namespace samsa::broker::txn
