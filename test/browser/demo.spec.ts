/**
 * The cache-warmup benchmark page: runs cold → warm → after a reload (and app start-up
 * with and without prewarm) on a small workload, and reads back what a person would see:
 * the tier of each run, a chart per run, the audit rate, and the manifest download.
 */
import { readFile } from 'node:fs/promises';
import { chromium, type Page } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../../scripts/chrome-flags.mjs';
import { expect, requireWebGpu, test } from './support/fixtures.ts';

/** Clicks a run button and waits until that run's summary names the tier(s) it saw. */
async function run(page: Page, kind: string): Promise<void> {
  await expect(page.getByTestId(`run-${kind}`)).toBeEnabled();
  await page.getByTestId(`run-${kind}`).click();
  await expect(page.getByTestId(`run-summary-${kind}`)).not.toHaveAttribute('data-tier', '', { timeout: 60_000 });
  await expect(page.locator('body[data-busy="false"]')).toBeAttached();
}

async function pointsOf(page: Page, kind: string): Promise<number> {
  return Number(await page.getByTestId(`chart-${kind}`).getAttribute('data-points'));
}

/** The `data-ms` of each cell of a column (`data-col`) in a run's per-pipeline table; NaN for an empty one. */
async function columnMs(page: Page, kind: string, column: string): Promise<number[]> {
  const cells = page.getByTestId(`samples-${kind}`).locator(`td[data-col="${column}"]`);
  return (await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-ms') ?? ''))).map((ms) => (ms === '' ? Number.NaN : Number(ms)));
}

/** A run's row of the start-up table: ms per step, null where the step did not happen. */
async function startupRow(page: Page, kind: string): Promise<Record<string, number | null>> {
  const cells = page.getByTestId('startup-table').locator(`tr[data-run="${kind}"] td[data-step]`);
  await expect(cells.first()).toBeAttached();
  const pairs = await cells.evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-step') ?? '', td.getAttribute('data-ms') ?? ''] as const));
  return Object.fromEntries(pairs.map(([step, ms]) => [step, ms === '' ? null : Number(ms)]));
}

/** What cannot legitimately fail: every step after the call, the device after the adapter, ready after device and store. */
function expectSaneStartup(row: Record<string, number | null>, replay: 'with-replay' | 'no-replay'): void {
  const { bare, adapter, device, store, ready, workerCreated, workerBoot, workerScript } = row;
  for (const [step, ms] of Object.entries({ bare, adapter, device, store, ready, workerBoot, workerScript })) expect(ms, step).toBeGreaterThan(0);
  // The browser creates the worker's global scope after the call and before its script has arrived and run;
  // the boot runs first and loads the runtime's code after it.
  expect(workerCreated).toBeGreaterThanOrEqual(0);
  expect(workerBoot).toBeGreaterThanOrEqual(workerCreated ?? Number.NaN);
  expect(workerScript).toBeGreaterThanOrEqual(workerBoot ?? Number.NaN);
  expect(device).toBeGreaterThanOrEqual(adapter ?? Number.NaN);
  expect(ready).toBeGreaterThanOrEqual(device ?? Number.NaN);
  expect(ready).toBeGreaterThanOrEqual(store ?? Number.NaN);
  if (replay === 'no-replay') expect(row['replay']).toBeNull();
  else {
    expect(row['replay']).toBeGreaterThan(0);
    expect(row['replay']).toBeLessThanOrEqual(ready ?? Number.NaN); // The replay begins before the runtime is ready.
  }
}

test('the demo runs cold, warm and after a reload, charting each run by tier', async ({ page, strayErrors }, testInfo) => {
  void strayErrors;
  await page.goto('/demo/');
  await requireWebGpu(page);
  await expect(page.locator('body[data-state="ready"]')).toBeAttached({ timeout: 60_000 });
  await page.getByTestId('workload').selectOption('few');

  await run(page, 'cold');
  await expect(page.getByTestId('run-summary-cold')).toHaveAttribute('data-tier', 'compiled');
  await expect(page.getByTestId('run-summary-cold')).toContainText('compiled ×3');
  await expect(page.getByTestId('run-summary-cold')).toContainText('0 hit · 3 miss · 0 unknown');

  await run(page, 'warm');
  await expect(page.getByTestId('run-summary-warm')).toHaveAttribute('data-tier', 'memory');
  await expect(page.getByTestId('run-summary-warm')).toContainText('3 hit · 0 miss');
  // 3 misses (cold) and 3 hits (warm) on this page's runtime.
  await expect(page.getByTestId('audit-rate')).toHaveText('5000 bps');
  await page.getByTestId('audit-threshold').fill('9000');
  await expect(page.getByTestId('audit-alarm')).toHaveAttribute('data-state', 'alarm');

  // The page reloads itself, starts a new runtime and continues with the run on its own.
  await Promise.all([page.waitForEvent('load'), page.getByTestId('run-after-reload').click()]);
  await expect(page.getByTestId('run-summary-after-reload')).toHaveAttribute('data-tier', 'persistent', { timeout: 60_000 });
  await expect(page.getByTestId('run-summary-after-reload')).toContainText('0 hit · 0 miss · 3 unknown');
  await expect(page.locator('body[data-busy="false"]')).toBeAttached();
  // Earlier runs survive the reload: they are shown next to the new one.
  await expect(page.getByTestId('run-summary-cold')).toHaveAttribute('data-tier', 'compiled');
  await expect(page.getByTestId('run-summary-warm')).toHaveAttribute('data-tier', 'memory');
  // A new runtime: only unknowns so far, so no rate, and the threshold set before the reload is kept.
  await expect(page.getByTestId('audit-rate')).toHaveText('no data');
  await expect(page.getByTestId('audit-threshold')).toHaveValue('9000');

  await run(page, 'startup-plain');
  await run(page, 'startup-prewarm');
  await expect(page.getByTestId('run-summary-startup-prewarm')).toContainText('createRuntime()');

  for (const kind of ['cold', 'warm', 'after-reload', 'startup-plain', 'startup-prewarm']) {
    expect(await pointsOf(page, kind), `points in chart-${kind}`).toBe(3);
    await expect(page.getByTestId(`chart-${kind}`).locator('canvas')).toHaveCount(1);
  }
  expect(await pointsOf(page, 'first-result')).toBe(5);
  await expect(page.getByTestId('device')).toContainText('fingerprint');
  // Per compile, the page says hit / miss / unknown; after the reload every one is unknown.
  await page.locator('.run-card[data-run="after-reload"] details summary').click();
  await expect(page.getByTestId('samples-after-reload').locator('.badge')).toHaveText(['unknown', 'unknown', 'unknown']);
  // ...and beside each GPU compile, the one recorded when the cold run first compiled it.
  for (const ms of await columnMs(page, 'after-reload', 'gpu-first')) expect(ms).toBeGreaterThan(0);
  await expect(page.getByTestId('gpu-vs-first-after-reload')).toContainText('when first compiled');
  expectSaneStartup(await startupRow(page, 'after-reload'), 'no-replay');
  expectSaneStartup(await startupRow(page, 'startup-plain'), 'no-replay');
  expectSaneStartup(await startupRow(page, 'startup-prewarm'), 'with-replay');
  await expect(page.getByTestId('replay-startup-prewarm').locator('li')).toHaveCount(3);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('manifest-download').click()]);
  const manifests: unknown = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(Array.isArray(manifests)).toBe(true);
  expect(manifests).toHaveLength(3);
  for (const manifest of manifests as unknown[]) expect(manifest).toMatchObject({ schema: 1, backendId: 'webgpu' });

  await page.screenshot({ path: testInfo.outputPath('demo.png'), fullPage: true });
});

