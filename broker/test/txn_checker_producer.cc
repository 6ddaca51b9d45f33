// One transactional producer of the transaction checker, as its own process so
// the checker can SIGKILL it mid-commit. librdkafka, one transactional.id.
//
//   txn_checker_producer --bootstrap H:P --transactional-id ID --producer N --first-txn T --txns K
//                        --seed S --topics a,b --partitions P [--abort-percent 30]
//                        [--records-min 2] [--records-max 6] [--deadline-s 150]
//
// Runs transactions T .. T+K-1, each writing between records-min and records-max
// records spread over random partitions of the topics (several partitions of
// both topics, by construction), then commits or aborts it at random. Prints
// the outcome log described in txn_checker_history.h on stdout, one flushed line
// per step. --txns 0 only calls init_transactions: that fences an earlier
// incarnation of the same transactional.id and aborts its open transaction.
//
// Exit: 0 all transactions ended (committed or aborted); 3 a fatal error
// (fenced, or the deadline passed with a transaction still open).

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "broker/test/txn_checker_history.h"

namespace {

using namespace samsa::broker::testing::txn;
using clock_type = std::chrono::steady_clock;

struct options {
  std::string bootstrap, transactional_id;
  int producer = 0;
  int64_t first_txn = 0;
  int txns = 0;
  uint64_t seed = 1;
  std::vector<std::string> topics;
  int partitions = 3;
  int abort_percent = 30;
  int records_min = 2, records_max = 6;
  int deadline_s = 150;
};

void say(const std::string& line) {
  std::fputs((line + "\n").c_str(), stdout);
  std::fflush(stdout);
}

[[noreturn]] void die(const std::string& why) {
  say("FATAL - " + why);
  std::exit(3);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--bootstrap") o.bootstrap = v;
    else if (k == "--transactional-id") o.transactional_id = v;
    else if (k == "--producer") o.producer = std::atoi(v.c_str());
    else if (k == "--first-txn") o.first_txn = std::atoll(v.c_str());
    else if (k == "--txns") o.txns = std::atoi(v.c_str());
    else if (k == "--seed") o.seed = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--partitions") o.partitions = std::atoi(v.c_str());
    else if (k == "--abort-percent") o.abort_percent = std::atoi(v.c_str());
    else if (k == "--records-min") o.records_min = std::atoi(v.c_str());
    else if (k == "--records-max") o.records_max = std::atoi(v.c_str());
    else if (k == "--deadline-s") o.deadline_s = std::atoi(v.c_str());
    else if (k == "--topics") {
      std::stringstream s(v);
      for (std::string t; std::getline(s, t, ',');) o.topics.push_back(t);
    } else {
      std::fprintf(stderr, "txn_checker_producer: unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  if (o.bootstrap.empty() || o.transactional_id.empty() || o.topics.empty()) {
    std::fprintf(stderr, "txn_checker_producer: --bootstrap, --transactional-id and --topics are required\n");
    std::exit(2);
  }
  return o;
}

rd_kafka_t* make_producer(const options& o) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const char* k, const std::string& v) {
    if (rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) die(std::string(k) + ": " + err);
  };
  set("bootstrap.servers", o.bootstrap);
  set("transactional.id", o.transactional_id);
  set("linger.ms", "1");
  set("reconnect.backoff.ms", "20");
  set("reconnect.backoff.max.ms", "300");
  set("retry.backoff.ms", "50");
  set("log_level", "2");
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) die(std::string("rd_kafka_new: ") + err);
  return rk;
}

std::string describe(rd_kafka_error_t* e) {
  std::string s = rd_kafka_error_name(e);
  s += std::string(" (") + rd_kafka_error_string(e) + ")";
  if (rd_kafka_error_is_fatal(e)) s += " fatal";
  if (rd_kafka_error_is_retriable(e)) s += " retriable";
  if (rd_kafka_error_txn_requires_abort(e)) s += " requires-abort";
  return s;
}

