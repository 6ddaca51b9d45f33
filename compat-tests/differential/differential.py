#!/usr/bin/python3
"""Runs every scenario against Kafka and Samsa, diffs what each broker answered, and writes the
differences to compat-tests/DIFFERENCES.md (and all observations to a JSON file).

    differential.py --kafka 127.0.0.1:P --kafka-node-id 1 --samsa 127.0.0.1:Q --samsa-node-id 1 \\
                    --schemas-jar .../kafka-clients-X.jar --kafka-version X [--only GLOB] [--strict]

Usually started by run.sh, which starts both brokers fresh. Triage lives in triage.json:
{"<difference id or glob>": {"status": "explained|fixed later|...", "note": "..."}}; a
difference with no entry is "open". --strict exits 1 when any difference is open.
"""
import argparse
import datetime
import fnmatch
import json
import os
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import diff  # noqa: E402
import harness  # noqa: E402
import kwire  # noqa: E402
import report  # noqa: E402
import scenarios  # noqa: E402,F401  (registers the scenarios)


def hostport(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def run_one(entry, broker):
    t = time.monotonic()
    try:
        cases = entry["fn"](broker)
        return cases, None, time.monotonic() - t
    except Exception:  # a harness bug or a broker that broke the harness: report, don't stop
        return [], traceback.format_exc(limit=-4), time.monotonic() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kafka", required=True, type=hostport)
    ap.add_argument("--kafka-node-id", type=int, default=1)
    ap.add_argument("--samsa", required=True, type=hostport)
    ap.add_argument("--samsa-node-id", type=int, default=1)
    ap.add_argument("--schemas-jar", required=True)
    ap.add_argument("--kafka-version", required=True)
    ap.add_argument("--only", default="*", help="glob over scenario names")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "DIFFERENCES.md"))
    ap.add_argument("--results", default=None, help="JSON file for every observation")
    ap.add_argument("--triage", default=os.path.join(HERE, "triage.json"))
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()

    schemas = kwire.Schemas.from_jar(args.schemas_jar)
    kafka = harness.Broker("kafka", *args.kafka, args.kafka_node_id, schemas)
    samsa = harness.Broker("samsa", *args.samsa, args.samsa_node_id, schemas)
    entries = [e for e in harness.REGISTRY if fnmatch.fnmatch(e["name"], args.only)]
    entries.sort(key=lambda e: e["mutates"])   # read-only scenarios first (stable within each)

    differences, results, errors, stats = [], [], [], []
    for entry in entries:
        k_cases, k_err, k_s = run_one(entry, kafka)
        s_cases, s_err, s_s = run_one(entry, samsa)
        for who, err in (("kafka", k_err), ("samsa", s_err)):
            if err:
                errors.append((entry["name"], who, err))
        k_map = {(c.label, c.version): c.observation for c in k_cases}
        s_map = {(c.label, c.version): c.observation for c in s_cases}
        same = 0
        for key in list(k_map) + [k for k in s_map if k not in k_map]:
            k_obs, s_obs = k_map.get(key, diff.ABSENT), s_map.get(key, diff.ABSENT)
            found = diff.diff_observations(k_obs, s_obs)
            same += not found
            for path, kv, sv in found:
                differences.append((entry["name"], key[0], key[1], path, kv, sv))
            results.append({"scenario": entry["name"], "label": key[0], "version": key[1],
                            "kafka": k_obs, "samsa": s_obs})
        stats.append({"scenario": entry["name"], "doc": entry["doc"], "cases": len(set(k_map) | set(s_map)),
                      "identical": same, "kafka_s": round(k_s, 2), "samsa_s": round(s_s, 2)})
        print(f"{entry['name']}: {len(set(k_map) | set(s_map))} cases, {same} identical "
              f"({k_s:.1f} s Kafka, {s_s:.1f} s Samsa)", file=sys.stderr)

    triage = json.load(open(args.triage)) if os.path.exists(args.triage) else {}
    grouped = diff.group(differences)
    for g in grouped:
        g["id"] = f"{g['scenario']}|{g['label']}|{g['path']}"
        ids = [f"{sc}|{lb}|{g['path']}" for sc, lb in g["seen"]]
        match = next((v for pat, v in triage.items() if any(fnmatch.fnmatchcase(i, pat) for i in ids)), None)
        g["status"] = match["status"] if match else "open"
        g["note"] = match.get("note", "") if match else ""

    try:
        commit = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "?"
    ap_samsa = os.environ.get("SAMSA_BINARY", "")
    built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(ap_samsa))) if ap_samsa and \
        os.path.exists(ap_samsa) else "?"
    meta = {"kafka_version": args.kafka_version, "samsa_commit": f"{commit}, binary built {built}",
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "only": args.only}
    with open(args.out, "w") as f:
        f.write(report.markdown(meta, stats, grouped, errors, schemas))
    if args.results:
        with open(args.results, "w") as f:
            json.dump({"meta": meta, "stats": stats, "results": results}, f, indent=1, ensure_ascii=False)
    n_open = sum(g["status"] == "open" for g in grouped)
    print(f"differential: {len(grouped)} differences ({n_open} open), {len(errors)} harness errors; "
          f"written to {os.path.relpath(args.out)}", file=sys.stderr)
    if errors:
        return 2
    return 1 if args.strict and n_open else 0


if __name__ == "__main__":
    sys.exit(main())
