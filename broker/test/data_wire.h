#pragma once

// Request builders for data-path wire tests: one call sends a request with
// the bare wire client and reads its answer.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/test/wire_client.h"
#include "protocol/generated/fetch.h"
#include "protocol/generated/produce.h"

namespace samsa::broker::testing {

struct produce_part {
  std::string topic;
  int32_t partition = 0;
  std::optional<std::vector<uint8_t>> records;  // nullopt: null records
};

inline protocol::produce_request produce_request_of(const std::vector<produce_part>& parts, int16_t acks,
                                                    int32_t timeout_ms = 30000,
                                                    std::optional<std::string> transactional_id = std::nullopt) {
  protocol::produce_request req;
  req.acks = acks;
  req.timeout_ms = timeout_ms;
  req.transactional_id = std::move(transactional_id);
  for (const auto& p : parts) {
    protocol::produce_request::TopicProduceData* t = nullptr;
    for (auto& existing : req.topic_data)
      if (existing.name == p.topic) t = &existing;
    if (!t) {
      t = &req.topic_data.emplace_back();
      t->name = p.topic;
    }
    auto& pd = t->partition_data.emplace_back();
    pd.index = p.partition;
    if (p.records) pd.records = protocol::records::owned(*p.records);
  }
  return req;
}

// Sends one Produce and reads its response.
inline std::optional<protocol::produce_response> produce(wire_client& c, const std::vector<produce_part>& parts,
                                                          int16_t acks = 1, int16_t version = 9, int32_t correlation = 1,
                                                          std::optional<std::string> transactional_id = std::nullopt,
                                                          int32_t timeout_ms = 30000) {
  if (!c.send(version, correlation, produce_request_of(parts, acks, timeout_ms, std::move(transactional_id)))) {
    return std::nullopt;
  }
  return c.read_response<protocol::produce_response>(version, correlation, 10s);
}

inline std::optional<protocol::produce_response> produce_one(wire_client& c, const std::string& topic,
                                                              int32_t partition, std::vector<uint8_t> records,
                                                              int16_t acks = 1, int16_t version = 9) {
  return produce(c, {{topic, partition, std::move(records)}}, acks, version);
}

inline const protocol::produce_response::PartitionProduceResponse& only_partition(
    const protocol::produce_response& r) {
  return r.responses.at(0).partition_responses.at(0);
}

// A sessionless Fetch of one partition.
inline protocol::fetch_request fetch_request_of(const std::string& topic, uuid topic_id, int32_t partition,
                                                int64_t offset, int32_t max_wait_ms = 0, int32_t min_bytes = 1,
                                                int32_t partition_max_bytes = 1 << 20, int32_t max_bytes = 50 << 20) {
  protocol::fetch_request req;
  req.replica_id = -1;
  req.max_wait_ms = max_wait_ms;
  req.min_bytes = min_bytes;
  req.max_bytes = max_bytes;
  req.session_id = 0;
  req.session_epoch = -1;
  auto& t = req.topics.emplace_back();
  t.topic = topic;
  t.topic_id = topic_id;
  auto& p = t.partitions.emplace_back();
  p.partition = partition;
  p.fetch_offset = offset;
  p.partition_max_bytes = partition_max_bytes;
  return req;
}

// Reads a response whose records stay valid (they borrow the frame, which the
// decoded records keep alive).
template <typename Response>
std::optional<Response> read_owned_response(wire_client& c, int16_t version, int32_t correlation,
                                            std::chrono::milliseconds timeout = 10s) {
  auto frame = c.read_frame(timeout);
  if (!frame) return std::nullopt;
  auto owner = std::make_shared<const std::vector<uint8_t>>(std::move(*frame));
  protocol::reader r(*owner, owner);
  if (r.read_int32() != correlation) return std::nullopt;
  if (protocol::response_header_version(Response::api_key, version) >= 1) {
    uint32_t n = r.read_uvarint();
    for (uint32_t i = 0; i < n && r.ok(); ++i) {
      r.read_uvarint();
      r.read_span(r.read_uvarint());
    }
  }
  Response out;
  out.decode(r, version);
  if (!r.ok() || r.remaining() != 0) return std::nullopt;
  return out;
}

inline std::optional<protocol::fetch_response> fetch(wire_client& c, const protocol::fetch_request& req,
                                                      int16_t version = 12, int32_t correlation = 7,
                                                      std::chrono::milliseconds timeout = 10s) {
  if (!c.send(version, correlation, req)) return std::nullopt;
  return read_owned_response<protocol::fetch_response>(c, version, correlation, timeout);
}

inline const protocol::fetch_response::PartitionData& only_partition(const protocol::fetch_response& r) {
  return r.responses.at(0).partitions.at(0);
}

}  // namespace samsa::broker::testing
