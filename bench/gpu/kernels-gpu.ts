/**
 * The kernel library on a real GPU against the CPU reference interpreter: every kernel on
 * seeded random inputs spanning many workgroups (ragged sizes, one grid folded into y),
 * through vyre-web's runtime in same-thread mode on Dawn under Node. Integers must agree
 * bit for bit; for floats it reports how many elements are bit-identical and the largest
 * difference in units in the last place, since a driver may contract a·b + c into a fused
 * multiply-add, which WGSL allows. Chrome's SwiftShader is bit-exact (test/browser/kernels.spec.ts).
 * Built into .gpu/kernels-gpu.mjs; run: bash .gpu/run.sh .gpu/kernels-gpu.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vyre from '../../test/support/vyre-all.ts';
import { installNodeNavigator } from './node-engine.ts';
import type { DispatchOptions, IrProgram } from '../../test/support/vyre-all.ts';
import {
  MANDELBROT_MIN_IDENTICAL,
  bitonicSchedule,
  countByteOptions,
  histogram256Options,
  mandelbrotOptions,
  matmulOptions,
  matmulX4DirectOptions,
  matmulX4Options,
  scanBlocksOptions,
  sumReduceOptions,
  sumWideOptions,
} from '../../src/kernels/index.ts';
import { prng } from '../../test/fuzz/random.ts';

installNodeNavigator();

type Typed = Float32Array | Uint32Array | Int32Array;
const u32 = (n: number, seed: number): Uint32Array => {
  const next = prng(seed);
  return Uint32Array.from({ length: n }, () => Math.floor(next() * 4294967296));
};
const f32 = (n: number, seed: number, range = 100): Float32Array => {
  const next = prng(seed);
  return Float32Array.from({ length: n }, () => (next() * 2 - 1) * range);
};

/** Distance in units in the last place between two f32 values (0 when identical). */
function ulps(a: number, b: number): number {
  if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  const view = new DataView(new ArrayBuffer(8));
  const ordered = (x: number): number => {
    view.setFloat32(0, x);
    const bits = view.getInt32(0);
    return bits < 0 ? -2147483648 - bits : bits;
  };
  return Math.abs(ordered(a) - ordered(b));
}

interface Row {
  kernel: string;
  case: string;
  output: string;
  elements: number;
  identical: number;
  maxUlps: number;
  /** Largest |GPU − interpreter|, and the largest |interpreter value| for scale. */
  maxAbsDiff: number;
  scale: number;
  verdict: 'exact' | 'float-differs' | 'WRONG';
}
const rows: Row[] = [];

function compare(kernel: string, label: string, gpu: Record<string, unknown>, cpu: Record<string, unknown>, tolerantFloats = true): void {
  for (const [name, expected] of Object.entries(cpu) as [string, Typed][]) {
    const actual = gpu[name] as Typed | undefined;
    let identical = 0;
    let maxUlps = 0;
    let maxAbsDiff = 0;
    let scale = 0;
    const length = expected.length;
    for (let i = 0; i < length; i++) {
      const a = actual?.[i] ?? Number.NaN;
      const b = expected[i] ?? Number.NaN;
      if (Number.isFinite(b)) scale = Math.max(scale, Math.abs(b));
      if (!Object.is(a, b)) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a - b));
      if (Object.is(a, b)) identical++;
      else if (expected instanceof Float32Array) maxUlps = Math.max(maxUlps, ulps(a, b));
      else maxUlps = Number.POSITIVE_INFINITY;
    }
    const sameLength = actual?.length === length;
    const verdict = sameLength && identical === length ? 'exact' : sameLength && expected instanceof Float32Array && tolerantFloats ? 'float-differs' : 'WRONG';
    rows.push({ kernel, case: label, output: name, elements: length, identical, maxUlps, maxAbsDiff, scale, verdict });
  }
}

const runtime = await vyre.createRuntime({ persistent: false, worker: false });
async function check(kernel: string, program: IrProgram, label: string, inputs: Record<string, Typed>, options: DispatchOptions): Promise<Record<string, Typed>> {
  const { pipeline } = await runtime.compile(program);
  const gpu = (await pipeline.dispatch(inputs, options)) as Record<string, Typed>;
  compare(kernel, label, gpu, vyre.runReference(program, inputs, options) as Record<string, Typed>);
  return gpu;
}

