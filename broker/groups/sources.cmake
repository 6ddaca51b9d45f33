# The group coordinator: broker/groups/ (state machine, records, log adapter,
# timers) and the group handlers in broker/handlers/ that
# group_handler_table.cc registers. Compiled into samsa_broker; see
# groups/README.md.
target_sources(samsa_broker PRIVATE
  groups/classic_group.cc
  groups/assignors.cc
  groups/consumer_group.cc
  groups/consumer_group_admin.cc
  groups/consumer_group_heartbeat.cc
  groups/consumer_group_member_heartbeat.cc
  groups/consumer_group_records.cc
  groups/consumer_group_regex.cc
  groups/consumer_group_migration.cc
  groups/consumer_protocol.cc
  groups/topic_regex.cc
  groups/reconciliation.cc
  groups/consumer_offsets_records.cc
  groups/consumer_offsets_log.cc
  groups/append_errors.cc
  groups/coordinator_partition.cc
  groups/group_admin.cc
  groups/group_coordinator.cc
  groups/group_offsets.cc
  groups/group_txn_offsets.cc
  groups/group_service.cc
  groups/group_ticker.cc
  handlers/group_util.cc
  handlers/group_handler_table.cc
  handlers/find_coordinator.cc
  handlers/join_group.cc
  handlers/sync_group.cc
  handlers/heartbeat.cc
  handlers/leave_group.cc
  handlers/offset_commit.cc
  handlers/offset_fetch.cc
  handlers/list_groups.cc
  handlers/describe_groups.cc
  handlers/delete_groups.cc
  handlers/offset_delete.cc
  handlers/consumer_group_heartbeat.cc
  handlers/consumer_group_describe.cc)
