# Shared helpers for compat-tests/run.sh and the suite scripts (sourced, bash).
#
# Environment a suite script gets from run.sh:
#   COMPAT_HOME    compat-tests/ directory (committed files)
#   COMPAT_WORK    work root: downloads, builds (cached across runs)
#   COMPAT_MODE    ci | full
#   COMPAT_BROKER  samsa | kafka:<version> | external:<host:port>
#   SAMSA_BIN      the broker binary (for COMPAT_BROKER=samsa)
#   SUITE_NAME     e.g. librdkafka, java-3.9
#   SUITE_DIR      this run's scratch dir for the suite (logs, broker data)
#   RESULTS_FILE   rows: name TAB status TAB seconds TAB detail
#                  status: pass | fail | skip | excluded
# Every wait here has a deadline; nothing sleeps to synchronise.

compat_log() { printf '[%s %s] %s\n' "$(date +%T)" "${SUITE_NAME:-compat}" "$*" >&2; }

# result <name> <status> <seconds> <detail>: one row of the suite's results.
result() {
  local detail="${4:-}" tags=""
  detail="$(printf '%s' "$detail" | tr '\t\r\n' '   ' | sed -E 's/\x1b\[[0-9;]*m//g; s/ +/ /g; s/^ //')"
  # Long error lines are cut, but the trailing [waits for: ...] tags are kept.
  local body="$detail" marker
  for marker in ' [waits for: ' ' [fails on Apache'; do body="${body%%"$marker"*}"; done
  tags="${detail:${#body}}"
  [ ${#body} -le 320 ] || body="${body:0:317}..."
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "${3:-0}" "$body$tags" >> "$RESULTS_FILE"
}

# plan_tests <name>...: declares tests the suite means to run, so that any left
# without a row (suite killed, broker unreachable) are still reported.
plan_tests() { local n; for n in "$@"; do echo "$n" >> "$SUITE_DIR/planned"; done; }

# fail_unreported <detail>: a fail row for every planned test that has no row yet.
fail_unreported() {
  [ -f "$SUITE_DIR/planned" ] || return 0
  local n
  while read -r n; do
    cut -f1 "$RESULTS_FILE" | grep -qxF "$n" || result "$n" fail 0 "$1"
  done < "$SUITE_DIR/planned"
}

# wait_until <seconds> <command...>: polls every 0.1 s until the command succeeds.
wait_until() {
  local limit="$1"; shift
  local end=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
  while ! "$@" >/dev/null 2>&1; do
    [ $(( $(date +%s%N) / 1000000 )) -lt "$end" ] || return 1
    sleep 0.1
  done
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

port_open() {  # port_open host:port
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
h, p = sys.argv[1].rsplit(":", 1)
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex((h, int(p))) == 0 else 1)
PY
}

# Broker properties every suite gets (Kafka's names; Samsa warns about the ones
# it accepts but does not act on yet). Suites add their own on top.
BROKER_BASE_PROPS=(
  auto.create.topics.enable=true
  delete.topic.enable=true
  num.partitions=1
  default.replication.factor=1
  offsets.topic.replication.factor=1
  offsets.topic.num.partitions=4
  transaction.state.log.replication.factor=1
  transaction.state.log.min.isr=1
  transaction.state.log.num.partitions=4
  min.insync.replicas=1
  group.initial.rebalance.delay.ms=0
)

# broker_start <dir> [key=value...]: starts a fresh broker with its data under
# <dir> and sets BOOTSTRAP (host:port), BROKER_PID and BROKER_LOG.
broker_start() {
  local dir="$1"; shift
  BROKER_PID=""; BROKER_LOG="$dir/broker.log"
  rm -rf "$dir"; mkdir -p "$dir/data"
  local props="$dir/server.properties" kv
  case "$COMPAT_BROKER" in
    external:*)
      BOOTSTRAP="${COMPAT_BROKER#external:}"
      echo "external broker $BOOTSTRAP (not started by the harness)" > "$BROKER_LOG"
      if ! wait_until 10 port_open "$BOOTSTRAP"; then
        echo "nothing accepts connections at $BOOTSTRAP (waited 10 s)" >> "$BROKER_LOG"
        compat_log "external broker $BOOTSTRAP not reachable"; return 1
      fi
      return 0 ;;
    samsa)
      {
        echo "listeners=PLAINTEXT://127.0.0.1:0"
        echo "log.dirs=$dir/data"
        for kv in "${BROKER_BASE_PROPS[@]}" "$@"; do echo "$kv"; done
      } > "$props"
      [ -x "$SAMSA_BIN" ] || { compat_log "no samsa binary at $SAMSA_BIN"; return 1; }
      "$SAMSA_BIN" "$props" > "$BROKER_LOG" 2>&1 &
      BROKER_PID=$!
      echo "$BROKER_PID" >> "$COMPAT_RUN/pids"
      if ! wait_until 30 grep -qE 'listening on PLAINTEXT://127\.0\.0\.1:[0-9]+' "$BROKER_LOG"; then
        compat_log "samsa did not report listening within 30 s: $(tail -3 "$BROKER_LOG" | tr '\n' ' ')"
        broker_stop; return 1
      fi
      BOOTSTRAP="127.0.0.1:$(sed -nE 's/.*listening on PLAINTEXT:\/\/127\.0\.0\.1:([0-9]+).*/\1/p' "$BROKER_LOG" | head -1)"
      ;;
    kafka:*)
      local v="${COMPAT_BROKER#kafka:}" port cport
      port="$(free_port)"; cport="$(free_port)"
      {
        echo "process.roles=broker,controller"
        echo "node.id=1"
        echo "controller.quorum.voters=1@127.0.0.1:$cport"
        echo "listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"
        echo "advertised.listeners=PLAINTEXT://127.0.0.1:$port"
        echo "controller.listener.names=CONTROLLER"
        echo "inter.broker.listener.name=PLAINTEXT"
        echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
        echo "log.dirs=$dir/data"
        echo "share.coordinator.state.topic.replication.factor=1"
        echo "share.coordinator.state.topic.min.isr=1"
        for kv in "${BROKER_BASE_PROPS[@]}" "$@"; do echo "$kv"; done
      } > "$props"
      local home; home="$("$COMPAT_HOME/java/setup.sh" "$COMPAT_WORK" "$v" | tail -1)" || return 1
      "$home/bin/kafka-storage.sh" format -t "$("$home/bin/kafka-storage.sh" random-uuid)" -c "$props" \
        > "$dir/format.log" 2>&1 || { compat_log "kafka-storage format failed: $(tail -2 "$dir/format.log")"; return 1; }
      LOG_DIR="$dir/logs" "$home/bin/kafka-server-start.sh" "$props" > "$BROKER_LOG" 2>&1 &
      BROKER_PID=$!
      echo "$BROKER_PID" >> "$COMPAT_RUN/pids"
      if ! wait_until 120 grep -q 'Kafka Server started' "$BROKER_LOG"; then
        compat_log "Kafka $v did not start within 120 s: $(grep -m1 -E 'ERROR|Exception' "$BROKER_LOG")"
        broker_stop; return 1
      fi
      BOOTSTRAP="127.0.0.1:$port"
      ;;
    *) compat_log "unknown broker kind '$COMPAT_BROKER'"; return 1 ;;
  esac
  compat_log "broker up at $BOOTSTRAP ($COMPAT_BROKER, data $dir/data)"
}

