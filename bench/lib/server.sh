# Shared by the bench/*/run.sh scripts (sourced, not run): core pinning, a scratch directory that
# is removed on exit, and starting/stopping one fresh Release server by its own PID.
# Expects ROOT, BIN and BENCH_NAME (prefix for messages) to be set by the caller.

# The load generator on CPU 0, the whole server (event loop and pools) on CPU 1, so the figures
# are "server on one core". Sets SERVER_PIN, CLIENT_PIN (arrays) and PINNING (text).
SERVER_PIN=()
CLIENT_PIN=()
PINNING="none (taskset missing, fewer than 2 CPUs or BENCH_PIN=0)"
if [[ "${BENCH_PIN:-1}" != 0 ]] && command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  SERVER_PIN=(taskset -c 1)
  CLIENT_PIN=(taskset -c 0)
  PINNING="client on CPU 0, server (all threads) on CPU 1"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fluxmeet-$BENCH_NAME.XXXXXX")
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

# start_server <name> [extra flags...]: a fresh database and process; sets SERVER_PID and BASE.
start_server() {
  local dir="$TMP/$1" secret port=""
  shift
  mkdir -p "$dir"
  secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  # From the scratch directory so a developer's .env is not picked up; exec so that $! is the
  # server itself (taskset execs too) and /proc/$SERVER_PID describes it.
  (cd "$dir" && exec env JWT_SECRET="$secret" "${SERVER_PIN[@]}" "$BIN" --port 0 \
    --database-url "sqlite://$dir/db.sqlite" --web-root "$ROOT/web/dist" \
    --media-udp-port $((20000 + RANDOM % 20000)) --login-attempts-per-minute 10000 "$@" \
    >"$dir/server.log" 2>&1) &
  SERVER_PID=$!
  # The "listening on" line is printed whatever LOG_LEVEL says.
  for _ in $(seq 100); do
    port=$(grep -o 'listening on http://localhost:[0-9]*' "$dir/server.log" 2>/dev/null | head -n1 | sed 's/.*://' || true)
    [[ -n "$port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z "$port" ]]; then
    echo "bench/$BENCH_NAME: server did not start; its log:" >&2
    cat "$dir/server.log" >&2
    exit 1
  fi
  BASE="http://127.0.0.1:$port"
}
