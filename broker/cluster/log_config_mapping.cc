#include "broker/cluster/log_config_mapping.h"

namespace samsa::broker {
namespace {

storage::topic_compression compression_of(const std::string& type, const config::topic_config& topic) {
  storage::topic_compression c;
  if (type == "producer") return c;
  c.producer = false;
  using protocol::compression_codec;
  if (type == "gzip") {
    c.codec = compression_codec::gzip;
    int level = topic.get("compression.gzip.level").as_int();
    if (level != -1) c.level = level;
  } else if (type == "snappy") {
    c.codec = compression_codec::snappy;
  } else if (type == "lz4") {
    c.codec = compression_codec::lz4;
    c.level = topic.get("compression.lz4.level").as_int();
  } else if (type == "zstd") {
    c.codec = compression_codec::zstd;
    c.level = topic.get("compression.zstd.level").as_int();
  } else {
    c.codec = compression_codec::none;  // "uncompressed"
  }
  return c;
}

}  // namespace

storage::log_config to_log_config(const config::topic_config& topic, const config::broker_config& broker) {
  storage::log_config c;
  c.segment_bytes = topic.segment_bytes();
  c.segment_ms = topic.segment_ms();
  c.segment_jitter_ms = topic.segment_jitter_ms();
  c.segment_index_bytes = topic.segment_index_bytes();
  c.index_interval_bytes = topic.index_interval_bytes();
  c.retention_ms = topic.retention_ms();
  c.retention_bytes = topic.retention_bytes();
  c.cleanup_delete = topic.delete_retention_enabled();
  c.cleanup_compact = topic.compact();
  c.delete_retention_ms = topic.delete_retention_ms();
  c.min_cleanable_dirty_ratio = topic.min_cleanable_dirty_ratio();
  c.min_compaction_lag_ms = topic.min_compaction_lag_ms();
  c.max_compaction_lag_ms = topic.max_compaction_lag_ms();
  c.flush_messages = topic.flush_messages();
  c.flush_ms = topic.flush_ms();
  c.file_delete_delay_ms = topic.file_delete_delay_ms();
  c.message_timestamp_type = topic.message_timestamp_type() == config::timestamp_type::log_append_time
                                 ? protocol::timestamp_type::log_append_time
                                 : protocol::timestamp_type::create_time;
  c.message_timestamp_before_max_ms = topic.message_timestamp_before_max_ms();
  c.message_timestamp_after_max_ms = topic.message_timestamp_after_max_ms();
  c.max_message_bytes = topic.max_message_bytes();
  c.preallocate = topic.preallocate();
  c.compression = compression_of(topic.compression_type(), topic);
  c.producer_id_expiration_ms = broker.get_int("producer.id.expiration.ms");
  c.max_transaction_timeout_ms = broker.get_int("transaction.max.timeout.ms");
  return c;
}

storage::log_manager_config to_log_manager_config(const config::broker_config& broker) {
  storage::log_manager_config m;
  m.log_dirs = broker.log_dirs();
  auto defaults = config::topic_config::resolve(broker, config::properties{});
  SAMSA_ASSERT(defaults.has_value(), "the broker's topic defaults must resolve");
  m.default_config = to_log_config(*defaults, broker);
  m.num_recovery_threads_per_data_dir = broker.get_int("num.recovery.threads.per.data.dir");
  m.flush_threads_per_data_dir = broker.get_int("samsa.log.flush.threads.per.data.dir");
  m.retention_check_interval_ms = broker.get_long("log.retention.check.interval.ms");
  m.flush_scheduler_interval_ms = broker.get_long("log.flush.scheduler.interval.ms");
  m.recovery_point_checkpoint_interval_ms = broker.get_int("log.flush.offset.checkpoint.interval.ms");
  m.log_start_offset_checkpoint_interval_ms = broker.get_int("log.flush.start.offset.checkpoint.interval.ms");
  m.high_watermark_checkpoint_interval_ms = broker.get_long("replica.high.watermark.checkpoint.interval.ms");
  m.producer_id_expiration_check_interval_ms = broker.get_int("producer.id.expiration.check.interval.ms");
  m.initial_task_delay_ms = broker.get_long("log.initial.task.delay.ms");
  m.log_dir_delete_delay_ms = broker.get_long("log.segment.delete.delay.ms");
  m.cleaner_enable = broker.get_bool("log.cleaner.enable");
  m.cleaner_backoff_ms = broker.get_long("log.cleaner.backoff.ms");
  return m;
}

}  // namespace samsa::broker
