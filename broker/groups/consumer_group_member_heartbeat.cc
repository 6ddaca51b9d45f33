// A regular ConsumerGroupHeartbeat (member epoch >= 0), after Kafka's
// GroupMetadataManager.consumerGroupHeartbeat: (1) create or update the
// member, bumping the group epoch when its subscription or the subscribed
// topics' metadata changed; (2) recompute the target assignment when the
// group epoch moved past it; (3) reconcile the member towards its target.
// Every check comes before the first change.
#include <algorithm>

#include "broker/groups/assignors.h"
#include "broker/groups/group_coordinator.h"
#include "broker/groups/heartbeat_result.h"
#include "broker/groups/outbox.h"
#include "broker/groups/reconciliation.h"
#include "broker/groups/topic_regex.h"

namespace samsa::broker::groups {

using protocol::error_code;
using hb_request = protocol::consumer_group_heartbeat_request;
using hb_response = protocol::consumer_group_heartbeat_response;


namespace {

int16_t code(error_code e) { return static_cast<int16_t>(e); }

coordinator_record record(consumer_record_type type, const std::string& group, const std::string& member,
                          std::optional<std::vector<uint8_t>> value) {
  coordinator_record r;
  r.key = encode_consumer_key({type, group, member, {}});
  r.value = std::move(value);
  return r;
}

owned_partitions owned_of(const hb_request& r) {
  if (!r.topic_partitions) return std::nullopt;
  topic_assignment a;
  for (const auto& t : *r.topic_partitions) a[t.topic_id].insert(t.partitions.begin(), t.partitions.end());
  return a;
}

bool is_subset(const owned_partitions& owned, const topic_assignment& of) {
  if (!owned) return false;
  for (const auto& [t, ps] : *owned) {
    auto it = of.find(t);
    for (int32_t p : ps)
      if (it == of.end() || !it->second.contains(p)) return false;
  }
  return true;
}

// GroupMetadataManager.throwIfConsumerGroupMemberEpochIsInvalid.
std::optional<std::string> member_epoch_error(const consumer_member& m, int32_t received, const owned_partitions& owned) {
  if (received > m.member_epoch)
    return "The consumer group member has a greater member epoch (" + std::to_string(received) +
           ") than the one known by the group coordinator (" + std::to_string(m.member_epoch) +
           "). The member must abandon all its partitions and rejoin.";
  if (received < m.member_epoch && (received != m.previous_member_epoch || !is_subset(owned, m.assigned_partitions)))
    return "The consumer group member has a smaller member epoch (" + std::to_string(received) +
           ") than the one known by the group coordinator (" + std::to_string(m.member_epoch) +
           "). The member must abandon all its partitions and rejoin.";
  return std::nullopt;
}

hb_response::Assignment response_assignment(const topic_assignment& a) {
  hb_response::Assignment out;
  for (const auto& [t, ps] : a) {
    auto& tp = out.topic_partitions.emplace_back();
    tp.topic_id = t;
    tp.partitions.assign(ps.begin(), ps.end());
  }
  return out;
}

// The member a heartbeat speaks for, or the error Kafka's
// getOrMaybeSubscribe{Dynamic,Static}ConsumerGroupMember would throw.
struct member_lookup {
  std::optional<std::pair<error_code, std::string>> error;
  consumer_member member;  // the member before this heartbeat (empty when new)
  bool known = false;
  std::optional<std::string> replaced_static;  // the member id a rejoining static member replaces
};

member_lookup find_heartbeat_member(const consumer_group& g, const hb_request& r, const std::string& member_id,
                                    const owned_partitions& owned) {
  member_lookup out;
  auto fail = [&](error_code e, std::string message) {
    out.error.emplace(e, std::move(message));
    return out;
  };
  const bool joining = r.member_epoch == 0;
  out.member.member_id = member_id;
  if (!r.instance_id) {
    auto it = g.members.find(member_id);
    if (it == g.members.end()) {
      if (!joining)
        return fail(error_code::unknown_member_id,
                    "Member " + member_id + " is not a member of group " + r.group_id + ".");
      return out;
    }
    if (auto e = member_epoch_error(it->second, r.member_epoch, owned)) return fail(error_code::fenced_member_epoch, *e);
    out.member = it->second;
    out.known = true;
    return out;
  }
  const consumer_member* s = g.static_member(*r.instance_id);
  if (joining) {
    if (!s) return out;
    if (s->member_epoch != leave_group_static_member_epoch)
      return fail(error_code::unreleased_instance_id,
                  "Static member " + member_id + " with instance id " + *r.instance_id +
                      " cannot join the group because the instance id is owned by " + s->member_id + " member.");
    out.member = *s;
    if (s->member_id == member_id) {
      out.known = true;
      return out;
    }
    // The new member takes the previous one's place, assignment included.
    out.member.member_id = member_id;
    out.member.member_epoch = 0;
    out.member.previous_member_epoch = 0;
    out.replaced_static = s->member_id;
    return out;
  }
  if (!s) return fail(error_code::unknown_member_id, "Instance id " + *r.instance_id + " is unknown.");
  if (s->member_id != member_id)
    return fail(error_code::fenced_instance_id, "Static member " + member_id + " with instance id " + *r.instance_id +
                                                    " was fenced by member " + s->member_id + ".");
  if (auto e = member_epoch_error(*s, r.member_epoch, owned)) return fail(error_code::fenced_member_epoch, *e);
  out.member = *s;
  out.known = true;
  return out;
}

}  // namespace

std::string preferred_consumer_assignor(const consumer_group& g, const std::vector<std::string>& configured) {
  std::map<std::string, int> votes;
  for (const auto& [id, m] : g.members)
    if (m.server_assignor) ++votes[*m.server_assignor];
  std::string best = configured.empty() ? "uniform" : configured.front();
  int most = 0;
  for (const auto& [name, n] : votes)
    if (n > most) {
      best = name;
      most = n;
    }
  return best;
}

group_coordinator::heartbeat_result group_coordinator::consumer_heartbeat_locked(outbox& out,
                                                                                const heartbeat_origin& origin,
                                                                                const hb_request& r) {
  heartbeat_result res;
  auto fail = [&](error_code e, std::string message) {
    res.response.error_code = code(e);
    res.response.error_message = std::move(message);
    return res;
  };
  const bool joining = r.member_epoch == 0;
  const owned_partitions owned = owned_of(r);

  // ---- checks (nothing changes before the last of them) ----
  classic_group* holder = find(r.group_id);
  bool from_empty_classic = false;
  std::optional<consumer_group> upgraded;
  if (!holder && !joining) return fail(error_code::group_id_not_found, "Consumer group " + r.group_id + " not found.");
  if (holder && !holder->consumer) {
    // An empty classic group becomes a consumer group (its tombstone); one
    // with members is converted online when the policy allows it
    // (getOrMaybeCreateConsumerGroup).
    const bool empty = holder->members.empty() && holder->pending_join_members.empty() && holder->in(group_state::empty);
    if (joining && empty) {
      from_empty_classic = true;
    } else if (joining && online_upgrade_allowed(*holder)) {
      upgraded = converted_classic_group(*holder);
      if (!upgraded)
        return fail(error_code::group_id_not_found, "Cannot upgrade the classic group " + r.group_id +
                                                        " to consumer group because the embedded consumer protocol is malformed.");
    } else {
      return fail(error_code::group_id_not_found, "Group " + r.group_id + " is not a consumer group");
    }
  }
  static const consumer_group no_group("");
  const consumer_group& g0 = upgraded ? *upgraded : holder && holder->consumer ? *holder->consumer : no_group;
  if (static_cast<int64_t>(g0.members.size()) >= config_.consumer_max_size &&
      (r.member_id.empty() || !g0.members.contains(r.member_id)))
    return fail(error_code::group_max_size_reached, "The consumer group has reached its maximum capacity of " +
                                                        std::to_string(config_.consumer_max_size) + " members.");
  // v0: the coordinator names the member, as Kafka's Uuid.randomUuid().toString() (22 base64 characters).
  std::string member_id = r.member_id;
  if (member_id.empty()) {
    uuid u;
    for (size_t i = 0; i < 16; i += 8) {
      const uint64_t v = random_();
      for (size_t j = 0; j < 8; ++j) u.bytes[i + j] = static_cast<uint8_t>(v >> (8 * j));
    }
    member_id = u.to_base64();
  }
  auto found = find_heartbeat_member(g0, r, member_id, owned);
  if (found.error) return fail(found.error->first, found.error->second);
  // A regular expression nobody in the group uses yet must compile
  // (GroupMetadataManager.throwIfRegularExpressionIsInvalid).
  if (has_regex(r.subscribed_topic_regex) && r.subscribed_topic_regex != found.member.subscribed_topic_regex &&
      g0.num_subscribed_members(*r.subscribed_topic_regex) == 0)
    if (auto message = invalid_topic_regex_message(*r.subscribed_topic_regex))
      return fail(error_code::invalid_regular_expression, *message);
  consumer_member& member = found.member;
  bool known = found.known;
  const std::optional<std::string>& replaced_static = found.replaced_static;

  // ---- 1. create or update the member ----
  const int64_t now = now_ms_();
  if (!holder) holder = &get_or_create(r.group_id);
  if (from_empty_classic) {
    // Kafka deletes the empty classic group (its GroupMetadata tombstone); the offsets stay.
    coordinator_record tomb;
    tomb.key = encode_key(group_metadata_key{r.group_id});
    res.records.push_back(std::move(tomb));
    holder->protocol_type.reset();
    holder->protocol_name.reset();
    holder->leader_id.reset();
    holder->generation_id = 0;
  }
  if (upgraded) {
    convert_to_consumer_group(out, *holder, std::move(*upgraded), res.records);
  }
  if (!holder->consumer) holder->consumer = std::make_unique<consumer_group>(r.group_id);
  consumer_group& g = *holder->consumer;
  if (replaced_static) {
    // replaceMember: the old member's records go, the new one's come with its target and assignment.
    topic_assignment target = g.target_assignment[*replaced_static];
    res.records.push_back(
        record(consumer_record_type::current_member_assignment, g.group_id, *replaced_static, std::nullopt));
    res.records.push_back(
        record(consumer_record_type::target_assignment_member, g.group_id, *replaced_static, std::nullopt));
    res.records.push_back(record(consumer_record_type::member_metadata, g.group_id, *replaced_static, std::nullopt));
    g.remove_member(*replaced_static);
    g.target_assignment.erase(*replaced_static);
    g.put_member(member);
    g.target_assignment[member_id] = target;
    res.records.push_back(record(consumer_record_type::member_metadata, g.group_id, member_id,
                                 encode_member_metadata_value(member)));
    res.records.push_back(record(consumer_record_type::target_assignment_member, g.group_id, member_id,
                                 encode_target_member_value(target)));
    res.records.push_back(record(consumer_record_type::current_member_assignment, g.group_id, member_id,
                                 encode_current_assignment_value(member)));
    known = true;
  }
  consumer_member updated = member;
  if (r.instance_id) updated.instance_id = r.instance_id;
  if (r.rack_id) updated.rack_id = r.rack_id;
  if (r.rebalance_timeout_ms != -1) updated.rebalance_timeout_ms = r.rebalance_timeout_ms;
  if (r.server_assignor) updated.server_assignor = r.server_assignor;
  if (r.subscribed_topic_names) {
    updated.subscribed_topic_names = *r.subscribed_topic_names;
    std::sort(updated.subscribed_topic_names.begin(), updated.subscribed_topic_names.end());
  }
  if (r.subscribed_topic_regex) updated.subscribed_topic_regex = r.subscribed_topic_regex;
  updated.client_id = origin.client_id;
  updated.client_host = origin.client_host;

  bool bump = g.group_epoch == 0;
  if (!known || !updated.same_metadata(member)) {
    res.records.push_back(record(consumer_record_type::member_metadata, g.group_id, member_id,
                                 encode_member_metadata_value(updated)));
    if (updated.subscribed_topic_names != member.subscribed_topic_names) bump = true;
  }
  bump |= maybe_update_regexes(g, known ? &member : nullptr, updated, res.records);
  // The subscribed topics as the metadata image has them now.
  std::map<std::string, subscribed_topic> meta;
  for (const auto& [name, n] : g.subscribed_topic_names(known ? &member : nullptr, &updated))
    if (topic_lookup_)
      if (auto t = topic_lookup_(name)) meta[name] = subscribed_topic{t->id, t->num_partitions};
  if (meta != g.subscription_metadata) {
    bump = true;
    g.subscription_metadata = meta;
    res.records.push_back(
        record(consumer_record_type::partition_metadata, g.group_id, "", encode_partition_metadata_value(meta)));
  }
  if (bump) {
    g.group_epoch += 1;
    res.records.push_back(
        record(consumer_record_type::group_metadata, g.group_id, "", encode_group_epoch_value(g.group_epoch)));
  }
  if (known) {
    consumer_member& stored = g.members.at(member_id);
    consumer_member next = updated;
    next.member_epoch = stored.member_epoch;
    next.previous_member_epoch = stored.previous_member_epoch;
    next.state = stored.state;
    next.assigned_partitions = stored.assigned_partitions;
    next.partitions_pending_revocation = stored.partitions_pending_revocation;
    next.session_deadline_ms = stored.session_deadline_ms;
    next.rebalance_deadline_ms = stored.rebalance_deadline_ms;
    next.rebalance_deadline_epoch = stored.rebalance_deadline_epoch;
    g.put_member(std::move(next));
  } else {
    g.put_member(updated);
  }

  // ---- 2. the target assignment ----
  if (g.group_epoch > g.assignment_epoch) update_target_assignment(g, res.records);

  // ---- 3. reconcile ----
  consumer_member& current = g.members.at(member_id);
  const topic_assignment before = current.assigned_partitions;
  reconcile_member(g, current, owned, now, res.records);
  current.session_deadline_ms = now + config_.consumer_session_timeout_ms;

  res.response.member_id = member_id;
  res.response.member_epoch = current.member_epoch;
  res.response.heartbeat_interval_ms = config_.consumer_heartbeat_interval_ms;
  const bool full_request = joining || (r.rebalance_timeout_ms != -1 && r.subscribed_topic_names && r.topic_partitions);
  if (full_request || before != current.assigned_partitions)
    res.response.assignment = response_assignment(current.assigned_partitions);
  return res;
}

// TargetAssignmentBuilder: runs the group's assignor over its members and
// subscribed topics; writes the members whose target changed, then the epoch.
void group_coordinator::update_target_assignment(consumer_group& g, std::vector<coordinator_record>& records) {
  assignment_input in;
  std::map<std::string, uuid> ids;
  for (const auto& [name, t] : g.subscription_metadata) {
    in.topic_partitions[t.id] = t.num_partitions;
    ids[name] = t.id;
  }
  for (const auto& [mid, m] : g.members) {
    auto& am = in.members[mid];
    for (const auto& name : g.member_topics(m))
      if (auto it = ids.find(name); it != ids.end()) am.subscribed_topic_ids.insert(it->second);
    if (auto t = g.target_assignment.find(mid); t != g.target_assignment.end()) am.current_target = t->second;
  }
  auto target = run_assignor(preferred_consumer_assignor(g, config_.consumer_assignors), in);
  for (auto& [mid, a] : target) {
    auto it = g.target_assignment.find(mid);
    if (it != g.target_assignment.end() && it->second == a) continue;
    records.push_back(
        record(consumer_record_type::target_assignment_member, g.group_id, mid, encode_target_member_value(a)));
    g.target_assignment[mid] = a;
  }
  g.assignment_epoch = g.group_epoch;
  records.push_back(record(consumer_record_type::target_assignment_metadata, g.group_id, "",
                           encode_assignment_epoch_value(g.assignment_epoch)));
}

// GroupMetadataManager.maybeReconcile: one step towards the target; the
// revocation deadline runs while the member has partitions to give up.
void group_coordinator::reconcile_member(consumer_group& g, consumer_member& current, const owned_partitions& owned,
                                         int64_t now, std::vector<coordinator_record>& records) {
  consumer_member next = reconcile(
      current, g.assignment_epoch, g.target_assignment[current.member_id],
      [&g](const uuid& t, int32_t p) { return g.current_partition_epoch(t, p); }, owned);
  if (next.same_assignment(current)) return;
  g.set_member_assignment(current, next);
  records.push_back(record(consumer_record_type::current_member_assignment, g.group_id, current.member_id,
                           encode_current_assignment_value(current)));
  // Classic members have no revocation timer (Kafka's join and sync timers instead).
  if (current.state == member_state::unrevoked_partitions && !current.uses_classic_protocol()) {
    current.rebalance_deadline_ms = now + current.rebalance_timeout_ms;
    current.rebalance_deadline_epoch = current.member_epoch;
  } else {
    current.rebalance_deadline_ms.reset();
  }
}

}  // namespace samsa::broker::groups
