/**
 * Sum reduction, one pass: every workgroup sums its block of the input in workgroup
 * memory with a barrier tree and writes one partial sum.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/** Elements one workgroup of {@link sumReduce} sums: its invocation count. */
export const SUM_REDUCE_BLOCK = 256;

/** log2 of {@link SUM_REDUCE_BLOCK}: the levels of the reduction tree. */
const LEVELS = Math.log2(SUM_REDUCE_BLOCK);

/**
 * Builds the one-pass sum reduction over `type` (see {@link sumReduce}).
 * @param type - `u32` (wrapping) or `f32`.
 */
export function sumReduceKernel<T extends 'u32' | 'f32'>(type: T) {
  return program({ name: `sum-reduce-${type}`, workgroupSize: SUM_REDUCE_BLOCK }, (b) => {
    const x = b.buffer('x', type, 'read');
    const partials = b.buffer('partials', type, 'output');
    const scratch = b.workgroup('scratch', type, SUM_REDUCE_BLOCK);
    const local = b.let('local', b.localIndex());
    const i = b.let('i', b.linearIndex());
    // Past the end, loads read 0 (docs/semantics.md, "Memory"): the neutral element.
    scratch.store(local, x.load(i));
    b.barrier();
    // Halve the active invocations each level; bounds are literals, so every invocation
    // runs every level and reaches every barrier.
    b.loop('level', b.u32(0), LEVELS, (level) => {
      const stride = b.let('stride', b.u32(SUM_REDUCE_BLOCK / 2).shr(level));
      b.if(local.lt(stride), () => scratch.store(local, scratch.load(local).add(scratch.load(local.add(stride)))));
      b.barrier();
    });
    // The workgroup's index in the dense grid, valid however the runtime folds it.
    b.if(local.eq(0), () => partials.store(i.div(SUM_REDUCE_BLOCK), scratch.load(0)));
    return { x, partials };
  });
}

/**
 * One pass of a u32 sum: `partials[g] = Σ x[g·256 … g·256 + 255]` (wrapping modulo 2³²),
 * one partial per workgroup of 256 invocations.
 *
 * - Inputs: `x` (`read`, u32).
 * - Outputs: `partials` (`output`, u32), `ceil(x.length / 256)` elements.
 * - Params: none.
 * - Dispatch options (required; the default grid would only cover `partials`):
 *   {@link sumReduceOptions}`(x.length)` = `{ outputs: { partials: ceil(n / 256) }, invocations: n }`.
 * - Exact.
 *
 * To get one sum, the host repeats the pass on its own output: dispatch on `x`, then on
 * `partials` as the next `x`, until one element is left (`ceil(log₂₅₆ n)` passes; a
 * million elements take three). Summing the last few partials on the CPU is as good.
 */
export const sumReduce = sumReduceKernel('u32');

/**
 * {@link sumReduce} over f32: the same buffers, options and host loop.
 *
 * Floats: the additions run in a fixed tree (level by level, `s[l] += s[l + stride]`
 * with stride 128, 64, …, 1), each rounded to f32, so the GPU and the reference
 * interpreter agree bit for bit. Against the exact sum, each pass of a block adds at most
 * 8 roundings: `|partial − Σ x| ≤ 8 · 2⁻²⁴ · Σ |x|` (first order), and a chain of
 * `p` passes at most `8p · 2⁻²⁴ · Σ |x|`.
 */
export const sumReduceF32 = sumReduceKernel('f32');

/**
 * Dispatch options of one {@link sumReduce} / {@link sumReduceF32} pass over `n` elements.
 * @param n - the length of `x`.
 */
export function sumReduceOptions(n: number): LaunchOptions {
  return { outputs: { partials: Math.ceil(n / SUM_REDUCE_BLOCK) }, invocations: n };
}
