#!/usr/bin/env bash
# Issue 22 figures among 10,000 and 200,000 members (the expiry bench's way: each size gets a fresh in-memory Azurite,
# is loaded first, then measured with the app's own services in process): one member's fact change (storage requests,
# latency), a segment page, a new segment's back-fill against its floor, and flow steps at concurrency 32 against
# theirs. Writes tests/bench/results/segments.md. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/local/lib.sh
ensure_azurite
small="${SMALL:-10000}" large="${LARGE:-200000}" steps="${STEPS:-2000}" port="${BENCH_AZURITE_PORT:-10250}"
concurrency="${CONCURRENCY:-16}"
# Point reads that do not slow with the table (see ensure_indexed_azurite), as for the expiry bench.
export WESTORE_AZURITE_LOOKUP="${WESTORE_AZURITE_LOOKUP-indexed}"
out="tests/bench/results/segments.md"
dotnet build tests/bench/SegmentsBench -c Release -nologo -clp:ErrorsOnly -v:quiet >&2

measure() { # members -> the bench's summary line
  local pid line
  pid="$(start_azurite "$port" memory "/tmp/westore-segments-azurite.log")"
  line="$(dotnet tests/bench/SegmentsBench/bin/Release/net10.0/SegmentsBench.dll --storage "$(azurite_connection_string "$port" $((port + 1)) $((port + 2)))" \
    --members "$1" --steps "$steps" --concurrency "$concurrency" | tail -n 1)" || { stop_pid "$pid"; die "the segments bench failed"; }
  stop_pid "$pid"
  echo "$line"
}
field() { sed -n "s/.*\(^\| \)$1=\([0-9.]*\).*/\2/p" <<<"$2"; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }

a="$(measure "$small")"
b="$(measure "$large")"
{
  echo "# Segments, flows: figures ($(date -u +%Y-%m-%d), $(nproc) cores, Release; Azurite in memory on the same machine, lookups: ${WESTORE_AZURITE_LOOKUP:-as published})"
  echo
  echo "Command: \`bash tests/bench/segments.sh\` (SMALL=$small LARGE=$large STEPS=$steps CONCURRENCY=$concurrency). Each size: the members' facts are loaded (one in 20 in 浙江省, one in 10 has paid), then, with the app's own services and a harness polling the queues as the host does:"
  echo "a new segment (province eq 浙江省) is back-filled; 300 fact changes (a paid order each) are applied as the consumer applies them; 50 pages of the segment are read; $steps one-step flow runs are stepped at concurrency 32 (16 per receive, 2 receivers). Floors: the back-fill's reads and, per member it adds, its writes, with no app code; the steps' storage operations per message, drained from a queue the same way, with no app code."
  echo
  echo "| members | fact change: storage requests | change p50 ms | page: requests | page p50 ms | page floor p50 ms | back-fill s | µs per member | back-fill floor s | steps/s | step floor steps/s | step: requests |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for line in "$a" "$b"; do
    echo "| $(field members "$line") | $(field change_requests "$line") | $(field change_p50_ms "$line") | $(field page_requests "$line") | $(field page_p50_ms "$line") | $(field page_floor_p50_ms "$line") | $(field backfill_seconds "$line") | $(field backfill_us_per_member "$line") | $(field backfill_floor_seconds "$line") | $(field steps_per_second "$line") | $(field floor_steps_per_second "$line") | $(field step_requests "$line") |"
  done
  echo
  echo "- One member's fact change, storage requests at $large vs $small members: **$(ratio "$(field change_requests "$b")" "$(field change_requests "$a")")** (target 1.0). Latency ratio: $(ratio "$(field change_p50_ms "$b")" "$(field change_p50_ms "$a")")."
  echo "- A segment page, latency ratio: **$(ratio "$(field page_p50_ms "$b")" "$(field page_p50_ms "$a")")**, its floor's (the same range read straight at the table): $(ratio "$(field page_floor_p50_ms "$b")" "$(field page_floor_p50_ms "$a")"); as a multiple of the floor: $(ratio "$(field page_p50_ms "$a")" "$(field page_floor_p50_ms "$a")") and $(ratio "$(field page_p50_ms "$b")" "$(field page_floor_p50_ms "$b")"); requests per page $(field page_requests "$a") and $(field page_requests "$b")."
  echo "- The back-fill, time per member ratio: $(ratio "$(field backfill_us_per_member "$b")" "$(field backfill_us_per_member "$a")") (linear is 1.0); as a multiple of its floor: $(ratio "$(field backfill_seconds "$a")" "$(field backfill_floor_seconds "$a")") and $(ratio "$(field backfill_seconds "$b")" "$(field backfill_floor_seconds "$b")")."
  echo "- Flow steps at concurrency 32 against their floor: **$(ratio "$(field steps_per_second "$a")" "$(field floor_steps_per_second "$a")")** and **$(ratio "$(field steps_per_second "$b")" "$(field floor_steps_per_second "$b")")** (target ≥ 0.8)."
  echo
  echo "Reading: the storage requests per fact change, per page and per step do not depend on the number of members. Where"
  echo "times grow with the store, the floors grow with them: Azurite evaluates a query against every row of the table and"
  echo "applies each update as a remove and an insert shifting arrays the size of the table (see expiry.md); Azure's cost"
  echo "per partition read and per write does not depend on the table's size."
  echo
  echo "Raw:"
  echo "- $a"
  echo "- $b"
} | tee "$out"
