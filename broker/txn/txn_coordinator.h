#pragma once

// The transaction coordinator (Kafka's TransactionCoordinator,
// TransactionStateManager and TransactionMetadata). Both transaction
// versions: a transaction whose EndTxn comes with client transaction
// version 2 (EndTxn v5, KIP-890 part 2) bumps the producer epoch on every
// commit and abort, and moves to a new producer id when the epoch overflows;
// below 2 the epoch is bumped only by InitProducerId and by fencing. No sockets and no clock of its own: requests come in as
// plain arguments, answers leave through callbacks, time comes from
// now_ms() and tick(now), records and markers go to a txn_log, producer ids
// come from pid_source.
//
// A transaction ends in three durable steps: PrepareCommit/PrepareAbort in
// __transaction_state (then EndTxn is answered, as Kafka does), the markers
// in every partition of the transaction, then CompleteCommit/CompleteAbort.
// A failed marker write is retried by tick(); after a restart, loaded()
// resumes the markers of every transaction left in a Prepare state.
//
// Thread-safety: every public method may be called from any thread. One
// mutex guards all transactional ids; it is never held while a callback
// runs or while the log is called (both are collected in an outbox and run
// after the mutex is released). Records of one id never race: a write in
// flight sets `pending`, and every request meeting it answers
// CONCURRENT_TRANSACTIONS (Invariant 2 of transaction_metadata.h).
//
// Invariants:
//   1. Every callback is called exactly once (shutdown() answers the waiting
//      ones NOT_COORDINATOR; a write completing after it is dropped).
//   2. A state is visible to requests only once its record is durable.
//   3. Markers are written only for a transaction whose PrepareCommit or
//      PrepareAbort record is durable, and Complete* only after every marker.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/txn/transaction_log_records.h"
#include "broker/txn/transaction_metadata.h"
#include "broker/txn/txn_log.h"
#include "common/result.h"
#include "protocol/error_code.h"

namespace samsa::broker::txn {

// Kafka's TransactionConfig, the part a single broker uses.
struct txn_config {
  int32_t partitions = 50;                      // transaction.state.log.num.partitions
  int32_t max_timeout_ms = 900000;              // transaction.max.timeout.ms
  int64_t id_expiration_ms = 604800000;         // transactional.id.expiration.ms
  int64_t abort_interval_ms = 10000;            // transaction.abort.timed.out.transaction.cleanup.interval.ms
  int64_t remove_expired_interval_ms = 3600000;  // transaction.remove.expired.transaction.cleanup.interval.ms
  int64_t marker_retry_ms = 100;                // back-off of a failed marker write
};

// EndTxn's answer; v5 (transaction version 2) carries the producer id and
// epoch the client continues with (-1 on errors and below version 2).
struct end_txn_result {
  protocol::error_code error = protocol::error_code::none;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
};

struct init_pid_result {
  protocol::error_code error = protocol::error_code::none;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
};

// What DescribeTransactions shows of one id.
struct txn_description {
  protocol::error_code error = protocol::error_code::none;
  std::string transactional_id;
  std::string state;
  int32_t timeout_ms = 0;
  int64_t start_timestamp_ms = -1;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  std::map<std::string, std::vector<int32_t>> partitions;
};

struct txn_listing {
  std::string transactional_id;
  int64_t producer_id = -1;
  std::string state;
};

class txn_coordinator {
 public:
  using clock_fn = std::function<int64_t()>;
  using pid_done = std::function<void(result<int64_t, protocol::error_code>)>;
  using pid_source = std::function<void(pid_done)>;
  // The coordinator epoch of a partition of __transaction_state (its leader epoch).
  using epoch_fn = std::function<int32_t(int32_t partition)>;
  using error_fn = std::function<void(protocol::error_code)>;
  using end_fn = std::function<void(end_txn_result)>;

  txn_coordinator(txn_config config, txn_log& log, pid_source pids, clock_fn now_ms, epoch_fn coordinator_epoch);
  ~txn_coordinator();
  txn_coordinator(const txn_coordinator&) = delete;
  txn_coordinator& operator=(const txn_coordinator&) = delete;

  const txn_config& config() const { return config_; }
  int32_t partition_for(const std::string& transactional_id) const;