test('the compile-heavy workload restarts with prewarmOnStart and 300 ms of app work, showing start-up steps, the replay and GPU compile now vs first', async ({ page, strayErrors }, testInfo) => {
  test.setTimeout(240_000); // Each heavy shader takes well over 150 ms to compile on SwiftShader.
  void strayErrors;
  await page.goto('/demo/');
  await requireWebGpu(page);
  await expect(page.locator('body[data-state="ready"]')).toBeAttached({ timeout: 60_000 });
  await page.getByTestId('workload').selectOption('heavy');

  await run(page, 'cold');
  await expect(page.getByTestId('run-summary-cold')).toHaveAttribute('data-tier', 'compiled');
  const shaders = await page.getByTestId('samples-cold').locator('tbody tr').count();
  expect(shaders).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('run-summary-cold')).toContainText(`0 hit · ${shaders} miss · 0 unknown`);
  // Compiled from scratch: nothing to compare with yet.
  expect(await columnMs(page, 'cold', 'gpu-first')).toEqual(Array.from({ length: shaders }, () => Number.NaN));

  // A new runtime without prewarm: every shader from IndexedDB, each with its first GPU compile beside it.
  await run(page, 'startup-plain');
  await expect(page.getByTestId('run-summary-startup-plain')).toHaveAttribute('data-tier', 'persistent');
  const firsts = await columnMs(page, 'startup-plain', 'gpu-first');
  expect(firsts).toHaveLength(shaders);
  for (const ms of firsts) expect(ms).toBeGreaterThan(0);
  await expect(page.getByTestId('gpu-vs-first-startup-plain')).toContainText(`${shaders} persistent-tier compiles`);
  await expect(page.getByTestId('samples-startup-plain').locator('td[data-col="gpu-ratio"]').first()).toHaveText(/^\d+(\.\d+)?×$/);

  await run(page, 'startup-prewarm-long');
  await expect(page.getByTestId('run-summary-startup-prewarm-long')).toContainText(`all ${shaders} results`);
  // Cold cleared the store first, so the replay's working set is exactly the heavy shaders.
  await expect(page.getByTestId('replay-startup-prewarm-long').locator('li')).toHaveCount(shaders);
  expectSaneStartup(await startupRow(page, 'startup-plain'), 'no-replay');
  expectSaneStartup(await startupRow(page, 'startup-prewarm-long'), 'with-replay');
  expect(await pointsOf(page, 'startup-prewarm-long')).toBe(shaders);

  await page.locator('.run-card[data-run="startup-plain"] details summary').click();
  await expect(page.getByTestId('samples-startup-plain').locator('td[data-col="gpu-first"]').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('demo-heavy.png'), fullPage: true });
});

