// Topic configs, in Kafka 4.0 LogConfig's order, with their broker synonyms
// from ServerTopicConfigSynonyms.ALL_TOPIC_CONFIG_SYNONYMS.

#include "broker/config/topic_config_defs.h"

namespace samsa::broker::config {

namespace {

using enum config_type;
using enum importance;

constexpr topic_config_def topic(config_def def) { return topic_config_def{def, {}, 0}; }
constexpr topic_config_def topic(config_def def, broker_synonym a) { return topic_config_def{def, {a}, 1}; }
constexpr topic_config_def topic(config_def def, broker_synonym a, broker_synonym b) {
  return topic_config_def{def, {a, b}, 2};
}
constexpr topic_config_def topic(config_def def, broker_synonym a, broker_synonym b, broker_synonym c) {
  return topic_config_def{def, {a, b, c}, 3};
}
constexpr broker_synonym hours(std::string_view name) { return {name, synonym_unit::hours_to_ms}; }
constexpr broker_synonym minutes(std::string_view name) { return {name, synonym_unit::minutes_to_ms}; }
constexpr broker_synonym same(std::string_view name) { return {name, synonym_unit::same}; }

constexpr topic_config_def defs[] = {
    topic(define("segment.bytes", int32, value("1073741824"), at_least(1048576), medium,
                 "Size of a segment file; retention and compaction work a segment at a time."),
          same("log.segment.bytes")),
    topic(define("segment.ms", int64, value("604800000"), at_least(1), medium,
                 "Time after which a segment is rolled even if not full."),
          same("log.roll.ms"), hours("log.roll.hours")),
    topic(define("segment.jitter.ms", int64, value("0"), at_least(0), medium,
                 "Most random jitter subtracted from segment.ms."),
          same("log.roll.jitter.ms"), hours("log.roll.jitter.hours")),
    topic(define("segment.index.bytes", int32, value("10485760"), at_least(4), medium,
                 "Size of the offset index of a segment."),
          same("log.index.size.max.bytes")),
    topic(define("flush.messages", int64, value("9223372036854775807"), at_least(1), medium,
                 "Messages written before an fsync is forced."),
          same("log.flush.interval.messages")),
    topic(define("flush.ms", int64, value("9223372036854775807"), at_least(0), medium,
                 "Time after which an fsync is forced."),
          same("log.flush.interval.ms"), same("log.flush.scheduler.interval.ms")),
    topic(define("retention.bytes", int64, value("-1"), medium,
                 "Largest size of a partition before old segments are discarded (delete policy); -1 for no limit."),
          same("log.retention.bytes")),
    topic(define("retention.ms", int64, value("604800000"), at_least(-1), medium,
                 "How long records are kept before old segments are discarded (delete policy); -1 for no limit."),
          same("log.retention.ms"), minutes("log.retention.minutes"), hours("log.retention.hours")),
    topic(define("max.message.bytes", int32, value("1048588"), at_least(0), medium,
                 "Largest record batch accepted (after compression)."),
          same("message.max.bytes")),
    topic(define("index.interval.bytes", int32, value("4096"), at_least(0), medium,
                 "Bytes appended between offset index entries."),
          same("log.index.interval.bytes")),
    topic(define("delete.retention.ms", int64, value("86400000"), at_least(0), medium,
                 "How long tombstones are kept on compacted topics."),
          same("log.cleaner.delete.retention.ms")),
    topic(define("min.compaction.lag.ms", int64, value("0"), at_least(0), medium,
                 "Least time a record stays uncompacted."),
          same("log.cleaner.min.compaction.lag.ms")),
    topic(define("max.compaction.lag.ms", int64, value("9223372036854775807"), at_least(1), medium,
                 "Most time a record stays ineligible for compaction."),
          same("log.cleaner.max.compaction.lag.ms")),
    topic(define("file.delete.delay.ms", int64, value("60000"), at_least(0), medium,
                 "Delay before a deleted segment's files are removed."),
          same("log.segment.delete.delay.ms")),
    topic(define("min.cleanable.dirty.ratio", float64, value("0.5"), between(0, 1), medium,
                 "Smallest dirty/total ratio for the log to be compacted."),
          same("log.cleaner.min.cleanable.ratio")),
    topic(define("cleanup.policy", list, value("delete"), valid_list("compact", "delete"), medium,
                 "delete, compact, or both: what happens to old segments."),
          same("log.cleanup.policy")),
    topic(define("unclean.leader.election.enable", boolean, value("false"), medium,
                 "Let an out-of-sync replica become leader as a last resort, losing data."),
          same("unclean.leader.election.enable")),
    topic(define("min.insync.replicas", int32, value("1"), at_least(1), medium,
                 "Replicas that must acknowledge an acks=all write."),
          same("min.insync.replicas")),
    topic(define("compression.type", string, value("producer"),
                 valid_string("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), medium,
                 "Final compression of the topic; 'producer' keeps the producer's codec."),
          same("compression.type")),
    topic(define("compression.gzip.level", int32, value("-1"), between_or(1, 9, -1), medium,
                 "Level used when compression.type is gzip."),
          same("compression.gzip.level")),
    topic(define("compression.lz4.level", int32, value("9"), between(1, 17), medium,
                 "Level used when compression.type is lz4."),
          same("compression.lz4.level")),
    topic(define("compression.zstd.level", int32, value("3"), between(-131072, 22), medium,
                 "Level used when compression.type is zstd."),
          same("compression.zstd.level")),
    topic(define("preallocate", boolean, value("false"), medium, "Preallocate segment files."),
          same("log.preallocate")),
    topic(define("message.timestamp.type", string, value("CreateTime"), valid_string("CreateTime", "LogAppendTime"),
                 medium, "Record timestamps are the producer's (CreateTime) or the broker's (LogAppendTime)."),
          same("log.message.timestamp.type")),
    topic(define("message.timestamp.before.max.ms", int64, value("9223372036854775807"), at_least(0), medium,
                 "How far in the past a CreateTime timestamp may be."),
          same("log.message.timestamp.before.max.ms")),
    topic(define("message.timestamp.after.max.ms", int64, value("3600000"), at_least(0), medium,
                 "How far in the future a CreateTime timestamp may be."),
          same("log.message.timestamp.after.max.ms")),
    topic(define("leader.replication.throttled.replicas", list, value(""), throttled_replicas(), medium,
                 "Replicas whose leader-side replication is throttled: '*' or partition:broker pairs.")),
    topic(define("follower.replication.throttled.replicas", list, value(""), throttled_replicas(), medium,
                 "Replicas whose follower-side replication is throttled: '*' or partition:broker pairs.")),
    topic(define("message.downconversion.enable", boolean, value("true"), low,
                 "Deprecated: a no-op since Kafka 4.0 removed down-conversion."),
          same("log.message.downconversion.enable")),
    topic(define("remote.storage.enable", boolean, value("false"), medium,
                 "Tier the topic's data to remote storage.")
              .note("Samsa has no tiered storage; true is refused as when Kafka's tiered storage is disabled.")),
    topic(define("local.retention.ms", int64, value("-2"), at_least(-2), medium,
                 "Local retention of a tiered topic; -2 means retention.ms."),
          same("log.local.retention.ms")),
    topic(define("local.retention.bytes", int64, value("-2"), at_least(-2), medium,
                 "Local size limit of a tiered topic; -2 means retention.bytes."),
          same("log.local.retention.bytes")),
    topic(define("remote.log.copy.disable", boolean, value("false"), medium,
                 "Stop copying segments of a tiered topic to remote storage.")),
    topic(define("remote.log.delete.on.disable", boolean, value("false"), medium,
                 "Delete remote data when tiering is turned off.")),
};

}  // namespace

std::span<const topic_config_def> topic_config_defs() { return defs; }

const topic_config_def* find_topic_config_def(std::string_view name) {
  for (const auto& d : defs) {
    if (d.def.name == name) return &d;
  }
  return nullptr;
}

}  // namespace samsa::broker::config
