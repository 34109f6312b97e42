/**
 * The kernel library on the CPU reference interpreter: every kernel against an
 * independent plain-JS computation of what it promises, on seeded random inputs of
 * length 1, a length that is not a multiple of the workgroup size, and one whose grid is
 * folded into y and z (`foldAt: 4`). Integers bit for bit; floats as each kernel states.
 */
import { describe, expect, it } from 'vitest';
import {
  HISTOGRAM_BINS,
  MANDELBROT_MIN_IDENTICAL,
  SCAN_BLOCK,
  SUM_REDUCE_BLOCK,
  addBlockOffsets,
  bitonicSchedule,
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
  matmulX4,
  matmulX4Options,
  reluF32,
  saxpy,
  scanBlocks,
  scanBlocksOptions,
  squareU32,
  sumReduce,
  sumReduceF32,
  sumReduceOptions,
  type MandelbrotView,
} from '../../src/kernels/index.ts';
import { VyreError } from '../../src/errors.ts';
import type { DispatchOptions } from '../../src/protocol/dispatch.ts';
import { runReference } from '../../src/dispatch/run-reference.ts';
import type { IrProgram } from '../../src/protocol/ir.ts';
import type { ElementArray } from '../../src/protocol/elements.ts';
import { prng } from '../fuzz/random.ts';

const { fround } = Math;

// ---- seeded inputs -------------------------------------------------------------------


function randomU32(n: number, seed: number): Uint32Array {
  const next = prng(seed);
  return Uint32Array.from({ length: n }, () => Math.floor(next() * 4294967296));
}

/** f32 values uniform in [-range, range) (never -0, never subnormal in practice). */
function randomF32(n: number, seed: number, range = 100): Float32Array {
  const next = prng(seed);
  return Float32Array.from({ length: n }, () => (next() * 2 - 1) * range);
}

// ---- running -------------------------------------------------------------------------

/** Runs on the interpreter; with `foldAt`, first checks that the grid really folds. */
function run(program: IrProgram, inputs: Record<string, ElementArray>, options: DispatchOptions = {}): Record<string, ElementArray> {
  if (options.foldAt !== undefined) {
    const perWorkgroup = program.workgroupSize[0] * program.workgroupSize[1] * program.workgroupSize[2];
    const invocations = options.invocations ?? Math.max(...Object.values(inputs).map((a) => a.length));
    expect(Math.ceil(invocations / perWorkgroup), 'the grid is large enough to fold').toBeGreaterThan(options.foldAt);
  }
  return runReference(program, inputs, options);
}

function output(outputs: Record<string, ElementArray>, name: string): number[] {
  const array = outputs[name];
  if (array === undefined) throw new Error(`no output ${name}`);
  return Array.from(array);
}

/** The three sizes every kernel runs at: 1, a ragged length, and a folded grid. */
interface SizeCase {
  readonly label: string;
  readonly n: number;
  readonly foldAt?: number;
}

function sizes(workgroup: number): SizeCase[] {
  // foldAt 4 allows 4³ = 64 workgroups; 20 workgroups fold into [4, 3, 2] (with overshoot).
  return [
    { label: 'one element', n: 1 },
    { label: `a length that is not a multiple of ${workgroup}`, n: 3 * workgroup + 37 },
    { label: 'a grid folded into y and z (foldAt 4)', n: 19 * workgroup + 5, foldAt: 4 },
  ];
}

function withFold(options: DispatchOptions, foldAt: number | undefined): DispatchOptions {
  return foldAt === undefined ? options : { ...options, foldAt };
}

// ---- kernels -------------------------------------------------------------------------

