/**
 * The built bundle (dist/), served as plain files with no bundler in between:
 * what a page gets from `import … from 'vyre-web/dist/index.js'` on a static host.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from './support/fixtures.ts';
import { SCALE_F32 } from './support/kernels.ts';

const STATIC_ORIGIN = `http://localhost:${Number(process.env.VYRE_TEST_PORT ?? 5183) + 1}`;

test.use({ harness: `${STATIC_ORIGIN}/test/browser/pages/built.html` });

test('the built bundle spawns its worker file and dispatches a kernel', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime({ persistent: { dbName: `vyre-built-${Date.now()}` } });
    const first = await runtime.compile(wgsl({ code }));
    const second = await runtime.compile(wgsl({ code }));
    const { y } = await first.pipeline.dispatch({ x: Float32Array.of(0, 1.5, -4) });
    const storage = runtime.storage;
    await runtime.dispose();
    const workers = performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('/dist/worker.js'));
    return { y: Array.from(y ?? []), tiers: [first.tier, second.tier], storage, workers };
  }, SCALE_F32);
  expect(result.y).toEqual([1, 4, -7]);
  expect(result.tiers).toEqual(['compiled', 'memory']);
  expect(result.storage).toMatchObject({ mode: 'persistent' });
  expect(result.workers).toHaveLength(1);
});

test('the built bundle loads the tuner on first use (its own chunk) and tunes a kernel of vyre-web/kernels', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime } = window.vyre;
    const { reluF32Tunable } = (await import(`${location.origin}/dist/kernels.js`)) as typeof import('../../src/kernels/index.ts');
    const before = performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\/dist\/tune-kernel-[\w-]+\.js$/.test(n));
    const runtime = await createRuntime({ persistent: false });
    const build = await runtime.compileTuned(reluF32Tunable, { shape: { n: 4096 }, rounds: 1 });
    const { y } = (await build.pipeline.dispatch({ x: Float32Array.of(-1, 2, -3, 4, 5) }, build.options({ n: 5 }))) as { y: Float32Array };
    await runtime.dispose();
    const after = performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\/dist\/tune-kernel-[\w-]+\.js$/.test(n));
    return { before: before.length, after: after.length, source: build.tuning.source, y: Array.from(y) };
  });
  expect(result).toEqual({ before: 0, after: 1, source: 'tuned', y: [0, 2, 0, 4, 5] });
});

/** The worker's lazy chunk with its compile path (pipeline/compile-path.ts), as build-lib names it. */
const COMPILE_CHUNK = /\/dist\/worker-tier-lookup-[\w-]+\.js$/;

test('the built worker starts without its compile code (WGSL parser, validator, lowering), and a start loads that chunk before the first compile asks [Chrome only: watches the requests of the worker through Playwright]', async ({ page, vyrePage }) => {
  const worker = readFileSync('dist/worker.js', 'utf8');
  const chunkName = readdirSync('dist').find((name) => COMPILE_CHUNK.test(`/dist/${name}`));
  expect(chunkName, 'dist/ has the worker\'s compile chunk').toBeDefined();
  const chunk = readFileSync(`dist/${chunkName}`, 'utf8');
  for (const piece of ['function reflectModule(', 'function validateProgram(', 'function lowerProgram(']) {
    expect(worker, `worker.js holds ${piece}`).not.toContain(piece);
    expect(chunk, `${chunkName} holds ${piece}`).toContain(piece);
  }
  const requested: string[] = [];
  // vyrePage is `page` in this (Chrome) lane, with the harness open; its events include the worker's requests.
  page.on('request', (request) => void (COMPILE_CHUNK.test(new URL(request.url()).pathname) && requested.push(request.url())));
  await vyrePage.evaluate(async () => {
    (window as unknown as { runtime: unknown }).runtime = await window.vyre.createRuntime({ persistent: false });
  });
  // Asked for while the device was made, before anything was compiled.
  await expect.poll(() => requested.length, { timeout: 10_000 }).toBe(1);
  const y = await vyrePage.evaluate(async (code) => {
    const runtime = (window as unknown as { runtime: Awaited<ReturnType<typeof window.vyre.createRuntime>> }).runtime;
    const { pipeline } = await runtime.compile(window.vyre.wgsl({ code }));
    const { y } = await pipeline.dispatch({ x: Float32Array.of(0, 1.5, -4) });
    await runtime.dispose();
    return Array.from(y ?? []);
  }, SCALE_F32);
  expect(y).toEqual([1, 4, -7]);
  expect(requested).toHaveLength(1);
});

test('a deployment without the worker\'s compile chunk: compile rejects with worker-terminated and a Fix naming the files, and the runtime keeps serving [Chrome only: served through Playwright\'s request routing]', async ({ page, vyrePage, strayErrors }) => {
  await page.route(COMPILE_CHUNK, (route) => route.fulfill({ status: 404, body: 'not here' }));
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl, isVyreError } = window.vyre;
    const runtime = await createRuntime({ persistent: false });
    const failure = await runtime.compile(wgsl({ code })).then(
      () => 'compiled',
      (error: unknown) => (isVyreError(error) ? { code: error.code, message: error.message } : String(error)),
    );
    const stats = await runtime.gpuStats();
    const again = await runtime.compile(wgsl({ code })).then(() => 'compiled', (error: unknown) => (isVyreError(error) ? error.code : String(error)));
    await runtime.dispose();
    return { failure, dispatches: stats.dispatches, again };
  }, SCALE_F32);
  expect(result.failure).toMatchObject({ code: 'worker-terminated', message: expect.stringMatching(/compile code did not load: .* Fix: host every dist\/worker\*\.js file/) });
  expect(result.dispatches).toBe(0);
  expect(result.again).toBe('worker-terminated');
  // The browser reports the 404 on the console: expected, and the only error allowed.
  const isMissingChunk = (error: string): boolean => /404|worker-tier-lookup|dynamically imported module/i.test(error);
  strayErrors.splice(0, strayErrors.length, ...strayErrors.filter((error) => !isMissingChunk(error)));
});
