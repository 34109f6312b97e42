// Sums the unit (Vitest JSON) and browser (Playwright JSON, one per browser lane) reports into one line,
//   ci: N passed, M failed
// and exits non-zero when anything failed. Arguments: names of steps that failed outright
// (type-check, build, …); each counts as one failure. Skipped tests are reported, never
// counted as passed, and under CI a skipped test counts as a failure (no GPU test may skip there).
import { existsSync, readFileSync } from 'node:fs';

const failedSteps = process.argv.slice(2);
let passed = 0;
let failed = failedSteps.length;
let skipped = 0;

function read(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

const unit = read('test-results/unit.json');
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + unit.numTodoTests;
} else if (!failedSteps.includes('unit')) {
  failed += 1;
  console.log('summary: no unit-test report (test-results/unit.json)');
}

// Each browser lane: its Playwright JSON report, and the step that ran it.
const BROWSER_LANES = [
  { name: 'chrome', report: 'test-results/browser.json', step: 'browser' },
  { name: 'firefox', report: 'test-results/browser-firefox.json', step: 'browser-firefox' },
];
for (const lane of BROWSER_LANES) {
  const report = read(lane.report);
  if (report) {
    const { expected, unexpected, flaky, skipped: laneSkipped } = report.stats;
    passed += expected;
    failed += unexpected + flaky;
    skipped += laneSkipped;
    for (const error of report.errors ?? []) console.log(`${lane.name} suite error: ${error.message}`);
    failed += (report.errors ?? []).length;
    console.log(`summary: ${lane.name} lane: ${expected} passed, ${unexpected + flaky} failed, ${laneSkipped} skipped`);
  } else if (!failedSteps.includes(lane.step)) {
    failed += 1;
    console.log(`summary: no ${lane.name} browser-test report (${lane.report})`);
  }
}

// The Deno lane: scripts/fuzz-deno.ts writes its checks as { passed, failed, checks }.
const deno = read('test-results/deno.json');
if (deno) {
  passed += deno.passed;
  failed += deno.failed;
  console.log(`summary: deno lane: ${deno.passed} passed, ${deno.failed} failed`);
} else if (!failedSteps.includes('deno')) {
  failed += 1;
  console.log('summary: no deno report (test-results/deno.json)');
}

if (skipped > 0) {
  console.log(`summary: ${skipped} test(s) skipped${process.env.CI ? ' — counted as failed under CI' : ''}`);
  if (process.env.CI) failed += skipped;
}
if (failedSteps.length > 0) console.log(`summary: failed steps: ${failedSteps.join(', ')}`);
console.log(`ci: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
