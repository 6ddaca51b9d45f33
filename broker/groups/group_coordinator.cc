// The classic rebalance protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup
// and their timers, after Kafka's GroupMetadataManager (classicGroup*).
#include "broker/groups/group_coordinator.h"

#include <algorithm>
#include <cstdio>

#include "broker/groups/append_errors.h"
#include "broker/groups/coordinator_partition.h"
#include "broker/groups/outbox.h"

namespace samsa::broker::groups {

using protocol::error_code;
using join_response = protocol::join_group_response;
using sync_response = protocol::sync_group_response;

namespace {

int16_t code(error_code e) { return static_cast<int16_t>(e); }

join_response join_error(error_code e, std::string member_id) {
  join_response r;
  r.error_code = code(e);
  r.member_id = std::move(member_id);
  r.protocol_name.reset();  // JoinGroupResponse's default (null; "" before v7, set by the handler)
  return r;
}

sync_response sync_error(error_code e) {
  sync_response r;
  r.error_code = code(e);
  return r;
}

std::vector<member_protocol> protocols_of(const protocol::join_group_request& r) {
  std::vector<member_protocol> out;
  for (const auto& p : r.protocols) out.push_back({p.name, p.metadata});
  return out;
}

}  // namespace

group_coordinator::group_coordinator(coordinator_config config, group_log& log, clock_fn now_ms, uint64_t seed,
                                     clock_fn wall_ms)
    : config_(config),
      log_(log),
      now_ms_(std::move(now_ms)),
      wall_ms_(wall_ms ? std::move(wall_ms) : now_ms_),
      random_(seed) {}

group_coordinator::~group_coordinator() { shutdown(); }

int32_t group_coordinator::partition_for(const std::string& group_id) const {
  return coordinator_partition_for(group_id, config_.offsets_topic_partitions);
}

classic_group* group_coordinator::find(const std::string& id) {
  auto it = groups_.find(id);
  return it == groups_.end() ? nullptr : it->second.get();
}

classic_group& group_coordinator::get_or_create(const std::string& id) {
  auto& slot = groups_[id];
  if (!slot) slot = std::make_unique<classic_group>(id, wall_ms_());
  return *slot;
}

std::string group_coordinator::new_member_id(const std::string& prefix) {
  // Java's UUID.randomUUID().toString(): version 4, variant 2.
  uint64_t hi = random_(), lo = random_();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return prefix + "-" + buf;
}

join_response group_coordinator::current_generation_response(const classic_group& g, const std::string& member_id,
                                                             bool with_members) const {
  join_response r;
  if (with_members) r.members = g.current_members();
  r.member_id = member_id;
  r.generation_id = g.generation_id;
  r.protocol_name = g.protocol_name;
  r.protocol_type = g.protocol_type;
  r.leader = g.leader_id.value_or("");
  r.skip_assignment = false;
  return r;
}

void group_coordinator::reschedule_heartbeat(classic_member& m, int64_t timeout_ms) {
  m.heartbeat_deadline_ms = now_ms_() + timeout_ms;
}

// ---- JoinGroup -------------------------------------------------------------

namespace {

// GroupMetadataManager.acceptJoiningMember.
bool accept_joining_member(const classic_group& g, const std::string& member_id, int32_t max_size) {
  switch (g.state) {
    case group_state::empty:
    case group_state::dead: return true;
    case group_state::preparing_rebalance: {
      auto it = g.members.find(member_id);
      return (it != g.members.end() && it->second.is_awaiting_join()) || g.num_awaiting_join < max_size;
    }
    case group_state::completing_rebalance:
    case group_state::stable: return g.has_member(member_id) || static_cast<int64_t>(g.members.size()) < max_size;
  }
  return false;
}

}  // namespace

void group_coordinator::join_group(const join_origin& origin, protocol::join_group_request request,
                                   join_callback done) {
  outbox out;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (stopped_) {
      out.answer(std::move(done), join_error(error_code::not_coordinator, request.member_id));
    } else {
      const bool unknown_member = request.member_id.empty();
      classic_group* group = find(request.group_id);
      // A consumer group (KIP-848) with members takes the classic member
      // (classicGroupJoinToConsumerGroup); an empty one becomes classic.
      if (group && group->consumer && !group->consumer->empty()) {
        classic_join_to_consumer_group(out, *group, origin, request, done);
      } else if (group && group->consumer && !join_consumer_group_allowed(out, *group)) {
        out.answer(std::move(done), join_error(error_code::inconsistent_group_protocol, request.member_id));
      } else if (!group && !unknown_member) {
        out.answer(std::move(done), join_error(error_code::unknown_member_id, request.member_id));
      } else {
        const bool created = !group;
        if (!group) group = &get_or_create(request.group_id);
        if (!accept_joining_member(*group, request.member_id, config_.max_size)) {
          group->remove(request.member_id);
          out.answer(std::move(done), join_error(error_code::group_max_size_reached, ""));
        } else if (unknown_member) {
          join_new_member(out, *group, origin, request, done);
        } else {
          join_existing_member(out, *group, origin, request, done);
        }
        // Kafka commits a new group with an empty GroupMetadata record
        // (newEmptyGroupMetadataRecord): it survives a restart as an Empty group.
        if (created) {
          std::vector<coordinator_record> records(1);
          records[0].key = encode_key(group_metadata_key{request.group_id});
          group_metadata_value empty;
          empty.current_state_timestamp_ms = group->state_timestamp_ms;
          records[0].value = encode_value(empty);
          write(out, request.group_id, std::move(records), [](outbox&, classic_group*, error_code) {});
        }
      }
    }
  }
  out.run();
}

