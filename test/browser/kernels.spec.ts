/**
 * The kernel library on real WebGPU, in headed Chrome: every kernel compiled once and
 * dispatched on seeded random inputs of length 1, a ragged length and a grid folded into
 * y and z (`foldAt: 8`), each result compared with the CPU reference interpreter run in
 * the same page on the same inputs — bit for bit on integers, and on floats within the
 * tolerance each kernel states (docs/kernels.md). Plus, for each kernel, one dispatch
 * over more workgroups than the device allows per dimension (the smallest input that
 * needs limit + 1), so the runtime folds the grid at the real limit, again compared with
 * the interpreter: the quick ones in every run, all of them in `npm run test:full`.
 *
 * Inputs are made here, in Node, from a seeded PRNG, so a failure names a reproducible case.
 */
import type { HarnessPage } from './support/engine.ts';
import type { LaunchOptions, IrProgram } from '../support/vyre-all.ts';
import {
  MANDELBROT_MIN_IDENTICAL,
  countByteOptions,
  histogram256Options,
  loads4Options,
  mandelbrotOptions,
  matmulOptions,
  matmulX4DirectOptions,
  matmulX4Options,
  sumReduceOptions,
  sumWideOptions,
} from '../../src/kernels/index.ts';
import { expect, test } from './support/fixtures.ts';
import { prng } from '../fuzz/random.ts';

// ---- seeded inputs -------------------------------------------------------------------


type ElementKind = 'u32' | 'i32' | 'f32';

/** A typed array as it crosses into the page: its element type and plain numbers. */
interface PlainArray {
  readonly type: ElementKind;
  readonly values: readonly number[];
}

function randomU32(n: number, seed: number): PlainArray {
  const next = prng(seed);
  return { type: 'u32', values: Array.from({ length: n }, () => Math.floor(next() * 4294967296)) };
}

/** f32 values uniform in [-range, range), rounded to f32 here so both sides see the same bits. */
function randomF32(n: number, seed: number, range = 100): PlainArray {
  const next = prng(seed);
  return { type: 'f32', values: Array.from({ length: n }, () => Math.fround((next() * 2 - 1) * range)) };
}

/** Lengths 1, ragged, and folded: 69 workgroups fold into [8, 5, 2] at foldAt 8 (with overshoot). */
function sizes(workgroup: number): { label: string; n: number; foldAt?: number }[] {
  return [
    { label: 'n=1', n: 1 },
    { label: `n=${3 * workgroup + 37} (ragged)`, n: 3 * workgroup + 37 },
    { label: `n=${69 * workgroup + 5} (folded at 8)`, n: 69 * workgroup + 5, foldAt: 8 },
  ];
}

function withFold(options: LaunchOptions, foldAt: number | undefined): LaunchOptions {
  return foldAt === undefined ? options : { ...options, foldAt };
}

// ---- running in the page -------------------------------------------------------------

/** The library's ready-made kernels, by export name. */
type KernelName =
  | 'saxpy'
  | 'squareU32'
  | 'reluF32'
  | 'sumReduce'
  | 'sumReduceF32'
  | 'histogram256'
  | 'matmul'
  | 'scanBlocks'
  | 'addBlockOffsets'
  | 'bitonicStep'
  | 'mandelbrot'
  | 'convolve1d'
  | 'countByte';

/** The vector forms of kernels: not in the device-limit sweep below (their foldAt cases fold). */
type VectorKernelName = 'reluF32x4' | 'saxpyX4' | 'matmulX4' | 'matmulX4Direct' | 'sumReduceWide' | 'reluF32Loads4';

interface Case {
  readonly label: string;
  readonly inputs: Readonly<Record<string, PlainArray>>;
  readonly options: LaunchOptions;
}

type Outputs = Record<string, number[]>;

interface CaseResult {
  readonly label: string;
  readonly gpu: Outputs;
  readonly cpu: Outputs;
}

/**
 * Compiles `kernel` once in a fresh runtime, dispatches every case on the GPU and on
 * `runReference`, and returns both sides' outputs; the runtime is disposed before returning.
 */
async function gpuAndReference(page: HarnessPage, kernel: KernelName | VectorKernelName, cases: readonly Case[]): Promise<{ results: CaseResult[]; disposed: boolean }> {
  return page.evaluate(
    async ({ kernel, cases }) => {
      const vyre = window.vyre;
      const program: IrProgram = vyre[kernel];
      const toTyped = ({ type, values }: PlainArray) =>
        type === 'f32' ? Float32Array.from(values) : type === 'i32' ? Int32Array.from(values) : Uint32Array.from(values);
      const toPlain = (outputs: Record<string, ArrayLike<number>>) =>
        Object.fromEntries(Object.entries(outputs).map(([name, array]) => [name, Array.from(array)]));
      const runtime = await vyre.createRuntime();
      const { pipeline } = await runtime.compile(program);
      const results = [];
      for (const { label, inputs, options } of cases) {
        const typed = Object.fromEntries(Object.entries(inputs).map(([name, array]) => [name, toTyped(array)]));
        const cpu = vyre.runReference(program, typed, options);
        const gpu = await pipeline.dispatch(typed, options);
        results.push({ label, gpu: toPlain(gpu), cpu: toPlain(cpu) });
      }
      await runtime.dispose();
      return { results, disposed: true };
    },
    { kernel, cases },
  );
}

/** The first few indices where two arrays differ, with both values: what a failure prints. */
function mismatches(gpu: readonly number[], cpu: readonly number[], limit = 5): string[] {
  const found: string[] = [];
  for (let i = 0; i < Math.max(gpu.length, cpu.length) && found.length < limit; i++) {
    if (!Object.is(gpu[i], cpu[i])) found.push(`[${i}] gpu=${gpu[i]} cpu=${cpu[i]}`);
  }
  return found;
}

/** Bit-exact agreement of every output (floats compared as numbers, -0 ≠ +0). */
function expectIdentical(results: readonly CaseResult[]): void {
  for (const { label, gpu, cpu } of results) {
    expect(Object.keys(gpu).sort(), label).toEqual(Object.keys(cpu).sort());
    for (const [name, values] of Object.entries(cpu)) {
      const actual = gpu[name] ?? [];
      expect(actual.length, `${label}: ${name} length`).toBe(values.length);
      expect(mismatches(actual, values), `${label}: ${name} differs from the interpreter`).toEqual([]);
    }
  }
}

