/**
 * Tiled f32 matrix multiply: `C[M×N] = A[M×K] · B[K×N]`, row-major, with 16×16 tiles of
 * A and B staged in workgroup memory.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/** Tile edge of {@link matmul}: workgroups are TILE × TILE invocations, one per element of C. */
export const MATMUL_TILE = 16;

const TILE_ELEMENTS = MATMUL_TILE * MATMUL_TILE;

/**
 * `C[r][c] = Σ_{k<K} A[r][k] · B[k][c]` for `r < M`, `c < N`; all matrices row-major.
 *
 * - Inputs: `a` (`read`, f32, M·K elements), `b` (`read`, f32, K·N elements).
 * - Outputs: `c` (`output`, f32, M·N elements).
 * - Params: `M`, `N`, `K` (u32).
 * - Dispatch options (required): {@link matmulOptions}`(M, N, K)` =
 *   `{ outputs: { c: M·N }, params: { M, N, K }, invocations: ceil(M/16) · ceil(N/16) · 256 }`.
 * - Floats: each step is `acc = acc + a·b`, a separate product and sum each rounded to
 *   f32, over k in increasing order, starting from `+0`. That is exact under
 *   docs/semantics.md, so the GPU and the interpreter agree bit for bit, and so does a
 *   plain triple loop that rounds the same way. Against the exact product:
 *   `|C − A·B| ≤ (K + 1) · 2⁻²⁴ · Σ_k |A[r][k] · B[k][c]|` (first order).
 *
 * Workgroups are 16×16 (256 invocations). Workgroup `g` — its flattened index
 * `linear-index / 256`, so the grid may fold — computes the tile at row `g / ceil(N/16)`,
 * column `g mod ceil(N/16)`. Each of the `ceil(K/16)` steps loads one 16×16 tile of A and
 * one of B into workgroup memory (zero past the matrix edges), waits at a barrier,
 * accumulates 16 products, and waits again before the tiles are overwritten. Loop bounds
 * are params, so every invocation reaches every barrier.
 */
export const matmul = program({ name: 'matmul-f32', workgroupSize: [MATMUL_TILE, MATMUL_TILE] }, (b) => {
  const a = b.buffer('a', 'f32', 'read');
  const bm = b.buffer('b', 'f32', 'read');
  const c = b.buffer('c', 'f32', 'output');
  const M = b.param('M', 'u32');
  const N = b.param('N', 'u32');
  const K = b.param('K', 'u32');
  const tileA = b.workgroup('tile_a', 'f32', TILE_ELEMENTS);
  const tileB = b.workgroup('tile_b', 'f32', TILE_ELEMENTS);

  const local = b.let('local', b.localIndex());
  const tx = b.let('tx', local.rem(MATMUL_TILE));
  const ty = b.let('ty', local.div(MATMUL_TILE));
  const group = b.let('group', b.linearIndex().div(TILE_ELEMENTS));
  const tilesAcross = b.let('tiles_across', N.add(MATMUL_TILE - 1).div(MATMUL_TILE));
  const row = b.let('row', group.div(tilesAcross).mul(MATMUL_TILE).add(ty));
  const col = b.let('col', group.rem(tilesAcross).mul(MATMUL_TILE).add(tx));
  const acc = b.let('acc', b.f32(0));

  b.loop('t', 0, K.add(MATMUL_TILE - 1).div(MATMUL_TILE), (t) => {
    const aCol = b.let('a_col', t.mul(MATMUL_TILE).add(tx));
    const bRow = b.let('b_row', t.mul(MATMUL_TILE).add(ty));
    // Both arms of a select are evaluated; an out-of-matrix index only picks the 0.
    tileA.store(local, b.select(row.lt(M).and(aCol.lt(K)), a.load(row.mul(K).add(aCol)), 0));
    tileB.store(local, b.select(bRow.lt(K).and(col.lt(N)), bm.load(bRow.mul(N).add(col)), 0));
    b.barrier();
    b.loop('k', b.u32(0), MATMUL_TILE, (k) => {
      acc.set(acc.add(tileA.load(ty.mul(MATMUL_TILE).add(k)).mul(tileB.load(k.mul(MATMUL_TILE).add(tx)))));
    });
    b.barrier();
  });

  b.if(row.lt(M).and(col.lt(N)), () => c.store(row.mul(N).add(col), acc));
  return { a, bm, c };
});

/**
 * Dispatch options of {@link matmul} for `C[M×N] = A[M×K] · B[K×N]`.
 * @returns `{ outputs: { c: M·N }, params: { M, N, K }, invocations: ceil(M/16) · ceil(N/16) · 256 }`.
 */
export function matmulOptions(M: number, N: number, K: number): LaunchOptions {
  const invocations = Math.ceil(M / MATMUL_TILE) * Math.ceil(N / MATMUL_TILE) * TILE_ELEMENTS;
  return { outputs: { c: M * N }, params: { M, N, K }, invocations };
}
