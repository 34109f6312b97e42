/**
 * saxpy: `y = alpha·x + y` over f32, the "hello world" of GPU kernels.
 */
import { program } from '../program/builder.ts';

/**
 * `y[i] = alpha · x[i] + y[i]` for every `i < x.length`.
 *
 * - Inputs: `x` (`read`, f32), `y` (`read-write`, f32; pass it, or it starts zero-filled
 *   and is sized like `x`).
 * - Outputs: `y`.
 * - Params: `alpha` (f32).
 * - Dispatch options: `{ params: { alpha } }`; the default grid covers `y`.
 * - Floats: exact. The product and the sum are separate operations, each rounded to
 *   f32 (`Math.fround(Math.fround(alpha * x) + y)`); the kernel does not use `fma`.
 *
 * Workgroup size 64; indexed by `linear-index`, so grids of any size fold.
 *
 * @example
 * ```ts
 * const { pipeline } = await runtime.compile(saxpy);
 * const { y } = await pipeline.dispatch({ x, y: y0 }, { params: { alpha: 2 } });
 * ```
 */
export const saxpy = program({ name: 'saxpy', workgroupSize: 64 }, (b) => {
  const x = b.buffer('x', 'f32', 'read');
  const y = b.buffer('y', 'f32', 'read-write', { sizing: { kind: 'same-as', buffer: 'x' } });
  const alpha = b.param('alpha', 'f32');
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(x.length()), () => y.store(i, alpha.mul(x.load(i)).add(y.load(i))));
  return { x, y };
});

/**
 * {@link saxpy} four elements per invocation: `x` and `y` are read and written as
 * `vec4<f32>`, so each invocation does one 16-byte load of each and one store.
 *
 * - Inputs: `x` (`read`), `y` (`read-write`): `Float32Array`s whose length is a multiple of
 *   4 (`invalid-input` otherwise; use {@link saxpy} for other lengths).
 * - Outputs: `y`. Params: `alpha` (f32), splatted into every component.
 * - Floats: exact, the same bits as {@link saxpy} (each component's product and sum are
 *   rounded on their own).
 */
export const saxpyX4 = program({ name: 'saxpy-x4', workgroupSize: 64 }, (b) => {
  const x = b.buffer('x', 'vec4<f32>', 'read');
  const y = b.buffer('y', 'vec4<f32>', 'read-write', { sizing: { kind: 'same-as', buffer: 'x' } });
  const alpha = b.splat('vec4<f32>', b.param('alpha', 'f32'));
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(x.length()), () => y.store(i, alpha.mul(x.load(i)).add(y.load(i))));
  return { x, y };
});
