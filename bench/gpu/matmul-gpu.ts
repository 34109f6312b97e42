/**
 * matmul on a real GPU (issue #15, its H200 point): GFLOP/s of square f32 matmuls at 1024,
 * 2048 and 4096 for vyre-web's `matmul` (policy `exact`, and `{ floats: 'fast' }`) and for
 * the hand-written WGSL of the kernels suite (`shared` and `direct` layouts, vec4 loads) on
 * a plain Dawn device, beside cuBLAS SGEMM when bench/gpu/torch-matmul.py ran first and
 * left its JSON in the same folder. Each contender is checked before it is timed.
 *
 * Timing: inputs resident on the GPU, timestamp queries around each compute pass (one pass
 * per dispatch: only the kernel is timed), 2 warm-up rounds and 12 measured ones, the
 * contenders in a shuffled order per round (bench/turns.ts). Dawn quantizes timestamps by
 * default (toggle `timestamp_quantization`: multiples of 65,536 ns, seen), which would blur
 * a sub-millisecond kernel, so this script creates its own `GPU` with the toggle disabled
 * instead of using node-engine.ts; the wall time of 10 back-to-back dispatches in one submit is printed
 * beside it as a check on the timestamps.
 *
 * Correctness: at 256, exact must equal a plain rounded triple loop bit for bit, and every
 * contender must lie within `(K+1)·2⁻²⁴·Σ|a·b|` of the f64 product (the bound of any f32
 * summation order, fused or not); at the timed sizes, 1,000 random elements of each.
 *
 * Built into .gpu/matmul-gpu.mjs by scripts/build-gpu-bench.mjs. On the GPU machine:
 *   python3 bench/gpu/torch-matmul.py; bash .gpu/run.sh .gpu/matmul-gpu.mjs
 * Environment: MATMUL_SIZES (default 1024,2048,4096; the full check at 256 always runs),
 * MATMUL_ROUNDS (12), MATMUL_DAWN_FLAGS (`create()` flags separated by ';', default
 * disable-dawn-features=timestamp_quantization; '' for Dawn's defaults), OUT (output folder,
 * default bench-results). Under SwiftShader (no GPU) it runs with
 * VK_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json MATMUL_SIZES=64.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { create, globals } from 'webgpu';
import { createEngine, type Engine } from '../../src/gpu/engine.ts';
import { createLogger } from '../../src/logger.ts';
import { matmul, matmulOptions, matmulX4, matmulX4Options, type LaunchOptions } from '../../src/kernels/index.ts';
import { DEFAULT_MEMORY_BOUNDS, DEFAULT_PERSISTENT_BOUNDS } from '../../src/pipeline/limits.ts';
import type { FloatPolicy } from '../../src/protocol/program.ts';
import type { ResidentBufferRef } from '../../src/protocol/resident.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { prng } from '../../test/fuzz/random.ts';
import { matmulGrid, matmulWgsl, type MatmulLayout } from '../browser/kernels-raw-wgsl.ts';
import { summarize, type Summary } from '../summary.ts';
import { turnOrders } from '../turns.ts';

const SIZES = (process.env['MATMUL_SIZES'] ?? '1024,2048,4096').split(',').map(Number);
const ROUNDS = Number(process.env['MATMUL_ROUNDS'] ?? 12);
const WARMUP_ROUNDS = 2;
/** Dispatches per submit of the wall-time check. */
const WALL_BATCH = 10;
const WALL_REPEATS = 3;
const FULL_CHECK_SIZE = 256;
const SAMPLE_CHECKS = 1000;
const DAWN_FLAGS = (process.env['MATMUL_DAWN_FLAGS'] ?? 'disable-dawn-features=timestamp_quantization').split(';').filter((flag) => flag !== '');
const OUT = process.env['OUT'] ?? 'bench-results';

/** One way of computing C = A·B at one size, over inputs uploaded once. */
interface Rig {
  /** GPU milliseconds of each of `passes` dispatches, one timed compute pass each, in one submit. */
  time(passes: number): Promise<number[]>;
  /** Wall milliseconds of `passes` dispatches in one submit, until the GPU is done. */
  wall(passes: number): Promise<number>;
  /** One dispatch, C read back. */
  product(): Promise<Float32Array>;
  destroy(): void;
}

