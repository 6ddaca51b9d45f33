#pragma once

// Shared test helpers: batch builders, an in-memory log builder over the
// fault-injecting file system with a manual clock and a manual flush worker,
// and readers that turn a log back into records.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/records/batch_builder.h"
#include "protocol/records/batch_iterator.h"
#include "protocol/records/batch_records.h"
#include "protocol/records/control_record.h"
#include "storage/io/fault_injection_file_system.h"
#include "storage/io/open_file_cache.h"
#include "storage/log/partition_log.h"

namespace samsa::storage::testing {

inline constexpr int64_t kT0 = 1'700'000'000'000;

struct rec {
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp_ms = kT0;
};

struct batch_spec {
  std::vector<rec> records;
  protocol::compression_codec compression = protocol::compression_codec::none;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;
  bool transactional = false;
  int64_t base_offset = 0;
  int32_t leader_epoch = -1;
  protocol::timestamp_type ts_type = protocol::timestamp_type::create_time;
};

inline std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline std::vector<uint8_t> make_batch(const batch_spec& spec) {
  protocol::batch_builder_options o;
  o.base_offset = samsa::offset{spec.base_offset};
  o.partition_leader_epoch = samsa::leader_epoch{spec.leader_epoch};
  o.compression = spec.compression;
  o.ts_type = spec.ts_type;
  o.log_append_time_ms = kT0;
  o.is_transactional = spec.transactional;
  o.producer_id = samsa::producer_id{spec.producer_id};
  o.producer_epoch = samsa::producer_epoch{spec.producer_epoch};
  o.base_sequence = spec.base_sequence;
  protocol::batch_builder b(o);
  for (const rec& r : spec.records) {
    protocol::record_input in;
    if (r.key) in.key = bytes_of(*r.key);
    if (r.value) in.value = bytes_of(*r.value);
    in.timestamp_ms = r.timestamp_ms;
    if (!b.append(in)) std::abort();
  }
  auto built = b.build();
  if (!built) std::abort();
  return std::move(built).value();
}

// n records "k<i>" -> "v<i>" (value padded to value_size), timestamps kT0 + i.
inline std::vector<uint8_t> simple_batch(int n, size_t value_size = 10, int64_t ts = kT0) {
  batch_spec s;
  for (int i = 0; i < n; ++i) {
    std::string v = "v" + std::to_string(i);
    if (v.size() < value_size) v.resize(value_size, 'x');
    s.records.push_back({"k" + std::to_string(i), v, ts + i});
  }
  return make_batch(s);
}

inline std::vector<uint8_t> idempotent_batch(int64_t pid, int16_t epoch, int32_t seq, int n, bool txn = false) {
  batch_spec s;
  s.producer_id = pid;
  s.producer_epoch = epoch;
  s.base_sequence = seq;
  s.transactional = txn;
  for (int i = 0; i < n; ++i) s.records.push_back({"k" + std::to_string(seq + i), "v", kT0 + i});
  return make_batch(s);
}

inline std::vector<uint8_t> marker_batch(int64_t pid, int16_t epoch, bool commit, int32_t coordinator_epoch = 0) {
  protocol::end_txn_marker_batch m;
  m.producer_id = samsa::producer_id{pid};
  m.producer_epoch = samsa::producer_epoch{epoch};
  m.timestamp_ms = kT0;
  m.marker.type = commit ? protocol::control_record_type::commit : protocol::control_record_type::abort;
  m.marker.coordinator_epoch = coordinator_epoch;
  auto b = protocol::build_end_txn_marker_batch(m);
  if (!b) std::abort();
  return std::move(b).value();
}

struct read_record {
  int64_t offset = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp_ms = 0;
  bool control = false;
};

inline std::vector<uint8_t> contents(const fetch_result& f) {
  std::vector<uint8_t> out(f.size_bytes);
  if (f.records) f.records->copy_to(out.data());
  return out;
}

// Every record of a buffer of whole batches (control records flagged).
inline std::vector<read_record> records_of(std::span<const uint8_t> bytes) {
  std::vector<read_record> out;
  protocol::batch_iterator it(bytes);
  while (it.next()) {
    const protocol::batch_view& b = it.batch();
    auto recs = protocol::batch_records::open(b, 1u << 28);
    if (!recs) std::abort();
    protocol::record_reader rr = recs->reader();
    protocol::record_view r;
    while (rr.next(r)) {
      read_record x;
      x.offset = b.record_offset(r.offset_delta).value();
      if (r.key) x.key = std::string(reinterpret_cast<const char*>(r.key->data()), r.key->size());
      if (r.value) x.value = std::string(reinterpret_cast<const char*>(r.value->data()), r.value->size());
      x.timestamp_ms = b.record_timestamp_ms(r.timestamp_delta);
      x.control = b.attributes().is_control();
      out.push_back(x);
    }
  }
  EXPECT_FALSE(it.error().has_value()) << "reads must return whole batches";
  return out;
}

// Reads the whole log from its start with fetches of at most `chunk` bytes.
inline std::vector<uint8_t> read_all_bytes(partition_log& log, int64_t chunk = 1 << 20,
                                           fetch_isolation iso = fetch_isolation::log_end) {
  std::vector<uint8_t> out;
  samsa::offset next = log.log_start_offset();
  for (int guard = 0; guard < 1'000'000; ++guard) {
    auto r = log.read(next, chunk, iso, true);
    if (!r) {
      ADD_FAILURE() << "read failed: " << r.error();
      break;
    }
    if (r->size_bytes == 0) break;
    std::vector<uint8_t> c = contents(*r);
    protocol::batch_iterator it(c);
    samsa::offset last{-1};
    while (it.next()) last = it.batch().last_offset();
    out.insert(out.end(), c.begin(), c.end());
    next = samsa::offset{last.value() + 1};
  }
  return out;
}

inline std::vector<read_record> read_all(partition_log& log) { return records_of(read_all_bytes(log)); }

// A log over the fault-injecting file system, a manual clock and a flush worker
// that runs only when the test asks.
class log_fixture : public ::testing::Test {
 protected:
  void SetUp() override { fs.make_dirs_durable("/data"); }

