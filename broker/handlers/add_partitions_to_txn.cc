#include <map>
#include <memory>
#include <mutex>

#include "broker/broker_services.h"
#include "broker/cluster/metadata_image.h"
#include "broker/data/partition_directory.h"
#include "broker/handlers/txn_handlers.h"
#include "broker/handlers/txn_util.h"
#include "broker/txn/txn_coordinator.h"
#include "protocol/generated/add_partitions_to_txn.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using request_t = protocol::add_partitions_to_txn_request;
using response_t = protocol::add_partitions_to_txn_response;
using txn_t = request_t::AddPartitionsToTxnTransaction;
using result_t = response_t::AddPartitionsToTxnResult;
using partition_errors = std::vector<std::pair<txn::topic_partition_key, error_code>>;

// AddPartitionsToTxnResponse.resultForTransaction: partitions grouped by topic.
result_t result_for(const std::string& id, const partition_errors& errors) {
  result_t r;
  r.transactional_id = id;
  std::map<std::string, size_t> slot;
  for (const auto& [tp, e] : errors) {
    auto [it, fresh] = slot.try_emplace(tp.first, r.topic_results.size());
    if (fresh) r.topic_results.emplace_back().name = tp.first;
    auto& p = r.topic_results[it->second].results_by_partition.emplace_back();
    p.partition_index = tp.second;
    p.partition_error_code = static_cast<int16_t>(e);
  }
  return r;
}

partition_errors all(const std::vector<txn::topic_partition_key>& tps, error_code e) {
  partition_errors out;
  for (const auto& tp : tps) out.emplace_back(tp, e);
  return out;
}

// Collects one result per transaction; answers when the last arrives.
struct gather {
  std::mutex mu;
  request_context ctx;
  std::vector<std::optional<result_t>> results;
  size_t remaining;
  gather(request_context&& c, size_t n) : ctx(std::move(c)), results(n), remaining(n) {}
  void add(size_t i, result_t r) {
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      results[i] = std::move(r);
      last = --remaining == 0;
    }
    if (!last) return;
    response_t out;
    if (ctx.api_version() < 4) {
      out.results_by_topic_v3_and_below = std::move(results[0]->topic_results);
    } else {
      for (auto& x : results) out.results_by_transaction.push_back(std::move(*x));
    }
    ctx.respond(out);
  }
};

}  // namespace

void handle_add_partitions_to_txn(request_context&& ctx) {
  request_t request;
  if (!ctx.decode(request)) return;
  const int16_t version = ctx.api_version();
  std::vector<txn_t> transactions;
  if (version < 4) {
    txn_t t;
    t.transactional_id = request.v3_and_below_transactional_id;
    t.producer_id = request.v3_and_below_producer_id;
    t.producer_epoch = request.v3_and_below_producer_epoch;
    t.topics = request.v3_and_below_topics;
    transactions.push_back(std::move(t));
  } else {
    transactions = std::move(request.transactions);
  }
  if (transactions.empty()) {
    response_t out;
    return ctx.respond(out);
  }
  auto image = ctx.services().metadata->current();
  auto g = std::make_shared<gather>(std::move(ctx), transactions.size());
  for (size_t i = 0; i < transactions.size(); ++i) {
    const txn_t& t = transactions[i];
    std::vector<txn::topic_partition_key> known;
    partition_errors failed;
    for (const auto& topic : t.topics) {
      const topic_metadata* meta = image->find_topic(topic.name);
      for (int32_t p : topic.partitions) {
        if (meta && data::find_partition(*meta, p)) known.emplace_back(topic.name, p);
        else failed.emplace_back(txn::topic_partition_key{topic.name, p}, error_code::unknown_topic_or_partition);
      }
    }
    if (!failed.empty()) {
      // Any failed partition fails the whole transaction; the others were not attempted.
      for (const auto& tp : known) failed.emplace_back(tp, error_code::operation_not_attempted);
      g->add(i, result_for(t.transactional_id, failed));
      continue;
    }
    error_code owner = check_txn_coordinator(g->ctx, t.transactional_id);
    if (owner != error_code::none) {
      g->add(i, result_for(t.transactional_id, all(known, owner)));
      continue;
    }
    txn::txn_coordinator* c = txn_coordinator_of(g->ctx);
    if (t.verify_only) {
      g->add(i, result_for(t.transactional_id,
                           c->verify_partitions(t.transactional_id, t.producer_id, t.producer_epoch, known)));
      continue;
    }
    const std::string id = t.transactional_id;
    c->add_partitions(id, t.producer_id, t.producer_epoch, known, [g, i, id, known, version](error_code e) {
      g->add(i, result_for(id, all(known, fenced_for_version(e, version, 2))));
    });
  }
}

}  // namespace samsa::broker