describe('saxpy', () => {
  it.each(sizes(64))('computes alpha·x + y, rounded as two f32 operations, for $label', ({ n, foldAt }) => {
    const x = randomF32(n, 1);
    const y = randomF32(n, 2);
    const alpha = fround(1.7353);
    const out = run(saxpy, { x, y }, withFold({ params: { alpha } }, foldAt));
    // Tolerance: exact (0 ULP).
    expect(output(out, 'y')).toEqual(Array.from(x, (v, i) => fround(fround(alpha * v) + (y[i] ?? 0))));
  });

  it('starts from zero when y is not supplied', () => {
    const x = Float32Array.of(1, 2, 3);
    expect(output(run(saxpy, { x }, { params: { alpha: 2 } }), 'y')).toEqual([2, 4, 6]);
  });
});

describe('mapKernel', () => {
  it.each(sizes(64))('squareU32 squares modulo 2³² for $label', ({ n, foldAt }) => {
    const x = randomU32(n, 3);
    const out = run(squareU32, { x }, withFold({}, foldAt));
    expect(output(out, 'y')).toEqual(Array.from(x, (v) => Math.imul(v, v) >>> 0));
  });

  it.each(sizes(64))('reluF32 clamps negatives to 0 for $label', ({ n, foldAt }) => {
    const x = randomF32(n, 4);
    const out = run(reluF32, { x }, withFold({}, foldAt));
    expect(output(out, 'y')).toEqual(Array.from(x, (v) => (v > 0 ? v : 0)));
  });

  it('builds a kernel from any builder expression, params included', () => {
    const offset = mapKernel('offset-abs-i32', 'i32', (b, v) => v.add(b.param('offset', 'i32')).abs());
    const x = Int32Array.of(-5, 0, 7, -2147483648, 2147483647);
    const out = run(offset, { x }, { params: { offset: -1 } });
    // abs wraps at i32::MIN: |MIN + -1| = |MAX| = MAX; |MAX − 1| = MAX − 1.
    expect(output(out, 'y')).toEqual([6, 1, 6, 2147483647, 2147483646]);
    expect(offset.name).toBe('offset-abs-i32');
  });
});

describe('sumReduce', () => {
  function blockSumsU32(x: Uint32Array): number[] {
    const sums: number[] = [];
    for (let start = 0; start < x.length; start += SUM_REDUCE_BLOCK) {
      let sum = 0;
      for (const v of x.subarray(start, start + SUM_REDUCE_BLOCK)) sum = (sum + v) >>> 0;
      sums.push(sum);
    }
    return sums;
  }

  it.each(sizes(SUM_REDUCE_BLOCK))('writes one wrapping u32 partial sum per 256 elements for $label', ({ n, foldAt }) => {
    const x = randomU32(n, 5);
    const out = run(sumReduce, { x }, withFold(sumReduceOptions(n), foldAt));
    expect(output(out, 'partials')).toEqual(blockSumsU32(x));
  });

  it('reaches the total when the host repeats the pass on its partials', () => {
    const x = randomU32(70_000, 6);
    let current: Uint32Array = x;
    let passes = 0;
    while (current.length > 1) {
      current = run(sumReduce, { x: current }, sumReduceOptions(current.length))['partials'] as Uint32Array;
      passes++;
    }
    expect(passes).toBe(3);
    expect(current[0]).toBe(x.reduce((sum, v) => (sum + v) >>> 0, 0));
  });

  it.each(sizes(SUM_REDUCE_BLOCK))('sums f32 blocks within 8·2⁻²⁴·Σ|x| of the exact sum for $label', ({ n, foldAt }) => {
    const x = randomF32(n, 7);
    const partials = output(run(sumReduceF32, { x }, withFold(sumReduceOptions(n), foldAt)), 'partials');
    expect(partials).toHaveLength(Math.ceil(n / SUM_REDUCE_BLOCK));
    partials.forEach((partial, block) => {
      const chunk = Array.from(x.subarray(block * SUM_REDUCE_BLOCK, (block + 1) * SUM_REDUCE_BLOCK));
      const exact = chunk.reduce((sum, v) => sum + v, 0);
      const magnitude = chunk.reduce((sum, v) => sum + Math.abs(v), 0);
      expect(Math.abs(partial - exact)).toBeLessThanOrEqual(8 * 2 ** -24 * magnitude);
    });
  });
});

