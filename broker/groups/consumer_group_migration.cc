// Online migration of non-empty groups between the classic and the consumer
// protocols (KIP-848), after Kafka's GroupMetadataManager:
//   - upgrade: a ConsumerGroupHeartbeat joining a classic group whose members
//     use the "consumer" protocol type converts it (validateOnlineUpgrade,
//     convertToConsumerGroup, ConsumerGroup.fromClassicGroup);
//   - classic members in a consumer group: JoinGroup, SyncGroup, Heartbeat
//     and LeaveGroup (classicGroupJoinToConsumerGroup,
//     classicGroupSyncToConsumerGroup, classicGroupHeartbeatToConsumerGroup,
//     classicGroupLeaveToConsumerGroup): the member's assignment is the
//     server-side one, handed out by SyncGroup; a heartbeat answers
//     REBALANCE_IN_PROGRESS when the member must rejoin to reconcile;
//   - downgrade: when the last member using the consumer protocol leaves a
//     group of classic members, it becomes a classic group again and
//     rebalances (validateOnlineDowngradeWithFencedMember,
//     convertToClassicGroup, ClassicGroup.fromConsumerGroup).
// group.consumer.migration.policy says which conversions are allowed.
#include <algorithm>

#include "broker/groups/append_errors.h"
#include "broker/groups/consumer_protocol.h"
#include "broker/groups/group_coordinator.h"
#include "broker/groups/outbox.h"

namespace samsa::broker::groups {

using protocol::error_code;

namespace {

int16_t code(error_code e) { return static_cast<int16_t>(e); }

coordinator_record record(consumer_record_type type, const std::string& group, const std::string& member,
                          std::optional<std::vector<uint8_t>> value) {
  coordinator_record r;
  r.key = encode_consumer_key({type, group, member, {}});
  r.value = std::move(value);
  return r;
}

protocol::join_group_response join_failure(error_code e, const std::string& member_id) {
  protocol::join_group_response r;
  r.error_code = code(e);
  r.member_id = member_id;
  r.protocol_name.reset();
  return r;
}

protocol::sync_group_response sync_failure(error_code e) {
  protocol::sync_group_response r;
  r.error_code = code(e);
  return r;
}

}  // namespace

bool migration_upgrade_enabled(migration_policy p) {
  return p == migration_policy::upgrade || p == migration_policy::bidirectional;
}
bool migration_downgrade_enabled(migration_policy p) {
  return p == migration_policy::downgrade || p == migration_policy::bidirectional;
}

std::optional<migration_policy> parse_migration_policy(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "disabled") return migration_policy::disabled;
  if (lower == "upgrade") return migration_policy::upgrade;
  if (lower == "downgrade") return migration_policy::downgrade;
  if (lower == "bidirectional") return migration_policy::bidirectional;
  return std::nullopt;
}

std::string group_coordinator::random_member_uuid() {
  uuid u;
  for (size_t i = 0; i < 16; i += 8) {
    const uint64_t v = random_();
    for (size_t j = 0; j < 8; ++j) u.bytes[i + j] = static_cast<uint8_t>(v >> (8 * j));
  }
  return u.to_base64();
}

topic_assignment group_coordinator::to_topic_ids(const named_partitions& a) const {
  topic_assignment out;
  for (const auto& [name, ps] : a)
    if (topic_lookup_)
      if (auto t = topic_lookup_(name)) out[t->id].insert(ps.begin(), ps.end());
  return out;
}

named_partitions group_coordinator::to_topic_names(const consumer_group& g, const topic_assignment& a) const {
  std::map<uuid, std::string> names;
  for (const auto& [name, t] : g.subscription_metadata) names[t.id] = name;
  named_partitions out;
  for (const auto& [id, ps] : a)
    if (auto it = names.find(id); it != names.end()) out[it->second].insert(ps.begin(), ps.end());
  return out;
}

// ---- upgrade --------------------------------------------------------------------

