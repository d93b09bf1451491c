#!/usr/bin/env bash
# Builds every libFuzzer target registered through fluxmeet_fuzz_target (fuzz/CMakeLists.txt) and
# runs each for FUZZ_SECONDS (default 60) on a scratch copy of its checked-in seed corpus, so the
# corpus in git stays small. Exits non-zero if any target fails to build or finds a crash.
#   FUZZ_SECONDS=300 scripts/fuzz.sh                # all targets
#   scripts/fuzz.sh fuzz_rtp_packet fuzz_stun_message  # only these (still built via fuzz_all)
# Crash reproducers are left in build/fuzz/artifacts/<target>/.
set -euo pipefail

cd "$(dirname "$0")/.."
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
BUILD_DIR=build/fuzz

CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFLUXMEET_FUZZ=ON -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$BUILD_DIR" -j2 --target fuzz_all

if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  mapfile -t targets < <(grep -v '^$' "$BUILD_DIR/fuzz/targets.txt")
fi

# The fuzz build compiles UBSan in recoverable mode; make any report a failure.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

failed=()
for target in "${targets[@]}"; do
  corpus="$BUILD_DIR/corpus/$target"
  artifacts="$BUILD_DIR/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  if [[ -d "fuzz/corpus/$target" ]]; then
    cp -n "fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null || true
  fi
  echo "== $target: ${FUZZ_SECONDS}s"
  if ! "$BUILD_DIR/fuzz/bin/$target" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$corpus" 2>"$BUILD_DIR/$target.log"; then
    failed+=("$target")
    tail -n 40 "$BUILD_DIR/$target.log"
  fi
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' \
    "$BUILD_DIR/$target.log" || true
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: FAILED: ${failed[*]} (reproducers in $BUILD_DIR/artifacts/)"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${FUZZ_SECONDS}s without crashes"
