// Transactions benchmark driver (librdkafka): small transactions as fast as they
// commit, from one or several transactional producers, one thread each.
//
//   txn_bench --bootstrap H:P --topic T --producers N --records R --partitions-per-txn K
//             --duration-s D [--warmup-txns W] [--id-prefix X] [--value-bytes B] [--debug eos,protocol]
//   txn_bench --probe H:P       prints the FindCoordinator(TRANSACTION) error code
//
// Each transaction: begin, R records (100 B) spread round-robin over K
// partitions (producer i starts at partition i*K, so producers use distinct
// partitions), flush (every record acknowledged), then commit_transaction. The
// commit is timed on its own: with the records already written it is the
// EndTxn round trip (the coordinator's prepare, markers, complete). Prints one
// JSON line: txns, seconds, txn_per_s, records_per_s, endtxn p50/p99 ms and
// whole-transaction p50/p99 ms. Exit 1 on any error (none are retried: a
// benchmark that hides errors measures the wrong thing).

#include <arpa/inet.h>
#include <librdkafka/rdkafka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  std::string bootstrap, topic, id_prefix = "txn-bench", debug;
  int producers = 1, records = 1, partitions_per_txn = 1, duration_s = 10, warmup_txns = 20, value_bytes = 100;
};

std::atomic<bool> failed{false};
std::mutex error_mu;
std::string first_error;

void fail(const std::string& why) {
  std::lock_guard<std::mutex> g(error_mu);
  if (!failed.exchange(true)) first_error = why;
}

