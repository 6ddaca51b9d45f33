#!/usr/bin/env bash
# Offset commits per second against the number of flush threads per log directory
# (samsa.log.flush.threads.per.data.dir): the same Samsa binary started with each
# setting in turn, rounds interleaved, 16 concurrent committers (16 groups, so
# 16 __consumer_offsets partitions fsync'd) driven by group_bench's raw-wire
# committer. Prints each round and the median per setting as a ratio to 1 thread.
#
#   tools/bench/flush_threads_bench.sh [--rounds N] [--threads "1 8"] [--committers N] [--seconds S]
#
# Needs a configured release build (cmake --preset release). Data under
# build/bench/flush_threads/; loopback only; every broker is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${BUILD_DIR:-$repo/build/release}"
rounds=3 threads="1 8" committers=16 seconds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --committers) committers="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
nice -n 10 cmake --build "$build" --target samsa group_bench >/dev/null
work="$repo/build/bench/flush_threads"
rm -rf "$work"; mkdir -p "$work"
pid=""
cleanup() { [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; }
trap cleanup EXIT INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

declare -A results
for round in $(seq "$rounds"); do
  for t in $threads; do
    dir="$work/t$t"; rm -rf "$dir"; mkdir -p "$dir"
    port="$(free_port)"
    cat > "$dir/server.properties" <<EOF
listeners=PLAINTEXT://127.0.0.1:$port
log.dirs=$dir/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
group.initial.rebalance.delay.ms=500
EOF
    "$build/broker/samsa" "$dir/server.properties" --override "samsa.log.flush.threads.per.data.dir=$t" >"$dir/broker.log" 2>&1 &
    pid=$!
    for _ in $(seq 200); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
    line="$("$build/tools/bench/group_bench" commits "127.0.0.1:$port" "$committers" "$seconds" | grep '^{' | tail -1)"
    echo "round $round, $t flush thread(s): $line"
    rate="$(echo "$line" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["commits_per_s"])')"
    results[$t]="${results[$t]:-} $rate"
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  done
done

median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=""
for t in $threads; do
  m="$(median "${results[$t]}")"
  [ -n "$base" ] || base="$m"
  printf '%2s flush thread(s): median %8.1f commits/s  %5.2f x %s thread(s)\n' "$t" "$m" \
    "$(echo "$m $base" | awk '{print $1/$2}')" "${threads%% *}"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
