// The transaction checker (a Jepsen-style test of exactly-once transactions).
//
// Several transactional producers (txn_checker_producer, each its own process
// and transactional.id) write transactions that span several partitions of two
// topics, committing or aborting at random and logging every outcome as the
// client saw it. In most rounds the BROKER is SIGKILLed right after a producer
// started a commit, and restarted; in some a PRODUCER is SIGKILLed mid-commit
// (its successor's init_transactions fences it). A read_committed reader runs
// through all of it, and a fresh one reads everything at the end; both readings
// are checked against the producers' logs (txn_checker_history.h lists the
// invariants). Deterministic seed; every wait has a deadline.
//
//   txn_checker [--broker samsa|kafka] [--samsa-binary PATH] [--kafka-node DIR] [--kafka-tools DIR]
//               [--seed N] [--rounds R] [--producers P] [--txns-per-round K] [--no-crash]
//               [--break read-uncommitted|lose-record|duplicate-record] [--keep]
//
// --break is a deliberately broken mode of the checker's own final reading (a
// read_uncommitted consumer, or a committed record dropped or duplicated before
// the check): the run must then FAIL, which shows the check can fail.
//
// Exit: 0 passed; 1 a violation or a harness failure; 77 skipped because the
// broker answers FindCoordinator(TRANSACTION) with COORDINATOR_NOT_AVAILABLE
// for 15 s (it serves no transactions).

#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include "broker/test/process.h"
#include "broker/test/txn_checker_broker.h"
#include "broker/test/txn_checker_history.h"
#include "broker/test/txn_checker_reader.h"

namespace {

using namespace samsa::broker::testing;
using namespace samsa::broker::testing::txn;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

constexpr int kPartitions = 3;
constexpr int kProducerDeadlineS = 150;

struct options {
  std::string broker = "samsa";
#ifdef SAMSA_BINARY
  std::string samsa_binary = SAMSA_BINARY;
#else
  std::string samsa_binary;
#endif
#ifdef TXN_PRODUCER_BINARY
  std::string producer_binary = TXN_PRODUCER_BINARY;
#else
  std::string producer_binary;
#endif
  std::string kafka_node;
#ifdef SAMSA_SOURCE_DIR
  std::string kafka_tools = std::string(SAMSA_SOURCE_DIR) + "/tools/kafka";
#else
  std::string kafka_tools;
#endif
  uint64_t seed = 1;
  int rounds = 6, producers = 3, txns_per_round = 12;
  bool crash = true, keep = false;
  std::string break_mode;
};

void log(const std::string& s) {
  std::cout << "[txn-checker] " << s << std::endl;
}

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "txn_checker: " << why << "\n";
  std::exit(2);
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(k + " needs a value");
      return argv[++i];
    };
    if (k == "--broker") o.broker = value();
    else if (k == "--samsa-binary") o.samsa_binary = value();
    else if (k == "--producer-binary") o.producer_binary = value();
    else if (k == "--kafka-node") o.kafka_node = value();
    else if (k == "--kafka-tools") o.kafka_tools = value();
    else if (k == "--seed") o.seed = std::strtoull(value().c_str(), nullptr, 10);
    else if (k == "--rounds") o.rounds = std::atoi(value().c_str());
    else if (k == "--producers") o.producers = std::atoi(value().c_str());
    else if (k == "--txns-per-round") o.txns_per_round = std::atoi(value().c_str());
    else if (k == "--break") o.break_mode = value();
    else if (k == "--no-crash") o.crash = false;
    else if (k == "--keep") o.keep = true;
    else usage("unknown option " + k);
  }
  if (o.broker != "samsa" && o.broker != "kafka") usage("--broker samsa|kafka");
  if (o.broker == "kafka" && o.kafka_node.empty()) usage("--broker kafka needs --kafka-node (tools/kafka/format.sh)");
  if (!o.break_mode.empty() && o.break_mode != "read-uncommitted" && o.break_mode != "lose-record" &&
      o.break_mode != "duplicate-record")
    usage("--break read-uncommitted|lose-record|duplicate-record");
  if (o.producer_binary.empty()) usage("--producer-binary is required");
  return o;
}

