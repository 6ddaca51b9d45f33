# Scenarios for java/run.sh: Apache Kafka's tools against one broker, with
# asserted results. Sourced in a fresh bash per scenario, with:
#   KAFKA_HOME  Kafka's jars laid out by java/setup.sh (bin/kafka-*.sh)
#   BOOTSTRAP   host:port of the broker
#   SC_DIR      scratch dir of this scenario (tool output is kept there)
# A scenario is the function scenario_<name>; it fails by calling fail().
# Options are the ones both 3.9 and 4.x accept (4.x deprecates some, e.g.
# --property and --producer-props, and prints a notice; assertions ignore it).
set -uo pipefail
n_tool=0

fail() { echo "FAIL: $*" >&2; exit 1; }

# error_line <files...>: the most telling line of a tool's output.
error_line() {
  local line warn
  # The exception with its message beats the tools' generic "Error while executing ..." line.
  line="$(cat "$@" 2>/dev/null | grep -v '^\s*at ' | grep -m1 -E '[A-Za-z]+(Exception|Error): ' || true)"
  [ -n "$line" ] || line="$(cat "$@" 2>/dev/null | grep -m1 -E '^(Error|ERROR)|rror while executing|Exception$' || true)"
  warn="$(cat "$@" 2>/dev/null | grep -m1 -E '=[A-Z_]{6,}[},]|Error: [A-Z_]{6,}|error code [A-Z_]+' || true)"
  if [ -n "$warn" ] && [ "$warn" != "$line" ]; then line="${line:+$line | }$warn"; fi
  [ -n "$line" ] || line="$(cat "$@" 2>/dev/null | grep -v '^\s*$' | tail -1)"
  echo "$line" | sed -E 's/^\[[0-9-]+ [0-9:,]+\] //; s/java\.util\.concurrent\.ExecutionException: //' | cut -c1-300
}

# tool <name> <seconds> [args...]: runs bin/kafka-<name>.sh with a deadline;
# sets OUT and ERR to its captured stdout/stderr; fails the scenario on a
# non-zero exit. TOOL_STDIN names a file for its stdin.
tool() {
  local name="$1" limit="$2"; shift 2
  n_tool=$((n_tool + 1))
  local base; base="$SC_DIR/$(printf '%02d' "$n_tool")-$name"
  echo "kafka-$name.sh $*" > "$base.cmd"
  local rc=0
  timeout -k 5 "$limit" "$KAFKA_HOME/bin/kafka-$name.sh" "$@" > "$base.out" 2> "$base.err" < "${TOOL_STDIN:-/dev/null}" || rc=$?
  OUT="$base.out"; ERR="$base.err"
  [ $rc -ne 124 ] || fail "kafka-$name timed out after ${limit} s: $(error_line "$ERR" "$OUT")"
  [ $rc -eq 0 ] || fail "kafka-$name exited $rc: $(error_line "$ERR" "$OUT")"
}

topic_name() { echo "jt-$1-$RANDOM$RANDOM"; }

create_topic() {  # create_topic <topic> <partitions> [--config k=v]...
  local t="$1" p="$2"; shift 2
  tool topics 90 --bootstrap-server "$BOOTSTRAP" --create --topic "$t" --partitions "$p" --replication-factor 1 "$@"
  grep -qxF "Created topic $t." "$OUT" || fail "kafka-topics --create printed: $(head -1 "$OUT")"
}

produce_lines() {  # produce_lines <topic> <count>: keyed records k<i>:v<i>
  local t="$1" n="$2" f="$SC_DIR/input-$1.txt"
  seq 1 "$n" | sed 's/.*/k&:v&/' > "$f"
  TOOL_STDIN="$f" tool console-producer 120 --bootstrap-server "$BOOTSTRAP" --topic "$t" \
    --property parse.key=true --property key.separator=: --producer-property acks=all
}

offsets_sum() {  # offsets_sum <file of topic:partition:offset lines>
  awk -F: '{ s += $NF } END { print s + 0 }' "$1"
}

scenario_broker_api_versions() {
  tool broker-api-versions 60 --bootstrap-server "$BOOTSTRAP"
  grep -qE '\(id: 1 rack: ' "$OUT" || fail "no node 1 in: $(head -1 "$OUT")"
  grep -qE 'ApiVersions\(18\): [0-9]+ to [0-9]+ \[usable: [0-9]+\]' "$OUT" || fail "ApiVersions not usable: $(grep -m1 ApiVersions "$OUT")"
  grep -qE 'Metadata\(3\): [0-9]+ to [0-9]+ \[usable: [0-9]+\]' "$OUT" || fail "Metadata not usable: $(grep -m1 Metadata "$OUT")"
}

scenario_cluster_id() {
  tool cluster 60 cluster-id --bootstrap-server "$BOOTSTRAP"
  grep -qE '^Cluster ID: [A-Za-z0-9_-]{22}$' "$OUT" || fail "unexpected output: $(head -1 "$OUT")"
}

