/**
 * Real browser restarts with the same profile: `launchPersistentContext` on a temporary
 * user-data directory, closed and launched again, so IndexedDB survives exactly as it
 * does for a user who closes Chrome and comes back.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../../../scripts/chrome-flags.mjs';
import { requireWebGpu } from './fixtures.ts';

export const BASE_URL = `http://localhost:${Number(process.env.VYRE_TEST_PORT ?? 5183)}`;
export const HARNESS = `${BASE_URL}/test/browser/pages/cache.html`;

export interface Profile {
  readonly dir: string;
  /** Starts Chrome on this profile and opens the harness; close the context to "quit" Chrome. */
  launch(): Promise<{ context: BrowserContext; page: Page; errors: string[] }>;
  remove(): void;
}

export function createProfile(): Profile {
  const dir = mkdtempSync(join(tmpdir(), 'vyre-profile-'));
  return {
    dir,
    async launch() {
      const context = await chromium.launchPersistentContext(dir, { executablePath: CHROME_PATH, headless: false, args: CHROME_WEBGPU_FLAGS });
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(HARNESS);
      await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 30_000 });
      await requireWebGpu(page);
      return { context, page, errors };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Opens one more page of the same origin in `context`. */
export async function openHarnessPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(HARNESS);
  await page.waitForFunction(() => window.vyreReady === true, undefined, { timeout: 30_000 });
  return page;
}