void group_coordinator::join_new_member(outbox& out, classic_group& g, const join_origin& origin,
                                        protocol::join_group_request& r, join_callback& done) {
  if (g.in(group_state::dead)) return out.answer(std::move(done), join_error(error_code::coordinator_not_available, ""));
  const auto protocols = protocols_of(r);
  if (!g.supports_protocols(r.protocol_type, protocols)) {
    return out.answer(std::move(done), join_error(error_code::inconsistent_group_protocol, ""));
  }
  const std::string id = new_member_id(r.group_instance_id ? *r.group_instance_id : origin.client_id);
  if (r.group_instance_id) {
    auto existing = g.static_members.find(*r.group_instance_id);
    if (existing == g.static_members.end()) return add_member_and_rebalance(out, g, origin, r, id, done);
    // A known static member with a new member id: Kafka's
    // updateStaticMemberThenRebalanceOrCompleteJoin.
    const std::string old_id = existing->second;
    const std::string leader_before = g.leader_id.value_or("");
    auto node = g.members.extract(old_id);
    classic_member m = std::move(node.mapped());
    if (m.is_awaiting_join()) {
      --g.num_awaiting_join;
      out.answer(std::move(m.awaiting_join), join_error(error_code::fenced_instance_id, old_id));
      m.awaiting_join = nullptr;
    }
    if (m.is_awaiting_sync()) {
      out.answer(std::move(m.awaiting_sync), sync_error(error_code::fenced_instance_id));
      m.awaiting_sync = nullptr;
    }
    m.member_id = id;
    if (g.is_leader(old_id)) g.leader_id = id;
    g.static_members[*r.group_instance_id] = id;
    if (g.pending_sync_members.erase(old_id)) g.pending_sync_members.insert(id);
    classic_member& nm = g.members.emplace(id, std::move(m)).first->second;
    reschedule_heartbeat(nm, nm.session_timeout_ms);
    nm.protocols = protocols;
    nm.rebalance_timeout_ms = r.rebalance_timeout_ms;
    nm.session_timeout_ms = r.session_timeout_ms;
    if (g.in(group_state::stable) && g.protocol_name && *g.protocol_name == g.select_protocol()) {
      // Same protocol: persist the new member id and hand back the current generation.
      const bool leader = g.is_leader(id);
      const bool skip = origin.api_version >= 9;
      join_response answer = current_generation_response(g, id, skip && leader);
      answer.skip_assignment = skip && leader;
      // Before v9 Kafka names the leader as it was before the replacement, so a
      // returning leader does not assign again (it cannot skip the assignment).
      if (!skip) answer.leader = leader_before;
      auto cb = std::make_shared<join_callback>(std::move(done));
      write_group_metadata(out, g, nullptr, [cb, answer, id](outbox& o, classic_group*, error_code e) mutable {
        if (e != error_code::none) {
          o.answer(std::move(*cb), join_error(group_metadata_append_error(e), ""));
        } else {
          o.answer(std::move(*cb), std::move(answer));
        }
      });
      return;
    }
    g.set_awaiting_join(nm, std::move(done));
    if (g.in(group_state::stable)) return maybe_prepare_rebalance_or_complete_join(out, g);
    if (g.in(group_state::completing_rebalance)) return prepare_rebalance(out, g);
    return maybe_complete_join_phase(out, g);
  }
  if (origin.api_version >= 4) {
    // KIP-394: the member must come back with the id it is given.
    g.pending_join_members[id] = now_ms_() + r.session_timeout_ms;
    return out.answer(std::move(done), join_error(error_code::member_id_required, id));
  }
  add_member_and_rebalance(out, g, origin, r, id, done);
}

