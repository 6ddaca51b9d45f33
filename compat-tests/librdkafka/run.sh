#!/usr/bin/env bash
# librdkafka's own broker tests (Debian's librdkafka source) against one broker.
# Called by compat-tests/run.sh (see lib/common.sh for the environment).
#
# One test-runner process per 4-digit test id: a test that overruns its own
# timeout makes the runner SIGKILL itself, which must not take other tests
# with it. Full mode (no -Q). TEST_KAFKA_VERSION is the level Samsa claims, so
# no test is skipped for age. Two broker configurations: the "default"
# scenario (auto-create on, num.partitions=4, as trivup sets up) and
# "noautocreate" (auto-create off). If the broker dies, the tests that were
# running are marked with that, and a fresh broker is started for the rest.
#
# Knobs (environment): LIBRDKAFKA_PAR (parallel test ids, default 2),
# LIBRDKAFKA_TEST_LIMIT (harness kill per id, s; default 600 full / 240 ci),
# LIBRDKAFKA_TIMEOUT_MULTIPLIER (test.timeout.multiplier, default 2),
# LIBRDKAFKA_KAFKA_VERSION (TEST_KAFKA_VERSION, default 3.9.0),
# TESTS (restrict to these ids, e.g. 0012,0031).
set -euo pipefail
source "$COMPAT_HOME/lib/common.sh"
here="$COMPAT_HOME/librdkafka"
src="$(cat "$COMPAT_WORK/librdkafka/src.stamp")"
tests_dir="$src/tests"
par="${LIBRDKAFKA_PAR:-2}"
if [ "$COMPAT_MODE" = ci ]; then limit="${LIBRDKAFKA_TEST_LIMIT:-240}"; else limit="${LIBRDKAFKA_TEST_LIMIT:-600}"; fi
mult="${LIBRDKAFKA_TIMEOUT_MULTIPLIER:-2}"
kver="${LIBRDKAFKA_KAFKA_VERSION:-3.9.0}"
only="${TESTS:-}"; unset TESTS

# KAFKA_PATH: Kafka's bin/ scripts over Maven jars (kafka-topics.sh, kafka-acls.sh,
# kafka-run-class.sh) and libs/kafka-clients-*.jar for the tests' Java helpers.
kline="$(echo "$kver" | cut -d. -f1-2)"   # 3.9.0 -> the newest 3.9.x of java/versions
kafka_path="$("$COMPAT_HOME/java/setup.sh" "$COMPAT_WORK" "$kline" | tail -1)"
kafka_path="${kafka_path%/}"

plan="$SUITE_DIR/plan.tsv"
python3 "$here/plan.py" "$tests_dir/test.c" "$here/tests.tsv" > "$plan"
echo "librdkafka $(basename "$src" | sed 's/^librdkafka-//') (Debian source), TEST_KAFKA_VERSION=$kver, KAFKA_PATH: Kafka $(basename "$(dirname "$kafka_path")") tools" > "$SUITE_DIR/version"

# Units to run: "scenario id" pairs; exclusions reported straight away.
units_for() {  # units_for <scenario>
  local name id scen action waits ci note
  while IFS=$'\t' read -r name id scen action waits ci note; do
    [[ ",$scen," == *",$1,"* ]] || continue
    [ "$action" = run ] || continue
    [ "$COMPAT_MODE" != ci ] || [ "$ci" = ci ] || continue
    [ -z "$only" ] || [[ "$only" == *"$id"* ]] || continue
    echo "$id"
  done < "$plan" | sort -u
}
names_for() {  # names_for <scenario> <id>
  awk -F'\t' -v s="$1" -v id="$2" '$2 == id && $4 == "run" && index("," $3 ",", "," s ",") { print $1 }' "$plan"
}
while IFS=$'\t' read -r name id scen action waits ci note; do
  [ "$action" = exclude ] || continue
  [ "$COMPAT_MODE" != ci ] || [ "$ci" = ci ] || continue
  [ -z "$only" ] || [[ "$only" == *"$id"* ]] || continue
  result "$name" excluded 0 "$note (waits for: $waits)"
done < "$plan"

rm -f "$tests_dir"/stats_*.json
mkdir -p "$SUITE_DIR/logs"
running=()   # "pid id scenario" of test-runner processes

run_unit() {  # run_unit <scenario> <id>  (background)
  local scen="$1" id="$2" conf="$SUITE_DIR/rdkafka-$1.conf"
  local log="$SUITE_DIR/logs/$id-$scen.log"
  (
    cd "$tests_dir"
    rc=0
    env -u CI RDKAFKA_TEST_CONF="$conf" TEST_KAFKA_VERSION="$kver" TESTS="$id" TEST_SCENARIO="$scen" \
      KAFKA_PATH="$kafka_path" BROKERS="$BOOTSTRAP" LD_LIBRARY_PATH="../src:../src-cpp" \
      timeout -k 10 "$limit" ./test-runner -L -p1 > "$log" 2>&1 || rc=$?
    echo "$rc" > "$log.rc"
  ) &
  running+=("$! $id $scen")
}

