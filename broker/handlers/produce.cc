#include "broker/handlers/produce.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/data_plane.h"
#include "broker/handlers/produce_ack.h"
#include "broker/handlers/produce_append.h"
#include "broker/handlers/produce_records_check.h"
#include "broker/handlers/txn_util.h"
#include "broker/config/broker_config.h"
#include "broker/txn/transaction_log_records.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/error_code.h"
#include "protocol/generated/produce.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::produce_request;
using response_t = protocol::produce_response;

// Kafka's AdminUtils.ADMIN_CLIENT_ID: the only client allowed to write internal topics.
constexpr std::string_view kAdminClientId = "__admin_client";

// One partition of the request, where its answer goes, and what is decided so far.
struct entry {
  const std::string* topic = nullptr;
  request_t::PartitionProduceData* data = nullptr;
  size_t topic_slot = 0;
  size_t partition_slot = 0;
  bool decided = false;  // the answer is final (an error before the append)
  // A transactional batch under verification: the guard taken before the
  // coordinator was asked (0: an ongoing transaction needs none).
  std::optional<uint64_t> verification_guard;
};

struct shaped_request {
  response_t response;  // one topic per name, one partition per (name, index), answers not yet set
  std::vector<entry> entries;
};

// Kafka keys partitions by (topic, partition) in maps: a partition named twice
// is appended once (the last one named) and answered once.
shaped_request shape(request_t& request) {
  shaped_request out;
  std::unordered_map<std::string_view, size_t> topic_slots;
  std::unordered_map<uint64_t, size_t> seen;  // (topic slot, partition) -> entry
  for (auto& t : request.topic_data) {
    auto [ts, inserted] = topic_slots.try_emplace(t.name, out.response.responses.size());
    if (inserted) out.response.responses.emplace_back().name = t.name;
    auto& rt = out.response.responses[ts->second];
    for (auto& p : t.partition_data) {
      const uint64_t key = (uint64_t{ts->second} << 32) | static_cast<uint32_t>(p.index);
      auto [it, fresh] = seen.try_emplace(key, out.entries.size());
      if (!fresh) {
        out.entries[it->second].data = &p;
        continue;
      }
      rt.partition_responses.emplace_back().index = p.index;
      out.entries.push_back({&t.name, &p, ts->second, rt.partition_responses.size() - 1, false});
    }
  }
  return out;
}

response_t::PartitionProduceResponse& slot(response_t& r, const entry& e) {
  return r.responses[e.topic_slot].partition_responses[e.partition_slot];
}

void set_answer(response_t& r, entry& e, response_t::PartitionProduceResponse answer) {
  answer.index = slot(r, e).index;
  slot(r, e) = std::move(answer);
  e.decided = true;
}

// The whole request fails with one error (Kafka's ProduceRequest.getErrorResponse):
// every partition gets it with the message; acks=0 closes the connection instead.
void fail_request(request_context& ctx, shaped_request& shaped, int16_t acks, error_code e, const std::string& message) {
  if (acks == 0) {
    ctx.services().logger->info("closing connection from {}: produce with acks=0 failed: {} ({})", ctx.peer(),
                                protocol::error_name(e), message);
    return ctx.close_connection("produce with acks=0 failed");
  }
  for (auto& en : shaped.entries) {
    auto r = produce_error(e);
    r.error_message = message.empty() ? std::string(protocol::default_message(e)) : message;
    set_answer(shaped.response, en, std::move(r));
  }
  ctx.respond(shaped.response);
}

std::span<const uint8_t> records_of(const entry& e) { return e.data->records.view(); }

// RequestUtils.hasTransactionalRecords: the first batch of every partition, in
// order, until a transactional one. A corrupt one fails the request.
struct request_scan {
  std::optional<error_code> error;
  std::string message;
  bool transactional = false;
};
request_scan scan_first_batches(const shaped_request& shaped) {
  request_scan out;
  for (const auto& e : shaped.entries) {
    if (e.data->records.is_null()) continue;
    first_batch_look look = look_at_first_batch(records_of(e));
    if (look.request_error) return {look.request_error, look.message, false};
    if (look.batch && look.batch->transactional) {
      out.transactional = true;
      return out;
    }
  }
  return out;
}

