#!/usr/bin/env bash
# Issue 3 figures: login latency (p50/p99) at concurrency 16 through the local host, with the WeChat sandbox and
# Azurite as ./run.sh starts them (Release build), for new and for returning shoppers, and storage requests per
# login read from the app's request counter. Writes tests/bench/results/login.md. Loopback only, bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/local/lib.sh
concurrency="${CONCURRENCY:-16}" requests="${REQUESTS:-5000}" rounds="${ROUNDS:-3}"
out="tests/bench/results/login.md"
dotnet build tests/WeStore.Load -c Release -nologo -clp:ErrorsOnly -v:quiet >&2

export WESTORE_CONFIGURATION=Release WESTORE_HOST_PORT=7181 WESTORE_SANDBOX_PORT=7182 WESTORE_AZURITE_PORT=10220
export Host__MasterKey="bench-$(date +%s)"
# A fresh store each run: Azurite's on-disk store slows as it grows, which would skew later runs.
export WESTORE_DATA_DIR="$(mktemp -d /tmp/westore-bench-XXXXXX)"
./run.sh >/tmp/westore-login-bench.log 2>&1 &
run_pid=$!
trap 'kill -TERM $run_pid 2>/dev/null; wait $run_pid 2>/dev/null || true; rm -rf "$WESTORE_DATA_DIR"' EXIT
for ((i = 0; i < 1200; i++)); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:7181/api/health || true)" == 200 ]] && break
  kill -0 "$run_pid" 2>/dev/null || die "run.sh exited (see /tmp/westore-login-bench.log)"
  sleep 0.1
done

load=(dotnet tests/WeStore.Load/bin/Release/net10.0/WeStore.Load.dll login --url http://127.0.0.1:7181 --key "$Host__MasterKey"
  --concurrency "$concurrency" --requests "$requests" --seconds 60 --warmup 500)
lines_new=() lines_ret=()
for ((r = 0; r < rounds; r++)); do
  lines_new+=("$("${load[@]}" | tail -n 1)")
  lines_ret+=("$("${load[@]}" --returning | tail -n 1)")
done
median_of() { # field lines...
  local field=$1; shift
  printf '%s\n' "$@" | sed -n "s/.*$field=\([0-9.]*\).*/\1/p" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
{
  echo "# Login figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/login.sh\` (CONCURRENCY=$concurrency REQUESTS=$requests ROUNDS=$rounds); medians of the rounds."
  echo
  echo "| shoppers | logins/s | p50 ms | p99 ms | storage requests per login | target |"
  echo "|---|---|---|---|---|---|"
  echo "| new | $(median_of rps "${lines_new[@]}") | $(median_of p50 "${lines_new[@]}") | $(median_of p99 "${lines_new[@]}") | $(median_of storage_per_request "${lines_new[@]}") | <= 2 |"
  echo "| returning | $(median_of rps "${lines_ret[@]}") | $(median_of p50 "${lines_ret[@]}") | $(median_of p99 "${lines_ret[@]}") | $(median_of storage_per_request "${lines_ret[@]}") | <= 2 |"
  echo
  echo "Raw rounds:"
  for ((r = 0; r < rounds; r++)); do echo "- new: ${lines_new[$r]}"; echo "- returning: ${lines_ret[$r]}"; done
} | tee "$out"
