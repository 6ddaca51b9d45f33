#include "broker/data/hosted_partition.h"

namespace samsa::broker::data {

void hosted_partition::become_leader(leader_epoch epoch) {
  int32_t current = epoch_.load(std::memory_order_acquire);
  while (current < epoch.value()) {
    if (epoch_.compare_exchange_weak(current, epoch.value(), std::memory_order_acq_rel)) {
      log_->maybe_assign_epoch_start_offset(epoch, log_->log_end_offset());
      (void)log_->maybe_increment_high_watermark(log_->log_end_offset());
      watchers_.notify();
      return;
    }
  }
}

void hosted_partition::appended(offset next) {
  // Raise-only: appends from two shards may finish in either order.
  (void)log_->maybe_increment_high_watermark(next);
  watchers_.notify();
}

}  // namespace samsa::broker::data
