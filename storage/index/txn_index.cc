#include "storage/index/txn_index.h"

#include "common/endian.h"

namespace samsa::storage {

bool txn_index::append(const aborted_txn& t) {
  if (!entries_.empty() && t.last_offset <= entries_.back().last_offset) return false;
  entries_.push_back(t);
  return true;
}

void txn_index::truncate_to(samsa::offset o) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].last_offset >= o) {
      entries_.resize(i);
      return;
    }
  }
}

txn_search_result txn_index::collect(samsa::offset fetch_offset, samsa::offset upper_bound_offset) const {
  txn_search_result r;
  for (const aborted_txn& t : entries_) {
    if (t.last_offset >= fetch_offset && t.first_offset < upper_bound_offset) r.aborted.push_back(t);
    if (t.last_stable_offset >= upper_bound_offset) {
      r.complete = true;
      return r;
    }
  }
  return r;
}

std::vector<uint8_t> txn_index::serialize() const {
  std::vector<uint8_t> out(entries_.size() * kEntrySize);
  for (size_t i = 0; i < entries_.size(); ++i) {
    uint8_t* p = out.data() + i * kEntrySize;
    store_be<int16_t>(p, kVersion);
    store_be<int64_t>(p + 2, entries_[i].producer_id.value());
    store_be<int64_t>(p + 10, entries_[i].first_offset.value());
    store_be<int64_t>(p + 18, entries_[i].last_offset.value());
    store_be<int64_t>(p + 26, entries_[i].last_stable_offset.value());
  }
  return out;
}

result<txn_index> txn_index::parse(samsa::offset base, std::span<const uint8_t> bytes) {
  if (bytes.size() % kEntrySize != 0) {
    return error(errc::corrupt_file, "transaction index size " + std::to_string(bytes.size()) +
                                         " is not a multiple of 34");
  }
  txn_index idx(base);
  for (size_t i = 0; i < bytes.size() / kEntrySize; ++i) {
    const uint8_t* p = bytes.data() + i * kEntrySize;
    if (load_be<int16_t>(p) != kVersion) return error(errc::corrupt_file, "unknown transaction index version");
    aborted_txn t{samsa::producer_id{load_be<int64_t>(p + 2)}, samsa::offset{load_be<int64_t>(p + 10)},
                  samsa::offset{load_be<int64_t>(p + 18)}, samsa::offset{load_be<int64_t>(p + 26)}};
    if (t.last_offset < base) return error(errc::corrupt_file, "aborted transaction ends below the base offset");
    if (!idx.append(t)) return error(errc::corrupt_file, "transaction index entries do not increase");
  }
  return idx;
}

}  // namespace samsa::storage
