#include "tools/bench/produce_consume_bench_wire.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "common/endian.h"
#include "protocol/generated/fetch.h"
#include "protocol/generated/produce.h"
#include "protocol/headers.h"
#include "protocol/records/batch_builder.h"
#include "protocol/records/batch_iterator.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::bench {
namespace {

using clock_type = std::chrono::steady_clock;
constexpr double kMiB = 1024.0 * 1024.0;

[[noreturn]] void die(const char* why) {
  std::fprintf(stderr, "produce_consume_bench (wire): %s\n", why);
  std::exit(1);
}

int connect_to(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("connect");
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void send_all(int fd, const uint8_t* p, size_t n) {
  while (n) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) die("send");
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void recv_all(int fd, uint8_t* p, size_t n) {
  while (n) {
    ssize_t r = ::recv(fd, p, n, 0);
    if (r <= 0) die("recv");
    p += r;
    n -= static_cast<size_t>(r);
  }
}

// Reads one response into `buffer` (reused: a fresh zeroed buffer per 64 MiB
// response would cost the client more than the broker spends sending it).
std::span<const uint8_t> read_frame(int fd, std::vector<uint8_t>& buffer) {
  uint8_t size[4];
  recv_all(fd, size, 4);
  const auto n = static_cast<size_t>(load_be<int32_t>(size));
  if (buffer.size() < n) buffer.resize(n);
  recv_all(fd, buffer.data(), n);
  return {buffer.data(), n};
}

template <typename Request>
std::vector<uint8_t> frame_of(int16_t version, int32_t correlation, const Request& body) {
  protocol::request_header h;
  h.request_api_key = Request::api_key;
  h.request_api_version = version;
  h.correlation_id = correlation;
  h.client_id = std::string("bench");
  protocol::encoded_message m;
  {
    protocol::writer w(m);
    w.write_int32(0);
    h.encode(w, protocol::request_header_version(Request::api_key, version));
    body.encode(w, version);
  }
  std::vector<uint8_t> out = m.flatten();
  store_be<int32_t>(out.data(), static_cast<int32_t>(out.size() - 4));
  return out;
}

// One batch of 1 KiB records filling about 1 MiB.
std::vector<uint8_t> one_batch() {
  protocol::batch_builder b({});
  std::vector<uint8_t> value(1024);
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<uint8_t>((i * 2654435761u) >> 13);
  for (int i = 0; i < 1000; ++i) {
    protocol::record_input r;
    r.value = std::span<const uint8_t>(value);
    if (!b.append(r).ok()) die("batch");
  }
  return std::move(b.build().value());
}

// The response borrows `frame`: use it before reading the next one.
template <typename Response>
Response decode(std::span<const uint8_t> frame, int16_t version) {
  protocol::reader r(frame);
  r.read_int32();  // correlation id
  if (protocol::response_header_version(Response::api_key, version) >= 1) {
    uint32_t n = r.read_uvarint();
    for (uint32_t i = 0; i < n; ++i) {
      r.read_uvarint();
      r.read_span(r.read_uvarint());
    }
  }
  Response out;
  out.decode(r, version);
  if (!r.ok()) die("undecodable response");
  return out;
}

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

wire_result wire_produce(uint16_t port, const std::string& topic, int partitions, int16_t acks, int64_t bytes,
                         int in_flight) {
  constexpr int16_t kVersion = 9;
  const std::vector<uint8_t> batch = one_batch();
  std::vector<std::vector<uint8_t>> frames;
  for (int p = 0; p < partitions; ++p) {
    protocol::produce_request req;
    req.acks = acks;
    req.timeout_ms = 30000;
    auto& t = req.topic_data.emplace_back();
    t.name = topic;
    auto& pd = t.partition_data.emplace_back();
    pd.index = p;
    pd.records = protocol::records::borrowed(batch);
    frames.push_back(frame_of(kVersion, p, req));
  }
  const int64_t requests = std::max<int64_t>(1, bytes / static_cast<int64_t>(batch.size()));
  int fd = connect_to(port);
  std::deque<clock_type::time_point> sent;  // responses come in request order
  std::vector<double> latency;
  wire_result out;
  std::vector<uint8_t> buffer;
  auto start = clock_type::now();
  int64_t next = 0, done = 0;
  while (done < requests) {
    while (next < requests && static_cast<int>(sent.size()) < in_flight) {
      const auto& f = frames[static_cast<size_t>(next % partitions)];
      sent.push_back(clock_type::now());
      send_all(fd, f.data(), f.size());
      ++next;
    }
    auto frame = read_frame(fd, buffer);
    latency.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - sent.front()).count());
    sent.pop_front();
    auto r = decode<protocol::produce_response>(frame, kVersion);
    for (const auto& t : r.responses)
      for (const auto& p : t.partition_responses) out.errors += p.error_code != 0;
    ++done;
  }
  const double secs = std::chrono::duration<double>(clock_type::now() - start).count();
  ::close(fd);
  out.bytes = requests * static_cast<int64_t>(batch.size());
  out.mb_per_s = static_cast<double>(out.bytes) / kMiB / secs;
  out.p50_ms = pct(latency, 0.5);
  out.p99_ms = pct(latency, 0.99);
  out.p999_ms = pct(latency, 0.999);
  return out;
}

wire_result wire_fetch(uint16_t port, const std::string& topic, int partitions, int64_t bytes) {
  constexpr int16_t kVersion = 12;
  int fd = connect_to(port);
  std::vector<int64_t> offsets(static_cast<size_t>(partitions), 0);
  int64_t got = 0;
  int32_t correlation = 0;
  wire_result out;
  std::vector<uint8_t> buffer;
  auto start = clock_type::now();
  int empty_rounds = 0;
  while (got < bytes && empty_rounds < 10) {
    protocol::fetch_request req;
    req.replica_id = -1;
    req.max_wait_ms = 100;
    req.min_bytes = 1;
    req.max_bytes = 64 << 20;
    req.session_epoch = -1;
    auto& t = req.topics.emplace_back();
    t.topic = topic;
    for (int p = 0; p < partitions; ++p) {
      auto& fp = t.partitions.emplace_back();
      fp.partition = p;
      fp.fetch_offset = offsets[static_cast<size_t>(p)];
      fp.partition_max_bytes = 16 << 20;
    }
    auto f = frame_of(kVersion, ++correlation, req);
    send_all(fd, f.data(), f.size());
    auto r = decode<protocol::fetch_response>(read_frame(fd, buffer), kVersion);
    int64_t this_round = 0;
    for (const auto& rt : r.responses) {
      for (const auto& p : rt.partitions) {
        if (p.error_code) ++out.errors;
        auto view = p.records.view();
        protocol::batch_iterator it(view, protocol::crc_check::skip);
        while (it.next()) {
          offsets[static_cast<size_t>(p.partition_index)] = it.batch().last_offset().value() + 1;
          this_round += static_cast<int64_t>(it.batch().size_bytes());
        }
      }
    }
    if (this_round == 0 && out.errors) die("fetch errors");
    empty_rounds = this_round == 0 ? empty_rounds + 1 : 0;
    got += this_round;
  }
  const double secs = std::chrono::duration<double>(clock_type::now() - start).count();
  ::close(fd);
  out.bytes = got;
  if (got < bytes) ++out.errors;
  out.mb_per_s = static_cast<double>(got) / kMiB / secs;
  return out;
}

}  // namespace samsa::bench
