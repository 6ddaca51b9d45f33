#!/usr/bin/env bash
# franz-go's pkg/kgo integration tests against one broker: one process of the
# compiled test binary per top-level test (a hung test cannot take others down).
# Env the tests read: KGO_SEEDS, KGO_TEST_RF=1 (single node), KGO_TEST_RECORDS
# (records per ETL chain; 10000 full, 2000 ci, as Tansu runs it), KGO_LOG_LEVEL.
# Knobs: FRANZ_PAR (default 2), FRANZ_TEST_LIMIT (s per test), FRANZ_TESTS (names, comma separated).
set -euo pipefail
source "$COMPAT_HOME/lib/common.sh"
here="$COMPAT_HOME/franz-go"
bin="$("$here/setup.sh" "$COMPAT_WORK" | tail -1)"
dir="$(dirname "$bin")"
version="$(grep -vE '^\s*(#|$)' "$here/version" | head -1)"
par="${FRANZ_PAR:-2}"
if [ "$COMPAT_MODE" = ci ]; then limit="${FRANZ_TEST_LIMIT:-120}"; records=2000; else limit="${FRANZ_TEST_LIMIT:-600}"; records=10000; fi
only="${FRANZ_TESTS:-}"

plan="$SUITE_DIR/plan.tsv"
python3 "$here/classify.py" "$dir/src/pkg/kgo" "$dir/tests.txt" > "$SUITE_DIR/classified.tsv"
# plan: name action waits ci note (rows of tests.tsv win over the static guess)
awk -F'\t' 'NR == FNR { if ($0 !~ /^#/ && NF >= 2) { row[$1] = $0 }; next }
            ($1 in row) { print row[$1]; next }
            $2 == "broker" { print $1 "\trun\t?\t-\tnot in tests.tsv: classified as a broker test from the source" }' \
  <(lines_of "$here/tests.tsv") "$SUITE_DIR/classified.tsv" > "$plan"
n_client="$(awk -F'\t' '$2 == "client"' "$SUITE_DIR/classified.tsv" | wc -l)"
echo "franz-go $version pkg/kgo ($(wc -l < "$plan") tests that need a broker; $n_client client-only tests not run)" > "$SUITE_DIR/version"

selected=()
while IFS=$'\t' read -r name action waits ci note; do
  [ "$COMPAT_MODE" != ci ] || [ "$ci" = ci ] || continue
  [ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || continue
  if [ "$action" = exclude ]; then result "$name" excluded 0 "$note (waits for: $waits)"; continue; fi
  selected+=("$name")
done < "$plan"

trap 'broker_stop' EXIT
trap 'exit 143' TERM INT
plan_tests "${selected[@]}"
broker_start "$SUITE_DIR/broker" || { fail_unreported "broker not available: $(tail -1 "$BROKER_LOG")"; exit 0; }
mkdir -p "$SUITE_DIR/logs"

verdict() {  # verdict <name>: one result row from its log
  local name="$1" log="$SUITE_DIR/logs/$1.log" rc st secs detail waits
  rc="$(cat "$log.rc" 2>/dev/null || echo 255)"
  secs="$(sed -nE "s/^--- (PASS|FAIL|SKIP): $name \(([0-9.]+)s\)$/\2/p" "$log" | head -1 || true)"
  if grep -qE "^--- PASS: $name " "$log"; then st=pass; detail=""
  elif grep -qE "^--- SKIP: $name " "$log"; then
    st=skip; detail="$(grep -m1 -E '^\s+\S+\.go:[0-9]+: ' "$log" | sed -E 's/^\s+//' || true)"
  else
    st=fail
    detail="$(python3 "$here/first_error.py" "$log" || true)"
    [ $rc -ne 124 ] || detail="killed by the harness after ${limit} s${detail:+: $detail}"
    [ -n "$detail" ] || detail="exit $rc: $(grep -v '^\s*$' "$log" | tail -1 || true)"
    waits="$(awk -F'\t' -v n="$name" '$1 == n { print $3 }' "$plan")"
    [ "$waits" = - ] || [ -z "$waits" ] || detail="$detail [waits for: $waits]"
  fi
  [ -n "$secs" ] || secs=0
  [ -z "${2:-}" ] || [ "$st" != fail ] || detail="$2; $detail"
  result "$name" "$st" "$secs" "$detail"
}

running=()
broker_down=""
reap() {  # waits for one runner to finish (or all with "all")
  local keep=() u finished=()
  while :; do
    keep=(); finished=()
    for u in "${running[@]}"; do
      if kill -0 "${u%% *}" 2>/dev/null; then keep+=("$u"); else wait "${u%% *}" 2>/dev/null || true; finished+=("${u#* }"); fi
    done
    running=("${keep[@]+"${keep[@]}"}")
    if [ ${#finished[@]} -gt 0 ]; then
      local note=""
      if ! broker_alive; then
        note="$(broker_death_note)"
        for u in "${running[@]+"${running[@]}"}"; do wait "${u%% *}" 2>/dev/null || true; finished+=("${u#* }"); done
        running=()
        cp "$BROKER_LOG" "$SUITE_DIR/broker-crash-$(date +%s).log" || true
      fi
      for u in "${finished[@]}"; do verdict "$u" "$note"; done
      [ -z "$note" ] || broker_start "$SUITE_DIR/broker" || broker_down="$(tail -1 "$BROKER_LOG")"
      [ "${1:-}" = all ] && [ ${#running[@]} -gt 0 ] || return 0
    fi
    [ ${#running[@]} -gt 0 ] || return 0
    sleep 0.2
  done
}

cd "$dir/src/pkg/kgo"   # tests may read testdata/ relative to the package
for name in "${selected[@]}"; do
  while [ ${#running[@]} -ge "$par" ]; do reap; done
  if [ -n "$broker_down" ]; then result "$name" fail 0 "broker not available (restart failed): $broker_down"; continue; fi
  (
    rc=0
    KGO_SEEDS="$BOOTSTRAP" KGO_TEST_RF=1 KGO_TEST_RECORDS="$records" KGO_LOG_LEVEL="${KGO_LOG_LEVEL:-none}" \
      timeout -k 10 "$limit" "$bin" -test.run "^${name}\$" -test.v -test.count=1 -test.timeout "$((limit + 30))s" \
      > "$SUITE_DIR/logs/$name.log" 2>&1 || rc=$?
    echo "$rc" > "$SUITE_DIR/logs/$name.log.rc"
  ) &
  running+=("$! $name")
done
while [ ${#running[@]} -gt 0 ]; do reap all; done
