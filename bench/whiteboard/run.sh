#!/usr/bin/env bash
# Whiteboard benchmark: starts a fresh Release server on a scratch directory, then
# bench/whiteboard/bench.mjs (Node, the 'ws' package of tests/integration) has BENCH_BOARD_PEERS
# people join one meeting, the host open the board and everyone draw (board.update, realistic
# Excalidraw elements) BENCH_BOARD_RATE times a second for BENCH_BOARD_SECONDS. Prints one
# Markdown table row: delivery latency at every receiver, board.update round trip, bytes per
# update sent and per delivery received, deliveries a second, server CPU (% of one core).
#
# Builds nothing: `make bench` builds build/release first. Environment knobs:
#   FLUXMEET_BIN=path          server binary (default build/release/server/app/fluxmeet)
#   BENCH_BOARD_PEERS=20       people in the meeting, all drawing
#   BENCH_BOARD_RATE=10        board.update a second per person
#   BENCH_BOARD_SECONDS=20     drawing time; the first BENCH_BOARD_WARMUP=3 s are not measured
#   BENCH_PIN=0                do not pin Node to CPU 0 and the server to CPU 1
#   BENCH_SERVER_ARGS="..."    extra server flags (e.g. "--http-threads 0")
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN="${FLUXMEET_BIN:-$ROOT/build/release/server/app/fluxmeet}"
[[ "$BIN" = /* ]] || BIN="$ROOT/$BIN"

command -v node >/dev/null || { echo "bench/whiteboard: node is not installed" >&2; exit 1; }
[[ -d "$ROOT/tests/integration/node_modules/ws" ]] ||
  { echo "bench/whiteboard: run 'npm install' in tests/integration first (for 'ws')" >&2; exit 1; }
[[ -x "$BIN" ]] || { echo "bench/whiteboard: $BIN not found; run 'make bench' (or 'make build') first" >&2; exit 1; }
[[ "$(getconf CLK_TCK)" == 100 ]] || { echo "bench/whiteboard: bench.mjs assumes CLK_TCK=100" >&2; exit 1; }

BENCH_NAME=whiteboard
# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"

echo "server: $BIN"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg); pinning: $PINNING"
echo "drawing: ${BENCH_BOARD_PEERS:-20} peers x ${BENCH_BOARD_RATE:-10} updates/s for ${BENCH_BOARD_SECONDS:-20} s (first ${BENCH_BOARD_WARMUP:-3} s warm-up)"
echo

start_server board --password-hash-cost test --log-level warn ${BENCH_SERVER_ARGS:-}
failed=0
"${CLIENT_PIN[@]}" node "$ROOT/bench/whiteboard/bench.mjs" "$BASE" "$SERVER_PID" || failed=1
stop_server
echo
echo "bench/whiteboard: done"
exit "$failed"
