// Committed offsets and the records behind them, after Kafka's
// OffsetMetadataManager (commitOffset, fetchOffsets, fetchAllOffsets,
// deleteOffsets) and ClassicGroup.validateOffsetCommit.
#include <algorithm>
#include <thread>

#include "broker/groups/append_errors.h"
#include "broker/groups/group_coordinator.h"
#include "broker/groups/outbox.h"

namespace samsa::broker::groups {

using protocol::error_code;

namespace {

int16_t code(error_code e) { return static_cast<int16_t>(e); }

// ClassicGroup.validateOffsetCommit (not transactional).
error_code validate_offset_commit(const classic_group& g, const std::string& member_id,
                                  const std::optional<std::string>& instance_id, int32_t generation) {
  if (g.in(group_state::dead)) return error_code::coordinator_not_available;
  if (generation < 0 && g.in(group_state::empty)) return error_code::none;  // admin or simple consumer
  if (generation >= 0 || !member_id.empty() || instance_id) {
    if (error_code e = g.validate_member(member_id, instance_id); e != error_code::none) return e;
    if (generation != g.generation_id) return error_code::illegal_generation;
  } else if (!g.in(group_state::empty)) {
    return error_code::unknown_member_id;
  }
  if (g.in(group_state::completing_rebalance)) return error_code::rebalance_in_progress;
  return error_code::none;
}

}  // namespace

group_metadata_value group_coordinator::metadata_value(
    const classic_group& g, const std::map<std::string, std::vector<uint8_t>>* assignment) const {
  group_metadata_value v;
  v.protocol_type = g.protocol_type.value_or("");
  v.generation = g.generation_id;
  v.protocol = g.protocol_name;
  v.leader = g.leader_id;
  v.current_state_timestamp_ms = g.state_timestamp_ms;
  for (const auto& [id, m] : g.members) {
    group_member_record r;
    r.member_id = id;
    r.group_instance_id = m.group_instance_id;
    r.client_id = m.client_id;
    r.client_host = m.client_host;
    r.rebalance_timeout_ms = m.rebalance_timeout_ms;
    r.session_timeout_ms = m.session_timeout_ms;
    if (g.protocol_name)
      if (const auto* md = m.metadata_for(*g.protocol_name)) r.subscription = *md;
    if (assignment) {
      auto it = assignment->find(id);
      if (it != assignment->end()) r.assignment = it->second;
    } else {
      r.assignment = m.assignment;
    }
    v.members.push_back(std::move(r));
  }
  return v;
}

void group_coordinator::write(outbox& out, const std::string& group_id, std::vector<coordinator_record> records,
                              after_write after, std::optional<std::pair<int64_t, int16_t>> txn) {
  auto shared_after = std::make_shared<after_write>(std::move(after));
  // A log may complete `done` inside append() (a closed log): then the result
  // is taken here, under the mutex this thread already holds.
  struct inline_result {
    bool inside = true;
    std::optional<error_code> result;
  };
  auto slot = std::make_shared<inline_result>();
  const auto caller = std::this_thread::get_id();
  auto on_done = [this, group_id, shared_after, slot, caller](error_code r) {
                               if (std::this_thread::get_id() == caller && slot->inside) {
                                 slot->result = r;
                                 return;
                               }
                               outbox o;
                               {
                                 std::lock_guard<std::mutex> lock(mu_);
                                 (*shared_after)(o, stopped_ ? nullptr : find(group_id),
                                                 stopped_ ? error_code::not_coordinator : r);
                               }
                               o.run();
                             };
  error_code e = txn ? log_.append_transactional(partition_for(group_id), txn->first, txn->second, std::move(records),
                                                 std::move(on_done))
                     : log_.append(partition_for(group_id), std::move(records), std::move(on_done));
  slot->inside = false;
  if (e != error_code::none) return (*shared_after)(out, find(group_id), e);
  if (slot->result) (*shared_after)(out, find(group_id), *slot->result);
}

void group_coordinator::write_group_metadata(outbox& out, classic_group& g,
                                             const std::map<std::string, std::vector<uint8_t>>* assignment,
                                             after_write after) {
  std::vector<coordinator_record> records(1);
  records[0].key = encode_key(group_metadata_key{g.group_id});
  records[0].value = encode_value(metadata_value(g, assignment));
  write(out, g.group_id, std::move(records), std::move(after));
}

void group_coordinator::commit_offsets(int16_t api_version, protocol::offset_commit_request request,
                                       std::function<void(protocol::offset_commit_response)> done) {
  using response_t = protocol::offset_commit_response;
  auto response = std::make_shared<response_t>();
  for (const auto& t : request.topics) {
    auto& rt = response->topics.emplace_back();
    rt.name = t.name;
    for (const auto& p : t.partitions) rt.partitions.emplace_back().partition_index = p.partition_index;
  }
  auto fail_all = [&](error_code e) {
    for (auto& t : response->topics)
      for (auto& p : t.partitions)
        if (p.error_code == 0) p.error_code = code(e);
  };
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    error_code e = error_code::none;
    classic_group* g = stopped_ ? nullptr : find(request.group_id);
    if (stopped_) {
      e = error_code::not_coordinator;
    } else if (!g) {
      if (request.generation_id_or_member_epoch < 0) {
        g = &get_or_create(request.group_id);  // a "simple" group
      } else {
        e = api_version >= 9 ? error_code::group_id_not_found : error_code::illegal_generation;
      }
    }
    if (g && e == error_code::none)
      e = g->consumer  // a consumer group (KIP-848): ConsumerGroup.validateOffsetCommit
              ? g->consumer->validate_offset_commit(request.member_id, request.generation_id_or_member_epoch,
                                                    api_version)
              : validate_offset_commit(*g, request.member_id, request.group_instance_id,
                                       request.generation_id_or_member_epoch);
    if (e != error_code::none) {
      fail_all(e);
      out.answer(std::move(done), *response);
    } else {
      const int64_t now = wall_ms_();  // commit timestamps are wall-clock epoch ms
      std::vector<coordinator_record> records;
      // (topic slot, partition slot, key, value) of what is written.
      struct pending {
        size_t t, p;
        topic_partition_key key;
        committed_offset value;
      };
      auto written = std::make_shared<std::vector<pending>>();
      for (size_t ti = 0; ti < request.topics.size(); ++ti) {
        const auto& t = request.topics[ti];
        for (size_t pi = 0; pi < t.partitions.size(); ++pi) {
          const auto& p = t.partitions[pi];
          const std::string metadata = p.committed_metadata.value_or("");
          if (static_cast<int64_t>(metadata.size()) > config_.offset_metadata_max_bytes) {
            response->topics[ti].partitions[pi].error_code = code(error_code::offset_metadata_too_large);
            continue;
          }
          committed_offset v;
          v.offset = p.committed_offset;
          v.leader_epoch = p.committed_leader_epoch;
          v.metadata = metadata;
          v.commit_timestamp_ms = now;
          if (api_version >= 2 && api_version <= 4 && request.retention_time_ms != -1) {
            // Saturating: a client may ask for any retention (Java's sum would wrap).
            int64_t expire = 0;
            if (__builtin_add_overflow(now, request.retention_time_ms, &expire))
              expire = request.retention_time_ms > 0 ? INT64_MAX : INT64_MIN;
            v.expire_timestamp_ms = expire;
          }
          coordinator_record r;
          r.key = encode_key(offset_commit_key{request.group_id, t.name, p.partition_index});
          r.value = encode_value(offset_commit_value{v.offset, v.leader_epoch, v.metadata, v.commit_timestamp_ms,
                                                     v.expire_timestamp_ms});
          records.push_back(std::move(r));
          v.record_sequence = next_record_sequence_++;
          written->push_back({ti, pi, {t.name, p.partition_index}, std::move(v)});
        }
      }
      if (records.empty()) {
        out.answer(std::move(done), *response);
      } else {
        auto cb = std::make_shared<std::function<void(response_t)>>(std::move(done));
        const std::string group_id = request.group_id;
        write(out, group_id, std::move(records),
              [this, response, written, cb, group_id](outbox& o, classic_group* grp, error_code err) {
                if (err != error_code::none) {
                  for (const auto& w : *written)
                    response->topics[w.t].partitions[w.p].error_code = code(offset_commit_append_error(err));
                } else if (!stopped_) {
                  // Durable: now visible (Invariant 2). A group deleted meanwhile comes back, as on replay.
                  classic_group& target = grp ? *grp : get_or_create(group_id);
                  for (const auto& w : *written) target.offsets[w.key] = w.value;
                }
                o.answer(std::move(*cb), *response);
              });
      }
    }
  }
  out.run();
}

