#!/usr/bin/env bash
# Runs a command with a display: as is when $DISPLAY is set, under xvfb-run otherwise.
set -euo pipefail
if [ -n "${DISPLAY:-}" ]; then exec "$@"; fi
exec xvfb-run -a --server-args="-screen 0 1280x1024x24" "$@"