describe('histogram256', () => {
  it.each(sizes(HISTOGRAM_BINS))('counts the low bytes into 256 bins for $label', ({ n, foldAt }) => {
    const x = randomU32(n, 8);
    const out = run(histogram256, { x }, withFold(histogram256Options(n), foldAt));
    const expected = new Array<number>(256).fill(0);
    for (const v of x) expected[v & 255] = (expected[v & 255] ?? 0) + 1;
    expect(output(out, 'bins')).toEqual(expected);
  });

  it('puts every value of a skewed input into its bin', () => {
    const x = Uint32Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? 0x12345607 : 0xffffff00 + (i % 5)));
    const bins = output(run(histogram256, { x }, histogram256Options(x.length)), 'bins');
    expect(bins[7]).toBe(334);
    expect([bins[0], bins[1], bins[2], bins[3], bins[4]]).toEqual([133, 133, 134, 133, 133]);
    expect(bins.reduce((a, b) => a + b, 0)).toBe(1000);
  });
});

describe('matmul', () => {
  /** The plain triple loop, rounding each product and sum to f32 in k order. */
  function tripleLoop(a: Float32Array, b: Float32Array, M: number, N: number, K: number): { rounded: number[]; bound: number[]; exact: number[] } {
    const rounded: number[] = [];
    const exact: number[] = [];
    const bound: number[] = [];
    for (let r = 0; r < M; r++) {
      for (let c = 0; c < N; c++) {
        let acc = 0;
        let sum = 0;
        let magnitude = 0;
        for (let k = 0; k < K; k++) {
          const product = (a[r * K + k] ?? 0) * (b[k * N + c] ?? 0);
          acc = fround(acc + fround(product));
          sum += product;
          magnitude += Math.abs(product);
        }
        rounded.push(acc);
        exact.push(sum);
        bound.push((K + 1) * 2 ** -24 * magnitude);
      }
    }
    return { rounded, bound, exact };
  }

  const shapes = [
    { label: '1×1·1×1', M: 1, N: 1, K: 1 },
    { label: 'ragged 37×21·19×21 (not multiples of 16)', M: 37, N: 21, K: 19 },
    { label: 'odd 33×47·47×29 (blocks cut on both edges)', M: 33, N: 29, K: 47 },
    { label: '70×45·33×45 with the grid folded (foldAt 4)', M: 70, N: 45, K: 33, foldAt: 4 },
    { label: 'a wide 5×150·40×150 (one tile row, folded)', M: 5, N: 150, K: 40, foldAt: 4 },
  ];

  it.each(shapes)('multiplies $label exactly as the rounded triple loop, within the stated bound', ({ M, N, K, foldAt }) => {
    const a = randomF32(M * K, 9, 4);
    const b = randomF32(K * N, 10, 4);
    const options = withFold(matmulOptions(M, N, K), foldAt);
    if (foldAt !== undefined) expect(Math.ceil(M / 32) * Math.ceil(N / 32)).toBeGreaterThan(foldAt);
    const c = output(runReference(matmul, { a, b }, options), 'c');
    const { rounded, bound, exact } = tripleLoop(a, b, M, N, K);
    // Tolerance: exact against the same rounding; (K + 1)·2⁻²⁴·Σ|a·b| against the exact product.
    expect(c).toEqual(rounded);
    c.forEach((value, i) => expect(Math.abs(value - (exact[i] ?? 0))).toBeLessThanOrEqual(bound[i] ?? 0));
  });

  const x4Shapes = [
    { label: '1×4·4×4', M: 1, N: 4, K: 4 },
    { label: 'odd M 33×28·44×28 (K not a multiple of the 16-deep tile)', M: 33, N: 28, K: 44 },
    { label: '70×68·20×68 with the grid folded (foldAt 2)', M: 70, N: 68, K: 20, foldAt: 2 },
  ];

  it.each(x4Shapes)('matmulX4 multiplies $label exactly as the rounded triple loop', ({ M, N, K, foldAt }) => {
    const a = randomF32(M * K, 11, 4);
    const b = randomF32(K * N, 12, 4);
    const options = withFold(matmulX4Options(M, N, K), foldAt);
    if (foldAt !== undefined) expect(Math.ceil(M / 64) * Math.ceil(N / 64)).toBeGreaterThan(foldAt);
    const c = output(runReference(matmulX4, { a, b }, options), 'c');
    expect(c).toEqual(tripleLoop(a, b, M, N, K).rounded);
  });

  it('matmulX4 states its options (c counted in vectors) and refuses N or K that are not multiples of 4', () => {
    // 65 rows need two 64-row blocks, 8 columns one; 16×16 invocations per block; 65·8/4 vectors of C.
    expect(matmulX4Options(65, 8, 12)).toEqual({ outputs: { c: 130 }, params: { M: 65, N: 8, K: 12 }, invocations: 2 * 1 * 256 });
    for (const [N, K] of [[6, 4], [4, 6]] as const) {
      expect(() => matmulX4Options(4, N, K)).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/Fix: .*matmul/) }));
    }
  });

  it('states its dispatch options', () => {
    // 33 rows need two 32-row blocks, 17 columns one; 8×8 invocations per block.
    expect(matmulOptions(33, 17, 5)).toEqual({ outputs: { c: 561 }, params: { M: 33, N: 17, K: 5 }, invocations: 2 * 1 * 64 });
  });
});

