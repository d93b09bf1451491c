#!/usr/bin/env bash
# Effects pipeline benchmark (issue 8): builds a page around web/src/media/effects and runs it in
# headless Chromium with the fake camera at 640x360 and 1280x720, for strong blur and image
# replacement. Needs web/node_modules, tests/e2e/node_modules and /usr/bin/chromium; no C++ build.
#   bench/effects/run.sh [seconds per case]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${BENCH_OUT:-$(mktemp -d /tmp/fluxmeet-bench-effects.XXXXXX)}"
(cd "$here/../../web" && BENCH_OUT="$out" npx vite build --config "$here/vite.config.mjs" --logLevel error)
node "$here/bench.mjs" "$out" "${1:-8}"
