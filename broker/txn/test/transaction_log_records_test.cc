#include "broker/txn/transaction_log_records.h"

#include <gtest/gtest.h>

namespace samsa::broker::txn {
namespace {

TEST(TransactionLogRecords, KeyIsTypeZeroThenTheIdAsAShortString) {
  EXPECT_EQ(encode_txn_key("tx"), (std::vector<uint8_t>{0, 0, 0, 2, 't', 'x'}));
  EXPECT_EQ(decode_txn_key(encode_txn_key("my-id")), "my-id");
}

TEST(TransactionLogRecords, KeysOfOtherRecordTypesAreNotTransactionKeys) {
  EXPECT_FALSE(decode_txn_key(std::vector<uint8_t>{0, 1, 0, 0}));
  EXPECT_FALSE(decode_txn_key(std::vector<uint8_t>{0}));
}

// The bytes Kafka's TransactionLog.valueToBytes writes at version 0 for an
// Ongoing transaction over one topic with one partition.
TEST(TransactionLogRecords, OngoingValueV0MatchesKafkasLayoutByteForByte) {
  txn_log_value v;
  v.producer_id = 5;
  v.producer_epoch = 2;
  v.transaction_timeout_ms = 60000;
  v.state = txn_state::ongoing;
  v.partitions = {{"t", {3}}};
  v.last_update_timestamp_ms = 7;
  v.start_timestamp_ms = 6;
  const std::vector<uint8_t> expected = {
      0, 0,                       // version 0
      0, 0, 0, 0, 0, 0, 0, 5,     // producer id
      0, 2,                       // epoch
      0, 0, 0xEA, 0x60,           // timeout 60000
      1,                          // Ongoing
      0, 0, 0, 1,                 // one topic
      0, 1, 't',                  // topic
      0, 0, 0, 1, 0, 0, 0, 3,     // [3]
      0, 0, 0, 0, 0, 0, 0, 7,     // last update
      0, 0, 0, 0, 0, 0, 0, 6,     // start
  };
  EXPECT_EQ(encode_txn_value_v0(v), expected);
  auto back = decode_txn_value(expected);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->producer_id, 5);
  EXPECT_EQ(back->state, txn_state::ongoing);
  ASSERT_EQ(back->partitions.size(), 1u);
  EXPECT_EQ(back->partitions[0].second, std::vector<int32_t>{3});
  EXPECT_EQ(back->start_timestamp_ms, 6);
}

TEST(TransactionLogRecords, EmptyStateWritesNullPartitionsAtVersionZero) {
  txn_log_value v;
  v.state = txn_state::empty;
  v.partitions = {{"ignored", {1}}};
  auto bytes = encode_txn_value_v0(v);
  // version(2) pid(8) epoch(2) timeout(4) status(1) -> partitions at offset 17
  ASSERT_GE(bytes.size(), 21u);
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin() + 17, bytes.begin() + 21), (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFF}));
  auto back = decode_txn_value(bytes);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->partitions.empty());
}

// Version 1 (transaction.version 1+): flexible, compact arrays, tagged fields.
TEST(TransactionLogRecords, FlexibleValueV1IsReadWithItsTaggedFields) {
  const std::vector<uint8_t> v1 = {
      0, 1,                       // version 1
      0, 0, 0, 0, 0, 0, 0, 9,     // producer id
      0, 1,                       // epoch
      0, 0, 0x03, 0xE8,           // timeout 1000
      2,                          // PrepareCommit
      2,                          // compact array: one topic
      2, 'a',                     // compact string "a"
      3, 0, 0, 0, 0, 0, 0, 0, 1,  // compact array [0, 1]
      0,                          // topic's tagged fields
      0, 0, 0, 0, 0, 0, 0, 4,     // last update
      0, 0, 0, 0, 0, 0, 0, 3,     // start
      2,                          // two tagged fields
      0, 8, 0, 0, 0, 0, 0, 0, 0, 8,  // previous producer id 8
      2, 2, 0, 2,                    // client transaction version 2
  };
  auto back = decode_txn_value(v1);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->producer_id, 9);
  EXPECT_EQ(back->state, txn_state::prepare_commit);
  ASSERT_EQ(back->partitions.size(), 1u);
  EXPECT_EQ(back->partitions[0].first, "a");
  EXPECT_EQ(back->partitions[0].second, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(back->previous_producer_id, 8);
  EXPECT_EQ(back->client_transaction_version, 2);
  EXPECT_EQ(back->start_timestamp_ms, 3);
}

