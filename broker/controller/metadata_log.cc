#include "broker/controller/metadata_log.h"

#include <fmt/format.h>

#include <future>

#include "protocol/records/batch_builder.h"
#include "protocol/records/batch_iterator.h"
#include "protocol/records/batch_records.h"

namespace samsa::broker {
namespace {

// Kafka's controller writes batches in raft epochs; a single Samsa node has
// one epoch for the life of the log.
constexpr samsa::leader_epoch metadata_leader_epoch{0};

// How much one replay read asks for (whole batches; the first always fits).
constexpr int64_t replay_read_bytes = 1 << 20;

// Kafka's KafkaRaftClient.MAX_BATCH_SIZE_BYTES.
constexpr int32_t max_batch_bytes = 8 * 1024 * 1024;

std::string storage_message(const storage::error& e) {
  return e.message.empty() ? std::string(storage::to_string(e.code))
                           : fmt::format("{}: {}", storage::to_string(e.code), e.message);
}

}  // namespace

storage::log_config metadata_log_config(const config::broker_config& broker) {
  storage::log_config c;
  c.segment_bytes = broker.get_int("metadata.log.segment.bytes");
  c.segment_ms = broker.get_long("metadata.log.segment.ms");
  c.retention_ms = -1;
  c.retention_bytes = -1;
  c.cleanup_delete = false;
  c.cleanup_compact = false;
  c.max_message_bytes = max_batch_bytes;
  return c;
}

result<std::unique_ptr<metadata_log>, std::string> metadata_log::open(storage::log_manager& logs,
                                                                      const config::broker_config& broker,
                                                                      const storage::io::clock& clock) {
  storage::topic_partition tp{std::string(cluster_metadata_topic), 0};
  auto log = logs.get_or_create_log(tp, metadata_log_config(broker));
  if (!log) return make_failure("cannot open " + tp.dir_name() + ": " + storage_message(log.error_value()));
  // The log manager may have loaded it with another configuration.
  (*log)->update_config(metadata_log_config(broker));
  return std::unique_ptr<metadata_log>(new metadata_log(std::move(*log), clock));
}

int64_t metadata_log::end_offset() const { return log_->log_end_offset().value(); }

result<ok_t, std::string> metadata_log::replay(const batch_handler& handle) {
  int64_t next = log_->log_start_offset().value();
  const int64_t end = log_->log_end_offset().value();
  while (next < end) {
    auto read = log_->read(samsa::offset{next}, replay_read_bytes, storage::fetch_isolation::log_end, true);
    if (!read) return make_failure(fmt::format("cannot read the metadata log at offset {}: {}", next,
                                               storage_message(read.error_value())));
    if (!read->records || read->size_bytes == 0) break;
    std::vector<uint8_t> bytes(read->records->size());
    read->records->copy_to(bytes.data());
    protocol::batch_iterator it(bytes);
    const int64_t before = next;
    while (it.next()) {
      const protocol::batch_view& batch = it.batch();
      if (batch.last_offset().value() < next) continue;
      next = batch.last_offset().value() + 1;
      if (batch.attributes().is_control()) continue;
      auto records = protocol::batch_records::open(batch, size_t{64} << 20);
      if (!records) return make_failure(fmt::format("metadata batch at offset {}: {}", batch.base_offset().value(),
                                                    protocol::to_string(records.error())));
      std::vector<metadata_record> decoded;
      protocol::record_reader reader = records->reader();
      protocol::record_view rv;
      while (reader.next(rv)) {
        if (!rv.value) return make_failure(fmt::format("metadata batch at offset {} holds a null value",
                                                       batch.base_offset().value()));
        auto rec = decode_metadata_record(*rv.value);
        if (!rec) return make_failure(fmt::format("metadata record at offset {}: {}",
                                                  batch.record_offset(rv.offset_delta).value(), rec.error()));
        decoded.push_back(std::move(*rec));
      }
      if (reader.error())
        return make_failure(fmt::format("metadata batch at offset {}: {}", batch.base_offset().value(),
                                        protocol::to_string(*reader.error())));
      if (auto applied = handle(batch.last_offset().value(), std::move(decoded)); !applied) return applied;
    }
    if (it.error() && next == before)
      return make_failure(fmt::format("metadata batch at offset {}: {}", next, protocol::to_string(*it.error())));
    if (next == before) return make_failure(fmt::format("no progress reading the metadata log at offset {}", next));
  }
  return ok;
}

result<int64_t, std::string> metadata_log::append(const std::vector<metadata_record>& records) {
  SAMSA_ASSERT(!records.empty(), "an empty metadata batch");
  std::vector<std::vector<uint8_t>> values(records.size());
  for (size_t i = 0; i < records.size(); ++i) encode_metadata_record(records[i], values[i]);
  protocol::batch_builder_options options;
  options.partition_leader_epoch = metadata_leader_epoch;
  protocol::batch_builder builder(options);
  const int64_t now = clock_.now_ms();
  for (const auto& v : values) {
    protocol::record_input in;
    in.value = std::span<const uint8_t>(v);
    in.timestamp_ms = now;
    if (auto s = builder.append(in); !s) return make_failure("cannot build a metadata batch: " + std::string(protocol::to_string(s.error())));
  }
  auto batch = builder.build();
  if (!batch) return make_failure("cannot build a metadata batch: " + std::string(protocol::to_string(batch.error())));
  auto appended = log_->append_as_leader(std::span<uint8_t>(*batch), metadata_leader_epoch,
                                         storage::append_origin::coordinator);
  if (!appended) return make_failure("cannot append to the metadata log: " + storage_message(appended.error_value()));
  const int64_t last = appended->last_offset.value();
  std::promise<storage::status> flushed;
  auto done = flushed.get_future();
  log_->request_flush(samsa::offset{last + 1}, [&flushed](storage::status s) { flushed.set_value(std::move(s)); });
  storage::status s = done.get();
  if (!s) return make_failure("cannot make the metadata log durable: " + storage_message(s.error_value()));
  log_->update_high_watermark(samsa::offset{last + 1});
  return last;
}

}  // namespace samsa::broker
