// The transaction coordinator's requests, after Kafka's TransactionCoordinator
// (handleInitProducerId, handleAddPartitionsToTransaction, endTransaction,
// handleVerifyPartitionsInTransaction) and TransactionMetadata's prepare*
// transitions, transaction.version 1.
#include "broker/txn/txn_coordinator.h"

#include "broker/groups/coordinator_partition.h"

namespace samsa::broker::txn {

using protocol::error_code;

struct txn_coordinator::outbox {
  std::vector<std::function<void()>> calls;
  void later(std::function<void()> f) { calls.push_back(std::move(f)); }
  void run() {
    for (size_t i = 0; i < calls.size(); ++i) calls[i]();
    calls.clear();
  }
};

namespace {

// TransactionStateManager.appendTransactionToLog's error mapping.
error_code append_error_to_response_error(error_code e) {
  switch (e) {
    case error_code::unknown_topic_or_partition:
    case error_code::not_enough_replicas:
    case error_code::not_enough_replicas_after_append:
    case error_code::request_timed_out: return error_code::coordinator_not_available;
    case error_code::not_leader_or_follower:
    case error_code::kafka_storage_error: return error_code::not_coordinator;
    case error_code::message_too_large:
    case error_code::record_list_too_large: return error_code::unknown_server_error;
    default: return e;
  }
}

init_pid_result init_error(error_code e) {
  init_pid_result r;
  r.error = e;
  return r;
}

}  // namespace

txn_coordinator::txn_coordinator(txn_config config, txn_log& log, pid_source pids, clock_fn now_ms,
                                 epoch_fn coordinator_epoch)
    : config_(config),
      log_(log),
      pids_(std::move(pids)),
      now_ms_(std::move(now_ms)),
      coordinator_epoch_(coordinator_epoch ? std::move(coordinator_epoch) : [](int32_t) { return 0; }) {}

txn_coordinator::~txn_coordinator() { shutdown(); }

int32_t txn_coordinator::partition_for(const std::string& transactional_id) const {
  return groups::coordinator_partition_for(transactional_id, config_.partitions);
}

error_code txn_coordinator::check_active() const {
  if (stopped_) return error_code::not_coordinator;
  if (loading_) return error_code::coordinator_load_in_progress;
  return error_code::none;
}

txn_metadata* txn_coordinator::find(const std::string& id) {
  auto it = ids_.find(id);
  return it == ids_.end() ? nullptr : &it->second;
}

std::optional<txn_metadata> txn_coordinator::metadata_of(const std::string& transactional_id) {
  std::lock_guard<std::mutex> lock(mu_);
  txn_metadata* md = find(transactional_id);
  if (!md) return std::nullopt;
  return *md;
}

txn_log_value txn_coordinator::to_value(const txn_metadata& md) {
  txn_log_value v;
  v.producer_id = md.producer_id;
  v.producer_epoch = md.producer_epoch;
  v.transaction_timeout_ms = md.timeout_ms;
  v.state = md.state;
  for (const auto& [topic, partition] : md.partitions) {
    if (v.partitions.empty() || v.partitions.back().first != topic) v.partitions.emplace_back(topic, std::vector<int32_t>{});
    v.partitions.back().second.push_back(partition);
  }
  v.last_update_timestamp_ms = md.last_update_timestamp_ms;
  v.start_timestamp_ms = md.start_timestamp_ms;
  v.next_producer_id = md.next_producer_id;
  v.client_transaction_version = md.client_txn_version;
  return v;
}

// ---- writes ------------------------------------------------------------------

void txn_coordinator::write(outbox& out, txn_metadata& md, txn_metadata transit, after_write after) {
  md.pending = transit.state;
  const std::string id = md.transactional_id;
  const int32_t partition = partition_for(id);
  std::optional<std::vector<uint8_t>> value;
  if (transit.state != txn_state::dead) value = encode_txn_value(to_value(transit));
  auto shared_after = std::make_shared<after_write>(std::move(after));
  auto shared_transit = std::make_shared<txn_metadata>(std::move(transit));
  // The append runs after the mutex is released; so does its completion,
  // which may come back inline (a closed log).
  auto complete = [this, id, shared_after, shared_transit](error_code e) {
    outbox o;
    {
      std::lock_guard<std::mutex> lock(mu_);
      txn_metadata* cur = stopped_ ? nullptr : find(id);
      if (stopped_) e = error_code::not_coordinator;
      else e = append_error_to_response_error(e);
      if (cur) {
        const bool was_fence = cur->pending == txn_state::prepare_abort && shared_transit->failed_epoch_fence;
        cur->pending.reset();
        if (e == error_code::none) {
          const bool keep_markers = cur->markers_pending;
          *cur = *shared_transit;
          cur->pending.reset();
          cur->failed_epoch_fence = false;
          cur->markers_pending = keep_markers;
        } else if (was_fence) {
          // Kafka's hasFailedEpochFence: the bumped epoch was never durable.
          cur->failed_epoch_fence = true;
        }
      }
      (*shared_after)(o, cur, e);
    }
    o.run();
  };
  out.later([this, partition, id, value = std::move(value), complete]() mutable {
    error_code e = log_.append(partition, encode_txn_key(id), std::move(value), complete);
    if (e != error_code::none) complete(e);
  });
}

// ---- InitProducerId ------------------------------------------------------------

void txn_coordinator::init_producer_id(const std::string& transactional_id, int32_t timeout_ms,
                                       std::optional<std::pair<int64_t, int16_t>> expected,
                                       std::function<void(init_pid_result)> done) {
  outbox out;
  bool need_pid = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    init_locked(out, transactional_id, timeout_ms, expected, std::nullopt, done, need_pid);
  }
  out.run();
  if (!need_pid) return;
  // A new id, or a rotation: take a producer id without the mutex, then decide again.
  pids_([this, transactional_id, timeout_ms, expected, done = std::move(done)](result<int64_t, error_code> pid) mutable {
    if (!pid) return done(init_error(pid.error()));
    outbox o;
    bool again = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      init_locked(o, transactional_id, timeout_ms, expected, *pid, done, again);
    }
    o.run();
    if (again) done(init_error(error_code::concurrent_transactions));  // raced; the client retries
  });
}

