/**
 * The published package in a real app: packed, installed into a Vite app outside the
 * source tree, run with the dev server and with a production build. The app runs the
 * README's usage example verbatim, so the example cannot rot.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { requireWebGpu } from './support/fixtures.ts';
import {
  buildConsumerApp,
  createConsumerApp,
  initialChunks,
  readmeUsageExample,
  recordLogs,
  serveConsumerApp,
  typecheckConsumerApp,
  TYPESCRIPT_COMPILERS,
  type ConsumerApp,
} from './support/consumer-app.ts';

const PORT = Number(process.env.VYRE_TEST_PORT ?? 5183) + 10;

/** Appended to the README example: reports where artifacts persist, as seen by the worker. */
const STORAGE_PROBE = `
const probe = await createRuntime({ persistent: { dbName: 'vyre-consumer-probe' } });
window.consumerStorage = probe.storage;
await probe.dispose();
`;

/**
 * Appended too: the two subpaths resolve through the package's `exports`, and run. saxpy
 * with alpha 2 on x = [1, 2, 3], y = [10, 20, 30] gives [12, 24, 36], on the GPU and on the
 * reference interpreter alike.
 */
const SUBPATH_PROBE = `
import { saxpy } from 'vyre-web/kernels';
import { runReference } from 'vyre-web/reference';
{
  const inputs = { x: Float32Array.of(1, 2, 3), y: Float32Array.of(10, 20, 30) };
  const cpu = runReference(saxpy, inputs, { params: { alpha: 2 } });
  const gpuRuntime = await createRuntime({ persistent: false });
  const { pipeline } = await gpuRuntime.compile(saxpy);
  const gpu = await pipeline.dispatch(inputs, { params: { alpha: 2 } });
  await gpuRuntime.dispose();
  window.consumerSubpaths = { cpu: Array.from(cpu.y), gpu: Array.from(gpu.y) };
}
`;

/** What a strict TypeScript app writes against the three entry points; must compile with no error. */
const TYPED_CONSUMER = `
import { createRuntime, wgsl, type DispatchOutputs, type ResidentBuffer } from 'vyre-web';
import { saxpy, matmulOptions, type LaunchOptions } from 'vyre-web/kernels';
import { runReference } from 'vyre-web/reference';

export async function main(): Promise<number> {
  const runtime = await createRuntime();
  const { pipeline } = await runtime.compile(saxpy);
  const outputs: { y: Float32Array } = await pipeline.dispatch({ x: new Float32Array(4) }, { params: { alpha: 2 } });
  const kept: ResidentBuffer = (await pipeline.dispatch({ x: new Float32Array(4) }, { keep: ['y'] })).y;
  const { timing } = await pipeline.dispatch({ x: new Float32Array(4) }, { timing: true });
  const launch: LaunchOptions = matmulOptions(2, 2, 2);
  const cpu = runReference(saxpy, { x: new Float32Array(4) }, { params: { alpha: 2 } });
  const own = wgsl({ code: '@group(0) @binding(0) var<storage, read_write> y: array<f32>; @compute @workgroup_size(1) fn main() {}' });
  const loose: DispatchOutputs = await (await runtime.compile(own)).pipeline.dispatch({});
  return outputs.y.length + kept.length + (timing.gpuMs ?? 0) + (cpu['y']?.length ?? 0) + (loose['y']?.length ?? 0) + (launch.grid === undefined ? 0 : 1);
}
`;

let app: ConsumerApp;

test.beforeAll(() => {
  app = createConsumerApp(readmeUsageExample() + STORAGE_PROBE + SUBPATH_PROBE);
});

test.afterAll(() => app?.remove());

async function runExample(page: Page, url: string): Promise<{ logs: unknown[][]; storage: unknown; subpaths: unknown }> {
  const { logs, settled } = recordLogs(page);
  await page.goto(url);
  await requireWebGpu(page);
  await page.waitForFunction(() => 'consumerSubpaths' in window, undefined, { timeout: 60_000 });
  await settled();
  const { storage, subpaths } = await page.evaluate(() => {
    const probes = window as unknown as { consumerStorage: unknown; consumerSubpaths: unknown };
    return { storage: probes.consumerStorage, subpaths: probes.consumerSubpaths };
  });
  return { logs, storage, subpaths };
}

/** saxpy through the subpaths, worked out by hand: 2·[1, 2, 3] + [10, 20, 30]. */
const EXPECTED_SUBPATHS = { cpu: [12, 24, 36], gpu: [12, 24, 36] };

/** What the README example prints, worked out by hand: y = 2x + y, then a memory-tier hit. */
const EXPECTED_LOGS = [
  ['compiled', false, [12, 24, 36]],
  ['memory', true],
];

test('the README example and both subpaths run in a consumer app under the Vite dev server, with IndexedDB in the worker', async ({ page, strayErrors }) => {
  void strayErrors;
  const server = await serveConsumerApp(app, 'dev', PORT);
  try {
        const { logs, storage, subpaths } = await runExample(page, server.url);
    expect(logs).toEqual(EXPECTED_LOGS);
    expect(storage).toEqual({ mode: 'persistent', dbName: 'vyre-consumer-probe' });
    expect(subpaths).toEqual(EXPECTED_SUBPATHS);
  } finally {
    server.stop();
  }
});

