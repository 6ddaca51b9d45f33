#pragma once

// Bounds the descriptors held open for sealed segments. With 1,000 partitions
// of a few segments each, keeping every segment file open (as Kafka does) costs
// thousands of descriptors; here active segments keep theirs and sealed segments
// open lazily through this LRU cache. Eviction only drops the cache's
// reference: a reader (or a Fetch response's file slice) holding the file keeps
// the descriptor alive until it lets go, so eviction is always safe.
//
// Thread-safety: all methods may be called from any thread (one mutex; opens
// happen outside it).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "storage/io/file_system.h"

namespace samsa::storage::io {

class open_file_cache {
 public:
  using opener = std::function<result<std::shared_ptr<file>>()>;

  explicit open_file_cache(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // The cached file for `key`, or the result of `open` (then cached).
  result<std::shared_ptr<file>> get(uint64_t key, const opener& open);
  // Forgets `key` (a segment renamed or deleted must not be reopened by key).
  void erase(uint64_t key);
  size_t size() const;
  size_t capacity() const { return capacity_; }

  // A process-wide unique key for a new segment.
  static uint64_t next_key();

 private:
  struct entry {
    std::shared_ptr<file> f;
    std::list<uint64_t>::iterator lru;
  };
  mutable std::mutex mu_;
  size_t capacity_;
  std::list<uint64_t> lru_;  // front = most recently used
  std::unordered_map<uint64_t, entry> map_;
};

}  // namespace samsa::storage::io
