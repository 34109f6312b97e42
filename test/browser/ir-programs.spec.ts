/** IR programs through the whole runtime: built, validated, lowered, compiled, dispatched. */
import { expect, test } from './support/fixtures.ts';

test('compiles and dispatches a builder program with per-dispatch params, reusing the pipeline', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, program } = window.vyre;
    const axpy = program({ name: 'axpy', workgroupSize: 64 }, (b) => {
      const x = b.buffer('x', 'f32', 'read');
      const y = b.buffer('y', 'f32', 'read-write');
      const alpha = b.param('alpha', 'f32');
      const i = b.let('i', b.linearIndex());
      b.if(i.lt(x.length()), () => y.store(i, alpha.mul(x.load(i)).add(y.load(i))));
    });
    const runtime = await createRuntime({ persistent: false });
    const first = await runtime.compile(axpy);
    const x = Float32Array.from({ length: 1000 }, (_, i) => i / 4);
    const y = Float32Array.from({ length: 1000 }, (_, i) => i);
    const a = await first.pipeline.dispatch({ x, y }, { params: { alpha: 2 } });
    const second = await runtime.compile(axpy);
    const b = await second.pipeline.dispatch({ x, y }, { params: { alpha: -0.5 } });
    await runtime.dispose();
    const wrongA = Array.from(x).filter((v, i) => a['y']?.[i] !== 2 * v + i).length;
    const wrongB = Array.from(x).filter((v, i) => b['y']?.[i] !== -0.5 * v + i).length;
    return { tiers: [first.tier, second.tier], wrongA, wrongB };
  });
  expect(result).toEqual({ tiers: ['compiled', 'memory'], wrongA: 0, wrongB: 0 });
});

test('folds a grid past the per-dimension limit and covers every element exactly once', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, program } = window.vyre;
    // Each invocation adds 1 to its element with an atomic: a missed element stays 0, a doubled one reads 2.
    const touch = program({ name: 'touch', workgroupSize: 64 }, (b) => {
      const hits = b.buffer('hits', 'u32', 'output');
      const i = b.let('i', b.linearIndex());
      b.if(i.lt(hits.length()), () => void b.let('old', hits.atomic('add', i, 1)));
    });
    const runtime = await createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(touch);
    const n = 65535 * 64 + 1000;
    const { hits } = await pipeline.dispatch({}, { outputs: { hits: n } });
    await runtime.dispose();
    let wrong = 0;
    for (let i = 0; i < n; i++) if (hits?.[i] !== 1) wrong++;
    return { n: hits?.length, wrong };
  });
  expect(result).toEqual({ n: 65535 * 64 + 1000, wrong: 0 });
});

test('computes the same program digest on the main thread as in the worker', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, program, programDigest, wgsl } = window.vyre;
    const ir = program({ name: 'double', workgroupSize: 32 }, (b) => {
      const x = b.buffer('x', 'i32', 'read');
      const y = b.buffer('y', 'i32', 'output');
      const i = b.let('i', b.linearIndex());
      y.store(i, x.load(i).mul(2));
    });
    const source = wgsl({ code: `
      @group(0) @binding(0) var<storage, read> x: array<i32>;
      @group(0) @binding(1) var<storage, read_write> y: array<i32>;
      @compute @workgroup_size(32) fn main(@builtin(global_invocation_id) id: vec3u) { y[id.x] = 2 * x[id.x]; }` });
    const runtime = await createRuntime({ persistent: false });
    const fromWorker = [(await runtime.compile(ir)).manifest.programDigest, (await runtime.compile(source)).manifest.programDigest];
    await runtime.dispose();
    return { mainThread: [programDigest(ir), programDigest(source)], fromWorker };
  });
  expect(result.fromWorker).toEqual(result.mainThread);
  expect(result.mainThread[0]).not.toBe(result.mainThread[1]);
});

test('rejects an invalid IR program with invalid-program, its rule and path, before the GPU sees it', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime } = window.vyre;
    const runtime = await createRuntime({ persistent: false });
    const bad = {
      kind: 'ir', workgroupSize: [64, 1, 1], params: [],
      buffers: [{ name: 'x', binding: 0, access: 'read', type: 'f32' }, { name: 'y', binding: 1, access: 'output', type: 'f32' }],
      body: [{ kind: 'store', buffer: 'x', index: { kind: 'literal', type: 'u32', value: 0 }, value: { kind: 'literal', type: 'f32', value: 1 } }],
    };
    try {
      await runtime.compile(bad as never);
      return undefined;
    } catch (error) {
      const e = error as { code: string; details: Record<string, unknown>; message: string };
      return { code: e.code, rule: e.details['rule'], path: e.details['path'], fix: /Fix: /.test(e.message) };
    } finally {
      await runtime.dispose();
    }
  });
  expect(result).toEqual({ code: 'invalid-program', rule: 'store-to-read-only', path: 'body[0].buffer', fix: true });
});
