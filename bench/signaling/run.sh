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

SERVER_PIN=()
NODE_PIN=()
if [[ "${BENCH_PIN:-1}" != 0 ]] && command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  SERVER_PIN=(taskset -c 1)
  NODE_PIN=(taskset -c 0)
  PINNING="Node on CPU 0, server (all threads) on CPU 1"
else
  PINNING="none"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fluxmeet-bench-ws.XXXXXX")
SERVER_PID=""

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server <name>: fresh database and process; sets SERVER_PID and BASE.
start_server() {
  local dir="$TMP/$1" secret port=""
  mkdir -p "$dir"
  secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # exec: $! is the server itself (taskset execs too), so /proc/$SERVER_PID is the server.
  (cd "$dir" && exec env JWT_SECRET="$secret" "${SERVER_PIN[@]}" "$BIN" --port 0 \
    --database-url "sqlite://$dir/db.sqlite" --media-udp-port $((20000 + RANDOM % 20000)) \
    --login-attempts-per-minute 10000 --password-hash-cost test --log-level warn \
    >"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 100); do
    port=$(grep -o 'listening on http://localhost:[0-9]*' "$dir/server.log" 2>/dev/null | head -n1 | sed 's/.*://' || true)
    [[ -n "$port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    echo "bench/signaling: server did not start; its log:" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  BASE="http://127.0.0.1:$port"
}

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
  start_server "n$count"
  "${NODE_PIN[@]}" node "$ROOT/bench/signaling/bench.mjs" "$BASE" "$SERVER_PID" "$count" "$SIZES" || failed=1
  stop_server
done
echo
echo "bench/signaling: done"
exit "$failed"
