#pragma once

// Where removed segments go to die. A log renames removed segment files to
// .deleted at once (so recovery ignores them) and hands the segments to a
// deleter, which unlinks them after file.delete.delay.ms (Kafka's async delete:
// in-flight readers and file slices keep working meanwhile; they hold the
// descriptors anyway). log_manager's deleter runs on its scheduler thread;
// immediate_segment_deleter unlinks on the spot (tests, standalone logs).
//
// Thread-safety: schedule() may be called from any thread.

#include <cstdint>
#include <memory>
#include <vector>

#include "storage/segment/segment.h"

namespace samsa::storage {

class segment_deleter {
 public:
  virtual ~segment_deleter() = default;
  virtual void schedule(std::vector<std::shared_ptr<segment>> segments, int64_t delay_ms) = 0;
};

class immediate_segment_deleter final : public segment_deleter {
 public:
  void schedule(std::vector<std::shared_ptr<segment>> segments, int64_t /*delay_ms*/) override {
    for (auto& s : segments) (void)s->delete_files();
  }
};

}  // namespace samsa::storage