  partition_log_params params() {
    partition_log_params p;
    p.fs = &fs;
    p.clock = &clock;
    p.file_cache = cache;
    p.flusher = flusher;
    p.dir = dir;
    p.tp = topic_partition{"topic", 0};
    p.config = config;
    return p;
  }

  std::shared_ptr<partition_log> open_log(partition_log_params p) {
    auto r = partition_log::open(std::move(p));
    if (!r) {
      ADD_FAILURE() << "open failed: " << r.error();
      return nullptr;
    }
    return *r;
  }
  void open() { log = open_log(params()); }
  // Reopens after a clean close.
  void reopen_clean() {
    ASSERT_TRUE(log->close());
    flusher->run_pending();
    partition_log_params p = params();
    p.had_clean_shutdown = true;
    p.recovery_point_checkpoint = log->recovery_point();
    p.log_start_offset_checkpoint = log->log_start_offset();
    p.high_watermark_checkpoint = log->high_watermark();
    log = open_log(std::move(p));
  }
  // Power loss, then an unclean start with the given checkpoints.
  void crash_and_reopen(uint64_t seed, io::crash_mode mode, samsa::offset recovery_point = samsa::offset{0}) {
    log->close_without_flush();
    flusher->run_pending();
    log.reset();
    fs.crash(seed, mode);
    partition_log_params p = params();
    p.recovery_point_checkpoint = recovery_point;
    log = open_log(std::move(p));
  }

  append_info append(std::vector<uint8_t> batch, int32_t epoch = 0, append_origin origin = append_origin::client) {
    auto r = log->append_as_leader(batch, samsa::leader_epoch{epoch}, origin);
    if (!r) {
      ADD_FAILURE() << "append failed: " << r.error();
      return {};
    }
    return *r;
  }
  // The append's result, for tests that expect errors.
  result<append_info> try_append(std::vector<uint8_t> batch, int32_t epoch = 0,
                                 append_origin origin = append_origin::client) {
    return log->append_as_leader(batch, samsa::leader_epoch{epoch}, origin);
  }
  // Requests a flush of everything written and runs the worker; true if it completed ok.
  bool flush_all() {
    bool done = false;
    bool ok = false;
    log->request_flush(log->log_end_offset(), [&](status s) {
      done = true;
      ok = s.ok();
    });
    flusher->run_pending();
    return done && ok;
  }

  io::manual_clock clock{kT0};
  io::fault_injection_file_system fs{&clock};
  std::shared_ptr<io::open_file_cache> cache = std::make_shared<io::open_file_cache>(64);
  std::shared_ptr<flush_worker> flusher = std::make_shared<flush_worker>("test");
  std::string dir = "/data/topic-0";
  log_config config;
  std::shared_ptr<partition_log> log;
};

}  // namespace samsa::storage::testing
