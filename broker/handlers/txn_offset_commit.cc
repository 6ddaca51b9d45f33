#include <memory>

#include "broker/groups/coordinator_partition.h"
#include "broker/groups/group_coordinator.h"
#include "broker/handlers/group_util.h"
#include "broker/handlers/txn_handlers.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/generated/txn_offset_commit.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::txn_offset_commit_request;
using response_t = protocol::txn_offset_commit_response;

// The transaction verification Kafka's coordinator runtime runs before a
// transactional write (scheduleTransactionalWriteOperation through
// AddPartitionsToTxnManager), with the error normalisation both apply:
// coordinator errors -> (NOT_ENOUGH_REPLICAS ->) COORDINATOR_NOT_AVAILABLE,
// PRODUCER_FENCED -> INVALID_PRODUCER_EPOCH.
error_code normalised_verification_error(error_code e) {
  switch (e) {
    case error_code::coordinator_not_available:
    case error_code::coordinator_load_in_progress:
    case error_code::not_coordinator:
    case error_code::concurrent_transactions: return error_code::coordinator_not_available;
    case error_code::producer_fenced: return error_code::invalid_producer_epoch;
    case error_code::transaction_abortable: return error_code::invalid_txn_state;  // v0-4 predate it
    default: return e;
  }
}

txn::topic_partition_key offsets_partition(const request_context& ctx, const request_t& request) {
  return {groups::kConsumerOffsetsTopic, group_coordinator_of(ctx)->partition_for(request.group_id)};
}

// v0-4: the coordinator verifies the group's __consumer_offsets partition is
// in the transaction (AddOffsetsToTxn added it).
error_code verify_offsets_partition(const request_context& ctx, const request_t& request) {
  error_code owner = check_txn_coordinator(ctx, request.transactional_id);
  if (owner != error_code::none) return error_code::coordinator_not_available;
  auto result = txn_coordinator_of(ctx)->verify_partitions(request.transactional_id, request.producer_id,
                                                           request.producer_epoch, {offsets_partition(ctx, request)});
  return normalised_verification_error(result.empty() ? error_code::unknown_server_error : result.front().second);
}

}  // namespace

// KafkaApis.handleTxnOffsetCommitRequest and GroupCoordinatorService.commitTransactionalOffsets.
void handle_txn_offset_commit(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  using builder_t = topic_response_builder<response_t::TxnOffsetCommitResponseTopic>;
  auto answer = std::make_shared<builder_t>();
  request_t valid = keep_known_partitions(request, *answer, known_partitions(ctx));
  auto respond = [answer](request_context& c, const response_t& from_coordinator) {
    answer->merge(from_coordinator.topics);
    response_t out;
    out.topics = answer->take();
    c.respond(out);
  };
  auto fail_valid = [&](error_code e) { respond(ctx, every_partition_failed<response_t>(valid, e)); };
  if (valid.topics.empty()) return respond(ctx, response_t{});
  if (request.group_id.empty()) return fail_valid(error_code::invalid_group_id);
  if (error_code e = check_group_coordinator(ctx, request.group_id); e != error_code::none) return fail_valid(e);
  const int16_t version = ctx.api_version();
  if (version >= 5) {
    // Transaction version 2 (Java 4.x sends no AddOffsetsToTxn): the broker
    // adds the group's __consumer_offsets partition to the transaction itself
    // (the coordinator runtime's verification with the add operation).
    if (check_txn_coordinator(ctx, request.transactional_id) != error_code::none)
      return fail_valid(error_code::coordinator_not_available);
    auto pending = std::make_shared<request_context>(std::move(ctx));
    auto shared_valid = std::make_shared<request_t>(std::move(valid));
    txn_coordinator_of(*pending)->add_partitions(
        request.transactional_id, request.producer_id, request.producer_epoch,
        {offsets_partition(*pending, request)},
        [pending, shared_valid, respond, version](error_code e) {
          e = normalised_verification_error(e);
          if (e != error_code::none) return respond(*pending, every_partition_failed<response_t>(*shared_valid, e));
          group_coordinator_of(*pending)->txn_commit_offsets(version, std::move(*shared_valid),
                                                             [pending, respond](response_t r) { respond(*pending, r); });
        },
        2);
    return;
  }
  if (error_code e = verify_offsets_partition(ctx, request); e != error_code::none) return fail_valid(e);
  auto pending = std::make_shared<request_context>(std::move(ctx));
  group_coordinator_of(*pending)->txn_commit_offsets(version, std::move(valid), [pending, respond](response_t r) {
    respond(*pending, r);
  });
}

}  // namespace samsa::broker
