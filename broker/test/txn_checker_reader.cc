#include "broker/test/txn_checker_reader.h"

#include <cstdio>
#include <sstream>

namespace samsa::broker::testing::txn {

namespace {

rd_kafka_t* make_consumer(const std::string& bootstrap, const std::string& isolation_level, bool eof) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const char* k, const char* v) { rd_kafka_conf_set(conf, k, v, err, sizeof err); };
  set("bootstrap.servers", bootstrap.c_str());
  set("isolation.level", isolation_level.c_str());
  set("enable.partition.eof", eof ? "true" : "false");
  // assign() only, never joins: librdkafka 2.0.2's consumer API still wants a group.id.
  set("group.id", "txn-checker-reader");
  set("enable.auto.commit", "false");
  set("enable.auto.offset.store", "false");
  // A reset would re-read or skip records; the check would then report them.
  set("auto.offset.reset", "earliest");
  set("fetch.wait.max.ms", "100");
  set("reconnect.backoff.ms", "20");
  set("reconnect.backoff.max.ms", "300");
  set("log_level", "2");
  return rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
}

}  // namespace

reader::reader(const std::string& bootstrap, const std::vector<partition_key>& partitions,
               const std::string& isolation_level) {
  rk_ = make_consumer(bootstrap, isolation_level, true);
  rd_kafka_poll_set_consumer(rk_);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (const auto& [topic, part] : partitions) {
    rd_kafka_topic_partition_list_add(list, topic.c_str(), part)->offset = RD_KAFKA_OFFSET_BEGINNING;
    reading_[{topic, part}];
  }
  if (rd_kafka_resp_err_t e = rd_kafka_assign(rk_, list)) {
    std::fprintf(stderr, "[txn-checker] assign: %s\n", rd_kafka_err2str(e));
    ++errors_;
  }
  rd_kafka_topic_partition_list_destroy(list);
  thread_ = std::thread([this] { run(); });
}

reader::~reader() {
  finish();
  if (rk_) {
    rd_kafka_consumer_close(rk_);
    rd_kafka_destroy(rk_);
  }
}

void reader::run() {
  while (!stop_) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, 100);
    if (!m) continue;
    const partition_key key{m->rkt ? rd_kafka_topic_name(m->rkt) : "", m->partition};
    {
      std::lock_guard<std::mutex> g(mu_);
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        eof_at_[key] = m->offset;
      } else if (m->err) {
        ++errors_;  // transport errors while the broker is down: librdkafka retries by itself
      } else {
        reading_[key].push_back({m->offset, std::string(static_cast<const char*>(m->payload), m->len)});
      }
    }
    rd_kafka_message_destroy(m);
  }
}

bool reader::wait_until_read(const end_offsets& ends, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    {
      std::lock_guard<std::mutex> g(mu_);
      bool all = true;
      for (const auto& [key, end] : ends) {
        // End-of-partition at or past the end, or a record at end-1 read (EOF comes right after).
        const auto eof = eof_at_.find(key);
        if (eof == eof_at_.end() || eof->second < end) all = false;
      }
      if (all) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string reader::progress(const end_offsets& ends) {
  std::lock_guard<std::mutex> g(mu_);
  std::ostringstream s;
  for (const auto& [key, end] : ends) {
    const auto eof = eof_at_.find(key);
    s << key.first << "/" << key.second << " eof " << (eof == eof_at_.end() ? -1 : eof->second) << " of " << end
      << "; ";
  }
  return s.str();
}

reading reader::finish() {
  if (!stop_.exchange(true) && thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> g(mu_);
  return reading_;
}

end_offsets query_end_offsets(const std::string& bootstrap, const std::vector<partition_key>& partitions,
                              const std::string& isolation_level, std::string* error) {
  rd_kafka_t* rk = make_consumer(bootstrap, isolation_level, false);
  end_offsets out;
  for (const auto& [topic, part] : partitions) {
    int64_t low = 0, high = 0;
    const rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, topic.c_str(), part, &low, &high, 10'000);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (error) *error = topic + "/" + std::to_string(part) + ": " + rd_kafka_err2name(e);
      out.clear();
      break;
    }
    out[{topic, part}] = high;
  }
  rd_kafka_destroy(rk);
  return out;
}

end_offsets wait_until_stable(const std::string& bootstrap, const std::vector<partition_key>& partitions,
                              std::chrono::milliseconds timeout, std::string* last_state) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::string error;
    const end_offsets high = query_end_offsets(bootstrap, partitions, "read_uncommitted", &error);
    const end_offsets stable = query_end_offsets(bootstrap, partitions, "read_committed", &error);
    if (!high.empty() && high == stable) return high;
    if (last_state) {
      std::ostringstream s;
      s << (error.empty() ? "" : error + "; ");
      for (const auto& [key, hw] : high)
        s << key.first << "/" << key.second << " high " << hw << " stable "
          << (stable.contains(key) ? stable.at(key) : -1) << "; ";
      *last_state = s.str();
    }
    if (std::chrono::steady_clock::now() >= deadline) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace samsa::broker::testing::txn
