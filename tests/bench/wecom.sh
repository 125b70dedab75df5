#!/usr/bin/env bash
# Issue 20 figures: WeCom callback answers per second at concurrency 32 (verify, decrypt, enqueue; the consumer
# records each event beside it) against the floor (the same message enqueued straight at the same Azurite, with a
# consumer doing the same insert and delete), rounds interleaved; then a burst of ADDS new contacts through one
# contact-me code in the sandbox at concurrency ADD_CONCURRENCY: the share of welcomes sent within the 20 s their code
# lives, the p99 delay from the add event, and the storage requests per add (every consumer's included).
# Writes tests/bench/results/wecom.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
rounds="${ROUNDS:-3}" callbacks="${CALLBACKS:-4000}" adds="${ADDS:-1000}" add_concurrency="${ADD_CONCURRENCY:-32}"
out="tests/bench/results/wecom.md"
export WeCom__CorpId="wwbench$(date +%s)"
export WeCom__CallbackToken="benchwecom$(date +%s)"
export WeCom__CallbackEncodingAesKey="$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9' | head -c 43)"
start_store
sandbox_url="http://127.0.0.1:$((BENCH_HOST_PORT + 1))"

store=() floor=()
for ((r = 0; r < rounds; r++)); do
  store+=("$("${LOAD[@]}" wecom-callback --url "$BENCH_URL" --key "$Host__MasterKey" --storage "$BENCH_STORAGE" --push-token "$WeCom__CallbackToken" \
    --push-key "$WeCom__CallbackEncodingAesKey" --appid "$WeCom__CorpId" --concurrency 32 --requests "$callbacks" --seconds 60 --warmup 300 | tail -n 1)")
  floor+=("$("${LOAD[@]}" wecom-callback-floor --storage "$BENCH_STORAGE" --appid "$WeCom__CorpId" --concurrency 32 --requests "$callbacks" --seconds 60 --warmup 300 | tail -n 1)")
done
burst="$("${LOAD[@]}" wecom-burst --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox "$sandbox_url" --storage "$BENCH_STORAGE" --requests "$adds" --concurrency "$add_concurrency" | tail -n 1)"
field() { sed -n "s/.*$1=\([0-9.a-z/]*\).*/\1/p" <<<"$burst"; }
store_rps="$(median_of rps "${store[@]}")" floor_rps="$(median_of rps "${floor[@]}")"
{
  echo "# WeCom figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/wecom.sh\` (ROUNDS=$rounds CALLBACKS=$callbacks ADDS=$adds ADD_CONCURRENCY=$add_concurrency); medians of the rounds."
  echo
  echo "| figure | value |"
  echo "|---|---|"
  echo "| callback answers/s at c=32 (the consumer running beside) | $store_rps |"
  echo "| floor: the same message enqueued straight at Azurite, the same consumer work | $floor_rps |"
  echo "| ratio store / floor (target ≥ 0.8) | $(ratio "$store_rps" "$floor_rps") |"
  echo "| callback answer p50 / p99 ms | $(median_of p50 "${store[@]}") / $(median_of p99 "${store[@]}") |"
  echo "| storage requests per callback (its consumer's included) | $(median_of storage_per_request "${store[@]}") |"
  echo "| burst: adds through one code at c=$add_concurrency, pushed in | $adds in $(field pushed_seconds) s ($(field adds_per_s)/s) |"
  echo "| welcomes sent / within 20 s of the add event (target 100%) | $(field welcomed) / $(field within20s_all) of $(field welcomes_all) |"
  echo "| welcome delay from the add event, p50 / p99 / max s (the event's CreateTime is whole seconds) | $(field p50_s) / $(field p99_s) / $(field max_s) |"
  echo "| storage requests per add (callback, consumer: welcome, contact, relation, counter, unionid link, tag) | $(field storage_per_add) |"
  echo
  echo "Raw rounds:"
  for ((r = 0; r < rounds; r++)); do echo "- store: ${store[$r]}"; echo "- floor: ${floor[$r]}"; done
  echo "- burst: $burst"
} | tee "$out"
