// Rewrites the generated tables of docs/configuration.md from the config
// definition tables:   broker_config_docs docs/configuration.md

#include <cstdio>
#include <fstream>
#include <sstream>

#include "broker/config/config_docs.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s docs/configuration.md\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto updated = samsa::broker::config::replace_generated_block(text.str());
  if (!updated) {
    std::fprintf(stderr, "%s lacks the generated-block markers\n", argv[1]);
    return 1;
  }
  std::ofstream(argv[1], std::ios::trunc) << *updated;
  return 0;
}