const ragged = (wg: number): number => 301 * wg + 37;
const folded = { foldAt: 64 };
for (const [label, n, extra] of [['ragged', ragged(64), {}], ['1M, folded at 64', 1 << 20, folded]] as const) {
  const x = f32(n, 1);
  const y = f32(n, 2);
  const alpha = -2.3125;
  const saxpyGpu = await check('saxpy', vyre.saxpy, label, { x, y }, { params: { alpha }, ...extra });
  // The same against a fused reference: α·x exact in double, one rounding of the sum to f32.
  const fused = Float32Array.from(x, (v, i) => alpha * v + (y[i] ?? 0));
  compare('saxpy', `${label}, against fma(α, x, y)`, saxpyGpu, { y: fused });
  await check('squareU32', vyre.squareU32, label, { x: u32(n, 3) }, { ...extra });
  await check('reluF32', vyre.reluF32, label, { x: f32(n, 4) }, { ...extra });
  // The vec4 forms on 4·⌈n/4⌉ elements: x4 inputs must hold whole vectors.
  const n4 = 4 * Math.ceil(n / 4);
  await check('reluF32x4', vyre.reluF32x4, label, { x: f32(n4, 4) }, { ...extra });
  await check('reluF32Loads4', vyre.reluF32Loads4, label, { x: f32(n, 4) }, { ...vyre.loads4Options(n), ...extra });
  await check('saxpyX4', vyre.saxpyX4, label, { x: f32(n4, 1), y: f32(n4, 2) }, { params: { alpha }, ...extra });
  await check('convolve1d', vyre.convolve1d, label, { x: f32(n, 5), w: f32(7, 6, 1) }, { params: { radius: 3 }, ...extra });
}
for (const [label, n, extra] of [['ragged', ragged(256), {}], ['1M, folded at 64', 1 << 20, folded]] as const) {
  await check('sumReduce', vyre.sumReduce, label, { x: u32(n, 7) }, { ...sumReduceOptions(n), ...extra });
  await check('sumReduceF32', vyre.sumReduceF32, label, { x: f32(n, 8) }, { ...sumReduceOptions(n), ...extra });
  const wide = await check('sumReduceWide', vyre.sumReduceWide, label, { x: u32(n, 7) }, { ...sumWideOptions(n), ...extra });
  if (runtime.device.features.includes('subgroups')) {
    // WGSL, so no interpreter: its partials must be sumReduceWide's (wrapping u32 sums of the same blocks).
    const { pipeline } = await runtime.compile(vyre.sumReduceSubgroups);
    compare('sumReduceSubgroups', `${label} (against sumReduceWide)`, (await pipeline.dispatch({ x: u32(n, 7) }, sumWideOptions(n))) as Record<string, Typed>, wide);
  }
  await check('histogram256', vyre.histogram256, label, { x: u32(n, 9) }, { ...histogram256Options(n), ...extra });
  await check('scanBlocks', vyre.scanBlocks, label, { x: u32(n, 10) }, { ...scanBlocksOptions(n), ...extra });
  const blocks = Math.ceil(n / 256);
  await check('addBlockOffsets', vyre.addBlockOffsets, label, { y: u32(n, 11), scannedBlockSums: u32(blocks, 12) }, { ...extra });
  const next = prng(13);
  const data = new Uint32Array(Uint8Array.from({ length: n * 4 }, () => Math.floor(next() * 6) * 51).buffer);
  await check('countByte', vyre.countByte, label, { data }, { ...countByteOptions(n, 102), ...extra });
}
for (const [label, M, N, K] of [['37×19·19×21', 37, 21, 19], ['256×256·256×256', 256, 256, 256], ['150×70·40×70', 150, 70, 40]] as const) {
  await check('matmul', vyre.matmul, label, { a: f32(M * K, 14, 4), b: f32(K * N, 15, 4) }, matmulOptions(M, N, K));
}
for (const [label, M, N, K] of [['37×20·20×24', 37, 24, 20], ['256×256·256×256', 256, 256, 256], ['150×68·44×68', 150, 68, 44]] as const) {
  await check('matmulX4', vyre.matmulX4, label, { a: f32(M * K, 14, 4), b: f32(K * N, 15, 4) }, matmulX4Options(M, N, K));
  await check('matmulX4Direct', vyre.matmulX4Direct, label, { a: f32(M * K, 14, 4), b: f32(K * N, 15, 4) }, matmulX4DirectOptions(M, N, K));
}
{
  // The whole bitonic schedule on 2^16 keys, GPU and interpreter step by step.
  const size = 1 << 16;
  let gpu = u32(size, 16);
  let cpu = gpu.slice();
  const { pipeline } = await runtime.compile(vyre.bitonicStep);
  for (const { k, j } of bitonicSchedule(size)) {
    const options = { params: { k, j } };
    cpu = vyre.runReference(vyre.bitonicStep, { data: cpu }, options)['data'] as Uint32Array<ArrayBuffer>;
    gpu = (await pipeline.dispatch({ data: gpu }, options))['data'] as Uint32Array<ArrayBuffer>;
  }
  compare('bitonicStep', `2^16 keys, all ${bitonicSchedule(size).length} steps`, { data: gpu }, { data: cpu });
  const sorted = gpu.every((v, i) => i === 0 || (gpu[i - 1] ?? 0) <= v);
  rows.push({ kernel: 'bitonicStep', case: 'sorted', output: 'data', elements: size, identical: sorted ? size : 0, maxUlps: 0, maxAbsDiff: 0, scale: 0, verdict: sorted ? 'exact' : 'WRONG' });
}
{
  const view = { width: 1024, height: 768, maxIterations: 200, x0: -2.1, y0: -1.2, step: 2.4 / 768 };
  const { pipeline } = await runtime.compile(vyre.mandelbrot);
  const options = mandelbrotOptions(view);
  const gpu = (await pipeline.dispatch({}, options))['iterations'] as Uint32Array;
  const cpu = vyre.runReference(vyre.mandelbrot, {}, options)['iterations'] as Uint32Array;
  const identical = gpu.reduce((count, v, i) => count + (v === cpu[i] ? 1 : 0), 0);
  rows.push({ kernel: 'mandelbrot', case: '1024×768, 200 iterations', output: 'iterations', elements: cpu.length, identical, maxUlps: 0, maxAbsDiff: gpu.reduce((m, v, i) => Math.max(m, Math.abs(v - (cpu[i] ?? 0))), 0), scale: view.maxIterations, verdict: identical >= MANDELBROT_MIN_IDENTICAL * cpu.length ? (identical === cpu.length ? 'exact' : 'float-differs') : 'WRONG' });
}
await runtime.dispose();