fetched_group group_coordinator::fetch_offsets(
    const std::string& group_id,
    const std::optional<std::vector<std::pair<std::string, std::vector<int32_t>>>>& topics, bool require_stable) {
  fetched_group out;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) {
    out.error = error_code::not_coordinator;
    return out;
  }
  // OffsetMetadataManager.hasPendingTransactionalOffsets.
  auto pending = [&](const topic_partition_key& tp) {
    if (!require_stable) return false;
    for (const auto& [pid, by_group] : pending_txn_offsets_) {
      auto it = by_group.find(group_id);
      if (it != by_group.end() && it->second.contains(tp)) return true;
    }
    return false;
  };
  const classic_group* g = find(group_id);
  if (!topics) {
    if (!g) return out;
    for (const auto& [key, v] : g->offsets) {
      if (out.topics.empty() || out.topics.back().name != key.first) out.topics.push_back({key.first, {}});
      if (pending(key)) out.topics.back().partitions.push_back({key.second, -1, -1, "", error_code::unstable_offset_commit});
      else out.topics.back().partitions.push_back({key.second, v.offset, v.leader_epoch, v.metadata, error_code::none});
    }
    return out;
  }
  for (const auto& [name, partitions] : *topics) {
    fetched_topic t{name, {}};
    for (int32_t p : partitions) {
      fetched_offset f;
      f.partition = p;
      if (pending({name, p})) {
        f.error = error_code::unstable_offset_commit;
      } else if (g) {
        auto it = g->offsets.find({name, p});
        if (it != g->offsets.end()) {
          f.offset = it->second.offset;
          f.leader_epoch = it->second.leader_epoch;
          f.metadata = it->second.metadata;
        }
      }
      t.partitions.push_back(std::move(f));
    }
    out.topics.push_back(std::move(t));
  }
  return out;
}

