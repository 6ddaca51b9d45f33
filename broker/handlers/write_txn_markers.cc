#include <map>
#include <memory>
#include <mutex>

#include "broker/broker_services.h"
#include "broker/handlers/txn_handlers.h"
#include "broker/txn/transaction_state_log.h"
#include "protocol/generated/write_txn_markers.h"

namespace samsa::broker {
namespace {

using protocol::error_code;
using response_t = protocol::write_txn_markers_response;

struct gather {
  std::mutex mu;
  request_context ctx;
  response_t response;
  size_t remaining;
  gather(request_context&& c, size_t n) : ctx(std::move(c)), remaining(n) {}
  void add(size_t i, int64_t pid, const std::vector<std::pair<txn::topic_partition_key, error_code>>& results) {
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      auto& m = response.markers[i];
      m.producer_id = pid;
      std::map<std::string, size_t> slot;
      for (const auto& [tp, e] : results) {
        auto [it, fresh] = slot.try_emplace(tp.first, m.topics.size());
        if (fresh) m.topics.emplace_back().name = tp.first;
        auto& p = m.topics[it->second].partitions.emplace_back();
        p.partition_index = tp.second;
        p.error_code = static_cast<int16_t>(e);
      }
      last = --remaining == 0;
    }
    if (last) ctx.respond(response);
  }
};

}  // namespace

// KafkaApis.handleWriteTxnMarkersRequest: every marker is appended to the
// local partition as a control batch (append origin coordinator) and answered
// once durable; unknown or unled partitions answer their lookup error.
void handle_write_txn_markers(request_context&& ctx) {
  protocol::write_txn_markers_request request;
  if (!ctx.decode(request)) return;
  if (request.markers.empty()) return ctx.respond(response_t{});
  broker_services& services = ctx.services();
  auto g = std::make_shared<gather>(std::move(ctx), request.markers.size());
  g->response.markers.resize(request.markers.size());
  auto writer = std::make_shared<txn::transaction_state_log>(services, services.groups);
  for (size_t i = 0; i < request.markers.size(); ++i) {
    const auto& m = request.markers[i];
    txn::marker_request mr;
    mr.producer_id = m.producer_id;
    mr.producer_epoch = m.producer_epoch;
    mr.coordinator_epoch = m.coordinator_epoch;
    mr.commit = m.transaction_result;
    for (const auto& t : m.topics)
      for (int32_t p : t.partition_indexes) mr.partitions.emplace_back(t.name, p);
    const int64_t pid = m.producer_id;
    writer->write_markers(std::move(mr), [g, i, pid, writer](auto results) { g->add(i, pid, results); });
  }
}

}  // namespace samsa::broker
