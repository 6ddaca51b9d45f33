#include "storage/producer/producer_snapshot.h"

#include "common/crc32c.h"
#include "common/endian.h"

namespace samsa::storage {

namespace {
constexpr size_t kVersionOffset = 0;
constexpr size_t kCrcOffset = 2;
constexpr size_t kEntriesOffset = 6;  // the CRC covers [6, end): count and entries
constexpr size_t kHeaderSize = 10;    // version, crc, count
}  // namespace

std::vector<uint8_t> encode_producer_snapshot(const std::vector<producer_state_entry>& entries) {
  std::vector<uint8_t> out(kHeaderSize + entries.size() * kProducerSnapshotEntrySize);
  store_be<int16_t>(out.data() + kVersionOffset, kProducerSnapshotVersion);
  store_be<int32_t>(out.data() + kEntriesOffset, static_cast<int32_t>(entries.size()));
  uint8_t* p = out.data() + kHeaderSize;
  for (const producer_state_entry& e : entries) {
    store_be<int64_t>(p, e.producer_id().value());
    store_be<int16_t>(p + 8, e.producer_epoch().value());
    store_be<int32_t>(p + 10, e.last_seq());
    store_be<int64_t>(p + 14, e.last_data_offset().value());
    store_be<int32_t>(p + 22, e.last_offset_delta());
    store_be<int64_t>(p + 26, e.last_timestamp_ms());
    store_be<int32_t>(p + 34, e.coordinator_epoch());
    store_be<int64_t>(p + 38, e.current_txn_first_offset() ? e.current_txn_first_offset()->value() : -1);
    p += kProducerSnapshotEntrySize;
  }
  store_be<uint32_t>(out.data() + kCrcOffset, crc32c(out.data() + kEntriesOffset, out.size() - kEntriesOffset));
  return out;
}

result<std::vector<producer_state_entry>> decode_producer_snapshot(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) return error(errc::corrupt_file, "producer snapshot too short");
  if (load_be<int16_t>(bytes.data() + kVersionOffset) != kProducerSnapshotVersion) {
    return error(errc::corrupt_file, "producer snapshot has an unknown version");
  }
  const uint32_t stored = load_be<uint32_t>(bytes.data() + kCrcOffset);
  if (stored != crc32c(bytes.data() + kEntriesOffset, bytes.size() - kEntriesOffset)) {
    return error(errc::corrupt_file, "producer snapshot CRC mismatch");
  }
  const int32_t count = load_be<int32_t>(bytes.data() + kEntriesOffset);
  if (count < 0 || bytes.size() != kHeaderSize + size_t(count) * kProducerSnapshotEntrySize) {
    return error(errc::corrupt_file, "producer snapshot size does not match its count");
  }
  std::vector<producer_state_entry> out;
  out.reserve(static_cast<size_t>(count));
  const uint8_t* p = bytes.data() + kHeaderSize;
  for (int32_t i = 0; i < count; ++i, p += kProducerSnapshotEntrySize) {
    const samsa::producer_id id{load_be<int64_t>(p)};
    const samsa::producer_epoch epoch{load_be<int16_t>(p + 8)};
    const int32_t last_seq = load_be<int32_t>(p + 10);
    const int64_t last_offset = load_be<int64_t>(p + 14);
    const int32_t offset_delta = load_be<int32_t>(p + 22);
    const int64_t ts = load_be<int64_t>(p + 26);
    const int32_t coordinator_epoch = load_be<int32_t>(p + 34);
    const int64_t txn_first = load_be<int64_t>(p + 38);
    std::optional<batch_metadata> last;
    if (last_offset >= 0) last = batch_metadata{last_seq, samsa::offset{last_offset}, offset_delta, ts};
    std::optional<samsa::offset> txn;
    if (txn_first >= 0) txn = samsa::offset{txn_first};
    out.push_back(producer_state_entry::from_snapshot(id, epoch, coordinator_epoch, ts, txn, last));
  }
  return out;
}

}  // namespace samsa::storage