// ---- kernels -------------------------------------------------------------------------

test('saxpy agrees with the interpreter bit for bit', async ({ vyrePage }) => {
  const cases = sizes(64).map(({ label, n, foldAt }, s) => ({
    label,
    inputs: { x: randomF32(n, 100 + s), y: randomF32(n, 200 + s) },
    options: withFold({ params: { alpha: -2.3125 } }, foldAt),
  }));
  const { results, disposed } = await gpuAndReference(vyrePage, 'saxpy', cases);
  expectIdentical(results);
  expect(disposed).toBe(true);
});

test('saxpy covers every element of a grid larger than maxComputeWorkgroupsPerDimension', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, saxpy } = window.vyre;
    const runtime = await createRuntime();
    const limit = runtime.device.limits.maxComputeWorkgroupsPerDimension;
    const n = limit * 64 + 100;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    let state = 12345;
    for (let i = 0; i < n; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      x[i] = (state >>> 8) / 65536 - 128;
      y[i] = (i % 4099) / 16 - 100;
    }
    const alpha = Math.fround(0.7);
    const { pipeline } = await runtime.compile(saxpy);
    const out = (await pipeline.dispatch({ x, y }, { params: { alpha } }))['y'];
    let wrong = 0;
    const firstWrong: string[] = [];
    for (let i = 0; i < n; i++) {
      const expected = Math.fround(Math.fround(alpha * (x[i] ?? 0)) + (y[i] ?? 0));
      if (!Object.is(out?.[i], expected)) {
        wrong++;
        if (firstWrong.length < 5) firstWrong.push(`[${i}] gpu=${out?.[i]} expected=${expected}`);
      }
    }
    await runtime.dispose();
    return { limit, n, workgroups: Math.ceil(n / 64), length: out?.length, wrong, firstWrong, disposed: true };
  });
  expect(result.workgroups).toBeGreaterThan(result.limit);
  expect(result).toMatchObject({ length: result.n, wrong: 0, firstWrong: [], disposed: true });
});

test('squareU32 and reluF32 agree with the interpreter bit for bit', async ({ vyrePage }) => {
  const square = await gpuAndReference(
    vyrePage,
    'squareU32',
    sizes(64).map(({ label, n, foldAt }, s) => ({ label, inputs: { x: randomU32(n, 300 + s) }, options: withFold({}, foldAt) })),
  );
  const relu = await gpuAndReference(
    vyrePage,
    'reluF32',
    sizes(64).map(({ label, n, foldAt }, s) => ({ label, inputs: { x: randomF32(n, 400 + s) }, options: withFold({}, foldAt) })),
  );
  expectIdentical(square.results);
  expectIdentical(relu.results);
  expect([square.disposed, relu.disposed]).toEqual([true, true]);
});

test('reluF32Loads4 (vec4 loads of a scalar buffer, any length) agrees with the interpreter and with max(x, 0)', async ({ vyrePage }) => {
  // 1, 4·64+1 (one element in the last vector), 4·64·69+7 folded at 8: the tail's loads read zeros, its extra stores drop.
  const lengths = [{ label: 'n=1', n: 1 }, { label: 'n=257 (ragged tail of 1)', n: 257 }, { label: 'n=17671 (ragged tail of 3, folded at 8)', n: 17_671, foldAt: 8 }];
  const cases = lengths.map(({ label, n, foldAt }, s) => ({ label, inputs: { x: randomF32(n, 1550 + s) }, options: withFold(loads4Options(n), foldAt) }));
  const { results, disposed } = await gpuAndReference(vyrePage, 'reluF32Loads4', cases);
  expectIdentical(results);
  results.forEach(({ label, gpu }, s) => {
    const x = cases[s]?.inputs.x.values ?? [];
    expect(mismatches(gpu['y'] ?? [], x.map((v) => (v > 0 ? v : 0))), label).toEqual([]);
    expect(gpu['y']?.length, label).toBe(x.length);
  });
  expect(disposed).toBe(true);
});

test('reluF32x4 and saxpyX4 (vec4 buffers) agree with the interpreter and with the scalar rule bit for bit', async ({ vyrePage }) => {
  // Lengths in vectors of 4: 1, ragged, and folded at 8; the host arrays are flat floats.
  const cases = (seed: number, names: readonly string[]) =>
    sizes(64).map(({ label, n, foldAt }, s) => ({
      label,
      inputs: Object.fromEntries(names.map((name, k) => [name, randomF32(4 * n, seed + 10 * s + k)])),
      options: withFold({ params: { alpha: -2.3125 } }, foldAt),
    }));
  const relu = await gpuAndReference(vyrePage, 'reluF32x4', cases(1500, ['x']).map((c) => ({ ...c, options: withFold({}, c.options.foldAt) })));
  const saxpy = await gpuAndReference(vyrePage, 'saxpyX4', cases(1600, ['x', 'y']));
  expectIdentical(relu.results);
  expectIdentical(saxpy.results);
  // And the scalar kernels' rules, computed here: max(x, 0) (no -0 among these inputs);
  // fround(fround(alpha·x) + y).
  relu.results.forEach(({ label, gpu }, s) => {
    const x = cases(1500, ['x'])[s]?.inputs['x']?.values ?? [];
    expect(gpu['y']?.length, label).toBe(x.length);
    expect(mismatches(gpu['y'] ?? [], x.map((v) => (v > 0 ? v : 0))), label).toEqual([]);
  });
  saxpy.results.forEach(({ label, gpu }, s) => {
    const { x, y } = cases(1600, ['x', 'y'])[s]?.inputs ?? {};
    const expected = (x?.values ?? []).map((xi, i) => Math.fround(Math.fround(-2.3125 * xi) + (y?.values[i] ?? 0)));
    expect(gpu['y']?.length, label).toBe(expected.length);
    expect(mismatches(gpu['y'] ?? [], expected), label).toEqual([]);
  });
});

