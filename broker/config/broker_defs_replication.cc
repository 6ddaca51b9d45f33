// Replication, leader balancing and inter-broker configs.
// Source: Kafka 4.0 ReplicationConfigs; update modes from DynamicBrokerConfig.

#include "broker/config/broker_config_defs.h"

namespace samsa::broker::config::detail {

namespace {

using enum config_type;
using enum importance;

constexpr config_def defs[] = {
    define("controller.socket.timeout.ms", int32, value("30000"), medium,
           "Socket timeout of controller-to-broker channels."),
    define("default.replication.factor", int32, value("1"), medium,
           "Replication factor of automatically created topics.")
        .effective(),
    define("replica.lag.time.max.ms", int64, value("30000"), high,
           "A follower that has not fetched up to the leader's log end for this long leaves the ISR."),
    define("replica.socket.timeout.ms", int32, value("30000"), high,
           "Socket timeout of follower fetches; at least replica.fetch.wait.max.ms."),
    define("replica.socket.receive.buffer.bytes", int32, value("65536"), high,
           "Socket receive buffer of follower fetches."),
    define("replica.fetch.max.bytes", int32, value("1048576"), at_least(0), medium,
           "Bytes a follower tries to fetch per partition (not an absolute maximum)."),
    define("replica.fetch.wait.max.ms", int32, value("500"), high,
           "Longest wait of a follower fetch; at most replica.lag.time.max.ms."),
    define("replica.fetch.backoff.ms", int32, value("1000"), at_least(0), medium,
           "Sleep after a fetch partition error."),
    define("replica.fetch.min.bytes", int32, value("1"), high, "Least bytes a follower fetch waits for."),
    define("replica.fetch.response.max.bytes", int32, value("10485760"), at_least(0), medium,
           "Bytes expected for a whole follower fetch response (not an absolute maximum)."),
    define("num.replica.fetchers", int32, value("1"), high, "Fetcher threads per source broker.").cluster_wide(),
    define("replica.high.watermark.checkpoint.interval.ms", int64, value("5000"), high,
           "How often the high watermark is saved to disk."),
    define("fetch.purgatory.purge.interval.requests", int32, value("1000"), medium,
           "Purge interval, in requests, of the fetch purgatory."),
    define("producer.purgatory.purge.interval.requests", int32, value("1000"), medium,
           "Purge interval, in requests, of the produce purgatory."),
    define("delete.records.purgatory.purge.interval.requests", int32, value("1"), medium,
           "Purge interval, in requests, of the delete-records purgatory."),
    define("auto.leader.rebalance.enable", boolean, value("true"), high,
           "Move leadership back to preferred replicas in the background."),
    define("leader.imbalance.per.broker.percentage", int32, value("10"), high,
           "Leader imbalance per broker, in percent, that triggers a rebalance."),
    define("leader.imbalance.check.interval.seconds", int64, value("300"), at_least(1), high,
           "How often partition leadership balance is checked."),
    define("unclean.leader.election.interval.ms", int64, value("300000"), at_least(1), medium,
           "How often the controller looks for partitions needing unclean leader election.")
        .hidden(),
    define("unclean.leader.election.enable", boolean, value("false"), high,
           "Let an out-of-sync replica become leader as a last resort, losing data. Topic synonym: "
           "unclean.leader.election.enable.")
        .cluster_wide(),
    define("security.inter.broker.protocol", string, value("PLAINTEXT"),
           valid_string("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"), medium,
           "Security protocol between brokers; exclusive with inter.broker.listener.name."),
    define("inter.broker.listener.name", string, null_default, medium,
           "Listener used between brokers; exclusive with security.inter.broker.protocol."),
    define("replica.selector.class", string, null_default, medium,
           "Java class choosing the preferred read replica; the leader by default."),
};

}  // namespace

std::span<const config_def> replication_config_defs() { return defs; }

}  // namespace samsa::broker::config::detail
