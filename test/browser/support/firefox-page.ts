/**
 * A Firefox page (puppeteer-core over WebDriver BiDi) as a {@link HarnessPage}, with the
 * same stray-error collection the Chrome fixture has: every uncaught page error and every
 * console error is recorded, so a test can fail on it.
 */
import type { Browser, Page as PuppeteerPage } from 'puppeteer-core';
import type { HarnessPage } from './engine.ts';

export interface FirefoxHarness {
  readonly page: HarnessPage;
  /** Uncaught page errors, and console errors when asked for. */
  readonly errors: string[];
  close(): Promise<void>;
}

/**
 * Playwright's `evaluate(fn, arg)` and puppeteer's `evaluate(fn, ...args)` agree for one
 * argument: both send the function's source and a serialized argument. The cast is the
 * one place the two signatures meet.
 */
export function harnessPageOf(page: PuppeteerPage): HarnessPage {
  const evaluate = (fn: (arg: unknown) => unknown, arg?: unknown) => page.evaluate(fn, arg);
  return { evaluate: evaluate as HarnessPage['evaluate'] };
}

/**
 * Opens `url` in a tab of `browser`, waits for `window.vyre`, and collects errors. With
 * `isolated`, the tab lives in a new browser context (its own storage, as each Chrome
 * test's page has); otherwise in the profile's own, which a restart keeps.
 */
export async function openFirefoxHarness(browser: Browser, url: string, { consoleErrors = true, isolated = false } = {}): Promise<FirefoxHarness> {
  const context = isolated ? await browser.createBrowserContext() : undefined;
  const page = context === undefined ? await firstTab(browser) : await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error instanceof Error ? error.message : String(error)}`));
  if (consoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error' && !isFirefoxShaderLog(message.text())) errors.push(`console.error: ${message.text()}`);
    });
  }
  await page.goto(url);
  await page.waitForFunction(() => window.vyreReady === true, { timeout: 30_000 });
  return { page: harnessPageOf(page), errors, close: () => (context === undefined ? page.close() : context.close()) };
}

/** A fresh browser opens with one blank tab: use it, so a restart test's tab is the first. */
async function firstTab(browser: Browser): Promise<PuppeteerPage> {
  const tabs = await browser.pages();
  const [only] = tabs;
  return tabs.length === 1 && only !== undefined && only.url() === 'about:blank' ? only : browser.newPage();
}

/**
 * Firefox logs every shader module that fails to compile to the console, by itself, as
 * two errors (a summary, then naga's message), whether or not the page handles the
 * failure. The library does handle it (`getCompilationInfo`, a `shader-compilation`
 * VyreError), so these two are not stray; any other console error still is.
 */
function isFirefoxShaderLog(text: string): boolean {
  return /^Encountered one or more errors while creating shader module/.test(text) || /^\s*Shader ('[^']*' )?(parsing|validation) error/.test(text);
}
