// ConfigDef.parseType / convertToString rules and validator messages.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "broker/config/config_value.h"
#include "broker/config/java_numbers.h"
#include "broker/config/parse_config.h"
#include "broker/config/validator.h"

namespace samsa::broker::config {
namespace {

std::string error_of(std::string_view name, config_type type, std::string_view raw) {
  auto v = parse_value(name, type, raw);
  EXPECT_FALSE(v.has_value()) << raw << " parsed";
  return v ? std::string() : v.error().message;
}

TEST(ValueParsing, BooleansAreTrueOrFalseInAnyCaseAndNothingElse) {
  EXPECT_TRUE(parse_value("x", config_type::boolean, "TRUE")->as_bool());
  EXPECT_FALSE(parse_value("x", config_type::boolean, " False ")->as_bool());
  EXPECT_EQ(error_of("delete.topic.enable", config_type::boolean, "yes"),
            "Invalid value yes for configuration delete.topic.enable: Expected value to be either true or false");
  error_of("x", config_type::boolean, "1");
}

TEST(ValueParsing, IntsMustFitIn32Bits) {
  EXPECT_EQ(parse_value("x", config_type::int32, " -2147483648 ")->as_int(), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(parse_value("x", config_type::int32, "+7")->as_int(), 7);
  EXPECT_EQ(error_of("num.io.threads", config_type::int32, "2147483648"),
            "Invalid value 2147483648 for configuration num.io.threads: Not a number of type INT");
  error_of("x", config_type::int32, "1.5");
  error_of("x", config_type::int32, "");
  error_of("x", config_type::int32, "0x10");
  error_of("x", config_type::int32, "1_000");
}

TEST(ValueParsing, ShortsAndLongsHaveTheirOwnRanges) {
  EXPECT_EQ(parse_value("x", config_type::int16, "32767")->as_short(), 32767);
  EXPECT_EQ(error_of("offsets.topic.replication.factor", config_type::int16, "40000"),
            "Invalid value 40000 for configuration offsets.topic.replication.factor: Not a number of type SHORT");
  EXPECT_EQ(parse_value("x", config_type::int64, "9223372036854775807")->as_long(),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(error_of("x", config_type::int64, "9223372036854775808"),
            "Invalid value 9223372036854775808 for configuration x: Not a number of type LONG");
}

TEST(ValueParsing, TheErrorQuotesTheUntrimmedValue) {
  EXPECT_EQ(error_of("num.io.threads", config_type::int32, " eight "),
            "Invalid value  eight  for configuration num.io.threads: Not a number of type INT");
}

TEST(ValueParsing, DoublesFollowJavaSyntax) {
  EXPECT_DOUBLE_EQ(parse_value("x", config_type::float64, "0.5")->as_double(), 0.5);
  EXPECT_DOUBLE_EQ(parse_value("x", config_type::float64, ".5")->as_double(), 0.5);
  EXPECT_DOUBLE_EQ(parse_value("x", config_type::float64, "5.")->as_double(), 5.0);
  EXPECT_DOUBLE_EQ(parse_value("x", config_type::float64, "1e3")->as_double(), 1000.0);
  EXPECT_DOUBLE_EQ(parse_value("x", config_type::float64, "2.5d")->as_double(), 2.5);
  EXPECT_TRUE(std::isinf(parse_value("x", config_type::float64, "-Infinity")->as_double()));
  EXPECT_TRUE(std::isnan(parse_value("x", config_type::float64, "NaN")->as_double()));
  EXPECT_EQ(error_of("x", config_type::float64, "inf"), "Invalid value inf for configuration x: Not a number of type DOUBLE");
  error_of("x", config_type::float64, "1e");
  error_of("x", config_type::float64, ".");
}

TEST(ValueParsing, ListsSplitOnCommasAndTrimAroundThem) {
  auto v = parse_value("x", config_type::list, "  a , b,c  ");
  EXPECT_EQ(v->as_list(), (config_value::list_type{"a", "b", "c"}));
  EXPECT_TRUE(parse_value("x", config_type::list, "   ")->as_list().empty());
  // Empty elements are kept, as String.split(regex, -1) keeps them.
  EXPECT_EQ(parse_value("x", config_type::list, "a,,b,")->as_list(), (config_value::list_type{"a", "", "b", ""}));
}

TEST(ValueParsing, StringsAreTrimmed) {
  EXPECT_EQ(parse_value("x", config_type::string, "  CreateTime\t")->as_string(), "CreateTime");
}

TEST(ValueParsing, KafkaStringFormsMatchJava) {
  EXPECT_EQ(java_double_string(0.5), "0.5");
  EXPECT_EQ(java_double_string(100.0), "100.0");
  EXPECT_EQ(java_double_string(0.9), "0.9");
  EXPECT_EQ(java_double_string(0.001), "0.001");
  EXPECT_EQ(java_double_string(0.0001), "1.0E-4");
  EXPECT_EQ(java_double_string(1e7), "1.0E7");
  EXPECT_EQ(java_double_string(1234567.0), "1234567.0");
  EXPECT_EQ(java_double_string(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  EXPECT_EQ(to_kafka_string(config_value::of_list({"a", "b"}), config_type::list), "a,b");
  EXPECT_EQ(to_kafka_string(config_value(), config_type::string), std::nullopt);
}

TEST(Validators, RangeMessagesNameTheBound) {
  auto v = validate(at_least(1), "num.io.threads", config_value::of_int(0));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->message, "Invalid value 0 for configuration num.io.threads: Value must be at least 1");
  auto w = validate(between(0, 1), "min.cleanable.dirty.ratio", config_value::of_double(2));
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->message, "Invalid value 2.0 for configuration min.cleanable.dirty.ratio: Value must be no more than 1");
  EXPECT_FALSE(validate(between(0, 1), "x", config_value::of_double(1)).has_value());
  auto n = validate(at_least(1), "x", config_value());
  EXPECT_EQ(n->message, "Invalid value null for configuration x: Value must be non-null");
}

TEST(Validators, GzipLevelsAcceptTheRangeOrMinusOne) {
  auto gzip = between_or(1, 9, -1);
  EXPECT_FALSE(validate(gzip, "x", config_value::of_int(-1)).has_value());
  EXPECT_FALSE(validate(gzip, "x", config_value::of_int(9)).has_value());
  auto e = validate(gzip, "compression.gzip.level", config_value::of_int(0));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->message,
            "Invalid value 0 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1");
}

TEST(Validators, ValidStringsAreCaseSensitiveUnlessSaidOtherwise) {
  auto types = valid_string("CreateTime", "LogAppendTime");
  EXPECT_FALSE(validate(types, "x", config_value::of_string("CreateTime")).has_value());
  auto e = validate(types, "message.timestamp.type", config_value::of_string("createtime"));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->message,
            "Invalid value createtime for configuration message.timestamp.type: String must be one of: CreateTime, "
            "LogAppendTime");
  auto policy = case_insensitive_string("bidirectional", "upgrade");
  EXPECT_FALSE(validate(policy, "x", config_value::of_string("UPGRADE")).has_value());
  EXPECT_EQ(validate(policy, "p", config_value::of_string("none"))->message,
            "Invalid value none for configuration p: String must be one of (case insensitive): BIDIRECTIONAL, UPGRADE");
}

TEST(Validators, ValidListsCheckEveryElement) {
  auto policies = valid_list("compact", "delete");
  EXPECT_FALSE(validate(policies, "x", config_value::of_list({"compact", "delete"})).has_value());
  EXPECT_FALSE(validate(policies, "x", config_value::of_list({})).has_value());
  EXPECT_EQ(validate(policies, "cleanup.policy", config_value::of_list({"delete", "compacted"}))->message,
            "Invalid value compacted for configuration cleanup.policy: String must be one of: compact, delete");
}

TEST(Validators, ThrottledReplicasAreAStarOrPartitionBrokerPairs) {
  auto v = throttled_replicas();
  EXPECT_FALSE(validate(v, "x", config_value::of_list({"*"})).has_value());
  EXPECT_FALSE(validate(v, "x", config_value::of_list({"0:1", "1:2"})).has_value());
  EXPECT_FALSE(validate(v, "x", config_value::of_list({})).has_value());
  auto e = validate(v, "leader.replication.throttled.replicas", config_value::of_list({"0:a"}));
  ASSERT_TRUE(e.has_value());
  EXPECT_NE(e->message.find("must be the literal '*' or a list of replicas"), std::string::npos);
}

TEST(Validators, QuorumVotersNeedIdAtHostColonPort) {
  auto v = quorum_voters();
  EXPECT_FALSE(validate(v, "controller.quorum.voters", config_value::of_list({"1@localhost:9093"})).has_value());
  EXPECT_FALSE(validate(v, "controller.quorum.voters", config_value::of_list({"1@[::1]:9093"})).has_value());
  EXPECT_EQ(validate(v, "controller.quorum.voters", config_value::of_list({"localhost:9093"}))->message,
            "Invalid configuration value for controller.quorum.voters. Each entry should be in the form "
            "`{id}@{host}:{port}`.");
  EXPECT_EQ(validate(v, "controller.quorum.voters", config_value::of_list({"x@localhost:9093"}))->message,
            "Failed to parse voter ID as an integer from x");
  EXPECT_TRUE(validate(v, "controller.quorum.voters", config_value::of_list({"1@localhost"})).has_value());
}

TEST(ParseConfig, ARequiredConfigWithoutValueIsMissing) {
  auto def = define("needed", config_type::string, no_default, importance::high, "");
  auto v = parse_config(def, std::nullopt);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().message, "Missing required configuration \"needed\" which has no default value.");
}

}  // namespace
}  // namespace samsa::broker::config