struct samples {
  std::vector<double> endtxn_ms, txn_ms;
  int64_t txns = 0;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

// `*start` is written by the main thread before it bumps `ready` past the producer count.
void producer_thread(const options& o, int index, const clock_type::time_point* start, std::atomic<int>* ready,
                     samples* out) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  const std::string id = o.id_prefix + "-" + std::to_string(index);
  rd_kafka_conf_set(conf, "bootstrap.servers", o.bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "transactional.id", id.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "linger.ms", "0", err, sizeof err);
  rd_kafka_conf_set(conf, "log_level", o.debug.empty() ? "3" : "7", err, sizeof err);
  if (!o.debug.empty()) rd_kafka_conf_set(conf, "debug", o.debug.c_str(), err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) return fail(std::string("rd_kafka_new: ") + err);
  if (rd_kafka_error_t* e = rd_kafka_init_transactions(rk, 60'000)) {
    fail(id + " init_transactions: " + rd_kafka_error_string(e));
    rd_kafka_error_destroy(e);
    rd_kafka_destroy(rk);
    ready->fetch_add(1);
    return;
  }
  const std::string value(static_cast<size_t>(o.value_bytes), 'x');
  auto one_txn = [&](bool measured) {
    const auto t0 = clock_type::now();
    if (rd_kafka_error_t* e = rd_kafka_begin_transaction(rk)) {
      fail(id + " begin: " + rd_kafka_error_string(e));
      rd_kafka_error_destroy(e);
      return false;
    }
    for (int r = 0; r < o.records; ++r) {
      const int32_t part = index * o.partitions_per_txn + r % o.partitions_per_txn;
      rd_kafka_resp_err_t e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(o.topic.c_str()), RD_KAFKA_V_PARTITION(part),
                                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                                RD_KAFKA_V_END);
      if (e) {
        fail(id + " produce: " + rd_kafka_err2str(e));
        return false;
      }
    }
    if (rd_kafka_resp_err_t e = rd_kafka_flush(rk, 30'000)) {
      fail(id + " flush: " + rd_kafka_err2str(e));
      return false;
    }
    const auto t1 = clock_type::now();
    if (rd_kafka_error_t* e = rd_kafka_commit_transaction(rk, 30'000)) {
      fail(id + " commit: " + rd_kafka_error_string(e));
      rd_kafka_error_destroy(e);
      return false;
    }
    if (measured) {
      out->endtxn_ms.push_back(ms_since(t1));
      out->txn_ms.push_back(ms_since(t0));
      ++out->txns;
    }
    return true;
  };
  for (int w = 0; w < o.warmup_txns && !failed; ++w)
    if (!one_txn(false)) break;
  ready->fetch_add(1);
  // All producers start measuring together (the main thread sets *start).
  while (ready->load() < o.producers + 1 && !failed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto stop_at = *start + std::chrono::seconds(o.duration_s);
  while (!failed && clock_type::now() < stop_at)
    if (!one_txn(true)) break;
  rd_kafka_destroy(rk);
}

int probe(const std::string& bootstrap) {
  const size_t colon = bootstrap.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(bootstrap.substr(colon + 1).c_str())));
  inet_pton(AF_INET, bootstrap.substr(0, colon).c_str(), &addr.sin_addr);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::printf("-1\n");
    return 1;
  }
  // FindCoordinator v1: header (key 10, version 1, correlation 1, client id), key, key type 1.
  const std::string key = "txn-bench-probe", client = "txn-bench";
  std::string b;
  auto p16 = [&](int v) { b.push_back(static_cast<char>(v >> 8)); b.push_back(static_cast<char>(v)); };
  p16(10); p16(1); p16(0); p16(1);
  p16(static_cast<int>(client.size())); b += client;
  p16(static_cast<int>(key.size())); b += key;
  b.push_back(1);
  const uint32_t n = htonl(static_cast<uint32_t>(b.size()));
  std::string frame(reinterpret_cast<const char*>(&n), 4);
  frame += b;
  send(fd, frame.data(), frame.size(), MSG_NOSIGNAL);
  unsigned char resp[14];
  size_t got = 0;
  while (got < sizeof resp) {
    const ssize_t r = recv(fd, resp + got, sizeof resp - got, 0);
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  close(fd);
  if (got < sizeof resp) {
    std::printf("-1\n");
    return 1;
  }
  // size(4) correlation(4) throttle(4) error_code(2)
  std::printf("%d\n", static_cast<int16_t>((resp[12] << 8) | resp[13]));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--probe") return probe(v);
    if (k == "--bootstrap") o.bootstrap = v;
    else if (k == "--topic") o.topic = v;
    else if (k == "--producers") o.producers = std::atoi(v.c_str());
    else if (k == "--records") o.records = std::atoi(v.c_str());
    else if (k == "--partitions-per-txn") o.partitions_per_txn = std::atoi(v.c_str());
    else if (k == "--duration-s") o.duration_s = std::atoi(v.c_str());
    else if (k == "--warmup-txns") o.warmup_txns = std::atoi(v.c_str());
    else if (k == "--id-prefix") o.id_prefix = v;
    else if (k == "--value-bytes") o.value_bytes = std::atoi(v.c_str());
    else if (k == "--debug") o.debug = v;  // librdkafka debug contexts (e.g. eos,protocol), to stderr
    else {
      std::fprintf(stderr, "txn_bench: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  std::vector<samples> per(static_cast<size_t>(o.producers));
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  clock_type::time_point start{};
  for (int i = 0; i < o.producers; ++i)
    threads.emplace_back(producer_thread, std::cref(o), i, &start, &ready, &per[static_cast<size_t>(i)]);
  while (ready.load() < o.producers && !failed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  start = clock_type::now();
  ready.fetch_add(1);
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  if (failed) {
    std::fprintf(stderr, "txn_bench: %s\n", first_error.c_str());
    return 1;
  }
  samples all;
  for (const auto& s : per) {
    all.txns += s.txns;
    all.endtxn_ms.insert(all.endtxn_ms.end(), s.endtxn_ms.begin(), s.endtxn_ms.end());
    all.txn_ms.insert(all.txn_ms.end(), s.txn_ms.begin(), s.txn_ms.end());
  }
  std::printf(
      "{\"producers\": %d, \"records_per_txn\": %d, \"partitions_per_txn\": %d, \"txns\": %lld, \"seconds\": %.3f, "
      "\"txn_per_s\": %.1f, \"records_per_s\": %.1f, \"endtxn_p50_ms\": %.3f, \"endtxn_p99_ms\": %.3f, "
      "\"txn_p50_ms\": %.3f, \"txn_p99_ms\": %.3f}\n",
      o.producers, o.records, o.partitions_per_txn, static_cast<long long>(all.txns), seconds,
      static_cast<double>(all.txns) / seconds, static_cast<double>(all.txns * o.records) / seconds,
      percentile(all.endtxn_ms, 0.50), percentile(all.endtxn_ms, 0.99), percentile(all.txn_ms, 0.50),
      percentile(all.txn_ms, 0.99));
  return 0;
}
