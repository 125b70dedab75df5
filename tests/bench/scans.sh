#!/usr/bin/env bash
# Issue 7 figures: QR scans per second at concurrency 32 on one code (a live-stream spike), storage requests per scan,
# and the attribution report's latency before and after 100,000 recorded scans (it reads counters, so it must not
# grow with the scans). Writes tests/bench/results/scans.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
concurrency="${CONCURRENCY:-32}" requests="${REQUESTS:-3000}" rounds="${ROUNDS:-3}" total="${TOTAL_SCANS:-100000}" shoppers="${SHOPPERS:-500}"
out="tests/bench/results/scans.md"
start_store

report() { # one line: the report's latency over 30 sequential requests
  "${LOAD[@]}" get --url "$BENCH_URL" --key "$Host__MasterKey" --path "/api/manage/reports/attribution?groupBy=qrcode" \
    --concurrency 1 --requests 30 --seconds 60 --warmup 5 | tail -n 1
}

first="$("${LOAD[@]}" scans --url "$BENCH_URL" --key "$Host__MasterKey" --shoppers "$shoppers" --concurrency "$concurrency" --requests "$requests" --seconds 120 --warmup 200)"
scene="$(sed -n 's/^scene=//p' <<<"$first")"
lines=("$(tail -n 1 <<<"$first")")
report_before="$(report)"
for ((r = 1; r < rounds; r++)); do
  lines+=("$("${LOAD[@]}" scans --url "$BENCH_URL" --key "$Host__MasterKey" --scene "$scene" --shoppers "$shoppers" --concurrency "$concurrency" --requests "$requests" --seconds 120 --warmup 0 | tail -n 1)")
done
done_scans=$(( (requests * rounds) + 200 ))
# The rest of the 100,000 scans, then the report again.
[[ $done_scans -lt $total ]] && "${LOAD[@]}" scans --url "$BENCH_URL" --key "$Host__MasterKey" --scene "$scene" --shoppers "$shoppers" \
  --concurrency 64 --requests $((total - done_scans)) --seconds 900 --warmup 0 >/dev/null
counted="$(curl -s -H "x-functions-key: $Host__MasterKey" "$BENCH_URL/api/manage/reports/attribution?groupBy=qrcode" \
  | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s).rows.find(r=>r.key===process.argv[1]);process.stdout.write(String(r?r.scans:0))})' "$scene")"
report_after="$(report)"
{
  echo "# QR scan figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/scans.sh\` (CONCURRENCY=$concurrency REQUESTS=$requests ROUNDS=$rounds SHOPPERS=$shoppers TOTAL_SCANS=$total); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| scans/s on one code (c=$concurrency, $shoppers members) | $(median_of rps "${lines[@]}") |"
  echo "| p50 / p99 ms | $(median_of p50 "${lines[@]}") / $(median_of p99 "${lines[@]}") |"
  echo "| storage requests per scan (target <= 3) | $(median_of storage_per_request "${lines[@]}") |"
  echo "| host CPU ms per scan | $(median_of cpu_ms_per_request "${lines[@]}") |"
  echo "| scans the report counts for the code (all scans sent: $total) | $counted |"
  echo "| report p50 ms after $(( requests + 200 )) scans | $(median_of p50 "$report_before") |"
  echo "| report p50 ms after $total scans | $(median_of p50 "$report_after") |"
  echo "| ratio (after / before; flat = 1) | $(ratio "$(median_of p50 "$report_after")" "$(median_of p50 "$report_before")") |"
  echo
  echo "Raw rounds:"
  for line in "${lines[@]}"; do echo "- $line"; done
  echo "- report before: $report_before"
  echo "- report after: $report_after"
} | tee "$out"
