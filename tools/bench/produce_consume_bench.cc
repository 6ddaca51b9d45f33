// Produce and consume throughput and latency of a Samsa broker with librdkafka,
// as ratios to a raw loopback TCP transfer measured in the same run, and the
// broker's resident memory with 1,000 idle partitions.
//
//   produce_consume_bench --samsa <path to samsa> [--records N] [--partitions P]
//                         [--idle-partitions 1000] [--dir /tmp] [--paced-rate 20000]
//
// Each broker is the real samsa binary, started as a child process with only
// listeners and log.dirs set; topics are made with CreateTopics. Throughput
// runs send --records records of 1 KiB (no compression) as fast as librdkafka
// goes; their send-to-acknowledgement latency is reported, and a paced run at
// --paced-rate records/s gives the latency at moderate load. MB = 2^20 bytes.

#include <arpa/inet.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tools/bench/produce_consume_bench_wire.h"

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;
constexpr double kMiB = 1024.0 * 1024.0;
constexpr size_t kRecordBytes = 1024;

struct options {
  std::string samsa;
  int64_t records = 1'000'000;
  int partitions = 4;
  int idle_partitions = 1000;
  std::string dir = "/tmp";
  int paced_rate = 20'000;
  int wire_in_flight = 16;
  // Extra librdkafka settings for the producers (--producer-config k=v).
  std::vector<std::pair<std::string, std::string>> producer_config;
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "produce_consume_bench: %s\n", why.c_str());
  std::exit(1);
}

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

// ---- loopback baseline -------------------------------------------------------------

double loopback_mb_per_s(int64_t bytes) {
  int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(lfd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(lfd, 1);
  socklen_t len = sizeof a;
  ::getsockname(lfd, reinterpret_cast<sockaddr*>(&a), &len);
  std::thread receiver([lfd] {
    int c = ::accept(lfd, nullptr, nullptr);
    std::vector<char> buf(1 << 20);
    while (::recv(c, buf.data(), buf.size(), 0) > 0) {
    }
    ::close(c);
  });
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("loopback connect");
  std::vector<char> buf(1 << 20, 'x');
  auto start = clock_type::now();
  int64_t sent = 0;
  while (sent < bytes) {
    ssize_t n = ::send(s, buf.data(), buf.size(), 0);
    if (n <= 0) die("loopback send");
    sent += n;
  }
  ::shutdown(s, SHUT_WR);
  receiver.join();
  double secs = seconds_since(start);
  ::close(s);
  ::close(lfd);
  return static_cast<double>(sent) / kMiB / secs;
}

// ---- the broker --------------------------------------------------------------------------

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

class broker_process {
 public:
  broker_process(const options& o, const std::string& name) {
    dir_ = std::filesystem::path(o.dir) / ("samsa-bench-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    port_ = free_port();
    auto props = dir_ / "server.properties";
    std::ofstream(props) << "listeners=PLAINTEXT://127.0.0.1:" << port_ << "\nlog.dirs=" << (dir_ / "data").string()
                         << "\n";
    log_ = dir_ / "samsa.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::string p = props.string();
    char* argv[] = {const_cast<char*>(o.samsa.c_str()), const_cast<char*>(p.c_str()), nullptr};
    if (posix_spawn(&pid_, o.samsa.c_str(), &actions, nullptr, argv, environ) != 0) die("cannot start " + o.samsa);
    posix_spawn_file_actions_destroy(&actions);
    auto deadline = clock_type::now() + std::chrono::seconds(30);
    while (clock_type::now() < deadline) {
      std::ifstream in(log_);
      std::stringstream ss;
      ss << in.rdbuf();
      if (ss.str().find("started") != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    die("the broker did not start; see " + log_.string());
  }
  ~broker_process() {
    ::kill(pid_, SIGTERM);
    int status;
    ::waitpid(pid_, &status, 0);
    std::filesystem::remove_all(dir_);
  }
  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }
  double rss_mib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    }
    return -1;
  }

 private:
  std::filesystem::path dir_, log_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// ---- librdkafka --------------------------------------------------------------------------

rd_kafka_conf_t* conf_for(const std::string& bootstrap, std::initializer_list<std::pair<const char*, std::string>> kv) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const char* k, const std::string& v) {
    if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) die(std::string(k) + ": " + err);
  };
  set("bootstrap.servers", bootstrap);
  set("log_level", "3");
  for (const auto& [k, v] : kv) set(k, v);
  return conf;
}

