#include "storage/durability/flush_worker.h"

#include <vector>

namespace samsa::storage {

void flush_worker::start() {
  std::lock_guard<std::mutex> g(mu_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (size_t i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { loop(); });
}

void flush_worker::stop() {
  {
    std::lock_guard<std::mutex> g(mu_);
    if (threads_.empty()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
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

std::shared_ptr<flushable> flush_worker::take_runnable_locked() {
  for (auto it = queue_.begin(); it != queue_.end();) {
    std::shared_ptr<flushable> log = it->lock();
    if (!log) {
      it = queue_.erase(it);
      continue;
    }
    if (running_.contains(log.get())) {
      ++it;
      continue;
    }
    queue_.erase(it);
    return log;
  }
  return nullptr;
}

void flush_worker::loop() {
  for (;;) {
    std::shared_ptr<flushable> log;
    {
      std::unique_lock<std::mutex> lk(mu_);
      // Stops once nothing is queued: a log waiting for another thread's pass
      // is still queued, and that thread wakes everyone when its pass ends.
      cv_.wait(lk, [&] { return (log = take_runnable_locked()) != nullptr || (stopping_ && queue_.empty()); });
      if (!log) return;
      running_.insert(log.get());
    }
    // Requests arriving while the pass runs queue the log again; another thread
    // takes it once this pass has ended.
    log->run_flush();
    {
      std::lock_guard<std::mutex> g(mu_);
      running_.erase(log.get());
    }
    cv_.notify_all();
  }
}

}  // namespace samsa::storage
