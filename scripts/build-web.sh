#!/usr/bin/env bash
# Builds the web client only when its sources changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/../web"
[[ -f package.json ]] || exit 0
stamp=dist/.build-stamp
if [[ -f $stamp ]] && [[ -z $(find src public vite index.html package.json vite.config.* tsconfig*.json -newer "$stamp" 2>/dev/null | head -1) ]]; then
  exit 0
fi
npm run --silent build
# Precompressed variants: the server sends them to clients that accept br/gzip, no CPU per request.
find dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' -o -name '*.webmanifest' \) \
  -size +1k -print0 | while IFS= read -r -d '' file; do
  gzip -9 -k -f "$file"
  brotli -q 11 -k -f "$file"
done
touch "$stamp"
