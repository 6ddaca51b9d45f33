#include "broker/config/config_docs.h"

#include <fmt/format.h>

#include "broker/config/broker_config_defs.h"
#include "broker/config/parse_config.h"
#include "broker/config/topic_config_defs.h"

namespace samsa::broker::config {

namespace {

std::string_view type_name(config_type t) {
  switch (t) {
    case config_type::boolean: return "boolean";
    case config_type::string: return "string";
    case config_type::int32: return "int";
    case config_type::int16: return "short";
    case config_type::int64: return "long";
    case config_type::float64: return "double";
    case config_type::list: return "list";
    case config_type::class_name: return "class";
    case config_type::password: return "password";
  }
  return "";
}

// Markdown-safe cell: pipes escaped, code-formatted when not empty.
std::string cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out += c;
  }
  return out;
}

std::string default_cell(const config_def& d) {
  switch (d.default_value.kind) {
    case default_kind::required: return "(required)";
    case default_kind::null_value: return "null";
    case default_kind::value: {
      auto text = default_text(d);
      if (!text || text->empty()) return "\"\"";
      return "`" + cell(*text) + "`";
    }
  }
  return "";
}

std::string support_cell(const config_def& d) {
  std::string s = d.support == samsa_support::effective ? "effective" : "accepted, not yet effective";
  if (!d.samsa_note.empty()) s += ". " + std::string(d.samsa_note);
  return cell(s);
}

void broker_table(std::string& out, std::string_view title, std::span<const config_def> defs) {
  out += fmt::format("\n### {}\n\n", title);
  out += "| Name | Type | Default | Valid values | Update mode | Samsa | Description |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const config_def& d : defs) {
    if (d.internal) continue;
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", d.name, type_name(d.type), default_cell(d),
                       cell(describe_valid_values(d.valid, d.type)), update_mode_name(d.mode), support_cell(d),
                       cell(d.doc));
  }
}

void topic_table(std::string& out) {
  out += "\n## Topic configs\n\n";
  out += "Set per topic with CreateTopics or AlterConfigs; otherwise the broker synonyms supply the value, the first "
         "one configured winning.\n\n";
  out += "| Name | Type | Default | Valid values | Broker synonyms | Samsa | Description |\n";
  out += "|---|---|---|---|---|---|---|\n";
  for (const topic_config_def& t : topic_config_defs()) {
    std::string synonyms;
    for (const broker_synonym& s : t.broker_synonyms()) {
      if (!synonyms.empty()) synonyms += ", ";
      synonyms += fmt::format("`{}`", s.name);
      if (s.unit == synonym_unit::hours_to_ms) synonyms += " (hours)";
      if (s.unit == synonym_unit::minutes_to_ms) synonyms += " (minutes)";
    }
    if (synonyms.empty()) synonyms = "none";
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", t.def.name, type_name(t.def.type),
                       default_cell(t.def), cell(describe_valid_values(t.def.valid, t.def.type)), synonyms,
                       support_cell(t.def), cell(t.def.doc));
  }
}

}  // namespace

std::string render_config_tables() {
  std::string out;
  out += "\n## Broker configs\n";
  broker_table(out, "Identity, requests, sockets, listeners, KRaft, metrics", detail::server_config_defs());
  broker_table(out, "Logs and log cleaner", detail::log_config_defs());
  broker_table(out, "Replication", detail::replication_config_defs());
  broker_table(out, "Groups, offsets, transactions, delegation tokens", detail::coordinator_config_defs());
  broker_table(out, "Security", detail::security_config_defs());
  topic_table(out);
  return out;
}

std::optional<std::string> replace_generated_block(std::string_view document) {
  size_t begin = document.find(docs_begin_marker);
  size_t end = document.find(docs_end_marker);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) return std::nullopt;
  std::string out(document.substr(0, begin + docs_begin_marker.size()));
  out += "\n";
  out += render_config_tables();
  out += "\n";
  out += document.substr(end);
  return out;
}

}  // namespace samsa::broker::config