// How a failed verification reaches the producer (ReplicaManager with
// AddPartitionsToTxnManager): coordinator trouble is retriable
// NOT_ENOUGH_REPLICAS with this message; PRODUCER_FENCED is
// INVALID_PRODUCER_EPOCH; the rest (INVALID_TXN_STATE,
// INVALID_PRODUCER_ID_MAPPING) as the coordinator answered.
std::string unverified_message(error_code underlying) {
  return "Unable to verify the partition has been added to the transaction. Underlying error: " +
         std::string(protocol::error_name(underlying));
}
protocol::produce_response::PartitionProduceResponse verification_failure(error_code e, int16_t version) {
  switch (e) {
    case error_code::coordinator_not_available:
    case error_code::coordinator_load_in_progress:
    case error_code::not_coordinator:
    case error_code::concurrent_transactions: {
      auto r = produce_error(error_code::not_enough_replicas);
      r.error_message = unverified_message(e);
      return r;
    }
    case error_code::producer_fenced: return produce_error(error_code::invalid_producer_epoch);
    case error_code::transaction_abortable: {
      // Produce v11+ clients know TRANSACTION_ABORTABLE (KIP-890); older ones get
      // INVALID_TXN_STATE (AddPartitionsToTxnManager's backward compatibility).
      if (version > 10) return produce_error(error_code::transaction_abortable);
      auto r = produce_error(error_code::invalid_txn_state);
      r.error_message = "Partition was not added to the transaction";
      return r;
    }
    default: return produce_error(e);
  }
}

// Produce v10+ (KIP-951): a NOT_LEADER_OR_FOLLOWER answer names the current
// leader and its endpoint, so the client need not refresh metadata first.
void add_current_leaders(const request_context& ctx, const metadata_image& image, const shaped_request& shaped,
                         response_t& response) {
  if (ctx.api_version() < 10) return;
  std::set<int32_t> leaders;
  for (const auto& e : shaped.entries) {
    auto& p = slot(response, e);
    if (p.error_code != static_cast<int16_t>(error_code::not_leader_or_follower)) continue;
    const topic_metadata* t = image.find_topic(*e.topic);
    const partition_metadata* pm = t ? data::find_partition(*t, p.index) : nullptr;
    p.current_leader.leader_id = pm ? pm->leader : -1;
    p.current_leader.leader_epoch = pm ? pm->leader_epoch : -1;
    if (pm && pm->leader >= 0) leaders.insert(pm->leader);
  }
  for (int32_t id : leaders) {
    for (const auto& b : image.brokers) {
      const endpoint* ep = b.node_id == id ? b.find_endpoint(ctx.listener_name()) : nullptr;
      if (ep) response.node_endpoints.push_back({b.node_id, ep->host, ep->port, b.rack, {}});
    }
  }
}


// A whole-request failure, if any: Kafka's error and message.
struct request_failure {
  error_code code;
  std::string message;
};

// KafkaApis.handleProduceRequest's checks, in its order: the first batches
// (RequestUtils.hasTransactionalRecords), then per partition the image and
// ProduceRequest.validateRecords.
std::optional<request_failure> check_request(const request_t& request, int16_t version, const metadata_image& image,
                                             shaped_request& shaped) {
  request_scan scan = scan_first_batches(shaped);
  if (scan.error) return request_failure{*scan.error, scan.message};
  if (scan.transactional && !request.transactional_id) {
    return request_failure{error_code::transactional_id_authorization_failed, ""};
  }
  for (auto& e : shaped.entries) {
    const topic_metadata* t = image.find_topic(*e.topic);
    if (!t || !data::find_partition(*t, e.data->index)) {
      set_answer(shaped.response, e, produce_error(error_code::unknown_topic_or_partition));
      continue;
    }
    // Kafka dereferences null records while appending: a NullPointerException
    // that fails the whole request.
    if (e.data->records.is_null()) return request_failure{error_code::unknown_server_error, ""};
    records_check check = validate_produce_records(version, records_of(e));
    if (check.request_fatal) return request_failure{check.error, check.message};
    if (check.error != error_code::none) set_answer(shaped.response, e, produce_error(check.error));
  }
  return std::nullopt;
}

// The partitions whose transactional batches the coordinator must see before
// they are appended (ReplicaManager.handleProduceAppend), for the request's
// one transactional producer.
struct txn_partitions {
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  std::vector<entry*> entries;
};