bool group_coordinator::online_upgrade_allowed(const classic_group& g) const {
  // validateOnlineUpgrade.
  if (!migration_upgrade_enabled(config_.consumer_migration_policy)) return false;
  if (g.in(group_state::dead)) return false;
  if (g.protocol_type != std::optional<std::string>("consumer")) return false;  // usesConsumerGroupProtocol
  return static_cast<int64_t>(g.members.size()) <= config_.consumer_max_size;
}

std::optional<consumer_group> group_coordinator::converted_classic_group(const classic_group& classic) const {
  // ConsumerGroup.fromClassicGroup.
  consumer_group g(classic.group_id);
  const std::string protocol_name = classic.protocol_name.value_or("");
  for (const auto& [id, cm] : classic.members) {
    const std::vector<uint8_t>* md = cm.metadata_for(protocol_name);
    auto subscription = md ? parse_consumer_subscription(*md) : std::nullopt;
    auto assignment = parse_consumer_assignment(cm.assignment);
    if (!subscription || !assignment) return std::nullopt;
    consumer_member m;
    m.member_id = id;
    m.member_epoch = classic.generation_id;
    m.previous_member_epoch = classic.generation_id;
    m.state = member_state::stable;
    m.instance_id = cm.group_instance_id;
    m.rack_id = subscription->rack_id;
    m.rebalance_timeout_ms = cm.rebalance_timeout_ms;
    m.client_id = cm.client_id;
    m.client_host = cm.client_host;
    m.subscribed_topic_names = subscription->topics;
    std::sort(m.subscribed_topic_names.begin(), m.subscribed_topic_names.end());
    m.assigned_partitions = to_topic_ids(*assignment);
    classic_member_metadata c;
    c.session_timeout_ms = cm.session_timeout_ms;
    for (const auto& p : cm.protocols) c.supported_protocols.push_back({p.name, p.metadata});
    m.classic = std::move(c);
    g.target_assignment[id] = m.assigned_partitions;
    g.put_member(std::move(m));
  }
  g.group_epoch = classic.generation_id;
  g.assignment_epoch = classic.generation_id;
  for (const auto& [name, n] : g.subscribed_topic_names(nullptr, nullptr))
    if (topic_lookup_)
      if (auto t = topic_lookup_(name)) g.subscription_metadata[name] = subscribed_topic{t->id, t->num_partitions};
  return g;
}

void group_coordinator::convert_to_consumer_group(outbox& out, classic_group& holder, consumer_group converted,
                                                  std::vector<coordinator_record>& records) {
  // The waiting JoinGroup / SyncGroup requests rejoin the new rebalance.
  for (auto& [id, m] : holder.members) {
    if (m.is_awaiting_join()) {
      join_callback cb = holder.take_awaiting_join(m);
      out.answer(std::move(cb), join_failure(error_code::rebalance_in_progress, id));
    }
    if (m.is_awaiting_sync()) out.answer(std::move(m.awaiting_sync), sync_failure(error_code::rebalance_in_progress));
    m.awaiting_sync = nullptr;
  }
  // The classic group goes (its GroupMetadata tombstone); its offsets stay.
  coordinator_record tomb;
  tomb.key = encode_key(group_metadata_key{holder.group_id});
  records.push_back(std::move(tomb));
  holder.members.clear();
  holder.static_members.clear();
  holder.pending_join_members.clear();
  holder.pending_sync_members.clear();
  holder.num_awaiting_join = 0;
  holder.join_deadline.reset();
  holder.sync_deadline.reset();
  holder.protocol_type.reset();
  holder.protocol_name.reset();
  holder.leader_id.reset();
  holder.generation_id = 0;
  holder.subscribed_topics.reset();
  holder.transition_to(group_state::empty, wall_ms_());
  // ConsumerGroup.createConsumerGroupRecords.
  const std::string& id = converted.group_id;
  for (const auto& [mid, m] : converted.members)
    records.push_back(record(consumer_record_type::member_metadata, id, mid, encode_member_metadata_value(m)));
  records.push_back(record(consumer_record_type::group_metadata, id, "", encode_group_epoch_value(converted.group_epoch)));
  records.push_back(record(consumer_record_type::partition_metadata, id, "",
                           encode_partition_metadata_value(converted.subscription_metadata)));
  for (const auto& [mid, a] : converted.target_assignment)
    records.push_back(record(consumer_record_type::target_assignment_member, id, mid, encode_target_member_value(a)));
  records.push_back(record(consumer_record_type::target_assignment_metadata, id, "",
                           encode_assignment_epoch_value(converted.assignment_epoch)));
  for (const auto& [mid, m] : converted.members)
    records.push_back(
        record(consumer_record_type::current_member_assignment, id, mid, encode_current_assignment_value(m)));
  // The members' sessions go on with their classic session timeouts.
  const int64_t now = now_ms_();
  for (auto& [mid, m] : converted.members) m.session_deadline_ms = now + m.classic->session_timeout_ms;
  holder.consumer = std::make_unique<consumer_group>(std::move(converted));
}

