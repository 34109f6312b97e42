/**
 * Real browser restarts with the same profile: a temporary user-data directory, the
 * browser quit and launched again on it, so IndexedDB survives exactly as it does for a
 * user who closes the browser and comes back. Chrome through Playwright's
 * `launchPersistentContext`; Firefox (the Firefox lane) through puppeteer-core.
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../../../scripts/chrome-flags.mjs';
import { launchFirefox } from '../../../scripts/firefox-prefs.mjs';
import { BASE_URL, ENGINE, type HarnessPage } from './engine.ts';
import { requireWebGpu } from './fixtures.ts';
import { openFirefoxHarness } from './firefox-page.ts';

export { BASE_URL };
export const HARNESS = `${BASE_URL}/test/browser/pages/cache.html`;

/** A running browser on a profile, with the harness open in its first tab. */
export interface LaunchedBrowser {
  readonly page: HarnessPage;
  /** Uncaught page errors of the first tab (and its console errors when asked for). */
  readonly errors: string[];
  /** Opens one more tab of the same origin on the harness. */
  openPage(): Promise<HarnessPage>;
  /** Quits the browser. */
  close(): Promise<void>;
}

export interface Profile {
  readonly dir: string;
  /** Starts the browser on this profile and opens the harness; `close()` quits it. */
  launch(options?: { readonly consoleErrors?: boolean }): Promise<LaunchedBrowser>;
  remove(): void;
}

export function createProfile(): Profile {
  const dir = mkdtempSync(join(tmpdir(), 'vyre-profile-'));
  return {
    dir,
    launch: (options) => (ENGINE === 'firefox' ? launchFirefoxOn(dir, options?.consoleErrors ?? false) : launchChromeOn(dir, options?.consoleErrors ?? false)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function launchChromeOn(dir: string, consoleErrors: boolean): Promise<LaunchedBrowser> {
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROME_PATH, headless: false, args: CHROME_WEBGPU_FLAGS });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  if (consoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
  }
  await page.goto(HARNESS);
  await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 30_000 });
  await requireWebGpu(page);
  return { page, errors, openPage: () => openChromeTab(context), close: () => context.close() };
}

async function openChromeTab(context: BrowserContext): Promise<HarnessPage> {
  const page = await context.newPage();
  await page.goto(HARNESS);
  await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 30_000 });
  return page;
}

async function launchFirefoxOn(dir: string, consoleErrors: boolean): Promise<LaunchedBrowser> {
  const browser = await launchFirefox({ userDataDir: dir });
  const first = await openFirefoxHarness(browser, HARNESS, { consoleErrors });
  await requireWebGpu(first.page);
  return {
    page: first.page,
    errors: first.errors,
    openPage: async () => (await openFirefoxHarness(browser, HARNESS, { consoleErrors: false })).page,
    close: () => browser.close(),
  };
}
