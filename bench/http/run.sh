#!/usr/bin/env bash
# HTTP API benchmark: starts a fresh Release server on a scratch directory, registers a user and
# creates a meeting with curl, then drives it with wrk over loopback:
#   (a) GET  /api/v1/meetings/<code> with the Bearer token  (JWT check + one SQLite lookup + JSON)
#   (b) POST /api/v1/auth/login via bench/http/login.lua     (Argon2id verify on the blocking pool)
# once with the access log on (the production default) and once with --log-level warn, each at
# wrk -t1 -c16 and -c64, plus one run of (a) and (b) at the same time to show that logins, which
# run on the blocking pool, do not starve the event loop. Every result is a Markdown table row
# with the server CPU time per request, taken from utime+stime in /proc/<pid>/stat.
#
# Builds nothing: `make bench` builds build/release first. Environment knobs:
#   FLUXMEET_BIN=path      server binary (default build/release/server/app/fluxmeet)
#   BENCH_DURATION=10s     length of each wrk run
#   BENCH_CONNECTIONS="16 64"
#   BENCH_PIN=0            do not pin wrk and the server to separate cores
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN="${FLUXMEET_BIN:-$ROOT/build/release/server/app/fluxmeet}"
[[ "$BIN" = /* ]] || BIN="$ROOT/$BIN"
DURATION="${BENCH_DURATION:-10s}"
read -r -a CONNECTIONS <<<"${BENCH_CONNECTIONS:-16 64}"
LOGIN_LUA="$ROOT/bench/http/login.lua"
CLK_TCK=$(getconf CLK_TCK)

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "bench/http: $tool is not installed" >&2; exit 1; }
done
if [[ ! -x "$BIN" ]]; then
  echo "bench/http: $BIN not found; run 'make bench' (or 'make build') first" >&2
  exit 1
fi

BENCH_NAME=http
# shellcheck source=../lib/server.sh
source "$ROOT/bench/lib/server.sh"
echo "pinning: $PINNING"

# Sum of user and system CPU time of all the server's threads, in clock ticks.
cpu_ticks() {
  local stat
  stat=$(<"/proc/$SERVER_PID/stat")
  stat=${stat##*) }  # the command name may contain spaces; fields restart after ") " at field 3
  read -r -a fields <<<"$stat"
  echo $((fields[11] + fields[12]))  # fields 14 (utime) and 15 (stime)
}

# Registers the benchmark account and creates one instant meeting; sets TOKEN and CODE.
EMAIL="bench@example.com"
PASSWORD="bench-password-0123456789"
setup_data() {
  local registered meeting
  registered=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench\",\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
    "$BASE/api/v1/auth/register")
  TOKEN=$(jq -r .accessToken <<<"$registered")
  meeting=$(curl -sf -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
    -d '{"kind":"instant","title":"Benchmark"}' "$BASE/api/v1/meetings")
  CODE=$(jq -r .code <<<"$meeting")
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/meetings/$CODE"
  curl -sf -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/auth/login"
}

# wrk's summary -> "req/s|p50|p99|requests|problems"
parse_wrk() {
  local out=$1 rps p50 p99 total problems=""
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  if grep -q 'Non-2xx' <<<"$out"; then
    problems+="$(awk -F': *' '/Non-2xx/ {print $2}' <<<"$out") non-2xx; "
  fi
  if grep -q 'Socket errors' <<<"$out"; then
    problems+="$(sed -n 's/^ *Socket errors: //p' <<<"$out"); "
  fi
  echo "$rps|$p50|$p99|${total:-0}|${problems:-none}"
}

row() {  # row <endpoint> <log> <conns> <parsed> <cpu ticks> <command>
  local rps p50 p99 total problems us
  IFS='|' read -r rps p50 p99 total problems <<<"$4"
  us=$(awk -v t="$5" -v hz="$CLK_TCK" -v n="$total" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "n/a" }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | `%s` |\n' "$1" "$2" "$3" "$rps" "$p50" "$p99" "$us" "$problems" "$6"
}

LOOKUP_HDR=(-H "'Authorization: Bearer \$TOKEN'")
header() {
  echo
  echo "| endpoint | access log | conns | req/s | p50 | p99 | server CPU µs/req | errors | command |"
  echo "|---|---|---|---|---|---|---|---|---|"
}

# bench_one <endpoint label> <log label> <conns>
bench_one() {
  local label=$1 log=$2 conns=$3 before after out
  local args=(-t1 "-c$conns" "-d$DURATION" --latency)
  local shown
  if [[ "$label" == lookup ]]; then
    args+=(-H "Authorization: Bearer $TOKEN" "$BASE/api/v1/meetings/$CODE")
    shown="wrk ${args[*]:0:4} ${LOOKUP_HDR[*]} $BASE/api/v1/meetings/<code>"
  else
    args+=(--timeout 30s -s "$LOGIN_LUA" "$BASE/api/v1/auth/login")
    shown="wrk ${args[*]:0:6} -s bench/http/login.lua $BASE/api/v1/auth/login"
  fi
  before=$(cpu_ticks)
  out=$(BENCH_EMAIL="$EMAIL" BENCH_PASSWORD="$PASSWORD" "${CLIENT_PIN[@]}" wrk "${args[@]}" 2>&1)
  after=$(cpu_ticks)
  [[ -n "${BENCH_VERBOSE:-}" ]] && echo "$out" >&2
  local name="GET /api/v1/meetings/{code}"
  [[ "$label" == login ]] && name="POST /api/v1/auth/login"
  row "$name" "$log" "$conns" "$(parse_wrk "$out")" $((after - before)) "$shown"
}

# Lookups at -c16 and logins at -c4 (twice the pool size, so both Argon2id threads stay busy
# without a queue so deep that no login finishes within the run), started together; the lookup
# p99 shows whether the event loop keeps answering while the pool is saturated.
bench_concurrent() {
  local log=$1 before after lookup_out login_out
  before=$(cpu_ticks)
  BENCH_EMAIL="$EMAIL" BENCH_PASSWORD="$PASSWORD" "${CLIENT_PIN[@]}" wrk -t1 -c4 "-d$DURATION" --latency \
    --timeout 30s -s "$LOGIN_LUA" "$BASE/api/v1/auth/login" >"$TMP/login.out" 2>&1 &
  local login_pid=$!
  local logged_before
  logged_before=$(grep -c 'path=/api/v1/auth/login ' "$TMP/log-$log/server.log" || true)
  lookup_out=$("${CLIENT_PIN[@]}" wrk -t1 -c16 "-d$DURATION" --latency -H "Authorization: Bearer $TOKEN" \
    "$BASE/api/v1/meetings/$CODE" 2>&1)
  wait "$login_pid"
  after=$(cpu_ticks)
  login_out=$(<"$TMP/login.out")
  [[ -n "${BENCH_VERBOSE:-}" ]] && printf '%s\n%s\n' "$lookup_out" "$login_out" >&2
  local lookup_parsed login_parsed lookup_n login_n
  lookup_parsed=$(parse_wrk "$lookup_out")
  login_parsed=$(parse_wrk "$login_out")
  IFS='|' read -r _ _ _ lookup_n _ <<<"$lookup_parsed"
  IFS='|' read -r _ _ _ login_n _ <<<"$login_parsed"
  echo
  echo "Concurrent run (access log $log): lookups at -c16 and logins at -c4 for $DURATION at the same time;"
  echo "CPU µs/req is the server's total CPU over both runs divided by all requests of that row's endpoint."
  header
  row "GET /api/v1/meetings/{code} (during logins)" "$log" 16 "$lookup_parsed" $((after - before)) \
    "wrk -t1 -c16 -d$DURATION --latency ${LOOKUP_HDR[*]} $BASE/api/v1/meetings/<code>"
  row "POST /api/v1/auth/login (during lookups)" "$log" 4 "$login_parsed" $((after - before)) \
    "wrk -t1 -c4 -d$DURATION --latency --timeout 30s -s bench/http/login.lua $BASE/api/v1/auth/login"
  # wrk only counts answers that arrive before the run ends; the server's access log also shows
  # logins it finished for connections wrk had already given up on.
  local logged
  sleep 1.5  # info lines reach the log file within a second (server/app/src/console_log.hpp)
  logged=$(tail -n +"$((logged_before + 1))" <(grep 'path=/api/v1/auth/login ' "$TMP/log-$log/server.log") |
    sed -n 's/.* status=\([0-9]*\) ms=\([0-9.]*\).*/\2 \1/p' | sort -n |
    awk '{ n++; if ($2 != 200) bad++; ms[n] = $1 } END {
      if (n == 0) { print "none"; exit }
      printf "%d logins (%d not 200), server-side latency median %.0f ms, max %.0f ms", n, bad, ms[int((n + 1) / 2)], ms[n] }')
  echo
  echo "server access log during the concurrent run: $logged"
  echo "server CPU during the concurrent run: $(awk -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t / hz}') s" \
    "for $lookup_n lookups + $login_n logins"
}

echo "server: $BIN"
echo "wrk: $(wrk --version 2>&1 | head -n1)"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other jobs on this machine skew results)"
echo "duration per run: $DURATION, connections: ${CONNECTIONS[*]}, CPU clock tick: 1/$CLK_TCK s"

for mode in on off; do
  if [[ "$mode" == on ]]; then
    start_server log-on --log-level info
  else
    start_server log-off --log-level warn
  fi
  setup_data
  echo
  echo "## access log $mode (server pid $SERVER_PID, $BASE, meeting $CODE)"
  header
  for conns in "${CONNECTIONS[@]}"; do bench_one lookup "$mode" "$conns"; done
  # The concurrent run comes before the login runs: logins that wrk abandons at the end of a run
  # stay queued on the Argon2id pool (nothing cancels them) and would keep it busy for seconds.
  if [[ "$mode" == on ]]; then bench_concurrent "$mode"; header; fi
  for conns in "${CONNECTIONS[@]}"; do bench_one login "$mode" "$conns"; done
  stop_server
done
echo
echo "bench/http: done"