// ---- downgrade ------------------------------------------------------------------

bool group_coordinator::maybe_downgrade_on_leave(outbox& out, classic_group& holder, const std::string& leaving_id,
                                                 std::vector<coordinator_record>& records) {
  consumer_group& g = *holder.consumer;
  // validateOnlineDowngradeWithFencedMember.
  if (!g.all_members_use_classic_protocol_except(leaving_id)) return false;
  if (g.members.size() <= 1) return false;
  if (!migration_downgrade_enabled(config_.consumer_migration_policy)) return false;
  if (static_cast<int64_t>(g.members.size()) - 1 > config_.max_size) return false;

  // convertToClassicGroup: the consumer group's records go ...
  consumer_group_tombstones(g, records);
  // ... and ClassicGroup.fromConsumerGroup comes: Stable at the group epoch,
  // every member but the leaving one, assigned its target assignment.
  const int64_t now = now_ms_();
  holder.generation_id = g.group_epoch;
  holder.protocol_type = "consumer";
  holder.transition_to(group_state::stable, wall_ms_());
  for (const auto& [mid, m] : g.members) {
    if (mid == leaving_id) continue;
    classic_member cm;
    cm.member_id = mid;
    cm.group_instance_id = m.instance_id;
    cm.client_id = m.client_id;
    cm.client_host = m.client_host;
    cm.rebalance_timeout_ms = m.rebalance_timeout_ms;
    cm.session_timeout_ms = m.classic->session_timeout_ms;
    cm.protocol_type = "consumer";
    for (const auto& p : m.classic->supported_protocols) cm.protocols.push_back({p.name, p.metadata});
    cm.heartbeat_deadline_ms = now + cm.session_timeout_ms;
    holder.add(std::move(cm), nullptr);
  }
  holder.protocol_name = holder.select_protocol();
  holder.compute_subscribed_topics();
  for (auto& [mid, cm] : holder.members) {
    const std::vector<uint8_t>* md = cm.metadata_for(*holder.protocol_name);
    auto t = g.target_assignment.find(mid);
    const topic_assignment target = t == g.target_assignment.end() ? topic_assignment{} : t->second;
    cm.assignment = serialize_consumer_assignment(to_topic_names(g, target),
                                                  md ? consumer_protocol_version(*md) : int16_t{0});
  }
  holder.consumer.reset();
  coordinator_record meta;
  meta.key = encode_key(group_metadata_key{holder.group_id});
  meta.value = encode_value(metadata_value(holder, nullptr));
  records.push_back(std::move(meta));
  // A member left: the classic members rebalance.
  prepare_rebalance(out, holder);
  return true;
}

// ---- classic members in a consumer group ------------------------------------------

