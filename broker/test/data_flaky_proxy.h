#pragma once

// A TCP proxy for tests that loses responses: it forwards a client's bytes to
// the broker and the broker's back, but now and then, instead of forwarding a
// chunk of response bytes, it closes both connections. The broker has done the
// work; the client never hears of it and must retry — the case idempotent
// producers exist for.
//
// Blocking sockets, two threads per connection; every thread is joined by the
// destructor. Cuts are decided by a seeded generator, at most max_cuts.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace samsa::broker::testing {

class flaky_proxy {
 public:
  flaky_proxy(double cut_probability, int max_cuts, uint64_t seed)
      : cut_probability_(cut_probability), max_cuts_(max_cuts), rng_(seed) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 64);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~flaky_proxy() { stop(); }

  uint16_t port() const { return port_; }
  int cuts() const { return cuts_.load(); }
  int64_t response_chunks() const { return chunks_.load(); }

  // Starts forwarding to the broker at `target_port`.
  void start(uint16_t target_port) {
    target_port_ = target_port;
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  void stop() {
    if (stopping_.exchange(true)) return;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    if (acceptor_.joinable()) acceptor_.join();
    {
      std::lock_guard<std::mutex> g(mu_);
      for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : pumps_) t.join();
    for (int fd : fds_) ::close(fd);
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(target_port_);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      int one = 1;
      ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      std::lock_guard<std::mutex> g(mu_);
      fds_.push_back(client);
      fds_.push_back(server);
      pumps_.emplace_back([this, client, server] { pump(client, server, false); });
      pumps_.emplace_back([this, client, server] { pump(server, client, true); });
    }
  }

  bool should_cut() {
    std::lock_guard<std::mutex> g(mu_);
    if (cuts_.load() >= max_cuts_) return false;
    if (std::uniform_real_distribution<double>(0, 1)(rng_) >= cut_probability_) return false;
    cuts_++;
    return true;
  }

  // The first response chunks of a connection (ApiVersions, Metadata) always
  // pass, so a client is not kept from ever reaching the broker.
  static constexpr int kSpared = 2;

  void pump(int from, int to, bool responses) {
    char buf[64 * 1024];
    int forwarded = 0;
    while (true) {
      ssize_t n = ::recv(from, buf, sizeof buf, 0);
      if (n <= 0) break;
      if (responses) chunks_++;
      if (responses && ++forwarded > kSpared && should_cut()) break;
      ssize_t done = 0;
      while (done < n) {
        ssize_t w = ::send(to, buf + done, static_cast<size_t>(n - done), MSG_NOSIGNAL);
        if (w <= 0) break;
        done += w;
      }
      if (done < n) break;
    }
    ::shutdown(from, SHUT_RDWR);
    ::shutdown(to, SHUT_RDWR);
  }

  const double cut_probability_;
  const int max_cuts_;
  std::mt19937_64 rng_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  uint16_t target_port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> cuts_{0};
  std::atomic<int64_t> chunks_{0};
  std::mutex mu_;
  std::vector<int> fds_;
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

}  // namespace samsa::broker::testing
