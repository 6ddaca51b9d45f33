#pragma once

// The reference tables of docs/configuration.md, rendered from the definition
// tables so the document cannot drift from the code: a test compares the
// generated block of the file with render_config_tables(), and the
// broker_config_docs tool rewrites it (`broker_config_docs docs/configuration.md`).

#include <optional>
#include <string>
#include <string_view>

namespace samsa::broker::config {

inline constexpr std::string_view docs_begin_marker = "<!-- BEGIN GENERATED CONFIG TABLES -->";
inline constexpr std::string_view docs_end_marker = "<!-- END GENERATED CONFIG TABLES -->";

// Markdown tables of every documented broker and topic config.
std::string render_config_tables();

// `document` with the text between the markers replaced by
// render_config_tables(); nullopt when the markers are missing.
std::optional<std::string> replace_generated_block(std::string_view document);

}  // namespace samsa::broker::config
