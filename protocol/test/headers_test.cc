#include <gtest/gtest.h>

#include "protocol/generated/api_versions.h"
#include "protocol/generated/metadata.h"
#include "protocol/headers.h"

namespace samsa::protocol {
namespace {

TEST(Headers, FlexibleRequestVersionsUseHeaderVersionTwo) {
  EXPECT_EQ(request_header_version(0, 8), 1);   // Produce v8
  EXPECT_EQ(request_header_version(0, 9), 2);   // Produce v9 is flexible
  EXPECT_EQ(request_header_version(3, 12), 2);  // Metadata v12
  EXPECT_EQ(request_header_version(18, 2), 1);  // ApiVersions v2
  EXPECT_EQ(request_header_version(18, 3), 2);  // ApiVersions v3
  EXPECT_EQ(request_header_version(7, 0), 0);   // ControlledShutdown v0
}

TEST(Headers, VersionsNewerThanKnownStayFlexible) {
  EXPECT_EQ(request_header_version(18, 9), 2);
  EXPECT_EQ(response_header_version(3, 99), 1);
}

TEST(Headers, ApiVersionsResponsesAlwaysUseHeaderVersionZero) {
  EXPECT_EQ(response_header_version(18, 0), 0);
  EXPECT_EQ(response_header_version(18, 3), 0);
  EXPECT_EQ(response_header_version(18, 4), 0);
  EXPECT_EQ(response_header_version(3, 9), 1);
  EXPECT_EQ(response_header_version(3, 8), 0);
}

TEST(Headers, ParsesAVersionOneHeaderWithClientId) {
  std::vector<uint8_t> frame = {0, 3, 0, 4, 0, 0, 0, 7, 0, 3, 'a', 'b', 'c', 0xAA};
  parsed_request p;
  ASSERT_EQ(parse_request_header(frame, p), decode_error::none);
  EXPECT_EQ(p.header_version, 1);
  EXPECT_EQ(p.header.request_api_key, 3);
  EXPECT_EQ(p.header.request_api_version, 4);
  EXPECT_EQ(p.header.correlation_id, 7);
  EXPECT_EQ(p.header.client_id, "abc");
  ASSERT_EQ(p.body.size(), 1u);
  EXPECT_EQ(p.body[0], 0xAA);
}

TEST(Headers, VersionTwoHeaderKeepsANonCompactClientIdAndReadsTags) {
  // Metadata v12: client id is still an int16-length string; then tagged fields.
  std::vector<uint8_t> frame = {0, 3, 0, 12, 0, 0, 0, 9, 0xff, 0xff, 0x01, 0x05, 0x01, 0x42, 0xBB};
  parsed_request p;
  ASSERT_EQ(parse_request_header(frame, p), decode_error::none);
  EXPECT_EQ(p.header_version, 2);
  EXPECT_FALSE(p.header.client_id.has_value());
  ASSERT_EQ(p.header.unknown_tagged_fields.size(), 1u);
  EXPECT_EQ(p.header.unknown_tagged_fields[0].tag, 5u);
  ASSERT_EQ(p.body.size(), 1u);
  EXPECT_EQ(p.body[0], 0xBB);
}

TEST(Headers, TruncatedHeaderIsAnError) {
  std::vector<uint8_t> frame = {0, 3, 0, 4, 0, 0};
  parsed_request p;
  EXPECT_EQ(parse_request_header(frame, p), decode_error::truncated);
}

TEST(Headers, ApiVersionsV3ResponseHasNoHeaderTagBuffer) {
  api_versions_response body;
  body.error_code = 0;
  encoded_message m = encode_response(0x01020304, 3, body);
  auto flat = m.flatten();
  ASSERT_GE(flat.size(), 6u);
  EXPECT_EQ(flat[0], 1);
  EXPECT_EQ(flat[3], 4);
  EXPECT_EQ(flat[4], 0);  // error_code high byte follows the correlation id directly
  EXPECT_EQ(flat[5], 0);
}

TEST(Headers, FlexibleResponsesCarryAnEmptyTagBufferAfterTheCorrelationId) {
  metadata_response body;
  encoded_message m = encode_response(5, 12, body);
  auto flat = m.flatten();
  ASSERT_GE(flat.size(), 5u);
  EXPECT_EQ(flat[3], 5);
  EXPECT_EQ(flat[4], 0);  // header v1 tagged-field count
  EXPECT_EQ(flat.size(), 5 + body.encoded_size(12));
}

}  // namespace
}  // namespace samsa::protocol