bool create_topics(const std::string& bootstrap, const std::vector<std::string>& topics, std::string* why) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  std::vector<rd_kafka_NewTopic_t*> nts;
  for (const auto& t : topics) nts.push_back(rd_kafka_NewTopic_new(t.c_str(), kPartitions, 1, err, sizeof err));
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, nts.data(), nts.size(), nullptr, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, 60'000);
  bool ok = false;
  if (!ev) {
    *why = "CreateTopics: no answer in 60 s";
  } else if (rd_kafka_event_error(ev)) {
    *why = std::string("CreateTopics: ") + rd_kafka_event_error_string(ev);
  } else {
    size_t n = 0;
    const rd_kafka_topic_result_t** res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    ok = true;
    for (size_t i = 0; i < n; ++i)
      if (rd_kafka_topic_result_error(res[i])) {
        ok = false;
        *why = std::string("CreateTopics ") + rd_kafka_topic_result_name(res[i]) + ": " +
               rd_kafka_topic_result_error_string(res[i]);
      }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(q);
  for (auto* nt : nts) rd_kafka_NewTopic_destroy(nt);
  rd_kafka_destroy(rk);
  return ok;
}

int count_lines_starting(const std::string& text, const std::string& word) {
  int n = 0;
  for (size_t pos = 0; (pos = text.find(word, pos)) != std::string::npos; pos += word.size())
    if (pos == 0 || text[pos - 1] == '\n') ++n;
  return n;
}

// One run: the broker, the producers' logs, the live reader.
class run {
 public:
  run(options o, std::filesystem::path work) : o_(std::move(o)), work_(std::move(work)), rng_(o_.seed) {
    const std::string id = "s" + std::to_string(o_.seed) + "-" + std::to_string(::getpid());
    topics_ = {"txnchk-" + id + "-a", "txnchk-" + id + "-b"};
    for (const auto& t : topics_)
      for (int p = 0; p < kPartitions; ++p) partitions_.push_back({t, p});
    for (int p = 0; p < o_.producers; ++p) transactional_ids_.push_back("txnchk-" + id + "-p" + std::to_string(p));
    next_txn_.assign(static_cast<size_t>(o_.producers), 0);
  }

  int execute();

 private:
  std::unique_ptr<child_process> spawn_producer(int p, int txns, const std::string& tag) {
    std::string topics = topics_[0] + "," + topics_[1];
    auto out = work_ / ("producer-" + tag + "-p" + std::to_string(p) + ".log");
    logs_.push_back({p, out, next_txn_[static_cast<size_t>(p)]});
    return std::make_unique<child_process>(
        std::vector<std::string>{o_.producer_binary, "--bootstrap", broker_->bootstrap(), "--transactional-id",
                                 transactional_ids_[static_cast<size_t>(p)], "--producer", std::to_string(p),
                                 "--first-txn", std::to_string(next_txn_[static_cast<size_t>(p)]), "--txns",
                                 std::to_string(txns), "--seed", std::to_string(o_.seed), "--topics", topics,
                                 "--partitions", std::to_string(kPartitions), "--deadline-s",
                                 std::to_string(kProducerDeadlineS)},
        out);
  }
  bool restart_broker_after_kill(int round);
  bool run_round(int round);
  // Adds every producer log to the history; returns fatal exits seen.
  void collect(const std::vector<std::unique_ptr<child_process>>& children, size_t first_log);
  int check_readings(reading live, reading final);

  options o_;
  std::filesystem::path work_;
  std::mt19937_64 rng_;
  std::unique_ptr<broker_under_test> broker_;
  std::vector<std::string> topics_;
  std::vector<partition_key> partitions_;
  std::vector<std::string> transactional_ids_;
  std::vector<int64_t> next_txn_;
  struct producer_log {
    int producer;
    std::filesystem::path file;
    int64_t first_txn;
  };
  std::vector<producer_log> logs_;
  history history_;
  int broker_kills_ = 0, producer_kills_ = 0, producer_failures_ = 0;
};

bool run::restart_broker_after_kill(int round) {
  std::string why;
  if (!broker_->kill(&why)) {
    log("round " + std::to_string(round) + ": " + why);
    return false;
  }
  ++broker_kills_;
  std::this_thread::sleep_for(std::chrono::milliseconds(rng_() % 300));  // sometimes the producers see it down
  if (!broker_->start(&why)) {
    log("round " + std::to_string(round) + ": restart failed: " + why);
    return false;
  }
  return true;
}

