#!/usr/bin/env bash
# Recording benchmark (issue 6): how many tracks one core records with no frame lost. Runs
# bench_record (see its header comment for every column) on real VP8 720p ~1.5 Mbit/s 30 fps and
# Opus that ffmpeg makes once per run, with the packet thread and the writer thread pinned to
# one CPU together:
#   1. real time, audio + video pairs: the target (200 tracks) and 600;
#   2. real time, video only: the expensive kind alone;
#   3. unpaced, audio + video: CPU cost without the packet thread's 1 ms timer loop.
# Prints one Markdown table; the recorded files (~2 GB at 600 tracks) go to a temp dir
# under /tmp and are deleted after each scenario.
#
# Builds nothing: build the `bench_record` target of a Release build first. Needs ffmpeg/ffprobe.
# Environment knobs:
#   BENCH_RECORD_BIN=path              default build/release/bench/record/bench_record
#   BENCH_RECORD_TRACKS="200,600"      real-time audio+video scenarios (even numbers)
#   BENCH_RECORD_VIDEO_TRACKS=200      real-time video-only scenario ("" to skip)
#   BENCH_RECORD_UNPACED_TRACKS=200    unpaced scenario ("" to skip)
#   BENCH_RECORD_SECONDS=10            measured media seconds per scenario
#   BENCH_RECORD_WARMUP=18             media seconds fed unpaced first (fills every queue slot once)
#   BENCH_RECORD_CLIP_DIR=dir          keep the ffmpeg-made clip there across runs (default: temp)
#   BENCH_COMPOSE_SECONDS=300          length of the composed 4-person meeting ("" to skip)
#   BENCH_PIN=0                        do not pin (default: both threads on CPU 1)
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN="${BENCH_RECORD_BIN:-$ROOT/build/release/bench/record/bench_record}"
[[ "$BIN" = /* ]] || BIN="$ROOT/$BIN"
[[ -x "$BIN" ]] || { echo "bench/record: $BIN not found; build the bench_record target (Release) first" >&2; exit 1; }
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || { echo "bench/record: needs ffmpeg and ffprobe" >&2; exit 1; }

CLIP_DIR="${BENCH_RECORD_CLIP_DIR:-}"
TEMP_CLIP_DIR=""
if [[ -z "$CLIP_DIR" ]]; then
  TEMP_CLIP_DIR=$(mktemp -d /tmp/fluxmeet-bench-record-clip-XXXXXX)
  CLIP_DIR=$TEMP_CLIP_DIR
fi
mkdir -p "$CLIP_DIR"
# scripts/bench.sh's timeout signals this script only: pass it on, so bench_record stops feeding,
# finalizes and deletes its files.
pid=""
cleanup() { [[ -z "$TEMP_CLIP_DIR" ]] || rm -rf "$TEMP_CLIP_DIR"; }
trap cleanup EXIT
trap 'if [[ -n "$pid" ]]; then kill -TERM "$pid" 2>/dev/null; wait "$pid" || true; fi; exit 143' TERM INT
run_bench() {
  "$BIN" "$@" &
  pid=$!
  wait "$pid"
}

CPU=1
if [[ "${BENCH_PIN:-1}" == 0 || $(nproc) -lt 2 ]]; then CPU=-1; fi
ARGS=(--seconds "${BENCH_RECORD_SECONDS:-10}" --warmup "${BENCH_RECORD_WARMUP:-18}" --cpu "$CPU"
      --clip-dir "$CLIP_DIR")

echo "bench_record: $BIN ${ARGS[*]}"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

failed=0
run_bench --header --kind av --tracks "${BENCH_RECORD_TRACKS:-200,600}" "${ARGS[@]}" || failed=1
if [[ -n "${BENCH_RECORD_VIDEO_TRACKS-200}" ]]; then
  run_bench --kind video --tracks "${BENCH_RECORD_VIDEO_TRACKS-200}" "${ARGS[@]}" || failed=1
fi
if [[ -n "${BENCH_RECORD_UNPACED_TRACKS-200}" ]]; then
  run_bench --kind av --speed 0 --tracks "${BENCH_RECORD_UNPACED_TRACKS-200}" "${ARGS[@]}" || failed=1
fi
# 4. Composition of a recorded 4-person 720p meeting (bench_compose, next to bench_record),
#    pinned to the same single CPU: speed as a multiple of real time.
COMPOSE_BIN="$(dirname "$BIN")/bench_compose"
if [[ -n "${BENCH_COMPOSE_SECONDS-300}" && -x "$COMPOSE_BIN" ]]; then
  pinned=()
  [[ $CPU == -1 ]] || pinned=(taskset -c "$CPU")
  "${pinned[@]}" "$COMPOSE_BIN" --people 4 --seconds "${BENCH_COMPOSE_SECONDS-300}" &
  pid=$!
  wait "$pid" || failed=1
fi
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $failed == 0 ]] || echo "bench/record: a scenario lost frames or wrote a bad file" >&2
exit "$failed"
