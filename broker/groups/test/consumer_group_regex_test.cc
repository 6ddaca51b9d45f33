// SubscribedTopicRegex (KIP-848 server-side regular expressions) on a fake
// log and a manual clock: validation with Kafka's error and message,
// resolution against the metadata image's topics (whole-name matches), the
// refresh when topics are created (at most every 10 s, as Kafka's
// REGEX_BATCH_REFRESH_INTERVAL_MS), the ConsumerGroupRegularExpression
// records (key type 16) written, tombstoned and replayed, and
// ConsumerGroupDescribe.
#include <gtest/gtest.h>

#include "broker/groups/consumer_group_records.h"
#include "broker/groups/test/consumer_group_fixture.h"
#include "broker/groups/topic_regex.h"

namespace samsa::broker::groups::testing {
namespace {

class regex_test : public consumer_group_coordinator_test {
 protected:
  regex_test()
      : consumer_group_coordinator_test({{"orders-eu", topic_info{topic_id(1), 2}},
                                         {"orders-us", topic_info{topic_id(2), 1}},
                                         {"payments", topic_info{topic_id(3), 3}},
                                         {"__consumer_offsets", topic_info{topic_id(9), 3}}}) {
    c().set_topic_names([this] {
      topic_names_snapshot s;
      s.version = version_;
      for (const auto& [name, t] : topics_) s.names.push_back(name);
      return s;
    });
  }

  void create(const std::string& name, uint8_t id, int32_t partitions) {
    topics_[name] = topic_info{topic_id(id), partitions};
    ++version_;
  }

  static hb_request join_regex(const std::string& member, const std::string& regex) {
    hb_request r;
    r.group_id = "g";
    r.member_id = member;
    r.member_epoch = 0;
    r.rebalance_timeout_ms = 30000;
    r.subscribed_topic_regex = regex;
    r.topic_partitions.emplace();
    return r;
  }

  // A heartbeat reporting the partitions of `owned` (topic id -> partitions).
  static hb_request beat(const std::string& member, int32_t epoch, const topic_assignment& owned) {
    hb_request r;
    r.group_id = "g";
    r.member_id = member;
    r.member_epoch = epoch;
    r.topic_partitions.emplace();
    for (const auto& [t, ps] : owned) r.topic_partitions->push_back({t, {ps.begin(), ps.end()}, {}});
    return r;
  }

  static topic_assignment assigned(const hb_response& r) {
    topic_assignment out;
    if (!r.assignment) return out;
    for (const auto& tp : r.assignment->topic_partitions) out[tp.topic_id].insert(tp.partitions.begin(), tp.partitions.end());
    return out;
  }

  // Records of key type 16 written so far: regex -> last value (nullopt: tombstone).
  std::map<std::string, std::optional<resolved_regex>> regex_records() const {
    std::map<std::string, std::optional<resolved_regex>> out;
    for (const auto& b : log_.batches)
      for (const auto& rec : b.records)
        if (auto k = decode_consumer_key(rec.key); k && k->type == consumer_record_type::regular_expression)
          out[k->regex] = rec.value ? decode_regex_value(*rec.value) : std::nullopt;
    return out;
  }

