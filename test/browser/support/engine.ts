/**
 * Which browser the browser tests drive. Chrome (Dawn, through Playwright) by default;
 * Firefox (wgpu, through puppeteer-core over WebDriver BiDi) in the Firefox lane, which
 * sets `VYRE_BROWSER=firefox` (playwright.firefox.config.ts).
 *
 * A spec that runs in both lanes reaches the page only through {@link HarnessPage}, the
 * part of Playwright's `Page` that both drivers offer alike.
 */
import type { Page } from '@playwright/test';

export type Engine = 'chrome' | 'firefox';

export const ENGINE: Engine = process.env.VYRE_BROWSER === 'firefox' ? 'firefox' : 'chrome';

/** What a spec may do with a page in either lane: evaluate a function in it. */
export type HarnessPage = Pick<Page, 'evaluate'>;

/** The test server's origin (Vite, started by the Playwright config). */
export const BASE_URL = `http://localhost:${Number(process.env.VYRE_TEST_PORT ?? 5183)}`;
