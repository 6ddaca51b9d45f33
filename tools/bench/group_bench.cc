// group_bench: the group coordinator's own speed over the raw wire protocol
// (no client library in the way), for any Kafka-protocol broker, so Samsa and
// Apache Kafka are measured by the same code. Started by group_bench.py.
//
//   group_bench rebalance <host:port> <members> <repetitions>
//     N members (one connection each) join a fresh group and sync. Then one
//     member sends LeaveGroup; the moment its answer arrives the others send a
//     Heartbeat (a real client learns of the rebalance from its next heartbeat;
//     the bench leaves out the heartbeat interval, which is the client's
//     choice), get REBALANCE_IN_PROGRESS, rejoin, and the leader syncs an
//     assignment. Measured: LeaveGroup sent -> last SyncGroup answer of the new
//     generation. One JSON line per repetition.
//
//   group_bench commits <host:port> <committers> <seconds>
//     `committers` connections, each committing one partition offset for its
//     own group (standalone commits: generation -1, no member) back to back,
//     one request in flight each. One JSON line: commits per second and
//     per-commit latency percentiles.
//
// Versions: FindCoordinator v3, JoinGroup v7, SyncGroup v5, Heartbeat v4,
// LeaveGroup v4, OffsetCommit v8, CreateTopics v5 (served by Kafka 4.x and Samsa).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/endian.h"
#include "protocol/generated/create_topics.h"
#include "protocol/generated/find_coordinator.h"
#include "protocol/generated/heartbeat.h"
#include "protocol/generated/join_group.h"
#include "protocol/generated/leave_group.h"
#include "protocol/generated/offset_commit.h"
#include "protocol/generated/sync_group.h"
#include "protocol/headers.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::bench {
namespace {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;
namespace proto = ::samsa::protocol;

constexpr int16_t kNone = 0, kRebalanceInProgress = 27, kMemberIdRequired = 79, kCoordinatorLoading = 14,
                  kCoordinatorNotAvailable = 15, kNotCoordinator = 16, kTopicAlreadyExists = 36;

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "group_bench: %s\n", why.c_str());
  std::exit(1);
}

// One blocking connection; every read bounded by a deadline.
class connection {
 public:
  connection(const std::string& host, uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) die("bad host " + host);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("connect to " + host);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~connection() { ::close(fd_); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Sends `request` at `version` and returns the decoded answer (dies on a
  // broken connection, a timeout or an undecodable answer).
  template <typename Response, typename Request>
  Response call(int16_t version, const Request& request, std::chrono::milliseconds timeout = 120s) {
    const int32_t correlation_id = ++correlation_;
    proto::request_header h;
    h.request_api_key = Request::api_key;
    h.request_api_version = version;
    h.correlation_id = correlation_id;
    h.client_id = std::string("group_bench");
    proto::encoded_message m;
    {
      proto::writer w(m);
      h.encode(w, proto::request_header_version(Request::api_key, version));
      request.encode(w, version);
    }
    std::vector<uint8_t> frame = m.flatten();
    uint8_t size[4];
    store_be<int32_t>(size, static_cast<int32_t>(frame.size()));
    send_all(size, 4);
    send_all(frame.data(), frame.size());

    const auto deadline = clock_type::now() + timeout;
    recv_all(size, 4, deadline);
    std::vector<uint8_t> body(static_cast<size_t>(load_be<int32_t>(size)));
    recv_all(body.data(), body.size(), deadline);
    proto::reader r(body);
    if (r.read_int32() != correlation_id) die("correlation id mismatch");
    if (proto::response_header_version(Response::api_key, version) >= 1) {
      uint32_t n = r.read_uvarint();
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        r.read_uvarint();
        r.read_span(r.read_uvarint());
      }
    }
    Response out;
    out.decode(r, version);
    if (!r.ok()) die("undecodable answer to api " + std::to_string(Request::api_key));
    return out;
  }

 private:
  void send_all(const uint8_t* p, size_t n) {
    while (n) {
      ssize_t w = ::send(fd_, p, n, MSG_NOSIGNAL);
      if (w <= 0) die("send");
      p += w;
      n -= static_cast<size_t>(w);
    }
  }
  void recv_all(uint8_t* p, size_t n, clock_type::time_point deadline) {
    while (n) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
      if (left <= 0) die("timed out waiting for an answer");
      pollfd pfd{fd_, POLLIN, 0};
      if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
      ssize_t r = ::recv(fd_, p, n, 0);
      if (r <= 0) die("connection closed");
      p += r;
      n -= static_cast<size_t>(r);
    }
  }

