#!/usr/bin/env bash
# Runs the protocol codec benchmark and prints each codec cost as a ratio to
# memcpy of the same bytes measured in the same run.
#   tools/bench/protocol_bench.sh [build-dir]   (default build/release)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
ninja -C "$build" protocol_bench >/dev/null
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$build/tools/bench/protocol_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_min_time=0.2 --benchmark_format=json >"$out"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
med = {b["run_name"]: b for b in d["benchmarks"] if b.get("aggregate_name") == "median"}
def t(name): return med[name]["real_time"]
ctx = d["context"]
print("machine: %d CPUs @ %s MHz" % (ctx["num_cpus"], ctx["mhz_per_cpu"]))
m = t("BM_MemcpyOfProduceRequest")
print("Produce request, 1 MiB of batches (median of 5):")
print("  memcpy                 %8.1f us  (baseline)" % (m / 1000))
for n in ("BM_ProduceRequestDecode", "BM_ProduceRequestDecodeAndEncode"):
    print("  %-22s %8.1f us  = %.2f x memcpy" % (n[3:].replace("ProduceRequest", ""), t(n) / 1000, t(n) / m))
e = med["BM_MetadataResponseEncode10000Partitions"]
mm = t("BM_MemcpyOfMetadataResponse")
print("Metadata response, 10,000 partitions (%d bytes):" % e["bytes"])
print("  encode                 %8.1f us  = %.1f ns/partition, %.2f x memcpy of the output" % (
    e["real_time"] / 1000, e["real_time"] / 10000, e["real_time"] / mm))
PY
