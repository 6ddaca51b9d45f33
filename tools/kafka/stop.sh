#!/usr/bin/env bash
# Stops the Kafka started by start.sh in NODE: SIGTERM (controlled shutdown), then SIGKILL if it
# has not exited within the bound. Prints how it ended and how long it took.
#
#   tools/kafka/stop.sh --dir NODE [--timeout-s 30] [--kill]
#
# --kill sends SIGKILL at once (a crash, for restart-after-crash measurements).
set -euo pipefail
node=""; timeout_s=30; sig=TERM
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) node="$2"; shift 2 ;;
    --timeout-s) timeout_s="$2"; shift 2 ;;
    --kill) sig=KILL; shift ;;
    *) echo "stop: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$node" ] && [ -d "$node" ] || { echo "stop: --dir NODE required" >&2; exit 2; }
node="$(cd "$node" && pwd)"
pidfile="$node/kafka.pid"
[ -f "$pidfile" ] || { echo "stop: not running (no $pidfile)"; exit 0; }
pid="$(cat "$pidfile")"

# alive: the process exists and is not a zombie. ours: it is this node's Kafka (checked once, before
# signalling, against pid reuse; an exiting process's cmdline can read empty, so not while waiting).
alive() {
  local state
  state="$(sed -E 's/.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}
ours() { tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $node/server.properties"; }
# wait_gone <seconds>: polls until the process is gone; fails at the bound.
wait_gone() {
  local end=$(( $(date +%s%N) + $1 * 1000000000 ))
  while alive; do
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.05
  done
}

if ! alive || ! ours; then rm -f "$pidfile"; echo "stop: not running"; exit 0; fi
start_ns=$(date +%s%N)
kill -"$sig" "$pid" 2>/dev/null || true
how="SIG$sig"
if ! wait_gone "$timeout_s"; then
  kill -KILL "$pid" 2>/dev/null || true
  how="SIGKILL after SIGTERM timed out (${timeout_s} s)"
  wait_gone 10 || { echo "stop: pid $pid survived SIGKILL" >&2; exit 1; }
fi
rm -f "$pidfile"
echo "stop: $how, exited after $(( ($(date +%s%N) - start_ns) / 1000000 )) ms"
