# The data path: broker/data/ (partitions, fetch watchers, producer ids, error
# mapping) and the data-path handlers in broker/handlers/ that data_handlers.cc
# registers. Compiled into samsa_broker; see data/README.md.
target_sources(samsa_broker PRIVATE
  data/storage_errors.cc
  data/partition_watchers.cc
  data/hosted_partition.cc
  data/partition_directory.cc
  data/producer_id_manager.cc
  data/internal_topic_replay.cc
  handlers/produce.cc
  handlers/produce_append.cc
  handlers/produce_ack.cc
  handlers/produce_records_check.cc
  handlers/fetch.cc
  handlers/fetch_read.cc
  handlers/fetch_answer.cc
  handlers/delayed_fetch.cc
  handlers/list_offsets.cc
  handlers/offset_for_leader_epoch.cc
  handlers/delete_records.cc
  handlers/describe_log_dirs.cc
  handlers/init_producer_id.cc)
