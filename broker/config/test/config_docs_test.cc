#include "broker/config/config_docs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace samsa::broker::config {
namespace {

TEST(ConfigDocs, TheReferenceInDocsMatchesTheDefinitionTables) {
  std::filesystem::path doc = std::filesystem::path(SAMSA_SOURCE_DIR) / "docs" / "configuration.md";
  std::ifstream in(doc);
  ASSERT_TRUE(in) << "cannot read " << doc;
  std::ostringstream text;
  text << in.rdbuf();
  auto expected = replace_generated_block(text.str());
  ASSERT_TRUE(expected.has_value()) << "docs/configuration.md lacks the generated-block markers";
  EXPECT_TRUE(*expected == text.str())
      << "docs/configuration.md is stale; run: broker_config_docs docs/configuration.md (from the source root)";
}

TEST(ConfigDocs, TablesHideInternalConfigs) {
  std::string tables = render_config_tables();
  EXPECT_NE(tables.find("`num.io.threads`"), std::string::npos);
  EXPECT_NE(tables.find("`retention.ms`"), std::string::npos);
  EXPECT_EQ(tables.find("unstable.api.versions.enable"), std::string::npos);
}

}  // namespace
}  // namespace samsa::broker::config