void group_coordinator::delete_offsets(protocol::offset_delete_request request,
                                       std::function<void(protocol::offset_delete_response)> done) {
  using response_t = protocol::offset_delete_response;
  auto response = std::make_shared<response_t>();
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    classic_group* g = stopped_ ? nullptr : find(request.group_id);
    error_code e = error_code::none;
    if (stopped_) e = error_code::not_coordinator;
    else if (!g || g->in(group_state::dead)) e = error_code::group_id_not_found;
    else if (!g->in(group_state::empty) && !g->uses_consumer_protocol()) e = error_code::non_empty_group;
    if (e != error_code::none) {
      response->error_code = code(e);
      out.answer(std::move(done), *response);
    } else {
      std::vector<coordinator_record> records;
      auto deleted = std::make_shared<std::vector<topic_partition_key>>();
      for (const auto& t : request.topics) {
        auto& rt = response->topics.emplace_back();
        rt.name = t.name;
        const bool subscribed = g->consumer ? g->consumer->is_subscribed_to_topic(t.name)
                                            : !g->in(group_state::empty) && g->is_subscribed_to_topic(t.name);
        for (const auto& p : t.partitions) {
          auto& rp = rt.partitions.emplace_back();
          rp.partition_index = p.partition_index;
          if (subscribed) {
            rp.error_code = code(error_code::group_subscribed_to_topic);
          } else if (g->offsets.contains({t.name, p.partition_index})) {
            coordinator_record r;
            r.key = encode_key(offset_commit_key{request.group_id, t.name, p.partition_index});
            records.push_back(std::move(r));
            deleted->emplace_back(t.name, p.partition_index);
          }
        }
      }
      if (records.empty()) {
        out.answer(std::move(done), *response);
      } else {
        auto cb = std::make_shared<std::function<void(response_t)>>(std::move(done));
        write(out, request.group_id, std::move(records),
              [response, deleted, cb](outbox& o, classic_group* grp, error_code err) {
                if (err != error_code::none) {
                  response->error_code = code(offset_commit_append_error(err));
                  response->topics.clear();
                } else if (grp) {
                  for (const auto& k : *deleted) grp->offsets.erase(k);
                }
                o.answer(std::move(*cb), *response);
              });
      }
    }
  }
  out.run();
}