test('saxpyX4 refuses a length that is not a multiple of 4 with invalid-input and keeps serving; vec4 resident inputs and kept outputs hold whole vectors; no vectors in, none out', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime();
    const { pipeline } = await runtime.compile(vyre.saxpyX4);
    let error: { code: string; message: string } | null = null;
    try {
      await pipeline.dispatch({ x: new Float32Array(6), y: new Float32Array(6) }, { params: { alpha: 1 } });
    } catch (caught) {
      error = { code: (caught as { code: string }).code, message: String((caught as Error).message) };
    }
    const after = await pipeline.dispatch({ x: Float32Array.of(1, 2, 3, 4), y: Float32Array.of(1, 1, 1, 1) }, { params: { alpha: 2 } });
    // Resident inputs (8 floats = 2 vectors) and a kept output: the output holds 8 floats too.
    const x = await runtime.createBuffer(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    const relu = await runtime.compile(vyre.reluF32x4);
    const kept = await relu.pipeline.dispatch({ x }, { keep: ['y'] });
    const keptY = kept['y'];
    const read = keptY instanceof vyre.ResidentBuffer ? Array.from(await runtime.read(keptY)) : null;
    // No vectors in, none out (the binding is allocated one vector, WebGPU's minimum).
    const empty = await relu.pipeline.dispatch({ x: new Float32Array(0) });
    await runtime.dispose();
    return { error, after: Array.from(after['y'] ?? []), read, empty: empty['y']?.length };
  });
  expect(result.error?.code).toBe('invalid-input');
  expect(result.error?.message).toMatch(/Fix: /);
  expect(result.after).toEqual([3, 5, 7, 9]);
  expect(result.read).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(result.empty).toBe(0);
});

const VEC4_MATMULS = [
  // foldAt: 2 leaves 8 workgroups per fold; the direct kernel's 32-blocks make 9 there, so it folds at 3.
  { kernel: 'matmulX4', what: 'tiled, vec4', options: matmulX4Options, foldAt: 2, seed: 1700 },
  { kernel: 'matmulX4Direct', what: 'vec4, no workgroup memory', options: matmulX4DirectOptions, foldAt: 3, seed: 1750 },
] as const;

for (const { kernel, what, options, foldAt, seed } of VEC4_MATMULS) {
  test(`${kernel} (${what}) agrees with the interpreter bit for bit, folded grid included`, async ({ vyrePage }) => {
    const shapes = [
      { label: '1×4·4×4', M: 1, N: 4, K: 4 },
      { label: '33×44·44×28 (odd M, K not a multiple of 16, partial blocks)', M: 33, N: 28, K: 44 },
      { label: `70×68·20×68 (folded at ${foldAt})`, M: 70, N: 68, K: 20, foldAt },
    ];
    const cases = shapes.map(({ label, M, N, K, foldAt }, s) => ({
      label,
      inputs: { a: randomF32(M * K, seed + s, 4), b: randomF32(K * N, seed + 100 + s, 4) },
      options: withFold(options(M, N, K), foldAt),
    }));
    const { results, disposed } = await gpuAndReference(vyrePage, kernel, cases);
    expectIdentical(results);
    expect(disposed).toBe(true);
  });
}

test('sumReduce (u32 and f32) agrees with the interpreter bit for bit', async ({ vyrePage }) => {
  const u32 = await gpuAndReference(
    vyrePage,
    'sumReduce',
    sizes(256).map(({ label, n, foldAt }, s) => ({ label, inputs: { x: randomU32(n, 500 + s) }, options: withFold(sumReduceOptions(n), foldAt) })),
  );
  // f32: the tree fixes the order of the additions, so the stated tolerance is exact.
  const f32 = await gpuAndReference(
    vyrePage,
    'sumReduceF32',
    sizes(256).map(({ label, n, foldAt }, s) => ({ label, inputs: { x: randomF32(n, 600 + s) }, options: withFold(sumReduceOptions(n), foldAt) })),
  );
  expectIdentical(u32.results);
  expectIdentical(f32.results);
  // Independently: the u32 partials are the wrapping sums of 256-element blocks.
  const x = randomU32(69 * 256 + 5, 502).values;
  const blocks = Array.from({ length: Math.ceil(x.length / 256) }, (_, g) => x.slice(g * 256, g * 256 + 256).reduce((a, v) => (a + v) >>> 0, 0));
  expect(u32.results[2]?.gpu['partials']).toEqual(blocks);
  expect([u32.disposed, f32.disposed]).toEqual([true, true]);
});

/** Wrapping u32 sums of `block`-element blocks of `x`: the partials of a one-pass sum, computed in plain JS. */
function blockSums(x: readonly number[], block: number): number[] {
  return Array.from({ length: Math.max(1, Math.ceil(x.length / block)) }, (_, g) => x.slice(g * block, g * block + block).reduce((a, v) => (a + v) >>> 0, 0));
}

test('sumReduceWide (8 elements per invocation, then the tree) agrees with the interpreter and with plain-JS block sums', async ({ vyrePage }) => {
  const cases = sizes(2048).map(({ label, n, foldAt }, s) => ({ label, inputs: { x: randomU32(n, 560 + s) }, options: withFold(sumWideOptions(n), foldAt) }));
  const { results, disposed } = await gpuAndReference(vyrePage, 'sumReduceWide', cases);
  expectIdentical(results);
  cases.forEach(({ label, inputs }, i) => expect(results[i]?.gpu['partials'], label).toEqual(blockSums(inputs.x.values, 2048)));
  expect(disposed).toBe(true);
});

test('sumReduceSubgroups gives sumReduceWide\'s partials where the adapter has subgroups, and a shader-compilation error where it has not', async ({ vyrePage }) => {
  const inputs = [1, 2047, 2049, 70 * 2048 + 11].map((n, s) => randomU32(n, 580 + s).values);
  const result = await vyrePage.evaluate(async (inputs) => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: false });
    const hasSubgroups = runtime.device.features.includes('subgroups');
    try {
      const { pipeline } = await runtime.compile(vyre.sumReduceSubgroups);
      const partials = [];
      for (const x of inputs) partials.push(Array.from(((await pipeline.dispatch({ x: Uint32Array.from(x) }, vyre.sumWideOptions(x.length))) as { partials: Uint32Array }).partials));
      return { hasSubgroups, partials, error: null };
    } catch (error) {
      return { hasSubgroups, partials: [], error: `${(error as { code?: string }).code} ${String(error)}` };
    } finally {
      await runtime.dispose();
    }
  }, inputs);
  if (result.hasSubgroups) {
    expect(result.error).toBeNull();
    expect(result.partials).toEqual(inputs.map((x) => blockSums(x, 2048)));
  } else {
    expect(result.error).toMatch(/^shader-compilation .*subgroups/s);
  }
});

