#!/usr/bin/env bash
# Issue 4 figures: orders per second at concurrency 32 through the local host (login, sandbox prepay and Azurite
# as ./run.sh starts them, Release), against the floor: the same storage operations issued straight at the same
# Azurite by the load tool, in the same run, rounds interleaved. Also storage requests and host CPU time per order.
# Writes tests/bench/results/orders.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
concurrency="${CONCURRENCY:-32}" requests="${REQUESTS:-3000}" rounds="${ROUNDS:-3}"
out="tests/bench/results/orders.md"
start_store

store=() floor=()
for ((r = 0; r < rounds; r++)); do
  store+=("$("${LOAD[@]}" orders --url "$BENCH_URL" --key "$Host__MasterKey" --concurrency "$concurrency" --requests "$requests" --seconds 90 --warmup 300 | tail -n 1)")
  floor+=("$("${LOAD[@]}" orders-floor --storage "$BENCH_STORAGE" --concurrency "$concurrency" --requests "$requests" --seconds 90 --warmup 300 | tail -n 1)")
done
store_rps="$(median_of rps "${store[@]}")"
floor_rps="$(median_of rps "${floor[@]}")"
{
  echo "# Order figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/orders.sh\` (CONCURRENCY=$concurrency REQUESTS=$requests ROUNDS=$rounds); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| orders/s through the local host (c=$concurrency, 1 SKU with 16 shards) | $store_rps |"
  echo "| floor: the same storage operations straight at Azurite | $floor_rps |"
  echo "| ratio store / floor | $(ratio "$store_rps" "$floor_rps") |"
  echo "| p50 / p99 ms through the host | $(median_of p50 "${store[@]}") / $(median_of p99 "${store[@]}") |"
  echo "| storage requests per order (budget 2 + 2 per distinct SKU = 4) | $(median_of storage_per_request "${store[@]}") |"
  echo "| host CPU ms per order (process CPU time / orders; excludes time waiting on I/O) | $(median_of cpu_ms_per_request "${store[@]}") |"
  echo
  echo "Each order also calls the WeChat sandbox for prepay (RSA sign + verify both ways), which the floor does not."
  echo
  echo "Raw rounds:"
  for ((r = 0; r < rounds; r++)); do echo "- store: ${store[$r]}"; echo "- floor: ${floor[$r]}"; done
} | tee "$out"
