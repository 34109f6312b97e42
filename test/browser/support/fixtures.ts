/**
 * Browser-test fixtures: a page with the library loaded and WebGPU checked.
 *
 * A test skips only when the browser truly has no WebGPU, and never under CI. Every
 * uncaught page error and every console error (uncaptured WebGPU errors included)
 * fails the test, so a stray validation error cannot hide behind a passing assertion.
 */
import { test as base, expect, type Page } from '@playwright/test';

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

/** Opens `url`, waits for `window.vyre`, and checks for WebGPU. */
export async function openHarness(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 30_000 });
  await requireWebGpu(page);
}

/** Skips the test when the open page has no WebGPU adapter; fails instead under CI. */
export async function requireWebGpu(page: Page): Promise<void> {
  const hasWebGpu = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return false;
    return (await navigator.gpu.requestAdapter()) !== null;
  });
  if (!hasWebGpu) {
    if (process.env.CI) throw new Error('This Chrome has no WebGPU adapter; CI must run with WebGPU.');
    base.skip(true, 'This browser has no WebGPU adapter.');
  }
}

export const test = base.extend<HarnessOptions & { vyrePage: Page; strayErrors: string[] }>({
  harness: ['/test/browser/pages/harness.html', { option: true }],
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

export { expect };
