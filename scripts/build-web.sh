#!/usr/bin/env bash
# Builds the web client only when its sources changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/../web"
[[ -f package.json ]] || exit 0
stamp=dist/.build-stamp
if [[ -f $stamp ]] && [[ -z $(find src public index.html package.json vite.config.* tsconfig*.json -newer "$stamp" 2>/dev/null | head -1) ]]; then
  exit 0
fi
npm run --silent build
touch "$stamp"
