// Codec cost against memory bandwidth, measured in the same run:
//  - a Produce request carrying 1 MiB of record batches, decoded and encoded
//    again, against memcpy of the same bytes;
//  - a Metadata response for 10,000 partitions, encoded.
// tools/bench/protocol_bench.sh runs this and prints the ratios.

#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

#include "protocol/generated/metadata.h"
#include "protocol/generated/produce.h"
#include "protocol/headers.h"

namespace samsa::protocol {
namespace {

constexpr int16_t produce_version = 9;
constexpr int16_t metadata_version = 12;

// 16 partitions of 64 KiB batches: 1 MiB of records.
std::vector<uint8_t> produce_request_bytes() {
  static std::vector<uint8_t> batches(1 << 20);
  std::mt19937_64 rng(1);
  for (auto& b : batches) b = static_cast<uint8_t>(rng());
  produce_request req;
  req.acks = -1;
  req.timeout_ms = 30000;
  auto& topic = req.topic_data.emplace_back();
  topic.name = "bench-topic";
  for (int p = 0; p < 16; ++p) {
    auto& part = topic.partition_data.emplace_back();
    part.index = p;
    part.records = records::borrowed(std::span<const uint8_t>(batches.data() + p * 65536, 65536));
  }
  encoded_message m;
  {
    writer w(m, req.encoded_size(produce_version));
    req.encode(w, produce_version);
  }
  return m.flatten();
}

void BM_MemcpyOfProduceRequest(benchmark::State& state) {
  auto bytes = produce_request_bytes();
  std::vector<uint8_t> dst(bytes.size());
  for (auto _ : state) {
    std::memcpy(dst.data(), bytes.data(), bytes.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_MemcpyOfProduceRequest);

void BM_ProduceRequestDecode(benchmark::State& state) {
  auto bytes = produce_request_bytes();
  for (auto _ : state) {
    produce_request req;
    reader r(bytes);
    req.decode(r, produce_version);
    benchmark::DoNotOptimize(req);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ProduceRequestDecode);

void BM_ProduceRequestDecodeAndEncode(benchmark::State& state) {
  auto bytes = produce_request_bytes();
  encoded_message out;
  for (auto _ : state) {
    produce_request req;
    reader r(bytes);
    req.decode(r, produce_version);
    out.bytes.clear();
    writer w(out, req.encoded_size(produce_version));
    req.encode(w, produce_version);
    w.finish();
    benchmark::DoNotOptimize(out.bytes.data());
    benchmark::ClobberMemory();
  }
  if (out.bytes.size() != bytes.size()) state.SkipWithError("re-encoding changed the size");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ProduceRequestDecodeAndEncode);

metadata_response metadata_for_10000_partitions() {
  metadata_response resp;
  for (int b = 0; b < 3; ++b) resp.brokers.push_back({b, "broker-" + std::to_string(b) + ".example", 9092, "rack-a", {}});
  resp.cluster_id = "5L6g3nShT-eMCtK--X86sw";
  resp.controller_id = 0;
  for (int t = 0; t < 100; ++t) {
    auto& topic = resp.topics.emplace_back();
    topic.name = "topic-" + std::to_string(t);
    topic.topic_id.bytes[0] = static_cast<uint8_t>(t);
    for (int p = 0; p < 100; ++p) {
      auto& part = topic.partitions.emplace_back();
      part.partition_index = p;
      part.leader_id = p % 3;
      part.leader_epoch = 4;
      part.replica_nodes = {p % 3, (p + 1) % 3, (p + 2) % 3};
      part.isr_nodes = part.replica_nodes;
    }
  }
  return resp;
}

void BM_MetadataResponseEncode10000Partitions(benchmark::State& state) {
  metadata_response resp = metadata_for_10000_partitions();
  size_t size = 0;
  for (auto _ : state) {
    encoded_message m = encode_response(1, metadata_version, resp);
    size = m.bytes.size();
    benchmark::DoNotOptimize(m.bytes.data());
  }
  state.counters["bytes"] = static_cast<double>(size);
  state.counters["partitions"] = 10000;
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}
BENCHMARK(BM_MetadataResponseEncode10000Partitions);

void BM_MemcpyOfMetadataResponse(benchmark::State& state) {
  encoded_message m = encode_response(1, metadata_version, metadata_for_10000_partitions());
  std::vector<uint8_t> dst(m.bytes.size());
  for (auto _ : state) {
    std::memcpy(dst.data(), m.bytes.data(), m.bytes.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * m.bytes.size()));
}
BENCHMARK(BM_MemcpyOfMetadataResponse);

}  // namespace
}  // namespace samsa::protocol

BENCHMARK_MAIN();
