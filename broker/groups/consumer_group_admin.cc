// Consumer groups (KIP-848) in the admin and loading paths: describe, the
// offset-fetch check, replay of their records, their tombstones, and the
// conversion of an empty consumer group back to a classic one on JoinGroup.
#include "broker/groups/group_coordinator.h"
#include "broker/groups/heartbeat_result.h"
#include "broker/groups/outbox.h"

namespace samsa::broker::groups {

using protocol::error_code;

namespace {

coordinator_record tombstone(consumer_record_type type, const std::string& group, const std::string& member = "") {
  coordinator_record r;
  r.key = encode_consumer_key({type, group, member, {}});
  return r;
}

protocol::consumer_group_describe_response::Assignment describe_assignment(const consumer_group& g,
                                                                           const topic_assignment& a) {
  protocol::consumer_group_describe_response::Assignment out;
  for (const auto& [t, ps] : a) {
    auto& tp = out.topic_partitions.emplace_back();
    tp.topic_id = t;
    for (const auto& [name, st] : g.subscription_metadata)
      if (st.id == t) tp.topic_name = name;
    tp.partitions.assign(ps.begin(), ps.end());
  }
  return out;
}

}  // namespace

void group_coordinator::consumer_group_tombstones(const consumer_group& g, std::vector<coordinator_record>& records) {
  // ConsumerGroup.createGroupTombstoneRecords.
  for (const auto& [mid, m] : g.members) {
    records.push_back(tombstone(consumer_record_type::current_member_assignment, g.group_id, mid));
    records.push_back(tombstone(consumer_record_type::target_assignment_member, g.group_id, mid));
    records.push_back(tombstone(consumer_record_type::member_metadata, g.group_id, mid));
  }
  for (const auto& [regex, r] : g.resolved_regexes) {
    consumer_record_key k{consumer_record_type::regular_expression, g.group_id, "", regex};
    coordinator_record t;
    t.key = encode_consumer_key(k);
    records.push_back(std::move(t));
  }
  records.push_back(tombstone(consumer_record_type::target_assignment_metadata, g.group_id));
  records.push_back(tombstone(consumer_record_type::partition_metadata, g.group_id));
  records.push_back(tombstone(consumer_record_type::group_metadata, g.group_id));
}

bool group_coordinator::join_consumer_group_allowed(outbox& out, classic_group& g) {
  if (!g.consumer->empty()) return false;
  std::vector<coordinator_record> records;
  consumer_group_tombstones(*g.consumer, records);
  g.consumer.reset();
  write(out, g.group_id, std::move(records), [](outbox&, classic_group*, error_code) {});
  return true;
}

protocol::consumer_group_describe_response::DescribedGroup group_coordinator::consumer_group_describe(
    const std::string& group_id) {
  protocol::consumer_group_describe_response::DescribedGroup d;
  d.group_id = group_id;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) {
    d.error_code = static_cast<int16_t>(error_code::not_coordinator);
    return d;
  }
  const classic_group* holder = find(group_id);
  if (!holder || !holder->consumer) {
    // A classic group answers GROUP_ID_NOT_FOUND, so that admin clients fall back to DescribeGroups.
    d.error_code = static_cast<int16_t>(error_code::group_id_not_found);
    d.error_message = holder ? "Group " + group_id + " is not a consumer group."
                             : "Group " + group_id + " not found.";
    return d;
  }
  const consumer_group& g = *holder->consumer;
  d.group_state = std::string(consumer_state_name(g.state()));
  d.group_epoch = g.group_epoch;
  d.assignment_epoch = g.assignment_epoch;
  d.assignor_name = preferred_consumer_assignor(g, config_.consumer_assignors);
  for (const auto& [mid, m] : g.members) {
    auto& dm = d.members.emplace_back();
    dm.member_id = mid;
    dm.instance_id = m.instance_id;
    dm.rack_id = m.rack_id;
    dm.member_epoch = m.member_epoch;
    dm.client_id = m.client_id;
    dm.client_host = m.client_host;
    dm.subscribed_topic_names = m.subscribed_topic_names;
    dm.subscribed_topic_regex = m.subscribed_topic_regex;
    dm.assignment = describe_assignment(g, m.assigned_partitions);
    auto t = g.target_assignment.find(mid);
    if (t != g.target_assignment.end()) dm.target_assignment = describe_assignment(g, t->second);
  }
  return d;
}