void group_coordinator::join_existing_member(outbox& out, classic_group& g, const join_origin& origin,
                                             protocol::join_group_request& r, join_callback& done) {
  const std::string& id = r.member_id;
  if (g.in(group_state::dead)) return out.answer(std::move(done), join_error(error_code::coordinator_not_available, id));
  if (!g.supports_protocols(r.protocol_type, protocols_of(r))) {
    return out.answer(std::move(done), join_error(error_code::inconsistent_group_protocol, id));
  }
  if (g.is_pending_member(id)) {
    return add_member_and_rebalance(out, g, origin, r, id, done);
  }
  if (error_code e = g.validate_member(id, r.group_instance_id); e != error_code::none) {
    join_response resp = join_error(e, id);
    resp.protocol_type.reset();
    resp.protocol_name.reset();
    return out.answer(std::move(done), std::move(resp));
  }
  classic_member& m = g.members.at(id);
  switch (g.state) {
    case group_state::preparing_rebalance: return update_member_and_rebalance(out, g, m, r, done);
    case group_state::completing_rebalance:
      if (m.matches(protocols_of(r))) {
        return out.answer(std::move(done), current_generation_response(g, id, g.is_leader(id)));
      }
      return update_member_and_rebalance(out, g, m, r, done);
    case group_state::stable:
      if (g.is_leader(id) || !m.matches(protocols_of(r))) return update_member_and_rebalance(out, g, m, r, done);
      return out.answer(std::move(done), current_generation_response(g, id, false));
    default: return out.answer(std::move(done), join_error(error_code::unknown_member_id, id));
  }
}

void group_coordinator::add_member_and_rebalance(outbox& out, classic_group& g, const join_origin& origin,
                                                 protocol::join_group_request& r, const std::string& member_id,
                                                 join_callback& done) {
  classic_member m;
  m.member_id = member_id;
  m.group_instance_id = r.group_instance_id;
  m.client_id = origin.client_id;
  m.client_host = origin.client_host;
  m.rebalance_timeout_ms = r.rebalance_timeout_ms;
  m.session_timeout_ms = r.session_timeout_ms;
  m.protocol_type = r.protocol_type;
  m.protocols = protocols_of(r);
  m.is_new = true;
  // The initial rebalance may be delayed further.
  if (g.in(group_state::preparing_rebalance) && g.previous_state == group_state::empty) g.new_member_added = true;
  g.add(std::move(m), std::move(done));
  // New members cannot heartbeat yet: their JoinGroup times out instead.
  reschedule_heartbeat(g.members.at(member_id), config_.new_member_join_timeout_ms);
  maybe_prepare_rebalance_or_complete_join(out, g);
}