console.log(`adapter: ${runtime.device.adapterInfo.vendor} ${runtime.device.adapterInfo.architecture} ${runtime.device.adapterInfo.description}`);
console.log('| kernel | case | output | elements | bit-identical | max ULPs | max abs. difference (of values up to) | verdict |\n|---|---|---|---:|---:|---:|---:|---|');
for (const row of rows) console.log(`| ${row.kernel} | ${row.case} | ${row.output} | ${row.elements} | ${row.identical} | ${row.maxUlps} | ${row.maxAbsDiff.toPrecision(3)} (${row.scale.toPrecision(3)}) | ${row.verdict} |`);
// The fma(α, x, y) rows tell whether the driver fused; they are not checks of vyre-web.
const checked = rows.filter((row) => !row.case.includes('against fma'));
const fused = rows.filter((row) => row.case.includes('against fma') && row.identical === row.elements);
console.log(`${checked.length} outputs against the interpreter: ${checked.filter((r) => r.verdict === 'exact').length} bit-exact, ${checked.filter((r) => r.verdict === 'float-differs').length} float outputs not bit-exact, ${checked.filter((r) => r.verdict === 'WRONG').length} wrong; saxpy ${fused.length > 0 ? 'equals' : 'does not equal'} fma(α, x, y) (the fma rows are information, not checks)`);
const out = process.env['OUT'] ?? 'bench-results';
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/kernels-gpu.json`, JSON.stringify({ adapter: runtime.device.adapterInfo, rows }, null, 2));
