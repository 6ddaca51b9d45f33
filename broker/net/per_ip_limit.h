#pragma once

// Kafka's max.connections.per.ip (with max.connections.per.ip.overrides):
// how many connections one client address may hold open at once. Unlike the
// broker-wide max.connections, which makes the acceptor wait, a connection
// over this limit is accepted and closed at once.
//
// Addresses are compared as text (the peer's numeric IP); overrides are given
// as numeric IPs (Kafka also resolves host names; this does not).
//
// Thread-safety: every method may be called from any thread (one mutex;
// touched once per connection open and close).

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace samsa::broker::net {

class per_ip_limit {
 public:
  per_ip_limit(int32_t default_max, std::map<std::string, int32_t> overrides);

  // Counts a connection from ip, or returns the maximum it would exceed
  // (counting nothing).
  std::optional<int32_t> try_add(const std::string& ip);
  void remove(const std::string& ip);
  int32_t count(const std::string& ip) const;

 private:
  int32_t max_for(const std::string& ip) const;

  const int32_t default_max_;
  const std::map<std::string, int32_t> overrides_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, int32_t> counts_;  // Invariant: no zero counts
};

}  // namespace samsa::broker::net
