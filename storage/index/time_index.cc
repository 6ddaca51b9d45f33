#include "storage/index/time_index.h"

#include <algorithm>

#include "common/endian.h"

namespace samsa::storage {

bool time_index::maybe_append(int64_t timestamp_ms, samsa::offset o, bool skip_full_check) {
  if (!skip_full_check && is_full()) return false;
  const int64_t rel = o.value() - base_.value();
  if (rel < 0 || rel > INT32_MAX) return false;
  if (!entries_.empty()) {
    if (rel < entries_.back().relative_offset) return false;
    if (timestamp_ms <= entries_.back().timestamp_ms) return false;
  } else if (timestamp_ms <= -1) {
    // Kafka compares with the empty index's (NoTimestamp, base) entry.
    return false;
  }
  entries_.push_back({timestamp_ms, static_cast<int32_t>(rel)});
  return true;
}

timestamp_offset time_index::lookup(int64_t target_ms) const {
  if (entries_.empty() || target_ms < entries_.front().timestamp_ms) return {-1, base_};
  auto it = std::upper_bound(entries_.begin(), entries_.end(), target_ms,
                             [](int64_t t, const raw_entry& e) { return t < e.timestamp_ms; });
  return to_entry(*(it - 1));
}

timestamp_offset time_index::last_entry() const {
  if (entries_.empty()) return {-1, base_};
  return to_entry(entries_.back());
}

timestamp_offset time_index::entry(size_t n) const { return to_entry(entries_.at(n)); }

void time_index::truncate_to(samsa::offset o) {
  const int64_t rel = o.value() - base_.value();
  auto it = std::lower_bound(entries_.begin(), entries_.end(), rel,
                             [](const raw_entry& e, int64_t r) { return e.relative_offset < r; });
  entries_.erase(it, entries_.end());
}

std::vector<uint8_t> time_index::serialize() const {
  std::vector<uint8_t> out(entries_.size() * kEntrySize);
  for (size_t i = 0; i < entries_.size(); ++i) {
    store_be<int64_t>(out.data() + i * kEntrySize, entries_[i].timestamp_ms);
    store_be<int32_t>(out.data() + i * kEntrySize + 8, entries_[i].relative_offset);
  }
  return out;
}

result<time_index> time_index::parse(samsa::offset base, int32_t max_entries, std::span<const uint8_t> bytes) {
  if (bytes.size() % kEntrySize != 0) {
    return error(errc::corrupt_file, "time index size " + std::to_string(bytes.size()) + " is not a multiple of 12");
  }
  time_index idx(base, max_entries);
  const size_t n = bytes.size() / kEntrySize;
  idx.entries_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t ts = load_be<int64_t>(bytes.data() + i * kEntrySize);
    const int32_t rel = load_be<int32_t>(bytes.data() + i * kEntrySize + 8);
    if (rel < 0) return error(errc::corrupt_file, "time index entry below the base offset");
    if (!idx.entries_.empty() &&
        (ts <= idx.entries_.back().timestamp_ms || rel < idx.entries_.back().relative_offset)) {
      return error(errc::corrupt_file, "time index entries do not increase");
    }
    idx.entries_.push_back({ts, rel});
  }
  return idx;
}

}  // namespace samsa::storage
