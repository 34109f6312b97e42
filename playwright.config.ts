import { defineConfig } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from './scripts/chrome-flags.mjs';

const VITE_PORT = Number(process.env.VYRE_TEST_PORT ?? 5183);
const STATIC_PORT = VITE_PORT + 1;

// Headed Chrome (run under xvfb-run on machines without a display), one worker:
// SwiftShader compiles are CPU-bound and a 2-core machine gains nothing from parallel tests.
export default defineConfig({
  testDir: 'test/browser',
  // Its own folder: Playwright empties outputDir at start, and test-results/ also holds unit.json.
  outputDir: 'test-results/browser-artifacts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/browser.json' }]],
  use: {
    baseURL: `http://localhost:${VITE_PORT}`,
    headless: false,
    launchOptions: { executablePath: CHROME_PATH, args: CHROME_WEBGPU_FLAGS },
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `VYRE_NO_HMR=1 npx vite --config vite.config.ts --port ${VITE_PORT}`,
      url: `http://localhost:${VITE_PORT}/test/browser/pages/harness.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `node test/browser/support/static-server.mjs ${STATIC_PORT}`,
      url: `http://localhost:${STATIC_PORT}/test/browser/pages/built.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
});
