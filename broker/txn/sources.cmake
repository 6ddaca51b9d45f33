# The transaction coordinator: broker/txn/ (state machine, records, log
# adapter, timers) and the transaction handlers in broker/handlers/ that
# txn_handler_table.cc registers. Compiled into samsa_broker; see
# txn/README.md.
target_sources(samsa_broker PRIVATE
  txn/transaction_state.cc
  txn/transaction_log_records.cc
  txn/transaction_state_log.cc
  txn/txn_coordinator.cc
  txn/txn_service.cc
  handlers/txn_util.cc
  handlers/txn_handler_table.cc
  handlers/add_partitions_to_txn.cc
  handlers/add_offsets_to_txn.cc
  handlers/end_txn.cc
  handlers/txn_offset_commit.cc
  handlers/write_txn_markers.cc
  handlers/describe_transactions.cc
  handlers/list_transactions.cc
  handlers/describe_producers.cc)