interface Contender {
  readonly name: string;
  /** Exact contenders are also held to the rounded triple loop, bit for bit. */
  readonly exact: boolean;
  rig(n: number, a: Float32Array<ArrayBuffer>, b: Float32Array<ArrayBuffer>): Promise<Rig>;
}

// --- vyre-web through the engine (same-thread, as the worker runs it) ---

async function createNodeEngine(gpu: GPU): Promise<Engine> {
  return createEngine(gpu, {
    browser: { name: 'node-dawn', version: process.version },
    store: createMemoryStore(DEFAULT_PERSISTENT_BOUNDS),
    memoryBounds: DEFAULT_MEMORY_BOUNDS,
    persistentBounds: DEFAULT_PERSISTENT_BOUNDS,
    logger: createLogger(),
    runtimeId: 'matmul-gpu',
  });
}

/** The library's two matmuls: register-blocked scalar (any shape) and tiled vec4 (N, K multiples of 4). */
const ENGINE_KERNELS = {
  matmul: { program: matmul, options: matmulOptions },
  matmulX4: { program: matmulX4, options: matmulX4Options },
} as const;

function engineContender(engine: Engine, floats: FloatPolicy, kernel: keyof typeof ENGINE_KERNELS): Contender {
  let pipelineId: Promise<string> | undefined;
  const { program, options } = ENGINE_KERNELS[kernel];
  return {
    name: `vyre-web ${kernel}, floats '${floats}'`,
    exact: floats === 'exact',
    async rig(n, a, b) {
      pipelineId ??= engine.compile(program, { floats }).then((report) => report.pipelineId);
      return engineRig(engine, await pipelineId, a, b, options(n, n, n));
    },
  };
}

function engineRig(engine: Engine, pipelineId: string, a: Float32Array<ArrayBuffer>, b: Float32Array<ArrayBuffer>, options: LaunchOptions): Rig {
  const inputs = { a: engine.createBuffer(a) as ResidentBufferRef, b: engine.createBuffer(b) as ResidentBufferRef };
  const marker = engine.createBuffer({ type: 'f32', length: 1 }) as ResidentBufferRef;
  // Kept outputs are fresh GPU buffers (no read-back inside the timed passes); freed after.
  const run = async (passes: number, timing: boolean) => {
    const reply = await engine.dispatch(pipelineId, Array.from({ length: passes }, () => inputs), { ...options, keep: ['c'], timing });
    for (const outputs of reply.outputs) engine.destroyBuffer(outputs['c'] as ResidentBufferRef);
    return reply;
  };
  return {
    async time(passes) {
      const gpuMs = (await run(passes, true)).timing?.gpuMs ?? [];
      if (gpuMs.some((ms) => ms === null)) throw new Error('the engine returned no GPU time: the device lacks timestamp-query');
      return gpuMs as number[];
    },
    async wall(passes) {
      const started = performance.now();
      await run(passes, false);
      await engine.readBuffer(marker);
      return performance.now() - started;
    },
    async product() {
      const reply = await engine.dispatch(pipelineId, [inputs], options);
      return reply.outputs[0]?.['c'] as Float32Array;
    },
    destroy() {
      for (const ref of [inputs.a, inputs.b, marker]) engine.destroyBuffer(ref);
    },
  };
}

// --- hand-written WGSL on a plain Dawn device ---

function rawContender(device: GPUDevice, layout: MatmulLayout): Contender {
  let pipeline: Promise<GPUComputePipeline> | undefined;
  return {
    name: `raw WGSL '${layout}', vec4 loads`,
    exact: false,
    async rig(n, a, b) {
      pipeline ??= device.createComputePipelineAsync({
        label: `raw matmul ${layout}`,
        layout: 'auto',
        compute: { module: device.createShaderModule({ label: `raw matmul ${layout}`, code: matmulWgsl(layout, true) }), entryPoint: 'main' },
      });
      return rawRig(device, await pipeline, layout, n, a, b);
    },
  };
}

