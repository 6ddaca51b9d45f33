#include "broker/broker.h"

#include <netdb.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "broker/broker_services.h"
#include "broker/cluster/log_config_mapping.h"
#include "broker/cluster/meta_properties.h"
#include "broker/controller/controller.h"
#include "broker/data/data_plane.h"
#include "broker/cluster/metadata_image.h"
#include "broker/dispatcher.h"
#include "broker/fetch_session/fetch_session_cache.h"
#include "broker/groups/group_service.h"
#include "broker/txn/txn_service.h"
#include "broker/net/server.h"
#include "broker/runtime/shard_pool.h"
#include "storage/io/clock.h"
#include "storage/io/posix_file_system.h"
#include "storage/manager/log_manager.h"

namespace samsa::broker {
namespace {

// Kafka advertises the canonical host name when a listener leaves the host
// empty (InetAddress.getLocalHost.getCanonicalHostName).
std::string canonical_host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  addrinfo hints{};
  hints.ai_flags = AI_CANONNAME;
  addrinfo* info = nullptr;
  std::string out = name;
  if (::getaddrinfo(name, nullptr, &hints, &info) == 0 && info) {
    if (info->ai_canonname) out = info->ai_canonname;
    ::freeaddrinfo(info);
  }
  return out;
}

net::server_config network_config(const config::broker_config& c) {
  net::server_config n;
  for (const auto& l : c.listeners())
    n.listeners.push_back({l.listener_name, l.host, static_cast<uint16_t>(l.port)});
  n.socket_request_max_bytes = c.socket_request_max_bytes();
  n.max_connections = c.max_connections();
  n.max_connections_per_ip = c.max_connections_per_ip();
  n.connections_max_idle_ms = c.connections_max_idle_ms();
  n.socket_send_buffer_bytes = c.socket_send_buffer_bytes();
  n.socket_receive_buffer_bytes = c.socket_receive_buffer_bytes();
  n.socket_listen_backlog_size = c.socket_listen_backlog_size();
  n.queued_max_request_bytes = c.queued_max_request_bytes();
  n.queued_max_requests = c.queued_max_requests();
  return n;
}

}  // namespace

struct broker::impl {
  explicit impl(const config::broker_config& c) : config(c) {}

  config::broker_config config;
  std::shared_ptr<spdlog::logger> logger;
  std::string cluster_id;
  std::unique_ptr<runtime::shard_pool> pool;
  storage::io::posix_file_system file_system;
  storage::io::system_clock wall_clock;
  std::unique_ptr<storage::log_manager> logs;
  std::unique_ptr<fetch_session_cache> fetch_sessions;
  std::unique_ptr<metadata_cache> metadata;
  // --- controller (owned by broker/controller/) ---
  std::unique_ptr<controller> the_controller;
  // --- end controller ---
  // --- data plane ---
  // Partitions, fetch watchers, producer ids (broker/data/). Reset before the
  // logs: hosted partitions hold logs whose manager must outlive them.
  std::unique_ptr<data::data_plane> data;
  // --- end data plane ---
  // --- groups ---
  // The group coordinator. Stopped before the data plane and the logs, and
  // destroyed after the logs are closed: the last writes' durability
  // callbacks reach it until then.
  std::unique_ptr<groups::group_service> groups;
  // --- end groups ---
  // --- transactions ---
  // The transaction coordinator: stopped first (its markers settle the group
  // coordinator's transactional offsets), destroyed after the logs are
  // closed and before the group coordinator.
  std::unique_ptr<txn::txn_service> txn;
  // --- end transactions ---
  broker_services services;
  std::unique_ptr<dispatcher> requests;
  std::unique_ptr<net::server> server;
  bool stopped = false;

  // The image clients see: this broker with its advertised endpoints.
  std::shared_ptr<const metadata_image> initial_image() const {
    auto image = std::make_shared<metadata_image>();
    image->cluster_id = cluster_id;
    image->controller_id = config.node_id();
    broker_registration self;
    self.node_id = config.node_id();
    self.rack = config.get_optional_string("broker.rack");
    for (const auto& ep : config.advertised_listeners()) {
      endpoint e{ep.listener_name, ep.host, static_cast<uint16_t>(ep.port)};
      if (e.host.empty()) e.host = canonical_host_name();
      // Kafka advertises the bound port of a listener configured with port 0.
      if (e.port == 0) e.port = server->port_of(ep.listener_name);
      self.endpoints.push_back(std::move(e));
    }
    image->brokers.push_back(std::move(self));
    return image;
  }

