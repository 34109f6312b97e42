/**
 * A u32 sum reduction that gives each invocation several elements before the workgroup
 * tree, and the same job with subgroup operations: the two variants of
 * {@link sumU32Tunable}. Both write one partial per {@link SUM_WIDE_BLOCK} elements, so
 * their outputs are the same bits (wrapping u32 addition does not care about order).
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/** Invocations of one workgroup. */
const WORKGROUP = 256;
/** Elements each invocation sums before the tree. */
const ITEMS = 8;
/** Elements one workgroup sums into one partial: 2,048. */
export const SUM_WIDE_BLOCK = WORKGROUP * ITEMS;

/**
 * `partials[g] = Σ x[g·2048 … g·2048 + 2047]` (wrapping modulo 2³²), with workgroup memory
 * only: each invocation adds 8 elements 256 apart (neighbouring invocations read
 * neighbouring words), then the workgroup sums the 256 subtotals in a tree of 8 barriers —
 * one tree per 2,048 elements instead of one per 256 as in `sumReduce`.
 *
 * - Inputs: `x` (`read`, u32). Outputs: `partials` (u32, `ceil(n / 2048)`).
 * - Dispatch options (required): {@link sumWideOptions}`(n)`. Exact.
 */
export const sumReduceWide = program({ name: 'sum-reduce-wide-u32', workgroupSize: WORKGROUP }, (b) => {
  const x = b.buffer('x', 'u32', 'read');
  const partials = b.buffer('partials', 'u32', 'output');
  const scratch = b.workgroup('scratch', 'u32', WORKGROUP);
  const local = b.let('local', b.localIndex());
  const group = b.let('group', b.linearIndex().div(WORKGROUP));
  const first = b.let('first', group.mul(SUM_WIDE_BLOCK).add(local));
  const acc = b.let('acc', b.u32(0));
  // Past the end, loads read 0 (docs/semantics.md, "Memory"): the neutral element.
  b.loop('item', b.u32(0), ITEMS, (item) => acc.set(acc.add(x.load(first.add(item.mul(WORKGROUP))))));
  scratch.store(local, acc);
  b.barrier();
  b.loop('level', b.u32(0), Math.log2(WORKGROUP), (level) => {
    const stride = b.let('stride', b.u32(WORKGROUP / 2).shr(level));
    b.if(local.lt(stride), () => scratch.store(local, scratch.load(local).add(scratch.load(local.add(stride)))));
    b.barrier();
  });
  b.if(local.eq(0), () => partials.store(group, scratch.load(0)));
  return { x, partials };
});

/**
 * Dispatch options of {@link sumReduceWide} and {@link sumReduceSubgroups} over `n` elements.
 * @returns `{ outputs: { partials: ceil(n / 2048) }, invocations: ceil(n / 2048) · 256 }`.
 */
export function sumWideOptions(n: number): LaunchOptions {
  const groups = Math.max(1, Math.ceil(n / SUM_WIDE_BLOCK));
  return { outputs: { partials: groups }, invocations: groups * WORKGROUP };
}