test('histogram256 agrees with the interpreter bit for bit', async ({ vyrePage }) => {
  const cases = sizes(256).map(({ label, n, foldAt }, s) => ({
    label,
    inputs: { x: randomU32(n, 700 + s) },
    options: withFold(histogram256Options(n), foldAt),
  }));
  const { results, disposed } = await gpuAndReference(vyrePage, 'histogram256', cases);
  expectIdentical(results);
  const bins = results[2]?.gpu['bins'] ?? [];
  expect(bins).toHaveLength(256);
  expect(bins.reduce((a, b) => a + b, 0)).toBe(69 * 256 + 5);
  expect(disposed).toBe(true);
});

test('matmul agrees with the interpreter bit for bit', async ({ vyrePage }) => {
  const shapes = [
    { label: '1×1·1×1', M: 1, N: 1, K: 1 },
    { label: '37×19·19×21 (ragged)', M: 37, N: 21, K: 19 },
    { label: '33×47·47×29 (odd: blocks cut on both edges)', M: 33, N: 29, K: 47 },
    { label: '150×70·40×70 (folded at 8)', M: 150, N: 70, K: 40, foldAt: 8 },
  ];
  const cases = shapes.map(({ label, M, N, K, foldAt }, s) => ({
    label,
    inputs: { a: randomF32(M * K, 800 + s, 4), b: randomF32(K * N, 900 + s, 4) },
    options: withFold(matmulOptions(M, N, K), foldAt),
  }));
  const { results, disposed } = await gpuAndReference(vyrePage, 'matmul', cases);
  expectIdentical(results);
  expect(disposed).toBe(true);
});

/** `C = A·B` as the kernel states it: per element, `acc = fround(acc + fround(a·b))` over k in order, from +0. */
function roundedTripleLoop(a: readonly number[], b: readonly number[], M: number, N: number, K: number): number[] {
  const c: number[] = [];
  for (let r = 0; r < M; r++) {
    for (let col = 0; col < N; col++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround((a[r * K + k] ?? 0) * (b[k * N + col] ?? 0)));
      c.push(acc);
    }
  }
  return c;
}

/** Square-ish larger matmuls: `kernel` on the GPU for each case, checked against the rounded triple loop. */
async function expectLargeMatmuls(page: HarnessPage, kernel: 'matmul' | 'matmulX4' | 'matmulX4Direct', shapes: readonly { M: number; N: number; K: number }[], seed: number): Promise<void> {
  const cases = shapes.map(({ M, N, K }, s) => ({ M, N, K, a: randomF32(M * K, seed + s, 4).values, b: randomF32(K * N, seed + 100 + s, 4).values }));
  const gpu = await page.evaluate(async ({ kernel, cases }) => {
    const vyre = window.vyre;
    const options = { matmul: vyre.matmulOptions, matmulX4: vyre.matmulX4Options, matmulX4Direct: vyre.matmulX4DirectOptions }[kernel];
    const runtime = await vyre.createRuntime();
    const { pipeline } = await runtime.compile(vyre[kernel]);
    const outputs: number[][] = [];
    for (const { M, N, K, a, b } of cases) {
      const result = await pipeline.dispatch({ a: Float32Array.from(a), b: Float32Array.from(b) }, options(M, N, K));
      outputs.push(Array.from(result['c'] ?? []));
    }
    await runtime.dispose();
    return outputs;
  }, { kernel, cases });
  cases.forEach(({ M, N, K, a, b }, s) => {
    expect(gpu[s]?.length, `${M}×${K}·${K}×${N}`).toBe(M * N);
    expect(mismatches(gpu[s] ?? [], roundedTripleLoop(a, b, M, N, K)), `${M}×${K}·${K}×${N}`).toEqual([]);
  });
}

test('matmul of larger odd shapes (300×200·200×150, 97×131·131×65) equals the rounded triple loop bit for bit', async ({ vyrePage }) => {
  await expectLargeMatmuls(vyrePage, 'matmul', [{ M: 300, N: 150, K: 200 }, { M: 97, N: 65, K: 131 }], 1200);
});

test('matmulX4 of larger shapes (300×200·200×152, 97×132·132×68) equals the rounded triple loop (matmul\'s bits)', async ({ vyrePage }) => {
  await expectLargeMatmuls(vyrePage, 'matmulX4', [{ M: 300, N: 152, K: 200 }, { M: 97, N: 68, K: 132 }], 1900);
});

test('matmulX4Direct of a larger shape (300×200·200×152) equals the rounded triple loop (matmul\'s bits)', async ({ vyrePage }) => {
  await expectLargeMatmuls(vyrePage, 'matmulX4Direct', [{ M: 300, N: 152, K: 200 }], 1950);
});

const FAST_PAIRS = [
  { matmul: 'matmul', saxpy: 'saxpy', M: 45, N: 37, K: 61, policy: 'wg=[8,8,1];floats=fast' },
  { matmul: 'matmulX4', saxpy: 'saxpyX4', M: 45, N: 36, K: 60, policy: 'wg=[16,16,1];floats=fast' },
] as const;