  // Without a clean shutdown the next start recovers the logs, as after a crash.
  void stop_now() {
    if (stopped) return;
    stopped = true;
    if (server) server->stop_now();
    if (pool) pool->stop();
    // --- transactions ---
    if (txn) txn->stop();
    services.txn = nullptr;
    // --- end transactions ---
    // --- groups ---
    if (groups) groups->stop();
    services.groups = nullptr;
    // --- end groups ---
    services.controller = nullptr;
    the_controller.reset();
    // --- data plane ---
    data.reset();
    // --- end data plane ---
    logs.reset();
    txn.reset();
    groups.reset();
  }

  // Flushes every log and writes the checkpoints and the clean-shutdown marker.
  bool close_logs_cleanly() {
    // --- transactions ---
    if (txn) txn->stop();
    services.txn = nullptr;
    // --- end transactions ---
    // --- groups ---
    if (groups) groups->stop();
    services.groups = nullptr;
    // --- end groups ---
    services.controller = nullptr;
    the_controller.reset();
    // --- data plane ---
    data.reset();
    // --- end data plane ---
    if (!logs) return true;
    auto s = logs->shutdown();
    logs.reset();
    txn.reset();
    groups.reset();
    if (!s) {
      logger->error("[Samsa nodeId={}] clean shutdown of the logs failed; the next start recovers them",
                    config.node_id());
      return false;
    }
    return true;
  }
};

broker::broker(std::unique_ptr<impl> impl) : impl_(std::move(impl)) {}

broker::~broker() {
  if (impl_) impl_->stop_now();
}

result<std::unique_ptr<broker>, std::string> broker::start(const config::broker_config& config,
                                                           broker_options options) {
  for (const auto& l : config.listeners()) {
    if (l.protocol != config::security_protocol::plaintext)
      return make_failure("listener " + l.listener_name + " uses " +
                          std::string(config::security_protocol_name(l.protocol)) +
                          ", which Samsa does not support yet (only PLAINTEXT)");
  }
  auto d = std::make_unique<impl>(config);
  d->logger = options.logger ? options.logger : spdlog::default_logger();
  auto formatted = load_or_format_log_dirs(config.log_dirs(), config.node_id());
  if (formatted.error) return make_failure(formatted.error->message);
  d->cluster_id = formatted.cluster_id;

  // --- controller: the log manager's topic configs ---
  // Never-delete for the metadata log; each topic's own config once the
  // controller has published it (d->metadata is set before anything asks).
  auto opened = storage::log_manager::open(
      d->file_system, d->wall_clock, to_log_manager_config(config),
      [d = d.get()](const std::string& topic) { return topic_log_config(d->config, d->metadata.get(), topic); });
  // --- end controller ---
  if (!opened) return make_failure("cannot load the log directories: " + opened.error().message);
  d->logs = std::move(*opened);
  d->fetch_sessions = std::make_unique<fetch_session_cache>(fetch_session_cache_config{
      .max_sessions = config.get_int("max.incremental.fetch.session.cache.slots")});

  runtime::shard_pool_config pool_config;
  pool_config.shards = static_cast<size_t>(config.get_int("samsa.shards"));
  d->pool = std::make_unique<runtime::shard_pool>(pool_config);
  d->pool->start();

  d->metadata = std::make_unique<metadata_cache>(std::make_shared<metadata_image>());
  d->services.node_id = config.node_id();
  d->services.config = &d->config;
  d->services.logger = d->logger;
  d->services.metadata = d->metadata.get();
  d->services.pool = d->pool.get();
  d->services.logs = d->logs.get();
  d->services.fetch_sessions = d->fetch_sessions.get();
  // --- controller: construct it and set d->services.controller here ---
  // Replays the metadata log and reconciles the partition logs with it before
  // anything is served.
  {
    controller_options options;
    options.config = std::make_shared<config::broker_config>(config);
    options.logs = d->logs.get();
    options.metadata = d->metadata.get();
    options.clock = &d->wall_clock;
    options.logger = d->logger;
    auto controller_opened = open_controller(std::move(options));
    if (!controller_opened) {
      d->pool->stop();
      return make_failure("cannot start the controller: " + controller_opened.error());
    }
    d->the_controller = std::move(*controller_opened);
    d->services.controller = d->the_controller.get();
  }
  // --- end controller ---
  // --- data plane ---
  // Producer id blocks are leased from the controller when it exists (it may
  // be set after this point: the lease reads services.controller when called).
  d->data = std::make_unique<data::data_plane>(
      *d->logs, config.node_id(),
      [services = &d->services](data::producer_id_manager::lease_done done) {
        if (services->controller) return services->controller->allocate_producer_ids(std::move(done));
        done(make_failure(protocol::error_code::coordinator_not_available));
      },
      [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
      });
  d->services.data = d->data.get();
  // --- end data plane ---
  // --- groups ---
  // Committed offsets and group metadata are replayed from __consumer_offsets
  // before anything is served.
  d->groups = std::make_unique<groups::group_service>(config, d->services);
  {
    const int64_t replayed = d->groups->load();
    if (replayed > 0)
      d->logger->info("[Samsa nodeId={}] loaded {} group coordinator records from __consumer_offsets", config.node_id(),
                      replayed);
  }
  d->services.groups = &d->groups->coordinator();
  // --- end groups ---
  // --- transactions ---
  // Transaction state is replayed from __transaction_state (after the
  // groups: resumed markers settle transactional offsets).
  d->txn = std::make_unique<txn::txn_service>(config, d->services);
  {
    const int64_t replayed = d->txn->load();
    if (replayed > 0)
      d->logger->info("[Samsa nodeId={}] loaded {} transaction coordinator records from __transaction_state",
                      config.node_id(), replayed);
  }
  d->services.txn = &d->txn->coordinator();
  // --- end transactions ---
  d->requests = std::make_unique<dispatcher>(d->services);

  net::server_options server_options;
  server_options.logger = d->logger;
  d->server = std::make_unique<net::server>(*d->pool, network_config(config), *d->requests, server_options);
  if (auto err = d->server->start()) {
    d->pool->stop();
    return make_failure(err->message);
  }
  d->metadata->publish(d->initial_image());
  std::string where;
  for (const auto& b : d->server->bound_listeners())
    where += (where.empty() ? "" : ", ") + b.name + "://" + (b.host.empty() ? "0.0.0.0" : b.host) + ":" +
             std::to_string(b.port);
  d->logger->info("[Samsa nodeId={}] started: cluster id {}, {} shards, listening on {}", config.node_id(),
                  d->cluster_id, d->pool->size(), where);
  return std::unique_ptr<broker>(new broker(std::move(d)));
}

