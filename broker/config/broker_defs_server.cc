// Identity, request handling, sockets, listeners, KRaft and metrics configs.
// Sources: Kafka 4.0 ServerConfigs, SocketServerConfigs, KRaftConfigs,
// QuorumConfig, MetricConfigs; update modes from DynamicBrokerConfig.

#include "broker/config/broker_config_defs.h"

namespace samsa::broker::config::detail {

namespace {

using enum config_type;
using enum importance;

constexpr config_def defs[] = {
    // --- Identity and roles -------------------------------------------------
    define("node.id", int32, value("1"), high,
           "The node id of this server; unique across the cluster. broker.id is its synonym.")
        .note("Kafka has no usable default (-1, required in KRaft); Samsa runs a single node with id 1 unless told "
              "otherwise.")
        .effective(),
    define("broker.id", int32, value("1"), high,
           "Synonym of node.id kept for old properties files; when both are set they must be equal.")
        .note("Kafka's default is -1; Samsa mirrors node.id.")
        .effective(),
    define("process.roles", list, value(""), valid_list("broker", "controller"), high,
           "The roles this node plays: broker, controller, or both.")
        .note("Optional in Samsa: an unset list means the embedded single-node mode (broker and controller in one "
              "process). 'controller' alone is refused."),
    define("broker.rack", string, null_default, medium, "Rack of the broker, used for rack-aware replica placement.")
        .effective(),

    // --- Requests and threads -----------------------------------------------
    define("message.max.bytes", int32, value("1048588"), at_least(0), high,
           "Largest record batch the broker accepts (after compression). Topic synonym: max.message.bytes.")
        .cluster_wide(),
    define("num.io.threads", int32, value("8"), at_least(1), high,
           "Threads that process requests, which may include disk I/O.")
        .cluster_wide(),
    define("num.network.threads", int32, value("3"), at_least(1), high,
           "Threads that receive requests from the network and send responses.")
        .cluster_wide(),
    define("background.threads", int32, value("10"), at_least(1), high, "Threads for background processing tasks.")
        .cluster_wide(),
    define("num.replica.alter.log.dirs.threads", int32, null_default, high,
           "Threads moving replicas between log directories; defaults to the number of log directories."),
    define("request.timeout.ms", int32, value("30000"), high,
           "How long the broker's own clients wait for a response before retrying or failing."),
    define("socket.connection.setup.timeout.ms", int64, value("10000"), medium,
           "How long the broker's own clients wait for a socket connection to be established."),
    define("socket.connection.setup.timeout.max.ms", int64, value("30000"), medium,
           "Upper bound of the exponential back-off of socket.connection.setup.timeout.ms."),
    define("delete.topic.enable", boolean, value("true"), high, "Whether topics may be deleted.").effective(),
    define("compression.type", string, value("producer"),
           valid_string("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"), high,
           "Final compression of a topic's data; 'producer' keeps what the producer sent.")
        .cluster_wide(),
    define("compression.gzip.level", int32, value("-1"), between_or(1, 9, -1), medium,
           "Compression level used when compression.type is gzip.")
        .cluster_wide(),
    define("compression.lz4.level", int32, value("9"), between(1, 17), medium,
           "Compression level used when compression.type is lz4.")
        .cluster_wide(),
    define("compression.zstd.level", int32, value("3"), between(-131072, 22), medium,
           "Compression level used when compression.type is zstd.")
        .cluster_wide(),
    define("max.incremental.fetch.session.cache.slots", int32, value("1000"), at_least(0), medium,
           "Most incremental fetch sessions kept."),
    define("fetch.max.bytes", int32, value("57671680"), at_least(1024), medium,
           "Most bytes returned for one fetch request."),
    define("max.request.partition.size.limit", int32, value("2000"), at_least(1), medium,
           "Most partitions one request may name.")
        .effective(),
    define("early.start.listeners", string, null_default, high,
           "Listeners started before the authorizer finishes initialising."),
    define("unstable.api.versions.enable", boolean, value("false"), high,
           "Advertise API versions that are still under development.")
        .hidden(),
    define("unstable.feature.versions.enable", boolean, value("false"), high,
           "Allow feature versions that are still under development.")
        .hidden(),

    // --- Sockets and listeners ----------------------------------------------
    define("listeners", string, value("PLAINTEXT://:9092"), high,
           "Comma-separated listener URIs NAME://host:port; an empty host binds all interfaces.")
        .per_broker()
        .effective(),
    define("advertised.listeners", string, null_default, high,
           "Listeners published to clients when they differ from listeners; defaults to listeners.")
        .per_broker()
        .effective(),
    define("listener.security.protocol.map", string,
           value("SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT"), low,
           "Maps listener names to security protocols, NAME:PROTOCOL pairs separated by commas.")
        .per_broker()
        .effective(),
    define("socket.send.buffer.bytes", int32, value("102400"), high,
           "SO_SNDBUF of server sockets; -1 keeps the OS default.")
        .effective(),
    define("socket.receive.buffer.bytes", int32, value("102400"), high,
           "SO_RCVBUF of server sockets; -1 keeps the OS default.")
        .effective(),
    define("socket.request.max.bytes", int32, value("104857600"), at_least(1), high, "Largest request accepted.")
        .effective(),
    define("socket.listen.backlog.size", int32, value("50"), at_least(1), medium,
           "Pending connection queue length (SO_BACKLOG).")
        .effective(),
    define("max.connections.per.ip", int32, value("2147483647"), at_least(0), medium,
           "Most connections accepted from one IP address.")
        .cluster_wide()
        .effective(),
    define("max.connections.per.ip.overrides", string, value(""), medium,
           "Per-IP or per-host exceptions to max.connections.per.ip, host:count pairs.")
        .cluster_wide(),
    define("max.connections", int32, value("2147483647"), at_least(0), medium,
           "Most connections accepted by the broker at any time.")
        .cluster_wide()
        .effective(),
    define("max.connection.creation.rate", int32, value("2147483647"), at_least(0), medium,
           "Most new connections accepted per second.")
        .cluster_wide(),
    define("connections.max.idle.ms", int64, value("600000"), medium, "Idle connections are closed after this long.")
        .effective(),
    define("connection.failed.authentication.delay.ms", int32, value("100"), at_least(0), low,
           "Delay before closing a connection whose authentication failed."),
    define("queued.max.requests", int32, value("500"), at_least(1), high,
           "Requests queued for the I/O threads before network threads stop reading.")
        .effective(),
    define("queued.max.request.bytes", int64, value("-1"), medium,
           "Bytes of queued requests before no more are read; -1 for no limit.")
        .effective(),

    // --- KRaft ---------------------------------------------------------------
    define("controller.listener.names", string, null_default, high,
           "Comma-separated listener names used by the controller."),
    define("controller.quorum.voters", list, value(""), quorum_voters(), high,
           "Static controller quorum as id@host:port entries."),
    define("controller.quorum.bootstrap.servers", list, value(""), host_port_list(), high,
           "host:port endpoints used to discover the controller quorum."),
    define("controller.quorum.election.timeout.ms", int32, value("1000"), high,
           "How long without a leader before an election starts."),
    define("controller.quorum.fetch.timeout.ms", int32, value("2000"), high,
           "How long without a successful fetch before a voter becomes a candidate."),
    define("controller.quorum.election.backoff.max.ms", int32, value("1000"), high,
           "Longest back-off before a new election."),
    define("controller.quorum.append.linger.ms", int32, value("25"), medium,
           "How long the quorum leader waits for writes to accumulate before flushing."),
    define("controller.quorum.request.timeout.ms", int32, value("2000"), medium,
           "How long quorum requests wait for a response."),
    define("controller.quorum.retry.backoff.ms", int32, value("20"), low,
           "Back-off before retrying a failed quorum request."),
    define("sasl.mechanism.controller.protocol", string, value("GSSAPI"), high,
           "SASL mechanism used to talk to controllers."),
    define("metadata.log.dir", string, null_default, high,
           "Directory of the cluster metadata log; defaults to the first log directory.")
        .note("Must be one of log.dirs: the metadata log is kept by the log manager with the topics' logs.")
        .effective(),
    define("metadata.log.segment.bytes", int32, value("1073741824"), at_least(12), high,
           "Largest metadata log segment.")
        .effective(),
    define("metadata.log.segment.ms", int64, value("604800000"), high,
           "Longest time before a new metadata log segment is rolled.")
        .effective(),
    define("metadata.max.retention.bytes", int64, value("104857600"), high,
           "Most metadata log and snapshot bytes kept before old ones are deleted.")
        .note("Samsa writes no metadata snapshots yet, so it keeps the whole metadata log and ignores this."),
    define("metadata.max.retention.ms", int64, value("604800000"), high,
           "How long metadata log files and snapshots are kept.")
        .note("Samsa writes no metadata snapshots yet, so it keeps the whole metadata log and ignores this."),
    define("metadata.log.max.record.bytes.between.snapshots", int64, value("20971520"), at_least(1), high,
           "Metadata log bytes appended after the last snapshot before a new one is written."),
    define("metadata.log.max.snapshot.interval.ms", int64, value("3600000"), at_least(0), high,
           "Longest time between metadata snapshots when there are changes; 0 disables."),
    define("metadata.max.idle.interval.ms", int32, value("500"), at_least(0), low,
           "How often the active controller appends a no-op record when idle."),
    define("initial.broker.registration.timeout.ms", int32, value("60000"), medium,
           "How long a broker waits for its first registration with the controller."),
    define("broker.heartbeat.interval.ms", int32, value("2000"), medium, "Interval of broker heartbeats."),
    define("broker.session.timeout.ms", int32, value("9000"), medium,
           "How long a broker lease lasts without heartbeats."),

    // --- Samsa ----------------------------------------------------------------
    define("samsa.shards", int32, value("0"), at_least(0), high,
           "Samsa: event-loop threads (shards); each owns its connections and partitions. 0: one per CPU core.")
        .effective(),
    define("samsa.log.flush.threads.per.data.dir", int32, value("8"), at_least(1), medium,
           "Samsa: threads per log directory that fsync logs for acks=all, flush.messages and flush.ms; "
           "several let the fsyncs of different partitions share the file system's journal commits.")
        .effective(),
    define("samsa.log.level", string, value("info"),
           valid_string("trace", "debug", "info", "warn", "error", "critical", "off"), medium,
           "Samsa: the level of the broker's log (Kafka sets this in log4j.properties).")
        .effective(),

    // --- Metrics ------------------------------------------------------------
    define("metric.reporters", list, value("org.apache.kafka.common.metrics.JmxReporter"), low,
           "Java classes notified of metric changes.")
        .cluster_wide(),
    define("metrics.num.samples", int32, value("2"), at_least(1), low, "Samples kept to compute metrics."),
    define("metrics.sample.window.ms", int64, value("30000"), at_least(1), low, "Window of one metrics sample."),
    define("metrics.recording.level", string, value("INFO"), low, "Highest recording level of metrics."),
};

}  // namespace

std::span<const config_def> server_config_defs() { return defs; }

}  // namespace samsa::broker::config::detail