  int64_t version_ = 10;
};

TEST(topic_regex, MatchesWholeNamesOnlyAsRe2jMatchesDoes) {
  auto r = topic_regex::compile("orders-.*");
  ASSERT_TRUE(r.regex);
  EXPECT_TRUE(r.regex->matches("orders-eu"));
  EXPECT_FALSE(r.regex->matches("old-orders-eu"));
  auto prefix = topic_regex::compile("orders");
  ASSERT_TRUE(prefix.regex);
  EXPECT_FALSE(prefix.regex->matches("orders-eu"));
  auto icase = topic_regex::compile("(?i)ORDERS-.*");
  ASSERT_TRUE(icase.regex);
  EXPECT_TRUE(icase.regex->matches("orders-eu"));
}

// franz-go's KIP-848 consumer wraps its patterns this way so that the broker's
// whole-name match finds the names its own match-anywhere would.
TEST(topic_regex, AcceptsNonCapturingGroupsAsRe2jDoes) {
  auto r = topic_regex::compile(".*(?:(?:pfx-orders)|(?:__consumer_offsets)).*");
  ASSERT_TRUE(r.regex) << r.error;
  EXPECT_TRUE(r.regex->matches("pfx-orders"));
  EXPECT_TRUE(r.regex->matches("pfx-orders-v2"));
  EXPECT_TRUE(r.regex->matches("__consumer_offsets"));
  EXPECT_FALSE(r.regex->matches("pfx-payments"));
  EXPECT_EQ(invalid_topic_regex_message("(?:a|b)+c"), std::nullopt);
  EXPECT_EQ(invalid_topic_regex_message("(?:*a)"),
            "SubscribedTopicRegex `(?:*a)` is not a valid regular expression: missing argument to repetition operator.");
}

TEST(topic_regex, RefusesWhatRe2jRefusesWithItsDescription) {
  EXPECT_EQ(invalid_topic_regex_message("orders-("),
            "SubscribedTopicRegex `orders-(` is not a valid regular expression: missing closing ).");
  EXPECT_EQ(invalid_topic_regex_message("[a-"), "SubscribedTopicRegex `[a-` is not a valid regular expression: missing closing ].");
  EXPECT_EQ(invalid_topic_regex_message("*x"),
            "SubscribedTopicRegex `*x` is not a valid regular expression: missing argument to repetition operator.");
  EXPECT_EQ(invalid_topic_regex_message("a(?=b)"),
            "SubscribedTopicRegex `a(?=b)` is not a valid regular expression: invalid or unsupported Perl syntax.");
  EXPECT_EQ(invalid_topic_regex_message("(a)\\1"),
            "SubscribedTopicRegex `(a)\\1` is not a valid regular expression: invalid escape sequence.");
  EXPECT_EQ(invalid_topic_regex_message("a\\"),
            "SubscribedTopicRegex `a\\` is not a valid regular expression: trailing backslash at end of expression.");
  EXPECT_EQ(invalid_topic_regex_message("a**"),
            "SubscribedTopicRegex `a**` is not a valid regular expression: invalid nested repetition operator.");
  EXPECT_EQ(invalid_topic_regex_message("a{3,2}"),
            "SubscribedTopicRegex `a{3,2}` is not a valid regular expression: invalid repeat count.");
  EXPECT_EQ(invalid_topic_regex_message("[z-a]"),
            "SubscribedTopicRegex `[z-a]` is not a valid regular expression: invalid character class range.");
  EXPECT_EQ(invalid_topic_regex_message("a)"), "SubscribedTopicRegex `a)` is not a valid regular expression: missing closing ).");
  EXPECT_EQ(invalid_topic_regex_message("a*?b+|(c{2,})?[]x-]"), std::nullopt);
  EXPECT_EQ(invalid_topic_regex_message("orders-[a-z]+|payments"), std::nullopt);
}

TEST_F(regex_test, AnInvalidRegexIsRefusedWithInvalidRegularExpressionAndChangesNothing) {
  auto r = hb(join_regex("m1", "orders-("));
  EXPECT_EQ(err(r.error_code), error_code::invalid_regular_expression);
  EXPECT_EQ(r.error_message, "SubscribedTopicRegex `orders-(` is not a valid regular expression: missing closing ).");
  EXPECT_TRUE(log_.batches.empty());
  EXPECT_FALSE(c().consumer_group_of("g"));
}

TEST_F(regex_test, AMemberSubscribedByRegexGetsEveryMatchingTopicAndTheResolutionIsWritten) {
  auto r = hb(join_regex("m1", "orders-.*"));
  ASSERT_EQ(err(r.error_code), error_code::none) << r.error_message.value_or("");
  EXPECT_EQ(r.member_epoch, 1);
  EXPECT_EQ(assigned(r), (topic_assignment{{topic_id(1), {0, 1}}, {topic_id(2), {0}}}));
  auto g = c().consumer_group_of("g");
  ASSERT_TRUE(g);
  ASSERT_TRUE(g->resolved_regexes.contains("orders-.*"));
  EXPECT_EQ(g->resolved_regexes.at("orders-.*").topics, (std::set<std::string>{"orders-eu", "orders-us"}));
  EXPECT_EQ(g->resolved_regexes.at("orders-.*").version, 10);
  EXPECT_EQ(g->resolved_regexes.at("orders-.*").timestamp_ms, now_);
  auto recs = regex_records();
  ASSERT_TRUE(recs.at("orders-.*"));
  EXPECT_EQ(recs.at("orders-.*")->topics, (std::set<std::string>{"orders-eu", "orders-us"}));
}

TEST_F(regex_test, InternalTopicsAreMatchedAsKafkaDoes) {
  // Kafka's refreshRegularExpressions scans every topic of the image; only a
  // DESCRIBE ACL filter (no authorizer here) would leave some out.
  auto r = hb(join_regex("m1", ".*offsets"));
  ASSERT_EQ(err(r.error_code), error_code::none);
  EXPECT_EQ(assigned(r), (topic_assignment{{topic_id(9), {0, 1, 2}}}));
}

TEST_F(regex_test, ATopicCreatedLaterIsAssignedOnceTheRefreshIntervalHasPassed) {
  auto r = hb(join_regex("m1", "orders-.*"));
  ASSERT_EQ(r.member_epoch, 1);
  topic_assignment owned = assigned(r);
  create("orders-jp", 4, 2);
  // Within 10 s of the last resolution the new topic is not looked at.
  now_ += 5000;
  r = hb(beat("m1", 1, owned));
  EXPECT_EQ(r.member_epoch, 1);
  EXPECT_FALSE(r.assignment);
  now_ += 5001;
  r = hb(beat("m1", 1, owned));
  EXPECT_EQ(r.member_epoch, 2);
  EXPECT_EQ(assigned(r), (topic_assignment{{topic_id(1), {0, 1}}, {topic_id(2), {0}}, {topic_id(4), {0, 1}}}));
  EXPECT_EQ(c().consumer_group_of("g")->resolved_regexes.at("orders-.*").version, 11);
  // A topic that does not match changes nothing.
  create("payments-jp", 5, 1);
  now_ += 10001;
  r = hb(beat("m1", 2, assigned(r)));
  EXPECT_EQ(r.member_epoch, 2);
}

TEST_F(regex_test, ADeletedTopicLeavesTheAssignment) {
  auto r = hb(join_regex("m1", "orders-.*"));
  topics_.erase("orders-us");
  ++version_;
  // The member gives up the deleted topic's partition (a revocation), then reaches the new epoch.
  r = hb(beat("m1", 1, assigned(r)));
  EXPECT_EQ(r.member_epoch, 1);
  EXPECT_EQ(assigned(r), (topic_assignment{{topic_id(1), {0, 1}}}));
  r = hb(beat("m1", 1, {{topic_id(1), {0, 1}}}));
  EXPECT_EQ(r.member_epoch, 2);
}

TEST_F(regex_test, TwoMembersShareOneResolutionAndTheLastToLeaveTombstonesIt) {
  auto a = hb(join_regex("m1", "orders-.*"));
  ASSERT_EQ(a.member_epoch, 1);
  // The second member brings the same, already resolved, expression: a new epoch, no new resolution.
  auto b = hb(join_regex("m2", "orders-.*"));
  ASSERT_EQ(err(b.error_code), error_code::none);
  EXPECT_EQ(b.member_epoch, 2);
  EXPECT_EQ(c().consumer_group_of("g")->target_assignment.size(), 2u);
  hb_request leave = beat("m1", -1, {});
  leave.topic_partitions.reset();
  EXPECT_EQ(err(hb(leave).error_code), error_code::none);
  EXPECT_TRUE(c().consumer_group_of("g")->resolved_regexes.contains("orders-.*"));
  EXPECT_TRUE(regex_records().at("orders-.*"));
  leave.member_id = "m2";
  EXPECT_EQ(err(hb(leave).error_code), error_code::none);
  EXPECT_TRUE(c().consumer_group_of("g")->resolved_regexes.empty());
  EXPECT_FALSE(regex_records().at("orders-.*"));  // the tombstone
}

TEST_F(regex_test, SwitchingFromARegexToNamesDropsTheRegex) {
  auto r = hb(join_regex("m1", "orders-.*"));
  hb_request names = beat("m1", 1, assigned(r));
  names.subscribed_topic_regex = "";
  names.subscribed_topic_names = std::vector<std::string>{"payments"};
  r = hb(names);
  EXPECT_EQ(err(r.error_code), error_code::none);
  EXPECT_TRUE(c().consumer_group_of("g")->resolved_regexes.empty());
  EXPECT_FALSE(regex_records().at("orders-.*"));
  EXPECT_EQ(c().consumer_group_of("g")->target_assignment.at("m1"), (topic_assignment{{topic_id(3), {0, 1, 2}}}));
}

TEST_F(regex_test, DescribeShowsTheRegexAndTheResolvedTopicNames) {
  hb(join_regex("m1", "orders-.*"));
  auto d = c().consumer_group_describe("g");
  ASSERT_EQ(d.error_code, 0);
  ASSERT_EQ(d.members.size(), 1u);
  EXPECT_EQ(d.members[0].subscribed_topic_regex, "orders-.*");
  std::set<std::string> names;
  for (const auto& tp : d.members[0].assignment.topic_partitions) names.insert(tp.topic_name);
  EXPECT_EQ(names, (std::set<std::string>{"orders-eu", "orders-us"}));
}

TEST_F(regex_test, TheResolutionComesBackFromTheRecords) {
  hb(join_regex("m1", "orders-.*"));
  hb(join_regex("m2", "pay.*"));
  const consumer_group before = *c().consumer_group_of("g");
  ASSERT_EQ(before.resolved_regexes.size(), 1u);  // pay.* waits: the last resolution is < 10 s old

  fake_group_log log2;
  group_coordinator reloaded(config_, log2, [this] { return now_; }, 7);
  for (const auto& b : log_.batches)
    for (const auto& rec : b.records) {
      std::optional<std::span<const uint8_t>> value;
      if (rec.value) value = std::span<const uint8_t>(*rec.value);
      if (auto k = decode_key(rec.key)) reloaded.replay(*k, value);
      else if (auto ck = decode_consumer_key(rec.key)) reloaded.replay(*ck, value);
      else ADD_FAILURE() << "a record no decoder knows";
    }
  reloaded.loaded();
  auto after = reloaded.consumer_group_of("g");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->resolved_regexes, before.resolved_regexes);
  EXPECT_EQ(after->members.at("m2").subscribed_topic_regex, "pay.*");
}

TEST_F(regex_test, ASecondRegexWithinTheIntervalIsResolvedOnALaterHeartbeat) {
  auto a = hb(join_regex("m1", "orders-.*"));
  auto b = hb(join_regex("m2", "pay.*"));
  EXPECT_EQ(err(b.error_code), error_code::none);
  EXPECT_TRUE(assigned(b).empty() || !assigned(b).contains(topic_id(3)));
  now_ += 10001;
  b = hb(beat("m2", b.member_epoch, assigned(b)));
  EXPECT_TRUE(c().consumer_group_of("g")->resolved_regexes.contains("pay.*"));
  EXPECT_EQ(c().consumer_group_of("g")->target_assignment.at("m2"), (topic_assignment{{topic_id(3), {0, 1, 2}}}));
}

TEST(consumer_group_records, TheRegularExpressionRecordIsKafkasKeyVersionSixteen) {
  consumer_record_key k{consumer_record_type::regular_expression, "g", "", "a.*"};
  EXPECT_EQ(encode_consumer_key(k), (std::vector<uint8_t>{0, 16, 0, 1, 'g', 0, 3, 'a', '.', '*'}));
  auto back = decode_consumer_key(encode_consumer_key(k));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->regex, "a.*");
  resolved_regex v{{"ab", "ac"}, 7, 9};
  // version 0, Topics compact array (2+1) of compact strings, Version int64, Timestamp int64, no tags.
  EXPECT_EQ(encode_regex_value(v), (std::vector<uint8_t>{0, 0, 3, 3, 'a', 'b', 3, 'a', 'c', 0, 0, 0, 0, 0, 0, 0, 7, 0, 0,
                                                         0, 0, 0, 0, 0, 9, 0}));
  EXPECT_EQ(decode_regex_value(encode_regex_value(v)), v);
}

}  // namespace
}  // namespace samsa::broker::groups::testing