void group_coordinator::classic_join_to_consumer_group(outbox& out, classic_group& holder, const join_origin& origin,
                                                       protocol::join_group_request& r, join_callback& done) {
  consumer_group& g = *holder.consumer;
  const bool unknown_member = r.member_id.empty();
  const std::string member_id = unknown_member ? random_member_uuid() : r.member_id;
  if (static_cast<int64_t>(g.members.size()) >= config_.consumer_max_size && !g.members.contains(member_id))
    return out.answer(std::move(done), join_failure(error_code::group_max_size_reached, member_id));
  std::set<std::string> names;
  for (const auto& p : r.protocols) names.insert(p.name);
  if (!g.supports_classic_protocols(r.protocol_type, names))
    return out.answer(std::move(done), join_failure(error_code::inconsistent_group_protocol, member_id));
  // JoinGroupRequest.requiresKnownMemberId: a dynamic member of v4+ asks for an id first.
  if (unknown_member && !r.group_instance_id && origin.api_version >= 4) {
    protocol::join_group_response resp = join_failure(error_code::member_id_required, member_id);
    return out.answer(std::move(done), std::move(resp));
  }
  // The member (getOrMaybeSubscribe{Dynamic,Static}ConsumerGroupMember with useClassicProtocol).
  consumer_member member;
  member.member_id = member_id;
  bool known = false;
  std::optional<std::string> replaced_static;
  std::vector<coordinator_record> records;
  if (!r.group_instance_id) {
    if (auto it = g.members.find(member_id); it != g.members.end()) {
      member = it->second;
      known = true;
    } else if (!unknown_member && origin.api_version >= 4) {
      // A member id the group does not know (the dynamic path creates the member, as Kafka does).
    }
  } else if (const consumer_member* s = g.static_member(*r.group_instance_id)) {
    if (unknown_member || s->member_id != member_id) {
      member = *s;
      member.member_id = member_id;
      member.member_epoch = 0;
      member.previous_member_epoch = 0;
      replaced_static = s->member_id;
    } else {
      member = *s;
      known = true;
    }
  }
  // Kafka's deserializeSubscription throws IllegalStateException: UNKNOWN_SERVER_ERROR.
  auto subscription = parse_consumer_subscription(r.protocols.front().metadata);
  if (!subscription) return out.answer(std::move(done), join_failure(error_code::unknown_server_error, member_id));

  const int64_t now = now_ms_();
  if (replaced_static) {
    topic_assignment target = g.target_assignment[*replaced_static];
    records.push_back(
        record(consumer_record_type::current_member_assignment, g.group_id, *replaced_static, std::nullopt));
    records.push_back(record(consumer_record_type::target_assignment_member, g.group_id, *replaced_static, std::nullopt));
    records.push_back(record(consumer_record_type::member_metadata, g.group_id, *replaced_static, std::nullopt));
    g.remove_member(*replaced_static);
    g.target_assignment.erase(*replaced_static);
    g.put_member(member);
    g.target_assignment[member_id] = target;
    records.push_back(
        record(consumer_record_type::target_assignment_member, g.group_id, member_id, encode_target_member_value(target)));
    records.push_back(record(consumer_record_type::current_member_assignment, g.group_id, member_id,
                             encode_current_assignment_value(member)));
    known = true;
  }
  consumer_member updated = member;
  if (r.group_instance_id) updated.instance_id = r.group_instance_id;
  if (subscription->rack_id) updated.rack_id = subscription->rack_id;
  if (r.rebalance_timeout_ms != -1) updated.rebalance_timeout_ms = r.rebalance_timeout_ms;
  updated.subscribed_topic_names = subscription->topics;
  std::sort(updated.subscribed_topic_names.begin(), updated.subscribed_topic_names.end());
  updated.client_id = origin.client_id;
  updated.client_host = origin.client_host;
  classic_member_metadata c;
  c.session_timeout_ms = r.session_timeout_ms;
  for (const auto& p : r.protocols) c.supported_protocols.push_back({p.name, p.metadata});
  updated.classic = std::move(c);

  bool bump = false;
  if (!known || !updated.same_metadata(member)) {
    records.push_back(
        record(consumer_record_type::member_metadata, g.group_id, member_id, encode_member_metadata_value(updated)));
    if (!known || updated.subscribed_topic_names != member.subscribed_topic_names) bump = true;
  }
  std::map<std::string, subscribed_topic> meta;
  for (const auto& [name, n] : g.subscribed_topic_names(known ? &member : nullptr, &updated))
    if (topic_lookup_)
      if (auto t = topic_lookup_(name)) meta[name] = subscribed_topic{t->id, t->num_partitions};
  if (meta != g.subscription_metadata) {
    bump = true;
    g.subscription_metadata = meta;
    records.push_back(
        record(consumer_record_type::partition_metadata, g.group_id, "", encode_partition_metadata_value(meta)));
  }
  if (bump) {
    g.group_epoch += 1;
    records.push_back(record(consumer_record_type::group_metadata, g.group_id, "", encode_group_epoch_value(g.group_epoch)));
  }
  if (known) {
    consumer_member& stored = g.members.at(member_id);
    consumer_member next = updated;
    next.member_epoch = stored.member_epoch;
    next.previous_member_epoch = stored.previous_member_epoch;
    next.state = stored.state;
    next.assigned_partitions = stored.assigned_partitions;
    next.partitions_pending_revocation = stored.partitions_pending_revocation;
    g.put_member(std::move(next));
  } else {
    g.put_member(updated);
  }
  if (g.group_epoch > g.assignment_epoch) update_target_assignment(g, records);
  consumer_member& current = g.members.at(member_id);
  reconcile_member(g, current, to_topic_ids(subscription->owned_partitions), now, records);
  current.session_deadline_ms = now + current.classic->session_timeout_ms;
  // The member joined: it must now sync within its rebalance timeout.
  current.classic_join_deadline_ms.reset();
  current.classic_sync_deadline_ms = now + r.rebalance_timeout_ms;

  protocol::join_group_response resp;
  resp.member_id = member_id;
  resp.generation_id = current.member_epoch;
  resp.protocol_type = "consumer";
  resp.protocol_name = current.classic->supported_protocols.front().name;
  resp.leader = "";
  if (records.empty()) return out.answer(std::move(done), std::move(resp));
  auto cb = std::make_shared<join_callback>(std::move(done));
  auto response = std::make_shared<protocol::join_group_response>(std::move(resp));
  write(out, g.group_id, std::move(records), [cb, response](outbox& o, classic_group*, error_code e) {
    if (e != error_code::none) {
      o.answer(std::move(*cb), join_failure(group_metadata_append_error(e), response->member_id));
      return;
    }
    o.answer(std::move(*cb), std::move(*response));
  });
}