// ReplicaManager.handleProduceAppend: transactional batches must be verified by
// the transaction coordinator before the first append of a transaction.
std::optional<request_failure> find_unverified(request_context& ctx, const metadata_image& image,
                                               shaped_request& shaped, txn_partitions& out) {
  broker_services& services = ctx.services();
  const bool verification_enabled =
      !services.config || services.config->get_bool("transaction.partition.verification.enable");
  std::set<std::pair<int64_t, int16_t>> txn_producers;
  for (auto& e : shaped.entries) {
    if (e.decided) continue;
    first_batch_look look = look_at_first_batch(records_of(e));
    if (look.batch && look.batch->transactional && look.batch->producer_id >= 0) {
      txn_producers.emplace(look.batch->producer_id, look.batch->producer_epoch);
    }
  }
  if (txn_producers.size() > 1) {
    return request_failure{error_code::invalid_producer_id_mapping,
                           "Transactional records contained more than one producer ID"};
  }
  for (auto& e : shaped.entries) {
    if (e.decided) continue;
    first_batch_look look = look_at_first_batch(records_of(e));
    if (!look.batch || !look.batch->transactional || look.batch->producer_id < 0) continue;
    data::partition_lookup found = services.data->partitions.find(image, *e.topic, e.data->index);
    if (found.error != error_code::none) {
      set_answer(shaped.response, e, produce_error(found.error));
      continue;
    }
    if (!verification_enabled) continue;
    // Kafka's maybeStartTransactionVerification, before the coordinator is
    // asked: a marker appended meanwhile voids the guard, and the append fails.
    e.verification_guard = found.partition->log().maybe_start_transaction_verification(producer_id{look.batch->producer_id});
    auto state = found.partition->log().producer_state(producer_id{look.batch->producer_id});
    // An ongoing transaction of this producer epoch needs no verification.
    if (state && state->current_txn_first_offset() && state->producer_epoch().value() == look.batch->producer_epoch)
      continue;
    out.producer_id = look.batch->producer_id;
    out.producer_epoch = look.batch->producer_epoch;
    out.entries.push_back(&e);
  }
  return std::nullopt;
}

// Whether the transaction coordinator can be asked, as Kafka's
// AddPartitionsToTxnManager finds it: without __transaction_state there is no
// coordinator node (COORDINATOR_NOT_AVAILABLE).
error_code coordinator_reachable(request_context& ctx, const metadata_image& image, const std::string& txn_id) {
  broker_services& services = ctx.services();
  if (!services.txn || !image.find_topic(txn::kTransactionStateTopic)) return error_code::coordinator_not_available;
  return check_txn_coordinator(ctx, txn_id);
}

// Produce v3-11: the coordinator only verifies (AddPartitionsToTxn v4
// verify_only); its answer is at hand, the coordinator being in this process.
void verify_in_transaction(request_context& ctx, const request_t& request, const metadata_image& image,
                           shaped_request& shaped, const txn_partitions& unverified) {
  if (unverified.entries.empty()) return;
  const std::string& txn_id = *request.transactional_id;
  for (entry* e : unverified.entries) {
    error_code verified = coordinator_reachable(ctx, image, txn_id);
    if (verified == error_code::none) {
      auto results = ctx.services().txn->verify_partitions(txn_id, unverified.producer_id, unverified.producer_epoch,
                                                           {{*e->topic, e->data->index}});
      verified = results.empty() ? error_code::unknown_server_error : results.front().second;
    }
    if (verified == error_code::none) continue;
    set_answer(shaped.response, *e, verification_failure(verified, ctx.api_version()));
  }
}