void group_coordinator::update_member_and_rebalance(outbox& out, classic_group& g, classic_member& m,
                                                    protocol::join_group_request& r, join_callback& done) {
  m.protocols = protocols_of(r);
  m.rebalance_timeout_ms = r.rebalance_timeout_ms;
  m.session_timeout_ms = r.session_timeout_ms;
  g.set_awaiting_join(m, std::move(done));
  maybe_prepare_rebalance_or_complete_join(out, g);
}

void group_coordinator::maybe_prepare_rebalance_or_complete_join(outbox& out, classic_group& g) {
  if (g.can_rebalance()) return prepare_rebalance(out, g);
  maybe_complete_join_phase(out, g);
}

void group_coordinator::prepare_rebalance(outbox& out, classic_group& g) {
  if (g.in(group_state::completing_rebalance)) {
    reset_and_propagate_assignment_with_error(out, g, error_code::rebalance_in_progress);
  }
  g.pending_sync_members.clear();
  g.sync_deadline.reset();
  const bool initial = g.in(group_state::empty);
  const int64_t now = now_ms_();
  if (initial) {
    // A new group: give members more time to join.
    join_timer t;
    t.initial = true;
    t.delay_ms = config_.initial_rebalance_delay_ms;
    t.remaining_ms = std::max(g.rebalance_timeout_ms() - config_.initial_rebalance_delay_ms, 0);
    t.deadline_ms = now + t.delay_ms;
    g.join_deadline = t;
  }
  g.transition_to(group_state::preparing_rebalance, wall_ms_());
  if (initial) return;
  if (g.has_all_members_joined()) return complete_join(out, g);
  join_timer t;
  t.deadline_ms = now + g.rebalance_timeout_ms();
  g.join_deadline = t;
}

void group_coordinator::maybe_complete_join_phase(outbox& out, classic_group& g) {
  if (!g.in(group_state::preparing_rebalance)) return;
  if (g.previous_state == group_state::empty) return;  // the initial rebalance waits for its delay
  if (!g.has_all_members_joined()) return;
  complete_join(out, g);
}

void group_coordinator::complete_join(outbox& out, classic_group& g) {
  g.join_deadline.reset();
  std::vector<std::string> not_rejoined;
  for (const auto& [id, m] : g.members)
    if (!m.is_awaiting_join() && !m.is_static()) not_rejoined.push_back(id);
  for (const auto& id : not_rejoined) g.remove(id);

  if (g.in(group_state::dead)) return;
  const int64_t now = now_ms_();
  if (!g.maybe_elect_new_joined_leader() && !g.members.empty()) {
    // Nobody rejoined: wait for sessions to expire the silent members.
    join_timer t;
    t.deadline_ms = now + g.rebalance_timeout_ms();
    g.join_deadline = t;
    return;
  }
  // ClassicGroup.initNextGeneration.
  ++g.generation_id;
  if (!g.members.empty()) {
    g.protocol_name = g.select_protocol();
    g.compute_subscribed_topics();
    g.transition_to(group_state::completing_rebalance, wall_ms_());
  } else {
    g.protocol_name.reset();
    g.compute_subscribed_topics();
    g.transition_to(group_state::empty, wall_ms_());
  }
  g.pending_sync_members.clear();

  if (g.in(group_state::empty)) {
    // A failure only means the previous generation comes back after a restart.
    write_group_metadata(out, g, nullptr, [](outbox&, classic_group*, error_code) {});
    return;
  }
  for (auto& [id, m] : g.members) {
    join_response r = current_generation_response(g, id, g.is_leader(id));
    join_callback cb = g.take_awaiting_join(m);
    out.answer(std::move(cb), std::move(r));
    reschedule_heartbeat(m, m.session_timeout_ms);
    m.is_new = false;
    g.pending_sync_members.insert(id);
  }
  g.sync_deadline = sync_timer{now + g.rebalance_timeout_ms(), g.generation_id};
}

void group_coordinator::reset_and_propagate_assignment_with_error(outbox& out, classic_group& g, error_code e) {
  for (auto& [id, m] : g.members) m.assignment.clear();
  propagate_assignment(out, g, e);
}

