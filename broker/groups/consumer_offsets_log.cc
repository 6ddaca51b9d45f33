#include "broker/groups/consumer_offsets_log.h"

#include <chrono>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/data_plane.h"
#include "broker/data/internal_topic_replay.h"
#include "broker/data/storage_errors.h"
#include "broker/groups/coordinator_partition.h"
#include "protocol/records/batch_builder.h"
#include "protocol/records/batch_iterator.h"
#include "protocol/records/batch_records.h"
#include "protocol/records/control_record.h"
#include "storage/log/partition_log.h"

namespace samsa::broker::groups {

using protocol::error_code;

namespace {

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

error_code consumer_offsets_log::append(int32_t partition, std::vector<coordinator_record> records, done_fn done) {
  protocol::batch_builder_options options;
  options.compression = protocol::compression_codec::none;
  return append_batch(partition, options, std::move(records), std::move(done));
}

// Kafka's coordinator runtime writes a transactional batch with the
// producer's id and epoch and no sequence (RecordBatch.NO_SEQUENCE).
error_code consumer_offsets_log::append_transactional(int32_t partition, int64_t producer_id, int16_t producer_epoch,
                                                      std::vector<coordinator_record> records, done_fn done) {
  protocol::batch_builder_options options;
  options.compression = protocol::compression_codec::none;
  options.is_transactional = true;
  options.producer_id = samsa::producer_id{producer_id};
  options.producer_epoch = samsa::producer_epoch{producer_epoch};
  return append_batch(partition, options, std::move(records), std::move(done));
}

error_code consumer_offsets_log::append_batch(int32_t partition, const protocol::batch_builder_options& options,
                                              std::vector<coordinator_record> records, done_fn done) {
  auto image = services_.metadata->current();
  data::partition_lookup found = services_.data->partitions.find(*image, kConsumerOffsetsTopic, partition);
  if (found.error != error_code::none) return found.error;

  protocol::batch_builder builder(options);
  const int64_t now = wall_clock_ms();
  for (const auto& r : records) {
    protocol::record_input in;
    in.key = std::span<const uint8_t>(r.key);
    if (r.value) in.value = std::span<const uint8_t>(*r.value);
    in.timestamp_ms = now;
    if (!builder.append(in)) return error_code::unknown_server_error;
  }
  auto batch = builder.build();
  if (!batch) return error_code::unknown_server_error;
  std::vector<uint8_t> bytes = std::move(*batch);

  auto appended = found.partition->log().append_as_leader(bytes, leader_epoch{found.metadata->leader_epoch},
                                                          storage::append_origin::coordinator);
  if (!appended) return data::to_kafka_error(appended.code());
  const offset end{appended->last_offset.value() + 1};
  found.partition->appended(end);
  found.partition->log().request_flush(end, [done = std::move(done)](const storage::status& s) {
    done(s ? error_code::none : data::to_kafka_error(s.code()));
  });
  return error_code::none;
}

int64_t load_consumer_offsets(broker_services& services, group_coordinator& coordinator) {
  int64_t replayed = 0;
  replay_internal_topic(services, kConsumerOffsetsTopic, [&](int32_t partition, const protocol::batch_view& batch) {
    const bool transactional = batch.attributes().is_transactional();
    const int64_t pid = batch.producer_id().value();
    auto opened = protocol::batch_records::open(batch, 64 << 20);
    if (!opened) return;
    protocol::record_reader reader = opened->reader();
    protocol::record_view record;
    while (reader.next(record)) {
      if (batch.attributes().is_control()) {
        // A transaction marker settles the producer's pending offsets.
        auto marker = protocol::parse_end_txn_marker(record);
        if (marker) {
          coordinator.complete_transaction(pid, marker->type == protocol::control_record_type::commit, partition);
        }
        continue;
      }
      if (!record.key) continue;
      if (auto key = decode_key(*record.key)) {
        if (transactional) coordinator.replay_transactional(pid, partition, *key, record.value);
        else coordinator.replay(*key, record.value);
      } else if (auto consumer_key = decode_consumer_key(*record.key)) {
        coordinator.replay(*consumer_key, record.value);
      } else {
        continue;
      }
      ++replayed;
    }
  });
  coordinator.loaded();
  return replayed;
}

}  // namespace samsa::broker::groups
