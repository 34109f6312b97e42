/**
 * What the benchmark compiles: every kernel of the library with a small first dispatch,
 * a "many kernels" suite of distinct pipelines to show how a cache scales with the
 * working set, and the benchmark's compile-heavy WGSL shaders (each well over 150 ms of
 * GPU compile on SwiftShader), where a cache saves the most. Inputs are small on
 * purpose: the page measures compiles, not throughput.
 */
import {
  addBlockOffsets,
  bitonicStep,
  convolve1d,
  countByte,
  countByteOptions,
  histogram256,
  histogram256Options,
  mandelbrot,
  mandelbrotOptions,
  mapKernel,
  matmul,
  matmulOptions,
  reluF32,
  saxpy,
  scanBlocks,
  scanBlocksOptions,
  squareU32,
  sumReduce,
  sumReduceF32,
  sumReduceOptions,
  type MapFunction,
} from '../src/kernels/index.ts';
import { wgsl, type DispatchInputs, type DispatchOptions, type Program } from '../src/index.ts';
import { heavyShaders, type HeavyShader } from '../bench/browser/heavy-shaders.ts';

/** One pipeline of a workload: compiled, then dispatched once for its first result. */
export interface WorkloadItem {
  readonly name: string;
  readonly program: Program;
  /** Fresh inputs per dispatch: typed arrays are transferred to the worker and detached. */
  readonly inputs: () => DispatchInputs;
  readonly options?: DispatchOptions;
}

export interface Workload {
  /** Stable id: the picker's value, kept across the reload of the after-reload run. */
  readonly id: string;
  readonly label: string;
  /** Read it before a clock starts: the heavy set is generated on first use. */
  readonly items: readonly WorkloadItem[];
}

const N = 512;
const ramp = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0);
const wave = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7) * 4);

/** The 13 kernels of the library, each with the dispatch options its docs ask for. */
export const KERNEL_ITEMS: readonly WorkloadItem[] = [
  { name: 'saxpy', program: saxpy, inputs: () => ({ x: wave(N), y: wave(N) }), options: { params: { alpha: 2 } } },
  { name: 'squareU32', program: squareU32, inputs: () => ({ x: ramp(N) }) },
  { name: 'reluF32', program: reluF32, inputs: () => ({ x: wave(N) }) },
  { name: 'sumReduce', program: sumReduce, inputs: () => ({ x: ramp(N) }), options: sumReduceOptions(N) },
  { name: 'sumReduceF32', program: sumReduceF32, inputs: () => ({ x: wave(N) }), options: sumReduceOptions(N) },
  { name: 'histogram256', program: histogram256, inputs: () => ({ x: ramp(N) }), options: histogram256Options(N) },
  {
    name: 'matmul',
    program: matmul,
    inputs: () => ({ a: wave(16 * 16), b: wave(16 * 16) }),
    options: matmulOptions(16, 16, 16),
  },
  { name: 'scanBlocks', program: scanBlocks, inputs: () => ({ x: ramp(N) }), options: scanBlocksOptions(N) },
  {
    name: 'addBlockOffsets',
    program: addBlockOffsets,
    inputs: () => ({ y: ramp(N), scannedBlockSums: Uint32Array.of(1, 2) }),
  },
  { name: 'bitonicStep', program: bitonicStep, inputs: () => ({ data: ramp(64) }), options: { params: { k: 2, j: 1 } } },
  {
    name: 'mandelbrot',
    program: mandelbrot,
    inputs: () => ({}),
    options: mandelbrotOptions({ width: 32, height: 32, maxIterations: 64, x0: -2, y0: -1.5, step: 3 / 32 }),
  },
  {
    name: 'convolve1d',
    program: convolve1d,
    inputs: () => ({ x: wave(N), w: Float32Array.of(0.25, 0.5, 0.25) }),
    options: { params: { radius: 1 } },
  },
  { name: 'countByte', program: countByte, inputs: () => ({ data: ramp(N) }), options: countByteOptions(N, 7) },
];

/** Element-wise shapes for the suite; each constant below makes it another program. */
const SHAPES: readonly { readonly tag: string; readonly f: (c: number) => MapFunction<'f32'> }[] = [
  { tag: 'scale', f: (c) => (_b, v) => v.mul(c) },
  { tag: 'affine', f: (c) => (_b, v) => v.mul(c).add(c / 2) },
  { tag: 'clamp', f: (c) => (_b, v) => v.max(-c).min(c) },
  { tag: 'sin', f: (c) => (_b, v) => v.mul(c).sin() },
  { tag: 'tanh', f: (c) => (_b, v) => v.add(c).tanh() },
  { tag: 'sqrt', f: (c) => (_b, v) => v.abs().add(c).sqrt() },
];
const CONSTANTS = [1.5, 2.5, 3.5, 4.5] as const;

/**
 * 24 distinct pipelines (6 shapes × 4 constants): each program differs in its code, so
 * each is its own cache entry, compiled from scratch when cold.
 */
export const MANY_KERNEL_ITEMS: readonly WorkloadItem[] = SHAPES.flatMap(({ tag, f }) =>
  CONSTANTS.map((c): WorkloadItem => ({
    name: `${tag}(${c})`,
    program: mapKernel(`many-${tag}-${String(c).replace('.', '_')}`, 'f32', f(c)),
    inputs: () => ({ x: wave(64) }),
  })),
);

/** A heavy shader as a workload item: its WGSL through `wgsl({ code })`, one dispatch on its own inputs. */
function heavyItem(shader: HeavyShader): WorkloadItem {
  // Copies: the shader keeps its inputs for every run, and a dispatch may detach what it is given.
  const inputs = (): DispatchInputs => Object.fromEntries(Object.entries(shader.inputs).map(([name, array]) => [name, array.slice()]));
  return { name: shader.name, program: wgsl({ code: shader.code }), inputs, options: { outputs: { [shader.output.name]: shader.output.length }, grid: shader.grid } };
}

let heavyItems: readonly WorkloadItem[] | undefined;

/**
 * The compile-heavy workload. Its items are generated on first read (tens of ms), not
 * when the page loads, so the page's own start-up stays the same for every workload.
 */
const HEAVY: Workload = {
  id: 'heavy',
  label: 'compile-heavy WGSL shaders',
  get items() {
    heavyItems ??= heavyShaders().map(heavyItem);
    return heavyItems;
  },
};

export const WORKLOADS: readonly Workload[] = [
  ...KERNEL_ITEMS.map((item): Workload => ({ id: item.name, label: `${item.name} (1 pipeline)`, items: [item] })),
  // Three quick element-wise kernels: the smallest multi-pipeline run (the test uses it).
  { id: 'few', label: 'a few kernels (3 pipelines)', items: KERNEL_ITEMS.filter((item) => ['saxpy', 'squareU32', 'reluF32'].includes(item.name)) },
  { id: 'all', label: `all kernels (${KERNEL_ITEMS.length} pipelines)`, items: KERNEL_ITEMS },
  { id: 'many', label: `many kernels (${MANY_KERNEL_ITEMS.length} pipelines)`, items: MANY_KERNEL_ITEMS },
  HEAVY,
];

/** The workload with `id`, else "all kernels" (e.g. for an id from an older session). */
export function workloadById(id: string | null | undefined): Workload {
  return WORKLOADS.find((w) => w.id === id) ?? WORKLOADS.find((w) => w.id === 'all') ?? (WORKLOADS[0] as Workload);
}
