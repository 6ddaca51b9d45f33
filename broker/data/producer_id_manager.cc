#include "broker/data/producer_id_manager.h"

#include <utility>
#include <vector>

namespace samsa::broker::data {
namespace {

constexpr int64_t kRetryBackoffMs = 50;       // Kafka's ProducerIdManager.RetryBackoffMs
constexpr double kPrefetchThreshold = 0.90;   // Kafka's PidPrefetchThreshold

}  // namespace

producer_id_manager::producer_id_manager(lease_fn lease, clock_fn now_ms, size_t max_waiters)
    : lease_(std::move(lease)), now_ms_(std::move(now_ms)), max_waiters_(max_waiters) {}

bool producer_id_manager::should_request_locked() {
  if (lease_in_flight_ || next_block_) return false;
  if (now_ms_() < retry_after_ms_) return false;
  lease_in_flight_ = true;
  return true;
}

std::optional<int64_t> producer_id_manager::take_locked(bool& request_lease) {
  if (current_.empty() && next_block_) {
    const producer_id_block b = *next_block_;
    next_block_.reset();
    current_.next = b.first_id;
    current_.end = b.first_id + b.size;
    current_.prefetch_at = b.first_id + static_cast<int64_t>(b.size * kPrefetchThreshold);
  }
  if (current_.empty()) {
    request_lease |= should_request_locked();
    return std::nullopt;
  }
  const int64_t id = current_.next++;
  if (id == current_.prefetch_at) request_lease |= should_request_locked();
  return id;
}

void producer_id_manager::generate(id_done done) {
  bool request_lease = false;
  std::optional<int64_t> id;
  bool refused = false;
  {
    std::lock_guard<std::mutex> g(mu_);
    // Waiters are served first, in arrival order.
    if (waiters_.empty()) id = take_locked(request_lease);
    if (!id) {
      if (waiters_.size() >= max_waiters_) {
        refused = true;
      } else {
        waiters_.push_back(std::move(done));
        if (!lease_in_flight_ && !next_block_) request_lease |= should_request_locked();
      }
    }
  }
  if (id) done(*id);
  if (refused) done(make_failure(protocol::error_code::coordinator_load_in_progress));
  if (request_lease) lease_([this](result<producer_id_block, protocol::error_code> r) { on_lease(std::move(r)); });
}

void producer_id_manager::on_lease(result<producer_id_block, protocol::error_code> r) {
  std::vector<std::pair<id_done, std::optional<int64_t>>> answers;
  bool request_lease = false;
  {
    std::lock_guard<std::mutex> g(mu_);
    lease_in_flight_ = false;
    const bool valid = r.has_value() && r->first_id >= 0 && r->size > 0 && r->first_id >= current_.end;
    if (valid) {
      next_block_ = *r;
      while (!waiters_.empty()) {
        std::optional<int64_t> id = take_locked(request_lease);
        if (!id) break;
        answers.emplace_back(std::move(waiters_.front()), id);
        waiters_.pop_front();
      }
    } else {
      retry_after_ms_ = now_ms_() + kRetryBackoffMs;
      while (!waiters_.empty()) {
        answers.emplace_back(std::move(waiters_.front()), std::nullopt);
        waiters_.pop_front();
      }
    }
  }
  for (auto& [done, id] : answers) {
    if (id) done(*id);
    else done(make_failure(protocol::error_code::coordinator_load_in_progress));
  }
  if (request_lease) lease_([this](result<producer_id_block, protocol::error_code> r2) { on_lease(std::move(r2)); });
}

}  // namespace samsa::broker::data
