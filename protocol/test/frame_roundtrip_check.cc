// Checks frames captured from real clients (tools/capture/kafka_tap.py):
// every request frame must decode with our generated code (header and body,
// every byte consumed) and encode back to exactly the bytes the client sent.
// Responses are ours, so they are only checked to decode.
//
//   frame_roundtrip_check <frames.txt> [min-requests]
// Prints a line per API and version seen; exits 1 on any mismatch.

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "protocol/generated/testing/registry.h"
#include "protocol/headers.h"
#include "protocol/wire/writer.h"

using namespace samsa::protocol;

namespace {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: frame_roundtrip_check <frames.txt> [min-requests]\n";
    return 2;
  }
  size_t min_requests = argc > 2 ? std::stoul(argv[2]) : 1;
  std::ifstream in(argv[1]);
  std::map<std::pair<int, int>, int> seen;
  std::map<std::string, int> clients;
  std::map<std::string, std::pair<int16_t, int16_t>> pending;  // per connection: last request (key, version)
  std::map<std::pair<std::string, int32_t>, std::pair<int16_t, int16_t>> by_correlation;
  size_t requests = 0, responses = 0, failures = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string conn, kind, hex;
    ls >> conn >> kind >> hex;
    std::vector<uint8_t> frame = from_hex(hex);
    if (kind == "req") {
      parsed_request p;
      if (parse_request_header(frame, p) != decode_error::none) {
        std::cerr << "FAIL: request header does not parse: " << hex.substr(0, 80) << "\n";
        ++failures;
        continue;
      }
      int16_t key = p.header.request_api_key, version = p.header.request_api_version;
      by_correlation[{conn, p.header.correlation_id}] = {key, version};
      const testing::message_codec* codec = testing::find_message_codec(key, testing::message_kind::request);
      std::vector<uint8_t> body;
      std::string err = codec ? codec->decode_and_reencode(p.body, version, body) : "unknown api key";
      encoded_message header;
      {
        writer w(header);
        p.header.encode(w, p.header_version);
      }
      std::vector<uint8_t> again(header.bytes.begin(), header.bytes.end());
      again.insert(again.end(), body.begin(), body.end());
      if (!err.empty() || again != frame) {
        std::cerr << "FAIL: api " << key << " v" << version << ": " << (err.empty() ? "bytes differ" : err) << "\n";
        ++failures;
      }
      ++seen[{key, version}];
      ++clients[p.header.client_id.value_or("(null)")];
      ++requests;
    } else if (kind == "resp") {
      if (frame.size() < 4) continue;
      int32_t correlation = static_cast<int32_t>(frame[0] << 24 | frame[1] << 16 | frame[2] << 8 | frame[3]);
      auto it = by_correlation.find({conn, correlation});
      if (it == by_correlation.end()) continue;
      auto [key, version] = it->second;
      size_t header_size = 4;
      if (response_header_version(key, version) >= 1) header_size += 1;  // our responses carry no header tags
      const testing::message_codec* codec = testing::find_message_codec(key, testing::message_kind::response);
      std::vector<uint8_t> body_out;
      std::span<const uint8_t> body(frame.data() + header_size, frame.size() - header_size);
      // An ApiVersions answer to a too-new request is in v0.
      int16_t body_version = key == 18 && frame.size() > 6 && frame[4] == 0 && frame[5] == 35 ? 0 : version;
      std::string err = codec ? codec->decode_and_reencode(body, body_version, body_out) : "unknown api key";
      if (!err.empty()) {
        std::cerr << "FAIL: response to api " << key << " v" << version << ": " << err << "\n";
        ++failures;
      }
      ++responses;
    }
  }
  for (const auto& [kv, n] : seen) {
    const auto* codec = testing::find_message_codec(static_cast<int16_t>(kv.first), testing::message_kind::request);
    std::cout << (codec ? codec->name : "?") << " v" << kv.second << ": " << n << "\n";
  }
  for (const auto& [id, n] : clients) std::cout << "client.id " << id << ": " << n << " requests\n";
  std::cout << requests << " requests and " << responses << " responses checked, " << failures << " failures\n";
  if (requests < min_requests) {
    std::cerr << "FAIL: expected at least " << min_requests << " requests\n";
    return 1;
  }
  return failures ? 1 : 0;
}
