#!/usr/bin/env bash
# Signaling benchmark: for each connection count (default 1000 then 5000) starts a fresh Release
# server on a scratch directory, then bench/signaling/bench.mjs (Node, the 'ws' package of
# tests/integration) registers one user per connection, opens that many WebSockets to /ws, joins
# them into meetings of 10 and then of 50 peers and has one member per meeting chat once a second.
# Prints one Markdown table row per (connections, meeting size): connections held, hello+join
# latency, chat fan-out latency per receiver, server RSS per idle/joined connection, server CPU.
#
# Builds nothing: `make bench` builds build/release first. Environment knobs:
#   FLUXMEET_BIN=path          server binary (default build/release/server/app/fluxmeet)
#   BENCH_WS_CONNECTIONS="1000 5000"
#   BENCH_WS_MEETING_SIZES=10,50
#   BENCH_CHAT_SECONDS=10      length of each chat phase
#   BENCH_JOIN_IN_FLIGHT=50    hello+join sequences in flight at once
#   BENCH_PIN=0                do not pin Node to CPU 0 and the server to CPU 1
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN="${FLUXMEET_BIN:-$ROOT/build/release/server/app/fluxmeet}"
[[ "$BIN" = /* ]] || BIN="$ROOT/$BIN"
read -r -a COUNTS <<<"${BENCH_WS_CONNECTIONS:-1000 5000}"
SIZES="${BENCH_WS_MEETING_SIZES:-10,50}"

command -v node >/dev/null || { echo "bench/signaling: node is not installed" >&2; exit 1; }
[[ -d "$ROOT/tests/integration/node_modules/ws" ]] ||
  { echo "bench/signaling: run 'npm install' in tests/integration first (for 'ws')" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "bench/signaling: $BIN not found; run 'make bench' (or 'make build') first" >&2; exit 1; }
[[ "$(getconf CLK_TCK)" == 100 ]] || { echo "bench/signaling: bench.mjs assumes CLK_TCK=100" >&2; exit 1; }

# Every connection is one descriptor in the server and one in Node (both inherit this limit).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)

BENCH_NAME=signaling
# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"

echo "server: $BIN"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg); open-files limit: $NOFILE; pinning: $PINNING"
echo "chat: one message per meeting per second for ${BENCH_CHAT_SECONDS:-10} s; hello+join in flight: ${BENCH_JOIN_IN_FLIGHT:-50}"
echo
echo "| conns | meeting size | held | joined (joins/s) | join p50 / p99 | chat fan-out p50 / p99 | deliveries | server RSS KiB: start → idle → joined | KiB per idle / joined conn | server CPU (chat) | client loop busy | problems |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"

failed=0
for count in "${COUNTS[@]}"; do
  # Each connection needs a descriptor on both sides, plus headroom for the database and logs.
  if (( count + 100 > NOFILE )); then
    echo "| $count | - | - | - | skipped: open-files limit is $NOFILE | | | | | | | |"
    failed=1
    continue
  fi
  start_server "n$count" --password-hash-cost test --log-level warn
  "${CLIENT_PIN[@]}" node "$ROOT/bench/signaling/bench.mjs" "$BASE" "$SERVER_PID" "$count" "$SIZES" || failed=1
  stop_server
done
echo
echo "bench/signaling: done"
exit "$failed"
