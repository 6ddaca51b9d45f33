#include "broker/groups/group_ticker.h"

#include "broker/groups/group_coordinator.h"

namespace samsa::broker::groups {

int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

group_ticker::group_ticker(group_coordinator& coordinator, std::chrono::milliseconds interval)
    : coordinator_(coordinator), interval_(interval), thread_([this] { run(); }) {}

group_ticker::~group_ticker() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void group_ticker::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    coordinator_.tick(steady_now_ms());
    lock.lock();
  }
}

}  // namespace samsa::broker::groups
