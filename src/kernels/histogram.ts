/**
 * 256-bin histogram of the low byte of u32 values: a private histogram per workgroup in
 * workgroup memory, merged into the global bins with one atomic add per non-empty bin.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/** Bins of {@link histogram256}; also its workgroup size (one invocation per bin for the merge). */
export const HISTOGRAM_BINS = 256;

/**
 * `bins[v] = #{ i : (x[i] & 255) = v }` for `v < 256`.
 *
 * - Inputs: `x` (`read`, u32); only the low byte of each value counts.
 * - Outputs: `bins` (`output`, u32), always 256 elements (static sizing).
 * - Params: none.
 * - Dispatch options (required; the default grid would only cover the 256 bins):
 *   {@link histogram256Options}`(x.length)` = `{ invocations: n }`.
 * - Exact.
 *
 * Each workgroup (256 invocations) counts its 256 elements into a workgroup-memory
 * histogram with atomic adds, waits at a barrier, then each invocation adds one bin of
 * it to the global `bins` with an atomic add (skipped when the bin is empty).
 */
export const histogram256 = program({ name: 'histogram-256', workgroupSize: HISTOGRAM_BINS }, (b) => {
  const x = b.buffer('x', 'u32', 'read');
  const bins = b.buffer('bins', 'u32', 'output', { sizing: { kind: 'static', count: HISTOGRAM_BINS } });
  const local = b.workgroup('local_bins', 'u32', HISTOGRAM_BINS);
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(x.length()), () => {
    b.let('ignored', local.atomic('add', x.load(i).bitAnd(HISTOGRAM_BINS - 1), 1));
  });
  b.barrier();
  const bin = b.let('bin', b.localIndex());
  const count = b.let('count', local.atomicLoad(bin));
  b.if(count.ne(0), () => {
    b.let('ignored_old', bins.atomic('add', bin, count));
  });
  return { x, bins };
});

/**
 * Dispatch options of {@link histogram256} over `n` values.
 * @param n - the length of `x`.
 */
export function histogram256Options(n: number): LaunchOptions {
  return { invocations: n };
}
