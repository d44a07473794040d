#!/usr/bin/env bash
# Browser end-to-end tests: the example dashboard (examples/dashboard), its
# @defer page (examples/dashboard/defer) and the playground in headless
# Chromium, plus the Relay compatibility check. Installs
# what they need: Debian's chromium (playwright-core drives it; nothing is
# downloaded from a browser CDN), CJK fonts for the screenshots, and the
# dashboard's npm packages from its lockfile. Needs Go, Node 20+ and npm.
set -euo pipefail
cd "$(dirname "$0")/../examples/dashboard"

# Debian's chromium, and CJK fonts whether or not chromium was already
# there: without them the screenshots show Chinese names as empty boxes.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed' || missing+=(fonts-noto-cjk)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
export CHROMIUM_PATH="$(command -v chromium)"

npm ci --no-audit --no-fund --loglevel=error
node e2e/run.mjs
node e2e/defer.mjs # @defer over multipart/mixed: rows first, follow-ups later
