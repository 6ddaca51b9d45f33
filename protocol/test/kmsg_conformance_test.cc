// Byte-exact conformance with an independent implementation: every message
// that franz-go's kmsg encodes (protocol/test/conformance/kmsg, one vector per
// API x version x kind) is decoded by our generated code, which must consume
// every byte, and encoded again, which must give the same bytes.
//
// The vector file comes from SAMSA_KMSG_VECTORS (ctest sets it after running
// make_vectors.sh). Vectors for versions newer than our schema are skipped, as
// are the two API x versions where kmsg's schema differs from Kafka's
// (conformance/kmsg/schema_diff.txt).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "protocol/generated/testing/registry.h"
#include "protocol/headers.h"
#include "protocol/wire/writer.h"

namespace samsa::protocol::testing {
namespace {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  if (hex == "-") return out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// kmsg's schema differs from Kafka's here (see schema_diff.txt).
const std::set<std::string> known_kmsg_differences = {"5 4 req", "frame 5 4", "87 0 resp"};

struct vector_counts {
  int checked = 0;
  int skipped_newer = 0;
  int skipped_known = 0;
};

TEST(KmsgConformance, EveryVectorDecodesAndReencodesByteForByte) {
  const char* path = std::getenv("SAMSA_KMSG_VECTORS");
  if (!path) GTEST_SKIP() << "SAMSA_KMSG_VECTORS not set (run through ctest)";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  vector_counts counts;
  std::set<std::string> covered;
  std::string line;
  std::vector<uint8_t> out;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string first;
    ls >> first;
    if (first == "frame") {
      int key, version;
      std::string hex;
      ls >> key >> version >> hex;
      if (known_kmsg_differences.count("frame " + std::to_string(key) + " " + std::to_string(version))) {
        ++counts.skipped_known;
        continue;
      }
      const message_codec* codec = find_message_codec(static_cast<int16_t>(key), message_kind::request);
      ASSERT_NE(codec, nullptr) << line;
      if (version > codec->max_version) {
        ++counts.skipped_newer;
        continue;
      }
      std::vector<uint8_t> frame = from_hex(hex);
      parsed_request p;
      ASSERT_EQ(parse_request_header(frame, p), decode_error::none) << line;
      std::vector<uint8_t> body_out;
      ASSERT_EQ(codec->decode_and_reencode(p.body, static_cast<int16_t>(version), body_out), "") << line;
      encoded_message header_out;
      {
        writer w(header_out);
        p.header.encode(w, p.header_version);
      }
      std::vector<uint8_t> again(header_out.bytes.begin(), header_out.bytes.end());
      again.insert(again.end(), body_out.begin(), body_out.end());
      EXPECT_EQ(again, frame) << line.substr(0, 200);
      ++counts.checked;
      continue;
    }
    int key = std::stoi(first), version;
    std::string kind, hex;
    ls >> version >> kind >> hex;
    if (known_kmsg_differences.count(first + " " + std::to_string(version) + " " + kind)) {
      ++counts.skipped_known;
      continue;
    }
    const message_codec* codec =
        find_message_codec(static_cast<int16_t>(key), kind == "req" ? message_kind::request : message_kind::response);
    ASSERT_NE(codec, nullptr) << line;
    if (version > codec->max_version) {
      ++counts.skipped_newer;
      continue;
    }
    std::vector<uint8_t> body = from_hex(hex);
    std::string err = codec->decode_and_reencode(body, static_cast<int16_t>(version), out);
    ASSERT_EQ(err, "") << codec->name << " v" << version << ": " << line.substr(0, 200);
    EXPECT_EQ(out, body) << codec->name << " v" << version;
    covered.insert(std::string(codec->name) + " v" + std::to_string(version));
    ++counts.checked;
  }
  std::cout << "checked " << counts.checked << " vectors, skipped " << counts.skipped_newer
            << " of versions newer than our schema and " << counts.skipped_known << " known kmsg differences\n";
  // Every API x version x kind in our schema is covered, except the known differences.
  int missing = 0;
  for (const auto& c : all_message_codecs()) {
    if (c.kind != message_kind::request && c.kind != message_kind::response) continue;
    for (int16_t v = c.min_version; v <= c.max_version; ++v) {
      std::string k = std::to_string(c.api_key) + " " + std::to_string(v) + " " +
                      (c.kind == message_kind::request ? "req" : "resp");
      if (known_kmsg_differences.count(k)) continue;
      if (!covered.count(std::string(c.name) + " v" + std::to_string(v))) {
        ADD_FAILURE() << "no kmsg vector for " << c.name << " v" << v;
        ++missing;
      }
    }
  }
  EXPECT_EQ(missing, 0);
  EXPECT_GT(counts.checked, 1500);
}

}  // namespace
}  // namespace samsa::protocol::testing
