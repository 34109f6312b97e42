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

test('saxpy with vec4 loads and stores of scalar f32 buffers of 1003 elements gives the interpreter\'s bits and plain JS\'s', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, program, runReference } = window.vyre;
    // One vec4 per invocation: x and y stay plain f32 arrays, read and written 4 elements at a time.
    const saxpy4 = program({ name: 'saxpy-vec4-of-scalars', workgroupSize: 64 }, (b) => {
      const x = b.buffer('x', 'f32', 'read');
      const y = b.buffer('y', 'f32', 'read-write');
      const alpha = b.param('alpha', 'f32');
      const i = b.let('i', b.linearIndex());
      y.storeVector(4, i, x.loadVector(4, i).mul(b.splat('vec4<f32>', alpha)).add(y.loadVector(4, i)));
    });
    // 250 whole vectors and a ragged tail of 3; the default grid (one invocation per element)
    // also runs invocations whose vectors are wholly past the end.
    const n = 1003;
    const x = Float32Array.from({ length: n }, (_, k) => (k % 17) * 0.1 - 0.7);
    const y = Float32Array.from({ length: n }, (_, k) => k / 3);
    const options = { params: { alpha: 1.7 } };
    const runtime = await createRuntime({ persistent: false });
    try {
      const { pipeline } = await runtime.compile(saxpy4);
      const gpu = (await pipeline.dispatch({ x, y }, options))['y'];
      const reference = runReference(saxpy4, { x, y }, options)['y'];
      // Exact floats: the product rounded to f32, then the sum rounded.
      const alpha = Math.fround(1.7);
      const plain = Float32Array.from(y, (value, k) => Math.fround(Math.fround(alpha * (x[k] ?? 0)) + value));
      const bits = (array: ArrayLike<number> | undefined): number[] => Array.from(new Uint32Array(Float32Array.from(array ?? []).buffer));
      const [g, r, p] = [bits(gpu), bits(reference), bits(plain)];
      return { length: gpu?.length, gpuVsReference: g.filter((v, k) => v !== r[k]).length, gpuVsPlain: g.filter((v, k) => v !== p[k]).length, tail: Array.from(gpu ?? []).slice(-3) };
    } finally {
      await runtime.dispose();
    }
  });
  expect(result).toMatchObject({ length: 1003, gpuVsReference: 0, gpuVsPlain: 0 });
  expect(result.tail).toEqual([1000, 1001, 1002].map((k) => Math.fround(Math.fround(Math.fround(1.7) * Math.fround((k % 17) * 0.1 - 0.7)) + Math.fround(k / 3))));
});

test('vec2 loads and stores of a scalar i32 buffer of 7 elements: ragged tail, and an index past 2³² reads zeros, on the GPU as in the interpreter', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, program, runReference } = window.vyre;
    const pairs = program({ name: 'vec2-of-i32', workgroupSize: 4 }, (b) => {
      const n = b.buffer('n', 'i32', 'read');
      const o = b.buffer('o', 'i32', 'output', { sizing: { kind: 'same-as', buffer: 'n' } });
      const w = b.buffer('w', 'i32', 'output', { sizing: { kind: 'same-as', buffer: 'n' } });
      const i = b.let('i', b.linearIndex());
      o.storeVector(2, i, n.loadVector(2, i).mul(b.vector('vec2<i32>', 3, -5)));
      // 2·(i + 2³¹) = 2·i + 2³²: past the end of every buffer; a wrapped index would read n[2i].
      w.storeVector(2, i, n.loadVector(2, i.add(0x8000_0000)));
    });
    const n = Int32Array.from([10, 20, 30, 40, 50, 60, 70]);
    const runtime = await createRuntime({ persistent: false });
    try {
      const { pipeline } = await runtime.compile(pairs);
      const gpu = await pipeline.dispatch({ n }, {});
      const reference = runReference(pairs, { n }, {});
      return { gpu: { o: Array.from(gpu['o'] ?? []), w: Array.from(gpu['w'] ?? []) }, reference: { o: Array.from(reference['o'] ?? []), w: Array.from(reference['w'] ?? []) } };
    } finally {
      await runtime.dispose();
    }
  });
  // x·3 on even elements, y·(−5) on odd ones; the last vector has only x in bounds.
  const expected = { o: [30, -100, 90, -200, 150, -300, 210], w: [0, 0, 0, 0, 0, 0, 0] };
  expect(result.gpu).toEqual(expected);
  expect(result.reference).toEqual(expected);
});
