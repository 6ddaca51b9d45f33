// Transactional offset commits, after Kafka's OffsetMetadataManager
// (commitTransactionalOffset, replayEndTransactionMarker) and
// ClassicGroup.validateOffsetCommit with isTransactional.
#include "broker/groups/append_errors.h"
#include "broker/groups/group_coordinator.h"
#include "broker/groups/outbox.h"

namespace samsa::broker::groups {

using protocol::error_code;

namespace {

int16_t code(error_code e) { return static_cast<int16_t>(e); }

// ClassicGroup.validateOffsetCommit(isTransactional = true): members are
// checked when named, an unnamed commit is allowed in any state.
error_code validate_txn_offset_commit(const classic_group& g, const std::string& member_id,
                                      const std::optional<std::string>& instance_id, int32_t generation) {
  if (g.in(group_state::dead)) return error_code::coordinator_not_available;
  if (generation < 0 && g.in(group_state::empty)) return error_code::none;
  if (generation >= 0 || !member_id.empty() || instance_id) {
    if (error_code e = g.validate_member(member_id, instance_id); e != error_code::none) return e;
    if (generation != g.generation_id) return error_code::illegal_generation;
  }
  return error_code::none;
}

}  // namespace

void group_coordinator::txn_commit_offsets(int16_t /*api_version*/, protocol::txn_offset_commit_request request,
                                           std::function<void(protocol::txn_offset_commit_response)> done) {
  using response_t = protocol::txn_offset_commit_response;
  auto response = std::make_shared<response_t>();
  for (const auto& t : request.topics) {
    auto& rt = response->topics.emplace_back();
    rt.name = t.name;
    for (const auto& p : t.partitions) rt.partitions.emplace_back().partition_index = p.partition_index;
  }
  auto fail_all = [&](error_code e) {
    for (auto& t : response->topics)
      for (auto& p : t.partitions) p.error_code = code(e);
  };
  outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    error_code e = error_code::none;
    classic_group* g = stopped_ ? nullptr : find(request.group_id);
    if (stopped_) {
      e = error_code::not_coordinator;
    } else if (!g) {
      if (request.generation_id < 0) g = &get_or_create(request.group_id);
      else e = error_code::illegal_generation;
    }
    if (g && e == error_code::none)
      e = validate_txn_offset_commit(*g, request.member_id, request.group_instance_id, request.generation_id);
    if (e != error_code::none) {
      fail_all(e);
      out.answer(std::move(done), *response);
    } else {
      commit_pending_txn_offsets(out, request, response, std::move(done));
    }
  }
  out.run();
}

void group_coordinator::commit_pending_txn_offsets(
    outbox& out, const protocol::txn_offset_commit_request& request,
    std::shared_ptr<protocol::txn_offset_commit_response> response,
    std::function<void(protocol::txn_offset_commit_response)> done) {
  using response_t = protocol::txn_offset_commit_response;
  {
    const int64_t now = wall_ms_();
    std::vector<coordinator_record> records;
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
        committed_offset v{p.committed_offset, p.committed_leader_epoch, metadata, now, std::nullopt};
        coordinator_record r;
        r.key = encode_key(offset_commit_key{request.group_id, t.name, p.partition_index});
        r.value = encode_value(offset_commit_value{v.offset, v.leader_epoch, v.metadata, v.commit_timestamp_ms,
                                                   std::nullopt});
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
      const int64_t pid = request.producer_id;
      write(
          out, group_id, std::move(records),
          [this, response, written, cb, group_id, pid](outbox& o, classic_group*, error_code err) {
            if (err != error_code::none) {
              for (const auto& w : *written)
                response->topics[w.t].partitions[w.p].error_code = code(offset_commit_append_error(err));
            } else if (!stopped_) {
              auto& slot = pending_txn_offsets_[pid][group_id];
              for (const auto& w : *written) slot[w.key] = w.value;
            }
            o.answer(std::move(*cb), *response);
          },
          std::make_pair(request.producer_id, request.producer_epoch));
    }
  }
}

void group_coordinator::complete_transaction(int64_t producer_id, bool commit, int32_t partition) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pending_txn_offsets_.find(producer_id);
  if (it == pending_txn_offsets_.end()) return;
  auto& by_group = it->second;
  for (auto g = by_group.begin(); g != by_group.end();) {
    if (partition_for(g->first) != partition) {
      ++g;
      continue;
    }
    if (commit) {
      // OffsetMetadataManager.replayEndTransactionMarker: the most recent
      // record wins, so a plain OffsetCommit written after the transactional
      // one keeps its offset.
      classic_group& target = get_or_create(g->first);
      for (auto& [tp, v] : g->second) {
        auto existing = target.offsets.find(tp);
        if (existing == target.offsets.end() || v.record_sequence > existing->second.record_sequence)
          target.offsets[tp] = std::move(v);
      }
    }
    g = by_group.erase(g);
  }
  if (by_group.empty()) pending_txn_offsets_.erase(it);
}

void group_coordinator::replay_transactional(int64_t producer_id, int32_t /*partition*/, const record_key& key,
                                             std::optional<std::span<const uint8_t>> value) {
  const auto* k = std::get_if<offset_commit_key>(&key);
  if (!k || !value) return;  // Kafka's transactional batches hold offset commits only
  auto v = decode_offset_commit_value(*value);
  if (!v) return;
  std::lock_guard<std::mutex> lock(mu_);
  pending_txn_offsets_[producer_id][k->group][{k->topic, k->partition}] = committed_offset{
      v->offset, v->leader_epoch, v->metadata, v->commit_timestamp_ms, v->expire_timestamp_ms, next_record_sequence_++};
}

}  // namespace samsa::broker::groups