for (const { matmul, saxpy, M, N, K, policy } of FAST_PAIRS) {
  test(`${matmul} and ${saxpy} compiled with floats 'fast' stay within their stated tolerance of the exact result, as pipelines of their own`, async ({ vyrePage }) => {
    const a = randomF32(M * K, 1400, 4).values;
    const b = randomF32(K * N, 1401, 4).values;
    const x = randomF32(1000, 1402).values;
    const y = randomF32(1000, 1403).values;
    const alpha = Math.fround(1.37);
    const gpu = await vyrePage.evaluate(
      async ({ names, M, N, K, a, b, x, y, alpha }) => {
        const vyre = window.vyre;
        const options = names.matmul === 'matmul' ? vyre.matmulOptions : vyre.matmulX4Options;
        const runtime = await vyre.createRuntime();
        const exact = await runtime.compile(vyre[names.matmul]);
        const fast = await runtime.compile(vyre[names.matmul], { floats: 'fast' });
        const c = await fast.pipeline.dispatch({ a: Float32Array.from(a), b: Float32Array.from(b) }, options(M, N, K));
        const saxpyFast = await runtime.compile(vyre[names.saxpy], { floats: 'fast' });
        const out = await saxpyFast.pipeline.dispatch({ x: Float32Array.from(x), y: Float32Array.from(y) }, { params: { alpha } });
        await runtime.dispose();
        return { c: Array.from(c['c'] ?? []), y: Array.from(out['y'] ?? []), ids: [exact.pipeline.id, fast.pipeline.id], policy: fast.manifest.dispatchPolicy };
      },
      { names: { matmul, saxpy }, M, N, K, a, b, x, y, alpha },
    );
    expect(gpu.ids[0]).not.toBe(gpu.ids[1]);
    expect(gpu.policy).toBe(policy);
    // matmul: |C − A·B| ≤ (K + 1)·2⁻²⁴·Σ|a·b| against the exact (f64) product, fused or not.
    expect(gpu.c).toHaveLength(M * N);
    const outside: string[] = [];
    for (let r = 0; r < M; r++) {
      for (let col = 0; col < N; col++) {
        let exact = 0;
        let magnitude = 0;
        for (let k = 0; k < K; k++) {
          const product = (a[r * K + k] ?? 0) * (b[k * N + col] ?? 0);
          exact += product;
          magnitude += Math.abs(product);
        }
        const got = gpu.c[r * N + col] ?? Number.NaN;
        if (!(Math.abs(got - exact) <= (K + 1) * 2 ** -24 * magnitude)) outside.push(`[${r},${col}] ${got} vs ${exact}`);
      }
    }
    expect(outside.slice(0, 5)).toEqual([]);
    // saxpy: one rounding of the sum, and at most one more of the product: ≤ 2⁻²⁴·(|αx| + |αx + y|)
    // to first order (the factor 1 + 2⁻²⁰ covers the second).
    expect(gpu.y).toHaveLength(y.length);
    const saxpyOutside = y.flatMap((yi, i) => {
      const product = alpha * (x[i] ?? 0);
      const exact = product + yi;
      const got = gpu.y[i] ?? Number.NaN;
      return Math.abs(got - exact) <= 2 ** -24 * (Math.abs(product) + Math.abs(exact)) * (1 + 2 ** -20) ? [] : [`[${i}] ${got} vs ${exact}`];
    });
    expect(saxpyOutside.slice(0, 5)).toEqual([]);
  });
}

test('scanBlocks and addBlockOffsets compose into the inclusive scan, agreeing with the interpreter', async ({ vyrePage }) => {
  const inputs = sizes(256).map(({ label, n, foldAt }, s) => ({ label, x: randomU32(n, 1000 + s).values, foldAt }));
  const result = await vyrePage.evaluate(async (inputs) => {
    const { createRuntime, runReference, scanBlocks, scanBlocksOptions, addBlockOffsets } = window.vyre;
    const runtime = await createRuntime();
    const blocks = (await runtime.compile(scanBlocks)).pipeline;
    const offsets = (await runtime.compile(addBlockOffsets)).pipeline;
    const plain = (array: ArrayLike<number> | undefined) => Array.from(array ?? []);
    const cases = [];
    for (const { label, x: values, foldAt } of inputs) {
      const fold = foldAt === undefined ? {} : { foldAt };
      const x = Uint32Array.from(values);
      const stage1 = { ...scanBlocksOptions(x.length), ...fold };
      const cpu1 = runReference(scanBlocks, { x }, stage1);
      const gpu1 = await blocks.dispatch({ x }, stage1);
      // Step 2: at most 70 blocks here, so one more scanBlocks dispatch scans them.
      const sums = gpu1['blockSums'] as Uint32Array;
      const stage2 = scanBlocksOptions(sums.length);
      const cpu2 = runReference(scanBlocks, { x: sums }, stage2);
      const gpu2 = await blocks.dispatch({ x: sums }, stage2);
      const step3 = { y: gpu1['y'] as Uint32Array, scannedBlockSums: gpu2['y'] as Uint32Array };
      const cpu3 = runReference(addBlockOffsets, step3, fold);
      const gpu3 = await offsets.dispatch(step3, fold);
      cases.push({
        label,
        stages: [
          { stage: 'scanBlocks y', gpu: plain(gpu1['y']), cpu: plain(cpu1['y']) },
          { stage: 'scanBlocks blockSums', gpu: plain(gpu1['blockSums']), cpu: plain(cpu1['blockSums']) },
          { stage: 'scan of the block sums', gpu: plain(gpu2['y']), cpu: plain(cpu2['y']) },
          { stage: 'addBlockOffsets y', gpu: plain(gpu3['y']), cpu: plain(cpu3['y']) },
        ],
      });
    }
    await runtime.dispose();
    return { cases, disposed: true };
  }, inputs);
  result.cases.forEach(({ label, stages }, c) => {
    for (const { stage, gpu, cpu } of stages) expect(mismatches(gpu, cpu), `${label}: ${stage}`).toEqual([]);
    let sum = 0;
    const naive = (inputs[c]?.x ?? []).map((v) => (sum = (sum + v) >>> 0));
    expect(stages[3]?.gpu, `${label}: the whole scan`).toEqual(naive);
  });
  expect(result.disposed).toBe(true);
});

