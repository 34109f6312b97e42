/**
 * Mandelbrot escape-time iteration counts: a float loop with an early exit per pixel.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/** The view of {@link mandelbrot}: image size, iteration cap, and the plane coordinates. */
export interface MandelbrotView {
  readonly width: number;
  readonly height: number;
  readonly maxIterations: number;
  /** Real part at pixel column 0. */
  readonly x0: number;
  /** Imaginary part at pixel row 0. */
  readonly y0: number;
  /** Plane units per pixel, on both axes. */
  readonly step: number;
}

/**
 * Escape-time counts: for pixel `p = py·width + px` (`p < width·height`), with
 * `c = (x0 + px·step, y0 + py·step)` and `z₀ = 0`, `iterations[p]` is the number of
 * updates `z ← z² + c` done before `|z|² > 4`, at most `maxIterations`.
 *
 * - Inputs: none.
 * - Outputs: `iterations` (`output`, u32, `width · height` elements).
 * - Params: `width`, `height`, `maxIterations` (u32); `x0`, `y0`, `step` (f32).
 * - Dispatch options (required): {@link mandelbrotOptions}`(view)` =
 *   `{ outputs: { iterations: width · height }, params: view }`.
 * - Floats: each iteration computes `x2 = zx·zx`, `y2 = zy·zy`, tests `x2 + y2 > 4`, then
 *   `zy ← (2·zx)·zy + cy` and `zx ← (x2 − y2) + cx`, each operation rounded to f32. That is
 *   exact under docs/semantics.md, so the GPU and the interpreter should agree on every
 *   pixel (they do on SwiftShader). The stated tolerance leaves room for a GPU that
 *   contracts `a·b + c` into one fused operation: near the set's boundary the orbit is
 *   chaotic and one ULP can change a pixel's escape count by any amount, so the bound is
 *   on the share of pixels, not on the counts — **at least
 *   {@link MANDELBROT_MIN_IDENTICAL} (99%) of the pixels identical**.
 */
export const mandelbrot = program({ name: 'mandelbrot', workgroupSize: 64 }, (b) => {
  const iterations = b.buffer('iterations', 'u32', 'output');
  const width = b.param('width', 'u32');
  const height = b.param('height', 'u32');
  const maxIterations = b.param('maxIterations', 'u32');
  const x0 = b.param('x0', 'f32');
  const y0 = b.param('y0', 'f32');
  const step = b.param('step', 'f32');
  const p = b.let('p', b.linearIndex());
  b.if(p.lt(width.mul(height)), () => {
    const cx = b.let('cx', x0.add(p.rem(width).cast('f32').mul(step)));
    const cy = b.let('cy', y0.add(p.div(width).cast('f32').mul(step)));
    const zx = b.let('zx', b.f32(0));
    const zy = b.let('zy', b.f32(0));
    const count = b.let('count', b.u32(0));
    b.loop('n', 0, maxIterations, () => {
      const x2 = b.let('x2', zx.mul(zx));
      const y2 = b.let('y2', zy.mul(zy));
      b.if(x2.add(y2).gt(4), () => b.break());
      zy.set(zx.mul(2).mul(zy).add(cy));
      zx.set(x2.sub(y2).add(cx));
      count.set(count.add(1));
    });
    iterations.store(p, count);
  });
  return { iterations };
});

/** The share of pixels on which two implementations of {@link mandelbrot} must agree exactly: its float tolerance. */
export const MANDELBROT_MIN_IDENTICAL = 0.99;

/**
 * Dispatch options of {@link mandelbrot} for `view`.
 * @returns `{ outputs: { iterations: width · height }, params: { …view } }`.
 */
export function mandelbrotOptions(view: MandelbrotView): LaunchOptions {
  const { width, height, maxIterations, x0, y0, step } = view;
  return { outputs: { iterations: width * height }, params: { width, height, maxIterations, x0, y0, step } };
}
