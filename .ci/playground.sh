#!/usr/bin/env bash
# Rebuilds the offline playground bundle from its lockfile and fails if the
# result differs from the committed web/playground/dist (the build is
# deterministic: see web/playground/README.md).
set -euo pipefail
cd "$(dirname "$0")/../web/playground"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
if [ -n "$(git status --porcelain -- dist)" ]; then
  echo "web/playground/dist differs from a rebuild of its sources:"
  git status --porcelain -- dist
  exit 1
fi
echo "playground bundle: rebuild identical"