broker_alive() {
  if [ -n "${BROKER_PID:-}" ]; then kill -0 "$BROKER_PID" 2>/dev/null; else port_open "$BOOTSTRAP"; fi
}

# broker_stop: TERM, then KILL after 15 s.
broker_stop() {
  [ -n "${BROKER_PID:-}" ] || return 0
  if kill -0 "$BROKER_PID" 2>/dev/null; then
    kill -TERM "$BROKER_PID" 2>/dev/null || true
    wait_until 15 bash -c "! kill -0 $BROKER_PID" || kill -KILL "$BROKER_PID" 2>/dev/null || true
  fi
  wait "$BROKER_PID" 2>/dev/null || true
  BROKER_PID=""
}

# A one-line description of a dead broker, for a failure's detail.
broker_death_note() {
  local rc="" line
  line="$(grep -m1 -iE 'fatal|assert|terminate|abort|segmentation|panic' "$BROKER_LOG" 2>/dev/null || true)"
  [ -n "$line" ] || line="$(tail -1 "$BROKER_LOG" 2>/dev/null)"
  echo "broker died: ${line:-no log}"
}

# lines_of <file>: its non-comment, non-blank lines (data files use # comments).
lines_of() { [ -f "$1" ] && grep -vE '^\s*(#|$)' "$1" || true; }
