#!/usr/bin/python3
"""Samsa against Apache Kafka on this machine: the same workloads, alternating brokers, several
rounds; medians and Samsa/Kafka ratios into tools/bench/RESULTS.md. Started by vs_kafka.sh, which
fetches Kafka and compiles the C helpers first.

Every workload runs with a bound. A broker that cannot do a workload gets "n/a: <reason>" for
that cell (taken from the tool's own error), and workloads that need a topic it could not create
are not attempted. Raw numbers of every round go to build/bench/vs_kafka.json.
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KAFKA_TOOLS = os.path.join(REPO, "tools", "kafka")
PYTHON = "/usr/bin/python3"
KIB = 1024


def sh(cmd, timeout, env=None):
    """-> (ok, stdout, stderr). Never raises on failure or timeout."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        return p.returncode == 0, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return False, out, f"timed out after {timeout} s"


def reason(stdout, stderr):
    """The most telling line of a failed tool run, for an n/a cell."""
    lines = [l.strip() for l in (stderr + "\n" + stdout).splitlines() if l.strip()]
    for pat in (r"Exception: .*", r"ERROR .*", r"error.*", r"timed out.*"):
        for line in lines:
            m = re.search(pat, line, re.IGNORECASE)
            if m:
                return re.sub(r"\s+\(org\.apache.*$", "", m.group(0))[:140]
    return (lines[-1] if lines else "failed")[:140]


def cpu_s(pid):
    """User + system CPU seconds the process has used so far (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def children_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def with_cpu(b, run):
    """run() -> its result dict, plus the CPU seconds the broker and the client (a child process
    of this script) used meanwhile: where the time of a workload goes."""
    broker0, client0 = cpu_s(b.pid), children_cpu_s()
    res = run()
    broker1, client1 = cpu_s(b.pid), children_cpu_s()
    if isinstance(res, dict) and broker0 is not None and broker1 is not None:
        res = dict(res, broker_cpu_s=round(broker1 - broker0, 3), client_cpu_s=round(client1 - client0, 3))
    return res


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class RssSampler:
    """Peak RSS of a pid while a workload runs (sampled every 100 ms)."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid) or 0)
            self._stop.wait(0.1)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


# ---------------------------------------------------------------- brokers

class Kafka:
    name = "kafka"

    def __init__(self, work):
        self.node = os.path.join(work, "kafka")
        self.pid, self.bootstrap = None, None

    def fresh(self):
        """A newly formatted node (format time is not part of startup)."""
        ok, out, err = sh([os.path.join(KAFKA_TOOLS, "format.sh"), "--dir", self.node, "--force"], 120)
        if not ok:
            raise RuntimeError("kafka format failed: " + reason(out, err))

    def start(self):
        ok, out, err = sh([os.path.join(KAFKA_TOOLS, "start.sh"), "--dir", self.node, "--deadline-s", "180"], 200)
        if not ok:
            raise RuntimeError("kafka start failed: " + reason(out, err))
        info = json.loads(out.strip().splitlines()[-1])
        self.pid, self.bootstrap = info["pid"], info["bootstrap"]
        return info

    def stop(self, kill=False):
        sh([os.path.join(KAFKA_TOOLS, "stop.sh"), "--dir", self.node] + (["--kill"] if kill else []), 60)
        self.pid = None