void txn_coordinator::init_locked(outbox& out, const std::string& id, int32_t timeout_ms,
                                  std::optional<std::pair<int64_t, int16_t>> expected,
                                  std::optional<int64_t> fresh_pid, std::function<void(init_pid_result)>& done,
                                  bool& need_pid) {
  auto answer = [&](init_pid_result r) { out.later([d = std::move(done), r] { d(r); }); };
  if (error_code e = check_active(); e != error_code::none) return answer(init_error(e));
  const int64_t now = now_ms_();
  txn_metadata* md = find(id);
  if (!md) {
    if (!fresh_pid) {
      need_pid = true;
      return;
    }
    txn_metadata created;
    created.transactional_id = id;
    created.producer_id = *fresh_pid;
    created.timeout_ms = timeout_ms;
    created.state = txn_state::empty;
    created.last_update_timestamp_ms = now;
    created.coordinator_epoch = coordinator_epoch_(partition_for(id));
    md = &ids_.emplace(id, std::move(created)).first->second;
    fresh_pid.reset();  // used
  }
  // prepareInitProducerIdTransit.
  auto valid_producer_id = [&](const std::pair<int64_t, int16_t>& e) {
    return md->producer_epoch == kNoProducerEpoch || e.first == md->producer_id ||
           (e.first == md->last_producer_id && txn_metadata::epoch_exhausted(e.second));
  };
  if (md->pending) return answer(init_error(error_code::concurrent_transactions));
  if (expected && !valid_producer_id(*expected)) return answer(init_error(error_code::producer_fenced));
  switch (md->state) {
    case txn_state::prepare_abort:
    case txn_state::prepare_commit: return answer(init_error(error_code::concurrent_transactions));
    case txn_state::empty:
    case txn_state::complete_abort:
    case txn_state::complete_commit: {
      txn_metadata transit = *md;
      transit.timeout_ms = timeout_ms;
      transit.state = txn_state::empty;
      transit.partitions.clear();
      transit.start_timestamp_ms = -1;
      transit.last_update_timestamp_ms = now;
      if (md->producer_epoch_exhausted() && (!expected || expected->second == md->producer_epoch)) {
        // prepareProducerIdRotation.
        if (!fresh_pid) {
          need_pid = true;
          return;
        }
        transit.last_producer_id = md->producer_id;
        transit.producer_id = *fresh_pid;
        transit.producer_epoch = 0;
        transit.last_producer_epoch = expected ? md->producer_epoch : kNoProducerEpoch;
      } else {
        // prepareIncrementProducerEpoch.
        const int16_t bumped = static_cast<int16_t>(md->producer_epoch + 1);
        if (!expected) {
          transit.producer_epoch = bumped;
          transit.last_producer_epoch = kNoProducerEpoch;
        } else if (md->producer_epoch == kNoProducerEpoch || expected->second == md->producer_epoch) {
          transit.producer_epoch = bumped;
          transit.last_producer_epoch = md->producer_epoch;
        } else if (expected->second == md->last_producer_epoch) {
          // A retry of a bump whose answer was lost: the same epoch again.
        } else {
          return answer(init_error(error_code::producer_fenced));
        }
      }
      auto d = std::move(done);
      write(out, *md, std::move(transit), [d](outbox& o, txn_metadata* cur, error_code e) {
        init_pid_result r = init_error(e);
        if (e == error_code::none && cur) r = {error_code::none, cur->producer_id, cur->producer_epoch};
        else if (e == error_code::none) r = init_error(error_code::not_coordinator);
        o.later([d, r] { d(r); });
      });
      return;
    }
    case txn_state::ongoing: {
      // Fence: abort the ongoing transaction with a bumped epoch, then tell
      // the client to retry (which bumps again, or rotates the id).
      if (md->producer_epoch == INT16_MAX) return answer(init_error(error_code::concurrent_transactions));
      fence_locked(out, *md, [d = std::move(done)](end_txn_result r) {
        d(init_error(r.error == error_code::none ? error_code::concurrent_transactions : r.error));
      });
      return;
    }
    case txn_state::dead:
    case txn_state::prepare_epoch_fence: return answer(init_error(error_code::unknown_server_error));
  }
}