  int fd_ = -1;
  int32_t correlation_ = 0;
};

struct endpoint {
  std::string host;
  uint16_t port = 0;
};

endpoint parse_endpoint(const std::string& s) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) die("expected host:port, got " + s);
  return {s.substr(0, colon), static_cast<uint16_t>(std::stoi(s.substr(colon + 1)))};
}

// The coordinator of `group`, retried while the broker is still creating or
// loading __consumer_offsets.
endpoint find_coordinator(const endpoint& bootstrap, const std::string& group) {
  connection c(bootstrap.host, bootstrap.port);
  proto::find_coordinator_request req;
  req.key = group;
  for (int attempt = 0; attempt < 600; ++attempt) {
    auto resp = c.call<proto::find_coordinator_response>(3, req);
    if (resp.error_code == kNone) return {resp.host, static_cast<uint16_t>(resp.port)};
    if (resp.error_code != kCoordinatorNotAvailable && resp.error_code != kCoordinatorLoading &&
        resp.error_code != kNotCoordinator)
      die("FindCoordinator error " + std::to_string(resp.error_code));
    std::this_thread::sleep_for(100ms);  // retry backoff while the coordinator starts
  }
  die("no coordinator for " + group);
}

// ConsumerProtocolSubscription v0 for one topic, and an empty
// ConsumerProtocolAssignment v0: valid "consumer" metadata, as a client sends.
std::vector<uint8_t> subscription_bytes(const std::string& topic) {
  std::vector<uint8_t> b = {0, 0, 0, 0, 0, 1};
  b.push_back(static_cast<uint8_t>(topic.size() >> 8));
  b.push_back(static_cast<uint8_t>(topic.size()));
  b.insert(b.end(), topic.begin(), topic.end());
  b.insert(b.end(), {0xff, 0xff, 0xff, 0xff});
  return b;
}
const std::vector<uint8_t> kEmptyAssignment = {0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};

std::string nonce() {
  std::random_device rd;
  return std::to_string(rd() % 1'000'000'000);
}

// A member of a classic group on its own connection.
struct member {
  explicit member(const endpoint& coordinator) : conn(coordinator.host, coordinator.port) {}
  connection conn;
  std::string id;
  int32_t generation = -1;
  bool leader = false;
  std::vector<std::string> all_members;  // set on the leader by JoinGroup
};

// JoinGroup until joined (the first answer of v4+ is MEMBER_ID_REQUIRED).
void join(member& m, const std::string& group, const std::string& topic) {
  proto::join_group_request req;
  req.group_id = group;
  req.session_timeout_ms = 30'000;
  req.rebalance_timeout_ms = 60'000;
  req.protocol_type = "consumer";
  req.protocols.push_back({"range", subscription_bytes(topic), {}});
  for (int attempt = 0; attempt < 600; ++attempt) {
    req.member_id = m.id;
    auto resp = m.conn.call<proto::join_group_response>(7, req);
    if (resp.error_code == kMemberIdRequired) {
      m.id = resp.member_id;
      continue;
    }
    if (resp.error_code == kCoordinatorLoading || resp.error_code == kNotCoordinator ||
        resp.error_code == kCoordinatorNotAvailable) {
      std::this_thread::sleep_for(100ms);  // retry backoff: __consumer_offsets is still loading
      continue;
    }
    if (resp.error_code != kNone) die("JoinGroup error " + std::to_string(resp.error_code));
    m.id = resp.member_id;
    m.generation = resp.generation_id;
    m.leader = resp.leader == resp.member_id;
    m.all_members.clear();
    for (const auto& x : resp.members) m.all_members.push_back(x.member_id);
    return;
  }
  die("JoinGroup did not settle");
}

void sync(member& m, const std::string& group) {
  proto::sync_group_request req;
  req.group_id = group;
  req.generation_id = m.generation;
  req.member_id = m.id;
  req.protocol_type = "consumer";
  req.protocol_name = "range";
  if (m.leader)
    for (const auto& id : m.all_members) req.assignments.push_back({id, kEmptyAssignment, {}});
  auto resp = m.conn.call<proto::sync_group_response>(5, req);
  if (resp.error_code != kNone) die("SyncGroup error " + std::to_string(resp.error_code));
}

// Heartbeats until the coordinator reports the rebalance (bounded).
void await_rebalance(member& m, const std::string& group) {
  proto::heartbeat_request req;
  req.group_id = group;
  req.generation_id = m.generation;
  req.member_id = m.id;
  for (int attempt = 0; attempt < 10'000; ++attempt) {
    auto resp = m.conn.call<proto::heartbeat_response>(4, req);
    if (resp.error_code == kRebalanceInProgress) return;
    if (resp.error_code != kNone) die("Heartbeat error " + std::to_string(resp.error_code));
  }
  die("the coordinator never reported the rebalance");
}

void leave(member& m, const std::string& group, const std::vector<std::string>& ids) {
  proto::leave_group_request req;
  req.group_id = group;
  for (const auto& id : ids) req.members.push_back({id, std::nullopt, std::nullopt, {}});
  auto resp = m.conn.call<proto::leave_group_response>(4, req);
  if (resp.error_code != kNone) die("LeaveGroup error " + std::to_string(resp.error_code));
}

// Runs f(i) on n threads at once and joins them.
template <typename F>
void on_threads(int n, F f) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back([&f, i] { f(i); });
  for (auto& t : threads) t.join();
}