void create_topic(const std::string& bootstrap, const std::string& topic, int partitions) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf_for(bootstrap, {}), err, sizeof err);
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, err, sizeof err);
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &nt, 1, nullptr, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 60'000);
  if (!ev || rd_kafka_event_error(ev)) die("CreateTopics failed for " + topic);
  const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev);
  size_t n = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(res, &n);
  for (size_t i = 0; i < n; ++i) {
    if (rd_kafka_topic_result_error(results[i])) die("CreateTopics: " + std::string(rd_kafka_topic_result_error_string(results[i])));
  }
  rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(q);
  rd_kafka_NewTopic_destroy(nt);
  rd_kafka_destroy(rk);
}

struct produce_run {
  double mb_per_s = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;
  int64_t failed = 0;
};

struct produce_state {
  std::vector<clock_type::time_point> sent;
  std::vector<double> latency_ms;
  std::atomic<int64_t> done{0};
  std::atomic<int64_t> failed{0};
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// Sends `records` records; paced_rate 0: as fast as possible.
produce_run produce(const options& o, const std::string& bootstrap, const std::string& topic, int partitions,
                    const std::string& acks, int64_t records, int paced_rate) {
  produce_state st;
  st.sent.resize(static_cast<size_t>(records));
  st.latency_ms.resize(static_cast<size_t>(records));
  rd_kafka_conf_t* conf = conf_for(bootstrap, {{"acks", acks},
                                               {"linger.ms", "5"},
                                               {"batch.size", "1000000"},
                                               {"queue.buffering.max.kbytes", "1048576"},
                                               {"queue.buffering.max.messages", "1000000"},
                                               {"compression.codec", "none"}});
  for (const auto& [k, v] : o.producer_config) {
    char e[512];
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), e, sizeof e) != RD_KAFKA_CONF_OK) die(k + ": " + e);
  }
  rd_kafka_conf_set_opaque(conf, &st);
  rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* s = static_cast<produce_state*>(opaque);
    const auto i = static_cast<size_t>(reinterpret_cast<intptr_t>(m->_private));
    if (m->err) s->failed++;
    s->latency_ms[i] = std::chrono::duration<double, std::milli>(clock_type::now() - s->sent[i]).count();
    s->done++;
  });
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) die(err);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  std::vector<char> payload(kRecordBytes);
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>((i * 2654435761u) >> 13);
  // Warm up: metadata and connections.
  rd_kafka_produce(rkt, 0, RD_KAFKA_MSG_F_COPY, payload.data(), payload.size(), nullptr, 0, nullptr);
  rd_kafka_flush(rk, 30'000);
  st.done = 0;
  st.failed = 0;

  auto start = clock_type::now();
  for (int64_t i = 0; i < records; ++i) {
    if (paced_rate > 0) {
      auto due = start + std::chrono::nanoseconds(i * 1'000'000'000LL / paced_rate);
      while (clock_type::now() < due) rd_kafka_poll(rk, 0), std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
    st.sent[static_cast<size_t>(i)] = clock_type::now();
    while (rd_kafka_produce(rkt, static_cast<int32_t>(i % partitions), RD_KAFKA_MSG_F_COPY, payload.data(),
                            payload.size(), nullptr, 0, reinterpret_cast<void*>(static_cast<intptr_t>(i))) != 0) {
      rd_kafka_poll(rk, 1);
    }
    if (i % 1024 == 0) rd_kafka_poll(rk, 0);
  }
  rd_kafka_flush(rk, 300'000);
  double secs = seconds_since(start);
  produce_run out;
  out.failed = st.failed;
  out.mb_per_s = static_cast<double>(records) * kRecordBytes / kMiB / secs;
  // Leave out the first 10% (connection and allocation warm-up).
  std::vector<double> lat(st.latency_ms.begin() + records / 10, st.latency_ms.end());
  out.p50_ms = percentile(lat, 0.50);
  out.p99_ms = percentile(lat, 0.99);
  out.p999_ms = percentile(lat, 0.999);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
  return out;
}

// Reads every partition of `topic` from the beginning until `records` records came.
double consume_mb_per_s(const std::string& bootstrap, const std::string& topic, int partitions, int64_t records) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER,
                                conf_for(bootstrap, {{"fetch.max.bytes", "52428800"},
                                                     {"max.partition.fetch.bytes", "10485760"},
                                                     {"queued.min.messages", "1000000"},
                                                     {"fetch.wait.max.ms", "100"}}),
                                err, sizeof err);
  if (!rk) die(err);
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  auto start = clock_type::now();
  for (int p = 0; p < partitions; ++p) rd_kafka_consume_start_queue(rkt, p, RD_KAFKA_OFFSET_BEGINNING, q);
  int64_t got = 0, bytes = 0;
  std::vector<rd_kafka_message_t*> batch(10'000);
  auto deadline = clock_type::now() + std::chrono::minutes(5);
  while (got < records && clock_type::now() < deadline) {
    ssize_t n = rd_kafka_consume_batch_queue(q, 100, batch.data(), batch.size());
    for (ssize_t k = 0; k < n; ++k) {
      if (!batch[static_cast<size_t>(k)]->err) {
        ++got;
        bytes += static_cast<int64_t>(batch[static_cast<size_t>(k)]->len);
      }
      rd_kafka_message_destroy(batch[static_cast<size_t>(k)]);
    }
  }
  double secs = seconds_since(start);
  for (int p = 0; p < partitions; ++p) rd_kafka_consume_stop(rkt, p);
  rd_kafka_queue_destroy(q);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_destroy(rk);
  if (got < records) die("consumed only " + std::to_string(got) + " of " + std::to_string(records));
  return static_cast<double>(bytes) / kMiB / secs;
}

options parse(int argc, char** argv) {
  options o;
#ifdef SAMSA_BINARY
  o.samsa = SAMSA_BINARY;
#endif
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--samsa") o.samsa = next();
    else if (a == "--records") o.records = std::stoll(next());
    else if (a == "--partitions") o.partitions = std::stoi(next());
    else if (a == "--idle-partitions") o.idle_partitions = std::stoi(next());
    else if (a == "--dir") o.dir = next();
    else if (a == "--paced-rate") o.paced_rate = std::stoi(next());
    else if (a == "--wire-in-flight") o.wire_in_flight = std::stoi(next());
    else if (a == "--producer-config") {
      std::string kv = next();
      auto eq = kv.find('=');
      if (eq == std::string::npos) die("--producer-config needs key=value");
      o.producer_config.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
    else die("unknown option " + a);
  }
  if (o.samsa.empty()) die("--samsa <path to the samsa binary> is required");
  return o;
}

void print_produce(const char* name, const produce_run& full, const produce_run& paced, double loopback, int rate) {
  std::printf("%-18s %9.1f MB/s  %5.1f%% of loopback   latency at full load p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms;"
              " at %d records/s p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms%s\n",
              name, full.mb_per_s, 100.0 * full.mb_per_s / loopback, full.p50_ms, full.p99_ms, full.p999_ms, rate,
              paced.p50_ms, paced.p99_ms, paced.p999_ms,
              full.failed + paced.failed ? "  (SOME RECORDS FAILED)" : "");
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  options o = parse(argc, argv);
  const int64_t bytes = o.records * static_cast<int64_t>(kRecordBytes);
  const int64_t paced_records = std::max<int64_t>(o.paced_rate * 3, 1000);

  double loopback = loopback_mb_per_s(std::max<int64_t>(bytes, 1LL << 30));
  std::printf("%-18s %9.1f MB/s  (one connection, 1 MiB writes)\n", "loopback TCP", loopback);

  produce_run ack1, ack1_paced, all, all_paced;
  double consume = 0;
  samsa::bench::wire_result wire1, wire_all, wire_consume;
  {
    broker_process b(o, "load");
    create_topic(b.bootstrap(), "bench", o.partitions);
    create_topic(b.bootstrap(), "paced", 1);
    ack1 = produce(o, b.bootstrap(), "bench", o.partitions, "1", o.records, 0);
    all = produce(o, b.bootstrap(), "bench", o.partitions, "all", o.records, 0);
    ack1_paced = produce(o, b.bootstrap(), "paced", 1, "1", paced_records, o.paced_rate);
    all_paced = produce(o, b.bootstrap(), "paced", 1, "all", paced_records, o.paced_rate);
    // Both throughput runs' records (+2 warm-up records).
    consume = consume_mb_per_s(b.bootstrap(), "bench", o.partitions, 2 * o.records + 2);

    // The same work from a client that costs nothing: the broker's own limit.
    create_topic(b.bootstrap(), "wire", o.partitions);
    wire1 = samsa::bench::wire_produce(b.port(), "wire", o.partitions, 1, bytes, o.wire_in_flight);
    wire_all = samsa::bench::wire_produce(b.port(), "wire", o.partitions, -1, bytes, o.wire_in_flight);
    wire_consume = samsa::bench::wire_fetch(b.port(), "wire", o.partitions, wire1.bytes + wire_all.bytes);
    std::printf("%-18s %9.1f MiB after the load\n", "broker RSS", b.rss_mib());
  }
  std::printf("-- librdkafka %s client, %lld records of 1 KiB per run, %d partitions --\n", rd_kafka_version_str(),
              static_cast<long long>(o.records), o.partitions);
  print_produce("produce acks=1", ack1, ack1_paced, loopback, o.paced_rate);
  print_produce("produce acks=all", all, all_paced, loopback, o.paced_rate);
  std::printf("%-18s %9.1f MB/s  %5.1f%% of loopback\n", "consume", consume, 100.0 * consume / loopback);
  std::printf("-- raw wire client (pre-built 1 MiB batches, %d requests in flight): the broker's own limit --\n",
              o.wire_in_flight);
  for (auto [name, r] : {std::pair{"produce acks=1", wire1}, std::pair{"produce acks=all", wire_all}}) {
    std::printf("%-18s %9.1f MB/s  %5.1f%% of loopback   per-request latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms%s\n",
                name, r.mb_per_s, 100.0 * r.mb_per_s / loopback, r.p50_ms, r.p99_ms, r.p999_ms,
                r.errors ? "  (ERRORS)" : "");
  }
  std::printf("%-18s %9.1f MB/s  %5.1f%% of loopback%s\n", "consume (fetch)", wire_consume.mb_per_s,
              100.0 * wire_consume.mb_per_s / loopback, wire_consume.errors ? "  (ERRORS)" : "");
  {
    // The client's own ceiling: the same librdkafka load against librdkafka's
    // in-process mock cluster (a loopback socket, records kept in memory, no
    // log, no fsync). When Samsa's rows come close to these, the client, not
    // the broker, is what limits them on this machine. Produce only: the mock
    // keeps just the newest 5 MB of a partition, too little to time a consumer.
    char err[512];
    rd_kafka_conf_t* hc = rd_kafka_conf_new();
    rd_kafka_conf_set(hc, "log_level", "3", err, sizeof err);
    rd_kafka_t* host = rd_kafka_new(RD_KAFKA_PRODUCER, hc, err, sizeof err);
    if (!host) die(err);
    rd_kafka_mock_cluster_t* mock = rd_kafka_mock_cluster_new(host, 1);
    if (!mock) die("rd_kafka_mock_cluster_new failed");
    if (rd_kafka_mock_topic_create(mock, "bench", o.partitions, 1)) die("mock topic create failed");
    const std::string mock_bootstrap = rd_kafka_mock_cluster_bootstraps(mock);
    produce_run m1 = produce(o, mock_bootstrap, "bench", o.partitions, "1", o.records, 0);
    produce_run mall = produce(o, mock_bootstrap, "bench", o.partitions, "all", o.records, 0);
    rd_kafka_mock_cluster_destroy(mock);
    rd_kafka_destroy(host);
    std::printf("-- the same librdkafka load against librdkafka's in-process mock broker (memory only): the client's ceiling --\n");
    std::printf("%-18s %9.1f MB/s  %5.1f%% of loopback   Samsa at %.0f%% of this\n", "produce acks=1", m1.mb_per_s,
                100.0 * m1.mb_per_s / loopback, 100.0 * ack1.mb_per_s / m1.mb_per_s);
    std::printf("%-18s %9.1f MB/s  %5.1f%% of loopback   Samsa at %.0f%% of this\n", "produce acks=all", mall.mb_per_s,
                100.0 * mall.mb_per_s / loopback, 100.0 * all.mb_per_s / mall.mb_per_s);
  }
  {
    broker_process b(o, "idle");
    create_topic(b.bootstrap(), "idle", o.idle_partitions);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    std::printf("%-18s %9.1f MiB  (%d partitions, idle)\n", "broker RSS", b.rss_mib(), o.idle_partitions);
  }
  std::printf("targets: acks=1 >= 50%%, acks=all >= 35%%, consume >= 60%% of loopback; idle RSS < 150 MB\n");
  return 0;
}
