#!/usr/bin/env bash
# Issue 10 scenarios against the running local host (each size on a fresh store, so the host's peak memory is the
# scenario's own): a flash sale (BUYERS buyers, stock 100, concurrency 64; exactly 100 orders, all paid, the rest
# 409) at BUYERS and twice as many, and a scan spike on one QR code at SCANS and twice as many. The host's peak
# working set must stay flat as the size doubles. Writes tests/bench/results/scenarios.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
buyers="${BUYERS:-1000}" scans="${SCANS:-10000}"
out="tests/bench/results/scenarios.md"
sandbox_url="http://127.0.0.1:$((BENCH_HOST_PORT + 1))"

flash() { # buyers -> summary lines
  start_store
  "${LOAD[@]}" flash --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox "$sandbox_url" --shoppers "$1" --stock 100 \
    --concurrency 64 --requests "$1" --seconds 300 --warmup 0 | tail -n 2
  stop_store
}
spike() { # scans -> summary line
  start_store
  "${LOAD[@]}" scans --url "$BENCH_URL" --key "$Host__MasterKey" --shoppers 500 --concurrency 64 --requests "$1" --seconds 300 --warmup 0 | tail -n 2
  stop_store
}

f1="$(flash "$buyers")"; f2="$(flash $((buyers * 2)))"
s1="$(spike "$scans")"; s2="$(spike $((scans * 2)))"
peak() { sed -n 's/.*peak_mb=\([0-9.]*\).*/\1/p' <<<"$1" | tail -n 1; }
{
  echo "# Scenario figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/scenarios.sh\` (BUYERS=$buyers SCANS=$scans). Each run on a fresh store."
  echo
  echo "| scenario | size | result | orders or scans/s | host peak working set MB |"
  echo "|---|---|---|---|---|"
  echo "| flash sale | $buyers buyers | $(grep '^flash:' <<<"$f1") | $(median_of rps "$f1") | $(peak "$f1") |"
  echo "| flash sale | $((buyers * 2)) buyers | $(grep '^flash:' <<<"$f2") | $(median_of rps "$f2") | $(peak "$f2") |"
  echo "| scan spike, one code | $scans scans | all 2xx: $(grep -c 'statuses 200x' <<<"$s1" || true) | $(median_of rps "$s1") | $(peak "$s1") |"
  echo "| scan spike, one code | $((scans * 2)) scans | all 2xx: $(grep -c 'statuses 200x' <<<"$s2" || true) | $(median_of rps "$s2") | $(peak "$s2") |"
  echo
  echo "Peak memory ratio at double size: flash $(ratio "$(peak "$f2")" "$(peak "$f1")"), scans $(ratio "$(peak "$s2")" "$(peak "$s1")")."
  echo
  echo "Raw:"
  for line in "$f1" "$f2" "$s1" "$s2"; do echo '```'; echo "$line"; echo '```'; done
} | tee "$out"