// validateConsumerGroupMember + throwIfMemberDoesNotUseClassicProtocol.
const consumer_member* group_coordinator::classic_member_of(const consumer_group& g, const std::string& member_id,
                                                            const std::optional<std::string>& instance_id,
                                                            error_code& e) const {
  const consumer_member* m = nullptr;
  if (!instance_id) {
    auto it = g.members.find(member_id);
    if (it != g.members.end()) m = &it->second;
    if (!m) e = error_code::unknown_member_id;
  } else {
    m = g.static_member(*instance_id);
    if (!m) e = error_code::unknown_member_id;
    else if (m->member_id != member_id) e = error_code::fenced_instance_id;
  }
  if (e == error_code::none && !m->uses_classic_protocol()) e = error_code::unknown_member_id;
  return e == error_code::none ? m : nullptr;
}

void group_coordinator::classic_sync_to_consumer_group(outbox& out, classic_group& holder,
                                                       const protocol::sync_group_request& r, sync_callback& done) {
  consumer_group& g = *holder.consumer;
  error_code e = error_code::none;
  const consumer_member* m = classic_member_of(g, r.member_id, r.group_instance_id, e);
  if (!m) return out.answer(std::move(done), sync_failure(e));
  if (r.generation_id != m->member_epoch) return out.answer(std::move(done), sync_failure(error_code::illegal_generation));
  const std::string& protocol_name = m->classic->supported_protocols.front().name;
  if ((r.protocol_type && *r.protocol_type != "consumer") || (r.protocol_name && *r.protocol_name != protocol_name))
    return out.answer(std::move(done), sync_failure(error_code::inconsistent_group_protocol));
  consumer_member& member = g.members.at(m->member_id);
  const int64_t now = now_ms_();
  // throwIfRebalanceInProgress (which arms the join timeout if absent).
  if (g.group_epoch > m->member_epoch && m->state != member_state::unrevoked_partitions) {
    if (!member.classic_join_deadline_ms) member.classic_join_deadline_ms = now + member.rebalance_timeout_ms;
    return out.answer(std::move(done), sync_failure(error_code::rebalance_in_progress));
  }
  member.classic_sync_deadline_ms.reset();
  member.session_deadline_ms = now + m->classic->session_timeout_ms;
  protocol::sync_group_response resp;
  resp.protocol_type = r.protocol_type;
  resp.protocol_name = r.protocol_name;
  resp.assignment = serialize_consumer_assignment(
      to_topic_names(g, m->assigned_partitions), consumer_protocol_version(m->classic->supported_protocols.front().metadata));
  out.answer(std::move(done), std::move(resp));
}

