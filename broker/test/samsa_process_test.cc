// The real samsa binary, started like kafka-server-start.sh, and the first
// real client: kcat.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "broker/test/broker_fixture.h"
#include "broker/test/process.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

class SamsaProcess : public ::testing::Test {
 protected:
  std::filesystem::path write_properties(const std::string& content) {
    auto p = dir_.path() / "server.properties";
    std::ofstream(p) << content;
    return p;
  }
  std::string minimal_properties() {
    return "listeners=PLAINTEXT://127.0.0.1:0\nlog.dirs=" + (dir_.path() / "data").string() + "\n";
  }
  // The port from the startup line "listening on PLAINTEXT://127.0.0.1:NNNN".
  static int port_from(const std::string& output) {
    std::smatch m;
    if (std::regex_search(output, m, std::regex("listening on PLAINTEXT://127\\.0\\.0\\.1:(\\d+)")))
      return std::stoi(m[1]);
    return 0;
  }
  temp_dir dir_;
};

TEST_F(SamsaProcess, AFileWithOnlyListenersAndLogDirsStartsABrokerThatKcatLists) {
  auto props = write_properties(minimal_properties());
  child_process samsa({SAMSA_BINARY, props.string()}, dir_.path() / "samsa.log");
  ASSERT_TRUE(samsa.wait_for_output("started", 20s)) << samsa.output();
  int port = port_from(samsa.output());
  ASSERT_GT(port, 0) << samsa.output();
  auto kcat = run_command({"kcat", "-L", "-b", "127.0.0.1:" + std::to_string(port), "-m", "10"}, dir_.path(), 30s);
  EXPECT_EQ(kcat.exit_code, 0) << kcat.output;
  EXPECT_NE(kcat.output.find("1 brokers:"), std::string::npos) << kcat.output;
  EXPECT_NE(kcat.output.find("broker 1 at 127.0.0.1:" + std::to_string(port) + " (controller)"), std::string::npos)
      << kcat.output;
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "data" / "meta.properties"));
}

TEST_F(SamsaProcess, SigtermShutsDownGracefullyWithExitCodeZero) {
  auto props = write_properties(minimal_properties());
  child_process samsa({SAMSA_BINARY, props.string()}, dir_.path() / "samsa.log");
  ASSERT_TRUE(samsa.wait_for_output("started", 20s)) << samsa.output();
  samsa.signal(SIGTERM);
  auto code = samsa.wait(30s);
  ASSERT_TRUE(code) << "did not exit after SIGTERM";
  EXPECT_EQ(*code, 0) << samsa.output();
  EXPECT_NE(samsa.output().find("shut down"), std::string::npos) << samsa.output();
}

TEST_F(SamsaProcess, AMalformedValueIsRefusedWithAOneLineMessage) {
  auto props = write_properties(minimal_properties() + "num.partitions=many\n");
  child_process samsa({SAMSA_BINARY, props.string()}, dir_.path() / "samsa.log");
  auto code = samsa.wait(20s);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1);
  EXPECT_NE(samsa.output().find("Invalid value many for configuration num.partitions"), std::string::npos)
      << samsa.output();
}

TEST_F(SamsaProcess, AnUnknownKeyIsWarnedAboutButDoesNotStopTheBroker) {
  auto props = write_properties(minimal_properties() + "no.such.setting=1\n");
  child_process samsa({SAMSA_BINARY, props.string()}, dir_.path() / "samsa.log");
  ASSERT_TRUE(samsa.wait_for_output("started", 20s)) << samsa.output();
  EXPECT_NE(samsa.output().find("no.such.setting"), std::string::npos) << samsa.output();
}

TEST_F(SamsaProcess, OverridesOnTheCommandLineWinOverTheFile) {
  auto props = write_properties("listeners=PLAINTEXT://127.0.0.1:1\nlog.dirs=/nonexistent/never\n");
  child_process samsa({SAMSA_BINARY, props.string(), "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override",
                       "log.dirs=" + (dir_.path() / "d2").string()},
                      dir_.path() / "samsa.log");
  ASSERT_TRUE(samsa.wait_for_output("started", 20s)) << samsa.output();
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "d2" / "meta.properties"));
}

TEST_F(SamsaProcess, ALogDirectoryOfAnotherNodeIsRefused) {
  auto props = write_properties(minimal_properties());
  {
    child_process first({SAMSA_BINARY, props.string()}, dir_.path() / "first.log");
    ASSERT_TRUE(first.wait_for_output("started", 20s)) << first.output();
    first.signal(SIGTERM);
    ASSERT_TRUE(first.wait(30s));
  }
  child_process second({SAMSA_BINARY, props.string(), "--override", "node.id=2", "--override", "broker.id=2"},
                       dir_.path() / "second.log");
  auto code = second.wait(20s);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1);
  EXPECT_NE(second.output().find("doesn't match the configured node.id 2"), std::string::npos) << second.output();
}

TEST_F(SamsaProcess, AnSslListenerIsRefusedUntilTlsIsBuilt) {
  auto props = write_properties("listeners=SSL://127.0.0.1:0\ninter.broker.listener.name=SSL\nlog.dirs=" + (dir_.path() / "data").string() + "\n");
  child_process samsa({SAMSA_BINARY, props.string()}, dir_.path() / "samsa.log");
  auto code = samsa.wait(20s);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 1);
  EXPECT_NE(samsa.output().find("does not support yet"), std::string::npos) << samsa.output();
}

}  // namespace
}  // namespace samsa::broker::testing
