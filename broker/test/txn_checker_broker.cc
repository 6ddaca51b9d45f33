#include "broker/test/txn_checker_broker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "broker/test/process.h"

namespace samsa::broker::testing::txn {

using namespace std::chrono_literals;

namespace {

std::string tail_of(const std::string& text, size_t lines) {
  size_t pos = text.size();
  for (size_t n = 0; n <= lines && pos > 0; ++n) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
  }
  return text.substr(pos + 1);
}

class samsa_child final : public broker_under_test {
 public:
  samsa_child(std::string binary, std::filesystem::path work) : binary_(std::move(binary)), work_(std::move(work)) {
    port_ = free_loopback_port();
    props_ = work_ / "server.properties";
    std::ofstream(props_) << "listeners=PLAINTEXT://127.0.0.1:" << port_ << "\n"
                          << "log.dirs=" << (work_ / "data").string() << "\n"
                          << "samsa.shards=2\n"
                          << "offsets.topic.replication.factor=1\n"
                          << "transaction.state.log.replication.factor=1\n"
                          << "transaction.state.log.min.isr=1\n";
  }
  std::string bootstrap() const override { return "127.0.0.1:" + std::to_string(port_); }
  std::string name() const override { return "samsa"; }
  bool start(std::string* why) override {
    log_ = work_ / ("broker-" + std::to_string(++starts_) + ".log");
    child_ = std::make_unique<child_process>(std::vector<std::string>{binary_, props_.string()}, log_);
    if (child_->started() && child_->wait_for_output("started", 30s)) return true;
    *why = "samsa did not start: " + tail_of(child_->output(), 10);
    return false;
  }
  bool kill(std::string* why) override {
    if (!child_) return true;
    child_->signal(SIGKILL);
    if (!child_->wait(10s)) {
      *why = "samsa survived SIGKILL for 10 s";
      return false;
    }
    return true;
  }
  void stop() override {
    if (!child_) return;
    child_->signal(SIGTERM);
    if (!child_->wait(30s)) child_->signal(SIGKILL);
    child_->wait(10s);
  }
  std::string log_tail() const override { return child_ ? tail_of(child_->output(), 20) : ""; }

 private:
  std::string binary_;
  std::filesystem::path work_, props_, log_;
  uint16_t port_ = 0;
  int starts_ = 0;
  std::unique_ptr<child_process> child_;
};

class kafka_node final : public broker_under_test {
 public:
  kafka_node(std::filesystem::path node, std::filesystem::path tools) : node_(std::move(node)), tools_(std::move(tools)) {
    std::ifstream in(node_ / "server.properties");
    std::string line;
    static const std::regex listener("^listeners=PLAINTEXT://([^,]+)");
    std::smatch m;
    while (std::getline(in, line))
      if (std::regex_search(line, m, listener)) bootstrap_ = m[1];
    scratch_ = node_ / "txn-checker";
    std::filesystem::create_directories(scratch_);
  }
  std::string bootstrap() const override { return bootstrap_; }
  std::string name() const override { return "kafka"; }
  bool start(std::string* why) override {
    if (bootstrap_.empty()) {
      *why = "no PLAINTEXT listener in " + (node_ / "server.properties").string();
      return false;
    }
    const auto r = run_command({(tools_ / "start.sh").string(), "--dir", node_.string()}, scratch_, 180s);
    const bool first = starts_++ == 0;
    if (r.exit_code == 0) return true;
    // A node the caller started already serves: fine for the first start of a run
    // (after kill() the process is gone and stop.sh has removed the pid file).
    if (first && r.output.find("already running") != std::string::npos) return true;
    *why = "tools/kafka/start.sh exited " + std::to_string(r.exit_code) + ": " + tail_of(r.output, 10);
    return false;
  }
  bool kill(std::string* why) override {
    const auto r = run_command({(tools_ / "stop.sh").string(), "--dir", node_.string(), "--kill"}, scratch_, 60s);
    if (r.exit_code == 0) return true;
    *why = "tools/kafka/stop.sh --kill exited " + std::to_string(r.exit_code) + ": " + r.output;
    return false;
  }
  void stop() override { run_command({(tools_ / "stop.sh").string(), "--dir", node_.string()}, scratch_, 60s); }
  std::string log_tail() const override {
    std::ifstream in(node_ / "logs" / "server.log");
    std::stringstream s;
    s << in.rdbuf();
    return tail_of(s.str(), 20);
  }

 private:
  std::filesystem::path node_, tools_, scratch_;
  std::string bootstrap_;
  int starts_ = 0;
};

void put16(std::string& b, int16_t v) {
  b.push_back(static_cast<char>((v >> 8) & 0xff));
  b.push_back(static_cast<char>(v & 0xff));
}
void put32(std::string& b, int32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<char>((v >> s) & 0xff));
}
void put_string(std::string& b, const std::string& s) {
  put16(b, static_cast<int16_t>(s.size()));
  b += s;
}

bool read_exact(int fd, char* p, size_t n) {
  while (n > 0) {
    const ssize_t r = ::recv(fd, p, n, 0);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

std::unique_ptr<broker_under_test> samsa_broker(const std::string& binary, const std::filesystem::path& work) {
  return std::make_unique<samsa_child>(binary, work);
}

std::unique_ptr<broker_under_test> kafka_broker(const std::filesystem::path& node,
                                                const std::filesystem::path& kafka_tools) {
  return std::make_unique<kafka_node>(node, kafka_tools);
}

std::optional<int16_t> find_transaction_coordinator(const std::string& bootstrap, const std::string& transactional_id,
                                                    std::chrono::milliseconds timeout) {
  const size_t colon = bootstrap.rfind(':');
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(bootstrap.substr(colon + 1))));
  if (::inet_pton(AF_INET, bootstrap.substr(0, colon).c_str(), &addr.sin_addr) != 1) return std::nullopt;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::optional<int16_t> result;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    // Request header v1 (api key 10, version 1, correlation id, client id), body v1 (key, key type).
    std::string body;
    put16(body, 10);
    put16(body, 1);
    put32(body, 7);
    put_string(body, "txn-checker");
    put_string(body, transactional_id);
    body.push_back(1);  // key type TRANSACTION
    std::string frame;
    put32(frame, static_cast<int32_t>(body.size()));
    frame += body;
    char head[4];
    if (::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(frame.size()) &&
        read_exact(fd, head, 4)) {
      const uint32_t size = (static_cast<uint8_t>(head[0]) << 24) | (static_cast<uint8_t>(head[1]) << 16) |
                            (static_cast<uint8_t>(head[2]) << 8) | static_cast<uint8_t>(head[3]);
      std::vector<char> resp(size);
      // Response header v0 (correlation id), then throttle_time_ms, error_code.
      if (size >= 10 && size < (1u << 20) && read_exact(fd, resp.data(), size))
        result = static_cast<int16_t>((static_cast<uint8_t>(resp[8]) << 8) | static_cast<uint8_t>(resp[9]));
    }
  }
  ::close(fd);
  return result;
}

}  // namespace samsa::broker::testing::txn