test('bitonicStep sorts through its schedule, agreeing with the interpreter at every step', async ({ vyrePage }) => {
  const inputs = sizes(64).map(({ label, n, foldAt }, s) => ({ label, values: randomU32(n, 1100 + s).values, foldAt }));
  const result = await vyrePage.evaluate(async (inputs) => {
    const { createRuntime, runReference, bitonicStep, bitonicSchedule } = window.vyre;
    const runtime = await createRuntime();
    const { pipeline } = await runtime.compile(bitonicStep);
    const cases = [];
    for (const { label, values, foldAt } of inputs) {
      const size = values.length <= 1 ? Math.max(values.length, 2) : 2 ** Math.ceil(Math.log2(values.length));
      let gpu = new Uint32Array(size).fill(0xffffffff);
      gpu.set(values);
      let cpu = gpu.slice();
      let firstDifferingStep: number | null = null;
      const schedule = bitonicSchedule(size);
      for (const [step, { k, j }] of schedule.entries()) {
        const options = foldAt === undefined ? { params: { k, j } } : { params: { k, j }, foldAt };
        cpu = runReference(bitonicStep, { data: cpu }, options)['data'] as Uint32Array<ArrayBuffer>;
        gpu = (await pipeline.dispatch({ data: gpu }, options))['data'] as Uint32Array<ArrayBuffer>;
        if (firstDifferingStep === null && gpu.some((v, i) => v !== cpu[i])) firstDifferingStep = step;
      }
      cases.push({ label, steps: schedule.length, firstDifferingStep, sorted: Array.from(gpu.subarray(0, values.length)) });
    }
    await runtime.dispose();
    return { cases, disposed: true };
  }, inputs);
  result.cases.forEach(({ label, firstDifferingStep, sorted }, c) => {
    expect(firstDifferingStep, `${label}: first step where the GPU and the interpreter differ`).toBeNull();
    expect(sorted, label).toEqual([...(inputs[c]?.values ?? [])].sort((a, b) => a - b));
  });
  expect(result.cases.map((c) => c.steps)).toEqual([1, 36, 91]);
  expect(result.disposed).toBe(true);
});

test('mandelbrot agrees with the interpreter within its stated tolerance', async ({ vyrePage }) => {
  const views = [
    { label: '1×1', width: 1, height: 1, maxIterations: 64, x0: -0.75, y0: 0.1, step: 0.01 },
    { label: '23×17 (ragged)', width: 23, height: 17, maxIterations: 100, x0: -2, y0: -1.2, step: 0.12 },
    { label: '96×48 (folded at 8)', width: 96, height: 48, maxIterations: 120, x0: -2.1, y0: -1.2, step: 0.05, foldAt: 8 },
  ];
  const cases = views.map(({ label, foldAt, ...view }) => ({
    label,
    inputs: {},
    options: withFold(mandelbrotOptions(view), foldAt),
  }));
  const { results, disposed } = await gpuAndReference(vyrePage, 'mandelbrot', cases);
  let differing = 0;
  for (const { label, gpu, cpu } of results) {
    const g = gpu['iterations'] ?? [];
    const c = cpu['iterations'] ?? [];
    expect(g.length, label).toBe(c.length);
    const diffs = g.flatMap((v, i) => (v === c[i] ? [] : [{ i, gpu: v, cpu: c[i] ?? -1 }]));
    differing += diffs.length;
    // Tolerance (docs/kernels.md): at least MANDELBROT_MIN_IDENTICAL (99%) of the pixels identical.
    const identical = c.length - diffs.length;
    expect(identical, `${label}: differing pixels ${JSON.stringify(diffs.slice(0, 5))}`).toBeGreaterThanOrEqual(MANDELBROT_MIN_IDENTICAL * c.length);
  }
  test.info().annotations.push({ type: 'mandelbrot', description: `${differing} pixels differ between the GPU and the interpreter` });
  expect(disposed).toBe(true);
});

test('convolve1d agrees with the interpreter bit for bit', async ({ vyrePage }) => {
  const cases = sizes(64).flatMap(({ label, n, foldAt }, s) =>
    [
      { taps: 7, radius: 3 },
      { taps: 5, radius: 0 },
    ].map(({ taps, radius }) => ({
      label: `${label}, ${taps} taps, radius ${radius}`,
      inputs: { x: randomF32(n, 1200 + s), w: randomF32(taps, 1300 + taps, 1) },
      options: withFold({ params: { radius } }, foldAt),
    })),
  );
  const { results, disposed } = await gpuAndReference(vyrePage, 'convolve1d', cases);
  expectIdentical(results);
  expect(disposed).toBe(true);
});

test('countByte agrees with the interpreter bit for bit', async ({ vyrePage }) => {
  const cases = sizes(256).flatMap(({ label, n, foldAt }, s) => {
    const next = prng(1400 + s);
    const bytes = Uint8Array.from({ length: n * 4 }, () => Math.floor(next() * 6) * 51);
    const data: PlainArray = { type: 'u32', values: Array.from(new Uint32Array(bytes.buffer)) };
    return [0, 102, 7].map((target) => ({ label: `${label}, target ${target}`, inputs: { data }, options: withFold(countByteOptions(n, target), foldAt) }));
  });
  const { results, disposed } = await gpuAndReference(vyrePage, 'countByte', cases);
  expectIdentical(results);
  expect(results.at(-3)?.gpu['count']?.[0]).toBeGreaterThan(0);
  expect(results.at(-1)?.gpu['count']).toEqual([0]);
  expect(disposed).toBe(true);
});

// ---- at the real device limit --------------------------------------------------------

/**
 * What one dispatch at the device limit gave: the limit, how many invocations the default
 * grid had to cover, and each output compared in the page (the arrays are tens of MB, too
 * big to bring back).
 */
interface LimitRun {
  readonly limit: number;
  readonly perWorkgroup: number;
  readonly invocations: number;
  readonly shape: string;
  readonly outputs: readonly { name: string; gpuLength: number; cpuLength: number; differing: number; first: string[] }[];
  /** Checks of the result against plain JS, independent of the interpreter. */
  readonly checks: readonly { what: string; ok: boolean }[];
  readonly gpuMs: number;
  readonly cpuMs: number;
  readonly disposed: boolean;
}

/**
 * Dispatches `kernel` once on the GPU and once on `runReference`, planned with the device's
 * own limits, over the smallest input whose default grid needs more workgroups than
 * `maxComputeWorkgroupsPerDimension`, so the runtime folds it at the real limit. The inputs
 * are made in the page from a seeded PRNG (mulberry32), sized from the limit read there.
 */
