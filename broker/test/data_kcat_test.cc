// kcat (librdkafka's command-line client) producing and consuming through an
// in-process broker, as an operator would.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "broker/test/data_topics_fixture.h"
#include "broker/test/process.h"

namespace samsa::broker::testing {
namespace {

using namespace std::chrono_literals;

class DataKcat : public data_fixture {};

TEST_F(DataKcat, KcatProducesKeyedLinesAndConsumesThemBackInOrder) {
  create_topic("kcat-topic", 1);
  auto input = dir() / "input.txt";
  {
    std::ofstream out(input);
    for (int i = 0; i < 500; ++i) out << "key" << i << ":value number " << i << "\n";
  }
  auto produced = run_command({"kcat", "-P", "-b", bootstrap(), "-t", "kcat-topic", "-p", "0", "-K", ":", "-z",
                               "snappy", "-X", "enable.idempotence=true", "-l", input.string()},
                              dir(), 60s);
  ASSERT_EQ(produced.exit_code, 0) << produced.output;

  auto consumed = run_command({"kcat", "-C", "-q", "-b", bootstrap(), "-t", "kcat-topic", "-p", "0", "-o", "beginning",
                               "-e", "-f", "%o %k=%s\\n"},
                              dir(), 60s);
  ASSERT_EQ(consumed.exit_code, 0) << consumed.output;
  std::istringstream lines(consumed.output);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(line, std::to_string(n) + " key" + std::to_string(n) + "=value number " + std::to_string(n));
    ++n;
  }
  EXPECT_EQ(n, 500) << consumed.output;
}

TEST_F(DataKcat, KcatReadsTheTailWithANegativeOffset) {
  create_topic("tail", 1);
  auto input = dir() / "tail.txt";
  {
    std::ofstream out(input);
    for (int i = 0; i < 50; ++i) out << "line " << i << "\n";
  }
  auto produced = run_command({"kcat", "-P", "-b", bootstrap(), "-t", "tail", "-p", "0", "-l", input.string()}, dir(),
                              60s);
  ASSERT_EQ(produced.exit_code, 0) << produced.output;
  auto consumed =
      run_command({"kcat", "-C", "-q", "-b", bootstrap(), "-t", "tail", "-p", "0", "-o", "-3", "-e", "-f", "%s\\n"}, dir(), 60s);
  ASSERT_EQ(consumed.exit_code, 0) << consumed.output;
  EXPECT_NE(consumed.output.find("line 47\nline 48\nline 49\n"), std::string::npos) << consumed.output;
  EXPECT_EQ(consumed.output.find("line 46"), std::string::npos) << consumed.output;
}

}  // namespace
}  // namespace samsa::broker::testing