scenario_topics_create_describe() {
  local t; t="$(topic_name create)"
  create_topic "$t" 3 --config retention.ms=3600000 --config max.message.bytes=65536
  tool topics 60 --bootstrap-server "$BOOTSTRAP" --list
  grep -qxF "$t" "$OUT" || fail "--list does not show $t"
  tool topics 60 --bootstrap-server "$BOOTSTRAP" --describe --topic "$t"
  local head; head="$(grep -P "^Topic: $t\t" "$OUT" || true)"
  [ -n "$head" ] || fail "--describe has no topic line for $t: $(head -1 "$OUT")"
  grep -qP '\tPartitionCount: 3\t' <<<"$head" || fail "expected PartitionCount: 3 in: $head"
  grep -qP '\tReplicationFactor: 1\t' <<<"$head" || fail "expected ReplicationFactor: 1 in: $head"
  grep -qP 'Configs: .*retention\.ms=3600000' <<<"$head" || fail "retention.ms=3600000 missing from: $head"
  grep -qP 'Configs: .*max\.message\.bytes=65536' <<<"$head" || fail "max.message.bytes=65536 missing from: $head"
  local p
  for p in 0 1 2; do
    grep -qP "^\tTopic: $t\tPartition: $p\tLeader: 1\tReplicas: 1\tIsr: 1(\t|$)" "$OUT" \
      || fail "partition $p line wrong: $(grep -P "Partition: $p\t" "$OUT" || echo missing)"
  done
  [ "$(grep -cP "^\tTopic: $t\tPartition: " "$OUT")" = 3 ] || fail "expected 3 partition lines"
}

scenario_topics_alter_delete() {
  local t; t="$(topic_name alter)"
  create_topic "$t" 2
  tool topics 60 --bootstrap-server "$BOOTSTRAP" --alter --topic "$t" --partitions 5
  tool topics 60 --bootstrap-server "$BOOTSTRAP" --describe --topic "$t"
  grep -qP "^Topic: $t\t.*PartitionCount: 5\t" "$OUT" || fail "after --alter: $(head -1 "$OUT")"
  [ "$(grep -cP "^\tTopic: $t\tPartition: " "$OUT")" = 5 ] || fail "expected 5 partition lines after --alter"
  tool topics 60 --bootstrap-server "$BOOTSTRAP" --delete --topic "$t"
  local end=$((SECONDS + 30))
  while :; do
    tool topics 60 --bootstrap-server "$BOOTSTRAP" --list
    grep -qxF "$t" "$OUT" || break
    [ $SECONDS -lt $end ] || fail "$t still listed 30 s after --delete"
    sleep 1
  done
}

scenario_configs_topic() {
  local t; t="$(topic_name cfg)"
  create_topic "$t" 1
  tool configs 60 --bootstrap-server "$BOOTSTRAP" --entity-type topics --entity-name "$t" \
    --alter --add-config retention.ms=86400000,max.message.bytes=200000
  grep -q "Completed updating config for topic $t" "$OUT" || fail "alter printed: $(head -1 "$OUT")"
  tool configs 60 --bootstrap-server "$BOOTSTRAP" --entity-type topics --entity-name "$t" --describe
  grep -qE '^\s*retention\.ms=86400000 ' "$OUT" || fail "retention.ms=86400000 not described: $(head -2 "$OUT" | tr '\n' ' ')"
  grep -qE '^\s*max\.message\.bytes=200000 ' "$OUT" || fail "max.message.bytes=200000 not described"
  tool configs 60 --bootstrap-server "$BOOTSTRAP" --entity-type topics --entity-name "$t" \
    --alter --delete-config max.message.bytes
  tool configs 60 --bootstrap-server "$BOOTSTRAP" --entity-type topics --entity-name "$t" --describe
  grep -qE '^\s*max\.message\.bytes=' "$OUT" && fail "max.message.bytes still set after --delete-config"
  grep -qE '^\s*retention\.ms=86400000 ' "$OUT" || fail "retention.ms lost after deleting another config"
}

scenario_configs_broker() {
  tool configs 60 --bootstrap-server "$BOOTSTRAP" --entity-type brokers --entity-name 1 --describe --all
  grep -q '^All configs for broker 1 are:' "$OUT" || fail "unexpected header: $(head -1 "$OUT")"
  local k
  for k in num.partitions=1 default.replication.factor=1 auto.create.topics.enable=true log.retention.hours=168; do
    grep -qE "^\s*${k//./\\.} " "$OUT" || fail "broker config $k not described"
  done
}

scenario_console_produce_consume() {
  local t; t="$(topic_name console)"
  create_topic "$t" 1
  produce_lines "$t" 200
  tool console-consumer 90 --bootstrap-server "$BOOTSTRAP" --topic "$t" --partition 0 --offset earliest \
    --max-messages 200 --timeout-ms 30000 --property print.key=true --property key.separator=:
  grep -q 'Processed a total of 200 messages' "$ERR" || fail "consumer: $(grep -m1 'Processed' "$ERR" || error_line "$ERR")"
  # 4.x prints deprecation notices on stdout: compare the record lines only.
  grep -E '^k[0-9]+:v[0-9]+$' "$OUT" > "$SC_DIR/consumed.txt" || true
  cmp -s "$SC_DIR/consumed.txt" "$SC_DIR/input-$t.txt" \
    || fail "consumed records differ from produced (first diff: $(diff "$SC_DIR/input-$t.txt" "$SC_DIR/consumed.txt" | sed -n 2p))"
}