async function atDeviceLimit(page: HarnessPage, kernel: KernelName): Promise<LimitRun> {
  return page.evaluate(async (kernel) => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime();
    const limits = runtime.device.limits;
    const limit = limits.maxComputeWorkgroupsPerDimension;
    const planLimits = { maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize, maxComputeWorkgroupsPerDimension: limit };

    const random = (seed: number) => {
      let state = seed >>> 0;
      return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (t ^ (t >>> 14)) >>> 0;
      };
    };
    const u32s = (n: number, seed: number) => {
      const next = random(seed);
      const array = new Uint32Array(n);
      for (let i = 0; i < n; i++) array[i] = next();
      return array;
    };
    /** Uniform in [-range, range) on a grid of range · 2⁻²³: exact in f32 for a power-of-two range. */
    const f32s = (n: number, seed: number, range: number) => {
      const next = random(seed);
      const array = new Float32Array(n);
      for (let i = 0; i < n; i++) array[i] = (((next() >>> 8) - 2 ** 23) / 2 ** 23) * range;
      return array;
    };
    /** The smallest length whose one-invocation-per-element grid needs limit + 1 workgroups (a ragged last one). */
    const justOver = (perWorkgroup: number) => limit * perWorkgroup + 1;
    /** The inclusive scan (mod 2³²) of each block of 256, and the totals of the blocks. */
    const blockScans = (x: Uint32Array) => {
      const y = new Uint32Array(x.length);
      const sums = new Uint32Array(Math.ceil(x.length / 256));
      for (let i = 0; i < x.length; i++) {
        y[i] = i % 256 === 0 ? (x[i] ?? 0) : ((y[i - 1] ?? 0) + (x[i] ?? 0)) >>> 0;
        sums[i >>> 8] = y[i] ?? 0;
      }
      return { y, sums };
    };
    const sameArrays = (a: ArrayLike<number> | undefined, b: ArrayLike<number>) => {
      if (a === undefined || a.length !== b.length) return false;
      for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
      return true;
    };

    type Spec = {
      program: IrProgram;
      inputs: Record<string, Uint32Array | Float32Array>;
      options: LaunchOptions;
      shape: string;
      checks?: (gpu: Record<string, ArrayLike<number>>) => { what: string; ok: boolean }[];
    };
    const specs: Record<typeof kernel, () => Spec> = {
      saxpy: () => {
        const n = justOver(64);
        return { program: vyre.saxpy, inputs: { x: f32s(n, 1, 128), y: f32s(n, 2, 128) }, options: { params: { alpha: -2.3125 } }, shape: `n=${n}` };
      },
      squareU32: () => {
        const n = justOver(64);
        return { program: vyre.squareU32, inputs: { x: u32s(n, 3) }, options: {}, shape: `n=${n}` };
      },
      reluF32: () => {
        const n = justOver(64);
        return { program: vyre.reluF32, inputs: { x: f32s(n, 4, 128) }, options: {}, shape: `n=${n}` };
      },
      sumReduce: () => {
        const n = justOver(256);
        return { program: vyre.sumReduce, inputs: { x: u32s(n, 5) }, options: vyre.sumReduceOptions(n), shape: `n=${n}` };
      },
      sumReduceF32: () => {
        const n = justOver(256);
        return { program: vyre.sumReduceF32, inputs: { x: f32s(n, 6, 128) }, options: vyre.sumReduceOptions(n), shape: `n=${n}` };
      },
      histogram256: () => {
        const n = justOver(256);
        return {
          program: vyre.histogram256,
          inputs: { x: u32s(n, 7) },
          options: vyre.histogram256Options(n),
          shape: `n=${n}`,
          checks: (gpu) => [{ what: 'the bins add up to n', ok: Array.from(gpu['bins'] ?? []).reduce((a, b) => a + b, 0) === n }],
        };
      },
      matmul: () => {
        // ceil(N/32) = limit + 1 blocks in one row of blocks, the last one a single column wide.
        const M = 4;
        const K = 4;
        const N = 32 * limit + 1;
        return { program: vyre.matmul, inputs: { a: f32s(M * K, 8, 4), b: f32s(K * N, 9, 4) }, options: vyre.matmulOptions(M, N, K), shape: `M=${M} N=${N} K=${K}` };
      },
      scanBlocks: () => {
        const n = justOver(256);
        const x = u32s(n, 10);
        const expected = blockScans(x);
        return {
          program: vyre.scanBlocks,
          inputs: { x },
          options: vyre.scanBlocksOptions(n),
          shape: `n=${n}`,
          checks: (gpu) => [
            { what: 'y is the scan of each block', ok: sameArrays(gpu['y'], expected.y) },
            { what: 'blockSums are the totals of the blocks', ok: sameArrays(gpu['blockSums'], expected.sums) },
          ],
        };
      },
      addBlockOffsets: () => {
        // Its inputs as step 1 and 2 of the scan make them (computed here), so its output is the scan of x.
        const n = justOver(256);
        const x = u32s(n, 11);
        const { y, sums } = blockScans(x);
        let running = 0;
        const scannedBlockSums = sums.map((v) => (running = (running + v) >>> 0));
        running = 0;
        const scan = x.map((v) => (running = (running + v) >>> 0));
        return {
          program: vyre.addBlockOffsets,
          inputs: { y, scannedBlockSums },
          options: {},
          shape: `n=${n}`,
          checks: (gpu) => [{ what: 'y is the inclusive scan of x', ok: sameArrays(gpu['y'], scan) }],
        };
      },
      bitonicStep: () => {
        // The first step of the second-to-last merge: ascending below size/2, descending
        // above (at a limit of 65535, the two rows of the folded grid), partners size/4 apart.
        const size = 2 ** Math.ceil(Math.log2(justOver(64)));
        const params = { k: size / 2, j: size / 4 };
        return { program: vyre.bitonicStep, inputs: { data: u32s(size, 12) }, options: { params }, shape: `n=${size} k=${params.k} j=${params.j}` };
      },
      mandelbrot: () => {
        const width = 2047;
        const height = Math.ceil(justOver(64) / width);
        const view = { width, height, maxIterations: 6, x0: -2.2, y0: -1.5, step: 3 / height };
        return { program: vyre.mandelbrot, inputs: {}, options: vyre.mandelbrotOptions(view), shape: `${width}×${height}, maxIterations ${view.maxIterations}` };
      },
      convolve1d: () => {
        const n = justOver(64);
        return { program: vyre.convolve1d, inputs: { x: f32s(n, 13, 128), w: f32s(3, 14, 1) }, options: { params: { radius: 1 } }, shape: `n=${n}, 3 taps, radius 1` };
      },
      countByte: () => {
        const words = justOver(256);
        const next = random(15);
        const bytes = new Uint8Array(words * 4);
        for (let i = 0; i < bytes.length; i++) bytes[i] = (next() % 6) * 51;
        const target = 102;
        const count = bytes.reduce((a, b) => a + (b === target ? 1 : 0), 0);
        return {
          program: vyre.countByte,
          inputs: { data: new Uint32Array(bytes.buffer) },
          options: vyre.countByteOptions(words, target),
          shape: `${words} words, target ${target}`,
          checks: (gpu) => [{ what: `count is ${count}`, ok: gpu['count']?.[0] === count }],
        };
      },
    };

    const { program, inputs, options, shape, checks } = specs[kernel]();
    const { pipeline } = await runtime.compile(program);
    let start = performance.now();
    const gpu = await pipeline.dispatch(inputs, options);
    const gpuMs = performance.now() - start;
    start = performance.now();
    const cpu = vyre.runReference(program, inputs, options, planLimits);
    const cpuMs = performance.now() - start;

    const outputs = Object.entries(cpu).map(([name, expected]) => {
      const actual = gpu[name] as ArrayLike<number> | undefined;
      let differing = 0;
      const first: string[] = [];
      for (let i = 0; i < Math.max(actual?.length ?? 0, expected.length); i++) {
        if (!Object.is(actual?.[i], expected[i])) {
          differing++;
          if (first.length < 5) first.push(`[${i}] gpu=${actual?.[i]} cpu=${expected[i]}`);
        }
      }
      return { name, gpuLength: actual?.length ?? -1, cpuLength: expected.length, differing, first };
    });
    const [x, y, z] = program.workgroupSize;
    const invocations = options.invocations ?? Math.max(...Object.values(cpu).map((array) => array.length));
    const result = {
      limit,
      perWorkgroup: x * y * z,
      invocations,
      shape,
      outputs,
      checks: checks?.(gpu as Record<string, ArrayLike<number>>) ?? [],
      gpuMs,
      cpuMs,
    };
    await runtime.dispose();
    return { ...result, disposed: true };
  }, kernel);
}

