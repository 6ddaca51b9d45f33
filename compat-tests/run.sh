#!/usr/bin/env bash
# Runs real Kafka clients' test suites and scenarios against Samsa.
#
#   compat-tests/run.sh [--suite NAME]... [--ci|--full] [--samsa PATH] [--work DIR]
#                       [--broker samsa|kafka:VERSION|external:HOST:PORT] [--list]
#
#   --suite NAME   run only this suite (repeatable); see suites.tsv (--list)
#   --ci           the fast subset of every suite (per-suite data files say which)
#   --full         everything (default); with all suites against Samsa it
#                  regenerates compat-tests/RESULTS.md
#   --samsa PATH   the broker binary (default build/release/broker/samsa); the
#                  harness builds nothing of Samsa itself
#   --broker K     samsa (default); kafka:4.4.0 = Apache Kafka from the same
#                  Maven jars, to check the harness and scenarios against the
#                  reference; external:127.0.0.1:9092 = a broker already running
#   --work DIR     downloads, builds and run logs (default build/compat-work,
#                  or $COMPAT_WORK); cached between runs. The newest 10 runs
#                  are kept (COMPAT_KEEP_RUNS); broker data dirs are removed
#                  after each suite unless COMPAT_KEEP_DATA=1
#
# A suite script exits 0 when it ran (whatever its tests did); anything else
# is a harness error. Each suite gets a fresh broker (loopback, new data dir) and a time budget.
# Exit: 0 all ran tests passed; 1 some test failed (a suite stopped at its time
# budget counts its unfinished tests as failed); 2 the harness itself failed (a
# setup step, a suite script error, bad arguments).
set -euo pipefail
COMPAT_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$COMPAT_HOME/.." && pwd)"
mode=full; suites=(); samsa="$repo/build/release/broker/samsa"; broker=samsa
work="${COMPAT_WORK:-$repo/build/compat-work}"
while [ $# -gt 0 ]; do
  case "$1" in
    --suite) suites+=("$2"); shift 2 ;;
    --ci) mode=ci; shift ;;
    --full) mode=full; shift ;;
    --samsa) samsa="$2"; shift 2 ;;
    --broker) broker="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --list) grep -vE '^\s*(#|$)' "$COMPAT_HOME/suites.tsv" | cut -f1; exit 0 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
export COMPAT_HOME COMPAT_MODE="$mode" COMPAT_BROKER="$broker"
export COMPAT_WORK="$(cd "$work" && pwd)"
export SAMSA_BIN="$(cd "$(dirname "$samsa")" 2>/dev/null && pwd)/$(basename "$samsa")"
source "$COMPAT_HOME/lib/common.sh"

