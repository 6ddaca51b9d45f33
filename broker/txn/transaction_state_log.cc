#include "broker/txn/transaction_state_log.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/data_plane.h"
#include "broker/data/internal_topic_replay.h"
#include "broker/data/storage_errors.h"
#include "broker/groups/coordinator_partition.h"
#include "broker/groups/group_coordinator.h"
#include "protocol/records/batch_builder.h"
#include "protocol/records/batch_iterator.h"
#include "protocol/records/batch_records.h"
#include "protocol/records/control_record.h"
#include "storage/log/partition_log.h"

namespace samsa::broker::txn {

using protocol::error_code;

namespace {

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Appends `bytes` (one batch) as the leader and asks for it to be durable.
error_code append_durably(broker_services& services, const std::string& topic, int32_t partition,
                          std::vector<uint8_t> bytes, std::function<void(error_code)> done) {
  auto image = services.metadata->current();
  data::partition_lookup found = services.data->partitions.find(*image, topic, partition);
  if (found.error != error_code::none) return found.error;
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

}  // namespace

error_code transaction_state_log::append(int32_t partition, std::vector<uint8_t> key,
                                         std::optional<std::vector<uint8_t>> value, done_fn done) {
  protocol::batch_builder_options options;
  options.compression = protocol::compression_codec::none;
  protocol::batch_builder builder(options);
  protocol::record_input in;
  in.key = std::span<const uint8_t>(key);
  if (value) in.value = std::span<const uint8_t>(*value);
  in.timestamp_ms = wall_clock_ms();
  if (!builder.append(in)) return error_code::unknown_server_error;
  auto batch = builder.build();
  if (!batch) return error_code::unknown_server_error;
  return append_durably(services_, kTransactionStateTopic, partition, std::move(*batch), std::move(done));
}

void transaction_state_log::write_markers(marker_request m, markers_done_fn done) {
  using results_t = std::vector<std::pair<topic_partition_key, error_code>>;
  struct state {
    std::mutex mu;
    results_t results;
    size_t remaining = 0;
    markers_done_fn done;
  };
  auto st = std::make_shared<state>();
  st->remaining = m.partitions.size() + 1;  // +1: released after the loop
  st->done = std::move(done);
  auto finish_one = [st](topic_partition_key tp, error_code e) {
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(st->mu);
      st->results.emplace_back(std::move(tp), e);
      last = --st->remaining == 0;
    }
    if (last) {
      results_t r;
      {
        std::lock_guard<std::mutex> lock(st->mu);
        r = std::move(st->results);
      }
      r.erase(std::remove_if(r.begin(), r.end(), [](const auto& x) { return x.first.first.empty(); }), r.end());
      st->done(std::move(r));
    }
  };
  const int64_t now = wall_clock_ms();
  for (const auto& tp : m.partitions) {
    protocol::end_txn_marker_batch b;
    b.producer_id = producer_id{m.producer_id};
    b.producer_epoch = producer_epoch{m.producer_epoch};
    b.timestamp_ms = now;
    b.marker.type = m.commit ? protocol::control_record_type::commit : protocol::control_record_type::abort;
    b.marker.coordinator_epoch = m.coordinator_epoch;
    auto bytes = protocol::build_end_txn_marker_batch(b);
    if (!bytes) {
      finish_one(tp, error_code::unknown_server_error);
      continue;
    }
    const bool offsets_topic = tp.first == groups::kConsumerOffsetsTopic;
    auto on_durable = [this, finish_one, tp, offsets_topic, pid = m.producer_id, commit = m.commit](error_code e) {
      if (e == error_code::none && offsets_topic && groups_) {
        groups_->complete_transaction(pid, commit, tp.second);
      }
      finish_one(tp, e);
    };
    error_code e = append_durably(services_, tp.first, tp.second, std::move(*bytes), on_durable);
    if (e != error_code::none) finish_one(tp, e);
  }
  finish_one({"", -1}, error_code::none);
}

int32_t transaction_state_leader_epoch(broker_services& services, int32_t partition) {
  auto image = services.metadata->current();
  const topic_metadata* topic = image->find_topic(kTransactionStateTopic);
  if (!topic) return 0;
  const partition_metadata* p = data::find_partition(*topic, partition);
  return p ? p->leader_epoch : 0;
}

int64_t load_transaction_state(broker_services& services, txn_coordinator& coordinator) {
  int64_t replayed = 0;
  replay_internal_topic(services, kTransactionStateTopic, [&](int32_t, const protocol::batch_view& batch) {
    if (batch.attributes().is_control()) return;
    auto opened = protocol::batch_records::open(batch, 64 << 20);
    if (!opened) return;
    protocol::record_reader reader = opened->reader();
    protocol::record_view record;
    while (reader.next(record)) {
      if (!record.key) continue;
      auto id = decode_txn_key(*record.key);
      if (!id) continue;
      if (!record.value) {
        coordinator.replay(*id, std::nullopt);
      } else {
        auto value = decode_txn_value(*record.value);
        if (!value) continue;
        coordinator.replay(*id, value);
      }
      ++replayed;
    }
  });
  coordinator.loaded();
  return replayed;
}

}  // namespace samsa::broker::txn