error_code group_coordinator::classic_heartbeat_to_consumer_group(classic_group& holder,
                                                                  const protocol::heartbeat_request& r) {
  consumer_group& g = *holder.consumer;
  error_code e = error_code::none;
  const consumer_member* found = classic_member_of(g, r.member_id, r.group_instance_id, e);
  if (!found) return e;
  if (r.generation_id != found->member_epoch) return error_code::illegal_generation;
  consumer_member& m = g.members.at(found->member_id);
  m.session_deadline_ms = now_ms_() + m.classic->session_timeout_ms;
  // The member rejoins when the group epoch moved, when it has partitions to
  // revoke, or when the partitions it waits for were released.
  bool waiting_on_unreleased = false;
  if (m.state == member_state::unreleased_partitions) {
    auto t = g.target_assignment.find(m.member_id);
    if (t != g.target_assignment.end())
      for (const auto& [topic, ps] : t->second)
        for (int32_t p : ps) {
          auto a = m.assigned_partitions.find(topic);
          if ((a == m.assigned_partitions.end() || !a->second.contains(p)) && g.current_partition_epoch(topic, p) != -1)
            waiting_on_unreleased = true;
        }
  }
  if (m.member_epoch < g.group_epoch || m.state == member_state::unrevoked_partitions ||
      (m.state == member_state::unreleased_partitions && !waiting_on_unreleased)) {
    if (!m.classic_join_deadline_ms) m.classic_join_deadline_ms = now_ms_() + m.rebalance_timeout_ms;
    return error_code::rebalance_in_progress;
  }
  return error_code::none;
}

void group_coordinator::classic_leave_consumer_group(outbox& out, classic_group& holder,
                                                     const std::vector<protocol::leave_group_request::MemberIdentity>& members,
                                                     protocol::leave_group_response& response) {
  consumer_group& g = *holder.consumer;
  std::vector<coordinator_record> records;
  for (const auto& identity : members) {
    auto& mr = response.members.emplace_back();
    mr.member_id = identity.member_id;
    mr.group_instance_id = identity.group_instance_id;
    const consumer_member* m = nullptr;
    if (!identity.group_instance_id) {
      auto it = g.members.find(identity.member_id);
      if (it != g.members.end()) m = &it->second;
    } else {
      m = g.static_member(*identity.group_instance_id);
      if (m && !identity.member_id.empty() && m->member_id != identity.member_id) {
        mr.error_code = code(error_code::fenced_instance_id);
        continue;
      }
    }
    if (!m || !m->uses_classic_protocol()) {
      mr.error_code = code(error_code::unknown_member_id);
      continue;
    }
    mr.member_id = m->member_id;
    const std::string leaving = m->member_id;  // fencing frees the member
    fence_consumer_member(g, leaving, records);
  }
  if (!records.empty()) write(out, g.group_id, std::move(records), [](outbox&, classic_group*, error_code) {});
}

}  // namespace samsa::broker::groups
