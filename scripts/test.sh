#!/usr/bin/env bash
# Runs every test suite against the sanitizer build and prints one summary line:
#   C++ unit tests (GoogleTest), integration tests against the real binary (node:test),
#   web unit tests (Vitest) and browser end-to-end tests (Playwright + Debian's chromium).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/build/test/results"
rm -rf "$results" && mkdir -p "$results"
export FLUXMEET_BIN="$root/build/test/server/app/fluxmeet"
export FLUXMEET_MEDIA_PROBE="$root/build/test/tests/tools/media_probe/fluxmeet_media_probe"
export FLUXMEET_WEB_ROOT="$root/web/dist"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0

echo "== C++ unit tests"
for binary in build/test/tests/unit/unit_*; do
  [[ -x "$binary" ]] || continue
  name=$(basename "$binary")
  if ! "$binary" --gtest_brief=1 --gtest_output="json:$results/gtest-$name.json"; then
    echo "FAILED: $name" >&2
    [[ -f "$results/gtest-$name.json" ]] || echo "{\"crashed\":\"$name\"}" >"$results/gtest-$name.json"
    status=1
  fi
done

if [[ -d tests/integration/node_modules || -f tests/integration/package.json ]]; then
  echo "== integration tests (real fluxmeet binary)"
  if ! node --test --test-concurrency=2 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$results/integration.tap" \
      tests/integration/*.test.mjs; then
    status=1
  fi
fi

if [[ -f web/package.json ]]; then
  echo "== web unit tests (Vitest)"
  if ! (cd web && npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json"); then
    status=1
  fi
fi

if compgen -G "tests/e2e/*.test.mjs" >/dev/null; then
  echo "== browser end-to-end tests (Chromium)"
  if ! node --test --test-concurrency=1 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$results/e2e.tap" \
      tests/e2e/*.test.mjs; then
    status=1
  fi
fi

node scripts/test-summary.mjs "$results" || status=1
exit $status
