// Listing, describing and deleting groups; loading them from
// __consumer_offsets; shutdown. After Kafka's GroupMetadataManager
// (listGroups, describeGroups, replay) and GroupCoordinatorShard.deleteGroups.
#include <algorithm>
#include <cctype>

#include "broker/groups/group_coordinator.h"
#include "broker/groups/outbox.h"

namespace samsa::broker::groups {

using protocol::error_code;

namespace {
int16_t code(error_code e) { return static_cast<int16_t>(e); }
}  // namespace

std::vector<protocol::list_groups_response::ListedGroup> group_coordinator::list_groups(
    const std::set<std::string>& states_lower, const std::set<std::string>& types_lower) {
  std::vector<protocol::list_groups_response::ListedGroup> out;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return out;
  for (const auto& [id, g] : groups_) {
    if (g->in(group_state::dead)) continue;
    if (g->consumer) {  // a consumer group (KIP-848): type "consumer", protocol type "consumer"
      std::string cstate(consumer_state_name(g->consumer->state()));
      std::string lower_state = cstate;
      std::transform(lower_state.begin(), lower_state.end(), lower_state.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      if (!states_lower.empty() && !states_lower.contains(lower_state)) continue;
      if (!types_lower.empty() && !types_lower.contains("consumer")) continue;
      auto& l = out.emplace_back();
      l.group_id = id;
      l.protocol_type = "consumer";
      l.group_state = cstate;
      l.group_type = "consumer";
      continue;
    }
    std::string state(state_name(g->state));
    std::transform(state.begin(), state.end(), state.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!states_lower.empty() && !states_lower.contains(state)) continue;
    if (!types_lower.empty() && !types_lower.contains("classic")) continue;
    auto& l = out.emplace_back();
    l.group_id = id;
    l.protocol_type = g->protocol_type.value_or("");
    l.group_state = std::string(state_name(g->state));
    l.group_type = "classic";
  }
  return out;
}

protocol::describe_groups_response::DescribedGroup group_coordinator::describe_group(const std::string& group_id) {
  protocol::describe_groups_response::DescribedGroup d;
  d.group_id = group_id;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) {
    d.error_code = code(error_code::not_coordinator);
    return d;
  }
  const classic_group* g = find(group_id);
  // A consumer group is not a classic group: Kafka's DescribeGroups v0-5 answer
  // it as Dead, without an error.
  if (!g || g->in(group_state::dead) || g->consumer) {
    d.group_state = std::string(state_name(group_state::dead));
    return d;
  }
  d.group_state = std::string(state_name(g->state));
  d.protocol_type = g->protocol_type.value_or("");
  const bool stable = g->in(group_state::stable) && g->protocol_name;
  if (stable) d.protocol_data = *g->protocol_name;
  for (const auto& [id, m] : g->members) {
    auto& dm = d.members.emplace_back();
    dm.member_id = id;
    dm.group_instance_id = m.group_instance_id;
    dm.client_id = m.client_id;
    dm.client_host = m.client_host;
    if (stable) {
      if (const auto* md = m.metadata_for(*g->protocol_name)) dm.member_metadata = *md;
      dm.member_assignment = m.assignment;
    }
  }
  return d;
}

void group_coordinator::delete_groups(
    std::vector<std::string> group_ids,
    std::function<void(std::vector<protocol::delete_groups_response::DeletableGroupResult>)> done) {
  using result_t = protocol::delete_groups_response::DeletableGroupResult;
  struct state {
    std::mutex mu;
    std::vector<result_t> results;
    size_t remaining = 0;
    std::function<void(std::vector<result_t>)> done;
  };
  auto st = std::make_shared<state>();
  st->done = std::move(done);
  for (const auto& id : group_ids) st->results.emplace_back().group_id = id;
  st->remaining = group_ids.size() + 1;  // +1: released after the loop
  auto settle = [st](size_t i, error_code e) {
    std::function<void(std::vector<result_t>)> cb;
    {
      std::lock_guard<std::mutex> g(st->mu);
      if (i < st->results.size()) st->results[i].error_code = code(e);
      if (--st->remaining != 0) return;
      cb = std::move(st->done);
    }
    cb(std::move(st->results));
  };
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < group_ids.size(); ++i) {
      classic_group* g = stopped_ ? nullptr : find(group_ids[i]);
      error_code e = error_code::none;
      if (stopped_) e = error_code::not_coordinator;
      else if (!g || g->in(group_state::dead)) e = error_code::group_id_not_found;
      else if (g->consumer ? !g->consumer->empty() : !g->in(group_state::empty)) e = error_code::non_empty_group;
      if (e != error_code::none) {
        out.calls.push_back([settle, i, e] { settle(i, e); });
        continue;
      }
      // Tombstones for every offset, then for the group (createGroupTombstoneRecords).
      std::vector<coordinator_record> records;
      for (const auto& [key, v] : g->offsets) {
        coordinator_record r;
        r.key = encode_key(offset_commit_key{g->group_id, key.first, key.second});
        records.push_back(std::move(r));
      }
      if (g->consumer) {
        consumer_group_tombstones(*g->consumer, records);
      } else {
        coordinator_record r;
        r.key = encode_key(group_metadata_key{g->group_id});
        records.push_back(std::move(r));
      }
      write(out, g->group_id, std::move(records), [this, settle, i](outbox& o, classic_group* grp, error_code err) {
        if (err == error_code::none && grp && grp->in(group_state::empty) && (!grp->consumer || grp->consumer->empty())) {
          grp->transition_to(group_state::dead, wall_ms_());
          const std::string id = grp->group_id;
          groups_.erase(id);
        }
        const error_code mapped = err == error_code::none ? err
                                  : err == error_code::not_leader_or_follower || err == error_code::kafka_storage_error
                                      ? error_code::not_coordinator
                                      : error_code::coordinator_not_available;
        o.calls.push_back([settle, i, mapped] { settle(i, mapped); });
      });
    }
  }
  out.run();
  settle(SIZE_MAX, error_code::none);
}