// ---- AddPartitionsToTxn -----------------------------------------------------------

void txn_coordinator::add_partitions(const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch,
                                     std::vector<topic_partition_key> partitions, error_fn done,
                                     int16_t client_txn_version) {
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto answer = [&](error_code e) { out.later([d = std::move(done), e] { d(e); }); };
    txn_metadata* md = nullptr;
    if (transactional_id.empty()) answer(error_code::invalid_request);
    else if (error_code e = check_active(); e != error_code::none) answer(e);
    else if (!(md = find(transactional_id))) answer(error_code::invalid_producer_id_mapping);
    else if (md->producer_id != producer_id) answer(error_code::invalid_producer_id_mapping);
    else if (md->producer_epoch != producer_epoch) answer(error_code::producer_fenced);
    else if (md->pending) answer(error_code::concurrent_transactions);
    else if (md->state == txn_state::prepare_commit || md->state == txn_state::prepare_abort)
      answer(error_code::concurrent_transactions);
    else {
      bool subset = md->state == txn_state::ongoing;
      for (const auto& tp : partitions) subset = subset && md->partitions.contains(tp);
      if (subset) {
        answer(error_code::none);
      } else {
        // prepareAddPartitions.
        const int64_t now = now_ms_();
        txn_metadata transit = *md;
        transit.state = txn_state::ongoing;
        if (is_idle(md->state)) transit.start_timestamp_ms = now;
        transit.partitions.insert(partitions.begin(), partitions.end());
        transit.last_update_timestamp_ms = now;
        transit.client_txn_version = client_txn_version;
        write(out, *md, std::move(transit), [d = std::move(done)](outbox& o, txn_metadata*, error_code e) {
          o.later([d, e] { d(e); });
        });
      }
    }
  }
  out.run();
}

