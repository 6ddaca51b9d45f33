#!/usr/bin/env python3
"""Derive Samsa's schema files (protocol/schema/*.schema) from a folder of Kafka's
official message definitions (JSON with // comments).

Only facts are carried over: names, types, versions, nullability, tags, defaults,
entity types, map keys, ignorable flags. Kafka's prose ("about") is not.

    tools/protocol/import_kafka_schemas.py ../shared/kafka-spec/message protocol/schema
"""
import json
import os
import re
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "protocol", "codegen"))
from schema_format import format_default, snake_case  # noqa: E402


def load_kafka_json(path):
    with open(path, encoding="utf-8") as f:
        text = "\n".join(line for line in f.read().splitlines() if not line.strip().startswith("//"))
    return json.loads(text)


def field_line(field, indent):
    parts = [field["name"], field["type"], field["versions"]]
    if "nullableVersions" in field:
        parts.append("nullable=" + field["nullableVersions"])
    if "default" in field:
        parts.append("default=" + format_default(field["default"], field["type"]))
    if field.get("ignorable"):
        parts.append("ignorable")
    if "entityType" in field:
        parts.append("entity=" + field["entityType"])
    if field.get("mapKey"):
        parts.append("mapkey")
    if "tag" in field:
        parts.append("tag=%s" % field["tag"])
    if "taggedVersions" in field:
        parts.append("tagged=" + field["taggedVersions"])
    if "flexibleVersions" in field:
        parts.append("flexible=" + field["flexibleVersions"])
    if field.get("zeroCopy"):
        parts.append("zerocopy")
    lines = ["  " * indent + " ".join(parts)]
    for child in field.get("fields", []):
        lines.extend(field_line(child, indent + 1))
    return lines


def message_block(msg):
    kind = msg["type"]
    head = [kind, msg["name"]]
    if "apiKey" in msg:
        head.append("key=%d" % msg["apiKey"])
    head.append("versions=" + msg["validVersions"])
    head.append("flexible=" + msg["flexibleVersions"])
    if "deprecatedVersions" in msg:
        head.append("deprecated=" + msg["deprecatedVersions"])
    if "listeners" in msg:
        head.append("listeners=" + ",".join(msg["listeners"]))
    if msg.get("latestVersionUnstable"):
        head.append("unstable-latest")
    lines = [" ".join(head)]
    for field in msg["fields"]:
        lines.extend(field_line(field, 1))
    for struct in msg.get("commonStructs", []):
        lines.append("struct %s versions=%s" % (struct["name"], struct["versions"]))
        for field in struct["fields"]:
            lines.extend(field_line(field, 1))
    return lines


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = sys.argv[1], sys.argv[2]
    messages = [load_kafka_json(os.path.join(src, f)) for f in sorted(os.listdir(src)) if f.endswith(".json")]
    groups = defaultdict(list)
    for msg in messages:
        if "apiKey" in msg and msg["type"] in ("request", "response"):
            base = re.sub(r"(Request|Response)$", "", msg["name"])
            groups[(0, msg["apiKey"], snake_case(base))].append(msg)
        elif msg["type"] == "header":
            groups[(1, 0, "headers")].append(msg)
        else:
            groups[(2, 0, snake_case(msg["name"]))].append(msg)
    os.makedirs(dst, exist_ok=True)
    for (kind, key, name), msgs in sorted(groups.items()):
        msgs.sort(key=lambda m: (m["type"] != "request", m["type"] != "header", m["name"]))
        if kind == 0:
            title = "API key %d: %s" % (key, re.sub(r"(Request|Response)$", "", msgs[0]["name"]))
        elif kind == 1:
            title = "Request and response headers"
        elif msgs[0]["type"] == "metadata":
            title = "Metadata record %s (record type %d)" % (msgs[0]["name"], msgs[0]["apiKey"])
        else:
            title = "Data message %s" % msgs[0]["name"]
        out = ["# " + title,
               "# Samsa protocol schema; the format is described in protocol/schema/README.md.",
               ""]
        for i, msg in enumerate(msgs):
            if i:
                out.append("")
            out.extend(message_block(msg))
        with open(os.path.join(dst, name + ".schema"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