test('the README example and both subpaths run in a consumer app built for production, with the worker emitted as a file', async ({ page, strayErrors }) => {
  void strayErrors;
  const files = buildConsumerApp(app);
  expect(files.some((file) => /worker.*\.js$/.test(file)), `emitted: ${files.join(', ')}`).toBe(true);
  const server = await serveConsumerApp(app, 'preview', PORT + 1);
  try {
        const { logs, storage, subpaths } = await runExample(page, server.url);
    expect(logs).toEqual(EXPECTED_LOGS);
    expect(storage).toEqual({ mode: 'persistent', dbName: 'vyre-consumer-probe' });
    expect(subpaths).toEqual(EXPECTED_SUBPATHS);
  } finally {
    server.stop();
  }
});

for (const compiler of Object.keys(TYPESCRIPT_COMPILERS) as (keyof typeof TYPESCRIPT_COMPILERS)[]) {
  test(`the README example type-checks as strict TypeScript with ${compiler}, skipLibCheck off, y typed Float32Array`, () => {
    // The example's `y` must be a Float32Array: the line appended fails to compile otherwise.
    const typedY = '\nconst proof: Float32Array = y;\nvoid proof;\nexport {};\n';
    expect(typecheckConsumerApp(app, readmeUsageExample() + typedY, compiler)).toBe('');
  });

  test(`a strict consumer type-checks against the root and both subpaths with ${compiler}, skipLibCheck off`, () => {
    expect(typecheckConsumerApp(app, TYPED_CONSUMER, compiler)).toBe('');
  });

  test(`a misspelled output name is a type error for a consumer with ${compiler}`, () => {
    const misspelled = readmeUsageExample().replace('const { y } =', 'const { yy: y } =');
    expect(misspelled).not.toBe(readmeUsageExample());
    expect(typecheckConsumerApp(app, misspelled, compiler)).toMatch(/error TS2339: Property 'yy' does not exist/);
  });
}

test('the published root declarations export at most 45 names', () => {
  const declarations = readFileSync(join(app.dir, 'node_modules/vyre-web/dist/types/index.d.ts'), 'utf8');
  const names = [...declarations.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) => (match[1] ?? '').split(',').map((name) => name.trim()).filter(Boolean));
  expect(names.length).toBeGreaterThan(10);
  expect(names.length).toBeLessThanOrEqual(45);
  expect(new Set(names).size).toBe(names.length);
});

/** An app that names only the runtime and `wgsl`, and hands them to the page without calling them. */
const LIGHT_APP = `
import { createRuntime, wgsl } from 'vyre-web';
window.vyreLight = { createRuntime, wgsl };
`;

/** Issue #14: what the main thread may load before its first createRuntime() call. */
const MAIN_THREAD_BUDGET_BYTES = 12 * 1024;

/**
 * A page that times `import()` of the app's entry chunk. With `?preloaded`, every chunk
 * of the first load is fetched and parsed beforehand (modulepreload), so what is timed is
 * linking and evaluating the modules; without, the fetch from localhost and the parse too.
 */
function importTimingPage(chunks: readonly string[]): string {
  return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>import timing</title>
<script type="module">
const chunks = ${JSON.stringify(chunks.map((file) => `/assets/${file}`))};
if (location.search === '?preloaded') {
  await Promise.all(chunks.map((href) => new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement('link'), { rel: 'modulepreload', href, onload: resolve, onerror: reject });
    document.head.append(link);
  })));
}
const start = performance.now();
await import(chunks[0]);
window.importMs = performance.now() - start;
window.programKind = window.vyreLight.wgsl({ code: '@compute @workgroup_size(1) fn main() {}' }).kind;
</script>
`;
}

async function timeImport(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => 'programKind' in window, undefined, { timeout: 30_000 });
  const { importMs, programKind } = await page.evaluate(() => {
    const probe = window as unknown as { importMs: number; programKind: string };
    return { importMs: probe.importMs, programKind: probe.programKind };
  });
  expect(programKind).toBe('wgsl');
  return importMs;
}

test('an app that imports only createRuntime and wgsl loads at most 12 KB gzip on the main thread before its first createRuntime call', async ({ page, strayErrors }) => {
  void strayErrors;
  const light = createConsumerApp(LIGHT_APP);
  try {
    buildConsumerApp(light);
    const [entry, ...imported] = initialChunks(light);
    if (entry === undefined) throw new Error('the build has no entry chunk');
    const importedBytes = imported.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
    const total = entry.gzipBytes + importedBytes;
    const list = imported.map((chunk) => `${chunk.file} ${chunk.gzipBytes}`).join(', ');
    console.log(`main-thread entry: ${total} bytes gzip (entry ${entry.gzipBytes} + chunks ${importedBytes}: ${list})`);
    expect(total).toBeLessThanOrEqual(MAIN_THREAD_BUDGET_BYTES);

    writeFileSync(`${light.dir}/dist/import-timing.html`, importTimingPage([entry.file, ...imported.map((chunk) => chunk.file)]));
    const server = await serveConsumerApp(light, 'preview', PORT + 2);
    try {
      const cold = await timeImport(page, `${server.url}import-timing.html`);
      // Timings are reported, not asserted: a loaded CI machine is no benchmark.
      const evaluations: number[] = [];
      for (let run = 0; run < 5; run++) evaluations.push(await timeImport(page, `${server.url}import-timing.html?preloaded`));
      const median = [...evaluations].sort((a, b) => a - b)[2] ?? Number.NaN;
      console.log(`main-thread entry: module evaluation ${median.toFixed(2)} ms in Chrome (median of 5, chunks preloaded: ${evaluations.map((ms) => ms.toFixed(2)).join(', ')}); first import() with fetch and parse ${cold.toFixed(2)} ms`);
    } finally {
      server.stop();
    }
  } finally {
    light.remove();
  }
});