std::vector<std::pair<topic_partition_key, error_code>> txn_coordinator::verify_partitions(
    const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch,
    const std::vector<topic_partition_key>& partitions) {
  std::lock_guard<std::mutex> lock(mu_);
  auto all = [&](error_code e) {
    std::vector<std::pair<topic_partition_key, error_code>> out;
    for (const auto& tp : partitions) out.emplace_back(tp, e);
    return out;
  };
  if (transactional_id.empty()) return all(error_code::invalid_request);
  if (error_code e = check_active(); e != error_code::none) return all(e);
  txn_metadata* md = find(transactional_id);
  if (!md || md->producer_id != producer_id) return all(error_code::invalid_producer_id_mapping);
  if (md->producer_epoch != producer_epoch) return all(error_code::producer_fenced);
  if (md->state == txn_state::prepare_commit || md->state == txn_state::prepare_abort)
    return all(error_code::concurrent_transactions);
  // A partition outside the ongoing transaction: TRANSACTION_ABORTABLE
  // (TransactionCoordinator.handleVerifyPartitionsInTransaction); callers that
  // answer clients older than KIP-890's generic errors turn it into INVALID_TXN_STATE.
  std::vector<std::pair<topic_partition_key, error_code>> out;
  for (const auto& tp : partitions) {
    const bool in = md->state == txn_state::ongoing && md->partitions.contains(tp);
    out.emplace_back(tp, in ? error_code::none : error_code::transaction_abortable);
  }
  return out;
}

// ---- EndTxn -----------------------------------------------------------------------

void txn_coordinator::end_txn(const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch,
                              bool commit, int16_t client_txn_version, end_fn done) {
  outbox out;
  bool need_pid = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    end_locked(out, transactional_id, producer_id, producer_epoch, commit, true, client_txn_version, std::nullopt, done,
               need_pid);
  }
  out.run();
  if (!need_pid) return;
  // The epoch overflows with this transaction: take the next producer id
  // without the mutex, then decide again.
  pids_([this, transactional_id, producer_id, producer_epoch, commit, client_txn_version,
         done = std::move(done)](result<int64_t, error_code> pid) mutable {
    if (!pid) return done({pid.error(), -1, -1});
    outbox o;
    bool again = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      end_locked(o, transactional_id, producer_id, producer_epoch, commit, true, client_txn_version, *pid, done, again);
    }
    o.run();
    if (again) done({error_code::concurrent_transactions, -1, -1});  // raced; the client retries
  });
}

void txn_coordinator::end_txn(const std::string& transactional_id, int64_t producer_id, int16_t producer_epoch,
                              bool commit, error_fn done) {
  end_txn(transactional_id, producer_id, producer_epoch, commit, 0,
          [d = std::move(done)](end_txn_result r) { d(r.error); });
}

void txn_coordinator::end_locked(outbox& out, const std::string& id, int64_t producer_id, int16_t producer_epoch,
                                 bool commit, bool from_client, int16_t client_txn_version,
                                 std::optional<int64_t> fresh_pid, end_fn& done, bool& need_pid) {
  auto answer = [&](error_code e) { out.later([d = std::move(done), e] { d({e, -1, -1}); }); };
  if (id.empty()) return answer(error_code::invalid_request);
  if (error_code e = check_active(); e != error_code::none) return answer(e);
  txn_metadata* md = find(id);
  if (!md) return answer(error_code::invalid_producer_id_mapping);
  if (!txn_metadata::supports_epoch_bump(client_txn_version))
    return end_locked_v1(out, *md, producer_id, producer_epoch, commit, from_client, done);
  end_locked_v2(out, *md, producer_id, producer_epoch, commit, from_client, fresh_pid, done, need_pid);
}

// TransactionCoordinator.endTransactionWithTV1.
void txn_coordinator::end_locked_v1(outbox& out, txn_metadata& md, int64_t producer_id, int16_t producer_epoch,
                                    bool commit, bool from_client, end_fn& done) {
  auto answer = [&](error_code e) { out.later([d = std::move(done), e] { d({e, -1, -1}); }); };
  if (md.producer_id != producer_id) return answer(error_code::invalid_producer_id_mapping);
  // Clients must use the current epoch; a fence (not from a client) bumps it.
  if ((from_client && producer_epoch != md.producer_epoch) || producer_epoch < md.producer_epoch)
    return answer(error_code::producer_fenced);
  const bool fencing = md.pending == txn_state::prepare_epoch_fence;
  if (md.pending && !fencing) return answer(error_code::concurrent_transactions);
  const error_code invalid = error_code::invalid_txn_state;
  switch (md.state) {
    case txn_state::ongoing: {
      txn_metadata transit = md;
      transit.state = commit ? txn_state::prepare_commit : txn_state::prepare_abort;
      if (fencing) {
        md.pending.reset();
        if (!commit) {
          transit.producer_epoch = producer_epoch;
          transit.last_producer_epoch = kNoProducerEpoch;
          transit.failed_epoch_fence = true;  // marks the write as a fence (see write())
        }
      }
      transit.client_txn_version = 0;  // prepareAbortOrCommit(TransactionVersion 0)
      transit.next_producer_id = kNoProducerId;
      return prepare_end(out, md, std::move(transit), producer_id, producer_epoch, commit, std::move(done));
    }
    case txn_state::complete_commit: return answer(commit ? error_code::none : invalid);
    case txn_state::complete_abort: return answer(!commit ? error_code::none : invalid);
    case txn_state::prepare_commit: return answer(commit ? error_code::concurrent_transactions : invalid);
    case txn_state::prepare_abort: return answer(!commit ? error_code::concurrent_transactions : invalid);
    case txn_state::empty: return answer(invalid);
    case txn_state::dead:
    case txn_state::prepare_epoch_fence: return answer(error_code::unknown_server_error);
  }
}

