/**
 * Browser-test fixtures: a page with the library loaded and WebGPU checked, in Chrome
 * (Playwright's page) or, in the Firefox lane, Firefox (see engine.ts).
 *
 * A test skips only when the browser truly has no WebGPU, and never under CI. Every
 * uncaught page error and every console error (uncaptured WebGPU errors included)
 * fails the test, so a stray validation error cannot hide behind a passing assertion.
 */
import { test as base, expect, type Page } from '@playwright/test';
import type { Browser } from 'puppeteer-core';
import { launchFirefox } from '../../../scripts/firefox-prefs.mjs';
import { BASE_URL, ENGINE, type HarnessPage } from './engine.ts';
import { openFirefoxHarness } from './firefox-page.ts';

type Vyre = typeof import('../../support/vyre-all.ts');

declare global {
  interface Window {
    vyre: Vyre;
    vyreReady?: boolean;
  }
}

export interface HarnessOptions {
  /** Page to open: the src harness (default) or the built bundle. */
  readonly harness: string;
}

interface TestFixtures extends HarnessOptions {
  vyrePage: HarnessPage;
  strayErrors: string[];
}

interface WorkerFixtures {
  /** The Firefox of the Firefox lane, one per Playwright worker; null in the Chrome lane. */
  firefox: Browser | null;
}

/** Opens `url`, waits for `window.vyre`, and checks for WebGPU. */
export async function openHarness(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 30_000 });
  await requireWebGpu(page);
}

/** Skips the test when the open page has no WebGPU adapter; fails instead under CI. */
export async function requireWebGpu(page: HarnessPage): Promise<void> {
  const hasWebGpu = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return false;
    return (await navigator.gpu.requestAdapter()) !== null;
  });
  if (!hasWebGpu) {
    if (process.env.CI) throw new Error(`This ${ENGINE} has no WebGPU adapter; CI must run with WebGPU.`);
    base.skip(true, 'This browser has no WebGPU adapter.');
  }
}

const chromeTest = base.extend<TestFixtures, WorkerFixtures>({
  harness: ['/test/browser/pages/harness.html', { option: true }],
  firefox: [async ({}, use) => use(null), { scope: 'worker' }],
  strayErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    await use(errors);
    expect(errors, 'stray page errors').toEqual([]);
  },
  vyrePage: async ({ page, harness, strayErrors }, use) => {
    void strayErrors;
    await openHarness(page, harness);
    await use(page);
  },
});

/** The same fixtures over Firefox: one browser per worker, a fresh tab per test. */
const firefoxTest = base.extend<TestFixtures, WorkerFixtures>({
  harness: ['/test/browser/pages/harness.html', { option: true }],
  firefox: [
    async ({}, use) => {
      const browser = await launchFirefox();
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  strayErrors: async ({}, use) => use([]),
  vyrePage: async ({ firefox, harness }, use) => {
    if (firefox === null) throw new Error('the Firefox lane has no Firefox');
    const opened = await openFirefoxHarness(firefox, new URL(harness, BASE_URL).href, { isolated: true });
    try {
      await requireWebGpu(opened.page);
      await use(opened.page);
      expect(opened.errors, 'stray page errors').toEqual([]);
    } finally {
      await opened.close();
    }
  },
});

export const test = ENGINE === 'firefox' ? firefoxTest : chromeTest;

export { expect };
