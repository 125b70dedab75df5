#!/usr/bin/env bash
# Issue 19 figures: one day's reconciliation with a trade bill of LINES lines (the sandbox's synthetic payments, the
# same payments in the store's ledger), ROUNDS times: the time, the host's storage requests per bill line and peak
# working set, against a floor in the same run (the same storage reads and writes and the same file, no host, no
# matching; see ReconciliationBench). Writes tests/bench/results/reconciliation.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
lines="${LINES:-100000}" rounds="${ROUNDS:-3}"
out="tests/bench/results/reconciliation.md"
start_store
sandbox_url="http://127.0.0.1:$((BENCH_HOST_PORT + 1))"
result="$("${LOAD[@]}" reconcile --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox "$sandbox_url" --storage "$BENCH_STORAGE" --lines "$lines" --requests "$rounds")"
store=() floor=()
while IFS= read -r line; do
  case "$line" in
    store:*) store+=("${line#store: }") ;;
    floor:*) floor+=("${line#floor: }") ;;
  esac
done <<<"$result"
store_s="$(median_of seconds "${store[@]}")" floor_s="$(median_of seconds "${floor[@]}")"
{
  echo "# Reconciliation figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/reconciliation.sh\` (LINES=$lines ROUNDS=$rounds); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| bill lines | $lines |"
  echo "| seconds through the store (fetch, archive, SHA1, stream and match, write the result) | $store_s |"
  echo "| floor: the same storage reads and writes, and the same file decompressed and split, no host | $floor_s |"
  echo "| store / floor | $(awk -v a="$store_s" -v b="$floor_s" 'BEGIN { printf "%.2f", a / b }') |"
  echo "| storage requests per bill line (target ≤ 1) | $(median_of storage_per_line "${store[@]}") |"
  echo "| host peak working set, MB (the whole host process) | $(median_of peak_mb "${store[@]}") |"
  echo
  echo "Raw rounds:"
  for ((r = 0; r < ${#store[@]}; r++)); do echo "- store: ${store[$r]}"; echo "- floor: ${floor[$r]}"; done
} | tee "$out"