void group_coordinator::expire_offsets(outbox& out) {
  const int64_t now = wall_ms_();
  std::vector<std::string> ids;
  for (const auto& [id, g] : groups_) ids.push_back(id);
  for (const auto& id : ids) {
    classic_group& g = *groups_.at(id);
    // ClassicGroup.offsetExpirationCondition: from when the group became
    // Empty; for a Stable consumer group only topics it no longer subscribes
    // to, from their commit; for a group without a protocol (simple
    // consumers, admin commits), from the commit.
    enum class base { none, state_change, commit } from = base::none;
    bool skip_subscribed = false;
    if (g.consumer) {  // ConsumerGroup: from the commit, except topics the members subscribe to
      from = base::commit;
    } else if (g.protocol_type) {
      if (g.in(group_state::empty)) {
        from = base::state_change;
      } else if (g.uses_consumer_protocol() && g.subscribed_topics && g.in(group_state::stable)) {
        from = base::commit;
        skip_subscribed = true;
      }
    } else if (g.in(group_state::empty)) {
      from = base::commit;
    }
    if (from == base::none) continue;
    auto expired = std::make_shared<std::vector<std::pair<topic_partition_key, int64_t>>>();
    for (const auto& [key, v] : g.offsets) {
      if (skip_subscribed && g.subscribed_topics->contains(key.first)) continue;
      if (g.consumer && g.consumer->is_subscribed_to_topic(key.first)) continue;
      const int64_t base_ms = from == base::state_change ? g.state_timestamp_ms : v.commit_timestamp_ms;
      const bool is_expired = v.expire_timestamp_ms ? now >= *v.expire_timestamp_ms
                                                    : now - base_ms >= config_.offsets_retention_ms;
      if (is_expired) expired->emplace_back(key, v.commit_timestamp_ms);
    }
    const bool delete_group = g.in(group_state::empty) && !g.consumer && expired->size() == g.offsets.size();
    if (expired->empty() && !delete_group) continue;
    std::vector<coordinator_record> records;
    for (const auto& [key, ts] : *expired) {
      coordinator_record r;
      r.key = encode_key(offset_commit_key{id, key.first, key.second});
      records.push_back(std::move(r));
    }
    if (delete_group) {
      coordinator_record r;
      r.key = encode_key(group_metadata_key{id});
      records.push_back(std::move(r));
    }
    write(out, id, std::move(records), [this, expired, delete_group](outbox&, classic_group* grp, error_code err) {
      if (err != error_code::none || !grp) return;
      for (const auto& [key, ts] : *expired) {
        auto it = grp->offsets.find(key);
        // An offset committed again meanwhile stays.
        if (it != grp->offsets.end() && it->second.commit_timestamp_ms == ts) grp->offsets.erase(it);
      }
      if (delete_group && grp->in(group_state::empty) && grp->offsets.empty() && grp->members.empty()) {
        const std::string gone = grp->group_id;
        groups_.erase(gone);
      }
    });
  }
}

}  // namespace samsa::broker::groups
