#!/usr/bin/env bash
# Sets up and runs every test: installs the pinned Azurite, builds, starts the servers the tests need on
# loopback (stopped by pid on exit), runs the test projects, and prints "N passed, N failed" from the TRX files.
set -euo pipefail
cd "$(dirname "$0")"
source infra/local/lib.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
require_tools
ensure_azurite
ensure_console_assets
ensure_console_test_tools

results="$WESTORE_ROOT/TestResults"
rm -rf "$results"
mkdir -p "$results"
summary="$results/summary.txt"
echo "0 passed, 0 failed" >"$summary"

say "building (Debug)"
dotnet build Functions.sln -c Debug -nologo -clp:ErrorsOnly -v:quiet || { say "the build failed"; exit 1; }

azurite_base="${WESTORE_TEST_AZURITE_PORT:-10100}"
azurite_pids=()
cleanup() { local p; for p in "${azurite_pids[@]}"; do stop_pid "$p"; done; }
trap cleanup EXIT INT TERM
# Two emulators: Azurite serves requests on one thread, and with one the suite waits on it while the second core
# idles. Stores are spread over both (each store's tables and queues live on one). Both run the copy of Azurite whose
# point lookups use the narrower key index and whose queue receives do not rebuild every index of the account's
# messages (ensure_indexed_azurite in infra/local/lib.sh): as published, both costs grow with everything the
# suite's stores have written, and the suite ends up waiting on the emulator. WESTORE_AZURITE_LOOKUP= runs it as published.
export WESTORE_AZURITE_LOOKUP="${WESTORE_AZURITE_LOOKUP-indexed}"
say "starting two Azurites in memory on 127.0.0.1:$azurite_base-$((azurite_base + 5))"
azurite_pids+=("$(start_azurite "$azurite_base" memory "$results/azurite.log")")
azurite_pids+=("$(start_azurite $((azurite_base + 3)) memory "$results/azurite-2.log")")
export WESTORE_TEST_STORAGE WESTORE_TEST_STORAGE_2
WESTORE_TEST_STORAGE="$(azurite_connection_string "$azurite_base" $((azurite_base + 1)) $((azurite_base + 2)))"
WESTORE_TEST_STORAGE_2="$(azurite_connection_string $((azurite_base + 3)) $((azurite_base + 4)) $((azurite_base + 5)))"

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