// TransactionCoordinator.endTransaction with transaction version 2. Every
// completion bumps the epoch; a client that retries with the epoch before
// the bump is answered as the first time:
//
//                   Abort: retry  current   Commit: retry  current
//   Empty                  FENCED bump              FENCED INVALID_TXN_STATE
//   CompleteAbort          NONE   bump              INVALID INVALID
//   CompleteCommit         INVALID bump             NONE   INVALID
void txn_coordinator::end_locked_v2(outbox& out, txn_metadata& md, int64_t producer_id, int16_t producer_epoch,
                                    bool commit, bool from_client, std::optional<int64_t> fresh_pid, end_fn& done,
                                    bool& need_pid) {
  auto answer = [&](error_code e) { out.later([d = std::move(done), e] { d({e, -1, -1}); }); };
  const bool fencing = md.pending == txn_state::prepare_epoch_fence;
  // The client retried a request that overflowed the epoch: the new producer id is in place.
  const bool retry_on_overflow = !fencing && md.last_producer_id == producer_id &&
                                 producer_epoch == INT16_MAX - 1 && md.producer_epoch == 0;
  // The client retried a request whose bump is in place.
  const bool retry_on_bump = !fencing && md.producer_epoch == static_cast<int16_t>(producer_epoch + 1);
  bool valid_epoch = false;
  if (!fencing) {
    switch (md.state) {
      case txn_state::prepare_commit:
      case txn_state::prepare_abort: valid_epoch = retry_on_bump; break;
      case txn_state::complete_commit:
      case txn_state::complete_abort:
        valid_epoch = retry_on_bump || retry_on_overflow || producer_epoch == md.producer_epoch;
        break;
      default: valid_epoch = producer_epoch == md.producer_epoch; break;
    }
  } else {
    valid_epoch = (!from_client || producer_epoch == md.producer_epoch) && producer_epoch >= md.producer_epoch;
  }
  const bool retry = retry_on_bump || retry_on_overflow;
  if (md.producer_id != producer_id && !retry_on_overflow) return answer(error_code::invalid_producer_id_mapping);
  if (!valid_epoch) return answer(error_code::producer_fenced);
  if (md.pending && !fencing) return answer(error_code::concurrent_transactions);
  auto current = [&]() {
    out.later([d = std::move(done), r = end_txn_result{error_code::none, md.producer_id, md.producer_epoch}] { d(r); });
  };
  // generateTxnTransitMetadataForTxnCompletion + prepareAbortOrCommit(version 2).
  auto complete = [&](txn_state next, bool no_partition_added) {
    std::optional<int64_t> next_pid;
    if (!fencing && md.producer_epoch_exhausted()) {
      if (!fresh_pid) {
        need_pid = true;
        return;
      }
      next_pid = fresh_pid;
    }
    const int64_t now = now_ms_();
    int16_t base_epoch = md.producer_epoch;
    txn_metadata transit = md;
    if (next == txn_state::prepare_abort && fencing) {
      md.pending.reset();
      base_epoch = producer_epoch;
      transit.failed_epoch_fence = true;  // marks the write as a fence (see write())
    } else if (fencing) {
      md.pending.reset();
    }
    transit.state = next;
    // A fence at the last epoch cannot bump twice; the client's next
    // InitProducerId moves to a new producer id.
    transit.producer_epoch = base_epoch == INT16_MAX ? base_epoch : static_cast<int16_t>(base_epoch + 1);
    transit.last_producer_epoch = base_epoch;
    if (no_partition_added) transit.start_timestamp_ms = now;
    transit.next_producer_id = next_pid.value_or(kNoProducerId);
    transit.client_txn_version = 2;
    prepare_end(out, md, std::move(transit), producer_id, producer_epoch, next == txn_state::prepare_commit,
                std::move(done));
  };
  const error_code invalid = error_code::invalid_txn_state;
  switch (md.state) {
    case txn_state::ongoing: return complete(commit ? txn_state::prepare_commit : txn_state::prepare_abort, false);
    case txn_state::complete_commit:
      if (commit) return retry ? current() : answer(invalid);
      return retry ? answer(invalid) : complete(txn_state::prepare_abort, true);
    case txn_state::complete_abort:
      if (!commit) return retry ? current() : complete(txn_state::prepare_abort, true);
      return answer(invalid);
    case txn_state::prepare_commit: return answer(commit ? error_code::concurrent_transactions : invalid);
    case txn_state::prepare_abort: return answer(!commit ? error_code::concurrent_transactions : invalid);
    case txn_state::empty: return commit ? answer(invalid) : complete(txn_state::prepare_abort, true);
    case txn_state::dead:
    case txn_state::prepare_epoch_fence: return answer(error_code::unknown_server_error);
  }
}

