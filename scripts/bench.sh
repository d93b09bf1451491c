#!/usr/bin/env bash
# Runs the benchmarks (`make bench` builds build/release first). Each suite is bounded by
# BENCH_TIMEOUT seconds (default 180) so a hung server cannot stall the run.
#   scripts/bench.sh            # all suites
#   scripts/bench.sh http       # only these
# Results are printed as Markdown table rows; docs/benchmarks.md records a reference run.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_TIMEOUT="${BENCH_TIMEOUT:-180}"

suites=("$@")
[[ ${#suites[@]} -gt 0 ]] || suites=(http signaling sfu record whiteboard effects)

failed=()
for suite in "${suites[@]}"; do
  echo "== bench/$suite"
  # --foreground keeps Ctrl-C working; on timeout the suite's EXIT trap stops its server.
  if ! timeout --foreground --signal=TERM --kill-after=10 "$BENCH_TIMEOUT" bash "bench/$suite/run.sh"; then
    failed+=("$suite")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "bench: FAILED: ${failed[*]}"
  exit 1
fi
