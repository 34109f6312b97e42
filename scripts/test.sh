#!/usr/bin/env bash
# Runs the tests: installs what it needs, type-checks, checks the layer rules, runs the
# unit tests (Vitest, Node), builds the library and the demo, runs the browser tests
# (Playwright, headed Chrome under Xvfb) and the Firefox lane (the same library specs in a
# headless Firefox ESR, WebGPU through wgpu) and the Deno lane (the differential fuzzer on
# Deno's wgpu), and prints one summary line:
#   ci: N passed, M failed
# Exits non-zero on any failure. With VYRE_FULL=1 (`npm run test:full`) the browser lanes also
# run the long sweeps: every kernel on a grid folded at the real device limit.
set -uo pipefail
cd "$(dirname "$0")/.."

failed_steps=()
step() {
  local name=$1; shift
  echo "── $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}

bash scripts/ensure-chrome.sh || exit 1
bash scripts/ensure-firefox.sh || exit 1
bash scripts/ensure-deps.sh || exit 1
rm -rf test-results
mkdir -p test-results

step typecheck npx tsc -p tsconfig.json --noEmit
step layers node scripts/check-layers.mjs
step unit npx vitest run
step build npm run --silent build
step build-demo npx vite build --config vite.config.ts --logLevel warn
step browser bash scripts/with-display.sh npx playwright test
step browser-firefox npx playwright test -c playwright.firefox.config.ts
step deno node scripts/run-deno.mjs scripts/fuzz-deno.ts 150 20261127 150 test-results/deno.json

node scripts/summarize-tests.mjs "${failed_steps[@]}"
