#include "broker/net/per_ip_limit.h"

#include "common/assert.h"

namespace samsa::broker::net {

per_ip_limit::per_ip_limit(int32_t default_max, std::map<std::string, int32_t> overrides)
    : default_max_(default_max), overrides_(std::move(overrides)) {}

int32_t per_ip_limit::max_for(const std::string& ip) const {
  auto it = overrides_.find(ip);
  return it == overrides_.end() ? default_max_ : it->second;
}

std::optional<int32_t> per_ip_limit::try_add(const std::string& ip) {
  const int32_t max = max_for(ip);
  std::lock_guard lock(mutex_);
  auto it = counts_.find(ip);
  const int32_t have = it == counts_.end() ? 0 : it->second;
  if (have >= max) return max;
  if (it == counts_.end()) counts_.emplace(ip, 1);
  else ++it->second;
  return std::nullopt;
}

void per_ip_limit::remove(const std::string& ip) {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(ip);
  SAMSA_ASSERT(it != counts_.end(), "removing a connection that was never counted");
  if (--it->second == 0) counts_.erase(it);
}

int32_t per_ip_limit::count(const std::string& ip) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(ip);
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace samsa::broker::net