void txn_coordinator::prepare_end(outbox& out, txn_metadata& md, txn_metadata transit, int64_t producer_id,
                                  int16_t producer_epoch, bool commit, end_fn done) {
  const std::string id = md.transactional_id;
  transit.last_update_timestamp_ms = now_ms_();
  transit.coordinator_epoch = coordinator_epoch_(partition_for(id));
  write(out, md, std::move(transit),
        [this, d = std::move(done), producer_id, producer_epoch, commit](outbox& o, txn_metadata* cur, error_code e) {
          if (e == error_code::none && !cur) e = error_code::not_coordinator;
          // Version 2 bumped the epoch with the record: the request's or the next.
          if (e == error_code::none &&
              (cur->producer_id != producer_id ||
               (cur->producer_epoch != producer_epoch &&
                (!txn_metadata::supports_epoch_bump(cur->client_txn_version) ||
                 cur->producer_epoch != static_cast<int16_t>(producer_epoch + 1)))))
            e = error_code::producer_fenced;
          if (e == error_code::none && cur->state != (commit ? txn_state::prepare_commit : txn_state::prepare_abort))
            e = error_code::invalid_txn_state;
          end_txn_result r{e, -1, -1};
          if (e == error_code::none && txn_metadata::supports_epoch_bump(cur->client_txn_version)) {
            // The producer id and epoch the client continues with: after an
            // overflow, the next producer id at epoch 0.
            r.producer_id = cur->next_producer_id != kNoProducerId ? cur->next_producer_id : cur->producer_id;
            r.producer_epoch = cur->next_producer_id != kNoProducerId ? int16_t{0} : cur->producer_epoch;
          }
          o.later([d, r] { d(r); });
          if (e == error_code::none) send_markers(o, *cur);
        });
}

void txn_coordinator::fence_locked(outbox& out, txn_metadata& md, end_fn done) {
  // prepareFenceProducerEpoch, then endTransaction(ABORT) from the
  // coordinator with the transaction's own client version.
  const int16_t fenced = md.failed_epoch_fence ? md.producer_epoch : static_cast<int16_t>(md.producer_epoch + 1);
  md.pending = txn_state::prepare_epoch_fence;
  bool need_pid = false;
  end_locked(out, md.transactional_id, md.producer_id, fenced, false, false, md.client_txn_version, std::nullopt, done,
             need_pid);
  if (md.pending == txn_state::prepare_epoch_fence) md.pending.reset();  // refused before any write
}

// ---- markers --------------------------------------------------------------------------

