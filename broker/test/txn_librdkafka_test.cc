// librdkafka's transactional producer against the broker: committed
// transactions are seen by read_committed consumers and aborted ones are
// not (read_uncommitted consumers see both); offsets sent to a transaction
// are committed with it; a second producer with the same transactional.id
// fences the first.

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <string>
#include <vector>

#include "broker/test/data_rdkafka.h"
#include "broker/test/txn_wire.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

class TxnLibrdkafka : public data_fixture {
 protected:
  std::vector<std::pair<std::string, std::string>> extra_config() const override { return txn_broker_config(); }

  rd_kafka_t* producer(const std::string& txn_id) {
    rd_kafka_conf_t* conf = base_conf(bootstrap());
    set(conf, "transactional.id", txn_id);
    set(conf, "linger.ms", "5");
    set(conf, "transaction.timeout.ms", "60000");
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    EXPECT_NE(rk, nullptr) << err;
    return rk;
  }

  rd_kafka_t* consumer(const std::string& isolation, const std::string& group = "") {
    rd_kafka_conf_t* conf = base_conf(bootstrap());
    set(conf, "isolation.level", isolation);
    set(conf, "enable.auto.commit", "false");
    if (!group.empty()) set(conf, "group.id", group);
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    EXPECT_NE(rk, nullptr) << err;
    return rk;
  }