function rawRig(device: GPUDevice, pipeline: GPUComputePipeline, layout: MatmulLayout, n: number, a: Float32Array<ArrayBuffer>, b: Float32Array<ArrayBuffer>): Rig {
  const bytes = n * n * 4;
  const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const label = `raw matmul ${layout} ${n}`;
  const [bufferA, bufferB, bufferC] = ['a', 'b', 'c'].map((name) => device.createBuffer({ label: `${label} ${name}`, size: bytes, usage: storage })) as [GPUBuffer, GPUBuffer, GPUBuffer];
  const dims = device.createBuffer({ label: `${label} dims`, size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(bufferA, 0, a);
  device.queue.writeBuffer(bufferB, 0, b);
  device.queue.writeBuffer(dims, 0, new Uint32Array([n, n, n, 0]));
  const group = device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: [bufferA, bufferB, bufferC, dims].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const [x, y] = matmulGrid(layout, n, n);
  const encode = (passes: number, querySet?: GPUQuerySet): GPUCommandEncoder => {
    const encoder = device.createCommandEncoder({ label });
    for (let p = 0; p < passes; p++) {
      const timestampWrites = querySet ? { querySet, beginningOfPassWriteIndex: 2 * p, endOfPassWriteIndex: 2 * p + 1 } : undefined;
      const pass = encoder.beginComputePass(timestampWrites ? { label, timestampWrites } : { label });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(x, y);
      pass.end();
    }
    return encoder;
  };
  const readBack = async (encoder: GPUCommandEncoder, source: GPUBuffer, size: number): Promise<ArrayBuffer> => {
    const staging = device.createBuffer({ label: `${label} staging`, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    encoder.copyBufferToBuffer(source, 0, staging, 0, size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange().slice(0);
    staging.destroy();
    return copy;
  };
  return {
    async time(passes) {
      const querySet = device.createQuerySet({ label: `${label} timestamps`, type: 'timestamp', count: 2 * passes });
      const resolved = device.createBuffer({ label: `${label} resolved`, size: 16 * passes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
      const encoder = encode(passes, querySet);
      encoder.resolveQuerySet(querySet, 0, 2 * passes, resolved, 0);
      const ticks = new BigInt64Array(await readBack(encoder, resolved, 16 * passes));
      querySet.destroy();
      resolved.destroy();
      return Array.from({ length: passes }, (_, p) => Number((ticks[2 * p + 1] ?? 0n) - (ticks[2 * p] ?? 0n)) / 1e6);
    },
    async wall(passes) {
      const started = performance.now();
      await readBack(encode(passes), bufferC, 4);
      return performance.now() - started;
    },
    async product() {
      return new Float32Array(await readBack(encode(1), bufferC, bytes));
    },
    destroy() {
      for (const buffer of [bufferA, bufferB, bufferC, dims]) buffer.destroy();
    },
  };
}

// --- the CPU side of the checks ---

interface CheckRow {
  readonly contender: string;
  readonly n: number;
  readonly checked: number;
  /** Elements equal, bit for bit, to the rounded triple loop (`acc = fround(acc + fround(a·b))`, k increasing). */
  readonly bitIdentical: number;
  /** Largest |C − A·B| / ((K+1)·2⁻²⁴·Σ|a·b|) over the checked elements: ≤ 1 passes. */
  readonly worstRatio: number;
  readonly verdict: 'bit-exact' | 'within-bound' | 'WRONG';
}

/** Element (row, col) of A·B three ways: the rounded f32 loop, the f64 sum, and Σ|a·b|. */
function referenceElement(a: Float32Array, b: Float32Array, n: number, row: number, col: number): { rounded: number; exact: number; magnitude: number } {
  let rounded = 0;
  let exact = 0;
  let magnitude = 0;
  for (let k = 0; k < n; k++) {
    const product = (a[row * n + k] ?? 0) * (b[k * n + col] ?? 0);
    rounded = Math.fround(rounded + Math.fround(product));
    exact += product;
    magnitude += Math.abs(product);
  }
  return { rounded, exact, magnitude };
}

/**
 * Checks C against the CPU at every element, or at `samples` seeded random ones. An exact
 * contender must also equal the rounded loop bit for bit.
 */
function checkProduct(contender: string, a: Float32Array, b: Float32Array, c: Float32Array, n: number, exact: boolean, samples: number | undefined, seed: number): CheckRow {
  const next = prng(seed);
  const count = samples ?? n * n;
  let bitIdentical = 0;
  let worstRatio = 0;
  for (let s = 0; s < count; s++) {
    const index = samples === undefined ? s : Math.floor(next() * n * n);
    const { rounded, exact: sum, magnitude } = referenceElement(a, b, n, Math.floor(index / n), index % n);
    const value = c[index] ?? Number.NaN;
    if (Object.is(value, rounded)) bitIdentical++;
    const error = Math.abs(value - sum);
    const bound = (n + 1) * 2 ** -24 * magnitude;
    worstRatio = Math.max(worstRatio, error === 0 ? 0 : bound === 0 || Number.isNaN(error) ? Number.POSITIVE_INFINITY : error / bound);
  }
  const pass = worstRatio <= 1 && (!exact || bitIdentical === count);
  return { contender, n, checked: count, bitIdentical, worstRatio, verdict: pass ? (exact ? 'bit-exact' : 'within-bound') : 'WRONG' };
}

// --- the run ---

/** Seeded inputs in [-1, 1). */
function randomMatrix(n: number, seed: number): Float32Array<ArrayBuffer> {
  const next = prng(seed);
  return Float32Array.from({ length: n * n }, () => next() * 2 - 1);
}

const gflops = (n: number, ms: number): number => (2 * n ** 3) / (ms * 1e6);

interface TimedRow {
  readonly contender: string;
  readonly n: number;
  readonly gpuMs: Summary;
  readonly wallMsPerDispatch: Summary;
  readonly samples: readonly number[];
}

/** Rigs for every contender at `n`, each checked against the CPU before it is timed. */
async function checkedRigs(contenders: readonly Contender[], n: number, checks: CheckRow[]): Promise<Rig[]> {
  const a = randomMatrix(n, 1000 + n);
  const b = randomMatrix(n, 2000 + n);
  const rigs: Rig[] = [];
  for (const contender of contenders) {
    const rig = await contender.rig(n, a, b);
    rigs.push(rig);
    const samples = n <= FULL_CHECK_SIZE ? undefined : SAMPLE_CHECKS;
    checks.push(checkProduct(contender.name, a, b, await rig.product(), n, contender.exact, samples, 3000 + n));
  }
  return rigs;
}

async function timeRigs(contenders: readonly Contender[], rigs: readonly Rig[], n: number): Promise<TimedRow[]> {
  const samples = contenders.map((): number[] => []);
  const order = turnOrders(contenders.length);
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (const index of order(round)) {
      const [ms] = await (rigs[index] as Rig).time(1);
      if (round >= WARMUP_ROUNDS && ms !== undefined) samples[index]?.push(ms);
    }
  }
  const rows: TimedRow[] = [];
  for (const [index, contender] of contenders.entries()) {
    const walls: number[] = [];
    for (let repeat = 0; repeat < WALL_REPEATS; repeat++) walls.push((await (rigs[index] as Rig).wall(WALL_BATCH)) / WALL_BATCH);
    const gpuSamples = samples[index] ?? [];
    rows.push({ contender: contender.name, n, gpuMs: summarize(gpuSamples), wallMsPerDispatch: summarize(walls), samples: gpuSamples });
  }
  return rows;
}

/** cuBLAS SGEMM GFLOP/s by size from torch-matmul.py's JSON in the same folder, if it ran. */
function cublasGflops(): Map<number, number> {
  const path = `${OUT}/torch-matmul.json`;
  if (!existsSync(path)) return new Map();
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { matmul?: { n: number; gflops_median: number }[] };
  return new Map((parsed.matmul ?? []).map((row) => [row.n, row.gflops_median]));
}

function report(adapter: string, checks: readonly CheckRow[], rows: readonly TimedRow[]): void {
  console.log(`\nadapter: ${adapter}; Dawn flags: ${DAWN_FLAGS.join(' ') || '(none)'}`);
  console.log('\n| contender | n | checked elements | bit-identical to rounded loop | worst error / bound | verdict |\n|---|---:|---:|---:|---:|---|');
  for (const c of checks) console.log(`| ${c.contender} | ${c.n} | ${c.checked} | ${c.bitIdentical} | ${c.worstRatio.toFixed(3)} | ${c.verdict} |`);
  const cublas = cublasGflops();
  console.log(`\n| contender | n | GPU time median (p95) | GFLOP/s median (at p95) | wall per dispatch, ${WALL_BATCH} in a submit | GFLOP/s wall | % of cuBLAS |\n|---|---:|---:|---:|---:|---:|---:|`);
  for (const r of rows) {
    const reference = cublas.get(r.n);
    const share = reference === undefined ? '—' : `${((gflops(r.n, r.gpuMs.median) / reference) * 100).toFixed(1)} %`;
    console.log(`| ${r.contender} | ${r.n} | ${r.gpuMs.median.toFixed(3)} (${r.gpuMs.p95.toFixed(3)}) ms | ${gflops(r.n, r.gpuMs.median).toFixed(0)} (${gflops(r.n, r.gpuMs.p95).toFixed(0)}) | ${r.wallMsPerDispatch.median.toFixed(3)} ms | ${gflops(r.n, r.wallMsPerDispatch.median).toFixed(0)} | ${share} |`);
  }
  for (const [n, value] of cublas) console.log(`cuBLAS SGEMM (torch, TF32 off) at ${n}: ${value.toFixed(0)} GFLOP/s`);
  if (cublas.size === 0) console.log(`(no ${OUT}/torch-matmul.json: run bench/gpu/torch-matmul.py first for the cuBLAS column)`);
}

async function main(): Promise<void> {
  Object.assign(globalThis, globals);
  const gpu = create(DAWN_FLAGS) as unknown as GPU;
  const engine = await createNodeEngine(gpu);
  const adapter = await gpu.requestAdapter();
  if (adapter === null || !adapter.features.has('timestamp-query')) throw new Error('no adapter with timestamp-query');
  const device = await adapter.requestDevice({
    label: 'matmul-gpu raw device',
    requiredFeatures: ['timestamp-query'],
    requiredLimits: { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize },
  });
  device.pushErrorScope('validation');
  const contenders = [
    engineContender(engine, 'exact', 'matmul'),
    engineContender(engine, 'fast', 'matmul'),
    engineContender(engine, 'exact', 'matmulX4'),
    engineContender(engine, 'fast', 'matmulX4'),
    rawContender(device, 'shared'),
    rawContender(device, 'direct'),
  ];
  const checks: CheckRow[] = [];
  const rows: TimedRow[] = [];
  for (const n of [FULL_CHECK_SIZE, ...SIZES.filter((size) => size !== FULL_CHECK_SIZE)]) {
    const rigs = await checkedRigs(contenders, n, checks);
    if (SIZES.includes(n)) rows.push(...(await timeRigs(contenders, rigs, n)));
    for (const rig of rigs) rig.destroy();
    console.log(`done: n = ${n}`);
  }
  const rawError = await device.popErrorScope();
  if (rawError !== null) throw new Error(`the raw Dawn device reported: ${rawError.message}`);
  const adapterName = engine.fingerprint.readable;
  engine.dispose();
  device.destroy();
  report(adapterName, checks, rows);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}/matmul-gpu.json`, JSON.stringify({ adapter: adapterName, dawnFlags: DAWN_FLAGS, rounds: ROUNDS, checks, rows }, null, 2));
  console.log(`wrote ${OUT}/matmul-gpu.json`);
  if (checks.some((c) => c.verdict === 'WRONG')) process.exitCode = 1;
}

await main();