/**
 * Every kernel (a Record, so a new KernelName cannot be left out), with its test's timeout
 * and whether every run sweeps it. The 256-wide kernels need 65535 × 256 + 1 ≈ 16.8M
 * invocations; those with barriers (sumReduce, sumReduceF32, matmul, scanBlocks) take 1–2.5
 * min each on 2 cores with SwiftShader (GPU 18–26 s, interpreter 29–57 s), histogram256 and
 * countByte 20–40 s, the others 3–9 s. The long ones, ≈7 of CI's minutes, run only in the
 * full run (`npm run test:full`, VYRE_FULL=1): every kernel is also folded in the tests above
 * (`foldAt`), and the quick ones here fold 1-D and 256-wide grids at the real limit.
 */
const AT_DEVICE_LIMIT: Readonly<Record<KernelName, { timeout: number; everyRun: boolean }>> = {
  saxpy: { timeout: 120_000, everyRun: true },
  squareU32: { timeout: 120_000, everyRun: true },
  reluF32: { timeout: 120_000, everyRun: true },
  sumReduce: { timeout: 300_000, everyRun: false },
  sumReduceF32: { timeout: 300_000, everyRun: false },
  histogram256: { timeout: 120_000, everyRun: false },
  matmul: { timeout: 300_000, everyRun: false },
  scanBlocks: { timeout: 300_000, everyRun: false },
  addBlockOffsets: { timeout: 120_000, everyRun: true },
  bitonicStep: { timeout: 120_000, everyRun: true },
  mandelbrot: { timeout: 120_000, everyRun: true },
  convolve1d: { timeout: 120_000, everyRun: true },
  countByte: { timeout: 120_000, everyRun: false },
};

/** Set by `npm run test:full`: the long sweeps run too. Left out otherwise, not skipped. */
const FULL_RUN = process.env.VYRE_FULL === '1';
const sweptAtDeviceLimit = Object.entries(AT_DEVICE_LIMIT).filter(([, { everyRun }]) => everyRun || FULL_RUN) as [KernelName, { timeout: number }][];

for (const [kernel, { timeout }] of sweptAtDeviceLimit) {
  test(`${kernel} matches the interpreter on a grid folded at the real device limit`, async ({ vyrePage }) => {
    test.setTimeout(timeout);
    const run = await atDeviceLimit(vyrePage, kernel);
    test.info().annotations.push({
      type: 'device limit',
      description: `${run.shape}: ${run.invocations} invocations > ${run.limit} × ${run.perWorkgroup}; GPU ${Math.round(run.gpuMs)} ms, interpreter ${Math.round(run.cpuMs)} ms`,
    });
    // The default grid really needed more workgroups than the device allows in one dimension.
    expect(run.invocations).toBeGreaterThan(run.limit * run.perWorkgroup);
    for (const { name, gpuLength, cpuLength, differing, first } of run.outputs) {
      expect(gpuLength, `${name} length`).toBe(cpuLength);
      if (kernel === 'mandelbrot') {
        // Tolerance (docs/kernels.md): at least MANDELBROT_MIN_IDENTICAL of the pixels identical.
        test.info().annotations.push({ type: 'mandelbrot', description: `${differing} of ${cpuLength} pixels differ between the GPU and the interpreter` });
        expect(cpuLength - differing, `${name}: differing pixels ${JSON.stringify(first)}`).toBeGreaterThanOrEqual(MANDELBROT_MIN_IDENTICAL * cpuLength);
      } else {
        expect(first, `${name} differs from the interpreter in ${differing} elements`).toEqual([]);
      }
    }
    for (const { what, ok } of run.checks) expect(ok, what).toBe(true);
    expect(run.disposed).toBe(true);
  });
}