void txn_coordinator::send_markers(outbox& out, txn_metadata& md) {
  md.markers_pending = true;
  if (!markers_in_flight_.insert(md.transactional_id).second) return;
  marker_retry_at_ms_.erase(md.transactional_id);
  marker_request m;
  m.producer_id = md.producer_id;
  m.producer_epoch = md.producer_epoch;
  m.coordinator_epoch = md.coordinator_epoch;
  m.commit = md.state == txn_state::prepare_commit;
  m.partitions.assign(md.partitions.begin(), md.partitions.end());
  const std::string id = md.transactional_id;
  const int64_t pid = md.producer_id;
  out.later([this, m = std::move(m), id, pid]() mutable {
    log_.write_markers(std::move(m), [this, id, pid](std::vector<std::pair<topic_partition_key, error_code>> results) {
      outbox o;
      {
        std::lock_guard<std::mutex> lock(mu_);
        on_markers_written(o, id, pid, results);
      }
      o.run();
    });
  });
}

void txn_coordinator::on_markers_written(outbox& out, const std::string& id, int64_t producer_id,
                                         const std::vector<std::pair<topic_partition_key, error_code>>& results) {
  markers_in_flight_.erase(id);
  if (stopped_) return;
  txn_metadata* md = find(id);
  if (!md || md->producer_id != producer_id ||
      (md->state != txn_state::prepare_commit && md->state != txn_state::prepare_abort))
    return;
  bool all_written = true;
  for (const auto& [tp, e] : results) {
    // A partition deleted since it joined the transaction needs no marker
    // (TransactionMarkerRequestCompletionHandler: UNKNOWN_TOPIC_OR_PARTITION
    // removes it from the pending set).
    switch (e) {
      case error_code::not_leader_or_follower:
      case error_code::kafka_storage_error:
      case error_code::not_enough_replicas:
      case error_code::not_enough_replicas_after_append:
      case error_code::request_timed_out:
      case error_code::unknown_server_error: all_written = false; break;
      default: break;  // written, or can never be (Kafka gives up on those too)
    }
  }
  if (!all_written) {
    marker_retry_at_ms_[id] = now_ms_() + config_.marker_retry_ms;
    return;
  }
  md->markers_pending = false;
  // prepareComplete.
  txn_metadata transit = *md;
  transit.state = md->state == txn_state::prepare_commit ? txn_state::complete_commit : txn_state::complete_abort;
  transit.partitions.clear();
  transit.last_update_timestamp_ms = now_ms_();
  transit.markers_pending = false;
  // Version 2 after an epoch overflow: the next producer id at epoch 0 (the
  // last epoch stays the one the client last saw).
  if (txn_metadata::supports_epoch_bump(md->client_txn_version) && md->next_producer_id != kNoProducerId) {
    transit.last_producer_id = md->producer_id;
    transit.producer_id = md->next_producer_id;
    transit.producer_epoch = 0;
  }
  transit.next_producer_id = kNoProducerId;
  write(out, *md, std::move(transit), [this, id](outbox&, txn_metadata* cur, error_code e) {
    // A failed Complete* record is retried as a whole: markers again (they are
    // idempotent for the partitions' producer state), then the record.
    if (e != error_code::none && cur) {
      cur->markers_pending = true;
      marker_retry_at_ms_[id] = now_ms_() + config_.marker_retry_ms;
    }
  });
}

// ---- describe / list ---------------------------------------------------------------------

txn_description txn_coordinator::describe(const std::string& transactional_id) {
  std::lock_guard<std::mutex> lock(mu_);
  txn_description d;
  d.transactional_id = transactional_id;
  txn_metadata* md = nullptr;
  if (stopped_) d.error = error_code::coordinator_not_available;
  else if (loading_) d.error = error_code::coordinator_load_in_progress;
  else if (transactional_id.empty()) d.error = error_code::invalid_request;
  else if (!(md = find(transactional_id)) || md->state == txn_state::dead)
    d.error = error_code::transactional_id_not_found;
  if (d.error != error_code::none) return d;
  d.state = std::string(txn_state_name(md->state));
  d.timeout_ms = md->timeout_ms;
  d.start_timestamp_ms = md->start_timestamp_ms;
  d.producer_id = md->producer_id;
  d.producer_epoch = md->producer_epoch;
  for (const auto& [topic, p] : md->partitions) d.partitions[topic].push_back(p);
  return d;
}

