#!/usr/bin/env python3
"""Writes Samsa's schema files back out in the shape of Kafka's message JSON
(one <Name>.json per message, facts only). Tools written against Kafka's
format, such as the kmsg vector generator, read these when Kafka's own folder
is not on the machine.

    tools/protocol/export_kafka_json.py protocol/schema <out-dir>
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "codegen"))
from schema_format import parse_schema  # noqa: E402


def field_json(f):
    out = {"name": f.name, "type": f.type, "versions": f.versions_text}
    for attr, key in (("nullable", "nullableVersions"), ("entity", "entityType"), ("tagged", "taggedVersions"),
                      ("flexible", "flexibleVersions")):
        if attr in f.attrs:
            out[key] = f.attrs[attr]
    if f.tag is not None:
        out["tag"] = f.tag
    if f.default is not None:
        out["default"] = f.default[1]
    for flag, key in (("ignorable", "ignorable"), ("mapkey", "mapKey"), ("zerocopy", "zeroCopy")):
        if flag in f.flags:
            out[key] = True
    if f.fields:
        out["fields"] = [field_json(c) for c in f.fields]
    return out


def message_json(m):
    out = {"type": m.kind, "name": m.name}
    if m.api_key is not None:
        out["apiKey"] = m.api_key
    out["validVersions"] = m.versions_text
    out["flexibleVersions"] = m.flexible_text
    if m.listeners:
        out["listeners"] = m.listeners
    if m.deprecated:
        out["deprecatedVersions"] = m.deprecated
    if m.unstable_latest:
        out["latestVersionUnstable"] = True
    out["fields"] = [field_json(f) for f in m.fields]
    if m.common_structs:
        out["commonStructs"] = [{"name": s.name, "versions": s.versions.text,
                                 "fields": [field_json(f) for f in s.fields]} for s in m.common_structs]
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    for fn in sorted(os.listdir(src)):
        if fn.endswith(".schema"):
            with open(os.path.join(src, fn), encoding="utf-8") as f:
                for m in parse_schema(f.read(), fn):
                    with open(os.path.join(dst, m.name + ".json"), "w", encoding="utf-8") as out:
                        json.dump(message_json(m), out, indent=1)
                        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