// ReplicaManager.appendRecords: every partition still undecided is appended,
// in request order, on this thread. Returns whether any partition failed.
bool append_all(request_context& ctx, const metadata_image& image, int16_t acks, shaped_request& shaped,
                std::vector<durable_target>& durable) {
  const bool valid_acks = acks == -1 || acks == 0 || acks == 1;
  append_params params;
  params.acks = acks;
  params.internal_topics_allowed = ctx.header().client_id && *ctx.header().client_id == kAdminClientId;
  bool any_error = false;
  for (auto& e : shaped.entries) {
    if (e.decided) {
      any_error = true;
      continue;
    }
    if (!valid_acks) {
      set_answer(shaped.response, e, produce_error(error_code::invalid_required_acks));
      any_error = true;
      continue;
    }
    params.verification_guard = e.verification_guard;
    partition_append a = append_to_partition(ctx.services(), image, *e.topic, e.data->index, records_of(e), params);
    any_error |= !a.ok();
    if (a.ok() && acks == -1) durable.push_back({a.log, a.end_offset, e.topic_slot, e.partition_slot});
    set_answer(shaped.response, e, std::move(a.response));
  }
  return any_error;
}

}  // namespace

// A Produce request between its checks and its answer: what the appends
// need once the coordinator has added the partitions (Produce v12).
struct produce_in_flight {
  explicit produce_in_flight(request_context&& c) : ctx(std::move(c)) {}
  request_context ctx;
  request_t request;
  shaped_request shaped;
  std::shared_ptr<const metadata_image> image;
};

// Appends every partition still undecided and answers (after the fsync for acks=all).
void append_and_answer(produce_in_flight& p) {
  broker_services& services = p.ctx.services();
  const int16_t acks = p.request.acks;
  std::vector<durable_target> durable;
  const bool any_error = append_all(p.ctx, *p.image, acks, p.shaped, durable);
  if (acks == 0) {
    if (!any_error) return p.ctx.respond_none();
    services.logger->info("closing connection from {}: produce with acks=0 (correlation id {}) failed on a partition",
                          p.ctx.peer(), p.ctx.correlation_id());
    return p.ctx.close_connection("produce with acks=0 failed");
  }
  add_current_leaders(p.ctx, *p.image, p.shaped, p.shaped.response);
  if (durable.empty()) return p.ctx.respond(p.shaped.response);
  answer_when_durable(std::move(p.ctx), std::move(p.shaped.response), std::move(durable), *services.pool,
                      std::chrono::milliseconds(p.request.timeout_ms));
}

// Produce v12+ (transaction version 2): a partition not yet in the
// transaction is added by the broker (AddPartitionsToTxnManager's add path,
// AddPartitionsToTxn v5 without verify_only), then appended.
void add_then_append(std::shared_ptr<produce_in_flight> p, txn_partitions unverified) {
  const std::string& txn_id = *p->request.transactional_id;
  if (error_code e = coordinator_reachable(p->ctx, *p->image, txn_id); e != error_code::none) {
    for (entry* en : unverified.entries) set_answer(p->shaped.response, *en, verification_failure(e, 12));
    return append_and_answer(*p);
  }
  std::vector<txn::topic_partition_key> tps;
  for (entry* en : unverified.entries) tps.emplace_back(*en->topic, en->data->index);
  txn::txn_coordinator* coordinator = p->ctx.services().txn;
  coordinator->add_partitions(
      txn_id, unverified.producer_id, unverified.producer_epoch, std::move(tps),
      [p, unverified](error_code e) {
        if (e != error_code::none) {
          // PRODUCER_FENCED is INVALID_PRODUCER_EPOCH, coordinator trouble and
          // CONCURRENT_TRANSACTIONS retriable NOT_ENOUGH_REPLICAS.
          for (entry* en : unverified.entries) set_answer(p->shaped.response, *en, verification_failure(e, 12));
        }
        append_and_answer(*p);
      },
      2);
}

void handle_produce(request_context&& ctx) {
  auto p = std::make_shared<produce_in_flight>(std::move(ctx));
  if (!p->ctx.decode(p->request)) return;
  broker_services& services = p->ctx.services();
  p->shaped = shape(p->request);
  p->image = services.metadata->current();

  auto failure = check_request(p->request, p->ctx.api_version(), *p->image, p->shaped);
  txn_partitions unverified;
  if (!failure) failure = find_unverified(p->ctx, *p->image, p->shaped, unverified);
  if (failure) return fail_request(p->ctx, p->shaped, p->request.acks, failure->code, failure->message);
  if (!unverified.entries.empty() && p->ctx.api_version() >= 12) return add_then_append(std::move(p), std::move(unverified));
  verify_in_transaction(p->ctx, p->request, *p->image, p->shaped, unverified);
  append_and_answer(*p);
}

}  // namespace samsa::broker