scenario_get_offsets() {
  local t; t="$(topic_name offsets)"
  create_topic "$t" 3
  produce_lines "$t" 300
  tool get-offsets 60 --bootstrap-server "$BOOTSTRAP" --topic "$t"
  [ "$(grep -c "^$t:[0-2]:[0-9]*$" "$OUT")" = 3 ] || fail "expected 3 lines $t:p:offset, got: $(tr '\n' ' ' < "$OUT")"
  [ "$(offsets_sum "$OUT")" = 300 ] || fail "latest offsets sum to $(offsets_sum "$OUT"), expected 300"
  tool get-offsets 60 --bootstrap-server "$BOOTSTRAP" --topic "$t" --time -2
  [ "$(grep -c "^$t:[0-2]:0$" "$OUT")" = 3 ] || fail "earliest offsets not all 0: $(tr '\n' ' ' < "$OUT")"
}

scenario_delete_records() {
  local t; t="$(topic_name delrec)"
  create_topic "$t" 1
  produce_lines "$t" 50
  printf '{"partitions":[{"topic":"%s","partition":0,"offset":20}],"version":1}\n' "$t" > "$SC_DIR/offsets.json"
  tool delete-records 60 --bootstrap-server "$BOOTSTRAP" --offset-json-file "$SC_DIR/offsets.json"
  grep -qP "^partition: $t-0\tlow_watermark: 20$" "$OUT" || fail "expected low_watermark 20, got: $(grep -m1 "partition:" "$OUT" || tail -1 "$OUT")"
  tool get-offsets 60 --bootstrap-server "$BOOTSTRAP" --topic "$t" --time -2
  grep -qx "$t:0:20" "$OUT" || fail "earliest offset after delete-records: $(cat "$OUT")"
  tool get-offsets 60 --bootstrap-server "$BOOTSTRAP" --topic "$t" --time -1
  grep -qx "$t:0:50" "$OUT" || fail "latest offset after delete-records: $(cat "$OUT")"
}

scenario_log_dirs() {
  local t; t="$(topic_name logdirs)"
  create_topic "$t" 2
  produce_lines "$t" 100
  tool log-dirs 60 --bootstrap-server "$BOOTSTRAP" --describe --topic-list "$t"
  grep '^{' "$OUT" > "$SC_DIR/logdirs.json" || fail "no JSON in output: $(head -1 "$OUT")"
  python3 - "$SC_DIR/logdirs.json" "$t" <<'PY' || fail "$(cat "$SC_DIR/logdirs.check")"
import json, sys
d = json.load(open(sys.argv[1])); t = sys.argv[2]
out = open(sys.argv[1].replace("logdirs.json", "logdirs.check"), "w")
def bad(msg):
    out.write(msg); sys.exit(1)
brokers = d.get("brokers", [])
if [b.get("broker") for b in brokers] != [1]:
    bad(f"expected broker 1 only, got {[b.get('broker') for b in brokers]}")
parts = {p["partition"]: p for ld in brokers[0]["logDirs"] for p in ld.get("partitions", [])}
for p in (f"{t}-0", f"{t}-1"):
    if p not in parts:
        bad(f"partition {p} missing from log dirs (has {sorted(parts)[:4]})")
if sum(parts[p]["size"] for p in (f"{t}-0", f"{t}-1")) <= 0:
    bad("partition sizes are 0 after producing 100 records")
errs = [ld.get("error") for ld in brokers[0]["logDirs"] if ld.get("error")]
if errs:
    bad(f"log dir error: {errs[0]}")
PY
}

perf_produce() {  # perf_produce <topic> <records> [extra args]: checks the final line
  local t="$1" n="$2"; shift 2
  tool producer-perf-test 240 --topic "$t" --num-records "$n" --record-size 100 --throughput -1 \
    --producer-props bootstrap.servers="$BOOTSTRAP" acks=all "$@"
  local last; last="$(grep -E '^[0-9]+ records sent, [0-9.]+ records/sec \([0-9.]+ MB/sec\), [0-9.]+ ms avg latency, [0-9.]+ ms max latency, [0-9]+ ms 50th, [0-9]+ ms 95th, [0-9]+ ms 99th, [0-9]+ ms 99.9th\.$' "$OUT" | tail -1)"
  [ -n "$last" ] || fail "no final summary line: $(tail -1 "$OUT")"
  [ "${last%% *}" = "$n" ] || fail "perf test sent ${last%% *} of $n: $last"
}

scenario_producer_perf_test() {
  local t; t="$(topic_name pperf)"
  create_topic "$t" 2
  perf_produce "$t" 20000
  tool get-offsets 60 --bootstrap-server "$BOOTSTRAP" --topic "$t"
  [ "$(offsets_sum "$OUT")" = 20000 ] || fail "log end offsets sum to $(offsets_sum "$OUT"), expected 20000"
}

verifiable_produce() {  # verifiable_produce <topic> <count>: asserts every send acked, offsets contiguous
  local t="$1" n="$2"
  tool verifiable-producer 180 --bootstrap-server "$BOOTSTRAP" --topic "$t" --max-messages "$n" --acks -1
  python3 - "$OUT" "$n" > "$SC_DIR/vp.check" <<'PY' || fail "$(cat "$SC_DIR/vp.check")"
import json, sys
n = int(sys.argv[2]); ok = 0; errors = []; offs = {}; names = set()
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    e = json.loads(line); names.add(e.get("name"))
    if e.get("name") == "producer_send_success":
        ok += 1; offs.setdefault(e["partition"], []).append(e["offset"])
    elif e.get("name") == "producer_send_error":
        errors.append(f'{e.get("exception")}: {e.get("message")}')
if errors:
    print(f"{len(errors)} send errors, first: {errors[0]}"); sys.exit(1)
if ok != n:
    print(f"{ok} of {n} sends acknowledged (events seen: {sorted(x for x in names if x)})"); sys.exit(1)
for p, o in offs.items():
    if sorted(o) != list(range(min(o), min(o) + len(o))):
        print(f"partition {p}: offsets not contiguous"); sys.exit(1)
if "shutdown_complete" not in names:
    print("no shutdown_complete event"); sys.exit(1)
PY
}