describe('inclusive scan (scanBlocks + addBlockOffsets)', () => {
  function naiveScan(x: Uint32Array): number[] {
    let sum = 0;
    return Array.from(x, (v) => (sum = (sum + v) >>> 0));
  }

  /** The three-step host composition of docs/kernels.md, recursive over the block sums. */
  function scan(x: Uint32Array, foldAt: number | undefined): Uint32Array {
    const stage = run(scanBlocks, { x }, withFold(scanBlocksOptions(x.length), foldAt));
    const y = stage['y'] as Uint32Array;
    const blockSums = stage['blockSums'] as Uint32Array;
    if (blockSums.length <= 1) return y;
    const scannedBlockSums = scan(blockSums, undefined);
    return run(addBlockOffsets, { y, scannedBlockSums }, withFold({}, foldAt))['y'] as Uint32Array;
  }

  it.each(sizes(SCAN_BLOCK))('scans each block and reports its total for $label', ({ n, foldAt }) => {
    const x = randomU32(n, 11);
    const out = run(scanBlocks, { x }, withFold(scanBlocksOptions(n), foldAt));
    const expectedY: number[] = [];
    const expectedSums: number[] = [];
    for (let start = 0; start < n; start += SCAN_BLOCK) {
      const block = naiveScan(x.subarray(start, start + SCAN_BLOCK));
      expectedY.push(...block);
      expectedSums.push(block.at(-1) ?? 0);
    }
    expect(output(out, 'y')).toEqual(expectedY);
    expect(output(out, 'blockSums')).toEqual(expectedSums);
  });

  it.each(sizes(SCAN_BLOCK))('composes into the scan of the whole input for $label', ({ n, foldAt }) => {
    const x = randomU32(n, 12);
    expect(Array.from(scan(x, foldAt))).toEqual(naiveScan(x));
  });

  it('composes recursively past 256 blocks', () => {
    const x = Uint32Array.from(randomU32(SCAN_BLOCK * 300 + 11, 13), (v) => v & 0xffff);
    expect(Array.from(scan(x, undefined))).toEqual(naiveScan(x));
  });
});

