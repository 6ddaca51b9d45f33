#include "storage/index/offset_index.h"

#include <algorithm>

#include "common/endian.h"

namespace samsa::storage {

bool offset_index::append(samsa::offset o, uint32_t position) {
  if (is_full() || !can_append_offset(o)) return false;
  const int32_t rel = static_cast<int32_t>(o.value() - base_.value());
  if (!entries_.empty() && (rel <= entries_.back().relative_offset || position <= entries_.back().position)) {
    return false;
  }
  entries_.push_back({rel, position});
  return true;
}

offset_position offset_index::lookup(samsa::offset target) const {
  const int64_t rel = target.value() - base_.value();
  if (entries_.empty() || rel < entries_.front().relative_offset) return {base_, 0};
  // First entry with relative offset > rel; the one before it is the answer.
  auto it = std::upper_bound(entries_.begin(), entries_.end(), rel,
                             [](int64_t r, const raw_entry& e) { return r < e.relative_offset; });
  return to_entry(*(it - 1));
}

std::optional<offset_position> offset_index::first_entry_above(samsa::offset o) const {
  const int64_t rel = o.value() - base_.value();
  auto it = std::upper_bound(entries_.begin(), entries_.end(), rel,
                             [](int64_t r, const raw_entry& e) { return r < e.relative_offset; });
  if (it == entries_.end()) return std::nullopt;
  return to_entry(*it);
}

std::optional<offset_position> offset_index::first_entry_at_or_after_position(uint32_t position) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), position,
                             [](const raw_entry& e, uint32_t p) { return e.position < p; });
  if (it == entries_.end()) return std::nullopt;
  return to_entry(*it);
}

std::optional<offset_position> offset_index::last_entry_at_or_before_position(uint32_t position) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), position,
                             [](uint32_t p, const raw_entry& e) { return p < e.position; });
  if (it == entries_.begin()) return std::nullopt;
  return to_entry(*(it - 1));
}

offset_position offset_index::last_entry() const {
  if (entries_.empty()) return {base_, 0};
  return to_entry(entries_.back());
}

offset_position offset_index::entry(size_t n) const { return to_entry(entries_.at(n)); }

void offset_index::truncate_to(samsa::offset o) {
  const int64_t rel = o.value() - base_.value();
  auto it = std::lower_bound(entries_.begin(), entries_.end(), rel,
                             [](const raw_entry& e, int64_t r) { return e.relative_offset < r; });
  entries_.erase(it, entries_.end());
}

std::vector<uint8_t> offset_index::serialize() const {
  std::vector<uint8_t> out(entries_.size() * kEntrySize);
  for (size_t i = 0; i < entries_.size(); ++i) {
    store_be<int32_t>(out.data() + i * kEntrySize, entries_[i].relative_offset);
    store_be<uint32_t>(out.data() + i * kEntrySize + 4, entries_[i].position);
  }
  return out;
}

result<offset_index> offset_index::parse(samsa::offset base, int32_t max_entries, std::span<const uint8_t> bytes) {
  if (bytes.size() % kEntrySize != 0) {
    return error(errc::corrupt_file, "offset index size " + std::to_string(bytes.size()) + " is not a multiple of 8");
  }
  offset_index idx(base, max_entries);
  const size_t n = bytes.size() / kEntrySize;
  idx.entries_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const int32_t rel = load_be<int32_t>(bytes.data() + i * kEntrySize);
    const uint32_t pos = load_be<uint32_t>(bytes.data() + i * kEntrySize + 4);
    if (rel < 0) return error(errc::corrupt_file, "offset index entry below the base offset");
    if (!idx.entries_.empty() &&
        (rel <= idx.entries_.back().relative_offset || pos <= idx.entries_.back().position)) {
      return error(errc::corrupt_file, "offset index entries do not increase");
    }
    idx.entries_.push_back({rel, pos});
  }
  return idx;
}

}  // namespace samsa::storage
