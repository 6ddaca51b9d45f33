#include "storage/durability/flush_worker.h"

#include <vector>

namespace samsa::storage {

void flush_worker::start() {
  std::lock_guard<std::mutex> g(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void flush_worker::stop() {
  {
    std::lock_guard<std::mutex> g(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void flush_worker::schedule(const std::shared_ptr<flushable>& log) {
  {
    std::lock_guard<std::mutex> g(mu_);
    queue_.push_back(log);
  }
  cv_.notify_one();
}

size_t flush_worker::queued() const {
  std::lock_guard<std::mutex> g(mu_);
  return queue_.size();
}

size_t flush_worker::run_pending() {
  size_t ran = 0;
  for (;;) {
    std::deque<std::weak_ptr<flushable>> batch;
    {
      std::lock_guard<std::mutex> g(mu_);
      if (queue_.empty()) return ran;
      batch.swap(queue_);
    }
    for (auto& weak : batch) {
      if (auto log = weak.lock()) {
        log->run_flush();
        ++ran;
      }
    }
  }
}

void flush_worker::loop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
    }
    // Everything queued by now shares this round; requests arriving while it
    // runs queue their logs again and go into the next round.
    run_pending();
  }
}

}  // namespace samsa::storage
