#include "broker/config/load.h"

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

namespace samsa::broker::config {
namespace {

// A properties file in a per-test temporary directory, removed afterwards.
class temp_file {
 public:
  explicit temp_file(std::string_view text) {
    char tmpl[] = "/tmp/samsa-config-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ / "server.properties";
    std::ofstream(path_) << text;
  }
  ~temp_file() { std::filesystem::remove_all(dir_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path path_;
};

TEST(LoadBrokerConfig, AFileWithListenersAndLogDirsStartsABroker) {
  temp_file f("listeners=PLAINTEXT://localhost:9092\nlog.dirs=./data\n");
  auto loaded = load_broker_config(f.path(), std::span<const std::string>{});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(loaded->config.node_id(), 1);
  EXPECT_EQ(loaded->config.listeners()[0].port, 9092);
  for (const auto& w : loaded->warnings) EXPECT_NE(w.kind, warning_kind::unknown_config) << w.message;
}

TEST(LoadBrokerConfig, OverridesWinOverTheFileInCommandLineOrder) {
  temp_file f("listeners=PLAINTEXT://localhost:9092\nlog.dirs=./data\nnum.io.threads=4\n");
  std::vector<std::string> overrides{"num.io.threads=6", "log.dirs=/srv/a,/srv/b", "num.io.threads=7"};
  auto loaded = load_broker_config(f.path(), overrides);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(loaded->config.num_io_threads(), 7);
  EXPECT_EQ(loaded->config.log_dirs(), (std::vector<std::string>{"/srv/a", "/srv/b"}));
}

TEST(LoadBrokerConfig, AMalformedValueNamesTheKey) {
  temp_file f("listeners=PLAINTEXT://localhost:9092\nlog.dirs=./data\nnum.partitions=zero\n");
  auto loaded = load_broker_config(f.path(), std::span<const std::string>{});
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().key, "num.partitions");
  EXPECT_EQ(loaded.error().message, "Invalid value zero for configuration num.partitions: Not a number of type INT");
}

TEST(LoadBrokerConfig, TheShippedExampleFileLoadsWithoutUnknownKeys) {
  std::filesystem::path example = std::filesystem::path(SAMSA_SOURCE_DIR) / "config" / "server.properties";
  auto loaded = load_broker_config(example, std::span<const std::string>{});
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(loaded->config.listeners()[0].host, "localhost");
  EXPECT_EQ(loaded->config.log_dirs(), std::vector<std::string>{"./data"});
  for (const auto& w : loaded->warnings) EXPECT_NE(w.kind, warning_kind::unknown_config) << w.message;
}

TEST(ServerArgs, ParseLikeKafkaServerStart) {
  std::vector<std::string_view> args{"server.properties", "--override", "a=1", "--override=b=2=3"};
  auto parsed = parse_server_args(args);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->properties_file, "server.properties");
  ASSERT_EQ(parsed->overrides.size(), 2u);
  EXPECT_EQ(parsed->overrides[1], (properties::entry{"b", "2=3"}));
}

TEST(ServerArgs, StrayArgumentsAndMissingOverrideValuesAreRefused) {
  std::vector<std::string_view> stray{"server.properties", "extra"};
  EXPECT_EQ(parse_server_args(stray).error().message, "Found non argument parameters: extra");
  std::vector<std::string_view> dangling{"server.properties", "--override"};
  EXPECT_FALSE(parse_server_args(dangling).has_value());
  std::vector<std::string_view> none{};
  EXPECT_TRUE(parse_server_args(none)->help);
}

}  // namespace
}  // namespace samsa::broker::config
