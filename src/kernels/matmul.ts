/**
 * Register-blocked f32 matrix multiply: `C[M×N] = A[M×K] · B[K×N]`, row-major. Each
 * invocation computes a 4×4 block of C in sixteen registers; a workgroup of 8×8
 * invocations covers a 32×32 block.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/** Rows and columns of C that one invocation of {@link matmul} computes. */
const REGISTER_BLOCK = 4;
/** Invocations per side of a workgroup. */
const WORKGROUP_SIDE = 8;
/** Edge of the block of C one workgroup of {@link matmul} computes: 32. */
export const MATMUL_BLOCK = REGISTER_BLOCK * WORKGROUP_SIDE;

const WORKGROUP_INVOCATIONS = WORKGROUP_SIDE * WORKGROUP_SIDE;
const LANES = [0, 1, 2, 3] as const;

/**
 * `C[r][c] = Σ_{k<K} A[r][k] · B[k][c]` for `r < M`, `c < N`; all matrices row-major.
 *
 * - Inputs: `a` (`read`, f32, M·K elements), `b` (`read`, f32, K·N elements).
 * - Outputs: `c` (`output`, f32, M·N elements).
 * - Params: `M`, `N`, `K` (u32).
 * - Dispatch options (required): {@link matmulOptions}`(M, N, K)` =
 *   `{ outputs: { c: M·N }, params: { M, N, K }, invocations: ceil(M/32) · ceil(N/32) · 64 }`.
 * - Floats: each step is `acc = acc + a·b`, a separate product and sum each rounded to
 *   f32, over k in increasing order, starting from `+0`. That is exact under
 *   docs/semantics.md, so the GPU and the interpreter agree bit for bit, and so does a
 *   plain triple loop that rounds the same way. Against the exact product:
 *   `|C − A·B| ≤ (K + 1) · 2⁻²⁴ · Σ_k |A[r][k] · B[k][c]|` (first order).
 *
 * Workgroup `g` (its flattened index `linear-index / 64`, so the grid may fold) computes
 * the 32×32 block at block row `g / ceil(N/32)`, block column `g mod ceil(N/32)`; the
 * invocation at local (x, y) = (`local-index mod 8`, `local-index / 8`) owns rows
 * `4y … 4y+3` and columns `4x … 4x+3` of it. Per k it loads four values of A (a column of
 * its rows) and four of B (a row of its columns) and makes sixteen products: a quarter of
 * the loads per product of one output per invocation, and no workgroup memory or barrier
 * (on the GPUs measured, caches serve the reuse as well as staged tiles did; docs/kernels.md).
 * Reads past the matrix edge land in a row or column whose result is never stored, or
 * past the buffer, where a load gives 0; only the stores are guarded.
 */
export const matmul = program({ name: 'matmul-f32', workgroupSize: [WORKGROUP_SIDE, WORKGROUP_SIDE] }, (b) => {
  const a = b.buffer('a', 'f32', 'read');
  const bm = b.buffer('b', 'f32', 'read');
  const c = b.buffer('c', 'f32', 'output');
  const M = b.param('M', 'u32');
  const N = b.param('N', 'u32');
  const K = b.param('K', 'u32');

  const local = b.let('local', b.localIndex());
  const group = b.let('group', b.linearIndex().div(WORKGROUP_INVOCATIONS));
  const blocksAcross = b.let('blocks_across', N.add(MATMUL_BLOCK - 1).div(MATMUL_BLOCK));
  const row0 = b.let('row0', group.div(blocksAcross).mul(MATMUL_BLOCK).add(local.div(WORKGROUP_SIDE).mul(REGISTER_BLOCK)));
  const col0 = b.let('col0', group.rem(blocksAcross).mul(MATMUL_BLOCK).add(local.rem(WORKGROUP_SIDE).mul(REGISTER_BLOCK)));
  const acc = LANES.map((i) => LANES.map((j) => b.let(`acc_${i}_${j}`, b.f32(0))));

  b.loop('k', b.u32(0), K, (k) => {
    const aCol = LANES.map((i) => b.let(`a_${i}`, a.load(row0.add(i).mul(K).add(k))));
    const bRow = LANES.map((j) => b.let(`b_${j}`, bm.load(k.mul(N).add(col0).add(j))));
    for (const i of LANES) for (const j of LANES) acc[i]![j]!.set(acc[i]![j]!.add(aCol[i]!.mul(bRow[j]!)));
  });

  for (const i of LANES) {
    for (const j of LANES) {
      const row = row0.add(i);
      const col = col0.add(j);
      b.if(row.lt(M).and(col.lt(N)), () => c.store(row.mul(N).add(col), acc[i]![j]!));
    }
  }
  return { a, bm, c };
});

/**
 * Dispatch options of {@link matmul} for `C[M×N] = A[M×K] · B[K×N]`.
 * @returns `{ outputs: { c: M·N }, params: { M, N, K }, invocations: ceil(M/32) · ceil(N/32) · 64 }`.
 */
export function matmulOptions(M: number, N: number, K: number): LaunchOptions {
  const invocations = Math.ceil(M / MATMUL_BLOCK) * Math.ceil(N / MATMUL_BLOCK) * WORKGROUP_INVOCATIONS;
  return { outputs: { c: M * N }, params: { M, N, K }, invocations };
}
