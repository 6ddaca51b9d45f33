#include "broker/runtime/clock.h"

#include "common/assert.h"

namespace samsa::broker::runtime {
namespace {

class os_clock final : public clock {
 public:
  monotonic_time monotonic_now() const override { return std::chrono::steady_clock::now(); }
  wall_time wall_now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace

const clock& real_clock() {
  static const os_clock instance;  // immutable: no state to share
  return instance;
}

manual_clock::manual_clock()
    : manual_clock(monotonic_time{std::chrono::seconds{1'000'000}},
                   wall_time{std::chrono::seconds{1'700'000'000}}) {}

manual_clock::manual_clock(monotonic_time monotonic_start, wall_time wall_start)
    : monotonic_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(monotonic_start.time_since_epoch()).count()),
      wall_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(wall_start.time_since_epoch()).count()) {}

clock::monotonic_time manual_clock::monotonic_now() const {
  return monotonic_time{std::chrono::duration_cast<monotonic_time::duration>(
      std::chrono::nanoseconds{monotonic_ns_.load(std::memory_order_acquire)})};
}

clock::wall_time manual_clock::wall_now() const {
  return wall_time{std::chrono::duration_cast<wall_time::duration>(
      std::chrono::nanoseconds{wall_ns_.load(std::memory_order_acquire)})};
}

void manual_clock::advance(std::chrono::nanoseconds d) {
  SAMSA_ASSERT(d.count() >= 0, "manual_clock cannot go back");
  monotonic_ns_.fetch_add(d.count(), std::memory_order_acq_rel);
  wall_ns_.fetch_add(d.count(), std::memory_order_acq_rel);
}

}  // namespace samsa::broker::runtime
