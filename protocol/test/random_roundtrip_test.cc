// Every message of every API, at every version, survives encode -> decode ->
// encode with random field values (including null where the version allows
// it and tagged fields nobody knows), and encoded_size() predicts the bytes.

#include <gtest/gtest.h>

#include "protocol/generated/testing/registry.h"

namespace samsa::protocol::testing {
namespace {

constexpr uint64_t seeds_per_version = 40;

class RandomRoundTrip : public ::testing::TestWithParam<const message_codec*> {};

TEST_P(RandomRoundTrip, EveryVersionSurvivesEncodeDecodeEncode) {
  const message_codec& codec = *GetParam();
  for (int16_t v = codec.min_version; v <= codec.max_version; ++v) {
    for (uint64_t seed = 1; seed <= seeds_per_version; ++seed) {
      std::string failure = codec.random_roundtrip(v, seed * 7919 + static_cast<uint64_t>(v));
      ASSERT_EQ(failure, "") << codec.name << " v" << v << " seed " << seed;
    }
  }
}

std::vector<const message_codec*> every_codec() {
  std::vector<const message_codec*> out;
  for (const auto& c : all_message_codecs()) out.push_back(&c);
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllMessages, RandomRoundTrip, ::testing::ValuesIn(every_codec()),
                         [](const ::testing::TestParamInfo<const message_codec*>& info) {
                           return std::string(info.param->name);
                         });

TEST(MessageRegistry, CoversEveryApiKeyFromZeroToEightySeven) {
  for (int16_t key = 0; key <= 87; ++key) {
    EXPECT_NE(find_message_codec(key, message_kind::request), nullptr) << "request " << key;
    EXPECT_NE(find_message_codec(key, message_kind::response), nullptr) << "response " << key;
  }
  EXPECT_NE(find_message_codec("RequestHeader"), nullptr);
  EXPECT_NE(find_message_codec("ResponseHeader"), nullptr);
}

}  // namespace
}  // namespace samsa::protocol::testing
