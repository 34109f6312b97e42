/**
 * The built bundle (dist/), served as plain files with no bundler in between:
 * what a page gets from `import … from 'vyre-web/dist/index.js'` on a static host.
 */
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