error_code group_coordinator::validate_offset_fetch(const std::string& group_id,
                                                    const std::optional<std::string>& member_id,
                                                    int32_t member_epoch) {
  std::lock_guard<std::mutex> lock(mu_);
  const classic_group* holder = stopped_ ? nullptr : find(group_id);
  if (!holder || !holder->consumer) return error_code::none;
  return holder->consumer->validate_offset_fetch(member_id, member_epoch);
}

std::optional<consumer_group> group_coordinator::consumer_group_of(const std::string& group_id) {
  std::lock_guard<std::mutex> lock(mu_);
  const classic_group* holder = find(group_id);
  if (!holder || !holder->consumer) return std::nullopt;
  return *holder->consumer;
}

void group_coordinator::replay(const consumer_record_key& key, std::optional<std::span<const uint8_t>> value) {
  std::lock_guard<std::mutex> lock(mu_);
  classic_group* holder = find(key.group_id);
  if (!value) {
    if (!holder || !holder->consumer) return;
    consumer_group& g = *holder->consumer;
    switch (key.type) {
      case consumer_record_type::group_metadata:
        holder->consumer.reset();
        if (holder->offsets.empty() && !holder->protocol_type && holder->members.empty()) groups_.erase(key.group_id);
        return;
      case consumer_record_type::partition_metadata: g.subscription_metadata.clear(); return;
      case consumer_record_type::member_metadata: g.remove_member(key.member_id); return;
      case consumer_record_type::target_assignment_metadata: g.assignment_epoch = 0; return;
      case consumer_record_type::target_assignment_member: g.target_assignment.erase(key.member_id); return;
      case consumer_record_type::regular_expression: g.resolved_regexes.erase(key.regex); return;
      case consumer_record_type::current_member_assignment:
        if (auto it = g.members.find(key.member_id); it != g.members.end()) {
          consumer_member cleared = it->second;
          cleared.member_epoch = 0;
          cleared.previous_member_epoch = 0;
          cleared.state = member_state::stable;
          cleared.assigned_partitions.clear();
          cleared.partitions_pending_revocation.clear();
          g.set_member_assignment(it->second, cleared);
        }
        return;
    }
    return;
  }
  if (!holder) holder = &get_or_create(key.group_id);
  if (!holder->consumer) holder->consumer = std::make_unique<consumer_group>(key.group_id);
  consumer_group& g = *holder->consumer;
  auto member = [&]() -> consumer_member& {
    auto [it, fresh] = g.members.try_emplace(key.member_id);
    if (fresh) it->second.member_id = key.member_id;
    return it->second;
  };
  switch (key.type) {
    case consumer_record_type::group_metadata:
      if (auto e = decode_epoch_value(*value)) g.group_epoch = *e;
      return;
    case consumer_record_type::partition_metadata:
      if (auto m = decode_partition_metadata_value(*value)) g.subscription_metadata = std::move(*m);
      return;
    case consumer_record_type::member_metadata: {
      consumer_member& m = member();
      if (m.instance_id) g.static_members.erase(*m.instance_id);
      decode_member_metadata_value(*value, m);
      if (m.instance_id) g.static_members[*m.instance_id] = m.member_id;
      return;
    }
    case consumer_record_type::target_assignment_metadata:
      if (auto e = decode_epoch_value(*value)) g.assignment_epoch = *e;
      return;
    case consumer_record_type::target_assignment_member:
      if (auto a = decode_target_member_value(*value)) g.target_assignment[key.member_id] = std::move(*a);
      return;
    case consumer_record_type::regular_expression:
      if (auto v = decode_regex_value(*value)) g.resolved_regexes[key.regex] = std::move(*v);
      return;
    case consumer_record_type::current_member_assignment: {
      consumer_member& m = member();
      consumer_member next = m;
      if (decode_current_assignment_value(*value, next)) g.set_member_assignment(m, next);
      return;
    }
  }
}

}  // namespace samsa::broker::groups