bool run::run_round(int round) {
  const size_t first_log = logs_.size();
  std::vector<std::unique_ptr<child_process>> children;
  for (int p = 0; p < o_.producers; ++p) children.push_back(spawn_producer(p, o_.txns_per_round, std::to_string(round)));
  const bool kill_broker = o_.crash && round % 2 == 0;
  const bool kill_producer = o_.crash && round % 3 == 0;
  if (kill_broker || kill_producer) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng_() % 900));
    // Wait for a producer to start a commit after the delay, then strike at once.
    const int victim = static_cast<int>(rng_() % static_cast<uint64_t>(o_.producers));
    auto committing = [&](int p) {
      return count_lines_starting(children[static_cast<size_t>(p)]->output(), "COMMITTING ");
    };
    std::vector<int> before;
    for (int p = 0; p < o_.producers; ++p) before.push_back(committing(p));
    const auto deadline = clock_type::now() + 30s;
    bool struck = false;
    while (!struck && clock_type::now() < deadline) {
      for (int p = 0; p < o_.producers && !struck; ++p) {
        if (committing(p) <= before[static_cast<size_t>(p)]) continue;
        // 0-15 ms after the COMMITTING line: before EndTxn left, while it is in flight, or after
        // the coordinator decided, so an unknown outcome can end either way.
        std::this_thread::sleep_for(std::chrono::milliseconds(rng_() % 16));
        if (kill_producer && p == victim) {
          children[static_cast<size_t>(p)]->signal(SIGKILL);
          ++producer_kills_;
          log("round " + std::to_string(round) + ": SIGKILLed producer " + std::to_string(p) + " mid-commit");
          if (kill_broker) {
            if (!restart_broker_after_kill(round)) return false;
            log("round " + std::to_string(round) + ": SIGKILLed and restarted the broker too");
          }
          struck = true;
        } else if (kill_broker && !kill_producer) {
          if (!restart_broker_after_kill(round)) return false;
          log("round " + std::to_string(round) + ": SIGKILLed the broker while producer " + std::to_string(p) +
              " committed; restarted");
          struck = true;
        }
      }
      if (!struck) std::this_thread::sleep_for(1ms);
    }
    if (!struck) log("round " + std::to_string(round) + ": no commit started within 30 s; nothing killed");
  }
  for (auto& c : children) {
    if (!c->wait(std::chrono::seconds(kProducerDeadlineS + 30))) {
      log("round " + std::to_string(round) + ": a producer overran its deadline; SIGKILL");
      c->signal(SIGKILL);
      c->wait(10s);
    }
  }
  collect(children, first_log);
  return true;
}

void run::collect(const std::vector<std::unique_ptr<child_process>>& children, size_t first_log) {
  for (size_t i = 0; i < children.size(); ++i) {
    const producer_log& l = logs_[first_log + i];
    const std::string out = children[i]->output();
    next_txn_[static_cast<size_t>(l.producer)] = add_producer_log(history_, l.producer, out, l.first_txn);
    const auto code = children[i]->wait(0ms);
    if (code && *code != 0 && *code != 128 + SIGKILL) {
      ++producer_failures_;
      const size_t fatal = out.find("FATAL");
      log("producer " + std::to_string(l.producer) + " exited " + std::to_string(*code) + ": " +
          (fatal == std::string::npos ? "" : out.substr(fatal, out.find('\n', fatal) - fatal)));
    }
  }
}

int run::check_readings(reading live, reading final) {
  if (o_.break_mode == "lose-record" || o_.break_mode == "duplicate-record") {
    // Break the final reading on purpose: one record of a committed transaction.
    for (auto& [part, records] : final) {
      auto it = std::find_if(records.begin(), records.end(), [&](const read_record& r) {
        auto id = parse_value(r.value);
        return id && history_.contains({id->producer, id->txn}) &&
               history_.at({id->producer, id->txn}).result == outcome::committed;
      });
      if (it == records.end()) continue;
      log("--break " + o_.break_mode + ": " + it->value + " at " + part.first + "/" + std::to_string(part.second));
      if (o_.break_mode == "lose-record") records.erase(it);
      else records.insert(it + 1, *it);
      break;
    }
  }
  int failed = 0;
  for (const auto& [name, r] : {std::pair<std::string, const reading*>{"live reader", &live}, {"final reader", &final}}) {
    const check_result c = check(history_, *r);
    log(name + ": " + c.summary());
    for (size_t i = 0; i < c.violations.size() && i < 25; ++i) log("  VIOLATION " + c.violations[i]);
    if (c.violations.size() > 25) log("  ... and " + std::to_string(c.violations.size() - 25) + " more");
    if (!c.ok()) ++failed;
    if (c.committed == 0) {
      log(name + ": no transaction committed: the run proves nothing");
      ++failed;
    }
  }
  return failed;
}

