#include "protocol/records/batch_records.h"

#include <algorithm>

#include "protocol/records/compression/compression.h"

namespace samsa::protocol {

record_result<batch_records> batch_records::open(const batch_view& batch, size_t max_uncompressed_bytes) {
  batch_records r(batch);
  const auto codec = batch.attributes().codec();
  if (!codec) return record_error::unsupported_compression;
  if (*codec == compression_codec::none) return r;
  auto plain = decompress(*codec, batch.records_section(), max_uncompressed_bytes);
  if (!plain) return plain.error();
  r.buffer_ = std::move(plain).value();
  r.owned_ = true;
  return r;
}

record_result<records_summary> scan_records(const batch_view& batch, size_t max_uncompressed_bytes) {
  auto opened = batch_records::open(batch, max_uncompressed_bytes);
  if (!opened) return opened.error();
  records_summary s;
  s.uncompressed_bytes = opened->bytes().size();
  record_reader reader = opened->reader();
  record_view rec;
  while (reader.next(rec)) {
    if (rec.offset_delta != s.count) s.offset_deltas_consecutive = false;
    s.last_offset_delta = rec.offset_delta;
    const int64_t ts = batch.record_timestamp_ms(rec.timestamp_delta);
    s.max_timestamp_ms = std::max(s.max_timestamp_ms, ts);
    if (ts != kNoTimestamp) {
      s.min_timestamp_ms = s.min_timestamp_ms == kNoTimestamp ? ts : std::min(s.min_timestamp_ms, ts);
    }
    if (!rec.key) s.all_records_have_keys = false;
    ++s.count;
  }
  if (reader.error()) return *reader.error();
  return s;
}

}  // namespace samsa::protocol
