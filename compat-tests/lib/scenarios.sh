# run_scenarios <scenarios.tsv> <only (comma list, or empty)> <seconds each> <command...>
# Starts a broker, then runs `<command...> <scenario> <bootstrap>` once per row
# of the tsv (name, action, waits_for, ci, what), each under its own deadline.
# The command exits 0 on success, 77 when the scenario does not apply (its
# "SKIP: " line says why); otherwise its first "FAIL: " line on
# stderr/stdout is the failure's detail. Needs lib/common.sh sourced.
run_scenarios() {
  local tsv="$1" only="$2" limit="$3"; shift 3
  trap 'broker_stop' EXIT
  trap 'exit 143' TERM INT
  local name action waits ci what t0 rc secs detail log
  while IFS=$'\t' read -r name action waits ci what; do
    [ "$COMPAT_MODE" != ci ] || [ "$ci" = ci ] || continue
    [ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || continue
    [ "$action" != run ] || plan_tests "$name"
  done < <(lines_of "$tsv")
  if ! broker_start "$SUITE_DIR/broker"; then
    fail_unreported "broker not available: $(tail -1 "$BROKER_LOG")"
    return 0
  fi
  mkdir -p "$SUITE_DIR/logs"
  while IFS=$'\t' read -r name action waits ci what; do
    [ "$COMPAT_MODE" != ci ] || [ "$ci" = ci ] || continue
    [ -z "$only" ] || [[ ",$only," == *",$name,"* ]] || continue
    if [ "$action" != run ]; then result "$name" excluded 0 "$what (waits for: $waits)"; continue; fi
    log="$SUITE_DIR/logs/$name.log"
    t0=$(date +%s%N); rc=0
    timeout -k 10 "$limit" "$@" "$name" "$BOOTSTRAP" > "$log" 2>&1 < /dev/null || rc=$?
    secs="$(( ($(date +%s%N) - t0) / 1000000 ))"; secs="$((secs / 1000)).$(printf '%03d' $((secs % 1000)))"
    if [ $rc -eq 0 ]; then
      result "$name" pass "$secs" ""
    elif [ $rc -eq 77 ]; then  # the scenario does not apply to this client (SKIP: why)
      result "$name" skip "$secs" "$(grep -m1 '^SKIP: ' "$log" | sed 's/^SKIP: //' || true)"
    else
      detail="$(grep -m1 '^FAIL: ' "$log" | sed 's/^FAIL: //' || true)"
      [ $rc -ne 124 ] || detail="scenario exceeded ${limit} s${detail:+: $detail}"
      [ -n "$detail" ] || detail="exit $rc: $(grep -v '^\s*$' "$log" | tail -1 || true)"
      if ! broker_alive; then
        detail="$(broker_death_note); $detail"
        cp "$BROKER_LOG" "$SUITE_DIR/broker-crash-$name.log" || true
        broker_start "$SUITE_DIR/broker" || true
      fi
      [ "$waits" = - ] || detail="$detail [waits for: $waits]"
      result "$name" fail "$secs" "$detail"
    fi
    compat_log "$name: $(tail -1 "$RESULTS_FILE" | cut -f2,4)"
  done < <(lines_of "$tsv")
}
