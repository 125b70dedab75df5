#!/usr/bin/env bash
# Issue 2 figures, measured in one run on this machine:
#  - start-up to first 200: the local host (hosting tests/TestFunctionApp, GET /api/ping) vs a bare ASP.NET Core
#    minimal API (tests/bench/BareApi, same route and body), both started as `dotnet X.dll`; median of N runs each,
#    interleaved so that machine noise hits both alike;
#  - ./run.sh start (after the first build) to GET /api/health = 200; median of N;
#  - requests per second for the trivial function through the local host vs the bare app (WeStore.Load), median of
#    R rounds each, interleaved.
# Writes tests/bench/results/foundation.md. Loopback only; every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/local/lib.sh
runs="${RUNS:-5}" rounds="${ROUNDS:-3}" concurrency="${CONCURRENCY:-16}" seconds="${SECONDS_PER_ROUND:-8}"
out="tests/bench/results/foundation.md"

require_tools
ensure_azurite
dotnet build Functions.sln -c Release -nologo -clp:ErrorsOnly -v:quiet >&2

pids=()
cleanup() { local p; for p in "${pids[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT
azurite_pid="$(start_azurite 10200 memory /tmp/westore-bench-azurite.log)"
pids+=("$azurite_pid")
export AzureWebJobsStorage="$(azurite_connection_string 10200 10201 10202)"
export Host__MasterKey="bench-key"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# start_and_time <url> <command...>: prints ms from spawn to the first 200 at url, then stops the process.
start_and_time() {
  local url=$1; shift
  local t0 pid code i
  t0=$(now_ms)
  "$@" >/dev/null 2>&1 &
  pid=$!
  for ((i = 0; i < 3000; i++)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)"
    [[ "$code" == 200 ]] && break
    sleep 0.01
  done
  echo $(($(now_ms) - t0))
  stop_pid "$pid"
}

host_dll=infra/local/WeStore.LocalHost/bin/Release/net10.0/WeStore.LocalHost.dll
app_dll=tests/TestFunctionApp/bin/Release/net10.0/TestFunctionApp.dll
bare_dll=tests/bench/BareApi/bin/Release/net10.0/BareApi.dll
load_dll=tests/WeStore.Load/bin/Release/net10.0/WeStore.Load.dll

say "start-up, $runs runs each"
host_times=() bare_times=()
for ((r = 0; r < runs; r++)); do
  bare_times+=("$(WESTORE_HOST_URL=http://127.0.0.1:7171 start_and_time http://127.0.0.1:7171/api/ping dotnet "$bare_dll")")
  host_times+=("$(WESTORE_HOST_URL=http://127.0.0.1:7172 start_and_time http://127.0.0.1:7172/api/ping dotnet "$host_dll" --app "$app_dll")")
done
host_start="$(printf '%s\n' "${host_times[@]}" | median)"
bare_start="$(printf '%s\n' "${bare_times[@]}" | median)"

say "./run.sh to /api/health = 200, $runs runs"
run_times=()
for ((r = 0; r < runs; r++)); do
  t0=$(now_ms)
  WESTORE_HOST_PORT=7173 WESTORE_AZURITE_PORT=10210 AzureWebJobsStorage= ./run.sh >/dev/null 2>&1 &
  run_pid=$!
  for ((i = 0; i < 6000; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:7173/api/health 2>/dev/null || true)" == 200 ]] && break
    sleep 0.01
  done
  run_times+=($(($(now_ms) - t0)))
  kill -TERM "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
done
run_start="$(printf '%s\n' "${run_times[@]}" | median)"

say "throughput, $rounds rounds each, concurrency $concurrency, ${seconds}s per round"
WESTORE_HOST_URL=http://127.0.0.1:7171 dotnet "$bare_dll" >/dev/null 2>&1 & bare_pid=$!; pids+=("$bare_pid")
WESTORE_HOST_URL=http://127.0.0.1:7172 dotnet "$host_dll" --app "$app_dll" >/dev/null 2>&1 & host_pid=$!; pids+=("$host_pid")
for port in 7171 7172; do
  for ((i = 0; i < 3000; i++)); do [[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/api/ping || true)" == 200 ]] && break; sleep 0.01; done
done
host_rps=() bare_rps=() host_lines=() bare_lines=()
for ((r = 0; r < rounds; r++)); do
  line="$(dotnet "$load_dll" get --url http://127.0.0.1:7171 --path /api/ping --concurrency "$concurrency" --requests 10000000 --seconds "$seconds" --warmup 2000 | tail -n 1)"
  bare_rps+=("$(sed -n 's/^rps=\([0-9.]*\).*/\1/p' <<<"$line")"); bare_lines+=("$line")
  line="$(dotnet "$load_dll" get --url http://127.0.0.1:7172 --path /api/ping --concurrency "$concurrency" --requests 10000000 --seconds "$seconds" --warmup 2000 | tail -n 1)"
  host_rps+=("$(sed -n 's/^rps=\([0-9.]*\).*/\1/p' <<<"$line")"); host_lines+=("$line")
done
host_rps_m="$(printf '%s\n' "${host_rps[@]}" | median)"
bare_rps_m="$(printf '%s\n' "${bare_rps[@]}" | median)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
{
  echo "# Foundation figures ($(date -u +%Y-%m-%d), $(nproc) cores, $(dotnet --version), Release)"
  echo
  echo "Command: \`bash tests/bench/foundation.sh\` (RUNS=$runs ROUNDS=$rounds CONCURRENCY=$concurrency SECONDS_PER_ROUND=$seconds)"
  echo
  echo "| figure | local host | bare minimal API | ratio | target |"
  echo "|---|---|---|---|---|"
  echo "| start-up to first 200, median ms | $host_start | $bare_start | $(ratio "$host_start" "$bare_start")x | <= 2x |"
  echo "| trivial GET, median req/s (c=$concurrency) | $host_rps_m | $bare_rps_m | $(ratio "$host_rps_m" "$bare_rps_m")x | >= 0.9x |"
  echo
  echo "\`./run.sh\` start (after the first build) to \`/api/health\` = 200: median ${run_start} ms (runs: ${run_times[*]})."
  echo
  echo "Raw start-up ms: local host ${host_times[*]}; bare ${bare_times[*]}."
  echo
  echo "Raw throughput rounds (load tool and servers share the 2 cores):"
  for ((r = 0; r < rounds; r++)); do echo "- bare: ${bare_lines[$r]}; local host: ${host_lines[$r]}"; done
} | tee "$out"