void group_coordinator::propagate_assignment(outbox& out, classic_group& g, error_code e) {
  for (auto& [id, m] : g.members) {
    if (!m.is_awaiting_sync()) continue;
    sync_response r;
    r.error_code = code(e);
    if (e == error_code::none) {
      r.protocol_type = g.protocol_type;
      r.protocol_name = g.protocol_name;
    }
    r.assignment = m.assignment;
    sync_callback cb = std::move(m.awaiting_sync);
    m.awaiting_sync = nullptr;
    out.answer(std::move(cb), std::move(r));
    // Expirations ignored while the member waited are re-armed here.
    reschedule_heartbeat(m, m.session_timeout_ms);
  }
}

// ---- SyncGroup -------------------------------------------------------------

namespace {

bool inconsistent(const std::optional<std::string>& requested, const std::optional<std::string>& group) {
  return requested && group && *requested != *group;
}

}  // namespace

void group_coordinator::sync_group(protocol::sync_group_request request, sync_callback done) {
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    classic_group* found = stopped_ ? nullptr : find(request.group_id);
    if (stopped_) {
      out.answer(std::move(done), sync_error(error_code::not_coordinator));
    } else if (found && found->consumer && !found->consumer->empty()) {
      classic_sync_to_consumer_group(out, *found, request, done);
    } else if (!found || found->in(group_state::empty)) {
      out.answer(std::move(done), sync_error(error_code::unknown_member_id));
    } else {
      classic_group& g = *found;
      error_code e = error_code::none;
      if (g.in(group_state::dead)) e = error_code::coordinator_not_available;
      else if ((e = g.validate_member(request.member_id, request.group_instance_id)) != error_code::none) {
      } else if (request.generation_id != g.generation_id) e = error_code::illegal_generation;
      else if (inconsistent(request.protocol_type, g.protocol_type) ||
               inconsistent(request.protocol_name, g.protocol_name))
        e = error_code::inconsistent_group_protocol;
      if (e != error_code::none) {
        out.answer(std::move(done), sync_error(e));
      } else if (g.in(group_state::preparing_rebalance)) {
        out.answer(std::move(done), sync_error(error_code::rebalance_in_progress));
      } else if (g.in(group_state::completing_rebalance)) {
        classic_member& m = g.members.at(request.member_id);
        m.awaiting_sync = std::move(done);
        g.pending_sync_members.erase(request.member_id);
        if (g.pending_sync_members.empty()) g.sync_deadline.reset();
        if (g.is_leader(request.member_id)) {
          auto assignment = std::make_shared<std::map<std::string, std::vector<uint8_t>>>();
          for (auto& a : request.assignments) (*assignment)[a.member_id] = std::move(a.assignment);
          for (const auto& [id, member] : g.members) assignment->try_emplace(id);
          const int32_t generation = g.generation_id;
          write_group_metadata(out, g, assignment.get(),
                               [this, assignment, generation](outbox& o, classic_group* grp, error_code err) {
                                 // Another member may have joined meanwhile.
                                 if (!grp || !grp->in(group_state::completing_rebalance) ||
                                     grp->generation_id != generation)
                                   return;
                                 if (err != error_code::none) {
                                   reset_and_propagate_assignment_with_error(o, *grp,
                                                                             group_metadata_append_error(err));
                                   maybe_prepare_rebalance_or_complete_join(o, *grp);
                                   return;
                                 }
                                 for (auto& [id, member] : grp->members) {
                                   auto it = assignment->find(id);
                                   member.assignment = it == assignment->end() ? std::vector<uint8_t>{} : it->second;
                                 }
                                 propagate_assignment(o, *grp, error_code::none);
                                 grp->transition_to(group_state::stable, wall_ms_());
                               });
        }
      } else if (g.in(group_state::stable)) {
        g.pending_sync_members.erase(request.member_id);
        if (g.pending_sync_members.empty()) g.sync_deadline.reset();
        sync_response r;
        r.protocol_type = g.protocol_type;
        r.protocol_name = g.protocol_name;
        r.assignment = g.members.at(request.member_id).assignment;
        out.answer(std::move(done), std::move(r));
      }
    }
  }
  out.run();
}

