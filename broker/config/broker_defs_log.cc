// log.* and log.cleaner.* configs: the broker-wide defaults of topic configs.
// Sources: Kafka 4.0 LogConfig.SERVER_CONFIG_DEF, ServerLogConfigs,
// CleanerConfig, RemoteLogManagerConfig; KIP-1030 for 4.0's changed defaults
// (log.segment.bytes minimum 1 MiB, num.recovery.threads.per.data.dir 2,
// log.message.timestamp.after.max.ms one hour). Cluster-wide dynamic ones are
// the first broker synonym of each topic config (DynamicLogConfig) plus the
// cleaner's own (LogCleaner.ReconfigurableConfigs).

#include "broker/config/broker_config_defs.h"

namespace samsa::broker::config::detail {

namespace {

using enum config_type;
using enum importance;

constexpr config_def defs[] = {
    define("num.partitions", int32, value("1"), at_least(1), medium, "Default number of partitions of a new topic.")
        .effective(),
    define("log.dir", string, value("/tmp/kafka-logs"), high, "Data directory, used when log.dirs is not set.")
        .effective(),
    define("log.dirs", string, null_default, high, "Comma-separated data directories; defaults to log.dir.")
        .effective(),
    define("log.segment.bytes", int32, value("1073741824"), at_least(1048576), high,
           "Largest log segment file. Topic synonym: segment.bytes.")
        .cluster_wide(),
    define("log.roll.ms", int64, null_default, high,
           "Longest time before a new segment is rolled; defaults to log.roll.hours. Topic synonym: segment.ms.")
        .cluster_wide(),
    define("log.roll.hours", int32, value("168"), at_least(1), high,
           "Longest time before a new segment is rolled, in hours; secondary to log.roll.ms."),
    define("log.roll.jitter.ms", int64, null_default, high,
           "Most jitter subtracted from the roll time; defaults to log.roll.jitter.hours. Topic synonym: "
           "segment.jitter.ms.")
        .cluster_wide(),
    define("log.roll.jitter.hours", int32, value("0"), at_least(0), high,
           "Most jitter subtracted from the roll time, in hours; secondary to log.roll.jitter.ms."),
    define("log.retention.ms", int64, null_default, high,
           "How long to keep a segment before deleting it; -1 for no limit. Defaults to log.retention.minutes. Topic "
           "synonym: retention.ms.")
        .cluster_wide(),
    define("log.retention.minutes", int32, null_default, high,
           "Retention in minutes; secondary to log.retention.ms, defaults to log.retention.hours."),
    define("log.retention.hours", int32, value("168"), high, "Retention in hours; tertiary to log.retention.ms."),
    define("log.retention.bytes", int64, value("-1"), high,
           "Largest size of a partition's log before old segments are deleted; -1 for no limit. Topic synonym: "
           "retention.bytes.")
        .cluster_wide(),
    define("log.retention.check.interval.ms", int64, value("300000"), at_least(1), medium,
           "How often logs are checked for segments eligible for deletion."),
    define("log.cleanup.policy", list, value("delete"), valid_list("compact", "delete"), medium,
           "Default cleanup policy of old segments: delete, compact, or both. Topic synonym: cleanup.policy.")
        .cluster_wide(),
    define("log.index.size.max.bytes", int32, value("10485760"), at_least(4), medium,
           "Largest offset index file. Topic synonym: segment.index.bytes.")
        .cluster_wide(),
    define("log.index.interval.bytes", int32, value("4096"), at_least(0), medium,
           "Bytes appended between two offset index entries. Topic synonym: index.interval.bytes.")
        .cluster_wide(),
    define("log.flush.interval.messages", int64, value("9223372036854775807"), at_least(1), high,
           "Messages accumulated on a partition before it is flushed. Topic synonym: flush.messages.")
        .cluster_wide(),
    define("log.segment.delete.delay.ms", int64, value("60000"), at_least(0), high,
           "Delay before a deleted segment's files are removed. Topic synonym: file.delete.delay.ms.")
        .cluster_wide(),
    define("log.flush.scheduler.interval.ms", int64, value("9223372036854775807"), high,
           "How often the flusher checks whether a log needs flushing; default of log.flush.interval.ms."),
    define("log.flush.interval.ms", int64, null_default, high,
           "Longest time data stays unflushed; defaults to log.flush.scheduler.interval.ms. Topic synonym: flush.ms.")
        .cluster_wide(),
    define("log.flush.offset.checkpoint.interval.ms", int32, value("60000"), at_least(0), high,
           "How often the recovery point checkpoint is written."),
    define("log.flush.start.offset.checkpoint.interval.ms", int32, value("60000"), at_least(0), high,
           "How often the log start offset checkpoint is written."),
    define("log.preallocate", boolean, value("false"), medium,
           "Preallocate segment files when they are created. Topic synonym: preallocate.")
        .cluster_wide(),
    define("num.recovery.threads.per.data.dir", int32, value("2"), at_least(1), high,
           "Threads per data directory for log recovery at startup and flushing at shutdown.")
        .cluster_wide(),
    define("auto.create.topics.enable", boolean, value("true"), high,
           "Create a topic when a client asks for metadata of one that does not exist.")
        .effective(),
    define("min.insync.replicas", int32, value("1"), at_least(1), high,
           "Replicas that must acknowledge an acks=all write. Topic synonym: min.insync.replicas.")
        .cluster_wide(),
    define("log.message.timestamp.type", string, value("CreateTime"), valid_string("CreateTime", "LogAppendTime"),
           medium, "Whether record timestamps are the producer's (CreateTime) or the broker's (LogAppendTime).")
        .cluster_wide(),
    define("log.message.timestamp.before.max.ms", int64, value("9223372036854775807"), at_least(0), medium,
           "How far in the past a CreateTime timestamp may be before the batch is refused.")
        .cluster_wide(),
    define("log.message.timestamp.after.max.ms", int64, value("3600000"), at_least(0), medium,
           "How far in the future a CreateTime timestamp may be before the batch is refused.")
        .cluster_wide(),
    define("log.message.downconversion.enable", boolean, value("true"), low,
           "Deprecated: a no-op since Kafka 4.0 removed down-conversion.")
        .cluster_wide(),
    define("create.topic.policy.class.name", class_name, null_default, low,
           "Java class validating topic creation requests."),
    define("alter.config.policy.class.name", class_name, null_default, low,
           "Java class validating alter-config requests."),
    define("log.dir.failure.timeout.ms", int64, value("30000"), at_least(1), low,
           "How long a broker keeps running while unable to report a failed log directory."),
    define("log.initial.task.delay.ms", int64, value("30000"), at_least(0), low,
           "Delay before the log manager's periodic tasks start; for tests.")
        .hidden(),
    define("log.local.retention.ms", int64, value("-2"), at_least(-2), medium,
           "Local retention of tiered topics; -2 means log.retention.ms. Topic synonym: local.retention.ms.")
        .cluster_wide(),
    define("log.local.retention.bytes", int64, value("-2"), at_least(-2), medium,
           "Local size limit of tiered topics; -2 means log.retention.bytes. Topic synonym: local.retention.bytes.")
        .cluster_wide(),
    define("remote.log.storage.system.enable", boolean, value("false"), medium,
           "Enable tiered storage in the broker.")
        .note("Samsa has no tiered storage; true is refused."),

    // --- Log cleaner ----------------------------------------------------------
    define("log.cleaner.threads", int32, value("1"), at_least(0), medium, "Background threads compacting logs.")
        .cluster_wide(),
    define("log.cleaner.io.max.bytes.per.second", float64, value("1.7976931348623157E308"), medium,
           "Cleaner I/O throttle (read plus write bytes per second).")
        .cluster_wide(),
    define("log.cleaner.dedupe.buffer.size", int64, value("134217728"), medium,
           "Memory for log deduplication across all cleaner threads.")
        .cluster_wide(),
    define("log.cleaner.io.buffer.size", int32, value("524288"), at_least(0), medium,
           "Memory for cleaner I/O buffers across all cleaner threads.")
        .cluster_wide(),
    define("log.cleaner.io.buffer.load.factor", float64, value("0.9"), medium,
           "Load factor of the deduplication buffer.")
        .cluster_wide(),
    define("log.cleaner.backoff.ms", int64, value("15000"), at_least(0), medium,
           "Sleep when there is no log to clean.")
        .cluster_wide(),
    define("log.cleaner.min.cleanable.ratio", float64, value("0.5"), between(0, 1), medium,
           "Smallest dirty/total ratio for a log to be cleaned. Topic synonym: min.cleanable.dirty.ratio.")
        .cluster_wide(),
    define("log.cleaner.enable", boolean, value("true"), medium, "Run the log cleaner (needed for compaction)."),
    define("log.cleaner.delete.retention.ms", int64, value("86400000"), at_least(0), medium,
           "How long tombstones are kept on compacted topics. Topic synonym: delete.retention.ms.")
        .cluster_wide(),
    define("log.cleaner.min.compaction.lag.ms", int64, value("0"), at_least(0), medium,
           "Least time a record stays uncompacted. Topic synonym: min.compaction.lag.ms.")
        .cluster_wide(),
    define("log.cleaner.max.compaction.lag.ms", int64, value("9223372036854775807"), at_least(1), medium,
           "Most time a record stays ineligible for compaction. Topic synonym: max.compaction.lag.ms.")
        .cluster_wide(),
};

}  // namespace

std::span<const config_def> log_config_defs() { return defs; }

}  // namespace samsa::broker::config::detail
