#!/usr/bin/env bash
# Sets up and runs every test: installs the pinned Azurite, builds, starts the servers the tests need on
# loopback (stopped by pid on exit), runs the test projects, and prints "N passed, N failed" from the TRX files.
set -euo pipefail
cd "$(dirname "$0")"
source infra/local/lib.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
require_tools
ensure_azurite

results="$WESTORE_ROOT/TestResults"
rm -rf "$results"
mkdir -p "$results"
summary="$results/summary.txt"
echo "0 passed, 0 failed" >"$summary"

say "building (Debug)"
dotnet build Functions.sln -c Debug -nologo -clp:ErrorsOnly -v:quiet || { say "the build failed"; exit 1; }

azurite_base="${WESTORE_TEST_AZURITE_PORT:-10100}"
azurite_pid=""
cleanup() { stop_pid "$azurite_pid"; }
trap cleanup EXIT INT TERM
say "starting Azurite in memory on 127.0.0.1:$azurite_base-$((azurite_base + 2))"
azurite_pid="$(start_azurite "$azurite_base" memory "$results/azurite.log")"
export WESTORE_TEST_STORAGE
WESTORE_TEST_STORAGE="$(azurite_connection_string "$azurite_base" $((azurite_base + 1)) $((azurite_base + 2)))"

say "running the tests"
set +e
dotnet test Functions.sln -c Debug --no-build --results-directory "$results" --logger "trx" --logger "console;verbosity=minimal" "$@"
test_status=$?
set -e

passed=0 failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  t="$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")"
  a="$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done
if ((test_status != 0 && failed == 0)); then
  # The runner failed without recording a failed test (a crash, a build error): count it as one failure.
  failed=1
fi
echo "$passed passed, $failed failed" >"$summary"
echo "$passed passed, $failed failed"
((failed == 0))
