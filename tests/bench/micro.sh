#!/usr/bin/env bash
# Microbenchmarks (BenchmarkDotNet, short job): Pay v3 request signing, paySign, notification verify + decrypt,
# pricing with a coupon and points, session-token validation. Writes tests/bench/results/micro.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="tests/bench/results/micro.md"
artifacts="$(mktemp -d /tmp/westore-micro-XXXXXX)"
trap 'rm -rf "$artifacts"' EXIT
dotnet build tests/bench/Micro -c Release -nologo -clp:ErrorsOnly -v:quiet >&2
dotnet tests/bench/Micro/bin/Release/net10.0/Micro.dll --filter '*' --job short --artifacts "$artifacts" --exporters github >&2
{
  echo "# Microbenchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, Release, BenchmarkDotNet short job)"
  echo
  echo "Command: \`bash tests/bench/micro.sh\`."
  echo
  for report in "$artifacts"/results/*-report-github.md; do
    # BenchmarkDotNet's GitHub markdown escapes quotes as HTML entities.
    sed -n '/^| *Method/,$p' "$report" | sed "s/&#39;/'/g"
    echo
  done
} | tee "$out"
