#!/usr/bin/env bash
# Issue 23 figures: a group-buy flash through the local host (./run.sh, Release): TEAMS teams of 3 opened, then
# JOINERS members joining at once at concurrency CONCURRENCY; every seat paid but one in each fifth team; the clocks
# moved past the deadline and the teams ended (refunds finished at the sandbox). Two sizes, each on a fresh store, so
# the timeout's cost per failed team can be compared as the number of teams grows. Then the invariant checker on the
# larger store. Writes tests/bench/results/groupbuy.md. Loopback only, bounded.
source "$(dirname "$0")/lib.sh"
concurrency="${CONCURRENCY:-64}" small_teams="${SMALL_TEAMS:-125}" teams="${TEAMS:-500}" joiners="${JOINERS:-2000}"
out="tests/bench/results/groupbuy.md"
sandbox_url="http://127.0.0.1:$((BENCH_HOST_PORT + 1))"
# A team's timeout wakes at most every 60 s (production: once, at its deadline), so the moved clock is seen within a
# minute while the wake-ups of 500 open teams stay a small background (measured idle and subtracted from the flash).
export GroupBuys__MaxWaitSeconds="${GroupBuys__MaxWaitSeconds:-60}"

flash() { # TEAMS JOINERS -> the scenario's summary line
  "${LOAD[@]}" group-buy --url "$BENCH_URL" --key "$Host__MasterKey" --sandbox "$sandbox_url" --storage "$BENCH_STORAGE" --stock "$1" --shoppers "$2" --concurrency "$concurrency" | tail -n 1
}
start_store
a="$(flash "$small_teams" $((joiners * small_teams / teams)))"
stop_store
start_store
b="$(flash "$teams" "$joiners")"
check="$("${LOAD[@]}" check --storage "$BENCH_STORAGE" --sandbox "$sandbox_url" --settle-seconds 120 2>&1 | tail -n 5)" || true
field() { sed -n "s/.*\(^\| \)$1=\([0-9.]*\).*/\2/p" <<<"$2"; }
{
  echo "# Group-buy figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; load tool, host, sandbox and Azurite share the machine)"
  echo
  echo "Command: \`bash tests/bench/groupbuy.sh\` (CONCURRENCY=$concurrency SMALL_TEAMS=$small_teams TEAMS=$teams JOINERS=$joiners). Each size on a fresh store:"
  echo "the teams' leaders open them first (not measured); then the joiners join at once, each trying up to four teams"
  echo "until seated or refused (409); every seat is paid except one in each fifth team; the store's and WeChat's clocks move"
  echo "2 h on (teams have 1 h), the timeouts end the teams, and WeChat Pay's side finishes each refund the store asks for."
  echo
  echo "| figure | $small_teams teams | $teams teams |"
  echo "|---|---|---|"
  for f in joiners seated refused attempts won failed over_filled settled refunds joins_per_second attempts_per_second p50 p99 storage_per_attempt storage_per_seat background_per_second timeout_requests_per_team timeout_requests_per_failed_team; do
    echo "| $f | $(field "$f" "$a") | $(field "$f" "$b") |"
  done
  echo
  echo "- Over-filled teams: **$(field over_filled "$b")** (must be 0); seated joiners $(field seated "$b") of the $((teams * 2)) free seats."
  echo "- Storage requests per join attempt: $(field storage_per_attempt "$b") (a refused attempt costs the team's read; a seated one the team's read and write, the member's count read and write, and the order path's timeout send, stock read and batch and order write)."
  echo "- The teams' timeouts, from the moved clock until every failed team is settled, per team (won ones: the one read that finds them won): $(field timeout_requests_per_team "$a") and $(field timeout_requests_per_team "$b") storage requests, ratio **$(ratio "$(field timeout_requests_per_team "$b")" "$(field timeout_requests_per_team "$a")")** with 4× the teams (target: flat); per failed team (2 paid orders refunded and restocked, 1 unpaid order closed at WeChat Pay and released, the rounds until WeChat Pay's verdicts): $(field timeout_requests_per_failed_team "$a") and $(field timeout_requests_per_failed_team "$b"). Each team's timeout is its own delayed message; nothing scans.
- The flash's storage requests have the idle background subtracted ($(field background_per_second "$a") and $(field background_per_second "$b") requests/s: the teams' capped wake-ups)."
  echo "- p50 / p99 are per join attempt (ms), through the host, prepay at the sandbox included."
  echo
  echo "Invariant checker on the $teams-team store (\`WeStore.Load check\`):"
  echo
  echo '```'
  echo "$check"
  echo '```'
  echo
  echo "Raw:"
  echo "- $a"
  echo "- $b"
} | tee "$out"