class Samsa:
    name = "samsa"

    def __init__(self, work, binary):
        self.dir = os.path.join(work, "samsa")
        self.binary = binary
        self.proc, self.pid, self.port = None, None, None

    def fresh(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.port = free_port()
        with open(os.path.join(self.dir, "server.properties"), "w") as f:
            # Internal topics with one replica, as Kafka is configured here (a single node
            # cannot host the default three: group coordination would never start).
            f.write(f"listeners=PLAINTEXT://127.0.0.1:{self.port}\nlog.dirs={self.dir}/data\n"
                    "offsets.topic.replication.factor=1\ntransaction.state.log.replication.factor=1\n"
                    "transaction.state.log.min.isr=1\n")
        self.bootstrap = f"127.0.0.1:{self.port}"

    def start(self):
        log = open(os.path.join(self.dir, "samsa.log"), "a")
        t0 = time.time()
        self.proc = subprocess.Popen([self.binary, os.path.join(self.dir, "server.properties")],
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid
        ok, out, err = sh([PYTHON, os.path.join(KAFKA_TOOLS, "kafka_probe.py"), "--bootstrap", self.bootstrap,
                           "--pid", str(self.pid), "--t0", repr(t0), "--deadline-s", "60"], 90)
        if not ok:
            self.stop(kill=True)
            raise RuntimeError("samsa start failed: " + reason(out, err))
        info = json.loads(out.strip())
        info.update(pid=self.pid, bootstrap=self.bootstrap)
        return info

    def stop(self, kill=False):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc, self.pid = None, None


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------- workloads

def kafka_tool(*args, timeout):
    return sh([os.path.join(KAFKA_TOOLS, "run-class.sh"), *args], timeout)


PERF_RE = re.compile(r"^(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
                     r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th\.$")


def producer_perf(b, topic, records, acks, throughput=-1):
    ok, out, err = kafka_tool("producer-perf-test", "--topic", topic, "--num-records", str(records),
                              "--record-size", str(KIB), "--throughput", str(throughput),
                              "--producer-props", f"bootstrap.servers={b.bootstrap}", f"acks={acks}",
                              timeout=300)
    for line in out.splitlines():
        m = PERF_RE.match(line.strip())
        if m and ok:
            return {"mb_per_s": float(m.group(3)), "p50_ms": int(m.group(6)), "p99_ms": int(m.group(8)),
                    "p999_ms": int(m.group(9))}
    return "n/a: " + reason(out, err)


def consumer_perf(b, topic, records):
    ok, out, err = kafka_tool("consumer-perf-test", "--bootstrap-server", b.bootstrap, "--topic", topic,
                              "--messages", str(records), "--timeout", "30000", "--hide-header", timeout=180)
    for line in out.splitlines():
        parts = line.split(", ")
        # It reads whole batches, so it may report a few more records than asked for.
        if ok and len(parts) == 10 and parts[4].strip().isdigit() and int(parts[4]) >= records:
            return {"fetch_mb_per_s": float(parts[8]), "mb_per_s_incl_rebalance": float(parts[3])}
    return "n/a: " + reason(out, err)


def rdkafka(b, args, mode, topic, records, acks, rate=0, timeout=300):
    ok, out, err = sh([os.path.join(args.bin, "vs_kafka_rdkafka_load"), mode, b.bootstrap, topic, str(records),
                       str(KIB), acks] + ([str(rate)] if rate else []), timeout)
    try:
        res = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "n/a: " + reason(out, err)
    return res if ok and "error" not in res else "n/a: " + res.get("error", "failed")[:140]


def create_topic(b, topic, configs=()):
    extra = []
    for c in configs:
        extra += ["--config", c]
    ok, out, err = kafka_tool("topics", "--bootstrap-server", b.bootstrap, "--create", "--topic", topic,
                              "--partitions", "1", "--replication-factor", "1", *extra, timeout=60)
    return None if ok else reason(out, err)


def run_round(b, args, rnd):
    r = {}
    b.fresh()
    info = b.start()
    r["startup_first_response_s"] = info["first_response_s"]
    r["startup_ready_s"] = info["ready_s"]
    time.sleep(args.idle_s)   # a measurement window, not synchronisation: RSS after idling
    r["rss_idle_mb"] = rss_mb(b.pid)
    peak = RssSampler(b.pid)
    with peak:
        # Same commands to both brokers. "sync": flush.messages=1 (Kafka fsyncs every append, the
        # durability Samsa gives acks=all); "nosync": Kafka's default (page cache only).
        topics = {"sync": f"bench-sync-{rnd}", "nosync": f"bench-nosync-{rnd}",
                  "e2e_sync": f"bench-e2e-sync-{rnd}", "e2e_nosync": f"bench-e2e-nosync-{rnd}"}
        failed = None
        for t, name in topics.items():
            failed = failed or create_topic(b, name, ["flush.messages=1"] if t.endswith("sync") and
                                            not t.endswith("nosync") else [])
        if failed:
            na = f"n/a: topic creation failed: {failed}"
            for k in ("perf_acks1_sync", "perf_acksall_sync", "perf_acks1_nosync", "perf_acksall_nosync",
                      "rdk_acks1_sync", "rdk_acksall_sync", "rdk_acks1_nosync", "rdk_acksall_nosync",
                      "e2e_sync", "e2e_nosync", "consume", "rdk_consume"):
                r[k] = na
        else:
            for dur in ("nosync", "sync"):
                n = args.records if dur == "nosync" else args.sync_records
                for acks, key in (("1", "acks1"), ("all", "acksall")):
                    r[f"perf_{key}_{dur}"] = producer_perf(b, topics[dur], n, acks)
                    r[f"rdk_{key}_{dur}"] = rdkafka(b, args, "produce", topics[dur], args.rdk_records, acks)
            for dur in ("sync", "nosync"):
                r[f"e2e_{dur}"] = rdkafka(b, args, "e2e", topics[f"e2e_{dur}"], args.e2e_rate * args.e2e_s, "all",
                                          args.e2e_rate)
            r["consume"] = with_cpu(b, lambda: consumer_perf(b, topics["nosync"], args.rdk_records))
            r["rdk_consume"] = with_cpu(b, lambda: rdkafka(b, args, "consume", topics["nosync"], args.rdk_records,
                                                           "1"))
    r["rss_load_peak_mb"] = peak.peak if not isinstance(r.get("perf_acks1_nosync"), str) else \
        "n/a: no load ran"
    # Crash with 1 GiB of data, then restart.
    fill = f"bench-restart-{rnd}"
    failed = create_topic(b, fill)
    res = rdkafka(b, args, "produce", fill, args.restart_gib * 1024 * 1024, "1", timeout=900) if not failed \
        else f"n/a: topic creation failed: {failed}"
    if isinstance(res, str):
        r["restart_after_kill_ready_s"] = r["restart_after_term_ready_s"] = res
        b.stop()
    else:
        b.stop()                      # clean shutdown, then restart
        r["restart_after_term_ready_s"] = b.start()["ready_s"]
        b.stop(kill=True)             # crash, then restart
        r["restart_after_kill_ready_s"] = b.start()["ready_s"]
        b.stop()
    return r


# ---------------------------------------------------------------- report

ROWS = [  # (key, field, label, unit, higher is better)
    ("startup_first_response_s", None, "startup: exec to first served request", "s", False),
    ("startup_ready_s", None, "startup: exec to Metadata listing the broker", "s", False),
    ("rss_idle_mb", None, "RSS idle (after {idle}s)", "MiB", False),
    ("rss_load_peak_mb", None, "RSS peak under the load below", "MiB", False),
    ("perf_acks1_{d}", "mb_per_s", "produce, kafka-producer-perf-test, acks=1", "MB/s", True),
    ("perf_acksall_{d}", "mb_per_s", "produce, kafka-producer-perf-test, acks=all", "MB/s", True),
    ("rdk_acks1_{d}", "mb_per_s", "produce, librdkafka, acks=1", "MB/s", True),
    ("rdk_acksall_{d}", "mb_per_s", "produce, librdkafka, acks=all", "MB/s", True),
    ("e2e_{d}", "e2e_p50_ms", "end-to-end latency p50, librdkafka, {rate}/s x 1 KiB, acks=all", "ms", False),
    ("e2e_{d}", "e2e_p99_ms", "end-to-end latency p99", "ms", False),
    ("e2e_{d}", "e2e_p999_ms", "end-to-end latency p99.9", "ms", False),
    ("consume", "fetch_mb_per_s", "consume, kafka-consumer-perf-test (fetch MB/s)", "MB/s", True),
    ("consume", "broker_cpu_s", "  broker CPU during it", "s", False),
    ("consume", "client_cpu_s", "  client (JVM) CPU during it", "s", False),
    ("rdk_consume", "mb_per_s", "consume, librdkafka simple consumer", "MB/s", True),
    ("rdk_consume", "broker_cpu_s", "  broker CPU during it", "s", False),
    ("rdk_consume", "client_cpu_s", "  client CPU during it", "s", False),
    ("restart_after_term_ready_s", None, "restart after SIGTERM with {gib} GiB more: exec to ready", "s", False),
    ("restart_after_kill_ready_s", None, "restart after SIGKILL with {gib} GiB more: exec to ready", "s", False),
]


def cell_values(rounds, key, field):
    vals, nas = [], []
    for r in rounds:
        if "error" in r:
            nas.append("n/a: " + r["error"][:140])
            continue
        v = r.get(key)
        if isinstance(v, str):
            nas.append(v)
        elif isinstance(v, dict):
            vals.append(v[field])
        elif v is not None:
            vals.append(v)
    return vals, nas


def fmt(vals, nas):
    if not vals:
        return (nas[0] if nas else "n/a: not run").replace("|", "\\|")
    def num(x):
        return f"{x:.3g}" if x < 100 else f"{x:.0f}"
    text = num(statistics.median(vals))
    if len(vals) > 1:
        text += f" ({num(min(vals))}–{num(max(vals))})"
    return text + (f"; {len(nas)} of {len(vals) + len(nas)} rounds failed: {nas[0]}" if nas else "")


def ratio(a, b):
    if not a[0] or not b[0]:
        return "–"
    return f"{statistics.median(a[0]) / statistics.median(b[0]):.2f}"


def markdown(meta, results, args):
    s, k = results["samsa"], results["kafka"]
    out = ["# Samsa vs Apache Kafka on one machine", "",
           "Written by `tools/bench/vs_kafka.sh` (do not edit by hand; rerun it). Medians over "
           f"{args.rounds} rounds, with the range (min–max) in parentheses; in each round each broker is started fresh and runs every workload, "
           "the brokers alternating which goes first. Raw numbers: `build/bench/vs_kafka.json`.", "",
           "## Machine and versions", ""]
    out += [f"- {line}" for line in meta["machine"]]
    load = "; ".join(meta.get("load", [])) or "not recorded"
    out += ["- **The machine was shared while measuring**: other sessions were compiling on the same 2 cores "
            f"(load average 1/5/15 min: {load}), so absolute numbers are noisy and low, and fsync-bound rows "
            "swing widely between rounds; ratios from the same run are the meaningful part.", "",
            "## Configuration", "",
            "- Samsa: `listeners`, `log.dirs` and replication factor 1 for internal topics (as Kafka). Durability: Samsa fsyncs acks=all writes before "
            "acknowledging.",
            "- Kafka: single KRaft node (broker+controller) from `tools/kafka/` with Kafka's defaults except "
            "loopback listeners and replication factor 1 for internal topics (see tools/kafka/README.md); "
            f"heap {meta['kafka_heap']}. Two topic variants, created with the same commands on both brokers: "
            "**sync** = `flush.messages=1` (Kafka fsyncs every append before answering: the same durability "
            "as Samsa's acks=all) and **default** (Kafka's default, no fsync: page cache only). With one "
            "replica, acks=all waits for nothing more than acks=1 on Kafka.",
            f"- Load: 1 KiB records, one partition, client defaults of Kafka's {meta['kafka_version']} tools "
            f"(linger.ms=5, batch.size=16384) and librdkafka {meta['librdkafka']} (linger.ms=5, batches up to "
            f"1 MB; linger.ms=0 for the latency rows). kafka-producer-perf-test: {args.records} records per run on default topics, "
            f"{args.sync_records} on sync topics; librdkafka: {args.rdk_records} per run; consume: "
            f"{args.rdk_records} records of a default topic; MB = 2^20 bytes.",
            "", "## Results", "",
            "| metric | Samsa | Kafka (same durability) | Samsa/Kafka | Kafka default (no fsync) | Samsa/Kafka default |",
            "|---|---|---|---|---|---|"]
    for key, field, label, unit, _ in ROWS:
        label = label.format(idle=args.idle_s, rate=args.e2e_rate, gib=args.restart_gib)
        if "{d}" in key:
            ss = cell_values(s, key.format(d="sync"), field)
            ks = cell_values(k, key.format(d="sync"), field)
            kd = cell_values(k, key.format(d="nosync"), field)
            sd = cell_values(s, key.format(d="nosync"), field)
            out.append(f"| {label} ({unit}) | {fmt(*ss)} | {fmt(*ks)} | {ratio(ss, ks)} | {fmt(*kd)} | "
                       f"{ratio(sd, kd)} |")
        else:
            sv, kv = cell_values(s, key, field), cell_values(k, key, field)
            out.append(f"| {label} ({unit}) | {fmt(*sv)} | – | – | {fmt(*kv)} | {ratio(sv, kv)} |")
    out += ["", "Rows without a durability dimension (startup, RSS, consume, restart) are in the "
            "\"Kafka default\" column. Physical limits, measured in the same run:", "",
            "| limit | median |", "|---|---|"]
    for key, label in (("loopback_tcp_mb_per_s", "loopback TCP, one connection, 1 MiB writes (MB/s)"),
                       ("fsync_p50_ms", "write 4 KiB + fdatasync on the data disk, p50 (ms)"),
                       ("fsync_p99_ms", "write 4 KiB + fdatasync on the data disk, p99 (ms)")):
        vals = [r[key] for r in results["limits"] if key in r]
        out.append(f"| {label} | {fmt(vals, []) if vals else 'n/a'} |")
    out += ["", "## Notes", "",
            "- n/a cells carry the tool's own error.",
            "- Startup is measured from launching the process (the JVM for Kafka) to the first answered "
            "ApiVersions request, and to a Metadata response that lists the broker (a KRaft broker answers "
            "before it is unfenced). Kafka's `kafka-storage format` runs before and is not counted; Samsa "
            "formats its empty data dir itself, inside the measured time.",
            "- kafka-producer-perf-test latencies are send-to-ack at saturation (not reported); the latency "
            "rows use the librdkafka helper at a fixed rate, send to consume (a group-less consumer reading "
            "the partition), leaving out the first 10% of records (connection and first-fetch warm-up). "
            "The producer sends each record at once (linger.ms=0), so the rows show the brokers' latency "
            "rather than the client's linger (earlier runs used librdkafka's default linger.ms=5: p50 ≈ 5.4 ms "
            "on both brokers). "
            "The rate is low because Kafka with flush.messages=1 saturated below 1000 records/s of 1 KiB "
            "on this machine (it fsyncs the segment and its indexes per append; latency then grew to ~1 s). "
            "When the disk is contended (see the fsync rows) even this rate saturates the sync topic and its "
            "latency climbs to hundreds of ms: read those rows against the fsync limit of the same run.",
            "- The Java producer's 16 KiB default batch.size, not the broker, bounds kafka-producer-perf-test "
            "here; librdkafka batches up to 1 MB and is the load that shows the broker.",
            "- Restart rows: after the round's load and another {gib} GiB written with librdkafka (acks=1). "
            "After SIGKILL, Kafka's restarted broker is refused with DUPLICATE_BROKER_REGISTRATION every 2 s "
            "until the old incarnation's session expires (broker.session.timeout.ms, 9 s), so that row is "
            "mostly KRaft's wait, not log recovery (server log: `Unable to register broker 1`).".format(gib=args.restart_gib),
            "- Kafka's RSS under load approaches its heap (-Xms1G -Xmx1G: pages are touched as used); the "
            "page cache is not counted for either broker.",
            "- consume uses kafka-consumer-perf-test's fetch MB/s, which leaves out the group join (Kafka's "
            "group.initial.rebalance.delay.ms is at its 3 s default). The CPU rows under each consume row are "
            "the CPU seconds the broker process and the client process used during that workload (from "
            "/proc and getrusage): on 2 cores the client and the broker share the CPU, so a broker that "
            "needs less CPU per byte leaves more to a CPU-bound client. The librdkafka row reads the same "
            "records with a group-less consumer (no group join).",
            "- Targets for Samsa/Kafka (issue 6): throughput ≥ 1.5×, p99 latency ≤ 0.5×, RSS ≤ 0.2×, "
            "startup ≤ 0.1×.", ""]
    return "\n".join(out)


def machine():
    lines = []
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        mem = f"{int(open('/proc/meminfo').readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError):
        pass
    lines.append(f"CPU: {cpu}, {os.cpu_count()} logical cores; memory {mem}; kernel {platform.release()}")
    ok, out, _ = sh(["df", "-T", "-h", REPO], 10)
    if ok and len(out.splitlines()) > 1:
        f = out.splitlines()[1].split()
        lines.append(f"data disk: {f[0]} ({f[1]}), {f[2]} total, {f[4]} free (both brokers' data under build/bench/)")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samsa", required=True)
    ap.add_argument("--bin", required=True, help="folder with the compiled C helpers")
    ap.add_argument("--work", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--records", type=int, default=200000)
    ap.add_argument("--sync-records", type=int, default=50000)
    ap.add_argument("--rdk-records", type=int, default=1000000)
    ap.add_argument("--e2e-rate", type=int, default=200)
    ap.add_argument("--e2e-s", type=int, default=10)
    ap.add_argument("--idle-s", type=int, default=5)
    ap.add_argument("--restart-gib", type=int, default=1)
    ap.add_argument("--out", default=os.path.join(REPO, "tools", "bench", "RESULTS.md"))
    ap.add_argument("--meta", help="JSON with kafka_version, kafka_heap, librdkafka, java")
    ap.add_argument("--render", metavar="JSON", help="only rewrite --out from a saved build/bench/vs_kafka.json")
    args = ap.parse_args()
    if args.render:
        saved = json.load(open(args.render))
        with open(args.out, "w") as f:
            f.write(markdown(saved["meta"], saved["results"], args))
        print(f"vs_kafka: rewrote {os.path.relpath(args.out)} from {args.render}", file=sys.stderr)
        return
    if not args.meta:
        ap.error("--meta is required")
    # SIGTERM (e.g. the caller's trap) unwinds through the finally below, which stops both brokers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    meta = json.loads(args.meta)
    meta["machine"] = machine() + [
        f"Kafka {meta['kafka_version']} on {meta['java']}; librdkafka {meta['librdkafka']}; "
        f"Samsa release build, tree at commit {meta['samsa_commit']}",
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"]
    meta["load"] = ["start " + " ".join(open("/proc/loadavg").read().split()[:3])]
    brokers = {"samsa": Samsa(args.work, args.samsa), "kafka": Kafka(args.work)}
    results = {"samsa": [], "kafka": [], "limits": []}
    try:
        for rnd in range(args.rounds):
            order = ["samsa", "kafka"] if rnd % 2 == 0 else ["kafka", "samsa"]
            for name in order:
                t = time.monotonic()
                try:
                    r = run_round(brokers[name], args, rnd)
                except RuntimeError as e:
                    r = {"error": str(e)}
                    brokers[name].stop(kill=True)
                results[name].append(r)
                print(f"round {rnd + 1}/{args.rounds} {name}: {time.monotonic() - t:.0f} s "
                      f"{json.dumps(r)[:300]}", file=sys.stderr)
            lim = {}
            for cmd in (["tcp", "2"], ["fsync", args.work, "200"]):
                ok, out, _ = sh([os.path.join(args.bin, "vs_kafka_limits"), *cmd], 60)
                if ok:
                    lim.update(json.loads(out))
            results["limits"].append(lim)
            print(f"round {rnd + 1}/{args.rounds} limits: {lim}", file=sys.stderr)
    finally:
        for b in brokers.values():
            b.stop(kill=True)
    meta["load"].append("end " + " ".join(open("/proc/loadavg").read().split()[:3]))
    os.makedirs(os.path.join(REPO, "build", "bench"), exist_ok=True)
    with open(os.path.join(REPO, "build", "bench", "vs_kafka.json"), "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    with open(args.out, "w") as f:
        f.write(markdown(meta, results, args))
    print(f"vs_kafka: wrote {os.path.relpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
