// One page of the library's test pages in Chrome (Playwright) or Firefox (puppeteer-core),
// behind the same two calls, for the scripts that run a page loop (fuzz, benchmarks).
import { chromium } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from './chrome-flags.mjs';
import { launchFirefox } from './firefox-prefs.mjs';

/**
 * Opens `url` in a new browser of `engine` and waits for `window.vyreReady`.
 * @returns `{ evaluate(fn, arg), close() }`; page errors are printed as they come.
 */
export async function openEnginePage(engine, url, { headed = false } = {}) {
  if (engine === 'firefox') {
    const browser = await launchFirefox({ headless: !headed });
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => window.vyreReady === true, { timeout: 60_000 });
    return { evaluate: (fn, arg) => page.evaluate(fn, arg), close: () => browser.close() };
  }
  const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: !headed, args: CHROME_WEBGPU_FLAGS });
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 60_000 });
  return { evaluate: (fn, arg) => page.evaluate(fn, arg), close: () => browser.close() };
}
