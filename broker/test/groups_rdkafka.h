#pragma once

// librdkafka helpers for group end-to-end tests: a KafkaConsumer (subscribe,
// classic group protocol) that remembers every (partition, offset) it was
// handed, and polling with deadlines instead of sleeps.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "broker/test/data_rdkafka.h"

namespace samsa::broker::testing {

class group_consumer {
 public:
  group_consumer(const std::string& bootstrap, const std::string& group, const std::string& topic,
                 const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    rd_kafka_conf_t* conf = base_conf(bootstrap);
    set(conf, "group.id", group);
    for (const auto& [k, v] : extra) set(conf, k.c_str(), v);
    set(conf, "auto.offset.reset", "earliest");
    set(conf, "enable.auto.commit", "false");
    set(conf, "session.timeout.ms", "6000");
    set(conf, "heartbeat.interval.ms", "300");
    set(conf, "fetch.wait.max.ms", "100");
    set(conf, "reconnect.backoff.ms", "20");
    set(conf, "reconnect.backoff.max.ms", "200");
    char err[512];
    rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    EXPECT_NE(rk_, nullptr) << err;
    rd_kafka_poll_set_consumer(rk_);
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
    EXPECT_EQ(rd_kafka_subscribe(rk_, topics), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_topic_partition_list_destroy(topics);
  }
  ~group_consumer() { close(); }
  group_consumer(const group_consumer&) = delete;
  group_consumer& operator=(const group_consumer&) = delete;

  // Leaves the group (LeaveGroup) and destroys the client.
  void close() {
    if (!rk_) return;
    rd_kafka_consumer_close(rk_);
    rd_kafka_destroy(rk_);
    rk_ = nullptr;
  }

  // Polls once; a record is remembered and handed to `on_record`.
  void poll_once(int timeout_ms, const std::function<void(const rd_kafka_message_t*)>& on_record = {}) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, timeout_ms);
    if (!m) return;
    if (!m->err) {
      seen_.emplace_back(m->partition, m->offset);
      if (on_record) on_record(m);
    }
    rd_kafka_message_destroy(m);
  }

  // The partitions currently assigned to this member.
  std::set<int32_t> assignment() {
    std::set<int32_t> out;
    rd_kafka_topic_partition_list_t* parts = nullptr;
    if (rd_kafka_assignment(rk_, &parts) != RD_KAFKA_RESP_ERR_NO_ERROR) return out;
    for (int i = 0; i < parts->cnt; ++i) out.insert(parts->elems[i].partition);
    rd_kafka_topic_partition_list_destroy(parts);
    return out;
  }

  // Commits the offsets of the records handed out so far, synchronously.
  rd_kafka_resp_err_t commit() { return rd_kafka_commit(rk_, nullptr, 0); }

  // The group's committed offsets of `topic` partitions [0, n), from the broker.
  std::map<int32_t, int64_t> committed(const std::string& topic, int32_t n) {
    std::map<int32_t, int64_t> out;
    rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(n);
    for (int32_t p = 0; p < n; ++p) rd_kafka_topic_partition_list_add(parts, topic.c_str(), p);
    EXPECT_EQ(rd_kafka_committed(rk_, parts, 30'000), RD_KAFKA_RESP_ERR_NO_ERROR);
    for (int i = 0; i < parts->cnt; ++i) out[parts->elems[i].partition] = parts->elems[i].offset;
    rd_kafka_topic_partition_list_destroy(parts);
    return out;
  }

  const std::vector<std::pair<int32_t, int64_t>>& seen() const { return seen_; }
  rd_kafka_t* handle() { return rk_; }

 private:
  rd_kafka_t* rk_ = nullptr;
  std::vector<std::pair<int32_t, int64_t>> seen_;
};

// Produces `count` records of `tag`, record i to partition i % partitions, and
// waits until all are acknowledged.
inline void produce_and_flush(const std::string& bootstrap, const std::string& topic, const std::string& tag,
                              int64_t count, int32_t partitions) {
  delivery_log log;
  rd_kafka_conf_t* conf = base_conf(bootstrap);
  set(conf, "linger.ms", "5");
  rd_kafka_conf_set_opaque(conf, &log);
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  char err[512];
  rd_kafka_t* p = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  ASSERT_NE(p, nullptr) << err;
  produce_records(p, topic, tag, 0, count, partitions, 1'700'000'000'000);
  EXPECT_EQ(rd_kafka_flush(p, 60'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(log.delivered.load(), count) << log.first_error;
  rd_kafka_destroy(p);
}

// Polls `consumers` round-robin until `done()` or the deadline; returns done().
inline bool poll_until(std::vector<group_consumer*> consumers, std::chrono::milliseconds deadline,
                       const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    for (auto* c : consumers) c->poll_once(50);
  }
  return true;
}

}  // namespace samsa::broker::testing
