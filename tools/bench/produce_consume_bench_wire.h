#pragma once

// The broker's own produce and consume capacity, without a client library in
// the way: pre-built Produce requests (one 1 MiB batch of 1 KiB records each)
// pipelined over one connection, and Fetch requests read back to back. Used by
// produce_consume_bench to tell the broker's limits from librdkafka's.

#include <cstdint>
#include <string>

namespace samsa::bench {

struct wire_result {
  double mb_per_s = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;  // per request, send to answer (produce only)
  int64_t errors = 0;
  int64_t bytes = 0;  // record batch bytes moved
};

// Sends `bytes` of records to `partitions` partitions of `topic` (round robin,
// `in_flight` requests outstanding) with acks 1 or -1.
wire_result wire_produce(uint16_t port, const std::string& topic, int partitions, int16_t acks, int64_t bytes,
                         int in_flight);

// Reads every partition of `topic` from offset 0 until `bytes` of record
// batches came (what wire_produce reported); gives up after 10 empty rounds.
wire_result wire_fetch(uint16_t port, const std::string& topic, int partitions, int64_t bytes);

}  // namespace samsa::bench