scenario_verifiable_producer() {
  local t; t="$(topic_name vprod)"
  create_topic "$t" 3
  verifiable_produce "$t" 1000
  tool get-offsets 60 --bootstrap-server "$BOOTSTRAP" --topic "$t"
  [ "$(offsets_sum "$OUT")" = 1000 ] || fail "log end offsets sum to $(offsets_sum "$OUT"), expected 1000"
}

scenario_consumer_perf_test() {
  local t; t="$(topic_name cperf)"
  create_topic "$t" 2
  perf_produce "$t" 20000
  tool consumer-perf-test 180 --bootstrap-server "$BOOTSTRAP" --topic "$t" --messages 20000 --timeout 30000 \
    --group "perf-$t"
  grep -q 'WARNING: Exiting before consuming' "$OUT" "$ERR" && fail "$(grep -h -m1 'WARNING: Exiting' "$OUT" "$ERR")"
  local row; row="$(grep -A1 '^start.time, end.time' "$OUT" | tail -1)"
  [ -n "$row" ] || fail "no result row: $(head -1 "$OUT")"
  local nmsg; nmsg="$(awk -F', ' '{ print $5 }' <<<"$row")"
  [ "$nmsg" = 20000 ] || fail "consumed $nmsg of 20000: $row"
}

scenario_verifiable_consumer() {
  local t; t="$(topic_name vcons)"
  create_topic "$t" 3
  verifiable_produce "$t" 1000
  tool verifiable-consumer 180 --bootstrap-server "$BOOTSTRAP" --topic "$t" --group-id "vc-$t" \
    --max-messages 1000 --reset-policy earliest
  python3 - "$OUT" > "$SC_DIR/vc.check" <<'PY' || fail "$(cat "$SC_DIR/vc.check")"
import json, sys
consumed = 0; commits = []; assigned = False
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    e = json.loads(line)
    if e.get("name") == "records_consumed":
        consumed += e["count"]
    elif e.get("name") == "offsets_committed":
        commits.append(e)
    elif e.get("name") == "partitions_assigned" and e.get("partitions"):
        assigned = True
if not assigned:
    print("never got a partition assignment"); sys.exit(1)
if consumed != 1000:
    print(f"consumed {consumed} of 1000"); sys.exit(1)
bad = [c for c in commits if not c.get("success")]
if not commits or bad:
    print(f"offset commits: {len(commits)}, failed: {len(bad)} ({bad[0].get('error') if bad else ''})"); sys.exit(1)
PY
}

