// Group coordinator, offsets topic, transactions, producer ids and delegation
// tokens. Sources: Kafka 4.0 GroupCoordinatorConfig, TransactionLogConfig,
// TransactionStateManagerConfig, DelegationTokenManagerConfigs. Share groups
// (KIP-932, early access in 4.0) are not covered.

#include "broker/config/broker_config_defs.h"

namespace samsa::broker::config::detail {

namespace {

using enum config_type;
using enum importance;

constexpr config_def defs[] = {
    // --- Classic group protocol -------------------------------------------------
    define("group.min.session.timeout.ms", int32, value("6000"), medium,
           "Shortest session timeout a classic consumer may ask for.")
        .effective(),
    define("group.max.session.timeout.ms", int32, value("1800000"), medium,
           "Longest session timeout a classic consumer may ask for.")
        .effective(),
    define("group.initial.rebalance.delay.ms", int32, value("3000"), medium,
           "How long a new classic group waits for more members before its first rebalance.")
        .effective(),
    define("group.max.size", int32, value("2147483647"), at_least(1), medium,
           "Most members of a classic group.")
        .effective(),

    // --- Group coordinator ----------------------------------------------------
    define("group.coordinator.rebalance.protocols", list, value("classic,consumer"),
           valid_list("consumer", "classic", "share"), medium,
           "Enabled rebalance protocols; classic cannot be disabled."),
    define("group.coordinator.threads", int32, value("1"), at_least(1), medium,
           "Threads of the group coordinator."),
    define("group.coordinator.append.linger.ms", int32, value("5"), at_least(0), medium,
           "How long the coordinator lets writes accumulate before flushing them."),
    define("group.coordinator.new.enable", boolean, value("true"), medium, "Use the new group coordinator.")
        .hidden(),

    // --- Consumer group protocol (KIP-848) ----------------------------------------
    define("group.consumer.session.timeout.ms", int32, value("45000"), at_least(1), medium,
           "Session timeout of consumer-protocol members.")
        .effective(),
    define("group.consumer.min.session.timeout.ms", int32, value("45000"), at_least(1), medium,
           "Shortest session timeout of consumer-protocol members."),
    define("group.consumer.max.session.timeout.ms", int32, value("60000"), at_least(1), medium,
           "Longest session timeout of consumer-protocol members."),
    define("group.consumer.heartbeat.interval.ms", int32, value("5000"), at_least(1), medium,
           "Heartbeat interval given to consumer-protocol members.")
        .effective(),
    define("group.consumer.min.heartbeat.interval.ms", int32, value("5000"), at_least(1), medium,
           "Shortest heartbeat interval of consumer-protocol members."),
    define("group.consumer.max.heartbeat.interval.ms", int32, value("15000"), at_least(1), medium,
           "Longest heartbeat interval of consumer-protocol members."),
    define("group.consumer.max.size", int32, value("2147483647"), at_least(1), medium,
           "Most members of a consumer-protocol group.")
        .effective(),
    define("group.consumer.assignors", list,
           value("org.apache.kafka.coordinator.group.assignor.UniformAssignor,"
                 "org.apache.kafka.coordinator.group.assignor.RangeAssignor"),
           medium, "Server-side assignors (uniform, range); the first is the default.")
        .effective(),
    define("group.consumer.migration.policy", string, value("bidirectional"),
           case_insensitive_string("bidirectional", "upgrade", "downgrade", "disabled"), medium,
           "Which conversions between classic and consumer groups are allowed for non-empty groups.")
        .effective(),

    // --- Offsets topic ------------------------------------------------------------
    define("offset.metadata.max.bytes", int32, value("4096"), high,
           "Largest metadata string attached to a committed offset.")
        .effective(),
    define("offsets.load.buffer.size", int32, value("5242880"), at_least(1), high,
           "Batch size when loading offsets into the cache."),
    define("offsets.topic.replication.factor", int16, value("3"), at_least(1), high,
           "Replication factor of __consumer_offsets; its creation fails until enough brokers exist.")
        .effective(),
    define("offsets.topic.num.partitions", int32, value("50"), at_least(1), high,
           "Partitions of __consumer_offsets (do not change after deployment).")
        .effective(),
    define("offsets.topic.segment.bytes", int32, value("104857600"), at_least(1), high,
           "Segment size of __consumer_offsets.")
        .effective(),
    define("offsets.topic.compression.codec", int32, value("0"), high,
           "Compression codec id of __consumer_offsets (0 none)."),
    define("offsets.retention.minutes", int32, value("10080"), at_least(1), high,
           "How long committed offsets of empty groups are kept.")
        .effective(),
    define("offsets.retention.check.interval.ms", int64, value("600000"), at_least(1), high,
           "How often stale offsets are looked for.")
        .effective(),
    define("offsets.commit.timeout.ms", int32, value("5000"), at_least(1), high,
           "How long an offset commit waits for the offsets topic replicas."),

    // --- Transactions and producer ids -----------------------------------------------
    define("transaction.state.log.min.isr", int32, value("2"), at_least(1), high,
           "min.insync.replicas of __transaction_state."),
    define("transaction.state.log.load.buffer.size", int32, value("5242880"), at_least(1), high,
           "Batch size when loading transaction state into the cache."),
    define("transaction.state.log.replication.factor", int16, value("3"), at_least(1), high,
           "Replication factor of __transaction_state."),
    define("transaction.state.log.num.partitions", int32, value("50"), at_least(1), high,
           "Partitions of __transaction_state (do not change after deployment)."),
    define("transaction.state.log.segment.bytes", int32, value("104857600"), at_least(1), high,
           "Segment size of __transaction_state."),
    define("transaction.partition.verification.enable", boolean, value("true"), low,
           "Verify that a partition was added to a transaction before writing transactional records to it.")
        .cluster_wide(),
    define("producer.id.expiration.ms", int32, value("86400000"), at_least(1), low,
           "How long a producer id is kept after its last write.")
        .cluster_wide(),
    define("producer.id.expiration.check.interval.ms", int32, value("600000"), at_least(1), low,
           "How often expired producer ids are removed.")
        .hidden(),
    define("transactional.id.expiration.ms", int32, value("604800000"), at_least(1), high,
           "How long an idle transactional id is kept."),
    define("transaction.max.timeout.ms", int32, value("900000"), at_least(1), high,
           "Longest transaction timeout a producer may ask for."),
    define("transaction.abort.timed.out.transaction.cleanup.interval.ms", int32, value("10000"), at_least(1), low,
           "How often timed-out transactions are rolled back."),
    define("transaction.remove.expired.transaction.cleanup.interval.ms", int32, value("3600000"), at_least(1), low,
           "How often expired transactional ids are removed."),

    // --- Delegation tokens ---------------------------------------------------------
    define("delegation.token.secret.key", password, null_default, medium,
           "Secret used to sign delegation tokens; tokens are disabled when unset."),
    define("delegation.token.max.lifetime.ms", int64, value("604800000"), at_least(1), medium,
           "Longest a token may live, renewals included."),
    define("delegation.token.expiry.time.ms", int64, value("86400000"), at_least(1), medium,
           "Validity of a token before it must be renewed."),
    define("delegation.token.expiry.check.interval.ms", int64, value("3600000"), at_least(1), low,
           "How often expired tokens are removed."),
};

}  // namespace

std::span<const config_def> coordinator_config_defs() { return defs; }

}  // namespace samsa::broker::config::detail
