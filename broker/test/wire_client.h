#pragma once

// A bare Kafka wire client for tests: blocking loopback socket, frames in and
// out, every wait bounded by a deadline.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/endian.h"
#include "protocol/headers.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/writer.h"

namespace samsa::broker::testing {

using namespace std::chrono_literals;

class wire_client {
 public:
  explicit wire_client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~wire_client() {
    if (fd_ >= 0) ::close(fd_);
  }
  wire_client(const wire_client&) = delete;
  wire_client& operator=(const wire_client&) = delete;

  bool connected() const { return connected_; }

  // Sends raw bytes as they are (no size prefix added).
  bool send_raw(std::span<const uint8_t> bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  bool send_frame(std::span<const uint8_t> frame) {
    uint8_t size[4];
    store_be<int32_t>(size, static_cast<int32_t>(frame.size()));
    return send_raw(size) && send_raw(frame);
  }

  // Encodes the request header (version from the API and version) and body.
  template <typename Request>
  bool send(int16_t version, int32_t correlation_id, const Request& body,
            std::optional<std::string> client_id = std::string("samsa-test")) {
    return send_frame(encode_request(version, correlation_id, body, std::move(client_id)));
  }

  template <typename Request>
  static std::vector<uint8_t> encode_request(int16_t version, int32_t correlation_id, const Request& body,
                                             std::optional<std::string> client_id = std::string("samsa-test")) {
    protocol::request_header h;
    h.request_api_key = Request::api_key;
    h.request_api_version = version;
    h.correlation_id = correlation_id;
    h.client_id = std::move(client_id);
    protocol::encoded_message m;
    {
      protocol::writer w(m);
      h.encode(w, protocol::request_header_version(Request::api_key, version));
      body.encode(w, version);
    }
    return m.flatten();
  }

  // One response frame (without its size), or nullopt if the connection closed
  // or nothing came before the deadline.
  std::optional<std::vector<uint8_t>> read_frame(std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    uint8_t size_bytes[4];
    if (!read_exactly(size_bytes, 4, deadline)) return std::nullopt;
    int32_t size = load_be<int32_t>(size_bytes);
    if (size < 0) return std::nullopt;
    std::vector<uint8_t> frame(static_cast<size_t>(size));
    if (!read_exactly(frame.data(), frame.size(), deadline)) return std::nullopt;
    return frame;
  }

  // Reads a response, checks its correlation id, decodes the body.
  template <typename Response>
  std::optional<Response> read_response(int16_t version, int32_t correlation_id,
                                        std::chrono::milliseconds timeout = 5000ms) {
    auto frame = read_frame(timeout);
    if (!frame) return std::nullopt;
    protocol::reader r(*frame);
    if (r.read_int32() != correlation_id) return std::nullopt;
    if (protocol::response_header_version(Response::api_key, version) >= 1) {
      // Skip the header's tagged fields.
      uint32_t n = r.read_uvarint();
      for (uint32_t i = 0; i < n && r.ok(); ++i) {
        r.read_uvarint();
        r.read_span(r.read_uvarint());
      }
    }
    Response out;
    out.decode(r, version);
    if (!r.ok() || r.remaining() != 0) return std::nullopt;
    return out;
  }

  // True once the broker has closed the connection (EOF), false if the deadline passes first.
  bool wait_closed(std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    uint8_t buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
      if (::poll(&p, 1, std::max(left, 1)) <= 0) continue;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  bool read_exactly(uint8_t* dst, size_t n, std::chrono::steady_clock::time_point deadline) {
    size_t done = 0;
    while (done < n) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      ssize_t got = ::recv(fd_, dst + done, n - done, 0);
      if (got <= 0) return false;
      done += static_cast<size_t>(got);
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace samsa::broker::testing
