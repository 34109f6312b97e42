#!/usr/bin/env bash
# Installs the npm packages from the lockfile when node_modules is missing or stale.
set -euo pipefail
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