  // InitProducerId with a transactional id (handleInitProducerId).
  // Preconditions (the handler's): id not empty. `expected`: the producer
  // id and epoch of the request (KIP-360), when not -1.
  void init_producer_id(const std::string& transactional_id, int32_t timeout_ms,
                        std::optional<std::pair<int64_t, int16_t>> expected, std::function<void(init_pid_result)> done);
  // AddPartitionsToTxn / AddOffsetsToTxn (handleAddPartitionsToTransaction).
  // `client_txn_version` 2: the broker's implicit add for Produce v12 /
  // TxnOffsetCommit v5 (AddPartitionsToTxnManager's add path), stored with
  // the transaction.
  void add_partitions(const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch,
                      std::vector<topic_partition_key> partitions, error_fn done, int16_t client_txn_version = 0);
  // AddPartitionsToTxn verify_only and the produce path's verification
  // (handleVerifyPartitionsInTransaction): per partition, NONE when it is in
  // the producer's ongoing transaction.
  std::vector<std::pair<topic_partition_key, protocol::error_code>> verify_partitions(
      const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch,
      const std::vector<topic_partition_key>& partitions);
  // EndTxn (handleEndTransaction), answered once Prepare* is durable.
  // `client_txn_version` 2 (EndTxn v5+): Kafka's transaction version 2 rules
  // (epoch bump, retries with the previous epoch, abort without a
  // transaction); below 2 version 1's.
  void end_txn(const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch, bool commit,
               int16_t client_txn_version, end_fn done);
  // Transaction version 1 (EndTxn v0-4).
  void end_txn(const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch, bool commit,
               error_fn done);

  txn_description describe(const std::string& transactional_id);
  // ListTransactions: filters empty = all; duration_ms < 0 = all.
  std::vector<txn_listing> list(const std::set<std::string>& states, const std::set<int64_t>& producer_ids,
                                int64_t duration_ms);

  // Aborts timed-out transactions every abort_interval_ms, removes expired
  // ids every remove_expired_interval_ms, and retries failed markers.
  void tick(int64_t now_ms);
  // Loading: one record of __transaction_state (last value wins; nullopt:
  // tombstone), then loaded(). Until loaded(), requests answer
  // COORDINATOR_LOAD_IN_PROGRESS.
  void replay(const std::string& transactional_id, const std::optional<txn_log_value>& value);
  void loaded();
  void shutdown();

  // Introspection (tests).
  std::optional<txn_metadata> metadata_of(const std::string& transactional_id);

 private:
  struct outbox;
  // A state change in flight: the metadata it will install.
  using after_write = std::function<void(outbox& out, txn_metadata* md, protocol::error_code e)>;
  protocol::error_code check_active() const;
  txn_metadata* find(const std::string& id);
  void init_locked(outbox& out, const std::string& id, int32_t timeout_ms,
                   std::optional<std::pair<int64_t, int16_t>> expected, std::optional<int64_t> fresh_pid,
                   std::function<void(init_pid_result)>& done, bool& need_pid);
  // `fresh_pid`: a producer id taken for an epoch overflow (version 2);
  // when one is needed and absent, `need_pid` is set and nothing is done.
  void end_locked(outbox& out, const std::string& id, int64_t producer_id, int16_t producer_epoch, bool commit,
                  bool from_client, int16_t client_txn_version, std::optional<int64_t> fresh_pid, end_fn& done,
                  bool& need_pid);
  void end_locked_v1(outbox& out, txn_metadata& md, int64_t producer_id, int16_t producer_epoch, bool commit,
                     bool from_client, end_fn& done);
  void end_locked_v2(outbox& out, txn_metadata& md, int64_t producer_id, int16_t producer_epoch, bool commit,
                     bool from_client, std::optional<int64_t> fresh_pid, end_fn& done, bool& need_pid);
  // Kafka's prepareAbortOrCommit and the append of its record; the client is
  // answered once it is durable, then the markers go out.
  void prepare_end(outbox& out, txn_metadata& md, txn_metadata transit, int64_t producer_id, int16_t producer_epoch,
                   bool commit, end_fn done);
  void fence_locked(outbox& out, txn_metadata& md, end_fn done);
  void write(outbox& out, txn_metadata& md, txn_metadata transit, after_write after);
  void send_markers(outbox& out, txn_metadata& md);
  void on_markers_written(outbox& out, const std::string& id, int64_t producer_id,
                          const std::vector<std::pair<topic_partition_key, protocol::error_code>>& results);
  void abort_timed_out(outbox& out, int64_t now);
  void remove_expired(outbox& out, int64_t now);
  static txn_log_value to_value(const txn_metadata& md);

  const txn_config config_;
  txn_log& log_;
  const pid_source pids_;
  const clock_fn now_ms_;
  const epoch_fn coordinator_epoch_;
  std::mutex mu_;
  std::map<std::string, txn_metadata> ids_;  // guarded by mu_
  bool loading_ = true;                      // guarded by mu_
  bool stopped_ = false;                     // guarded by mu_
  std::optional<int64_t> next_abort_check_ms_;    // guarded by mu_
  std::optional<int64_t> next_expire_check_ms_;   // guarded by mu_
  std::map<std::string, int64_t> marker_retry_at_ms_;  // guarded by mu_: failed markers, when to retry
  std::set<std::string> markers_in_flight_;            // guarded by mu_
};

}  // namespace samsa::broker::txn
