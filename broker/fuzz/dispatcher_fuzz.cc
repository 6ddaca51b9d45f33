// Feeds whole request frames to the dispatcher of a real in-process broker
// (storage in a temporary directory, no sockets): every API the broker serves,
// with whatever bodies the fuzzer makes. Crashes, sanitizer reports and leaks
// are failures; answers are discarded.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "broker/broker.h"
#include "broker/config/broker_config.h"
#include "broker/request_context.h"
#include "common/endian.h"

namespace {

using namespace samsa::broker;

class discard_channel final : public response_channel {
 public:
  void send(samsa::protocol::encoded_message) override {}
  void send_nothing() override {}
  void close(std::string_view) override {}
};

std::filesystem::path work_dir;
broker* the_broker = nullptr;

void clean_up() {
  delete the_broker;
  the_broker = nullptr;
  std::error_code ec;
  std::filesystem::remove_all(work_dir, ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::random_device rd;
  work_dir = std::filesystem::temp_directory_path() / ("samsa-dispatcher-fuzz-" + std::to_string(rd()));
  config::properties props;
  props.set("listeners", "PLAINTEXT://127.0.0.1:0");
  props.set("log.dirs", (work_dir / "data").string());
  props.set("samsa.shards", "1");
  props.set("auto.create.topics.enable", "false");
  props.set("offsets.topic.replication.factor", "1");
  props.set("transaction.state.log.replication.factor", "1");
  auto cfg = config::broker_config::from_properties(props);
  if (!cfg) std::abort();
  auto quiet = std::make_shared<spdlog::logger>("fuzz", std::make_shared<spdlog::sinks::null_sink_mt>());
  auto started = broker::start(*cfg, broker_options{quiet});
  if (!started) std::abort();
  the_broker = started->release();
  std::atexit(clean_up);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A stream of [int32 size][frame], as a connection would read it.
  size_t pos = 0;
  for (int frames = 0; frames < 8 && size - pos >= 4; ++frames) {
    int32_t n = samsa::load_be<int32_t>(data + pos);
    pos += 4;
    if (n < 0 || static_cast<size_t>(n) > size - pos) return 0;
    the_broker->inject_request(std::span<const uint8_t>(data + pos, static_cast<size_t>(n)),
                               std::make_unique<discard_channel>());
    pos += static_cast<size_t>(n);
  }
  return 0;
}