test('the demo tunes the kernel library for this device, and after a reload reads every choice back from the persistent tier without timing', async ({ page, strayErrors }) => {
  void strayErrors;
  await page.goto('/demo/');
  await requireWebGpu(page);
  await expect(page.locator('body[data-state="ready"]')).toBeAttached({ timeout: 60_000 });
  const rows = page.getByTestId('tuning').locator('tr[data-family]');
  const read = () => rows.evaluateAll((trs) => trs.map((tr) => ({ family: tr.getAttribute('data-family'), source: tr.getAttribute('data-source'), tier: tr.getAttribute('data-tier'), chosen: tr.getAttribute('data-chosen') })));

  await page.getByTestId('tune').click();
  await expect(rows).toHaveCount(3, { timeout: 60_000 });
  const first = await read();
  expect(first.map((row) => row.family)).toEqual(['matmul-f32-x4', 'relu-f32', 'sum-u32']);
  for (const row of first) {
    expect(['tuned', 'only']).toContain(row.source);
    expect(row.tier).toBe('compiled');
  }

  await page.reload();
  await expect(page.locator('body[data-state="ready"]')).toBeAttached({ timeout: 60_000 });
  await page.getByTestId('tune').click();
  await expect(rows).toHaveCount(3, { timeout: 60_000 });
  const after = await read();
  expect(after).toEqual(first.map((row) => ({ ...row, source: 'stored', tier: 'persistent' })));
});

test('without a GPU adapter the demo says so instead of showing a blank page', async ({ baseURL }) => {
  // Chrome without the SwiftShader flags, on a machine with no GPU: navigator.gpu but no adapter.
  const args = CHROME_WEBGPU_FLAGS.filter((flag) => !/webgpu|vulkan|swiftshader/i.test(flag));
  const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: false, args });
  try {
    const page = await browser.newPage();
    await page.goto(`${baseURL ?? ''}/demo/`);
    await expect(page.locator('body[data-state]')).toBeAttached({ timeout: 60_000 });
    const state = await page.locator('body').getAttribute('data-state');
    test.skip(state === 'ready', 'this machine has a hardware GPU adapter, so it cannot show the no-adapter case');
    await expect(page.getByTestId('error')).toBeVisible();
    await expect(page.getByTestId('error')).toHaveAttribute('data-code', /^(adapter|webgpu)-unavailable$/);
    await expect(page.getByTestId('error')).toContainText('Fix:');
    await expect(page.getByTestId('run-cold')).toBeDisabled();
  } finally {
    await browser.close();
  }
});

