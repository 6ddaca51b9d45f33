// The transaction coordinator's group of the handler table. InitProducerId
// and FindCoordinator stay in their own groups (data and groups); they reach
// the transaction coordinator for a transactional id / key type 1.
// Ranges: Kafka 4.0's (EndTxn v5 and TxnOffsetCommit v5 are transaction.version
// 2's, which ApiVersions finalizes); WriteTxnMarkers 1 only, as Kafka 4.0
// (KIP-896 removed v0).
#include "broker/handlers/handler_table.h"
#include "broker/handlers/txn_handlers.h"
#include "protocol/generated/api_registry.h"

namespace samsa::broker {
namespace {

constexpr api_handler handlers[] = {
    {protocol::api_keys::add_partitions_to_txn, 0, 5, 0, &handle_add_partitions_to_txn},
    {protocol::api_keys::add_offsets_to_txn, 0, 4, 0, &handle_add_offsets_to_txn},
    {protocol::api_keys::end_txn, 0, 5, 0, &handle_end_txn},
    {protocol::api_keys::write_txn_markers, 1, 1, 1, &handle_write_txn_markers},
    {protocol::api_keys::txn_offset_commit, 0, 5, 0, &handle_txn_offset_commit},
    {protocol::api_keys::describe_producers, 0, 0, 0, &handle_describe_producers},
    {protocol::api_keys::describe_transactions, 0, 0, 0, &handle_describe_transactions},
    {protocol::api_keys::list_transactions, 0, 1, 0, &handle_list_transactions},
};

}  // namespace

std::span<const api_handler> txn_handlers() { return handlers; }

}  // namespace samsa::broker
