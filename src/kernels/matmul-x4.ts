/**
 * Tiled, vectorized f32 matrix multiply for `N` and `K` that are multiples of 4: A, B and C
 * travel as `vec4<f32>` rows, a workgroup of 16×16 invocations computes a 64×64 block of C
 * from 64×16 and 16×64 tiles staged in workgroup memory, and each invocation keeps a 4×4
 * block of C in four vector registers.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';
import { declareVec4Matmul, requireQuads } from './matmul-shape.ts';

/** Edge of the block of C one workgroup of {@link matmulX4} computes. */
export const MATMUL_X4_BLOCK = 64;
/** Invocations per side of a workgroup. */
const SIDE = 16;
/** Depth (k) of one staged tile. */
const TILE_K = 16;
const INVOCATIONS = SIDE * SIDE;
const LANES = [0, 1, 2, 3] as const;

/**
 * `C[r][c] = Σ_{k<K} A[r][k] · B[k][c]`, row-major, like {@link matmul}, for `N` and `K`
 * that are multiples of 4 (any `M`).
 *
 * - Inputs: `a` (M·K floats), `b` (K·N floats): flat `Float32Array`s, declared `vec4<f32>`.
 * - Outputs: `c` (M·N floats, a `Float32Array`).
 * - Params: `M`, `N`, `K` (u32).
 * - Dispatch options (required): {@link matmulX4Options}`(M, N, K)`.
 * - Floats: exact, the same bits as {@link matmul} and the interpreter: every output is
 *   `acc = acc + a·b` over k in increasing order from `+0`, each product and sum rounded on
 *   its own (under the `fast` float policy the compiler may fuse them).
 *
 * Workgroup `g` (`linear-index / 256`, so the grid may fold) computes the 64×64 block at
 * block row `g / ceil(N/64)`, column `g mod ceil(N/64)`. Per 16-deep step each invocation
 * stages one vec4 of A (row `tid/4`, k quad `tid mod 4`) and one of B (k `tid/16`, column
 * quad `tid mod 16`), zero past the matrix edges, then, after a barrier, invocation
 * (x, y) = (`tid mod 16`, `tid / 16`) adds the tiles' products into rows `4y…4y+3`, columns
 * `4x…4x+3`. This is the shape of the fastest hand-written WGSL of docs/benchmarks.md.
 */
export const matmulX4 = program({ name: 'matmul-f32-x4', workgroupSize: [SIDE, SIDE] }, (b) => {
  const { a, bm, c, M, N, K, n4, k4 } = declareVec4Matmul(b);
  const tileA = b.workgroup('tile_a', 'vec4<f32>', MATMUL_X4_BLOCK * (TILE_K / 4));
  const tileB = b.workgroup('tile_b', 'vec4<f32>', TILE_K * (MATMUL_X4_BLOCK / 4));

  const tid = b.let('tid', b.localIndex());
  const group = b.let('group', b.linearIndex().div(INVOCATIONS));
  const across = b.let('across', N.add(MATMUL_X4_BLOCK - 1).div(MATMUL_X4_BLOCK));
  const row0 = b.let('row0', group.div(across).mul(MATMUL_X4_BLOCK));
  const quad0 = b.let('quad0', group.rem(across).mul(MATMUL_X4_BLOCK / 4));
  const acc = LANES.map((i) => b.let(`acc_${i}`, b.splat('vec4<f32>', 0)));
  const zero = b.splat('vec4<f32>', 0);

  b.loop('t', b.u32(0), K.add(TILE_K - 1).div(TILE_K), (t) => {
    const aRow = b.let('a_row', row0.add(tid.div(4)));
    const aQuad = b.let('a_quad', t.mul(TILE_K / 4).add(tid.rem(4)));
    tileA.store(tid, b.select(aRow.lt(M).and(aQuad.lt(k4)), a.load(aRow.mul(k4).add(aQuad)), zero));
    const bK = b.let('b_k', t.mul(TILE_K).add(tid.div(SIDE)));
    const bQuad = b.let('b_quad', quad0.add(tid.rem(SIDE)));
    tileB.store(tid, b.select(bK.lt(K).and(bQuad.lt(n4)), bm.load(bK.mul(n4).add(bQuad)), zero));
    b.barrier();
    const y = tid.div(SIDE);
    const x = tid.rem(SIDE);
    for (let kq = 0; kq < TILE_K / 4; kq += 1) {
      const rows = LANES.map((i) => b.let(`r_${kq}_${i}`, tileA.load(y.mul(4).add(i).mul(TILE_K / 4).add(kq))));
      for (const j of LANES) {
        const bRow = b.let(`b_${kq}_${j}`, tileB.load(x.add((kq * 4 + j) * SIDE)));
        for (const i of LANES) acc[i]!.set(acc[i]!.add(b.splat('vec4<f32>', rows[i]!.component(j)).mul(bRow)));
      }
    }
    b.barrier();
  });

  const quad = b.let('quad', quad0.add(tid.rem(SIDE)));
  for (const i of LANES) {
    const row = row0.add(tid.div(SIDE).mul(4)).add(i);
    b.if(row.lt(M).and(quad.lt(n4)), () => c.store(row.mul(n4).add(quad), acc[i]!));
  }
  return { a, bm, c };
});

/**
 * Dispatch options of {@link matmulX4} for `C[M×N] = A[M×K] · B[K×N]`.
 * @returns `{ outputs: { c: M·N/4 vectors }, params: { M, N, K }, invocations: ceil(M/64) · ceil(N/64) · 256 }`.
 * @throws VyreError `invalid-input` when `N` or `K` is not a multiple of 4.
 */
export function matmulX4Options(M: number, N: number, K: number): LaunchOptions {
  requireQuads('matmulX4', N, K);
  const invocations = Math.ceil(M / MATMUL_X4_BLOCK) * Math.ceil(N / MATMUL_X4_BLOCK) * INVOCATIONS;
  return { outputs: { c: (M * N) / 4 }, params: { M, N, K }, invocations };
}
