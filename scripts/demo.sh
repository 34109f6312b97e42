#!/usr/bin/env bash
# The main job: installs what it needs, then serves the demo page and prints its URL.
# Usage: npm run demo [-- --port 5173]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
port=5173
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
echo "demo: open http://localhost:$port/demo/ in Chrome (WebGPU needs localhost or https)"
exec npx vite --config vite.config.ts --port "$port"