finish_unit() {  # finish_unit <id> <scenario> [note]
  local id="$1" scen="$2" note="${3:-}" log="$SUITE_DIR/logs/$1-$2.log" rc
  rc="$(cat "$log.rc" 2>/dev/null || echo 255)"
  mapfile -t names < <(names_for "$scen" "$id")
  python3 "$COMPAT_HOME/librdkafka/parse_log.py" "$log" "$rc" "$limit" "${names[@]}" |
  while IFS=$'\t' read -r n st secs detail; do
    if [ -n "$note" ] && [ "$st" = fail ]; then detail="$note; $detail"; fi
    waits="$(awk -F'\t' -v n="$n" '$1 == n { print $5 }' "$plan")"
    [ "$st" != fail ] || [ -z "$waits" ] || [ "$waits" = - ] || detail="$detail [waits for: $waits]"
    if [ "$st" = fail ]; then
      # The note names the Kafka release it also fails on ("fails on Apache Kafka 4.x too").
      on="$(awk -F'\t' -v n="$n" '$1 == n { print $7 }' "$plan" | grep -oE 'fails on Apache Kafka [0-9][0-9.x]*' | head -1 || true)"
      [ -z "$on" ] || detail="$detail [$on too]"
    fi
    result "$n" "$st" "$secs" "$detail"
  done
}

# Reaps finished runners; on a dead broker, waits for the rest, then restarts it.
reap() {  # reap <scenario> <block: 1 = wait for one to finish>
  local scen="$1" block="$2" keep=() u pid id sc
  while :; do
    keep=()
    for u in "${running[@]}"; do
      read -r pid id sc <<<"$u"
      if kill -0 "$pid" 2>/dev/null; then keep+=("$u"); else wait "$pid" 2>/dev/null || true; done_units+=("$id $sc"); fi
    done
    running=("${keep[@]+"${keep[@]}"}")
    if ! broker_alive; then
      local note; note="$(broker_death_note)"
      compat_log "$note; letting running tests finish, then restarting the broker"
      for u in "${running[@]+"${running[@]}"}"; do read -r pid id sc <<<"$u"; wait "$pid" 2>/dev/null || true; done_units+=("$id $sc"); done
      running=()
      for u in "${done_units[@]}"; do read -r id sc <<<"$u"; finish_unit "$id" "$sc" "$note"; done
      done_units=()
      cp "$BROKER_LOG" "$SUITE_DIR/broker-crash-$(date +%s).log" || true
      start_broker "$scen" || broker_down="$(tail -1 "$BROKER_LOG")"
      return
    fi
    for u in "${done_units[@]+"${done_units[@]}"}"; do read -r id sc <<<"$u"; finish_unit "$id" "$sc"; done
    local n_done=${#done_units[@]}
    done_units=()
    if [ "$block" = 0 ] || [ "$n_done" -gt 0 ] || [ ${#running[@]} -eq 0 ]; then return; fi
    sleep 0.2
  done
}
done_units=()
broker_down=""

start_broker() {  # start_broker <scenario>
  local extra=(num.partitions=4)
  # As trivup does: an ACL authorizer that allows what no ACL denies (0109's
  # kafka-acls.sh needs one). Only for the reference broker until Samsa has ACLs.
  case "$COMPAT_BROKER" in kafka:*) extra+=(authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
                                            allow.everyone.if.no.acl.found=true) ;; esac
  [ "$1" != noautocreate ] || extra+=(auto.create.topics.enable=false)
  broker_start "$SUITE_DIR/broker-$1" "${extra[@]}" || return 1
  printf 'bootstrap.servers=%s\ntest.timeout.multiplier=%s\n' "$BOOTSTRAP" "$mult" > "$SUITE_DIR/rdkafka-$1.conf"
}

trap 'broker_stop' EXIT
trap 'exit 143' TERM INT
for scen in default noautocreate; do
  for id in $(units_for "$scen"); do plan_tests $(names_for "$scen" "$id"); done
done
for scen in default noautocreate; do
  mapfile -t ids < <(units_for "$scen")
  [ ${#ids[@]} -gt 0 ] || continue
  compat_log "scenario $scen: ${#ids[@]} test ids, $par at a time, ${limit} s limit each"
  if ! start_broker "$scen"; then
    for id in "${ids[@]}"; do
      for n in $(names_for "$scen" "$id"); do result "$n" fail 0 "broker not available: $(tail -1 "$BROKER_LOG")"; done
    done
    continue
  fi
  for id in "${ids[@]}"; do
    while [ ${#running[@]} -ge "$par" ]; do reap "$scen" 1; done
    if [ -n "$broker_down" ]; then
      for n in $(names_for "$scen" "$id"); do result "$n" fail 0 "broker not available (restart failed): $broker_down"; done
      continue
    fi
    run_unit "$scen" "$id"
  done
  while [ ${#running[@]} -gt 0 ]; do reap "$scen" 1; done
  broker_stop
  broker_down=""
done
