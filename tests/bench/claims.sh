#!/usr/bin/env bash
# Issue 6 figures: coupon claims per second at concurrency 32 on one campaign (every claim contends for its counter),
# storage requests per claim and the conflict retries they imply (a claim costs 3 requests; each lost race on the
# counter adds a re-read and a retried batch: 2 more). Writes tests/bench/results/claims.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
concurrency="${CONCURRENCY:-32}" requests="${REQUESTS:-2000}" rounds="${ROUNDS:-3}"
out="tests/bench/results/claims.md"
start_store

lines=()
for ((r = 0; r < rounds; r++)); do
  lines+=("$("${LOAD[@]}" claims --url "$BENCH_URL" --key "$Host__MasterKey" --concurrency "$concurrency" --requests "$requests" --seconds 90 --warmup 100 | tail -n 1)")
done
per_claim="$(median_of storage_per_request "${lines[@]}")"
{
  echo "# Coupon claim figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/claims.sh\` (CONCURRENCY=$concurrency REQUESTS=$requests ROUNDS=$rounds); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| claims/s on one campaign (c=$concurrency) | $(median_of rps "${lines[@]}") |"
  echo "| p50 / p99 ms | $(median_of p50 "${lines[@]}") / $(median_of p99 "${lines[@]}") |"
  echo "| storage requests per claim (3 without contention; target <= 3) | $per_claim |"
  echo "| conflict retries per claim ((requests - 3) / 2) | $(awk -v s="$per_claim" 'BEGIN { printf "%.2f", (s - 3) / 2 }') |"
  echo "| host CPU ms per claim | $(median_of cpu_ms_per_request "${lines[@]}") |"
  echo
  echo "Raw rounds:"
  for line in "${lines[@]}"; do echo "- $line"; done
} | tee "$out"
