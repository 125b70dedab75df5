#!/usr/bin/env bash
# Issue 10, one command: every scenario against the running local host, each on a fresh store at a size and at twice
# that size (the host's peak memory must stay flat), each followed by the invariant checker over the whole store and
# the sandbox's WeChat Pay records; a mixed day with Azurite stopped and restarted in the middle; then the order and
# notification throughput against their storage floors (orders.sh, notify.sh, same machine, same run).
# Writes tests/bench/results/scenarios.md, which the README's performance section quotes. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
buyers="${BUYERS:-1000}" storm="${STORM:-100}" scans="${SCANS:-10000}" visits="${VISITS:-300}" restarts="${RESTARTS:-3}"
out="tests/bench/results/scenarios.md"
sandbox_url="http://127.0.0.1:$((BENCH_HOST_PORT + 1))"
work="$(mktemp -d /tmp/westore-scenarios-XXXXXX)"

# The checker over the whole store: prints its summary line and any violation.
check() { "${LOAD[@]}" check --storage "$BENCH_STORAGE" --sandbox "$sandbox_url" --settle-seconds 120 || true; }

# A scenario that broke an invariant leaves the store's log (the host's warnings say what failed and was retried)
# and its Azurite data (the rows the checker named), under tests/bench/results/logs (not committed).
keep_log_if_violated() {
  if grep -q 'VIOLATED' "$1"; then
    local kept="tests/bench/results/logs/$(basename "$1")"
    mkdir -p "$kept"
    cp "$WESTORE_DATA_DIR.log" "$kept/host.log"
    cp -r "$WESTORE_DATA_DIR/azurite" "$kept/azurite" 2>/dev/null || true
    say "$(basename "$1"): an invariant broke; the store's log and data are in $kept"
  fi
}

# run_scenario NAME SIZE COMMAND ARGS...: a fresh store, the scenario, the checker; the output goes to $work/NAME-SIZE.
run_scenario() {
  local name=$1 size=$2; shift 2
  say "scenario $name at $size"
  start_store
  set -- "${@//@DATA@/$WESTORE_DATA_DIR}" # the store's data folder exists only now
  { "${LOAD[@]}" "$@" --url "$BENCH_URL" --key "$Host__MasterKey" --requests "$size" --warmup 0 || true; check; } >"$work/$name-$size" 2>&1
  keep_log_if_violated "$work/$name-$size"
  stop_store
}

# The notification storm runs with 5% storage faults in the host: 2% 503s, 2% lost responses, 1% timeouts.
storm_run() {
  export Storage__Faults__ErrorRate=0.02 Storage__Faults__DropRate=0.02 Storage__Faults__TimeoutRate=0.01 Storage__Faults__TimeoutMs=50
  run_scenario storm "$1" storm --sandbox "$sandbox_url" --sandbox-data "@DATA@/sandbox" --appid "${WeChat__AppId:-wx5e57000000000001}" \
    --concurrency 16 --seconds 300
  unset Storage__Faults__ErrorRate Storage__Faults__DropRate Storage__Faults__TimeoutRate Storage__Faults__TimeoutMs
}

# A mixed day of 60 s during which Azurite is stopped (SIGTERM: it saves and exits) at 20 s, and started again on its
# data 5 s later. Visits keep coming throughout; steps that fail are retried as the Mini Program and WeChat Pay would.
# The visits in flight at the 60 s deadline are cut off (the shopper hangs up). Run RESTARTS times.
restart_run() {
  say "scenario restart $1"
  start_store
  local log="$work/restart-$1" azurite pid
  "${LOAD[@]}" mixed --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox "$sandbox_url" --requests 100000 --warmup 0 \
    --concurrency 16 --seconds 60 --settle-seconds 180 >"$log" 2>&1 &
  pid=$!
  sleep 20
  azurite="$(pgrep -f "azurite.js.*--tablePort $((BENCH_AZURITE_PORT + 2))" | head -n 1)"
  [[ -n "$azurite" ]] || die "no Azurite to stop"
  echo "restart: Azurite stopped at $(date -u +%T)" >>"$log.events"
  stop_pid "$azurite"
  sleep 5
  azurite="$(start_azurite "$BENCH_AZURITE_PORT" "$WESTORE_DATA_DIR/azurite" "$WESTORE_DATA_DIR.azurite-restarted.log")"
  echo "restart: Azurite started again at $(date -u +%T)" >>"$log.events"
  wait "$pid" || true
  check >>"$log" 2>&1
  keep_log_if_violated "$log"
  stop_store
  stop_pid "$azurite"
}

run_scenario flash "$buyers" flash --sandbox "$sandbox_url" --shoppers "$buyers" --stock 100 --concurrency 64 --seconds 300
run_scenario flash $((buyers * 2)) flash --sandbox "$sandbox_url" --shoppers $((buyers * 2)) --stock 100 --concurrency 64 --seconds 300
storm_run "$storm"
storm_run $((storm * 2))
run_scenario spike "$scans" scans --shoppers 500 --concurrency 64 --seconds 300
run_scenario spike $((scans * 2)) scans --shoppers 500 --concurrency 64 --seconds 300
# The mixed days' unpaid orders close within their run. Not the storm's: its orders are all placed first, and a
# placement retried for 30 s under faults (an abandoned hold is adopted only then) would let the last ones expire.
export Orders__PaymentWindowMinutes=1
run_scenario mixed "$visits" mixed --sandbox "$sandbox_url" --concurrency 16 --seconds 300 --settle-seconds 180
run_scenario mixed $((visits * 2)) mixed --sandbox "$sandbox_url" --concurrency 16 --seconds 300 --settle-seconds 180
for ((i = 1; i <= restarts; i++)); do restart_run "$i"; done
unset Orders__PaymentWindowMinutes
if [[ "${FLOORS:-1}" == 1 ]]; then # FLOORS=0 skips them (a quick try of the scenarios)
  say "orders and notifications against their floors"
  bash tests/bench/orders.sh >"$work/orders" 2>&1
  bash tests/bench/notify.sh >"$work/notify" 2>&1