describe('bitonic sort', () => {
  function sortOnInterpreter(values: Uint32Array, foldAt: number | undefined): number[] {
    const size = values.length <= 1 ? values.length : 2 ** Math.ceil(Math.log2(values.length));
    let data: Uint32Array = new Uint32Array(size).fill(0xffffffff);
    data.set(values);
    for (const { k, j } of bitonicSchedule(size)) {
      data = run(bitonicStep, { data }, withFold({ params: { k, j } }, foldAt))['data'] as Uint32Array;
    }
    return Array.from(data.subarray(0, values.length));
  }

  it.each(sizes(64))('sorts ascending for $label (padded to a power of two)', ({ n, foldAt }) => {
    const values = randomU32(n, 14);
    expect(sortOnInterpreter(values, foldAt)).toEqual(Array.from(values).sort((a, b) => a - b));
  });

  it('sorts duplicates and extremes', () => {
    const values = Uint32Array.from({ length: 512 }, (_, i) => [0, 0xffffffff, 7, 7, 0x80000000][i % 5] ?? 0);
    expect(sortOnInterpreter(values, undefined)).toEqual(Array.from(values).sort((a, b) => a - b));
  });

  it('orders one step by its k and j', () => {
    const data = Uint32Array.of(3, 1, 2, 4);
    expect(output(run(bitonicStep, { data }, { params: { k: 2, j: 1 } }), 'data')).toEqual([1, 3, 4, 2]);
  });

  it('schedules log₂n·(log₂n + 1)/2 steps and refuses lengths that are not powers of two', () => {
    expect(bitonicSchedule(8)).toEqual([
      { k: 2, j: 1 },
      { k: 4, j: 2 },
      { k: 4, j: 1 },
      { k: 8, j: 4 },
      { k: 8, j: 2 },
      { k: 8, j: 1 },
    ]);
    expect(bitonicSchedule(1024)).toHaveLength(55);
    expect(bitonicSchedule(1)).toEqual([]);
    expect(() => bitonicSchedule(6)).toThrowError(VyreError);
    expect(() => bitonicSchedule(6)).toThrowError(/power-of-two.*Fix: pad/);
  });
});

describe('mandelbrot', () => {
  /** The escape loop in plain JS, rounding every operation to f32 as the kernel does. */
  function escapeCounts(view: MandelbrotView): number[] {
    const [x0, y0, step] = [fround(view.x0), fround(view.y0), fround(view.step)];
    const counts: number[] = [];
    for (let py = 0; py < view.height; py++) {
      for (let px = 0; px < view.width; px++) {
        const cx = fround(x0 + fround(px * step));
        const cy = fround(y0 + fround(py * step));
        let [zx, zy, count] = [0, 0, 0];
        for (let n = 0; n < view.maxIterations; n++) {
          const x2 = fround(zx * zx);
          const y2 = fround(zy * zy);
          if (fround(x2 + y2) > 4) break;
          zy = fround(fround(fround(zx * 2) * zy) + cy);
          zx = fround(fround(x2 - y2) + cx);
          count++;
        }
        counts.push(count);
      }
    }
    return counts;
  }

  /** The stated tolerance: at least MANDELBROT_MIN_IDENTICAL (99%) of the pixels identical. */
  function expectWithinTolerance(actual: readonly number[], expected: readonly number[]): void {
    expect(actual).toHaveLength(expected.length);
    const identical = actual.filter((value, i) => value === expected[i]).length;
    expect(identical).toBeGreaterThanOrEqual(MANDELBROT_MIN_IDENTICAL * expected.length);
  }

  const views: { label: string; view: MandelbrotView; foldAt?: number }[] = [
    { label: 'one pixel', view: { width: 1, height: 1, maxIterations: 50, x0: -0.75, y0: 0.1, step: 0.01 } },
    { label: 'a 23×17 image (not a multiple of 64)', view: { width: 23, height: 17, maxIterations: 100, x0: -2, y0: -1.2, step: 0.12 } },
    { label: 'a 61×43 image with the grid folded (foldAt 4)', view: { width: 61, height: 43, maxIterations: 80, x0: -2.1, y0: -1.25, step: 0.058 }, foldAt: 4 },
  ];

  it.each(views)('counts escape iterations for $label within the stated tolerance', ({ view, foldAt }) => {
    const out = output(run(mandelbrot, {}, withFold({ ...mandelbrotOptions(view), invocations: view.width * view.height }, foldAt)), 'iterations');
    const expected = escapeCounts(view);
    expectWithinTolerance(out, expected);
    // The interpreter rounds exactly as the plain loop does: in fact no pixel differs.
    expect(out).toEqual(expected);
    expect(Math.max(...out)).toBeLessThanOrEqual(view.maxIterations);
  });

  it('gives maxIterations inside the set and few iterations far outside', () => {
    const inside = output(run(mandelbrot, {}, mandelbrotOptions({ width: 1, height: 1, maxIterations: 500, x0: -0.1, y0: 0.1, step: 1 })), 'iterations');
    const outside = output(run(mandelbrot, {}, mandelbrotOptions({ width: 1, height: 1, maxIterations: 500, x0: 2, y0: 2, step: 1 })), 'iterations');
    expect(inside).toEqual([500]);
    expect(outside).toEqual([1]);
  });
});

