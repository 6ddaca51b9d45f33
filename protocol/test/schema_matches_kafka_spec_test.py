#!/usr/bin/env python3
"""Our schema files agree field by field with Kafka's official message
definitions: names, types, versions, nullability, tags, defaults, entity types,
map keys, ignorable flags, and the message-level versions, flexible versions,
listeners and deprecations. Exits 77 (skipped) when the official folder is
absent, 1 on any difference."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "codegen"))
from schema_format import parse_schema  # noqa: E402

SKIP = 77

# Where our schemas follow Kafka releases newer than the reference folder (a
# snapshot of the 4.0 development line): (message, what) -> (theirs, ours). Each
# must match exactly, so any other drift still fails.
NEWER_THAN_REFERENCE = {
    # Transactions V2 (KIP-890 part 2), served as Kafka 4.x brokers do: EndTxn v5
    # is stable there, Produce v12 and TxnOffsetCommit v5 add partitions implicitly.
    ("EndTxnRequest", "latestVersionUnstable"): (True, False),
    ("ProduceRequest", "validVersions"): ("0-11", "0-12"),
    ("ProduceResponse", "validVersions"): ("0-11", "0-12"),
    ("TxnOffsetCommitRequest", "validVersions"): ("0-4", "0-5"),
    ("TxnOffsetCommitResponse", "validVersions"): ("0-4", "0-5"),
}


def load_kafka(path):
    with open(path, encoding="utf-8") as f:
        return json.loads("\n".join(l for l in f.read().splitlines() if not l.strip().startswith("//")))


def norm_default(value, type_):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def ours_default(field):
    if field.default is None:
        return None
    return field.default[1]


def compare_fields(theirs, ours, where, problems):
    if len(theirs) != len(ours):
        problems.append("%s: %d fields in Kafka's, %d in ours" % (where, len(theirs), len(ours)))
    for t, o in zip(theirs, ours):
        w = "%s.%s" % (where, t["name"])
        checks = [
            ("name", t["name"], o.name),
            ("type", t["type"], o.type),
            ("versions", t["versions"], o.versions_text),
            ("nullableVersions", t.get("nullableVersions"), o.attrs.get("nullable")),
            ("default", norm_default(t["default"], t["type"]) if "default" in t else None, ours_default(o)),
            ("ignorable", bool(t.get("ignorable", False)), "ignorable" in o.flags),
            ("entityType", t.get("entityType"), o.attrs.get("entity")),
            ("mapKey", bool(t.get("mapKey", False)), "mapkey" in o.flags),
            ("tag", None if "tag" not in t else int(t["tag"]), o.tag),
            ("taggedVersions", t.get("taggedVersions"), o.attrs.get("tagged")),
            ("flexibleVersions", t.get("flexibleVersions"), o.attrs.get("flexible")),
            ("zeroCopy", bool(t.get("zeroCopy", False)), "zerocopy" in o.flags),
        ]
        for what, a, b in checks:
            if a != b:
                problems.append("%s: %s is %r in Kafka's, %r in ours" % (w, what, a, b))
        compare_fields(t.get("fields", []), o.fields, w, problems)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema-dir", required=True)
    ap.add_argument("--kafka-dir", required=True,
                    help="Kafka's clients message folder, compared with the top-level schema files")
    ap.add_argument("--subdir", default="",
                    help="compare protocol/schema/<subdir> instead (e.g. metadata, against Kafka's "
                         "metadata/src/main/resources/common/metadata)")
    args = ap.parse_args()
    if not os.path.isdir(args.kafka_dir):
        print("SKIP: %s not present" % args.kafka_dir)
        return SKIP
    ours = {}
    schema_dir = os.path.join(args.schema_dir, args.subdir)
    for fn in sorted(os.listdir(schema_dir)):
        if fn.endswith(".schema"):
            with open(os.path.join(schema_dir, fn), encoding="utf-8") as f:
                for m in parse_schema(f.read(), fn):
                    if m.name in ours:
                        print("FAIL: %s defined twice" % m.name)
                        return 1
                    ours[m.name] = m
    problems = []
    newer = []
    seen = set()
    for fn in sorted(os.listdir(args.kafka_dir)):
        if not fn.endswith(".json"):
            continue
        t = load_kafka(os.path.join(args.kafka_dir, fn))
        name = t["name"]
        seen.add(name)
        o = ours.get(name)
        if o is None:
            problems.append("%s: missing from our schemas" % name)
            continue
        checks = [
            ("type", t["type"], o.kind),
            ("apiKey", t.get("apiKey"), o.api_key),
            ("validVersions", t["validVersions"], o.versions_text),
            ("flexibleVersions", t["flexibleVersions"], o.flexible_text),
            ("deprecatedVersions", t.get("deprecatedVersions"), o.deprecated),
            ("listeners", t.get("listeners"), o.listeners),
            ("latestVersionUnstable", bool(t.get("latestVersionUnstable", False)), o.unstable_latest),
        ]
        for what, a, b in checks:
            if a != b:
                if NEWER_THAN_REFERENCE.get((name, what)) == (a, b):
                    newer.append("%s: %s is %r in the reference, %r in ours" % (name, what, a, b))
                    continue
                problems.append("%s: %s is %r in Kafka's, %r in ours" % (name, what, a, b))
        compare_fields(t["fields"], o.fields, name, problems)
        theirs_common = t.get("commonStructs", [])
        if [c["name"] for c in theirs_common] != [c.name for c in o.common_structs]:
            problems.append("%s: common structs differ" % name)
        else:
            for tc, oc in zip(theirs_common, o.common_structs):
                if tc["versions"] != oc.versions.text:
                    problems.append("%s.%s: struct versions differ" % (name, tc["name"]))
                compare_fields(tc["fields"], oc.fields, "%s.%s" % (name, tc["name"]), problems)
    for name in sorted(set(ours) - seen):
        problems.append("%s: in our schemas but not in Kafka's" % name)
    if problems:
        for p in problems:
            print("FAIL: " + p)
        print("%d differences" % len(problems))
        return 1
    for n in newer:
        print("NEWER (Kafka 4.x release, listed in NEWER_THAN_REFERENCE): " + n)
    print("OK: %d messages match Kafka's definitions field by field" % len(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
