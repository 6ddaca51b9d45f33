#pragma once

// A blocking Kafka-framing client over a real TCP socket, for tests. Every
// wait is bounded by a deadline (poll(2)); nothing sleeps to synchronise.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "common/endian.h"

namespace samsa::broker::net::testing {

using namespace std::chrono_literals;

class test_client {
 public:
  static constexpr auto kDefaultWait = std::chrono::milliseconds(10'000);

  // Connects to 127.0.0.1:port. TCP connects even when the server is not
  // accepting (the kernel's listen backlog completes the handshake).
  explicit test_client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~test_client() {
    if (fd_ >= 0) ::close(fd_);
  }
  test_client(const test_client&) = delete;
  test_client& operator=(const test_client&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool send_raw(std::span<const uint8_t> bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  bool send_frame(std::span<const uint8_t> payload) {
    std::vector<uint8_t> wire(4 + payload.size());
    store_be<int32_t>(wire.data(), static_cast<int32_t>(payload.size()));
    if (!payload.empty()) std::memcpy(wire.data() + 4, payload.data(), payload.size());
    return send_raw(wire);
  }

  bool send_size_only(int32_t size) {
    uint8_t wire[4];
    store_be<int32_t>(wire, size);
    return send_raw(wire);
  }

  // One response frame's payload; nullopt on close, error or timeout.
  std::optional<std::vector<uint8_t>> read_frame(std::chrono::milliseconds wait = kDefaultWait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    uint8_t size_bytes[4];
    if (!read_exact(size_bytes, 4, deadline)) return std::nullopt;
    const int32_t size = load_be<int32_t>(size_bytes);
    if (size < 0) return std::nullopt;
    std::vector<uint8_t> payload(static_cast<size_t>(size));
    if (!read_exact(payload.data(), payload.size(), deadline)) return std::nullopt;
    return payload;
  }

  // True once the server has closed the connection (EOF or reset) within the
  // wait; data still arriving is read and dropped. On EOF the client closes
  // its side too, as real clients do.
  bool wait_closed(std::chrono::milliseconds wait = kDefaultWait) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    uint8_t buf[4096];
    for (;;) {
      if (!wait_readable(deadline)) return false;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n == 0) {
        ::shutdown(fd_, SHUT_WR);
        return true;
      }
      if (n < 0 && errno != EINTR && errno != EAGAIN) return true;  // ECONNRESET
    }
  }

  // True if nothing at all arrives within the wait (used to check that the
  // server is holding something back; necessarily waits the whole time).
  bool silent_for(std::chrono::milliseconds wait) {
    return !wait_readable(std::chrono::steady_clock::now() + wait);
  }

 private:
  bool wait_readable(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() < 0) return false;
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
      if (r > 0) return true;
      if (r < 0 && errno != EINTR) return false;
      if (r == 0 && std::chrono::steady_clock::now() >= deadline) return false;
    }
  }

  bool read_exact(uint8_t* dst, size_t n, std::chrono::steady_clock::time_point deadline) {
    size_t done = 0;
    while (done < n) {
      if (!wait_readable(deadline)) return false;
      ssize_t r = ::recv(fd_, dst + done, n - done, 0);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (r <= 0) return false;
      done += static_cast<size_t>(r);
    }
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace samsa::broker::net::testing
