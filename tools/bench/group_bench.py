#!/usr/bin/python3
"""The group coordinator, Samsa beside Apache Kafka: time from a LeaveGroup to the group being
stable again (10 and 100 members), and offset commits per second (one and several committers).
Both brokers run at once with the same group settings; every workload alternates between them,
round after round; medians and Samsa/Kafka ratios go to tools/bench/GROUPS.md, raw numbers to
build/bench/group_bench.json. Started by group_bench.sh, which builds the wire driver
(group_bench, C++: the clients are raw requests, so no client library is the bottleneck).
"""
import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from vs_kafka import Kafka, Samsa, sh, reason, machine, KAFKA_TOOLS, REPO  # noqa: E402

# Set identically on both brokers. Kafka's default is 3000 ms; it only delays the first join of
# an empty group (the untimed setup of each rebalance repetition), never the measured rebalance.
GROUP_SETTINGS = {"group.initial.rebalance.delay.ms": "500"}


# A second Kafka that fsyncs every append (as Samsa does before answering a commit), so the
# commit numbers can also be compared like for like on durability.
KAFKA_FSYNC_SETTINGS = {"log.flush.interval.messages": "1"}


class KafkaNode(Kafka):
    def __init__(self, work, name="kafka", extra=None):
        super().__init__(work)
        self.name = name
        self.node = os.path.join(work, name)
        self.extra = extra or {}

    def fresh(self):
        cmd = [os.path.join(KAFKA_TOOLS, "format.sh"), "--dir", self.node, "--force"]
        for k, v in {**GROUP_SETTINGS, **self.extra}.items():
            cmd += ["--set", f"{k}={v}"]
        ok, out, err = sh(cmd, 120)
        if not ok:
            raise RuntimeError("kafka format failed: " + reason(out, err))


class SamsaNode(Samsa):
    def fresh(self):
        super().fresh()
        with open(os.path.join(self.dir, "server.properties"), "a") as f:
            for k, v in GROUP_SETTINGS.items():
                f.write(f"{k}={v}\n")


def driver(args, *argv, timeout=600):
    ok, out, err = sh([args.driver, *map(str, argv)], timeout)
    lines = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    if not ok or not lines:
        raise RuntimeError(f"group_bench {' '.join(map(str, argv))}: " + reason(out, err))
    return lines


WORKLOADS = [
    # (key, what, unit, better)
    ("leave_10", "LeaveGroup → stable, 10 members", "ms", "lower"),
    ("leave_100", "LeaveGroup → stable, 100 members", "ms", "lower"),
    ("commits_1", "offset commits/s, 1 committer", "commits/s", "higher"),
    ("commits_16", "offset commits/s, 16 concurrent committers (16 groups)", "commits/s", "higher"),
    ("commit_p50_1", "commit latency p50, 1 committer", "ms", "lower"),
    ("commit_p99_16", "commit latency p99, 16 committers", "ms", "lower"),
]


def run_round(b, args):
    r = {}
    for n in (10, 100):
        reps = driver(args, "rebalance", b.bootstrap, n, args.reps)
        r[f"leave_{n}"] = statistics.median(x["leave_to_stable_ms"] for x in reps)
        r[f"leave_{n}_all"] = [x["leave_to_stable_ms"] for x in reps]
    for k in (1, 16):
        c = driver(args, "commits", b.bootstrap, k, args.commit_s)[0]
        r[f"commits_{k}"] = c["commits_per_s"]
        r[f"commit_p50_{k}"] = c["p50_ms"]
        r[f"commit_p99_{k}"] = c["p99_ms"]
        r[f"commit_errors_{k}"] = c["errors"]
    return r


