/**
 * Vectorized f32 matrix multiply without workgroup memory, for `N` and `K` that are
 * multiples of 4: each invocation reads its rows of A and its columns of B straight from
 * storage as `vec4<f32>` and keeps a 4×4 block of C in four vector registers; a workgroup
 * of 8×8 invocations covers a 32×32 block. No barriers: on a CPU rasterizer such as
 * SwiftShader that beats staging tiles, on a discrete GPU the tiled {@link matmulX4} wins.
 * Which one a device should use is what the tuner decides (`matmulX4Tunable`).
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';
import { declareVec4Matmul, requireQuads } from './matmul-shape.ts';

/** Edge of the block of C one workgroup of {@link matmulX4Direct} computes. */
export const MATMUL_X4_DIRECT_BLOCK = 32;
/** Invocations per side of a workgroup. */
const SIDE = 8;
const INVOCATIONS = SIDE * SIDE;
const LANES = [0, 1, 2, 3] as const;

/**
 * `C[r][c] = Σ_{k<K} A[r][k] · B[k][c]`, row-major, for `N` and `K` multiples of 4 (any
 * `M`): the same buffers, params and bits as {@link matmulX4}.
 *
 * - Inputs: `a` (M·K floats), `b` (K·N floats): flat `Float32Array`s, declared `vec4<f32>`.
 * - Outputs: `c` (M·N floats).
 * - Params: `M`, `N`, `K` (u32).
 * - Dispatch options (required): {@link matmulX4DirectOptions}`(M, N, K)`.
 * - Floats: exact, `matmul`'s bits: `acc = acc + a·b` over k in increasing order from `+0`.
 *
 * Workgroup `g` (`linear-index / 64`, so the grid may fold) computes the 32×32 block at
 * block row `g / ceil(N/32)`, column `g mod ceil(N/32)`; invocation (x, y) = (`tid mod 8`,
 * `tid / 8`) owns rows `4y…4y+3` and column quad `x` of it. Per quad of k it loads one vec4
 * of A from each of its four rows and the vec4 of its columns from four rows of B: 8 loads
 * for 64 products. A row past `M` reads zeros (out of bounds); a column quad past `N / 4`
 * reads the next row's values, and its result is never stored.
 */
export const matmulX4Direct = program({ name: 'matmul-f32-x4-direct', workgroupSize: [SIDE, SIDE] }, (b) => {
  const { a, bm, c, M, N, n4, k4 } = declareVec4Matmul(b);

  const tid = b.let('tid', b.localIndex());
  const group = b.let('group', b.linearIndex().div(INVOCATIONS));
  const across = b.let('across', N.add(MATMUL_X4_DIRECT_BLOCK - 1).div(MATMUL_X4_DIRECT_BLOCK));
  const row0 = b.let('row0', group.div(across).mul(MATMUL_X4_DIRECT_BLOCK).add(tid.div(SIDE).mul(4)));
  const quad = b.let('quad', group.rem(across).mul(MATMUL_X4_DIRECT_BLOCK / 4).add(tid.rem(SIDE)));
  const acc = LANES.map((i) => b.let(`acc_${i}`, b.splat('vec4<f32>', 0)));

  b.loop('kq', b.u32(0), k4, (kq) => {
    const rows = LANES.map((i) => b.let(`a_${i}`, a.load(row0.add(i).mul(k4).add(kq))));
    for (const j of LANES) {
      const bRow = b.let(`b_${j}`, bm.load(kq.mul(4).add(j).mul(n4).add(quad)));
      for (const i of LANES) acc[i]!.set(acc[i]!.add(b.splat('vec4<f32>', rows[i]!.component(j)).mul(bRow)));
    }
  });

  for (const i of LANES) {
    const row = row0.add(i);
    b.if(row.lt(M).and(quad.lt(n4)), () => c.store(row.mul(n4).add(quad), acc[i]!));
  }
  return { a, bm, c };
});

/**
 * Dispatch options of {@link matmulX4Direct} for `C[M×N] = A[M×K] · B[K×N]`.
 * @returns `{ outputs: { c: M·N/4 vectors }, params: { M, N, K }, invocations: ceil(M/32) · ceil(N/32) · 64 }`.
 * @throws VyreError `invalid-input` when `N` or `K` is not a multiple of 4.
 */
export function matmulX4DirectOptions(M: number, N: number, K: number): LaunchOptions {
  requireQuads('matmulX4Direct', N, K);
  const invocations = Math.ceil(M / MATMUL_X4_DIRECT_BLOCK) * Math.ceil(N / MATMUL_X4_DIRECT_BLOCK) * INVOCATIONS;
  return { outputs: { c: (M * N) / 4 }, params: { M, N, K }, invocations };
}
