/**
 * The kernels suite's workloads (issue #15): what each contender computes, on which
 * inputs, and the element-wise chain's definition. Inputs are seeded, so every run and
 * every contender sees the same numbers; the plain-JS references live in kernels-check.ts.
 */

/** One step of the element-wise chain: `v = v * c`, `v = v + c` or `v = max(v, c)`. */
export interface ChainOp {
  readonly op: 'mul' | 'add' | 'max';
  readonly constant: number;
}

/**
 * The 100-op chain: mul, add, max in turn, with constants that are exact in f32. The
 * multipliers alternate 1.0625 and 0.9375 (product 0.996 per pair), the adds are small
 * and the max floors sit near −0.5, so values stay within a few units of the input and
 * finite however long the chain. One rounding per op, so a plain-JS `Math.fround` per
 * step is the exact reference.
 */
export const CHAIN_OPS: readonly ChainOp[] = Array.from({ length: 100 }, (_, k): ChainOp => {
  const even = k % 2 === 0;
  switch (k % 3) {
    case 0: return { op: 'mul', constant: even ? 1.0625 : 0.9375 };
    case 1: return { op: 'add', constant: even ? 0.0625 : -0.046875 };
    default: return { op: 'max', constant: -0.5 - k / 256 };
  }
});

export type WorkloadId = 'matmul-256' | 'matmul-512' | 'relu-4mib' | 'saxpy-4mib' | 'chain-100';

interface WorkloadBase {
  readonly id: WorkloadId;
  /** What the table calls it. */
  readonly label: string;
}

/** `C[M×N] = A[M×K] · B[K×N]`, row-major f32. */
export interface MatmulWorkload extends WorkloadBase {
  readonly kind: 'matmul';
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly a: Float32Array<ArrayBuffer>;
  readonly b: Float32Array<ArrayBuffer>;
}

/** `y = max(x, 0)`. */
export interface ReluWorkload extends WorkloadBase {
  readonly kind: 'relu';
  readonly x: Float32Array<ArrayBuffer>;
}

/** `y = alpha · x + y`. */
export interface SaxpyWorkload extends WorkloadBase {
  readonly kind: 'saxpy';
  readonly alpha: number;
  readonly x: Float32Array<ArrayBuffer>;
  readonly y: Float32Array<ArrayBuffer>;
}

/** `y = CHAIN_OPS applied to x`, element by element. */
export interface ChainWorkload extends WorkloadBase {
  readonly kind: 'chain';
  readonly x: Float32Array<ArrayBuffer>;
}

export type Workload = MatmulWorkload | ReluWorkload | SaxpyWorkload | ChainWorkload;

/** 4 MiB of f32. */
export const ELEMENTWISE_LENGTH = 1_048_576;

/** Seeded uniform f32 values in [−range, range) (mulberry32: small and repeatable). */
export function seededF32(length: number, seed: number, range = 1): Float32Array<ArrayBuffer> {
  let state = seed >>> 0;
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * range;
  }
  return values;
}

function matmulWorkload(size: 256 | 512): MatmulWorkload {
  return {
    kind: 'matmul', id: `matmul-${size}`, label: `matmul ${size}×${size} · ${size}×${size} (f32)`,
    M: size, N: size, K: size, a: seededF32(size * size, size), b: seededF32(size * size, size + 1),
  };
}

const WORKLOAD_MAKERS: Readonly<Record<WorkloadId, () => Workload>> = {
  'matmul-256': () => matmulWorkload(256),
  'matmul-512': () => matmulWorkload(512),
  'relu-4mib': () => ({ kind: 'relu', id: 'relu-4mib', label: 'relu over 4 MiB (1,048,576 f32)', x: seededF32(ELEMENTWISE_LENGTH, 3) }),
  'saxpy-4mib': () => ({
    kind: 'saxpy', id: 'saxpy-4mib', label: 'saxpy over 4 MiB (y = 1.5·x + y)',
    alpha: 1.5, x: seededF32(ELEMENTWISE_LENGTH, 4), y: seededF32(ELEMENTWISE_LENGTH, 5),
  }),
  'chain-100': () => ({ kind: 'chain', id: 'chain-100', label: '100-op element-wise chain over 4 MiB (mul, add, max)', x: seededF32(ELEMENTWISE_LENGTH, 6, 2) }),
};

/** Every workload id, in table order. */
export const WORKLOAD_IDS = Object.keys(WORKLOAD_MAKERS) as WorkloadId[];

/** The workload named `id`, with its inputs generated now. */
export function makeWorkload(id: WorkloadId): Workload {
  return WORKLOAD_MAKERS[id]();
}

/** Elements of the result of `workload`. */
export function outputLength(workload: Workload): number {
  return workload.kind === 'matmul' ? workload.M * workload.N : workload.x.length;
}