// ---- Heartbeat and LeaveGroup ----------------------------------------------------

error_code group_coordinator::heartbeat(const protocol::heartbeat_request& request) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return error_code::not_coordinator;
  classic_group* g = find(request.group_id);
  if (!g) return error_code::unknown_member_id;
  if (g->consumer) return classic_heartbeat_to_consumer_group(*g, request);
  if (g->in(group_state::dead)) return error_code::coordinator_not_available;
  if (error_code e = g->validate_member(request.member_id, request.group_instance_id); e != error_code::none) return e;
  if (request.generation_id != g->generation_id) return error_code::illegal_generation;
  classic_member& m = g->members.at(request.member_id);
  switch (g->state) {
    case group_state::preparing_rebalance:
      reschedule_heartbeat(m, m.session_timeout_ms);
      return error_code::rebalance_in_progress;
    case group_state::completing_rebalance:
    case group_state::stable: reschedule_heartbeat(m, m.session_timeout_ms); return error_code::none;
    default: return error_code::unknown_member_id;
  }
}

protocol::leave_group_response group_coordinator::leave_group(
    const std::vector<protocol::leave_group_request::MemberIdentity>& members, const std::string& group_id) {
  protocol::leave_group_response response;
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    classic_group* g = stopped_ ? nullptr : find(group_id);
    if (stopped_) {
      response.error_code = code(error_code::not_coordinator);
    } else if (!g) {
      // GroupCoordinatorService.leaveGroup: an unknown group answers every member UNKNOWN_MEMBER_ID.
      for (const auto& identity : members) {
        auto& r = response.members.emplace_back();
        r.member_id = identity.member_id;
        r.group_instance_id = identity.group_instance_id;
        r.error_code = code(error_code::unknown_member_id);
      }
    } else if (g->consumer) {
      classic_leave_consumer_group(out, *g, members, response);
    } else if (g->in(group_state::dead)) {
      response.error_code = code(error_code::coordinator_not_available);
    } else {
      bool any_left = false;
      for (const auto& identity : members) {
        protocol::leave_group_response::MemberResponse r;
        r.member_id = identity.member_id;
        r.group_instance_id = identity.group_instance_id;
        std::optional<std::string> to_remove;
        if (identity.member_id.empty()) {
          auto it = identity.group_instance_id ? g->static_members.find(*identity.group_instance_id)
                                               : g->static_members.end();
          if (it != g->static_members.end()) to_remove = it->second;
          else r.error_code = code(error_code::unknown_member_id);
        } else if (g->is_pending_member(identity.member_id)) {
          g->remove(identity.member_id);
        } else if (error_code e = g->validate_member(identity.member_id, identity.group_instance_id);
                   e != error_code::none) {
          r.error_code = code(e);
        } else {
          to_remove = identity.member_id;
        }
        if (to_remove) {
          classic_member& m = g->members.at(*to_remove);
          if (m.is_awaiting_join()) {
            join_callback cb = g->take_awaiting_join(m);
            out.answer(std::move(cb), join_error(error_code::unknown_member_id, ""));
          }
          if (m.is_awaiting_sync()) out.answer(std::move(m.awaiting_sync), sync_error(error_code::unknown_member_id));
          g->remove(*to_remove);
        }
        if (r.error_code == 0) any_left = true;
        response.members.push_back(std::move(r));
      }
      if (any_left) {
        if (g->in(group_state::stable) || g->in(group_state::completing_rebalance)) {
          maybe_prepare_rebalance_or_complete_join(out, *g);
        } else if (g->in(group_state::preparing_rebalance)) {
          maybe_complete_join_phase(out, *g);
        }
      }
    }
  }
  out.run();
  return response;
}

// ---- timers -------------------------------------------------------------------------

