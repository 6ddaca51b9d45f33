#include "broker/data/partition_directory.h"

#include <mutex>

#include "storage/manager/log_manager.h"

namespace samsa::broker::data {
namespace {

using protocol::error_code;

// Usable as it is: same topic incarnation, epoch not behind the image's. (A
// log that closed under it is dropped by forget() when a request meets it, so
// the lookup needs no lock of the log.)
bool current(const std::shared_ptr<hosted_partition>& h, const topic_metadata& topic, const partition_metadata& p) {
  return h && h->topic_id() == topic.id && h->epoch().value() >= p.leader_epoch;
}

}  // namespace

const partition_metadata* find_partition(const topic_metadata& topic, int32_t partition) {
  if (partition < 0) return nullptr;
  // Partitions are listed in order; fall back to a search if they are not.
  if (static_cast<size_t>(partition) < topic.partitions.size() &&
      topic.partitions[static_cast<size_t>(partition)].partition == partition) {
    return &topic.partitions[static_cast<size_t>(partition)];
  }
  for (const auto& p : topic.partitions)
    if (p.partition == partition) return &p;
  return nullptr;
}

partition_lookup partition_directory::find(const metadata_image& image, const std::string& topic, int32_t partition) {
  const topic_metadata* t = image.find_topic(topic);
  if (!t) {
    partition_lookup out;
    out.error = error_code::unknown_topic_or_partition;
    return out;
  }
  return find(*t, partition);
}

partition_lookup partition_directory::find(const topic_metadata& topic, int32_t partition) {
  partition_lookup out;
  out.topic = &topic;
  out.metadata = find_partition(topic, partition);
  if (!out.metadata) {
    out.error = error_code::unknown_topic_or_partition;
    return out;
  }
  if (out.metadata->leader != node_id_) {
    out.error = error_code::not_leader_or_follower;
    return out;
  }
  {
    std::shared_lock<std::shared_mutex> g(mu_);
    auto t = by_topic_.find(topic.name);
    if (t != by_topic_.end() && static_cast<size_t>(partition) < t->second.size()) {
      const auto& h = t->second[static_cast<size_t>(partition)];
      if (current(h, topic, *out.metadata)) {
        out.partition = h;
        return out;
      }
    }
  }
  out.partition = host(topic, *out.metadata);
  if (!out.partition) out.error = error_code::kafka_storage_error;
  return out;
}

std::shared_ptr<hosted_partition> partition_directory::host(const topic_metadata& topic, const partition_metadata& p) {
  std::shared_ptr<hosted_partition> h;
  {
    std::unique_lock<std::shared_mutex> g(mu_);
    auto& slots = by_topic_[topic.name];
    if (slots.size() <= static_cast<size_t>(p.partition)) slots.resize(static_cast<size_t>(p.partition) + 1);
    auto& slot = slots[static_cast<size_t>(p.partition)];
    if (slot && slot->topic_id() == topic.id && !slot->log().closed()) {
      h = slot;  // only the epoch is behind: becoming leader again below
    } else {
      storage::topic_partition tp{topic.name, p.partition};
      std::shared_ptr<storage::partition_log> log = logs_.get_log(tp);
      if (!log || log->closed()) {
        auto created = logs_.get_or_create_log(tp);
        if (!created) return nullptr;
        log = std::move(*created);
      }
      h = std::make_shared<hosted_partition>(topic.id, std::move(tp), std::move(log));
      slot = h;
    }
  }
  // Outside the lock: touches the log (its own mutex).
  h->become_leader(leader_epoch{p.leader_epoch});
  return h;
}

std::shared_ptr<hosted_partition> partition_directory::hosted(std::string_view topic, int32_t partition) const {
  std::shared_lock<std::shared_mutex> g(mu_);
  auto t = by_topic_.find(topic);
  if (t == by_topic_.end() || partition < 0 || static_cast<size_t>(partition) >= t->second.size()) return nullptr;
  return t->second[static_cast<size_t>(partition)];
}

}  // namespace samsa::broker::data

namespace samsa::broker::data {

void partition_directory::forget(const std::shared_ptr<hosted_partition>& h) {
  std::unique_lock<std::shared_mutex> g(mu_);
  auto t = by_topic_.find(h->tp().topic);
  if (t == by_topic_.end() || static_cast<size_t>(h->tp().partition) >= t->second.size()) return;
  auto& slot = t->second[static_cast<size_t>(h->tp().partition)];
  if (slot == h) slot.reset();
}

}  // namespace samsa::broker::data
