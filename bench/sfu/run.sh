#!/usr/bin/env bash
# SFU benchmark: for each scenario (default 1→10, 1→50, 10→10, 25→25) runs bench_sfu once, in a
# fresh process: N publishers and M subscribers on one Router over loopback with real ICE, DTLS
# and SRTP (client::MediaClient), every publisher sending synthetic VP8 (+ Opus), every
# subscriber consuming every publisher. The media worker runs inside bench_sfu on CPU 1, the
# clients on CPU 0. Prints one Markdown table; bench_sfu.cpp's header comment defines each column.
#
# Builds nothing: build the `bench_sfu` target of a Release build first. Environment knobs:
#   BENCH_SFU_BIN=path          default build/release/bench/sfu/bench_sfu
#   BENCH_SFU_SCENARIOS="1:10 1:50 10:10 25:25"   publishers:subscribers
#   BENCH_SFU_SECONDS=10        measured window per scenario (after a 2 s warm-up)
#   BENCH_SFU_VIDEO_KBPS=800    VP8 bitrate (top layer with simulcast)
#   BENCH_SFU_FPS=30
#   BENCH_SFU_SIMULCAST=0       1: three layers (1/10, 1/3, 1 of the bitrate); consumers take the top
#   BENCH_SFU_GSO=on            off: the worker sends every datagram plain (MEDIA_UDP_GSO=off)
#   BENCH_PIN=0                 do not pin the worker and client threads
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN="${BENCH_SFU_BIN:-$ROOT/build/release/bench/sfu/bench_sfu}"
[[ "$BIN" = /* ]] || BIN="$ROOT/$BIN"
[[ -x "$BIN" ]] || { echo "bench/sfu: $BIN not found; build the bench_sfu target (Release) first" >&2; exit 1; }
read -r -a SCENARIOS <<<"${BENCH_SFU_SCENARIOS:-1:10 1:50 10:10 25:25}"

ARGS=(--seconds "${BENCH_SFU_SECONDS:-10}" --warmup 2 --video-kbps "${BENCH_SFU_VIDEO_KBPS:-800}"
      --fps "${BENCH_SFU_FPS:-30}" --gso "${BENCH_SFU_GSO:-on}")
[[ "${BENCH_SFU_SIMULCAST:-0}" == 1 ]] && ARGS+=(--simulcast)
PINNING="worker thread on CPU 1, clients on CPU 0"
if [[ "${BENCH_PIN:-1}" == 0 || $(nproc) -lt 2 ]]; then
  ARGS+=(--worker-cpu -1 --client-cpu -1)
  PINNING="none"
fi
# 25→25 with audio is 50 transports and 1,250 consumers: well within the default limits, but the
# clients hold one socket each.
ulimit -n 4096 2>/dev/null || true

echo "bench_sfu: $BIN ${ARGS[*]}"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg); pinning: $PINNING"
echo "media: VP8 ${BENCH_SFU_VIDEO_KBPS:-800} kbit/s at ${BENCH_SFU_FPS:-30} fps (keyframes on PLI), Opus 32 kbit/s / 20 ms; simulcast: ${BENCH_SFU_SIMULCAST:-0}; UDP GSO: ${BENCH_SFU_GSO:-on}"
echo

failed=0
first=1
for scenario in "${SCENARIOS[@]}"; do
  publishers=${scenario%%:*}
  subscribers=${scenario##*:}
  header=()
  if (( first )); then header=(--header); first=0; fi
  if ! "$BIN" "${header[@]}" --publishers "$publishers" --subscribers "$subscribers" "${ARGS[@]}"; then
    echo "bench/sfu: scenario $publishers→$subscribers failed" >&2
    failed=1
  fi
done
exit "$failed"
