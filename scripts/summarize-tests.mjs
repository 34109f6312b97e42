// Sums the unit (Vitest JSON) and browser (Playwright JSON) reports into one line,
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

const browser = read('test-results/browser.json');
if (browser) {
  passed += browser.stats.expected;
  failed += browser.stats.unexpected + browser.stats.flaky;
  skipped += browser.stats.skipped;
  for (const error of browser.errors ?? []) console.log(`browser suite error: ${error.message}`);
  failed += (browser.errors ?? []).length;
} else if (!failedSteps.includes('browser')) {
  failed += 1;
  console.log('summary: no browser-test report (test-results/browser.json)');
}

if (skipped > 0) {
  console.log(`summary: ${skipped} test(s) skipped${process.env.CI ? ' — counted as failed under CI' : ''}`);
  if (process.env.CI) failed += skipped;
}
if (failedSteps.length > 0) console.log(`summary: failed steps: ${failedSteps.join(', ')}`);
console.log(`ci: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
