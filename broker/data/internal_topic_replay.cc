#include "broker/data/internal_topic_replay.h"

#include <string>
#include <vector>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/data_plane.h"
#include "protocol/records/batch_iterator.h"
#include "storage/log/partition_log.h"

namespace samsa::broker {

void replay_internal_topic(broker_services& services, std::string_view topic_name,
                           const std::function<void(int32_t partition, const protocol::batch_view& batch)>& on_batch) {
  auto image = services.metadata->current();
  const topic_metadata* topic = image->find_topic(std::string(topic_name));
  for (size_t p = 0; topic && p < topic->partitions.size(); ++p) {
    const int32_t partition = static_cast<int32_t>(p);
    data::partition_lookup found = services.data->partitions.find(*topic, partition);
    if (found.error != protocol::error_code::none) continue;
    storage::partition_log& log = found.partition->log();
    offset next = log.log_start_offset();
    const offset end = log.log_end_offset();
    while (next < end) {
      auto read = log.read(next, 1 << 20, storage::fetch_isolation::log_end, true);
      if (!read || !read->records || read->size_bytes == 0) break;
      std::vector<uint8_t> buffer(read->records->size());
      read->records->copy_to(buffer.data());
      protocol::batch_iterator batches(buffer);
      offset advanced = next;
      while (batches.next()) {
        const protocol::batch_view& batch = batches.batch();
        advanced = offset{batch.last_offset().value() + 1};
        on_batch(partition, batch);
      }
      if (advanced <= next) break;  // no whole batch: stop rather than spin
      next = advanced;
    }
  }
}

}  // namespace samsa::broker