fi

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2" | tail -n 1; }
outcome() { grep -E "^(flash|storm|mixed): .*(OK|VIOLATED)" "$1" | tail -n 1 || echo "no outcome (see the raw output)"; }
invariants() { grep '^invariants:' "$1" | tail -n 1 | sed 's/^invariants: //' || echo "not checked (see the raw output)"; }
row() { # label size file
  echo "| $1 | $2 | $(outcome "$3") | $(field rps "$3") | $(field p50 "$3") / $(field p99 "$3") | $(field peak_mb "$3") | $(invariants "$3") |"
}
spike_row() {
  echo "| scan spike, one code | $1 | $(grep -o 'statuses .*' "$work/spike-$1" | head -n 1) | $(field rps "$work/spike-$1") | $(field p50 "$work/spike-$1") / $(field p99 "$work/spike-$1") | $(field peak_mb "$work/spike-$1") | $(invariants "$work/spike-$1") |"
}
ratio_line() { grep -E "^\| ratio store / floor" "$1" 2>/dev/null | sed 's/^| ratio store \/ floor | \(.*\) |$/\1/' || echo "not measured"; }
{
  echo "# Scenario figures ($(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/scenarios.sh\` (BUYERS=$buyers STORM=$storm SCANS=$scans VISITS=$visits RESTARTS=$restarts; Azurite lookups: ${WESTORE_AZURITE_LOOKUP:-as published})."
  echo "Each run on a fresh store; after each, \`WeStore.Load check\` over the whole store and the sandbox's WeChat Pay records."
  echo
  echo "| scenario | size | outcome | per s | p50 / p99 ms | host peak MB | invariants |"
  echo "|---|---|---|---|---|---|---|"
  row "flash sale, stock 100, c=64" "$buyers buyers" "$work/flash-$buyers"
  row "flash sale, stock 100, c=64" "$((buyers * 2)) buyers" "$work/flash-$((buyers * 2))"
  row "notification storm, 5% storage faults" "$storm orders" "$work/storm-$storm"
  row "notification storm, 5% storage faults" "$((storm * 2)) orders" "$work/storm-$((storm * 2))"
  spike_row "$scans"
  spike_row $((scans * 2))
  row "mixed day" "$visits visits" "$work/mixed-$visits"
  row "mixed day" "$((visits * 2)) visits" "$work/mixed-$((visits * 2))"
  for ((i = 1; i <= restarts; i++)); do row "mixed day, Azurite stopped 5 s and restarted ($i of $restarts)" "60 s of visits" "$work/restart-$i"; done
  echo
  echo "Host peak memory at double size: flash $(ratio "$(field peak_mb "$work/flash-$((buyers * 2))")" "$(field peak_mb "$work/flash-$buyers")")×," \
    "storm $(ratio "$(field peak_mb "$work/storm-$((storm * 2))")" "$(field peak_mb "$work/storm-$storm")")×," \
    "scan spike $(ratio "$(field peak_mb "$work/spike-$((scans * 2))")" "$(field peak_mb "$work/spike-$scans")")×," \
    "mixed day $(ratio "$(field peak_mb "$work/mixed-$((visits * 2))")" "$(field peak_mb "$work/mixed-$visits")")×."
  echo
  echo "Throughput against the raw storage floor (the same storage operations straight at the same Azurite, rounds interleaved):"
  echo "orders $(ratio_line "$work/orders") (\`tests/bench/results/orders.md\`), notifications $(ratio_line "$work/notify") (\`tests/bench/results/notify.md\`)."
  echo
  echo "Per-step statuses of the mixed days:"
  for f in "$work/mixed-$visits" "$work/mixed-$((visits * 2))" "$work"/restart-[0-9]*; do
    [[ "$f" == *.events ]] && continue
    echo "- $(basename "$f"): $(grep '^mixed: .*login ' "$f" | head -n 1 | sed 's/^mixed: //')"
    [[ -f "$f.events" ]] && sed 's/^/  - /' "$f.events"
  done
  echo
  if grep -h '^  violation:' "$work"/* >/dev/null 2>&1; then
    echo "Violations (first 20):"
    grep -h '^  violation:' "$work"/* | head -n 20 | sed 's/^  violation: /- /'
    echo
  fi
  echo "Raw summaries:"
  for f in "$work"/flash-* "$work"/storm-* "$work"/spike-* "$work"/mixed-* "$work"/restart-*; do
    [[ "$f" == *.events ]] && continue
    echo "- $(basename "$f"): $(grep -E '^rps=' "$f" | tail -n 1)"
  done
} | tee "$out"
rm -rf "$work"
