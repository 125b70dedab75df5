#!/usr/bin/env bash
# Issue 3 figures: login latency (p50/p99) at concurrency 16 through the local host, with the WeChat sandbox and
# Azurite as ./run.sh starts them (Release build), for new and for returning shoppers, and storage requests per
# login read from the app's request counter. Writes tests/bench/results/login.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
# Login alone: no welcome campaign, whose issuance would add a claim to every new member's login.
export Coupons__WelcomeCampaignId=""
concurrency="${CONCURRENCY:-16}" requests="${REQUESTS:-5000}" rounds="${ROUNDS:-3}"
out="tests/bench/results/login.md"
start_store

load=("${LOAD[@]}" login --url "$BENCH_URL" --key "$Host__MasterKey" --concurrency "$concurrency" --requests "$requests" --seconds 60 --warmup 500)
lines_new=() lines_ret=()
for ((r = 0; r < rounds; r++)); do
  lines_new+=("$("${load[@]}" | tail -n 1)")
  lines_ret+=("$("${load[@]}" --returning | tail -n 1)")
done
{
  echo "# Login figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/login.sh\` (CONCURRENCY=$concurrency REQUESTS=$requests ROUNDS=$rounds); medians of the rounds."
  echo
  echo "| shoppers | logins/s | p50 ms | p99 ms | storage requests per login | host CPU ms per login | target |"
  echo "|---|---|---|---|---|---|---|"
  for kind in new returning; do
    if [[ $kind == new ]]; then lines=("${lines_new[@]}"); else lines=("${lines_ret[@]}"); fi
    echo "| $kind | $(median_of rps "${lines[@]}") | $(median_of p50 "${lines[@]}") | $(median_of p99 "${lines[@]}") | $(median_of storage_per_request "${lines[@]}") | $(median_of cpu_ms_per_request "${lines[@]}") | $([[ $kind == new ]] && echo "storage <= 5 (issue 3's 2, plus the unionid row and the read of what waits at it, issue 20, and the facts message, issue 22)" || echo "storage <= 2") |"
  done
  echo
  echo "Raw rounds:"
  for ((r = 0; r < rounds; r++)); do echo "- new: ${lines_new[$r]}"; echo "- returning: ${lines_ret[$r]}"; done
} | tee "$out"
