import { defineConfig } from '@playwright/test';
import chrome from './playwright.config.ts';

// The Firefox lane: the specs that test the library rather than Chrome, run in a stock
// Firefox ESR (WebGPU through wgpu) driven by puppeteer-core over WebDriver BiDi
// (test/browser/support/engine.ts says why not Playwright's own Firefox). Headless: Firefox
// needs no display for WebGPU. A test that depends on Chrome says "[Chrome only: why]" in
// its name and is left out here. Also left out, though not Chrome-specific in what they
// test: the bundler consumer specs (their cost is the bundlers, not the browser) and the
// demo page's spec.
process.env.VYRE_BROWSER = 'firefox';

export const FIREFOX_SPECS = [
  'runtime.spec.ts',
  'built-bundle.spec.ts',
  'cache-api.spec.ts',
  'dispatch-engine.spec.ts',
  'dispatch-encoding.spec.ts',
  'ir-programs.spec.ts',
  'kernels.spec.ts',
  'wgsl-corpus.spec.ts',
  'wgsl-malformed.spec.ts',
  'persistent-cache.spec.ts',
  'fuzz.spec.ts',
  'images.spec.ts',
  'tuning.spec.ts',
  'staged-inputs.spec.ts',
];

export default defineConfig({
  ...chrome,
  testMatch: FIREFOX_SPECS,
  // The grids folded at the device limit take minutes each on a software GPU in Firefox;
  // CI leaves them to `npm run test:full` (VYRE_FULL=1).
  grepInvert: process.env.VYRE_FULL === '1' ? /\[Chrome only/ : /\[Chrome only|at the real device limit/,
  outputDir: 'test-results/browser-firefox-artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/browser-firefox.json' }]],
  use: { ...chrome.use, trace: 'off' },
});
