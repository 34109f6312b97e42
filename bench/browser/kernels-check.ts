/**
 * Plain-JS references for the kernels suite and the tolerance each contender's result
 * must meet. Element-wise kernels are checked against one f32 rounding per operation
 * (`Math.fround` each step), which is what WGSL gives without fused multiply-adds, and
 * report whether they are bit-exact; matmul is checked against an f64 product with the
 * standard forward-error bound of any f32 summation order, because tfjs, the raw kernel
 * and vyre-web's kernel all sum K products in different orders.
 */
import { CHAIN_OPS, type MatmulWorkload, type Workload } from './kernels-workloads.ts';

/** What the check of one result found. */
export interface CheckResult {
  /** Within the stated tolerance everywhere. */
  readonly ok: boolean;
  /** Bit-identical to the one-rounding-per-op reference (element-wise only; ±0 equal). */
  readonly exact: boolean;
  /** The worst element: its error as a fraction of its tolerance (≤ 1 passes). */
  readonly worstOfTolerance: number;
  readonly mismatches: number;
}

/** One workload's reference and tolerance, computed once. */
export interface Checker {
  /** The tolerance in words, for the report. */
  readonly tolerance: string;
  check(output: Float32Array): CheckResult;
}

const F32_UNIT = 2 ** -24;
// Below f32's smallest normal the relative bounds stop holding; allow that much absolutely.
const DENORMAL_FLOOR = 2 ** -126;

/** Exact reference and per-element bound → a checker. */
function elementChecker(reference: Float32Array | Float64Array, bound: Float64Array, tolerance: string): Checker {
  return {
    tolerance,
    check(output) {
      let worst = 0;
      let mismatches = 0;
      let exact = output.length === reference.length;
      for (let i = 0; i < reference.length; i++) {
        const want = reference[i] as number;
        const got = output[i] ?? Number.NaN;
        if (got === want) continue;
        exact = false;
        const ratio = Math.abs(got - want) / ((bound[i] as number) + DENORMAL_FLOOR);
        if (!(ratio <= 1)) mismatches++;
        worst = Number.isNaN(ratio) ? Number.POSITIVE_INFINITY : Math.max(worst, ratio);
      }
      return { ok: mismatches === 0 && output.length === reference.length, exact, worstOfTolerance: worst, mismatches };
    },
  };
}

/**
 * matmul: `|C − A·B| ≤ (K + 1) · 2⁻²⁴ · Σ_k |A[r][k] · B[k][c]|` against the product in f64:
 * the first-order bound of f32 summation in any order, with or without fma.
 */
function matmulChecker(w: MatmulWorkload): Checker {
  const { M, N, K, a, b } = w;
  const exact = new Float64Array(M * N);
  const magnitude = new Float64Array(M * N);
  for (let r = 0; r < M; r++) {
    for (let k = 0; k < K; k++) {
      const av = a[r * K + k] as number;
      for (let c = 0; c < N; c++) {
        const product = av * (b[k * N + c] as number);
        exact[r * N + c] = (exact[r * N + c] as number) + product;
        magnitude[r * N + c] = (magnitude[r * N + c] as number) + Math.abs(product);
      }
    }
  }
  const bound = magnitude.map((m) => (K + 1) * F32_UNIT * m);
  const checker = elementChecker(exact, bound, '|C − A·B| ≤ (K+1)·2⁻²⁴·Σ|a·b| per element (any f32 summation order)');
  // Against the f64 product nothing in f32 is exact: report the error only.
  return { tolerance: checker.tolerance, check: (output) => ({ ...checker.check(output), exact: false }) };
}

/** The chain on one value, one f32 rounding per op; also the largest magnitude it passed through. */
export function runChain(x: number): { value: number; largest: number } {
  let value = Math.fround(x);
  let largest = Math.abs(value);
  for (const { op, constant } of CHAIN_OPS) {
    value = Math.fround(op === 'mul' ? value * constant : op === 'add' ? value + constant : Math.max(value, constant));
    largest = Math.max(largest, Math.abs(value));
  }
  return { value, largest };
}

/** The reference and tolerance of `workload`. */
export function makeChecker(workload: Workload): Checker {
  switch (workload.kind) {
    case 'matmul':
      return matmulChecker(workload);
    case 'relu':
      // max is exact: no tolerance beyond ±0.
      return elementChecker(workload.x.map((v) => Math.max(v, 0)), new Float64Array(workload.x.length), 'exact (±0 equal)');
    case 'saxpy': {
      const { alpha, x, y } = workload;
      const reference = x.map((v, i) => Math.fround(Math.fround(alpha * v) + (y[i] as number)));
      const bound = Float64Array.from(x, (v, i) => 2 * F32_UNIT * (Math.abs(alpha * v) + Math.abs(y[i] as number)));
      return elementChecker(reference, bound, 'exact expected; ≤ 2·2⁻²⁴·(|αx|+|y|) allows an fma');
    }
    case 'chain': {
      const runs = Array.from(workload.x, runChain);
      const reference = Float32Array.from(runs, (run) => run.value);
      const bound = Float64Array.from(runs, (run) => CHAIN_OPS.length * 2 * F32_UNIT * run.largest);
      return elementChecker(reference, bound, 'exact expected; ≤ 100·2·2⁻²⁴·max|intermediate| allows fma contraction');
    }
    default:
      return unreachable(workload);
  }
}

function unreachable(value: never): never {
  throw new Error(`kernels bench: unknown workload ${JSON.stringify(value)}`);
}