void group_coordinator::replay(const record_key& key, std::optional<std::span<const uint8_t>> value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (const auto* k = std::get_if<offset_commit_key>(&key)) {
    if (!value) {
      if (classic_group* g = find(k->group)) {
        g->offsets.erase({k->topic, k->partition});
        if (g->offsets.empty() && !g->protocol_type && g->members.empty() && g->generation_id == 0 && !g->consumer)
          groups_.erase(k->group);
      }
      return;
    }
    auto v = decode_offset_commit_value(*value);
    if (!v) return;
    get_or_create(k->group).offsets[{k->topic, k->partition}] = committed_offset{
        v->offset, v->leader_epoch, v->metadata, v->commit_timestamp_ms, v->expire_timestamp_ms, next_record_sequence_++};
    return;
  }
  const auto& k = std::get<group_metadata_key>(key);
  if (!value) {
    classic_group* g = find(k.group);
    if (!g) return;
    if (g->offsets.empty() && !g->consumer) {
      groups_.erase(k.group);
      return;
    }
    auto offsets = std::move(g->offsets);
    auto consumer = std::move(g->consumer);
    auto fresh = std::make_unique<classic_group>(k.group, wall_ms_());
    fresh->offsets = std::move(offsets);
    fresh->consumer = std::move(consumer);
    groups_[k.group] = std::move(fresh);
    return;
  }
  auto v = decode_group_metadata_value(*value);
  if (!v) return;
  classic_group& g = get_or_create(k.group);
  g.members.clear();
  g.static_members.clear();
  g.num_awaiting_join = 0;
  g.protocol_type = v->protocol_type.empty() ? std::nullopt : std::optional<std::string>(v->protocol_type);
  g.generation_id = v->generation;
  g.protocol_name = v->protocol;
  g.leader_id = v->leader;
  if (v->current_state_timestamp_ms >= 0) g.state_timestamp_ms = v->current_state_timestamp_ms;
  for (auto& r : v->members) {
    classic_member m;
    m.member_id = r.member_id;
    m.group_instance_id = r.group_instance_id;
    m.client_id = r.client_id;
    m.client_host = r.client_host;
    m.rebalance_timeout_ms = r.rebalance_timeout_ms;
    m.session_timeout_ms = r.session_timeout_ms;
    m.protocol_type = v->protocol_type;
    if (v->protocol) m.protocols.push_back({*v->protocol, std::move(r.subscription)});
    m.assignment = std::move(r.assignment);
    if (m.group_instance_id) g.static_members[*m.group_instance_id] = m.member_id;
    g.members.emplace(m.member_id, std::move(m));
  }
  if (g.leader_id && !g.members.contains(*g.leader_id)) g.leader_id.reset();
}

void group_coordinator::loaded() {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now = now_ms_();
  for (auto& [id, g] : groups_) {
    g->state = g->members.empty() ? group_state::empty : group_state::stable;
    g->previous_state = group_state::empty;
    g->compute_subscribed_topics();
    for (auto& [mid, m] : g->members) m.heartbeat_deadline_ms = now + m.session_timeout_ms;
    if (g->consumer)  // Kafka's onLoaded: a fresh session for every consumer group member
      for (auto& [mid, m] : g->consumer->members)
        m.session_deadline_ms =
            now + (m.classic ? m.classic->session_timeout_ms : config_.consumer_session_timeout_ms);
  }
}

void group_coordinator::shutdown() {
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [id, g] : groups_) {
      for (auto& [mid, m] : g->members) {
        if (m.is_awaiting_join()) {
          protocol::join_group_response r;
          r.error_code = code(error_code::not_coordinator);
          r.member_id = mid;
          out.answer(std::move(m.awaiting_join), std::move(r));
        }
        if (m.is_awaiting_sync()) {
          protocol::sync_group_response r;
          r.error_code = code(error_code::not_coordinator);
          out.answer(std::move(m.awaiting_sync), std::move(r));
        }
      }
    }
  }
  out.run();
}

std::optional<group_state> group_coordinator::state_of(const std::string& group_id) {
  std::lock_guard<std::mutex> lock(mu_);
  const classic_group* g = find(group_id);
  if (!g) return std::nullopt;
  return g->state;
}

int32_t group_coordinator::generation_of(const std::string& group_id) {
  std::lock_guard<std::mutex> lock(mu_);
  const classic_group* g = find(group_id);
  return g ? g->generation_id : -1;
}

}  // namespace samsa::broker::groups