uint16_t broker::port_of(std::string_view listener_name) const {
  return impl_->server->port_of(std::string(listener_name));
}

const std::string& broker::cluster_id() const { return impl_->cluster_id; }

// --- data plane ---
broker_services& broker::services_for_testing() { return impl_->services; }
// --- end data plane ---

int32_t broker::node_id() const { return impl_->config.node_id(); }

void broker::inject_request(std::span<const uint8_t> frame, std::unique_ptr<response_channel> channel) {
  auto owner = std::shared_ptr<uint8_t[]>(new uint8_t[frame.size()]);
  std::copy(frame.begin(), frame.end(), owner.get());
  std::span<const uint8_t> bytes(owner.get(), frame.size());
  impl_->requests->dispatch(bytes, std::move(owner), impl_->config.listeners().front().listener_name, "injected",
                            std::move(channel));
}

void broker::shutdown(std::chrono::milliseconds timeout) {
  if (impl_->stopped) return;
  impl_->logger->info("[Samsa nodeId={}] shutting down", impl_->config.node_id());
  // --- transactions ---
  if (impl_->txn) impl_->txn->stop();
  // --- end transactions ---
  // --- groups ---
  // JoinGroup and SyncGroup requests may be parked for minutes (a rebalance
  // timeout): the coordinator resigns first and answers them NOT_COORDINATOR,
  // as Kafka's coordinator does when it unloads, so the drain below is quick.
  if (impl_->groups) impl_->groups->stop();
  // --- end groups ---
  bool clean = impl_->server->stop(timeout);
  impl_->stopped = true;
  impl_->pool->stop();
  clean &= impl_->close_logs_cleanly();
  impl_->logger->info("[Samsa nodeId={}] shut down{}", impl_->config.node_id(),
                      clean ? "" : " (requests still in flight were dropped)");
}

}  // namespace samsa::broker
