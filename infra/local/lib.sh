#!/usr/bin/env bash
# Shared by run.sh, test.sh and .ci/run: prerequisites, Azurite, and processes stopped by their pid.
set -euo pipefail

WESTORE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="$WESTORE_ROOT/infra/local"
# Azurite's published development account; it is not a secret.
AZURITE_ACCOUNT="devstoreaccount1"
AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

say() { printf '[westore] %s\n' "$*" >&2; }
die() { printf '[westore] error: %s\n' "$*" >&2; exit 1; }

require_tools() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is missing: install .NET 10 SDK (https://dot.net) and put 'dotnet' on PATH."
  local sdk; sdk="$(dotnet --version 2>/dev/null || true)"
  [[ "$sdk" == 10.* ]] || die "the .NET 10 SDK is required; 'dotnet --version' says '$sdk'."
  command -v node >/dev/null 2>&1 || die "Node.js is missing: install Node 20 or newer (it runs Azurite, the local storage emulator)."
  command -v npm >/dev/null 2>&1 || die "npm is missing: install Node 20 or newer with npm (it installs Azurite)."
  local major; major="$(node -p 'process.versions.node.split(".")[0]')"
  (( major >= 20 )) || die "Node 20 or newer is required; this is Node $(node --version)."
}

# Installs the pinned Azurite from the lockfile, once.
ensure_azurite() {
  if [[ ! -x "$LOCAL_DIR/node_modules/.bin/azurite" ]] || [[ "$LOCAL_DIR/package-lock.json" -nt "$LOCAL_DIR/node_modules/.package-lock.json" ]]; then
    say "installing Azurite (npm ci, pinned by infra/local/package-lock.json)"
    (cd "$LOCAL_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in infra/local; is the npm registry reachable?"
  fi
}

# The console's chart library (ECharts), pinned by functions/Console/package-lock.json, embedded into the app at build.
ensure_console_assets() {
  local dir="$LOCAL_DIR/../../functions/Console"
  if [[ ! -f "$dir/node_modules/echarts/dist/echarts.simple.min.js" ]] || [[ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    say "installing the console's ECharts (npm ci, pinned by functions/Console/package-lock.json)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in functions/Console; is the npm registry reachable?"
  fi
}

# The console's browser tests: playwright-core and axe-core, pinned by tests/Console/package-lock.json. Chromium itself
# is Debian's package (/usr/bin/chromium), which .ci/run installs; without it the browser tests say so and skip.
ensure_console_test_tools() {
  local dir="$LOCAL_DIR/../../tests/Console"
  if [[ ! -d "$dir/node_modules/playwright-core" ]] || [[ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    say "installing playwright-core and axe-core (npm ci, pinned by tests/Console/package-lock.json)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci failed in tests/Console; is the npm registry reachable?"
  fi
}

# Benchmarks only (WESTORE_AZURITE_LOOKUP=indexed): a copy of the pinned Azurite with two of its costs that grow with
# the store (and that Azure does not have) taken out. Tests and ./run.sh use Azurite as published.
# - Entity point lookups: Azurite asks LokiJS for {RowKey, PartitionKey}; LokiJS answers from the index of the first
#   property only and filters the rest, so a point read of a row key every partition shares ("points", "profile")
#   walks every such row: O(rows in the table). Naming PartitionKey first instead walks a whole partition (a day of
#   the expiry index, a SKU's holds). The copy counts both candidate ranges by binary search and names the smaller
#   first: same query, same answer, close to what Azure's (PartitionKey, RowKey) index costs.
# - Queue messages: before every receive, peek, update and delete Azurite removes expired messages with
#   remove([...]) even when there are none, and LokiJS re-sorts all four indices of the message collection on every
#   batch removal: O(n log n) in the messages of *every* queue of the account (the order-timeout queue holds one per
#   open order), so the order-paid consumer slowed as orders accumulated. The copy skips the empty removal and
#   filters messages by queue name first (the account has one value: its index narrows nothing).
WESTORE_AZURITE_PATCH_VERSION=2
ensure_indexed_azurite() {
  local copy="$LOCAL_DIR/node_modules/.westore-azurite-indexed"
  if [[ "$(cat "$copy/.patched" 2>/dev/null)" != "$WESTORE_AZURITE_PATCH_VERSION" ]] || [[ "$LOCAL_DIR/node_modules/.package-lock.json" -nt "$copy/.patched" ]]; then
    rm -rf "$copy" && cp -r "$LOCAL_DIR/node_modules/azurite" "$copy"
    node -e '
      const fs = require("fs"), [tableFile, queueFile] = process.argv.slice(1);
      const replaceAll = (text, re, by, expected, file) => {
        const count = (text.match(re) || []).length;
        if (count !== expected) { console.error("expected " + expected + " matches of " + re + " in " + file + ", found " + count); process.exit(1); }
        return text.replace(re, by);
      };
      const helper = [
        "function westoreFindEntity(coll, partitionKey, rowKey) {",
        "    const size = (prop, val) => {",
        "        if (!coll.binaryIndices || !coll.binaryIndices[prop]) return Infinity;",
        "        coll.ensureIndex(prop);",
        "        const range = coll.calculateRange(\"$eq\", prop, val);",
        "        return range[1] - range[0] + 1;",
        "    };",
        "    return size(\"PartitionKey\", partitionKey) <= size(\"RowKey\", rowKey)",
        "        ? coll.findOne({ PartitionKey: partitionKey, RowKey: rowKey })",
        "        : coll.findOne({ RowKey: rowKey, PartitionKey: partitionKey });",
        "}",
        ""].join("\n");
      let table = fs.readFileSync(tableFile, "utf8");
      table = replaceAll(table, /(\w+)\.findOne\(\{\s*RowKey: ([\w.]+),\s*PartitionKey: ([\w.]+)\s*\}\)/g, "westoreFindEntity($1, $3, $2)", 6, tableFile);
      fs.writeFileSync(tableFile, table.replace("class LokiTableMetadataStore {", helper + "class LokiTableMetadataStore {"));
      let queue = fs.readFileSync(queueFile, "utf8");
      queue = replaceAll(queue, /accountName: account,(\s*)queueName: queue/g, "queueName: queue,$1accountName: account", 7, queueFile);
      queue = replaceAll(queue, /\n(\s*)coll\.remove\(docs\);/g, "\n$1if (docs.length > 0) coll.remove(docs);", 1, queueFile);
      fs.writeFileSync(queueFile, queue);
    ' "$copy/dist/src/table/persistence/LokiTableMetadataStore.js" "$copy/dist/src/queue/persistence/LokiQueueMetadataStore.js" >&2 \
      || die "could not patch the Azurite copy"
    echo "$WESTORE_AZURITE_PATCH_VERSION" >"$copy/.patched"
  fi
  echo "$copy/dist/src/azurite.js"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
  if port_in_use "$1"; then
    die "port $1 on 127.0.0.1 is already taken ($2 needs it). Stop whatever listens there, or set $3 to another port."
  fi
}

wait_for_port() { # port seconds name pid
  local port=$1 seconds=$2 name=$3 pid=$4 i
  for ((i = 0; i < seconds * 10; i++)); do
    port_in_use "$port" && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up (see its log)."
    sleep 0.1
  done
  die "$name did not listen on 127.0.0.1:$port within ${seconds}s."
}

azurite_connection_string() { # blob_port queue_port table_port
  printf 'DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=http://127.0.0.1:%s/%s;QueueEndpoint=http://127.0.0.1:%s/%s;TableEndpoint=http://127.0.0.1:%s/%s;' \
    "$AZURITE_ACCOUNT" "$AZURITE_KEY" "$1" "$AZURITE_ACCOUNT" "$2" "$AZURITE_ACCOUNT" "$3" "$AZURITE_ACCOUNT"
}

# start_azurite <base_port> <memory|DIR> <log>: blob, queue, table on base, base+1, base+2. Prints the pid.
start_azurite() {
  local base=$1 store=$2 log=$3
  local args=(--blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1
    --blobPort "$base" --queuePort $((base + 1)) --tablePort $((base + 2))
    --skipApiVersionCheck --disableTelemetry --loose)
  if [[ "$store" == memory ]]; then
    args+=(--inMemoryPersistence)
  else
    mkdir -p "$store"
    args+=(--location "$store")
  fi
  # Diagnosis only: every request Azurite serves, logged to a file per start (hundreds of MB per minute of load).
  [[ -n "${WESTORE_AZURITE_DEBUG:-}" ]] && args+=(--debug "$WESTORE_AZURITE_DEBUG.$(date +%s%N)")
  local p bin="$LOCAL_DIR/node_modules/.bin/azurite"
  for p in "$base" $((base + 1)) $((base + 2)); do require_free_port "$p" "Azurite" "WESTORE_AZURITE_PORT"; done
  [[ "${WESTORE_AZURITE_LOOKUP:-}" == indexed ]] && bin="$(ensure_indexed_azurite)"
  if [[ -n "${WESTORE_AZURITE_PROFILE:-}" ]]; then
    node --cpu-prof --cpu-prof-dir="$WESTORE_AZURITE_PROFILE" "$bin" "${args[@]}" >"$log" 2>&1 &
  else
    "$bin" "${args[@]}" >"$log" 2>&1 &
  fi
  local pid=$!
  wait_for_port $((base + 2)) 60 "Azurite" "$pid"
  wait_for_port $((base + 1)) 10 "Azurite" "$pid"
  echo "$pid"
}

# Stops a process we started, by its pid: SIGTERM, then SIGKILL after a grace period.
stop_pid() {
  local pid=${1:-} i
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