scenario_consumer_groups() {
  local t g; t="$(topic_name groups)"; g="cg-$t"
  create_topic "$t" 2
  produce_lines "$t" 100
  tool console-consumer 90 --bootstrap-server "$BOOTSTRAP" --topic "$t" --group "$g" --from-beginning \
    --max-messages 100 --timeout-ms 30000
  grep -q 'Processed a total of 100 messages' "$ERR" || fail "group consumer: $(grep -m1 Processed "$ERR" || error_line "$ERR")"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --list
  grep -qxF "$g" "$OUT" || fail "--list does not show $g"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g"
  # GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG ...
  local rows; rows="$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t' "$OUT")"
  [ "$(wc -l <<<"$rows")" = 2 ] || fail "expected 2 partition rows in --describe, got: $(tr '\n' ' ' < "$OUT")"
  awk '{ if ($4 != $5 || $6 != 0) exit 1 }' <<<"$rows" || fail "lag after consuming everything: $(tr '\n' ';' <<<"$rows")"
  [ "$(awk '{ s += $4 } END { print s }' <<<"$rows")" = 100 ] || fail "committed offsets do not sum to 100"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --group "$g" --topic "$t" --reset-offsets --to-earliest --execute
  # GROUP TOPIC PARTITION NEW-OFFSET, one row per partition (3.9 prints the rows without newlines)
  [ "$(grep -oE "$g +$t +[0-9]+ +0( |\$)" "$OUT" | wc -l)" = 2 ] \
    || fail "--reset-offsets printed: $(tr '\n' ';' < "$OUT")"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g"
  [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t' "$OUT" | wc -l)" = 2 ] || fail "no partition rows after the reset"
  [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t { s += $4 } END { print s + 0 }' "$OUT")" = 0 ] || fail "offsets not reset to 0"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --delete-offsets --group "$g" --topic "$t"
  # 4.x: "Request succeeded for deleting offsets from group G."; 3.9: "... succeed ... with topic T group G"
  grep -qxE "Request succeeded for deleting offsets from group $g\.|Request succeed for deleting offsets with topic $t group $g" \
    "$OUT" || fail "--delete-offsets printed: $(head -1 "$OUT") $(error_line "$ERR")"
  # TOPIC PARTITION STATUS, one row per partition (3.9 prints the rows without newlines)
  [ "$(grep -oE "$t +[0-9]+ +Successful" "$OUT" | wc -l)" = 2 ] \
    || fail "--delete-offsets partition rows: $(tr '\n' ';' < "$OUT")"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g"
  # Kafka: "Consumer group 'G' has no active members." and no partition rows (no offsets left)
  [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t' "$OUT" | wc -l)" = 0 ] \
    || fail "partitions still described after --delete-offsets: $(tr '\n' ';' < "$OUT")"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --delete --group "$g"
  grep -q "Deletion of requested consumer groups ('$g') was successful." "$OUT" || fail "delete printed: $(head -1 "$OUT")"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --list
  grep -qxF "$g" "$OUT" && fail "$g still listed after --delete"
  return 0
}

scenario_transactions() {
  local t x; t="$(topic_name txn)"; x="tx-$t"
  create_topic "$t" 1
  perf_produce "$t" 5000 --transactional-id "$x" --transaction-duration-ms 100
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" list
  grep -qE "^$x\s" "$OUT" || fail "kafka-transactions list does not show $x"
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" describe --transactional-id "$x"
  grep -qE "CompleteCommit|Empty" "$OUT" || fail "transaction state: $(tail -1 "$OUT")"
  tool console-consumer 90 --bootstrap-server "$BOOTSTRAP" --topic "$t" --partition 0 --offset earliest \
    --isolation-level read_committed --max-messages 5000 --timeout-ms 30000
  grep -q 'Processed a total of 5000 messages' "$ERR" || fail "read_committed consumer: $(grep -m1 Processed "$ERR" || error_line "$ERR")"
}

# members_with <file> <group> <partitions...>: the --describe --members rows of
# <group> have exactly these #PARTITIONS values (sorted), one member each.
members_with() {
  local f="$1" g="$2"; shift 2
  local got want
  got="$(awk -v g="$g" '$1 == g && $(NF) ~ /^[0-9]+$/ { print $(NF) }' "$f" | sort -n | tr '\n' ' ')"
  want="$(printf '%s\n' "$@" | sort -n | tr '\n' ' ')"
  [ "$got" = "$want" ]
}

# wait_members <group> <seconds> <partitions...>: polls kafka-consumer-groups
# --describe --members until the members hold these partition counts.
wait_members() {
  local g="$1" limit="$2"; shift 2
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g" --members
    members_with "$OUT" "$g" "$@" && return 0
    sleep 1
  done
  fail "group $g never had members with partitions $*: $(tr '\n' ';' < "$OUT")"
}

scenario_consumer_protocol_group() {
  local t g; t="$(topic_name kip848)"; g="cp-$t"
  create_topic "$t" 6
  produce_lines "$t" 60
  # Two console consumers with the KIP-848 protocol share the 6 partitions;
  # when one stops (it leaves the group), the other gets all six.
  local a b
  timeout -k 5 150 "$KAFKA_HOME/bin/kafka-console-consumer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$t" \
    --group "$g" --consumer-property group.protocol=consumer --from-beginning > "$SC_DIR/a.out" 2> "$SC_DIR/a.err" &
  a=$!
  wait_members "$g" 60 6
  timeout -k 5 150 "$KAFKA_HOME/bin/kafka-console-consumer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$t" \
    --group "$g" --consumer-property group.protocol=consumer --from-beginning > "$SC_DIR/b.out" 2> "$SC_DIR/b.err" &
  b=$!
  wait_members "$g" 60 3 3 || { kill "$a" "$b"; return 1; }
  # The offsets view: six partition rows, each owned by one of the two members.
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g"
  [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t && $7 != "-" { print $7 }' "$OUT" | sort -u | wc -l)" = 2 ] &&
    [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t' "$OUT" | wc -l)" = 6 ] ||
    { kill "$a" "$b"; fail "--describe: $(tr '\n' ';' < "$OUT")"; }
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g" --state
  # GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS
  awk -v g="$g" '$1 == g && / uniform / && / Stable / && $NF == 2 { ok = 1 } END { exit !ok }' "$OUT" ||
    { kill "$a" "$b"; fail "--describe --state: $(tr '\n' ';' < "$OUT")"; }
  kill -TERM "$b"; wait "$b" 2>/dev/null
  wait_members "$g" 60 6 || { kill "$a"; return 1; }
  kill -TERM "$a"; wait "$a" 2>/dev/null
  # Every record was read by one of them (a partition whose commit did not
  # land before it moved is read again from the beginning by its new owner).
  [ "$(cat "$SC_DIR/a.out" "$SC_DIR/b.out" | sort -u | wc -l)" -ge 60 ] ||
    fail "the two consumers did not read all 60 records"
  # Listing by type: the consumer group, not as classic.
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --list --type consumer
  grep -q "^$g\b" "$OUT" || fail "--list --type consumer does not show $g: $(tr '\n' ';' < "$OUT")"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --list --type classic
  grep -q "^$g\b" "$OUT" && fail "--list --type classic shows the consumer group $g"
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --delete --group "$g"
  grep -q "Deletion of requested consumer groups ('$g') was successful." "$OUT" || fail "delete printed: $(head -1 "$OUT")"
  return 0
}

JAVA_SUITE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# --- consumer groups with the Java client (java/groups/GroupScenario.java, compiled per
# scenario against this release's libs/; Kafka 4.x only).
# group_java <seconds> <GroupScenario args...>: OUT/ERR as for tool(); fails the scenario
# on a non-zero exit, with its FAIL line.
group_java() {
  local limit="$1"; shift
  if [ ! -f "$SC_DIR/classes/GroupScenario.class" ]; then
    javac -nowarn -d "$SC_DIR/classes" -cp "$KAFKA_HOME/libs/*" "$JAVA_SUITE_DIR/groups/GroupScenario.java" \
      > "$SC_DIR/javac.out" 2>&1 || fail "javac GroupScenario.java: $(head -3 "$SC_DIR/javac.out" | tr '\n' ' ')"
  fi
  n_tool=$((n_tool + 1))
  local base; base="$SC_DIR/$(printf '%02d' "$n_tool")-GroupScenario-$1"
  echo "GroupScenario $*" > "$base.cmd"
  local rc=0
  CLASSPATH="$SC_DIR/classes" KAFKA_HEAP_OPTS="-Xmx256M" timeout -k 5 "$limit" \
    "$KAFKA_HOME/bin/kafka-run-class.sh" GroupScenario "$@" > "$base.out" 2> "$base.err" < /dev/null || rc=$?
  OUT="$base.out"; ERR="$base.err"
  [ $rc -ne 124 ] || fail "GroupScenario $1 timed out after ${limit} s: $(error_line "$ERR" "$OUT")"
  [ $rc -eq 0 ] || fail "GroupScenario $1 exited $rc: $(grep -m1 -E '^[A-Z]+ FAIL' "$OUT" || error_line "$ERR" "$OUT")"
}

# skip_below_kafka_4 <why>: ends the scenario as skipped (exit 77) with a 3.x client.
skip_below_kafka_4() {
  case "$(basename "$(dirname "$KAFKA_HOME")")" in
    3.*) echo "SKIP: $*"; exit 77 ;;
  esac
}

scenario_consumer_protocol_regex() {
  skip_below_kafka_4 "SubscriptionPattern (server-side regular expressions) is Kafka 4.0's"
  local p g; p="$(topic_name rx)"; g="rx-$p"
  group_java 200 regex "$BOOTSTRAP" "$p" "$g"
  grep -qE '^REGEX OK a=10 b=15 ' "$OUT" || fail "regex subscription: $(grep -m1 '^REGEX' "$OUT" || tail -1 "$OUT")"
  # The group shows the expression: kafka-consumer-groups --describe --members lists the 5 partitions.
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g" --state
  grep -q "$g" "$OUT" || fail "--describe --state does not show $g: $(tr '\n' ';' < "$OUT")"
}

# values_seen <files...>: the distinct record values printed by the consumers.
values_seen() { cat "$@" 2>/dev/null | grep -E '^v[0-9]+$' | sort -u | wc -l; }

# wait_values <n> <seconds> <files...>: polls until the consumers printed n distinct values.
wait_values() {
  local n="$1" limit="$2"; shift 2
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(values_seen "$@")" -ge "$n" ] && return 0
    sleep 1
  done
  fail "the consumers printed $(values_seen "$@") distinct values of $n"
}

# wait_committed <group> <topic> <partitions> <seconds>: polls --describe until every
# partition's committed offset is its log end offset (the consumers committed what they read).
wait_committed() {
  local g="$1" t="$2" n="$3" limit="$4"
  local deadline=$((SECONDS + limit))
  while [ $SECONDS -lt $deadline ]; do
    tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g"
    [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t && $4 == $5' "$OUT" | wc -l)" = "$n" ] && return 0
    sleep 1
  done
  fail "committed offsets of $g never reached the log end: $(tr '\n' ';' < "$OUT")"
}

scenario_consumer_protocol_migration() {
  command -v kcat > /dev/null || { echo "SKIP: kcat (the librdkafka classic consumer) is not installed"; exit 77; }
  local t g; t="$(topic_name migrate)"; g="mig-$t"
  create_topic "$t" 6
  produce_lines "$t" 60
  # 1. A classic group: kcat -G (librdkafka's classic protocol) owns the six partitions.
  timeout -k 5 200 kcat -b "$BOOTSTRAP" -G "$g" "$t" -X auto.offset.reset=earliest -X auto.commit.interval.ms=500 \
    -q -u -f '%s\n' > "$SC_DIR/classic.out" 2> "$SC_DIR/classic.err" &
  local k=$!
  wait_members "$g" 60 6 || { kill "$k"; return 1; }
  wait_values 60 60 "$SC_DIR/classic.out" || { kill "$k"; return 1; }
  # 2. A Java consumer with group.protocol=consumer joins: the group is upgraded
  #    online and the partitions are shared 3 + 3, each owned once.
  timeout -k 5 200 "$KAFKA_HOME/bin/kafka-console-consumer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$t" \
    --group "$g" --consumer-property group.protocol=consumer --from-beginning > "$SC_DIR/java.out" 2> "$SC_DIR/java.err" &
  local j=$!
  wait_members "$g" 90 3 3 || { kill "$k" "$j"; return 1; }
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --list --type consumer
  grep -q "^$g\b" "$OUT" || { kill "$k" "$j"; fail "the group was not upgraded: --list --type consumer: $(tr '\n' ';' < "$OUT")"; }
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --describe --group "$g"
  [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t && $7 != "-" { print $3 }' "$OUT" | sort -u | wc -l)" = 6 ] &&
    [ "$(awk -v g="$g" -v t="$t" '$1 == g && $2 == t && $7 != "-" { print $7 }' "$OUT" | sort -u | wc -l)" = 2 ] ||
    { kill "$k" "$j"; fail "upgraded group: not six partitions over two owners: $(tr '\n' ';' < "$OUT")"; }
  seq 61 120 | sed 's/.*/k&:v&/' > "$SC_DIR/more.txt"
  TOOL_STDIN="$SC_DIR/more.txt" tool console-producer 120 --bootstrap-server "$BOOTSTRAP" --topic "$t" \
    --property parse.key=true --property key.separator=: --producer-property acks=all
  wait_values 120 60 "$SC_DIR/classic.out" "$SC_DIR/java.out" || { kill "$k" "$j"; return 1; }
  # Both members' commits land (the classic one's OffsetCommit with its generation).
  wait_committed "$g" "$t" 6 60 || { kill "$k" "$j"; return 1; }
  # 3. The Java consumer leaves: the last consumer-protocol member is gone, the
  #    group is downgraded to classic and kcat owns the six again.
  kill -TERM "$j"; wait "$j" 2>/dev/null
  wait_members "$g" 90 6 || { kill "$k"; return 1; }
  tool consumer-groups 60 --bootstrap-server "$BOOTSTRAP" --list --type classic
  grep -q "^$g\b" "$OUT" || { kill "$k"; fail "the group was not downgraded: --list --type classic: $(tr '\n' ';' < "$OUT")"; }
  seq 121 180 | sed 's/.*/k&:v&/' > "$SC_DIR/last.txt"
  TOOL_STDIN="$SC_DIR/last.txt" tool console-producer 120 --bootstrap-server "$BOOTSTRAP" --topic "$t" \
    --property parse.key=true --property key.separator=: --producer-property acks=all
  wait_values 180 60 "$SC_DIR/classic.out" "$SC_DIR/java.out" || { kill "$k"; return 1; }
  wait_committed "$g" "$t" 6 60 || { kill "$k"; return 1; }
  kill -TERM "$k"; wait "$k" 2>/dev/null
  echo "values: $(values_seen "$SC_DIR/classic.out" "$SC_DIR/java.out") distinct of 180;" \
    "printed $(cat "$SC_DIR/classic.out" "$SC_DIR/java.out" | grep -cE '^v[0-9]+$') (re-reads after a move)"
  return 0
}

# --- transactions (issue 8) beyond the perf-test row: the Java client's exactly-once
# consume-transform-produce, and kafka-transactions on a hanging transaction. The Java
# side is java/txn/TxnScenario.java, compiled per scenario against this release's libs/.
JAVA_SUITE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# txn_java <seconds> <TxnScenario args...>: compiles (once per scenario) and runs it;
# OUT/ERR as for tool(); fails the scenario on a non-zero exit, with its FAIL line.
txn_java() {
  local limit="$1"; shift
  if [ ! -f "$SC_DIR/classes/TxnScenario.class" ]; then
    javac -nowarn -d "$SC_DIR/classes" -cp "$KAFKA_HOME/libs/*" "$JAVA_SUITE_DIR/txn/TxnScenario.java" \
      > "$SC_DIR/javac.out" 2>&1 || fail "javac TxnScenario.java: $(head -3 "$SC_DIR/javac.out" | tr '\n' ' ')"
  fi
  n_tool=$((n_tool + 1))
  local base; base="$SC_DIR/$(printf '%02d' "$n_tool")-TxnScenario-$1"
  echo "TxnScenario $*" > "$base.cmd"
  local rc=0
  CLASSPATH="$SC_DIR/classes" KAFKA_HEAP_OPTS="-Xmx256M" timeout -k 5 "$limit" \
    "$KAFKA_HOME/bin/kafka-run-class.sh" TxnScenario "$@" > "$base.out" 2> "$base.err" < /dev/null || rc=$?
  OUT="$base.out"; ERR="$base.err"
  [ $rc -ne 124 ] || fail "TxnScenario $1 timed out after ${limit} s: $(error_line "$ERR" "$OUT")"
  [ $rc -eq 0 ] || fail "TxnScenario $1 exited $rc: $(grep -m1 '^EOS FAIL' "$OUT" || error_line "$ERR" "$OUT")"
}

# txn_field <file> <column name> <row regex>: the named column of the first row of a
# kafka-transactions table (tab-separated, header first) whose line matches the regex.
txn_field() {
  awk -F'\t' -v col="$2" -v re="$3" '
    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; gsub(/^ +| +$/, "", h); idx[h] = i } next }
    $0 ~ re && (col in idx) { v = $idx[col]; gsub(/^ +| +$/, "", v); print v; exit }' "$1"
}

scenario_transactions_eos() {
  local in out g x; in="$(topic_name eosin)"; out="$(topic_name eosout)"; g="eos-$in"; x="eos-$in"
  create_topic "$in" 2
  create_topic "$out" 2
  txn_java 240 eos "$BOOTSTRAP" "$in" "$out" "$g" "$x" 300
  grep -qE '^EOS OK input=300 output=300 ' "$OUT" || fail "consume-transform-produce: $(grep -m1 '^EOS' "$OUT" || tail -1 "$OUT")"
  local batches; batches="$(sed -n 's/^EOS OK .* batches=\([0-9]*\) .*/\1/p' "$OUT")"
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" list
  [ "$(txn_field "$OUT" TransactionalId "^$x[ \\t]")" = "$x" ] || fail "kafka-transactions list does not show $x: $(tr '\n' ' ' < "$OUT" | cut -c1-200)"
  [ "$(txn_field "$OUT" TransactionState "^$x[ \\t]")" = CompleteCommit ] \
    || fail "list: $x in state '$(txn_field "$OUT" TransactionState "^$x[ \\t]")', expected CompleteCommit"
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" describe --transactional-id "$x"
  [ "$(txn_field "$OUT" TransactionState "$x")" = CompleteCommit ] \
    || fail "describe: state '$(txn_field "$OUT" TransactionState "$x")', expected CompleteCommit: $(tail -1 "$OUT")"
  [ "$(txn_field "$OUT" ProducerId "$x")" -ge 0 ] 2>/dev/null || fail "describe: no producer id: $(tail -1 "$OUT")"
  # Which transaction protocol the client used: with transaction.version 2
  # (Java 4.x, KIP-890 part 2: Produce v12, EndTxn v5) every commit and abort
  # bumps the epoch, so after one InitProducerId it is at least the number of
  # transactions; Java 3.x (version 1) keeps epoch 0.
  local epoch kv; epoch="$(txn_field "$OUT" ProducerEpoch "$x")"; kv="$(basename "$(dirname "$KAFKA_HOME")")"
  if [ "${kv%%.*}" -ge 4 ]; then
    [ "$epoch" -ge "${batches:-1}" ] 2>/dev/null \
      || fail "describe: producer epoch '$epoch' after $batches transactions: the client did not use transaction version 2"
  else
    [ "$epoch" = 0 ] || fail "describe: producer epoch '$epoch', expected 0 (transaction version 1)"
  fi
}

scenario_transactions_abort() {
  local t x; t="$(topic_name hang)"; x="hang-$t"
  create_topic "$t" 1
  txn_java 120 hang "$BOOTSTRAP" "$t" "$x" 3
  grep -qx 'HANGING offset=2' "$OUT" || fail "hanging producer: $(tail -1 "$OUT")"
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" describe-producers --topic "$t" --partition 0
  local pid; pid="$(txn_field "$OUT" ProducerId '^ *[0-9]')"
  [ -n "$pid" ] || fail "describe-producers lists no producer: $(tr '\n' ' ' < "$OUT" | cut -c1-200)"
  [ "$(txn_field "$OUT" CurrentTransactionStartOffset '^ *[0-9]')" = 0 ] \
    || fail "describe-producers: CurrentTransactionStartOffset '$(txn_field "$OUT" CurrentTransactionStartOffset '^ *[0-9]')', expected 0"
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" describe --transactional-id "$x"
  [ "$(txn_field "$OUT" TransactionState "$x")" = Ongoing ] || fail "describe: state '$(txn_field "$OUT" TransactionState "$x")', expected Ongoing"
  [[ ",$(txn_field "$OUT" TopicPartitions "$x" | tr -d ' ')," == *",$t-0,"* ]] \
    || fail "describe: $t-0 not among the transaction's partitions: $(tail -1 "$OUT")"
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" list
  [ "$(txn_field "$OUT" TransactionState "^$x[ \\t]")" = Ongoing ] || fail "list: $x in state '$(txn_field "$OUT" TransactionState "^$x[ \\t]")', expected Ongoing"
  # A read_committed reader is stuck below the open transaction: nothing is readable yet.
  tool get-offsets 60 --bootstrap-server "$BOOTSTRAP" --topic "$t" --time -1
  grep -qx "$t:0:3" "$OUT" || fail "log end offset with the open transaction: $(cat "$OUT")"
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" abort --topic "$t" --partition 0 --start-offset 0
  tool transactions 60 --bootstrap-server "$BOOTSTRAP" describe-producers --topic "$t" --partition 0
  # No open transaction: the tool prints "None" (OptionalLong.empty()).
  [ "$(txn_field "$OUT" CurrentTransactionStartOffset "^ *$pid[ \\t]")" = None ] \
    || fail "after abort: CurrentTransactionStartOffset '$(txn_field "$OUT" CurrentTransactionStartOffset "^ *$pid[ \\t]")', expected None"
  produce_lines "$t" 5
  tool console-consumer 90 --bootstrap-server "$BOOTSTRAP" --topic "$t" --partition 0 --offset earliest \
    --isolation-level read_committed --max-messages 5 --timeout-ms 30000 --property print.key=true --property key.separator=:
  grep -q 'Processed a total of 5 messages' "$ERR" || fail "read_committed after abort: $(grep -m1 Processed "$ERR" || error_line "$ERR")"
  grep -q 'open' "$OUT" && fail "read_committed consumer read a record of the aborted transaction"
  grep -E '^k[0-9]+:v[0-9]+$' "$OUT" > "$SC_DIR/consumed.txt" || true
  cmp -s "$SC_DIR/consumed.txt" "$SC_DIR/input-$t.txt" || fail "read_committed after abort: not the 5 records produced after it"
}