  static void produce(rd_kafka_t* rk, const std::string& value) {
    ASSERT_EQ(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("t"), RD_KAFKA_V_PARTITION(0),
                                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  static std::string ok(rd_kafka_error_t* e) {
    if (!e) return "";
    std::string s = rd_kafka_error_string(e);
    rd_kafka_error_destroy(e);
    return s;
  }

  // Values of partition 0 of "t" from the start until `last` is read (20 s at most).
  std::vector<std::string> read_until(const std::string& isolation, const std::string& last) {
    rd_kafka_t* c = consumer(isolation);
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(c, "t", nullptr);
    EXPECT_EQ(rd_kafka_consume_start(rkt, 0, RD_KAFKA_OFFSET_BEGINNING), 0);
    std::vector<std::string> values;
    bool done = false;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    std::vector<rd_kafka_message_t*> batch(100);
    while (!done && std::chrono::steady_clock::now() < deadline) {
      ssize_t n = rd_kafka_consume_batch(rkt, 0, 200, batch.data(), batch.size());
      for (ssize_t k = 0; k < n; ++k) {
        rd_kafka_message_t* m = batch[static_cast<size_t>(k)];
        if (!m->err && !done) {
          values.emplace_back(static_cast<const char*>(m->payload), m->len);
          done = values.back() == last;
        }
        rd_kafka_message_destroy(m);
      }
    }
    rd_kafka_consume_stop(rkt, 0);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(c);
    EXPECT_TRUE(done) << "never read " << last;
    return values;
  }
};

TEST_F(TxnLibrdkafka, ReadCommittedConsumersSeeExactlyTheCommittedRecords) {
  create_topic("t", 1);
  rd_kafka_t* p = producer("rk-txn");
  ASSERT_EQ(ok(rd_kafka_init_transactions(p, 30000)), "");

  ASSERT_EQ(ok(rd_kafka_begin_transaction(p)), "");
  for (int i = 0; i < 10; ++i) produce(p, "c-" + std::to_string(i));
  ASSERT_EQ(ok(rd_kafka_commit_transaction(p, 30000)), "");

  ASSERT_EQ(ok(rd_kafka_begin_transaction(p)), "");
  for (int i = 0; i < 5; ++i) produce(p, "a-" + std::to_string(i));
  // Written before the abort (abort_transaction purges what is not yet sent).
  ASSERT_EQ(rd_kafka_flush(p, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(ok(rd_kafka_abort_transaction(p, 30000)), "");

  ASSERT_EQ(ok(rd_kafka_begin_transaction(p)), "");
  for (int i = 0; i < 4; ++i) produce(p, "d-" + std::to_string(i));
  rd_kafka_topic_partition_list_t* offsets = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(offsets, "t", 0)->offset = 7;
  rd_kafka_consumer_group_metadata_t* group = rd_kafka_consumer_group_metadata_new("rk-group");
  ASSERT_EQ(ok(rd_kafka_send_offsets_to_transaction(p, offsets, group, 30000)), "");
  rd_kafka_consumer_group_metadata_destroy(group);
  rd_kafka_topic_partition_list_destroy(offsets);
  ASSERT_EQ(ok(rd_kafka_commit_transaction(p, 30000)), "");
  rd_kafka_destroy(p);

  {
    // What a read_committed Fetch says: the aborted transaction starts after the first commit marker.
    wire_client wc(port());
    auto req = fetch_request_of("t", services().metadata->current()->find_topic("t")->id, 0, 0);
    req.isolation_level = 1;
    // The last commit's marker is written after EndTxn is answered: poll for it.
    std::optional<protocol::fetch_response> fr;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
      fr = fetch(wc, req, 12);
      ASSERT_TRUE(fr);
    } while (only_partition(*fr).last_stable_offset < 22 && std::chrono::steady_clock::now() < deadline);
    const auto& pd = only_partition(*fr);
    EXPECT_EQ(pd.last_stable_offset, 22);  // 10 + marker + 5 + marker + 4 + marker
    ASSERT_TRUE(pd.aborted_transactions);
    ASSERT_EQ(pd.aborted_transactions->size(), 1u);
    EXPECT_EQ((*pd.aborted_transactions)[0].first_offset, 11);
  }
  std::vector<std::string> expected;
  for (int i = 0; i < 10; ++i) expected.push_back("c-" + std::to_string(i));
  for (int i = 0; i < 4; ++i) expected.push_back("d-" + std::to_string(i));
  EXPECT_EQ(read_until("read_committed", "d-3"), expected);

  std::vector<std::string> all;
  for (int i = 0; i < 10; ++i) all.push_back("c-" + std::to_string(i));
  for (int i = 0; i < 5; ++i) all.push_back("a-" + std::to_string(i));
  for (int i = 0; i < 4; ++i) all.push_back("d-" + std::to_string(i));
  EXPECT_EQ(read_until("read_uncommitted", "d-3"), all);

  // The offsets sent to the transaction were committed with it.
  rd_kafka_t* c = consumer("read_committed", "rk-group");
  rd_kafka_topic_partition_list_t* q = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(q, "t", 0);
  ASSERT_EQ(rd_kafka_committed(c, q, 20000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(q->elems[0].offset, 7);
  rd_kafka_topic_partition_list_destroy(q);
  rd_kafka_destroy(c);
}

TEST_F(TxnLibrdkafka, ASecondProducerWithTheSameTransactionalIdFencesTheFirst) {
  create_topic("t", 1);
  rd_kafka_t* first = producer("shared-id");
  ASSERT_EQ(ok(rd_kafka_init_transactions(first, 30000)), "");
  ASSERT_EQ(ok(rd_kafka_begin_transaction(first)), "");
  produce(first, "zombie");
  ASSERT_EQ(rd_kafka_flush(first, 10000), RD_KAFKA_RESP_ERR_NO_ERROR);

  rd_kafka_t* second = producer("shared-id");
  ASSERT_EQ(ok(rd_kafka_init_transactions(second, 30000)), "");  // aborts the zombie's transaction
  rd_kafka_error_t* e = rd_kafka_commit_transaction(first, 30000);
  ASSERT_NE(e, nullptr) << "the fenced producer committed";
  EXPECT_TRUE(rd_kafka_error_is_fatal(e)) << rd_kafka_error_string(e);
  rd_kafka_error_destroy(e);
  rd_kafka_destroy(first);

  ASSERT_EQ(ok(rd_kafka_begin_transaction(second)), "");
  produce(second, "live");
  ASSERT_EQ(ok(rd_kafka_commit_transaction(second, 30000)), "");
  rd_kafka_destroy(second);

  EXPECT_EQ(read_until("read_committed", "live"), std::vector<std::string>{"live"});
}

}  // namespace
}  // namespace samsa::broker::testing
