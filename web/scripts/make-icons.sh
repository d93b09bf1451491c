#!/usr/bin/env bash
# Rasterises the app icons from the two SVG sources in public/icons/. Run once after changing a
# logo and commit the PNGs: the build only copies them, so no image tool is needed to build.
# Needs rsvg-convert (Debian: librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/../public/icons"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert missing: apt-get install librsvg2-bin" >&2; exit 1; }
rsvg-convert -w 192 -h 192 logo.svg -o icon-192.png
rsvg-convert -w 512 -h 512 logo.svg -o icon-512.png
rsvg-convert -w 512 -h 512 logo-maskable.svg -o icon-maskable-512.png
rsvg-convert -w 192 -h 192 logo-maskable.svg -o icon-maskable-192.png
# iOS draws its own rounded corners and shows black behind transparency: use the full-bleed art.
rsvg-convert -w 180 -h 180 logo-maskable.svg -o apple-touch-icon.png
rsvg-convert -w 32 -h 32 logo.svg -o favicon-32.png
# Notification badge (Android status bar): a white silhouette on transparent.
rsvg-convert -w 96 -h 96 badge.svg -o badge-96.png