test('the image-filter page filters a live canvas every frame, times it, and its pipelines come from the persistent tier after a reload', async ({ page, strayErrors }) => {
  void strayErrors;
  await page.goto('/demo/filters.html');
  await requireWebGpu(page);
  await expect(page.locator('body[data-state="running"]')).toBeAttached({ timeout: 60_000 });
  await expect(page.getByTestId('tiers')).toHaveAttribute('data-blur', 'compiled');
  await expect.poll(async () => Number(await page.getByTestId('frames').textContent()), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  expect(Number(await page.getByTestId('frame-ms').textContent())).toBeGreaterThan(0);
  // The output is a picture, not an empty canvas: its pixels vary.
  const distinct = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="output"]');
    const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    return new Set(Array.from(pixels.subarray(0, 40_000))).size;
  });
  expect(distinct).toBeGreaterThan(20);
  await page.getByTestId('filter').selectOption('edges');
  const before = Number(await page.getByTestId('frames').textContent());
  await expect.poll(async () => Number(await page.getByTestId('frames').textContent()), { timeout: 60_000 }).toBeGreaterThan(before + 2);

  await page.reload();
  await expect(page.locator('body[data-state="running"]')).toBeAttached({ timeout: 60_000 });
  await expect(page.getByTestId('tiers')).toHaveAttribute('data-blur', 'persistent');
  await expect(page.getByTestId('tiers')).toHaveAttribute('data-edges', 'persistent');
});

interface StillComparison {
  /** Largest difference between the still picture and its filtered output, over every channel. */
  readonly maxDifference: number;
  /** How many channel values differ by more than one step. */
  readonly differing: number;
  /** How many RGB values of the output are above 100 (a bright edge, in the edge filter's output). */
  readonly bright: number;
  /** Whether some RGB value of the output is not zero: a canvas nothing was put into is all zero. */
  readonly anyColour: boolean;
}

/** The filter page's still picture (the `<img>`, drawn into a canvas to read it) against its filtered output canvas. */
function compareStill(page: Page): Promise<StillComparison> {
  return page.evaluate(() => {
    const image = document.querySelector<HTMLImageElement>('[data-testid="still-source"]');
    const output = document.querySelector<HTMLCanvasElement>('[data-testid="still-output"]');
    if (image === null || output === null) throw new Error('the page has no still picture');
    const copy = document.createElement('canvas');
    [copy.width, copy.height] = [output.width, output.height];
    copy.getContext('2d')?.drawImage(image, 0, 0);
    const source = copy.getContext('2d')?.getImageData(0, 0, copy.width, copy.height).data ?? new Uint8ClampedArray();
    const filtered = output.getContext('2d')?.getImageData(0, 0, output.width, output.height).data ?? new Uint8ClampedArray();
    let [maxDifference, differing, bright, anyColour] = [0, 0, 0, false];
    for (let i = 0; i < filtered.length; i++) {
      const difference = Math.abs((filtered[i] ?? 0) - (source[i] ?? 0));
      maxDifference = Math.max(maxDifference, difference);
      if (difference > 1) differing++;
      if (i % 4 === 3) continue;
      if ((filtered[i] ?? 0) > 100) bright++;
      if ((filtered[i] ?? 0) !== 0) anyColour = true;
    }
    return { maxDifference, differing, bright, anyColour };
  });
}

test('the image-filter page filters a still <img> at start-up and again when the radius or filter changes, and shows its time', async ({ page, strayErrors }) => {
  void strayErrors;
  await page.goto('/demo/filters.html');
  await requireWebGpu(page);
  await expect.poll(async () => Number(await page.getByTestId('still-runs').textContent()), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.locator('body[data-state="running"]')).toBeAttached();
  expect(Number(await page.getByTestId('still-ms').textContent())).toBeGreaterThan(0);
  await expect(page.getByTestId('still-output')).toHaveAttribute('data-filter', 'blur');
  // Blurred with radius 2: the picture's edges (the sun, the ridges, the pier) are softened.
  const blurred = await compareStill(page);
  expect(blurred.anyColour).toBe(true);
  expect(blurred.differing).toBeGreaterThan(1_000);

  // Radius 0 averages each pixel with itself: the output is the picture, to within the one 8-bit step of the unorm round trip.
  const runs = Number(await page.getByTestId('still-runs').textContent());
  await page.getByTestId('radius').fill('0');
  await expect.poll(async () => (await compareStill(page)).maxDifference, { timeout: 30_000 }).toBeLessThanOrEqual(1);
  expect(Number(await page.getByTestId('still-runs').textContent())).toBeGreaterThan(runs);

  await page.getByTestId('filter').selectOption('edges');
  await expect(page.getByTestId('still-output')).toHaveAttribute('data-filter', 'edges', { timeout: 30_000 });
  const edges = await compareStill(page);
  expect(edges.differing).toBeGreaterThan(100_000);
  // Sobel is dark where the picture is smooth and bright on its hard edges.
  expect(edges.bright).toBeGreaterThan(500);
  expect(Number(await page.getByTestId('still-ms').textContent())).toBeGreaterThan(0);
});
