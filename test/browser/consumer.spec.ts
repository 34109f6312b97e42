/**
 * The published package in a real app: packed, installed into a Vite app outside the
 * source tree, run with the dev server and with a production build. The app runs the
 * README's usage example verbatim, so the example cannot rot.
 */
import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { requireWebGpu } from './support/fixtures.ts';
import {
  buildConsumerApp,
  createConsumerApp,
  readmeUsageExample,
  serveConsumerApp,
  type ConsumerApp,
} from './support/consumer-app.ts';

const PORT = Number(process.env.VYRE_TEST_PORT ?? 5183) + 10;

/** Appended to the README example: reports where artifacts persist, as seen by the worker. */
const STORAGE_PROBE = `
const probe = await createRuntime({ persistent: { dbName: 'vyre-consumer-probe' } });
window.consumerStorage = probe.storage;
await probe.dispose();
`;

let app: ConsumerApp;

test.beforeAll(() => {
  app = createConsumerApp(readmeUsageExample() + STORAGE_PROBE);
});

test.afterAll(() => app?.remove());

async function runExample(page: Page, url: string): Promise<{ logs: unknown[][]; storage: unknown }> {
  const logs: unknown[][] = [];
  const pending: Promise<void>[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'log') return;
    // Reserve the slot now: the values resolve asynchronously and may settle out of order.
    const slot = logs.push([]) - 1;
    pending.push(Promise.all(message.args().map((arg) => arg.jsonValue() as Promise<unknown>)).then((values) => void (logs[slot] = values)));
  });
  await page.goto(url);
  await requireWebGpu(page);
  await page.waitForFunction(() => 'consumerStorage' in window, undefined, { timeout: 60_000 });
  await Promise.all(pending);
  const storage = await page.evaluate(() => (window as unknown as { consumerStorage: unknown }).consumerStorage);
  return { logs, storage };
}

/** What the README example prints, worked out by hand: y = 2x + y, then a memory-tier hit. */
const EXPECTED_LOGS = [
  ['compiled', false, [12, 24, 36]],
  ['memory', true],
];

test('the README example runs in a consumer app under the Vite dev server, with IndexedDB in the worker', async ({ page, strayErrors }) => {
  void strayErrors;
  const server = await serveConsumerApp(app, 'dev', PORT);
  try {
        const { logs, storage } = await runExample(page, server.url);
    expect(logs).toEqual(EXPECTED_LOGS);
    expect(storage).toEqual({ mode: 'persistent', dbName: 'vyre-consumer-probe' });
  } finally {
    server.stop();
  }
});

test('the README example runs in a consumer app built for production, with the worker emitted as a file', async ({ page, strayErrors }) => {
  void strayErrors;
  const files = buildConsumerApp(app);
  expect(files.some((file) => /worker.*\.js$/.test(file)), `emitted: ${files.join(', ')}`).toBe(true);
  const server = await serveConsumerApp(app, 'preview', PORT + 1);
  try {
        const { logs, storage } = await runExample(page, server.url);
    expect(logs).toEqual(EXPECTED_LOGS);
    expect(storage).toEqual({ mode: 'persistent', dbName: 'vyre-consumer-probe' });
  } finally {
    server.stop();
  }
});
