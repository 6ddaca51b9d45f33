#pragma once

// The broker under the transaction checker, which it can SIGKILL and restart:
//   samsa  the real samsa binary as a child process on a fixed loopback port
//          (broker/test/process.h), its data in a temporary directory;
//   kafka  a single-node Apache Kafka formatted by tools/kafka/format.sh, killed
//          and started by tools/kafka/stop.sh --kill and start.sh.
// Plus the probe that tells whether the broker serves transactions at all.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace samsa::broker::testing::txn {

class broker_under_test {
 public:
  virtual ~broker_under_test() = default;
  virtual std::string bootstrap() const = 0;
  // Starts (or restarts) the broker and waits until it serves. False with `why` on failure.
  virtual bool start(std::string* why) = 0;
  // SIGKILL, and wait until the process is gone.
  virtual bool kill(std::string* why) = 0;
  // Graceful stop at the end of a run.
  virtual void stop() = 0;
  virtual std::string name() const = 0;
  // The broker's log, for failure reports.
  virtual std::string log_tail() const = 0;
};

// `work` holds its server.properties, data and logs, and must outlive it.
std::unique_ptr<broker_under_test> samsa_broker(const std::string& binary, const std::filesystem::path& work);
// `node` was formatted by tools/kafka/format.sh; `kafka_tools` is tools/kafka/.
std::unique_ptr<broker_under_test> kafka_broker(const std::filesystem::path& node,
                                                const std::filesystem::path& kafka_tools);

// FindCoordinator v1 for key type TRANSACTION (1): the error code of the answer,
// or nullopt if no answer came (connection refused or closed, timeout).
std::optional<int16_t> find_transaction_coordinator(const std::string& bootstrap, const std::string& transactional_id,
                                                    std::chrono::milliseconds timeout);

constexpr int16_t kCoordinatorNotAvailable = 15;

}  // namespace samsa::broker::testing::txn
