#!/usr/bin/env bash
# Issue 18 figures: shipments per second through the CSV import (files of LINES lines at concurrency CONCURRENCY,
# each line an order shipped whole) against the floor (the same storage operations per shipment straight at the same
# Azurite, eight at once as the import does; see ShipmentFloor), rounds interleaved; storage requests per shipment;
# and the message push's answer latency at concurrency 32 (verify, decrypt, enqueue; the consumer runs after).
# The upload and shipped-notice consumers run in the host during the store's rounds, and the floor runs the same
# storage operations beside its own; before each measured run the store's queues are let drain (the setup's payments).
# Writes tests/bench/results/fulfilment.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
concurrency="${CONCURRENCY:-4}" files="${FILES:-40}" lines="${LINES:-50}" rounds="${ROUNDS:-3}" pushes="${PUSHES:-3000}"
out="tests/bench/results/fulfilment.md"
export WeChat__AppId="${WeChat__AppId:-wx5e57000000000001}"
export WeChat__PushToken="benchpush$(date +%s)"
export WeChat__PushEncodingAesKey="$(head -c 32 /dev/urandom | base64 | tr -d '=\n' | tr '+/' 'ab')"
start_store
sandbox_url="http://127.0.0.1:$((BENCH_HOST_PORT + 1))"

store=() floor=() push=()
for ((r = 0; r < rounds; r++)); do
  store+=("$("${LOAD[@]}" shipments --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox "$sandbox_url" --lines "$lines" --storage "$BENCH_STORAGE" \
    --concurrency "$concurrency" --requests "$files" --seconds 120 --warmup 4 | tail -n 1)")
  floor+=("$("${LOAD[@]}" shipments-floor --storage "$BENCH_STORAGE" --lines "$lines" --concurrency "$concurrency" --requests "$files" --seconds 120 --warmup 4 | tail -n 1)")
  push+=("$("${LOAD[@]}" push --url "$BENCH_URL" --key "$Host__MasterKey" --storage "$BENCH_STORAGE" --push-token "$WeChat__PushToken" --push-key "$WeChat__PushEncodingAesKey" \
    --appid "$WeChat__AppId" --concurrency 32 --requests "$pushes" --seconds 60 --warmup 300 | tail -n 1)")
done
per_file() { awk -v v="$1" -v n="$lines" 'BEGIN { printf "%.1f", v * n }'; }
store_sps="$(per_file "$(median_of rps "${store[@]}")")"
floor_sps="$(per_file "$(median_of rps "${floor[@]}")")"
{
  echo "# Fulfilment figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/fulfilment.sh\` (CONCURRENCY=$concurrency FILES=$files LINES=$lines ROUNDS=$rounds PUSHES=$pushes); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| shipments/s through the CSV import (files of $lines lines, c=$concurrency) | $store_sps |"
  echo "| floor: the same storage operations straight at Azurite | $floor_sps |"
  echo "| ratio store / floor | $(ratio "$store_sps" "$floor_sps") |"
  echo "| storage requests per shipment (the import's request path; the upload and notice consumers' own counted in too) | $(awk -v v="$(median_of storage_per_request "${store[@]}")" -v n="$lines" 'BEGIN { printf "%.2f", v / n }') |"
  echo "| push answer p50 / p99 ms (c=32, $pushes pushes) | $(median_of p50 "${push[@]}") / $(median_of p99 "${push[@]}") |"
  echo "| pushes answered per second | $(median_of rps "${push[@]}") |"
  echo "| storage requests per push answer (the consumer's included) | $(median_of storage_per_request "${push[@]}") |"
  echo
  echo "Raw rounds:"
  for ((r = 0; r < rounds; r++)); do echo "- store: ${store[$r]}"; echo "- floor: ${floor[$r]}"; echo "- push: ${push[$r]}"; done
} | tee "$out"