double ms_between(clock_type::time_point a, clock_type::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void rebalance(const endpoint& bootstrap, int members, int repetitions) {
  for (int rep = 0; rep < repetitions; ++rep) {
    const std::string group = "rebalance-" + std::to_string(members) + "-" + nonce();
    const endpoint coordinator = find_coordinator(bootstrap, group);
    std::vector<std::unique_ptr<member>> ms;
    for (int i = 0; i < members; ++i) ms.push_back(std::make_unique<member>(coordinator));

    // Untimed: everyone joins one generation (the initial rebalance delay applies) and syncs.
    const auto join_start = clock_type::now();
    on_threads(members, [&](int i) { join(*ms[i], group, "t"); });
    for (auto& m : ms)
      if (m->generation != ms[0]->generation) die("members joined different generations");
    on_threads(members, [&](int i) { sync(*ms[i], group); });
    const double first_join_ms = ms_between(join_start, clock_type::now());

    // Timed: a follower leaves; the rest rejoin and sync the next generation.
    const size_t leaver = ms[0]->leader ? 1 : 0;
    std::vector<member*> stay;
    for (size_t i = 0; i < ms.size(); ++i)
      if (i != leaver) stay.push_back(ms[i].get());
    const auto t0 = clock_type::now();
    leave(*ms[leaver], group, {ms[leaver]->id});
    std::vector<clock_type::time_point> done(stay.size());
    on_threads(static_cast<int>(stay.size()), [&](int i) {
      await_rebalance(*stay[i], group);
      join(*stay[i], group, "t");
      sync(*stay[i], group);
      done[i] = clock_type::now();
    });
    const auto t1 = *std::max_element(done.begin(), done.end());
    for (auto* m : stay)
      if (m->generation != ms[leaver]->generation + 1) die("the rebalance took more than one generation");

    // Untimed cleanup, so no session expiry of this group disturbs the next repetition.
    std::vector<std::string> ids;
    for (auto* m : stay) ids.push_back(m->id);
    leave(*stay[0], group, ids);
    std::printf("{\"members\": %d, \"repetition\": %d, \"leave_to_stable_ms\": %.3f, \"first_join_ms\": %.1f}\n",
                members, rep, ms_between(t0, t1), first_join_ms);
    std::fflush(stdout);
  }
}

void create_topic(const endpoint& bootstrap, const std::string& topic, int partitions) {
  connection c(bootstrap.host, bootstrap.port);
  proto::create_topics_request req;
  req.timeout_ms = 30'000;
  auto& t = req.topics.emplace_back();
  t.name = topic;
  t.num_partitions = partitions;
  t.replication_factor = 1;
  auto resp = c.call<proto::create_topics_response>(5, req);
  const int16_t e = resp.topics.at(0).error_code;
  if (e != kNone && e != kTopicAlreadyExists) die("CreateTopics error " + std::to_string(e));
}

void commits(const endpoint& bootstrap, int committers, double seconds) {
  const std::string topic = "group-bench-commits";
  constexpr int kPartitions = 16;
  create_topic(bootstrap, topic, kPartitions);
  const std::string run = nonce();
  std::vector<endpoint> coordinators;
  for (int i = 0; i < committers; ++i)
    coordinators.push_back(find_coordinator(bootstrap, "commits-" + run + "-" + std::to_string(i)));

  std::atomic<bool> measuring{false}, stop{false};
  std::vector<std::vector<double>> latencies(committers);
  std::vector<std::atomic<int64_t>> errors(committers);
  std::vector<std::atomic<bool>> first_ok(committers);
  std::vector<std::thread> threads;
  for (int i = 0; i < committers; ++i) {
    threads.emplace_back([&, i] {
      connection c(coordinators[i].host, coordinators[i].port);
      proto::offset_commit_request req;
      req.group_id = "commits-" + run + "-" + std::to_string(i);
      req.generation_id_or_member_epoch = -1;
      auto& t = req.topics.emplace_back();
      t.name = topic;
      auto& p = t.partitions.emplace_back();
      p.partition_index = i % kPartitions;
      for (int64_t offset = 1; !stop; ++offset) {
        p.committed_offset = offset;
        const auto s = clock_type::now();
        auto resp = c.call<proto::offset_commit_response>(8, req);
        const double ms = ms_between(s, clock_type::now());
        if (resp.topics.at(0).partitions.at(0).error_code != kNone) {
          ++errors[i];
        } else {
          first_ok[i] = true;
        }
        if (measuring) latencies[i].push_back(ms);
      }
    });
  }
  // Warm-up: every committer has had a commit accepted (a fresh __consumer_offsets partition may
  // still be loading), then one more second.
  const auto warm_deadline = clock_type::now() + 60s;
  while (std::any_of(first_ok.begin(), first_ok.end(), [](const auto& f) { return !f.load(); })) {
    if (clock_type::now() > warm_deadline) die("commits kept failing during the warm-up");
    std::this_thread::sleep_for(50ms);  // polling the committers' progress
  }
  std::this_thread::sleep_for(1s);
  for (auto& e : errors) e = 0;
  measuring = true;
  const auto start = clock_type::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  measuring = false;
  const double elapsed_s = ms_between(start, clock_type::now()) / 1000;
  stop = true;
  for (auto& t : threads) t.join();

  std::vector<double> all;
  int64_t error_count = 0;
  for (int i = 0; i < committers; ++i) {
    all.insert(all.end(), latencies[i].begin(), latencies[i].end());
    error_count += errors[i];
  }
  if (all.empty()) die("no commit completed");
  std::sort(all.begin(), all.end());
  auto pct = [&](double q) { return all[std::min(all.size() - 1, static_cast<size_t>(q * all.size()))]; };
  std::printf(
      "{\"committers\": %d, \"commits_per_s\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"errors\": %lld}\n",
      committers, static_cast<double>(all.size()) / elapsed_s, pct(0.5), pct(0.99),
      static_cast<long long>(error_count));
}

}  // namespace
}  // namespace samsa::bench

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr,
                 "usage: %s rebalance <host:port> <members> <repetitions>\n"
                 "       %s commits <host:port> <committers> <seconds>\n",
                 argv[0], argv[0]);
    return 2;
  }
  using namespace samsa::bench;
  const std::string mode = argv[1];
  const endpoint bootstrap = parse_endpoint(argv[2]);
  if (mode == "rebalance") {
    rebalance(bootstrap, std::atoi(argv[3]), std::atoi(argv[4]));
  } else if (mode == "commits") {
    commits(bootstrap, std::atoi(argv[3]), std::atof(argv[4]));
  } else {
    die("unknown mode " + mode);
  }
  return 0;
}
