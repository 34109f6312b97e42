// The benchmark's browser: headless Chrome through Playwright (default), or Firefox ESR
// through puppeteer-core (--browser firefox), behind the calls bench/run.mjs makes:
// newPage() → { goto, waitForFunction(fn, timeoutMs), evaluate(fn, arg) }, version(), close().
import { chromium } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';

export const BENCH_BROWSERS = ['chrome', 'firefox'];

/** Suites that run in Firefox: the rest need Playwright's Chrome (restarts, tfjs, the warmup rig). */
export const FIREFOX_SUITES = ['compile-tiers', 'store-lookup', 'dispatch', 'images'];

export async function launchBenchBrowser(name) {
  if (name === 'firefox') {
    // Loaded only here: a Chrome run needs no puppeteer-core (the GPU machine's pruned copy has none).
    const { launchFirefox } = await import('../scripts/firefox-prefs.mjs');
    const browser = await launchFirefox();
    const version = `Firefox ${(await browser.version()).replace(/^firefox\//i, '')}`;
    return {
      version: () => version,
      close: () => browser.close(),
      async newPage() {
        const page = await browser.newPage();
        return {
          goto: (url) => page.goto(url),
          waitForFunction: (fn, timeout) => page.waitForFunction(fn, { timeout }),
          evaluate: (fn, arg) => page.evaluate(fn, arg),
        };
      },
    };
  }
  const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
  return {
    version: () => `Chrome ${browser.version()}`,
    close: () => browser.close(),
    raw: browser,
    async newPage() {
      const page = await browser.newPage();
      return {
        goto: (url) => page.goto(url),
        waitForFunction: (fn, timeout) => page.waitForFunction(fn, undefined, { timeout }),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
      };
    },
  };
}
