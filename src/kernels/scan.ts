/**
 * Inclusive prefix sum (scan) of u32, in two kernels: a per-block scan in workgroup
 * memory that also writes each block's total, and a pass that adds the scanned totals
 * of the preceding blocks back in.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/** Elements per block of {@link scanBlocks}: its workgroup size. */
export const SCAN_BLOCK = 256;

const LEVELS = Math.log2(SCAN_BLOCK);

/**
 * Per-block inclusive scan: for every block `g` of 256 elements,
 * `y[i] = Σ_{g·256 ≤ j ≤ i} x[j]` and `blockSums[g] = Σ_{j in block g} x[j]` (all
 * wrapping modulo 2³²).
 *
 * - Inputs: `x` (`read`, u32).
 * - Outputs: `y` (`output`, u32, as long as `x`), `blockSums` (`output`, u32,
 *   `ceil(n / 256)` elements).
 * - Params: none.
 * - Dispatch options (required, to size `blockSums`): {@link scanBlocksOptions}`(n)` =
 *   `{ outputs: { y: n, blockSums: ceil(n / 256) } }`.
 * - Exact.
 *
 * Hillis–Steele in workgroup memory: 8 levels, each reading `s[l] + s[l − 2^level]`
 * (when `l ≥ 2^level`), a barrier, the write, another barrier.
 *
 * The whole scan of `x` on the host, in three steps:
 * 1. dispatch `scanBlocks` on `x` → `y`, `blockSums`;
 * 2. scan `blockSums` inclusively: when it has one element it already is; up to 256
 *    elements one more `scanBlocks` dispatch gives it (its `y`); beyond, apply these three
 *    steps to it recursively (or scan it on the CPU);
 * 3. dispatch {@link addBlockOffsets} with `{ y, scannedBlockSums }` → the scan of `x`.
 */
export const scanBlocks = program({ name: 'scan-blocks-u32', workgroupSize: SCAN_BLOCK }, (b) => {
  const x = b.buffer('x', 'u32', 'read');
  const y = b.buffer('y', 'u32', 'output', { sizing: { kind: 'same-as', buffer: 'x' } });
  const blockSums = b.buffer('blockSums', 'u32', 'output');
  const scratch = b.workgroup('scratch', 'u32', SCAN_BLOCK);
  const local = b.let('local', b.localIndex());
  const i = b.let('i', b.linearIndex());
  // Past the end, loads read 0, which leaves the block's sums unchanged.
  scratch.store(local, x.load(i));
  b.barrier();
  b.loop('level', b.u32(0), LEVELS, (level) => {
    const offset = b.let('offset', b.u32(1).shl(level));
    const sum = b.let('sum', scratch.load(local));
    b.if(local.ge(offset), () => sum.set(sum.add(scratch.load(local.sub(offset)))));
    // Everyone reads this level before anyone writes it.
    b.barrier();
    scratch.store(local, sum);
    b.barrier();
  });
  y.store(i, scratch.load(local));
  b.if(local.eq(SCAN_BLOCK - 1), () => blockSums.store(i.div(SCAN_BLOCK), scratch.load(local)));
  return { x, y, blockSums };
});

/**
 * Dispatch options of {@link scanBlocks} over `n` elements.
 * @param n - the length of `x`.
 */
export function scanBlocksOptions(n: number): LaunchOptions {
  return { outputs: { y: n, blockSums: Math.ceil(n / SCAN_BLOCK) } };
}

/**
 * Step 3 of the scan: `y[i] += scannedBlockSums[floor(i / 256) − 1]` for every `i` past
 * the first block (wrapping modulo 2³²), turning per-block scans into the scan of the
 * whole input.
 *
 * - Inputs: `y` (`read-write`, u32: {@link scanBlocks}' `y`), `scannedBlockSums`
 *   (`read`, u32: the inclusive scan of its `blockSums`).
 * - Outputs: `y`.
 * - Params: none.
 * - Dispatch options: none needed; the default grid covers `y`.
 * - Exact.
 */
export const addBlockOffsets = program({ name: 'add-block-offsets-u32', workgroupSize: SCAN_BLOCK }, (b) => {
  const y = b.buffer('y', 'u32', 'read-write');
  const scanned = b.buffer('scannedBlockSums', 'u32', 'read');
  const i = b.let('i', b.linearIndex());
  const block = b.let('block', i.div(SCAN_BLOCK));
  b.if(i.lt(y.length()).and(block.gt(0)), () => y.store(i, y.load(i).add(scanned.load(block.sub(1)))));
  return { y, scanned };
});