void group_coordinator::remove_member_and_update(outbox& out, classic_group& g, const std::string& member_id) {
  classic_member& m = g.members.at(member_id);
  if (m.is_awaiting_join()) {
    join_callback cb = g.take_awaiting_join(m);
    out.answer(std::move(cb), join_error(error_code::unknown_member_id, ""));
  }
  if (m.is_awaiting_sync()) out.answer(std::move(m.awaiting_sync), sync_error(error_code::unknown_member_id));
  g.remove(member_id);
  if (g.in(group_state::stable) || g.in(group_state::completing_rebalance)) {
    maybe_prepare_rebalance_or_complete_join(out, g);
  } else if (g.in(group_state::preparing_rebalance) && g.has_all_members_joined()) {
    complete_join(out, g);
  }
}

void group_coordinator::expire_timers(outbox& out, classic_group& g, int64_t now) {
  // Pending members (MEMBER_ID_REQUIRED) that never came back.
  std::vector<std::string> expired;
  for (const auto& [id, deadline] : g.pending_join_members)
    if (deadline <= now) expired.push_back(id);
  for (const auto& id : expired) {
    g.remove(id);
    if (g.in(group_state::preparing_rebalance) && g.has_all_members_joined()) complete_join(out, g);
  }
  // Sessions (GroupMetadataManager.expireClassicGroupMemberHeartbeat).
  expired.clear();
  for (auto& [id, m] : g.members) {
    if (m.heartbeat_deadline_ms && *m.heartbeat_deadline_ms <= now) {
      m.heartbeat_deadline_ms.reset();
      if (!m.has_satisfied_heartbeat()) expired.push_back(id);
    }
  }
  for (const auto& id : expired)
    if (g.has_member(id)) remove_member_and_update(out, g, id);
  // The join phase; a rescheduled initial delay may be due within this tick too.
  while (g.join_deadline && g.join_deadline->deadline_ms <= now) {
    join_timer t = *g.join_deadline;
    g.join_deadline.reset();
    if (t.initial && g.new_member_added && t.remaining_ms != 0) {
      // tryCompleteInitialRebalanceElseSchedule: a member arrived, wait more.
      g.new_member_added = false;
      join_timer next;
      next.initial = true;
      next.delay_ms = std::min(config_.initial_rebalance_delay_ms, t.remaining_ms);
      next.remaining_ms = std::max(t.remaining_ms - t.delay_ms, 0);
      next.deadline_ms = t.deadline_ms + next.delay_ms;
      g.join_deadline = next;
    } else if (g.in(group_state::preparing_rebalance)) {
      complete_join(out, g);
    }
  }
  // The sync phase (expirePendingSync).
  if (g.sync_deadline && g.sync_deadline->deadline_ms <= now) {
    sync_timer t = *g.sync_deadline;
    g.sync_deadline.reset();
    if (t.generation_id == g.generation_id &&
        (g.in(group_state::completing_rebalance) || g.in(group_state::stable)) && !g.pending_sync_members.empty()) {
      std::vector<std::string> silent(g.pending_sync_members.begin(), g.pending_sync_members.end());
      for (const auto& id : silent) {
        if (!g.has_member(id)) continue;
        classic_member& m = g.members.at(id);
        if (m.is_awaiting_sync()) out.answer(std::move(m.awaiting_sync), sync_error(error_code::unknown_member_id));
        g.remove(id);
      }
      prepare_rebalance(out, g);
    }
  }
}

void group_coordinator::tick(int64_t now_ms) {
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopped_) {
      for (auto& [id, g] : groups_) expire_timers(out, *g, now_ms);
      expire_consumer_timers(out, now_ms);
      if (!next_offsets_cleanup_ms_) next_offsets_cleanup_ms_ = now_ms + config_.offsets_retention_check_interval_ms;
      if (*next_offsets_cleanup_ms_ <= now_ms) {
        next_offsets_cleanup_ms_ = now_ms + config_.offsets_retention_check_interval_ms;
        expire_offsets(out);
      }
    }
  }
  out.run();
}

}  // namespace samsa::broker::groups
