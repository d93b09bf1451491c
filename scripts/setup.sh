#!/usr/bin/env bash
# Idempotent set-up: installs only what is missing (Debian packages, npm packages).
# Fast when nothing changed: a dpkg query and two timestamp checks.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < scripts/apt-packages.txt
# Node.js may come from another source with its own npm; Debian's npm only when none is there.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # coturn is here for the TURN test, which runs its own turnserver; on a systemd machine Debian's
  # package also enables and starts a system-wide one on port 3478: stop the one we just installed.
  if [[ " ${missing[*]} " == *" coturn "* && -d /run/systemd/system ]]; then
    $SUDO systemctl disable --now coturn.service >/dev/null 2>&1 || true
  fi
fi

# npm packages: reinstall only when package-lock.json is newer than the installed tree.
for dir in web tests/integration tests/e2e; do
  [[ -f "$dir/package.json" ]] || continue
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