// Calls `step` until it succeeds; a retriable error is retried until the
// deadline. Returns nullptr on success, else the error (caller destroys it).
template <typename F>
rd_kafka_error_t* with_retries(F step, clock_type::time_point deadline, int64_t txn, const char* what) {
  while (true) {
    rd_kafka_error_t* e = step();
    if (!e) return nullptr;
    say("ERROR " + std::to_string(txn) + " " + what + ": " + describe(e));
    if (rd_kafka_error_is_fatal(e)) die(std::string(what) + " fatal: " + describe(e));
    if (!rd_kafka_error_is_retriable(e) || clock_type::now() >= deadline) return e;
    rd_kafka_error_destroy(e);
  }
}

// Aborts the open transaction; a producer that cannot abort is done.
void abort_txn(rd_kafka_t* rk, int64_t txn, int count, clock_type::time_point deadline) {
  say("ABORTING " + std::to_string(txn) + " " + std::to_string(count));
  rd_kafka_error_t* e = with_retries([&] { return rd_kafka_abort_transaction(rk, 30'000); }, deadline, txn, "abort");
  if (e) die("abort failed: " + describe(e));
  say("ABORTED " + std::to_string(txn));
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  const auto deadline = clock_type::now() + std::chrono::seconds(o.deadline_s);
  rd_kafka_t* rk = make_producer(o);
  if (rd_kafka_error_t* e =
          with_retries([&] { return rd_kafka_init_transactions(rk, 30'000); }, deadline, -1, "init_transactions"))
    die("init_transactions: " + describe(e));
  say("INIT " + std::to_string(o.producer));

  // One generator per producer and run: the same seed replays the same choices.
  std::mt19937_64 rng(o.seed * 1000003 + static_cast<uint64_t>(o.producer) * 7919 + static_cast<uint64_t>(o.first_txn));
  for (int64_t txn = o.first_txn; txn < o.first_txn + o.txns; ++txn) {
    if (rd_kafka_error_t* e = rd_kafka_begin_transaction(rk)) die("begin_transaction: " + describe(e));
    say("BEGIN " + std::to_string(txn));
    const int count = std::uniform_int_distribution<int>(o.records_min, o.records_max)(rng);
    for (int i = 0; i < count; ++i) {
      record_id r;
      r.producer = o.producer;
      r.txn = txn;
      r.index = i;
      r.count = count;
      // The first two records go to different topics, so every transaction spans both.
      r.topic = o.topics[i < 2 ? i % o.topics.size() : rng() % o.topics.size()];
      r.partition = static_cast<int32_t>(rng() % static_cast<uint64_t>(o.partitions));
      std::string v = value_of(r);
      std::string key = "p" + std::to_string(o.producer);
      while (true) {
        rd_kafka_resp_err_t err = rd_kafka_producev(
            rk, RD_KAFKA_V_TOPIC(r.topic.c_str()), RD_KAFKA_V_PARTITION(r.partition),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key.data(), key.size()),
            RD_KAFKA_V_VALUE(v.data(), v.size()), RD_KAFKA_V_END);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
        if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
          say("ERROR " + std::to_string(txn) + " produce: " + rd_kafka_err2name(err));
          if (rd_kafka_fatal_error(rk, nullptr, 0)) die("fatal error while producing");
          abort_txn(rk, txn, count, deadline);
          goto next_txn;
        }
        rd_kafka_poll(rk, 10);
      }
      rd_kafka_poll(rk, 0);
    }
    if (static_cast<int>(rng() % 100) < o.abort_percent) {
      // abort_transaction purges records not sent yet: flush first, so an aborted
      // transaction's records are in the log and a reader must really skip them.
      if (rd_kafka_resp_err_t e = rd_kafka_flush(rk, 30'000))
        say("ERROR " + std::to_string(txn) + " flush before abort: " + rd_kafka_err2name(e));
      abort_txn(rk, txn, count, deadline);
    } else {
      say("COMMITTING " + std::to_string(txn) + " " + std::to_string(count));
      rd_kafka_error_t* e =
          with_retries([&] { return rd_kafka_commit_transaction(rk, 30'000); }, deadline, txn, "commit");
      if (!e) {
        say("COMMITTED " + std::to_string(txn));
      } else if (rd_kafka_error_txn_requires_abort(e)) {
        rd_kafka_error_destroy(e);
        abort_txn(rk, txn, count, deadline);
      } else {
        die("commit failed: " + describe(e));
      }
    }
  next_txn:;
  }
  say("DONE -");
  rd_kafka_destroy(rk);
  return 0;
}
