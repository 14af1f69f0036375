#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for SiteGate: system packages (when root, else prints
# the command), npm dependencies (Electron's binary download skipped: the appliance runs
# without it), and the UI build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium socat util-linux espeak-ng ffmpeg libusb-1.0-0 fonts-wqy-microhei ca-certificates)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these Debian packages are missing: ${missing[*]}"
    echo "setup: run as root:  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    echo "setup: (continuing; tests that need them will fail until they are installed)"
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required (found $(node -v))" >&2
  exit 1
fi

# Electron's installer downloads a binary from outside the npm registry; the appliance runs
# under plain Node and Chromium without it (see README). `npm run dist` needs it.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi

npm run --silent build
echo "setup: done"
