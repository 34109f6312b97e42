/**
 * The worker-owned runtime, end to end in headed Chrome: real WebGPU, a real module
 * Worker, Comlink across the boundary.
 */
import { expect, test } from './support/fixtures.ts';
import { SCALE_F32, SQUARES_U32, SUBTRACT_I32 } from './support/kernels.ts';

test('runs an element-wise kernel over 1,000,000 floats in the worker', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime();
    const n = 1_000_000;
    const x = new Float32Array(n);
    // Multiples of 1/64 in ±256: 2x + 1 is exact in f32, so GPU and CPU must agree bit for bit.
    for (let i = 0; i < n; i++) x[i] = (Math.floor(Math.random() * 32768) - 16384) / 64;
    const { pipeline } = await runtime.compile(wgsl({ code }));
    const { y } = await pipeline.dispatch({ x });
    let mismatches = 0;
    for (let i = 0; i < n; i++) if (y?.[i] !== 2 * (x[i] ?? 0) + 1) mismatches++;
    const out = { length: y?.length, type: y?.constructor.name, mismatches, xStillUsable: x.length === n };
    await runtime.dispose();
    return out;
  }, SCALE_F32);
  expect(result).toEqual({ length: 1_000_000, type: 'Float32Array', mismatches: 0, xStillUsable: true });
});

test('runs an i32 kernel with wrapping, negative results', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime();
    const a = Int32Array.from([5, -7, -2147483648, 2147483647, 0, 123456789]);
    const b = Int32Array.from([9, 3, 1, -1, 2147483647, -987654321]);
    const { pipeline } = await runtime.compile(wgsl({ code }));
    const { d } = await pipeline.dispatch({ a, b });
    await runtime.dispose();
    return { gpu: Array.from(d ?? []), type: d?.constructor.name, cpu: Array.from(a, (v, i) => (v - (b[i] ?? 0)) | 0) };
  }, SUBTRACT_I32);
  expect(result.type).toBe('Int32Array');
  // Independent expectation: two's-complement wrap-around at the i32 boundaries.
  expect(result.gpu).toEqual([-4, -10, 2147483647, -2147483648, -2147483647, 1111111110]);
  expect(result.gpu).toEqual(result.cpu);
});

test('covers every element when the length is not a multiple of the workgroup size', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime();
    const { pipeline } = await runtime.compile(wgsl({ code }));
    const checks = [];
    for (const n of [1, 95, 97, 1000, 4801]) {
      const { out } = await pipeline.dispatch({ seed: Uint32Array.of(7) }, { outputs: { out: n } });
      let wrong = 0;
      for (let i = 0; i < n; i++) if (out?.[i] !== ((Math.imul(i, i) + 7) >>> 0)) wrong++;
      checks.push({ n, length: out?.length, wrong });
    }
    await runtime.dispose();
    return { workgroupSize: pipeline.workgroupSize, checks };
  }, SQUARES_U32);
  expect(result.workgroupSize).toEqual([96, 1, 1]);
  for (const check of result.checks) expect(check).toEqual({ n: check.n, length: check.n, wrong: 0 });
});

test('the dispatch warm-up runs once, from 4 logical cores on, with a submit of its own that the runtime does not count, and the first dispatch stays exact', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    // Same-thread mode: the runtime reads this page's navigator, whose core count a test can set.
    let submits = 0;
    const submit = GPUQueue.prototype.submit;
    GPUQueue.prototype.submit = function (this: GPUQueue, ...args: Parameters<GPUQueue['submit']>) {
      // Only submits with work: in Firefox a pending map is nudged with empty ones (gpu/map-read.ts).
      if ([...args[0]].length > 0) submits++;
      return submit.apply(this, args);
    };
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    const runWith = async (cores: number) => {
      Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, value: cores });
      submits = 0;
      const runtime = await createRuntime({ worker: false, persistent: false });
      const { pipeline } = await runtime.compile(wgsl({ code }));
      const { y } = await pipeline.dispatch({ x: Float32Array.of(1, -2, 0.5, 4) });
      // The warm-up runs in the task after the first build was asked for; give it time to finish.
      const until = performance.now() + 3000;
      while (submits < (cores >= 4 ? 2 : 1) && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stats = await runtime.gpuStats();
      await runtime.dispose();
      return { y: Array.from(y ?? []), submits, counted: stats.submits, dispatches: stats.dispatches };
    };
    // Disposed while the warm-up may still run: it ends quietly with the device.
    const disposedEarly = async () => {
      Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, value: 8 });
      const runtime = await createRuntime({ worker: false, persistent: false });
      await runtime.compile(wgsl({ code }));
      await runtime.dispose();
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    try {
      const eight = await runWith(8);
      const two = await runWith(2);
      await disposedEarly();
      return { eight, two, warnings };
    } finally {
      GPUQueue.prototype.submit = submit;
      console.warn = warn;
    }
  }, SCALE_F32);
  // 2x + 1, exact in f32.
  expect(result.eight).toEqual({ y: [3, -3, 2, 9], submits: 2, counted: 1, dispatches: 1 });
  expect(result.two).toEqual({ y: [3, -3, 2, 9], submits: 1, counted: 1, dispatches: 1 });
  expect(result.warnings.filter((line) => line.includes('warm-up'))).toEqual([]);
});