int run::execute() {
  broker_ = o_.broker == "samsa" ? samsa_broker(o_.samsa_binary, work_) : kafka_broker(o_.kafka_node, o_.kafka_tools);
  std::string why;
  if (!broker_->start(&why)) {
    log(why);
    return 1;
  }
  log(broker_->name() + " at " + broker_->bootstrap() + "; seed " + std::to_string(o_.seed) + ", " +
      std::to_string(o_.rounds) + " rounds x " + std::to_string(o_.producers) + " producers x " +
      std::to_string(o_.txns_per_round) + " transactions");

  // Kafka answers COORDINATOR_NOT_AVAILABLE while it creates __transaction_state:
  // only a broker that keeps answering it for 15 s is taken to serve no transactions.
  std::optional<int16_t> answer;
  for (auto deadline = clock_type::now() + 15s; clock_type::now() < deadline;) {
    answer = find_transaction_coordinator(broker_->bootstrap(), transactional_ids_[0], 5s);
    if (answer && *answer != kCoordinatorNotAvailable) break;
    std::this_thread::sleep_for(250ms);
  }
  if (answer && *answer == kCoordinatorNotAvailable) {
    std::cout << "SKIP: the broker answers FindCoordinator(key_type=TRANSACTION) with COORDINATOR_NOT_AVAILABLE "
                 "(15) for 15 s: it serves no transactions (Samsa issue 8)"
              << std::endl;
    broker_->stop();
    return 77;
  }
  log("FindCoordinator(TRANSACTION) answered error " + (answer ? std::to_string(*answer) : std::string("none")));

  if (!create_topics(broker_->bootstrap(), topics_, &why)) {
    log(why);
    broker_->stop();
    return 1;
  }
  auto live = std::make_unique<reader>(broker_->bootstrap(), partitions_, "read_committed");

  bool ok = true;
  for (int round = 1; round <= o_.rounds && ok; ++round) {
    ok = run_round(round);
    int committed = 0;
    for (const auto& [t, out] : history_) committed += out.result == outcome::committed;
    log("round " + std::to_string(round) + " done: " + std::to_string(history_.size()) + " transactions, " +
        std::to_string(committed) + " committed so far");
  }
  if (!ok) {
    log("broker: " + broker_->log_tail());
    return 1;
  }
  // Fence every transactional.id: a killed producer's open transaction is aborted now.
  std::vector<std::unique_ptr<child_process>> fences;
  const size_t first_log = logs_.size();
  for (int p = 0; p < o_.producers; ++p) fences.push_back(spawn_producer(p, 0, "fence"));
  for (auto& f : fences)
    if (!f->wait(std::chrono::seconds(kProducerDeadlineS + 30))) f->signal(SIGKILL);
  collect(fences, first_log);

  std::string state;
  const end_offsets ends = wait_until_stable(broker_->bootstrap(), partitions_, 120s, &state);
  if (ends.empty()) {
    log("transactions still open 120 s after the producers finished: " + state);
    return 1;
  }
  if (!live->wait_until_read(ends, 60s)) log("live reader did not reach the end: " + live->progress(ends));
  auto final = std::make_unique<reader>(broker_->bootstrap(), partitions_,
                                        o_.break_mode == "read-uncommitted" ? "read_uncommitted" : "read_committed");
  if (!final->wait_until_read(ends, 60s)) log("final reader did not reach the end: " + final->progress(ends));
  int64_t total = 0;
  for (const auto& [k, v] : ends) total += v;
  log("log end offsets sum to " + std::to_string(total) + " (records and transaction markers); broker kills " +
      std::to_string(broker_kills_) + ", producer kills " + std::to_string(producer_kills_) +
      ", producer failures " + std::to_string(producer_failures_));
  int failed = check_readings(live->finish(), final->finish());
  live.reset();  // the consumers close before the broker goes
  final.reset();
  // The aborted-invisibility check is vacuous unless aborted records reach the log:
  // a read_uncommitted audit counts them.
  {
    reader audit(broker_->bootstrap(), partitions_, "read_uncommitted");
    if (!audit.wait_until_read(ends, 60s)) log("audit reader did not reach the end: " + audit.progress(ends));
    int64_t aborted_in_log = 0;
    for (const auto& [part, records] : audit.finish())
      for (const read_record& r : records)
        if (auto id = parse_value(r.value); id && history_.contains({id->producer, id->txn}) &&
                                            history_.at({id->producer, id->txn}).result == outcome::aborted)
          ++aborted_in_log;
    log("read_uncommitted audit: " + std::to_string(aborted_in_log) +
        " records of aborted transactions are in the log (a read_committed reader must skip them)");
    if (aborted_in_log == 0) {
      log("no aborted record reached the log: the run proves nothing about aborts");
      ++failed;
    }
  }
  broker_->stop();
  log(failed ? "FAILED" : "PASSED");
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  char tmpl[] = "/tmp/txn-checker-XXXXXX";
  const std::filesystem::path work = ::mkdtemp(tmpl);
  int code = run(o, work).execute();
  if (o.keep || code == 1) {
    std::cout << "[txn-checker] logs kept in " << work.string() << std::endl;
  } else {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
  }
  return code;
}
