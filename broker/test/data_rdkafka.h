#pragma once

// librdkafka helpers for data-path end-to-end tests: a deterministic record
// generator (so every consumed record can be checked byte for byte), a
// producer that remembers where each record landed, and a partition reader on
// librdkafka's simple consumer API (no consumer group needed).

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace samsa::broker::testing {

// Record i of a test: key, value, two headers and a timestamp, all derived from
// i so a reader can regenerate what it must see.
struct test_record {
  std::string key;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t timestamp_ms = 0;
};

inline uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline test_record record_of(const std::string& tag, int64_t i, int64_t base_ts) {
  test_record r;
  r.key = tag + "-key-" + std::to_string(i);
  const uint64_t h = mix(static_cast<uint64_t>(i));
  const size_t len = 16 + h % 200;
  r.value.resize(len);
  // Half text (compressible), half noise, so every codec has real work.
  for (size_t j = 0; j < len; ++j) {
    r.value[j] = j % 2 ? static_cast<char>('a' + (i + j) % 26) : static_cast<char>(mix(h + j) & 0xff);
  }
  r.headers = {{"seq", std::to_string(i)}, {"tag", tag + std::string(1, static_cast<char>(h & 0xff))}};
  r.timestamp_ms = base_ts + i;
  return r;
}

inline rd_kafka_conf_t* base_conf(const std::string& bootstrap) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  return conf;
}

inline void set(rd_kafka_conf_t* conf, const char* k, const std::string& v) {
  char err[512];
  ASSERT_EQ(rd_kafka_conf_set(conf, k, v.c_str(), err, sizeof err), RD_KAFKA_CONF_OK) << k << ": " << err;
}

// Where each produced record landed: (partition, offset) -> record index.
struct delivery_log {
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> failed{0};
  std::mutex mu;
  std::map<std::pair<int32_t, int64_t>, int64_t> placed;
  std::string first_error;
};

inline void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* log = static_cast<delivery_log*>(opaque);
  if (m->err) {
    log->failed++;
    std::lock_guard<std::mutex> g(log->mu);
    if (log->first_error.empty()) log->first_error = rd_kafka_err2str(m->err);
    return;
  }
  std::lock_guard<std::mutex> g(log->mu);
  log->placed[{m->partition, m->offset}] = reinterpret_cast<intptr_t>(m->_private);
  log->delivered++;
}

// Produces records [from, to) of `tag` to `topic`, record i to partition i % partitions.
inline void produce_records(rd_kafka_t* rk, const std::string& topic, const std::string& tag, int64_t from, int64_t to,
                            int32_t partitions, int64_t base_ts) {
  for (int64_t i = from; i < to; ++i) {
    test_record r = record_of(tag, i, base_ts);
    rd_kafka_headers_t* hdrs = rd_kafka_headers_new(r.headers.size());
    for (const auto& [k, v] : r.headers) rd_kafka_header_add(hdrs, k.data(), k.size(), v.data(), v.size());
    while (true) {
      rd_kafka_resp_err_t e = rd_kafka_producev(
          rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(static_cast<int32_t>(i % partitions)),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(r.key.data(), r.key.size()),
          RD_KAFKA_V_VALUE(r.value.data(), r.value.size()), RD_KAFKA_V_HEADERS(hdrs),
          RD_KAFKA_V_TIMESTAMP(r.timestamp_ms), RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<intptr_t>(i))),
          RD_KAFKA_V_END);
      if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_headers_destroy(hdrs);
        ADD_FAILURE() << "producev: " << rd_kafka_err2str(e);
        return;
      }
      rd_kafka_poll(rk, 10);
    }
    rd_kafka_poll(rk, 0);
  }
}

// Checks one consumed message against record i.
inline ::testing::AssertionResult same_record(const rd_kafka_message_t* m, const test_record& r) {
  if (m->key_len != r.key.size() || std::memcmp(m->key, r.key.data(), r.key.size()) != 0)
    return ::testing::AssertionFailure() << "key differs at offset " << m->offset;
  if (m->len != r.value.size() || std::memcmp(m->payload, r.value.data(), r.value.size()) != 0)
    return ::testing::AssertionFailure() << "value differs at offset " << m->offset;
  rd_kafka_timestamp_type_t tstype;
  if (rd_kafka_message_timestamp(m, &tstype) != r.timestamp_ms || tstype != RD_KAFKA_TIMESTAMP_CREATE_TIME)
    return ::testing::AssertionFailure() << "timestamp differs at offset " << m->offset;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) != RD_KAFKA_RESP_ERR_NO_ERROR || rd_kafka_header_cnt(hdrs) != r.headers.size())
    return ::testing::AssertionFailure() << "headers missing at offset " << m->offset;
  for (size_t h = 0; h < r.headers.size(); ++h) {
    const char* name;
    const void* value;
    size_t size;
    if (rd_kafka_header_get_all(hdrs, h, &name, &value, &size) != RD_KAFKA_RESP_ERR_NO_ERROR ||
        r.headers[h].first != name || size != r.headers[h].second.size() ||
        std::memcmp(value, r.headers[h].second.data(), size) != 0)
      return ::testing::AssertionFailure() << "header " << h << " differs at offset " << m->offset;
  }
  return ::testing::AssertionSuccess();
}

// Reads one partition from `start` with the simple consumer API until `count`
// messages came or `timeout` passed; calls f(message) for each.
template <typename F>
int64_t read_partition(rd_kafka_t* consumer, const std::string& topic, int32_t partition, int64_t start, int64_t count,
                       std::chrono::milliseconds timeout, F f) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(consumer, topic.c_str(), nullptr);
  EXPECT_EQ(rd_kafka_consume_start(rkt, partition, start), 0);
  int64_t got = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<rd_kafka_message_t*> batch(1000);
  while (got < count && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = rd_kafka_consume_batch(rkt, partition, 200, batch.data(), batch.size());
    for (ssize_t k = 0; k < n; ++k) {
      rd_kafka_message_t* m = batch[static_cast<size_t>(k)];
      if (!m->err && got < count) {
        f(m);
        ++got;
      }
      rd_kafka_message_destroy(m);
    }
  }
  rd_kafka_consume_stop(rkt, partition);
  rd_kafka_topic_destroy(rkt);
  return got;
}

}  // namespace samsa::broker::testing