test('serves the second compile of a program from the memory tier', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime();
    const first = await runtime.compile(wgsl({ code }));
    // Same kernel, different comments and spacing: the same normalized program.
    const second = await runtime.compile(wgsl({ code: `// a comment\n${code.replace(/\n/g, '\n\n')}` }));
    const { y } = await second.pipeline.dispatch({ x: Float32Array.of(1, 2) });
    await runtime.dispose();
    const pick = (b: typeof first) => ({ tier: b.tier, cacheHit: b.cacheHit, id: b.pipeline.id, digest: b.manifest.programDigest, gpuCompile: b.timings.gpuCompile });
    return { first: pick(first), second: pick(second), y: Array.from(y ?? []) };
  }, SCALE_F32);
  expect(result.first).toMatchObject({ tier: 'compiled', cacheHit: false });
  // A timed build; it may read 0 where the clock is coarse (Firefox rounds a worker's performance.now() to 1 ms).
  expect(result.first.gpuCompile).toBeGreaterThanOrEqual(0);
  // A memory-tier hit builds nothing, so it times no build at all.
  expect(result.second).toMatchObject({ tier: 'memory', cacheHit: true, gpuCompile: 0 });
  expect(result.second.id).toBe(result.first.id);
  expect(result.second.digest).toBe(result.first.digest);
  expect(result.y).toEqual([3, 5]);
});

test('rejects broken WGSL with shader-compilation and the compiler message', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime();
    const code = [
      '@group(0) @binding(0) var<storage, read_write> y: array<f32>;',
      '@compute @workgroup_size(64)',
      'fn main(@builtin(global_invocation_id) id: vec3u) {',
      '  y[id.x] = undefined_name * 2.0;',
      '}',
    ].join('\n');
    try {
      await runtime.compile(wgsl({ code }));
      return { threw: false };
    } catch (error) {
      const e = error as InstanceType<typeof window.vyre.VyreError>;
      return { threw: true, code: e.code, message: e.message, messages: e.details['messages'] };
    } finally {
      await runtime.dispose();
    }
  });
  expect(result).toMatchObject({ threw: true, code: 'shader-compilation' });
  expect(result.message).toContain('undefined_name');
  expect(result.message).toMatch(/Fix: /);
  const messages = result.messages as { type: string; line: number; column: number; text: string }[];
  const error = messages.find((m) => m.type === 'error');
  expect(error?.line).toBe(4);
  expect(error?.column).toBeGreaterThan(0);
  expect(error?.text).toContain('undefined_name');
});

test('rejects bad inputs with invalid-input and keeps serving other calls', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime();
    const { pipeline } = await runtime.compile(wgsl({ code }));
    const bad: Record<string, unknown>[] = [
      { x: new Float64Array(4) },
      { x: [1, 2, 3] },
      { x: new Float32Array(4), z: new Float32Array(4) },
      {},
      { y: new Float32Array(4) },
    ];
    const outcomes = [];
    for (const inputs of bad) {
      let code: string | undefined;
      let buffer: unknown;
      try {
        await pipeline.dispatch(inputs as never);
      } catch (error) {
        code = (error as { code?: string }).code;
        buffer = (error as { details?: Record<string, unknown> }).details?.['buffer'];
      }
      const { y } = await pipeline.dispatch({ x: Float32Array.of(10) });
      outcomes.push({ code, buffer, stillServing: y?.[0] === 21 });
    }
    await runtime.dispose();
    return outcomes;
  }, SCALE_F32);
  expect(result).toEqual([
    { code: 'invalid-input', buffer: 'x', stillServing: true },
    { code: 'invalid-input', buffer: 'x', stillServing: true },
    { code: 'invalid-input', buffer: 'z', stillServing: true },
    { code: 'invalid-input', buffer: 'x', stillServing: true },
    { code: 'invalid-input', buffer: 'x', stillServing: true },
  ]);
});

test('keeps the error class, code and details intact across the worker boundary', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl, VyreError, isVyreError } = window.vyre;
    const runtime = await createRuntime();
    const { pipeline } = await runtime.compile(wgsl({ code }));
    try {
      await pipeline.dispatch({ x: new Int32Array(3) } as never);
      return undefined;
    } catch (error) {
      return {
        isInstance: error instanceof VyreError,
        isVyre: isVyreError(error),
        name: (error as Error).name,
        code: (error as InstanceType<typeof VyreError>).code,
        details: (error as InstanceType<typeof VyreError>).details,
        message: (error as Error).message,
      };
    } finally {
      await runtime.dispose();
    }
  }, SCALE_F32);
  expect(result).toEqual({
    isInstance: true,
    isVyre: true,
    name: 'VyreError',
    code: 'invalid-input',
    details: { buffer: 'x', field: 'x', expected: 'array<f32>', received: 'an Int32Array of 3 elements, 12 bytes' },
    message: expect.stringMatching(/"x" is array<f32>.*got an Int32Array.* Fix: pass a Float32Array/),
  });
});

test('rejects pending and later calls with disposed after dispose()', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async (code) => {
    const { createRuntime, wgsl } = window.vyre;
    const runtime = await createRuntime();
    const { pipeline } = await runtime.compile(wgsl({ code }));
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: { code?: string }) => e.code);
    const inFlight = codeOf(pipeline.dispatch({ x: new Float32Array(1 << 20) }));
    await runtime.dispose();
    return {
      inFlight: await inFlight,
      dispatch: await codeOf(pipeline.dispatch({ x: Float32Array.of(1) })),
      compile: await codeOf(runtime.compile(wgsl({ code }))),
      disposeAgain: await codeOf(runtime.dispose()),
    };
  }, SCALE_F32);
  expect(result).toEqual({ inFlight: 'disposed', dispatch: 'disposed', compile: 'disposed', disposeAgain: 'resolved' });
});
