/**
 * The published package in an app built by webpack 5, esbuild, Rollup and Parcel 2, each
 * with the exact recipe of the README's "Bundling" section: no configuration where the
 * bundler understands `new Worker(new URL('./worker.js', import.meta.url))` in a dependency
 * (webpack, Parcel), one copy step where it does not (esbuild, Rollup). The built folder is
 * served as plain static files and runs the README's usage example, with IndexedDB in the
 * worker. (Vite has its own spec: consumer.spec.ts.)
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, requireWebGpu, test } from './support/fixtures.ts';
import { createConsumerApp, readmeUsageExample, recordLogs, type ConsumerApp } from './support/consumer-app.ts';
import { bundleConsumerApp, COPY_WORKER, serveFolder, type Bundler } from './support/consumer-bundlers.ts';

/** Appended to the README example: where artifacts persist, as seen by the worker. */
const STORAGE_PROBE = `
const probe = await createRuntime({ persistent: { dbName: 'vyre-consumer-probe' } });
window.consumerStorage = probe.storage;
await probe.dispose();
`;

/** What the README example prints, worked out by hand: y = 2x + y, then a memory-tier hit. */
const EXPECTED_LOGS = [
  ['compiled', false, [12, 24, 36]],
  ['memory', true],
];

let app: ConsumerApp;

test.beforeAll(() => {
  app = createConsumerApp(readmeUsageExample() + STORAGE_PROBE);
});

test.afterAll(() => app?.remove());

async function runExample(page: Page, url: string): Promise<{ logs: unknown[][]; storage: unknown }> {
  const { logs, settled } = recordLogs(page);
  await page.goto(url);
  await requireWebGpu(page);
  await page.waitForFunction(() => 'consumerStorage' in window, undefined, { timeout: 60_000 });
  await settled();
  const storage = await page.evaluate(() => (window as unknown as { consumerStorage: unknown }).consumerStorage);
  return { logs, storage };
}

const RECIPES: readonly { bundler: Bundler; name: string; recipe: string }[] = [
  { bundler: 'webpack', name: 'webpack 5', recipe: 'with no configuration beyond an entry' },
  { bundler: 'esbuild', name: 'esbuild', recipe: 'with the worker file copied next to the bundle' },
  { bundler: 'rollup', name: 'Rollup', recipe: 'with node-resolve and the worker file copied next to the bundle' },
  { bundler: 'parcel', name: 'Parcel 2', recipe: 'with no configuration' },
];

for (const { bundler, name, recipe } of RECIPES) {
  test(`the README example runs in a consumer app built by ${name} ${recipe}, with IndexedDB in the worker`, async ({ page, strayErrors }) => {
    void strayErrors;
    const files = await bundleConsumerApp(app, bundler);
    // The worker's entry (src/worker/boot.ts) is the one file that re-dispatches messages; bundlers name it as they like (webpack: by number).
    const workerEntries = files.filter((file) => file.endsWith('.js') && readFileSync(`${app.dir}/dist/${file}`, 'utf8').includes('new MessageEvent('));
    expect(workerEntries, `emitted: ${files.join(', ')}`).toHaveLength(1);
    const server = await serveFolder(`${app.dir}/dist`);
    try {
      const { logs, storage } = await runExample(page, server.url);
      expect(logs).toEqual(EXPECTED_LOGS);
      expect(storage).toEqual({ mode: 'persistent', dbName: 'vyre-consumer-probe' });
    } finally {
      await server.stop();
    }
  });
}

test('an esbuild app without the copy step fails to start with worker-terminated, and the Fix names the copy step', async ({ page }) => {
  await bundleConsumerApp(app, 'esbuild', false);
  const server = await serveFolder(`${app.dir}/dist`);
  try {
    const failure = page.waitForEvent('pageerror', { timeout: 30_000 });
    await page.goto(server.url);
    await requireWebGpu(page);
    const error = await failure;
    expect(error.name).toBe('VyreError');
    expect(error.message).toContain('The vyre-web worker stopped');
    expect(error.message).toMatch(/ Fix: .*esbuild.*Rollup/);
    expect(error.message).toContain(COPY_WORKER);
    expect(server.requests).toContain('/worker.js');
  } finally {
    await server.stop();
  }
});
