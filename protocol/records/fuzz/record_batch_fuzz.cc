// libFuzzer target for the record codec: arbitrary bytes go through the batch
// iterator (with and without the CRC check), batch decompression with a 1 MiB
// limit, the record and header readers, control-record parsing, the in-place
// rewrites, and each decompressor directly. Any crash, sanitizer report or
// broken property below is a bug.
//
// Input use: the whole input is a `records` buffer; its first byte also picks a
// codec for the rest, and its second byte a record count for a raw record read.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "protocol/records/batch_iterator.h"
#include "protocol/records/batch_records.h"
#include "protocol/records/compression/compression.h"
#include "protocol/records/control_record.h"
#include "protocol/records/record_reader.h"

namespace {

using namespace samsa::protocol;

constexpr size_t kMaxUncompressed = 1 << 20;

void check(bool property) {
  if (!property) __builtin_trap();
}

void read_all_records(record_reader reader, bool control) {
  record_view r;
  while (reader.next(r)) {
    check(r.header_count >= 0);
    header_reader headers(r);
    record_header_view h;
    int32_t seen = 0;
    while (headers.next(h)) ++seen;
    check(seen == r.header_count);  // the reader validated every header
    if (control) (void)parse_end_txn_marker(r);
  }
}

void exercise_batches(std::span<const uint8_t> in, crc_check crc) {
  batch_iterator it(in, crc);
  size_t total = 0;
  while (it.next()) {
    const batch_view& b = it.batch();
    total += b.size_bytes();
    check(b.size_bytes() >= batch_layout::kHeaderSize);
    (void)b.header();
    auto recs = batch_records::open(b, kMaxUncompressed);
    if (recs) {
      if (b.attributes().codec() != compression_codec::none) check(recs->bytes().size() <= kMaxUncompressed);
      read_all_records(recs->reader(), b.attributes().is_control());
    }
    (void)scan_records(b, kMaxUncompressed);

    // In-place rewrites on a copy: the CRC must hold afterwards.
    std::vector<uint8_t> copy(b.bytes().begin(), b.bytes().end());
    auto m = mutable_batch_view::from_prefix(copy);
    check(m.ok());
    m->set_base_offset(samsa::offset{12345});
    m->set_partition_leader_epoch(samsa::leader_epoch{7});
    m->update_crc();
    m->set_max_timestamp(timestamp_type::log_append_time, 1700000000000);
    check(m->view().crc_matches());
  }
  check(it.position() == total);
  check(it.position() <= in.size());
}

void exercise_decompression(std::span<const uint8_t> in) {
  if (in.empty()) return;
  const auto codec = static_cast<compression_codec>(in[0] % 5);
  const auto payload = in.subspan(1);
  auto plain = decompress(codec, payload, kMaxUncompressed);
  if (!plain) return;
  check(plain->size() <= kMaxUncompressed);
  // What we decode, we can encode and decode again to the same bytes.
  std::vector<uint8_t> again;
  check(compress(codec, *plain, again).ok());
  auto back = decompress(codec, again, kMaxUncompressed);
  check(back.ok() && *back == *plain);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  exercise_batches(in, crc_check::verify);
  exercise_batches(in, crc_check::skip);
  exercise_decompression(in);
  if (size >= 2) read_all_records(record_reader(in.subspan(2), in[1]), false);
  (void)parse_batch_header(in);
  return 0;
}
