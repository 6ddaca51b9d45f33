#pragma once

// Work a coordinator operation leaves for after its mutex is released:
// answers to callbacks (which may re-enter the coordinator or block briefly
// on a connection) never run under the lock.

#include <functional>
#include <vector>

#include "broker/groups/group_coordinator.h"

namespace samsa::broker::groups {

struct group_coordinator::outbox {
  std::vector<std::function<void()>> calls;

  template <typename F, typename R>
  void answer(F callback, R response) {
    if (!callback) return;
    calls.push_back([cb = std::move(callback), r = std::move(response)]() mutable { cb(std::move(r)); });
  }
  void run() {
    for (auto& c : calls) c();
    calls.clear();
  }
};

}  // namespace samsa::broker::groups