def fmt(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def median_of(results, side, key):
    vals = [r[key] for r in results.get(side, []) if key in r]
    return statistics.median(vals) if vals else None


def markdown(meta, results, args):
    out = ["# Group coordinator: Samsa beside Apache Kafka", "",
           "Written by `tools/bench/group_bench.sh` (do not edit by hand; rerun it). "
           f"Medians of {args.rounds} rounds; each rebalance cell of a round is itself the median of "
           f"{args.reps} repetitions; commits run {args.commit_s:g} s per round after a warm-up. "
           "The three brokers run side by side; the workloads alternate between them. **Kafka** is Kafka "
           "with its defaults (no fsync); **Kafka fsync** is the same Kafka with "
           "`log.flush.interval.messages=1` (an fsync per append, like Samsa's commits).", "",
           "| workload | Samsa | Kafka | Samsa/Kafka | Kafka fsync | Samsa/Kafka fsync | better |",
           "|---|---|---|---|---|---|---|"]
    for key, what, unit, better in WORKLOADS:
        s, k, kf = (median_of(results, side, key) for side in ("samsa", "kafka", "kafka_fsync"))
        cell = lambda x: "n/a" if x is None else fmt(x)
        ratio = lambda a, b: "" if a is None or not b else f"{a / b:.2f}"
        out.append(f"| {what} ({unit}) | {cell(s)} | {cell(k)} | {ratio(s, k)} | {cell(kf)} | {ratio(s, kf)} | {better} |")
    out += ["", "Rounds (Samsa; Kafka; Kafka fsync):", ""]
    for key, what, unit, _ in WORKLOADS:
        cols = ["; ".join([", ".join(fmt(r[key]) for r in results.get(side, []) if key in r)])
                for side in ("samsa", "kafka", "kafka_fsync")]
        out.append(f"- {what}: " + "; ".join(cols))
    errors = [r.get("error") for side in results for r in results[side] if r.get("error")]
    if errors:
        out += ["", "Errors: " + "; ".join(errors)]
    out += ["", "## What is measured", "",
            "- **LeaveGroup → stable**: N members (one connection each, raw JoinGroup v7 / SyncGroup v5 / "
            "Heartbeat v4 / LeaveGroup v4 from `group_bench`) form a fresh group. A follower sends LeaveGroup; "
            "as soon as it is answered every other member sends a Heartbeat, gets REBALANCE_IN_PROGRESS, "
            "rejoins with its member id, and the leader syncs an assignment. Time: LeaveGroup sent → the last "
            "SyncGroup answer of the next generation. A real client would learn of the rebalance from its next "
            "heartbeat (heartbeat.interval.ms, 3 s by default); that wait is the client's choice and is left out. "
            "Sessions 30 s, rebalance timeout 60 s.",
            "- **Offset commits/s**: K connections, each committing one partition's offset for its own group "
            "(standalone commits: generation -1, no member) with OffsetCommit v8, one request in flight per "
            "connection; commits counted over the measured window; latency per request.",
            "- **Durability as each broker does it by default**: Samsa answers a commit after its "
            "`__consumer_offsets` record is fsynced; Kafka answers after the record is appended with acks=all "
            "to its single-replica `__consumer_offsets` partition, without fsync (Kafka's default "
            "`log.flush.interval.messages` is Long.MAX), so against **Kafka** the commit numbers are not like "
            "for like on durability; **Kafka fsync** (`log.flush.interval.messages=1`, which covers "
            "`__consumer_offsets` too) is the like-for-like baseline for commits. Samsa's cost per commit is one "
            "`fdatasync` of the partition's log (seen with `strace -c` on a 1-committer run: 1,671 `fdatasync` "
            "calls, 144 µs each); Kafka's flush also syncs the segment's index files.",
            f"- Group settings on all three: {', '.join(f'`{k}={v}`' for k, v in GROUP_SETTINGS.items())} "
            "(Kafka's default is 3000; it delays only the untimed first join of each repetition). "
            "`offsets.topic.replication.factor=1` on all three; everything else default.",
            "", "## Machine", ""] + [f"- {m}" for m in meta["machine"]] + [f"- load average {l}" for l in meta["load"]]
    out += ["", f"Reproduce: `tools/bench/group_bench.sh --rounds {args.rounds} --reps {args.reps} "
            f"--commit-s {args.commit_s:g}` (builds `samsa` and `group_bench` in build/release first).", ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samsa", required=True)
    ap.add_argument("--driver", required=True, help="the group_bench binary")
    ap.add_argument("--work", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reps", type=int, default=3, help="rebalance repetitions per round")
    ap.add_argument("--commit-s", type=float, default=5)
    ap.add_argument("--meta")
    ap.add_argument("--out", default=os.path.join(REPO, "tools", "bench", "GROUPS.md"))
    ap.add_argument("--render", metavar="JSON", help="only rewrite --out from a saved build/bench/group_bench.json")
    args = ap.parse_args()
    if args.render:
        saved = json.load(open(args.render))
        with open(args.out, "w") as f:
            f.write(markdown(saved["meta"], saved["results"], args))
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.meta:
        ap.error("--meta is required")
    meta = json.loads(args.meta)
    meta["machine"] = machine() + [
        f"Kafka {meta['kafka_version']} on {meta['java']}; Samsa release build, tree at commit {meta['samsa_commit']}",
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]
    meta["load"] = ["start " + " ".join(open("/proc/loadavg").read().split()[:3])]
    brokers = {"samsa": SamsaNode(args.work, args.samsa), "kafka": KafkaNode(args.work),
               "kafka_fsync": KafkaNode(args.work, "kafka_fsync", KAFKA_FSYNC_SETTINGS)}
    results = {name: [] for name in brokers}
    try:
        for b in brokers.values():
            b.fresh()
            b.start()
        for rnd in range(args.rounds):
            names = list(brokers)
            order = names[rnd % len(names):] + names[:rnd % len(names)]
            for name in order:
                t = time.monotonic()
                try:
                    r = run_round(brokers[name], args)
                except RuntimeError as e:
                    r = {"error": f"{name}: {e}"}
                results[name].append(r)
                print(f"round {rnd + 1}/{args.rounds} {name}: {time.monotonic() - t:.0f} s {json.dumps(r)[:300]}",
                      file=sys.stderr)
    finally:
        for b in brokers.values():
            b.stop()
    meta["load"].append("end " + " ".join(open("/proc/loadavg").read().split()[:3]))
    os.makedirs(os.path.join(REPO, "build", "bench"), exist_ok=True)
    with open(os.path.join(REPO, "build", "bench", "group_bench.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    with open(args.out, "w") as f:
        f.write(markdown(meta, results, args))
    print(f"group_bench: wrote {os.path.relpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
