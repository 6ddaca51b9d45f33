#pragma once

// Request helpers for the transaction wire tests: one call per API with the
// bare wire client, plus a transactional batch builder.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "broker/test/data_topics_fixture.h"
#include "broker/test/data_wire.h"
#include "broker/test/wire_client.h"
#include "protocol/error_code.h"
#include "protocol/generated/add_offsets_to_txn.h"
#include "protocol/generated/api_versions.h"
#include "protocol/generated/add_partitions_to_txn.h"
#include "protocol/generated/describe_producers.h"
#include "protocol/generated/describe_transactions.h"
#include "protocol/generated/end_txn.h"
#include "protocol/generated/find_coordinator.h"
#include "protocol/generated/init_producer_id.h"
#include "protocol/generated/list_transactions.h"
#include "protocol/generated/offset_commit.h"
#include "protocol/generated/offset_fetch.h"
#include "protocol/generated/txn_offset_commit.h"
#include "protocol/generated/write_txn_markers.h"

namespace samsa::broker::testing {

using namespace std::chrono_literals;

inline protocol::error_code err(int16_t c) { return static_cast<protocol::error_code>(c); }

// Broker settings a single broker needs for transactions.
inline std::vector<std::pair<std::string, std::string>> txn_broker_config() {
  return {{"transaction.state.log.replication.factor", "1"},
          {"transaction.state.log.min.isr", "1"},
          {"transaction.state.log.num.partitions", "3"},
          {"offsets.topic.replication.factor", "1"},
          {"offsets.topic.num.partitions", "3"},
          {"group.initial.rebalance.delay.ms", "0"}};
}

class txn_calls {
 public:
  explicit txn_calls(uint16_t port) : port_(port) {}

  template <typename Response, typename Request>
  Response call(int16_t version, const Request& request) {
    wire_client c(port_);
    EXPECT_TRUE(c.send(version, 9, request));
    auto r = c.read_response<Response>(version, 9, 20s);
    EXPECT_TRUE(r) << "no answer to API " << Request::api_key << " v" << version;
    return r ? *r : Response{};
  }

  protocol::find_coordinator_response find_txn_coordinator(int16_t version, const std::string& id) {
    protocol::find_coordinator_request r;
    r.key = id;
    r.key_type = 1;
    r.coordinator_keys = {id};
    return call<protocol::find_coordinator_response>(version, r);
  }

  // FindCoordinator(TRANSACTION) until __transaction_state exists and names this broker.
  bool await_coordinator() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (find_txn_coordinator(3, "any").error_code == 0) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  // FindCoordinator(GROUP) until __consumer_offsets exists (TxnOffsetCommit needs it).
  bool await_group_coordinator() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      protocol::find_coordinator_request r;
      r.key = "any";
      if (call<protocol::find_coordinator_response>(3, r).error_code == 0) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  protocol::init_producer_id_response init(int16_t version, const std::string& id, int32_t timeout_ms = 60000,
                                           int64_t pid = -1, int16_t epoch = -1) {
    protocol::init_producer_id_request r;
    r.transactional_id = id;
    r.transaction_timeout_ms = timeout_ms;
    r.producer_id = pid;
    r.producer_epoch = epoch;
    return call<protocol::init_producer_id_response>(version, r);
  }

  // InitProducerId, retried while the coordinator says CONCURRENT_TRANSACTIONS.
  protocol::init_producer_id_response init_retrying(const std::string& id, int32_t timeout_ms = 60000) {
    protocol::init_producer_id_response r;
    for (int i = 0; i < 200; ++i) {
      r = init(4, id, timeout_ms);
      if (err(r.error_code) != protocol::error_code::concurrent_transactions) return r;
      std::this_thread::sleep_for(20ms);
    }
    return r;
  }

  // AddPartitionsToTxn v3 (a client's); the error of each partition, in order.
  std::vector<protocol::error_code> add(const std::string& id, int64_t pid, int16_t epoch, const std::string& topic,
                                        std::vector<int32_t> partitions, int16_t version = 3) {
    protocol::add_partitions_to_txn_request r;
    r.v3_and_below_transactional_id = id;
    r.v3_and_below_producer_id = pid;
    r.v3_and_below_producer_epoch = epoch;
    r.v3_and_below_topics.push_back({topic, partitions, {}});
    auto resp = call<protocol::add_partitions_to_txn_response>(version, r);
    std::vector<protocol::error_code> out;
    for (const auto& t : resp.results_by_topic_v3_and_below)
      for (const auto& p : t.results_by_partition) out.push_back(err(p.partition_error_code));
    return out;
  }

  protocol::error_code end(const std::string& id, int64_t pid, int16_t epoch, bool commit, int16_t version = 3) {
    protocol::end_txn_request r;
    r.transactional_id = id;
    r.producer_id = pid;
    r.producer_epoch = epoch;
    r.committed = commit;
    return err(call<protocol::end_txn_response>(version, r).error_code);
  }

  protocol::error_code add_offsets(const std::string& id, int64_t pid, int16_t epoch, const std::string& group) {
    protocol::add_offsets_to_txn_request r;
    r.transactional_id = id;
    r.producer_id = pid;
    r.producer_epoch = epoch;
    r.group_id = group;
    return err(call<protocol::add_offsets_to_txn_response>(3, r).error_code);
  }

  protocol::describe_transactions_response::TransactionState describe(const std::string& id) {
    protocol::describe_transactions_request r;
    r.transactional_ids = {id};
    auto resp = call<protocol::describe_transactions_response>(0, r);
    return resp.transaction_states.empty() ? protocol::describe_transactions_response::TransactionState{}
                                           : resp.transaction_states[0];
  }

 private:
  uint16_t port_;
};

// A transactional batch of `count` records of producer pid/epoch from `sequence`.
inline std::vector<uint8_t> txn_batch(int64_t pid, int16_t epoch, int32_t sequence, int count = 2) {
  protocol::batch_builder_options o;
  o.is_transactional = true;
  o.producer_id = producer_id{pid};
  o.producer_epoch = producer_epoch{epoch};
  o.base_sequence = sequence;
  return make_batch(count, o);
}

inline protocol::error_code produce_txn(uint16_t port, const std::string& id, const std::string& topic,
                                        int32_t partition, const std::vector<uint8_t>& batch, int16_t version = 9) {
  wire_client c(port);
  auto r = produce(c, {{topic, partition, batch}}, -1, version, 1, id);
  EXPECT_TRUE(r);
  return r ? err(only_partition(*r).error_code) : protocol::error_code::unknown_server_error;
}

}  // namespace samsa::broker::testing
