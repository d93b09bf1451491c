#!/usr/bin/env bash
# Starts the server from the repository root with a local config (.env) created on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
exec ./build/release/server/app/fluxmeet --dev --web-root web/dist "$@"
