#!/usr/bin/env bash
# Shared by the bench scripts: runs the store with ./run.sh (Release, a fresh data folder, its own ports) and stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source infra/local/lib.sh

BENCH_HOST_PORT="${BENCH_HOST_PORT:-7181}"
BENCH_AZURITE_PORT="${BENCH_AZURITE_PORT:-10220}"
BENCH_URL="http://127.0.0.1:$BENCH_HOST_PORT"
BENCH_STORAGE="$(azurite_connection_string "$BENCH_AZURITE_PORT" $((BENCH_AZURITE_PORT + 1)) $((BENCH_AZURITE_PORT + 2)))"
LOAD=(dotnet tests/WeStore.Load/bin/Release/net10.0/WeStore.Load.dll)
# Benchmarks run Azurite with entity point lookups through the narrower key index (see ensure_indexed_azurite in
# infra/local/lib.sh): as published, a point read of a row key every partition shares ("points", "profile") walks all
# such rows, so the store's figures would fall as its tables grow while the floor's small tables stay fast.
# WESTORE_AZURITE_LOOKUP= runs a bench on Azurite as published.
export WESTORE_AZURITE_LOOKUP="${WESTORE_AZURITE_LOOKUP-indexed}"

start_store() {
  dotnet build tests/WeStore.Load -c Release -nologo -clp:ErrorsOnly -v:quiet >&2
  export WESTORE_CONFIGURATION=Release WESTORE_HOST_PORT="$BENCH_HOST_PORT" WESTORE_SANDBOX_PORT=$((BENCH_HOST_PORT + 1)) WESTORE_AZURITE_PORT="$BENCH_AZURITE_PORT"
  export Host__MasterKey="bench-$(date +%s)"
  # A fresh store each run: Azurite's on-disk store slows as it grows, which would skew later runs.
  export WESTORE_DATA_DIR="$(mktemp -d /tmp/westore-bench-XXXXXX)"
  ./run.sh >"$WESTORE_DATA_DIR.log" 2>&1 &
  STORE_PID=$!
  trap stop_store EXIT
  local i
  for ((i = 0; i < 1200; i++)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BENCH_URL/api/health" || true)" == 200 ]] && return 0
    kill -0 "$STORE_PID" 2>/dev/null || die "run.sh exited (see $WESTORE_DATA_DIR.log)"
    sleep 0.1
  done
  die "the store did not become healthy"
}

stop_store() {
  kill -TERM "$STORE_PID" 2>/dev/null || true
  wait "$STORE_PID" 2>/dev/null || true
  rm -rf "$WESTORE_DATA_DIR" "$WESTORE_DATA_DIR.log"
}

# median_of FIELD LINES...: the median of FIELD=value across the load tool's summary lines.
median_of() {
  local field=$1; shift
  printf '%s\n' "$@" | sed -n "s/.*$field=\([0-9.]*\).*/\1/p" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