describe('convolve1d', () => {
  /** The direct sum, rounding each product and sum to f32 in tap order, zero outside x. */
  function convolve(x: Float32Array, w: Float32Array, radius: number): number[] {
    return Array.from(x, (_, i) => {
      let acc = 0;
      w.forEach((tap, k) => {
        const j = i + k - radius;
        const sample = j >= 0 && j < x.length ? (x[j] ?? 0) : 0;
        acc = fround(acc + fround(tap * sample));
      });
      return acc;
    });
  }

  const filters = [
    { filter: 'a centred 7-tap filter', taps: 7, radius: 3 },
    { filter: 'a causal 4-tap filter', taps: 4, radius: 0 },
    { filter: 'a filter reaching 5 past the right', taps: 6, radius: 0 },
  ];
  const cases = sizes(64).flatMap((size) => filters.map((filter) => ({ ...size, ...filter })));

  it.each(cases)('convolves $label with $filter, zero-padded, exactly as the rounded direct sum', ({ n, foldAt, taps, radius }) => {
    const x = randomF32(n, 15 + n);
    const w = randomF32(taps, 16 + taps, 1);
    const out = run(convolve1d, { x, w }, withFold({ params: { radius } }, foldAt));
    // Tolerance: exact (0 ULP) against the same rounding.
    expect(output(out, 'y')).toEqual(convolve(x, w, radius));
  });

  it('reads nothing from x when the radius exceeds the taps and the length', () => {
    const x = Float32Array.of(1, 2, 3);
    expect(output(run(convolve1d, { x, w: Float32Array.of(1, 1) }, { params: { radius: 10 } }), 'y')).toEqual([0, 0, 0]);
  });
});

describe('countByte', () => {
  function countBytes(words: Uint32Array, target: number): number {
    const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
    return bytes.reduce((count, byte) => count + (byte === target ? 1 : 0), 0);
  }

  it.each(sizes(256))('counts a byte value in packed words for $label', ({ n, foldAt }) => {
    // Bytes from a small alphabet so each value occurs often.
    const next = prng(17 + n);
    const bytes = Uint8Array.from({ length: n * 4 }, () => Math.floor(next() * 6) * 51);
    const data = new Uint32Array(bytes.buffer);
    for (const target of [0, 102, 255, 7]) {
      const out = run(countByte, { data }, withFold(countByteOptions(n, target), foldAt));
      expect(output(out, 'count'), `target ${target}`).toEqual([countBytes(data, target)]);
    }
  });

  it('matches each of the four bytes of a word', () => {
    const data = Uint32Array.of(0x41414141, 0x00410041, 0x41000000, 0x00000000);
    expect(output(run(countByte, { data }, countByteOptions(4, 0x41)), 'count')).toEqual([7]);
    expect(output(run(countByte, { data }, countByteOptions(4, 0x141)), 'count')).toEqual([0]);
  });
});