mapfile -t registry < <(lines_of "$COMPAT_HOME/suites.tsv")
if [ ${#suites[@]} -eq 0 ]; then
  for row in "${registry[@]}"; do suites+=("${row%%$'\t'*}"); done
  all_suites=1
else
  all_suites=0
  for s in "${suites[@]}"; do
    printf '%s\n' "${registry[@]}" | cut -f1 | grep -qxF "$s" || { echo "run.sh: no suite '$s' (--list)" >&2; exit 2; }
  done
fi
if [ "$broker" = samsa ] && [ ! -x "$SAMSA_BIN" ]; then
  echo "run.sh: no Samsa binary at $SAMSA_BIN; build it with" >&2
  echo "  cmake --preset release && cmake --build --preset release --target samsa" >&2
  exit 2
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
export COMPAT_RUN="$COMPAT_WORK/runs/$stamp-$mode"
mkdir -p "$COMPAT_RUN/results"
ln -sfn "$COMPAT_RUN" "$COMPAT_WORK/runs/latest-$mode"
: > "$COMPAT_RUN/pids"
# Pin the binary: a rebuild while the run goes on must not mix two Samsas in one report.
if [ "$broker" = samsa ]; then
  cp "$SAMSA_BIN" "$COMPAT_RUN/samsa"
  samsa_id="$(sha1sum "$SAMSA_BIN" | cut -c1-12), built $(date -u -r "$SAMSA_BIN" +%FT%TZ)"
  export SAMSA_BIN="$COMPAT_RUN/samsa"
fi
# bounded <seconds> <command...>: runs it under timeout(1), which gives it its own
# process group and kills that whole group at the deadline (or when we are killed).
current=""
bounded() {
  local limit="$1"; shift
  timeout -k 30 "$limit" "$@" &
  current=$!
  local rc=0; wait "$current" || rc=$?
  current=""
  return $rc
}
cleanup() {  # anything a suite left behind (each suite also cleans up itself)
  local pid
  rm -f "$COMPAT_RUN/samsa"
  if [ -n "$current" ]; then kill -TERM "$current" 2>/dev/null || true; wait "$current" 2>/dev/null || true; fi
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done < "$COMPAT_RUN/pids"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

harness_errors=0
t_all=$SECONDS
for s in "${suites[@]}"; do
  row="$(printf '%s\n' "${registry[@]}" | awk -F'\t' -v s="$s" '$1 == s')"
  IFS=$'\t' read -r name dir arg budget_full budget_ci <<<"$row"
  [ "$arg" != - ] || arg=""
  budget="$budget_full"; [ "$mode" = ci ] && budget="$budget_ci"
  export SUITE_NAME="$name" SUITE_DIR="$COMPAT_RUN/$name" SUITE_ARG="$arg"
  export RESULTS_FILE="$COMPAT_RUN/results/$name.tsv"
  mkdir -p "$SUITE_DIR"; : > "$RESULTS_FILE"
  meta="$COMPAT_RUN/results/$name.meta"
  : > "$meta"

  compat_log "setup"
  t0=$SECONDS; rc=0
  bounded 1800 "$COMPAT_HOME/$dir/setup.sh" "$COMPAT_WORK" ${arg:+"$arg"} > "$SUITE_DIR/setup.log" 2>&1 || rc=$?
  echo "setup_seconds=$((SECONDS - t0))" >> "$meta"
  if [ $rc -ne 0 ]; then
    line="$(grep -v '^\s*$' "$SUITE_DIR/setup.log" | tail -1)"
    [ $rc -ne 124 ] || line="setup exceeded 1800 s"
    result "(setup)" fail 0 "harness: setup failed (exit $rc): $line"
    echo "harness_error=setup failed (exit $rc): $line" >> "$meta"
    harness_errors=$((harness_errors + 1))
    compat_log "setup failed: $line"
    continue
  fi

  compat_log "running ($mode, budget ${budget} s, broker $broker)"
  t0=$SECONDS; rc=0
  bounded "$budget" "$COMPAT_HOME/$dir/run.sh" > "$SUITE_DIR/suite.log" 2>&1 || rc=$?
  echo "run_seconds=$((SECONDS - t0))" >> "$meta"
  [ -f "$SUITE_DIR/version" ] && echo "version=$(head -1 "$SUITE_DIR/version")" >> "$meta"
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    # Not a harness fault: a suite that hangs past its budget is the broker's
    # (or a test's) doing. Its unfinished tests fail; the budget is noted.
    fail_unreported "not finished: the suite used up its ${budget} s budget and was stopped"
    echo "budget_exceeded=${budget}" >> "$meta"
  elif [ $rc -ne 0 ]; then
    line="$(grep -v '^\s*$' "$SUITE_DIR/suite.log" | tail -1)"
    fail_unreported "not run: the suite script failed (exit $rc)"
    result "(suite)" fail 0 "harness: suite script exited $rc: $line"
    echo "harness_error=suite script exited $rc: $line" >> "$meta"
    harness_errors=$((harness_errors + 1))
  fi
  if [ ! -s "$RESULTS_FILE" ]; then
    result "(suite)" fail 0 "harness: the suite reported no tests (see $SUITE_DIR/suite.log)"
    echo "harness_error=the suite reported no tests" >> "$meta"
    harness_errors=$((harness_errors + 1))
  fi
  # Broker data can reach a GB (librdkafka's throughput tests); logs stay.
  if [ -z "${COMPAT_KEEP_DATA:-}" ]; then
    find "$SUITE_DIR" -mindepth 2 -maxdepth 2 -type d -name data -path "$SUITE_DIR/broker*/data" -exec rm -rf {} + || true
  fi
  compat_log "done in $((SECONDS - t0)) s: $(cut -f2 "$RESULTS_FILE" | sort | uniq -c | awk '{printf "%s %s  ", $1, $2}')"
done
echo "total_seconds=$((SECONDS - t_all))" > "$COMPAT_RUN/run.meta"
{
  echo "mode=$mode"; echo "broker=$broker"; echo "date=$stamp"
  echo "samsa_commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)"
  echo "samsa_binary=${samsa_id:-}"
} >> "$COMPAT_RUN/run.meta"

# Keep the newest runs only (COMPAT_KEEP_RUNS, default 10).
# (find, not ls: a work dir holding only --ci runs has no *-full match, and ls would fail the run)
find "$COMPAT_WORK/runs" -mindepth 1 -maxdepth 1 -type d \( -name '*-full' -o -name '*-ci' \) | sort | head -n -"${COMPAT_KEEP_RUNS:-10}" \
  | while read -r old; do [ "$old" = "$COMPAT_RUN" ] || rm -rf "$old"; done

report="$COMPAT_RUN/RESULTS.md"
python3 "$COMPAT_HOME/lib/report.py" "$COMPAT_RUN" "${suites[@]}" > "$report"
if [ "$mode" = full ] && [ "$broker" = samsa ] && [ "$all_suites" = 1 ]; then
  cp "$report" "$COMPAT_HOME/RESULTS.md"
  compat_log "wrote compat-tests/RESULTS.md"
fi
python3 "$COMPAT_HOME/lib/report.py" --summary "$COMPAT_RUN" "${suites[@]}"
echo "report: $report"
[ $harness_errors -eq 0 ] || exit 2
if cut -f2 "$COMPAT_RUN"/results/*.tsv | grep -qx fail; then exit 1; fi
exit 0
