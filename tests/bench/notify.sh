#!/usr/bin/env bash
# Issue 5 figures: payment notifications per second at concurrency 32 through the local host (one per placed order,
# signed and encrypted with the sandbox's keys), against the floor (the same storage operations straight at the same
# Azurite with no app code: the notify path's six (the member's attribution row is read there, for the order's copy), and beside them an order-paid consumer making the function's nine
# plus the queue's receive and delete; see NotifyFloor), rounds interleaved; host CPU time per notification against one RSA-2048 verify
# measured on the same machine in the same run. Writes tests/bench/results/notify.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
concurrency="${CONCURRENCY:-32}" requests="${REQUESTS:-1500}" rounds="${ROUNDS:-3}"
out="tests/bench/results/notify.md"
start_store

store=() floor=() rsa=()
for ((r = 0; r < rounds; r++)); do
  result="$("${LOAD[@]}" notify --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox-data "$WESTORE_DATA_DIR/sandbox" --appid "${WeChat__AppId:-wx5e57000000000001}" \
    --concurrency "$concurrency" --requests "$requests" --seconds 90 --warmup 200)"
  rsa+=("$(grep -o 'rsa2048_verify_us=[0-9.]*' <<<"$result")")
  store+=("$(tail -n 1 <<<"$result")")
  floor+=("$("${LOAD[@]}" notify-floor --storage "$BENCH_STORAGE" --concurrency "$concurrency" --requests "$requests" --seconds 90 --warmup 200 | tail -n 1)")
done
store_rps="$(median_of rps "${store[@]}")"
floor_rps="$(median_of rps "${floor[@]}")"
cpu_ms="$(median_of cpu_ms_per_request "${store[@]}")"
rsa_us="$(median_of rsa2048_verify_us "${rsa[@]}")"
{
  echo "# Notification figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/notify.sh\` (CONCURRENCY=$concurrency REQUESTS=$requests ROUNDS=$rounds); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| notifications/s through the local host (c=$concurrency, each a first payment of a pending order) | $store_rps |"
  echo "| floor: the same storage operations straight at Azurite (notify path 6; an order-paid consumer beside it: receive, 9, delete) | $floor_rps |"
  echo "| ratio store / floor | $(ratio "$store_rps" "$floor_rps") |"
  echo "| p50 / p99 ms through the host | $(median_of p50 "${store[@]}") / $(median_of p99 "${store[@]}") |"
  echo "| storage requests per notification | $(median_of storage_per_request "${store[@]}") |"
  echo "| host CPU ms per notification (process CPU / notifications, with the order-paid consumer running) | $cpu_ms |"
  echo "| one RSA-2048 verify, µs (same machine, same run) | $rsa_us |"
  echo "| CPU per notification / one verify | $(awk -v c="$cpu_ms" -v r="$rsa_us" 'BEGIN { printf "%.1f", c * 1000 / r }') |"
  echo
  echo "Raw rounds:"
  for ((r = 0; r < rounds; r++)); do echo "- store: ${store[$r]}"; echo "- floor: ${floor[$r]}"; done
} | tee "$out"
