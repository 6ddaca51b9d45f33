// group_member: one librdkafka high-level consumer as its own process, for the
// group membership test (groups_membership_test.cc), which starts several of
// them, closes one cleanly, SIGKILLs another and reads what each printed.
//
//   group_member <bootstrap> <group> <topic> <range|cooperative-sticky> <session_timeout_ms>
//
// It subscribes, and for every record it is handed: prints it, then commits
// its offset synchronously (commit after processing: a record is never
// committed before it was printed). A commit that fails (a rebalance in
// between) stays pending and is retried before the next record and in the
// revoke callback, so a partition leaves this member with everything it
// printed committed, unless the process is killed. SIGTERM: close (LeaveGroup)
// and exit 0.
//
// stdout, one line per event, written with write(2) so a SIGKILL loses none:
//   assignment <p>,<p>,...     the whole assignment after each rebalance callback
//   record <p> <offset>        a record was processed
//   committed <p> <next>       the broker acknowledged <next> as p's committed offset
//   commit_failed <p> <next> <error>
//   closed

#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void on_sigterm(int) { stop_requested = 1; }

void say(const std::string& line) {
  std::string out = line + "\n";
  const char* p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t n = ::write(1, p, left);
    if (n <= 0) return;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

struct member {
  rd_kafka_t* rk = nullptr;
  std::string topic;
  // Per partition: the offset after the last record printed and not yet
  // acknowledged as committed.
  std::map<int32_t, int64_t> pending;
};

// Commits the pending offsets of `partitions` (all pending when null), one
// synchronous OffsetCommit; prints each outcome.
void commit_pending(member& m, const rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(m.pending.size()));
  for (const auto& [p, next] : m.pending) {
    bool wanted = partitions == nullptr;
    for (int i = 0; partitions && i < partitions->cnt; ++i) wanted |= partitions->elems[i].partition == p;
    if (wanted) rd_kafka_topic_partition_list_add(list, m.topic.c_str(), p)->offset = next;
  }
  if (list->cnt > 0) {
    rd_kafka_resp_err_t err = rd_kafka_commit(m.rk, list, 0);
    for (int i = 0; i < list->cnt; ++i) {
      const auto& e = list->elems[i];
      const rd_kafka_resp_err_t why = err ? err : e.err;
      if (why == RD_KAFKA_RESP_ERR_NO_ERROR) {
        say("committed " + std::to_string(e.partition) + " " + std::to_string(e.offset));
        if (m.pending[e.partition] == e.offset) m.pending.erase(e.partition);
      } else {
        say("commit_failed " + std::to_string(e.partition) + " " + std::to_string(e.offset) + " " +
            rd_kafka_err2name(why));
      }
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
}

void print_assignment(rd_kafka_t* rk) {
  rd_kafka_topic_partition_list_t* parts = nullptr;
  std::string line = "assignment ";
  if (rd_kafka_assignment(rk, &parts) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < parts->cnt; ++i) line += (i ? "," : "") + std::to_string(parts->elems[i].partition);
    rd_kafka_topic_partition_list_destroy(parts);
  }
  say(line);
}

void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                  void* opaque) {
  auto& m = *static_cast<member*>(opaque);
  const bool cooperative = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    if (cooperative) {
      rd_kafka_error_t* e = rd_kafka_incremental_assign(rk, partitions);
      if (e) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk, partitions);
    }
  } else {
    // Revoked: what was printed from these partitions is committed before they go.
    commit_pending(m, partitions);
    for (int i = 0; i < partitions->cnt; ++i) m.pending.erase(partitions->elems[i].partition);
    if (cooperative) {
      rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk, partitions);
      if (e) rd_kafka_error_destroy(e);
    } else {
      rd_kafka_assign(rk, nullptr);
    }
  }
  print_assignment(rk);
}

bool set(rd_kafka_conf_t* conf, const char* key, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof err) == RD_KAFKA_CONF_OK) return true;
  std::fprintf(stderr, "group_member: %s: %s\n", key, err);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s <bootstrap> <group> <topic> <range|cooperative-sticky> <session_timeout_ms>\n",
                 argv[0]);
    return 2;
  }
  std::signal(SIGTERM, on_sigterm);
  member m;
  m.topic = argv[3];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const bool ok = set(conf, "bootstrap.servers", argv[1]) && set(conf, "group.id", argv[2]) &&
                  set(conf, "partition.assignment.strategy", argv[4]) && set(conf, "session.timeout.ms", argv[5]) &&
                  set(conf, "heartbeat.interval.ms", "300") && set(conf, "enable.auto.commit", "false") &&
                  set(conf, "auto.offset.reset", "earliest") && set(conf, "fetch.wait.max.ms", "100") &&
                  set(conf, "reconnect.backoff.ms", "20") && set(conf, "reconnect.backoff.max.ms", "200") &&
                  set(conf, "log_level", "3");
  if (!ok) return 2;
  rd_kafka_conf_set_opaque(conf, &m);
  rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
  char err[512];
  m.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!m.rk) {
    std::fprintf(stderr, "group_member: %s\n", err);
    return 2;
  }
  rd_kafka_poll_set_consumer(m.rk);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, m.topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (rd_kafka_subscribe(m.rk, topics) != RD_KAFKA_RESP_ERR_NO_ERROR) return 2;
  rd_kafka_topic_partition_list_destroy(topics);

  while (!stop_requested) {
    if (!m.pending.empty()) commit_pending(m, nullptr);
    rd_kafka_message_t* msg = rd_kafka_consumer_poll(m.rk, 100);
    if (!msg) continue;
    if (!msg->err) {
      say("record " + std::to_string(msg->partition) + " " + std::to_string(msg->offset));
      m.pending[msg->partition] = msg->offset + 1;
      commit_pending(m, nullptr);
    }
    rd_kafka_message_destroy(msg);
  }
  rd_kafka_consumer_close(m.rk);
  rd_kafka_destroy(m.rk);
  say("closed");
  return 0;
}
