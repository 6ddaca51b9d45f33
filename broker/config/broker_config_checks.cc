// Cross-config rules of broker_config, after Kafka's KafkaConfig.validateValues
// and the constructors of GroupCoordinatorConfig and QuorumConfig. Messages
// keep Kafka's wording (without Scala's "requirement failed: " prefix).

#include <algorithm>
#include <set>

#include "broker/config/broker_config_builder.h"
#include "broker/config/host_port.h"
#include "broker/config/java_numbers.h"

namespace samsa::broker::config {

namespace {

std::optional<config_error> require(bool ok, std::string_view key, std::string message) {
  if (ok) return std::nullopt;
  return config_problem(key, std::move(message));
}

std::optional<config_error> check_log(const broker_config& c) {
  if (auto e = require(c.log_roll_ms() >= 1, "log.roll.ms", "log.roll.ms must be greater than or equal to 1")) return e;
  if (auto e = require(c.log_roll_jitter_ms() >= 0, "log.roll.jitter.ms",
                       "log.roll.jitter.ms must be greater than or equal to 0")) {
    return e;
  }
  int64_t retention = c.log_retention_ms();
  if (auto e = require(retention >= 1 || retention == -1, "log.retention.ms",
                       "log.retention.ms must be unlimited (-1) or, greater than or equal to 1")) {
    return e;
  }
  int32_t cleaner_threads = c.get_int("log.cleaner.threads");
  if (cleaner_threads > 0) {
    if (auto e = require(c.get_long("log.cleaner.dedupe.buffer.size") / cleaner_threads > 1024 * 1024,
                         "log.cleaner.dedupe.buffer.size",
                         "log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread.")) {
      return e;
    }
  }
  return require(!c.get_bool("remote.log.storage.system.enable"), "remote.log.storage.system.enable",
                 "Invalid value true for configuration remote.log.storage.system.enable: Samsa has no tiered storage");
}

std::optional<config_error> check_replication(const broker_config& c) {
  int32_t fetch_wait = c.get_int("replica.fetch.wait.max.ms");
  if (auto e = require(fetch_wait <= c.get_int("replica.socket.timeout.ms"), "replica.socket.timeout.ms",
                       "replica.socket.timeout.ms should always be at least replica.fetch.wait.max.ms to prevent "
                       "unnecessary socket timeouts")) {
    return e;
  }
  return require(fetch_wait <= c.get_long("replica.lag.time.max.ms"), "replica.fetch.wait.max.ms",
                 "replica.fetch.wait.max.ms should always be less than or equal to replica.lag.time.max.ms to "
                 "prevent frequent changes in ISR");
}

std::optional<config_error> check_sockets(const broker_config& c) {
  int64_t queued_bytes = c.queued_max_request_bytes();
  if (auto e = require(queued_bytes <= 0 || queued_bytes >= c.socket_request_max_bytes(), "queued.max.request.bytes",
                       "queued.max.request.bytes must be larger or equal to socket.request.max.bytes")) {
    return e;
  }
  // max.connections.per.ip.overrides: "host:count,..." (Csv.parseCsvMap, split at the last ':').
  std::string_view overrides = c.get_string("max.connections.per.ip.overrides");
  std::vector<std::string> invalid;
  size_t count = 0;
  size_t start = 0;
  while (!overrides.empty() && start <= overrides.size()) {
    size_t comma = overrides.find(',', start);
    std::string_view pair =
        java_trim(overrides.substr(start, comma == std::string_view::npos ? overrides.npos : comma - start));
    size_t colon = pair.rfind(':');
    if (colon == std::string_view::npos ||
        !java_parse_integer(java_trim(pair.substr(colon + 1)), INT32_MIN, INT32_MAX)) {
      return config_problem("max.connections.per.ip.overrides",
                            fmt::format("Error parsing configuration property 'max.connections.per.ip.overrides': "
                                        "entry '{}' is not host:count",
                                        pair));
    }
    std::string_view host = java_trim(pair.substr(0, colon));
    if (!valid_host_pattern(host)) invalid.emplace_back(host);
    ++count;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (!invalid.empty()) {
    std::string list;
    for (const auto& h : invalid) list += (list.empty() ? "" : ",") + h;
    return config_problem("max.connections.per.ip.overrides",
                          "max.connections.per.ip.overrides contains invalid addresses : " + list);
  }
  if (auto e = require(c.max_connections_per_ip() != 0 || count > 0, "max.connections.per.ip",
                       "max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property "
                       "is set.")) {
    return e;
  }
  int64_t idle = c.connections_max_idle_ms();
  int32_t delay = c.get_int("connection.failed.authentication.delay.ms");
  return require(idle < 0 || delay < idle, "connection.failed.authentication.delay.ms",
                 fmt::format("connection.failed.authentication.delay.ms={} should always be less than "
                             "connections.max.idle.ms={} to prevent failed authentication responses from timing out",
                             delay, idle));
}

std::optional<config_error> check_interval_bounds(const broker_config& c, std::string_view prefix) {
  // GroupCoordinatorConfig: min <= value <= max for heartbeat and session, heartbeat < session.
  auto get = [&](std::string_view suffix) { return c.get_int(std::string(prefix) + std::string(suffix)); };
  auto name = [&](std::string_view suffix) { return std::string(prefix) + std::string(suffix); };
  struct rule {
    bool ok;
    std::string message;
  };
  const rule rules[] = {
      {get("max.heartbeat.interval.ms") >= get("min.heartbeat.interval.ms"),
       name("max.heartbeat.interval.ms") + " must be greater than or equal to " + name("min.heartbeat.interval.ms")},
      {get("heartbeat.interval.ms") >= get("min.heartbeat.interval.ms"),
       name("heartbeat.interval.ms") + " must be greater than or equal to " + name("min.heartbeat.interval.ms")},
      {get("heartbeat.interval.ms") <= get("max.heartbeat.interval.ms"),
       name("heartbeat.interval.ms") + " must be less than or equal to " + name("max.heartbeat.interval.ms")},
      {get("max.session.timeout.ms") >= get("min.session.timeout.ms"),
       name("max.session.timeout.ms") + " must be greater than or equal to " + name("min.session.timeout.ms")},
      {get("session.timeout.ms") >= get("min.session.timeout.ms"),
       name("session.timeout.ms") + " must be greater than or equal to " + name("min.session.timeout.ms")},
      {get("session.timeout.ms") <= get("max.session.timeout.ms"),
       name("session.timeout.ms") + " must be less than or equal to " + name("max.session.timeout.ms")},
      {get("heartbeat.interval.ms") < get("session.timeout.ms"),
       name("heartbeat.interval.ms") + " must be less than " + name("session.timeout.ms")},
  };
  for (const auto& r : rules) {
    if (!r.ok) return config_problem(prefix, r.message);
  }
  return std::nullopt;
}

std::optional<config_error> check_groups(const broker_config& c) {
  const auto& protocols = c.get_list("group.coordinator.rebalance.protocols");
  if (std::find(protocols.begin(), protocols.end(), "classic") == protocols.end()) {
    return config_problem("group.coordinator.rebalance.protocols",
                          "Disabling the 'classic' protocol is not supported.");
  }
  return check_interval_bounds(c, "group.consumer.");
}

std::optional<config_error> check_quorum(const broker_config& c) {
  // A Samsa node always holds the controller role, so a static voter set must include it.
  const auto& voters = c.get_list("controller.quorum.voters");
  if (voters.empty()) return std::nullopt;
  std::set<int64_t> ids;
  for (const auto& v : voters) ids.insert(*java_parse_integer(v.substr(0, v.find('@')), INT32_MIN, INT32_MAX));
  if (ids.count(c.node_id()) > 0) return std::nullopt;
  std::string shown;
  for (int64_t id : ids) shown += (shown.empty() ? "" : ", ") + std::to_string(id);
  return config_problem("controller.quorum.voters",
                        fmt::format("If process.roles contains the 'controller' role, the node id {} must be included "
                                    "in the set of voters controller.quorum.voters=[{}]",
                                    c.node_id(), shown));
}

}  // namespace

std::optional<config_error> broker_config_builder::check_values(const broker_config& c) {
  for (auto check : {check_log, check_replication, check_sockets, check_groups, check_quorum}) {
    if (auto e = check(c)) return e;
  }
  return std::nullopt;
}

}  // namespace samsa::broker::config
