#pragma once

// The transaction coordinator's APIs and the transactional data-path admin
// APIs, one .cc file each, registered by txn_handler_table.cc. Each checks
// what KafkaApis checks (coordinator ownership via txn_util.h, topics) and
// hands the rest to broker/txn/txn_coordinator.h. No authorizer: the
// *_AUTHORIZATION_FAILED answers Kafka gives with ACLs never occur.
// Transactions are served with transaction.version 1 semantics (the
// transaction.version feature is not finalized: clients never use the
// KIP-890 part 2 protocol, EndTxn v5 and Produce v12).

#include "broker/request_context.h"

namespace samsa::broker {

// AddPartitionsToTxn (24) v0-5: v0-3 one transaction from a client; v4-5
// a batch of transactions from a broker, verify_only answering whether
// each partition is in the ongoing transaction. Unknown partitions fail the
// whole transaction (UNKNOWN_TOPIC_OR_PARTITION, the others
// OPERATION_NOT_ATTEMPTED); PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v2.
void handle_add_partitions_to_txn(request_context&& ctx);
// AddOffsetsToTxn (25) v0-4: adds the group's __consumer_offsets partition.
void handle_add_offsets_to_txn(request_context&& ctx);
// EndTxn (26) v0-4: answered once PrepareCommit/PrepareAbort is durable.
void handle_end_txn(request_context&& ctx);
// WriteTxnMarkers (27) v1 (Kafka 4.0 serves no v0): writes the markers to the local partitions (as
// a partition leader receiving them from a coordinator); answered once durable.
void handle_write_txn_markers(request_context&& ctx);
// TxnOffsetCommit (28) v0-4: offsets pending in the group coordinator until
// the transaction's marker; the __consumer_offsets partition must be in the
// producer's transaction (AddOffsetsToTxn first), else INVALID_TXN_STATE.
void handle_txn_offset_commit(request_context&& ctx);
// DescribeProducers (61) v0: the active producers of each partition.
void handle_describe_producers(request_context&& ctx);
// DescribeTransactions (65) v0.
void handle_describe_transactions(request_context&& ctx);
// ListTransactions (66) v0-1.
void handle_list_transactions(request_context&& ctx);

}  // namespace samsa::broker