std::vector<txn_listing> txn_coordinator::list(const std::set<std::string>& states,
                                               const std::set<int64_t>& producer_ids, int64_t duration_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<txn_listing> out;
  const int64_t now = now_ms_();
  for (const auto& [id, md] : ids_) {
    if (md.state == txn_state::dead) continue;
    const std::string name(txn_state_name(md.state));
    if (!states.empty() && !states.contains(name)) continue;
    if (!producer_ids.empty() && !producer_ids.contains(md.producer_id)) continue;
    if (duration_ms >= 0 && now - md.start_timestamp_ms <= duration_ms) continue;
    out.push_back({id, md.producer_id, name});
  }
  return out;
}

// ---- time, loading, shutdown --------------------------------------------------------------

void txn_coordinator::abort_timed_out(outbox& out, int64_t now) {
  for (auto& [id, md] : ids_) {
    if (md.state != txn_state::ongoing || md.pending) continue;
    if (md.start_timestamp_ms + md.timeout_ms >= now) continue;
    if (md.producer_epoch == INT16_MAX) continue;  // cannot be fenced further
    fence_locked(out, md, [](end_txn_result) {});
  }
}

void txn_coordinator::remove_expired(outbox& out, int64_t now) {
  for (auto& [id, md] : ids_) {
    if (!is_idle(md.state) || md.pending) continue;
    if (md.last_update_timestamp_ms > now - config_.id_expiration_ms) continue;
    txn_metadata transit = md;
    transit.state = txn_state::dead;
    transit.partitions.clear();
    transit.last_update_timestamp_ms = now;
    // A named copy: clang 14 cannot capture a structured binding.
    write(out, md, std::move(transit), [this, tid = id](outbox&, txn_metadata* cur, error_code e) {
      if (e == error_code::none && cur && cur->state == txn_state::dead) ids_.erase(tid);
    });
  }
}

void txn_coordinator::tick(int64_t now_ms) {
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_ || loading_) return;
    if (!next_abort_check_ms_) next_abort_check_ms_ = now_ms + config_.abort_interval_ms;
    if (!next_expire_check_ms_) next_expire_check_ms_ = now_ms + config_.remove_expired_interval_ms;
    if (now_ms >= *next_abort_check_ms_) {
      next_abort_check_ms_ = now_ms + config_.abort_interval_ms;
      abort_timed_out(out, now_ms);
    }
    if (now_ms >= *next_expire_check_ms_) {
      next_expire_check_ms_ = now_ms + config_.remove_expired_interval_ms;
      remove_expired(out, now_ms);
    }
    std::vector<std::string> due;
    for (const auto& [id, at] : marker_retry_at_ms_)
      if (at <= now_ms) due.push_back(id);
    for (const auto& id : due) {
      marker_retry_at_ms_.erase(id);
      txn_metadata* md = find(id);
      if (!md || md->pending) continue;
      if (md->state == txn_state::prepare_commit || md->state == txn_state::prepare_abort) send_markers(out, *md);
    }
  }
  out.run();
}

void txn_coordinator::replay(const std::string& transactional_id, const std::optional<txn_log_value>& value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!value) {
    ids_.erase(transactional_id);
    return;
  }
  txn_metadata md;
  md.transactional_id = transactional_id;
  md.producer_id = value->producer_id;
  md.last_producer_id = value->previous_producer_id;
  md.producer_epoch = value->producer_epoch;
  md.timeout_ms = value->transaction_timeout_ms;
  md.state = value->state;
  if (md.state != txn_state::empty)
    for (const auto& [topic, ids] : value->partitions)
      for (int32_t p : ids) md.partitions.emplace(topic, p);
  md.start_timestamp_ms = value->start_timestamp_ms;
  md.last_update_timestamp_ms = value->last_update_timestamp_ms;
  md.next_producer_id = value->next_producer_id;
  md.client_txn_version = value->client_transaction_version;
  ids_[transactional_id] = std::move(md);
}

void txn_coordinator::loaded() {
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    loading_ = false;
    // TransactionStateManager.loadTransactionsForTxnTopicPartition: complete
    // every transaction that was left between Prepare* and Complete*.
    for (auto& [id, md] : ids_) {
      md.coordinator_epoch = coordinator_epoch_(partition_for(id));
      if (md.state == txn_state::prepare_commit || md.state == txn_state::prepare_abort) send_markers(out, md);
    }
  }
  out.run();
}

void txn_coordinator::shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
}

}  // namespace samsa::broker::txn