// What Kafka 4.x (transaction.version 2 finalized) writes: version 1, the
// client transaction version as tagged field 2, previous/next producer id at
// their defaults (left out).
TEST(TransactionLogRecords, ValueV1WithClientTransactionVersionMatchesKafkasLayoutByteForByte) {
  txn_log_value v;
  v.producer_id = 9;
  v.producer_epoch = 1;
  v.transaction_timeout_ms = 1000;
  v.state = txn_state::prepare_commit;
  v.partitions = {{"a", {0, 1}}};
  v.last_update_timestamp_ms = 4;
  v.start_timestamp_ms = 3;
  v.client_transaction_version = 2;
  const std::vector<uint8_t> expected = {
      0, 1,                       // version 1
      0, 0, 0, 0, 0, 0, 0, 9,     // producer id
      0, 1,                       // epoch
      0, 0, 0x03, 0xE8,           // timeout 1000
      2,                          // PrepareCommit
      2,                          // compact array: one topic
      2, 'a',                     // compact string "a"
      3, 0, 0, 0, 0, 0, 0, 0, 1,  // compact array [0, 1]
      0,                          // topic's tagged fields
      0, 0, 0, 0, 0, 0, 0, 4,     // last update
      0, 0, 0, 0, 0, 0, 0, 3,     // start
      1,                          // one tagged field
      2, 2, 0, 2,                 // client transaction version 2
  };
  EXPECT_EQ(encode_txn_value(v), expected);
  auto back = decode_txn_value(expected);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->client_transaction_version, 2);
  EXPECT_EQ(back->next_producer_id, -1);
}

TEST(TransactionLogRecords, ValueV1OfEmptyWritesANullCompactArrayAndNoTaggedFields) {
  txn_log_value v;
  v.producer_id = 1;
  v.producer_epoch = 0;
  v.state = txn_state::empty;
  auto bytes = encode_txn_value(v);
  // version(2) pid(8) epoch(2) timeout(4) status(1) -> partitions at offset 17: null (0)
  ASSERT_EQ(bytes.size(), 17u + 1 + 16 + 1);
  EXPECT_EQ(bytes[17], 0);
  EXPECT_EQ(bytes.back(), 0);  // no tagged fields
  auto back = decode_txn_value(bytes);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->partitions.empty());
}

TEST(TransactionLogRecords, APendingOverflowKeepsTheNextProducerIdAcrossARestart) {
  txn_log_value v;
  v.producer_id = 9;
  v.producer_epoch = INT16_MAX;
  v.state = txn_state::prepare_abort;
  v.next_producer_id = 77;
  v.client_transaction_version = 2;
  auto back = decode_txn_value(encode_txn_value(v));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->next_producer_id, 77);
  EXPECT_EQ(back->client_transaction_version, 2);
  EXPECT_EQ(back->producer_epoch, INT16_MAX);
}

TEST(TransactionLogRecords, TruncatedOrUnknownVersionValuesAreRejected) {
  EXPECT_FALSE(decode_txn_value(std::vector<uint8_t>{0, 0, 0, 0}));
  EXPECT_FALSE(decode_txn_value(std::vector<uint8_t>{0, 2, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(TransactionState, TransitionsAreKafkas) {
  EXPECT_TRUE(valid_transition(txn_state::ongoing, txn_state::prepare_commit));
  EXPECT_FALSE(valid_transition(txn_state::empty, txn_state::prepare_commit));
  EXPECT_TRUE(valid_transition(txn_state::prepare_epoch_fence, txn_state::prepare_abort));
  EXPECT_TRUE(valid_transition(txn_state::complete_commit, txn_state::prepare_abort));  // version 2's abort
  EXPECT_FALSE(valid_transition(txn_state::complete_abort, txn_state::prepare_commit));
  EXPECT_FALSE(valid_transition(txn_state::prepare_commit, txn_state::complete_abort));
  EXPECT_EQ(txn_state_name(txn_state::complete_commit), "CompleteCommit");
  EXPECT_EQ(txn_state_from_name("PrepareEpochFence"), txn_state::prepare_epoch_fence);
  EXPECT_FALSE(txn_state_from_name("ongoing"));
}

}  // namespace
}  // namespace samsa::broker::txn
