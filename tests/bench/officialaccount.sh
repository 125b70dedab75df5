#!/usr/bin/env bash
# Issue 21 figures: Official Account push answers per second at concurrency 32 (verify, decrypt, enqueue; the consumer
# handles each beside it) against the floor (the same message enqueued straight at the same Azurite, with a consumer
# doing the same storage work), rounds interleaved; then a burst of FOLLOWS new followers through one follow code in
# the sandbox: the storage requests per follow, every consumer's included. Writes tests/bench/results/officialaccount.md.
source "$(dirname "$0")/lib.sh"
rounds="${ROUNDS:-3}" pushes="${PUSHES:-4000}" follows="${FOLLOWS:-1000}"
out="tests/bench/results/officialaccount.md"
export OfficialAccount__AppId="wxbenchoa$(date +%s)"
export OfficialAccount__Token="benchoa$(date +%s)"
export OfficialAccount__EncodingAesKey="$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 43)"
start_store
sandbox_url="http://127.0.0.1:$((BENCH_HOST_PORT + 1))"

store=() floor=()
for ((r = 0; r < rounds; r++)); do
  store+=("$("${LOAD[@]}" oa-push --url "$BENCH_URL" --key "$Host__MasterKey" --storage "$BENCH_STORAGE" --push-token "$OfficialAccount__Token" \
    --push-key "$OfficialAccount__EncodingAesKey" --appid "$OfficialAccount__AppId" --concurrency 32 --requests "$pushes" --seconds 60 --warmup 300 | tail -n 1)")
  floor+=("$("${LOAD[@]}" oa-push-floor --storage "$BENCH_STORAGE" --concurrency 32 --requests "$pushes" --seconds 60 --warmup 300 | tail -n 1)")
done
burst="$("${LOAD[@]}" oa-follows --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox "$sandbox_url" --storage "$BENCH_STORAGE" --requests "$follows" --concurrency 32 | tail -n 1)"
field() { sed -n "s/.*$1=\([0-9.a-z/]*\).*/\1/p" <<<"$burst"; }
store_rps="$(median_of rps "${store[@]}")" floor_rps="$(median_of rps "${floor[@]}")"
{
  echo "# Official Account figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/officialaccount.sh\` (ROUNDS=$rounds PUSHES=$pushes FOLLOWS=$follows); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| push answers/s at c=32 (the consumer running beside) | $store_rps |"
  echo "| floor: the same message enqueued straight at Azurite, the same consumer work | $floor_rps |"
  echo "| ratio store / floor (target ≥ 0.8) | $(ratio "$store_rps" "$floor_rps") |"
  echo "| push answer p50 / p99 ms | $(median_of p50 "${store[@]}") / $(median_of p99 "${store[@]}") |"
  echo "| storage requests per push (its consumer's included) | $(median_of storage_per_request "${store[@]}") |"
  echo "| follows through one code at c=32 | $follows in $(field pushed_seconds) s, all handled after $(field drained_seconds) s |"
  echo "| storage requests per follow (push, consumer: follower, counter, unionid link) | $(field storage_per_follow) |"
  echo
  echo "Raw rounds:"
  for ((r = 0; r < rounds; r++)); do echo "- store: ${store[$r]}"; echo "- floor: ${floor[$r]}"; done
  echo "- follows: $burst"
} | tee "$out"
