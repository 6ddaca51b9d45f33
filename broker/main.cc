// samsa <server.properties> [--override key=value]...
// Starts a broker like Kafka's kafka-server-start.sh and runs until SIGTERM or
// SIGINT, then shuts down gracefully.

#include <signal.h>

#include <cstdio>
#include <string_view>
#include <vector>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "broker/broker.h"
#include "broker/config/load.h"

namespace {

constexpr auto shutdown_timeout = std::chrono::seconds(30);

std::shared_ptr<spdlog::logger> make_logger(const std::string& level) {
  auto logger = spdlog::stdout_logger_mt("samsa");
  // Kafka's log4j layout: [date] LEVEL message
  logger->set_pattern("[%Y-%m-%d %H:%M:%S,%e] %l %v");
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return logger;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace samsa::broker;
  // Block the shutdown signals before any thread starts, so every thread
  // inherits the mask and only sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto parsed = config::parse_server_args(args);
  if (!parsed) {
    std::fprintf(stderr, "samsa: %s\n%s", parsed.error().message.c_str(), std::string(config::server_usage()).c_str());
    return 1;
  }
  if (parsed->help) {
    std::fputs(std::string(config::server_usage()).c_str(), stdout);
    return 0;
  }
  if (parsed->version) {
    std::puts("samsa 0.1.0");
    return 0;
  }
  auto loaded = config::load_broker_config(parsed->properties_file, parsed->overrides);
  if (!loaded) {
    std::fprintf(stderr, "samsa: %s\n", loaded.error().message.c_str());
    return 1;
  }
  auto logger = make_logger(loaded->config.get_string("samsa.log.level"));
  for (const auto& w : loaded->warnings) logger->warn("{}", w.message);

  auto started = broker::start(loaded->config, broker_options{logger});
  if (!started) {
    logger->error("samsa: cannot start: {}", started.error());
    return 1;
  }
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  logger->info("received signal {}", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  (*started)->shutdown(shutdown_timeout);
  return 0;
}
