#pragma once

// Key -> latest offset for the dirty section of a compacted log (Kafka's
// SkimpyOffsetMap). Kafka stores a 16-byte MD5 of each key; we store the keys
// themselves, so two keys can never be confused (a hash collision there would
// delete a live record). Memory is charged per entry as key bytes plus a fixed
// overhead against the log.cleaner.dedupe.buffer.size budget.
//
// Thread-safety: none; one cleaning at a time owns it.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace samsa::storage {

class offset_map {
 public:
  static constexpr size_t kEntryOverhead = 48;

  explicit offset_map(size_t budget_bytes) : budget_(budget_bytes) {}

  // False (and nothing stored) when the budget is spent.
  bool put(std::span<const uint8_t> key, int64_t offset) {
    std::string k(reinterpret_cast<const char*>(key.data()), key.size());
    auto it = map_.find(k);
    if (it != map_.end()) {
      it->second = offset;
      return true;
    }
    const size_t cost = k.size() + kEntryOverhead;
    if (used_ + cost > budget_) return false;
    used_ += cost;
    map_.emplace(std::move(k), offset);
    return true;
  }
  // The latest offset of `key`, or -1.
  int64_t get(std::span<const uint8_t> key) const {
    auto it = map_.find(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
    return it == map_.end() ? -1 : it->second;
  }
  bool full_for(size_t key_size) const { return used_ + key_size + kEntryOverhead > budget_; }
  void update_latest_offset(int64_t o) { latest_offset_ = o; }
  int64_t latest_offset() const { return latest_offset_; }
  size_t size() const { return map_.size(); }
  void clear() {
    map_.clear();
    used_ = 0;
    latest_offset_ = -1;
  }

 private:
  struct string_hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  size_t budget_;
  size_t used_ = 0;
  int64_t latest_offset_ = -1;
  std::unordered_map<std::string, int64_t, string_hash, std::equal_to<>> map_;
};

}  // namespace samsa::storage
