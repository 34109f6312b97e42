/**
 * Element-wise maps: `y[i] = f(x[i])`, built from a callback that writes `f` with the builder.
 */
import { program, type ProgramBuilder, type Value } from '../program/builder.ts';
import type { ScalarType } from '../protocol/ir.ts';

/** How {@link mapKernel} builds `f(x[i])`: any builder expression of the element's type. */
export type MapFunction<T extends ScalarType> = (b: ProgramBuilder, value: Value<T>) => Value<T>;

/**
 * Builds an element-wise kernel `y[i] = f(x[i])` for every `i < x.length`.
 *
 * - Inputs: `x` (`read`, `type`).
 * - Outputs: `y` (`output`, `type`), as long as `x`.
 * - Params: none, unless `f` declares some with `b.param` (pass them in `options.params`).
 * - Dispatch options: none needed; the default grid covers `y`.
 * - Floats: whatever `f`'s operations allow (docs/semantics.md, "Floats and tolerances").
 *
 * Workgroup size 64; indexed by `linear-index`, so grids of any size fold.
 *
 * @param name - the program's name (used in GPU labels).
 * @param type - element type of `x` and `y`.
 * @param f - called once, while the program is built, with the loaded element `x[i]`.
 * @returns a validated IR program.
 * @throws VyreError `invalid-program` when `f` builds something invalid.
 * @example
 * ```ts
 * const halve = mapKernel('halve', 'f32', (_b, v) => v.mul(0.5));
 * ```
 */
export function mapKernel<T extends ScalarType>(name: string, type: T, f: MapFunction<T>) {
  return program({ name, workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', type, 'read');
    const y = b.buffer('y', type, 'output', { sizing: { kind: 'same-as', buffer: 'x' } });
    const i = b.let('i', b.linearIndex());
    b.if(i.lt(x.length()), () => y.store(i, f(b, x.load(i))));
    return { x, y };
  });
}

/**
 * `y[i] = x[i] · x[i]` over u32, wrapping modulo 2³² (`Math.imul(x, x) >>> 0`).
 * Inputs `x` (u32); output `y` (u32, as long as `x`); no params or options. Exact.
 */
export const squareU32 = mapKernel('square-u32', 'u32', (_b, v) => v.mul(v));

/**
 * `y[i] = max(x[i], 0)` over f32 (ReLU). Inputs `x` (f32); output `y` (f32, as long as `x`);
 * no params or options. Exact, for inputs that are not NaN (`max` with NaN is not defined
 * on the GPU); `-0` may come back as `-0` or `+0`.
 */
export const reluF32 = mapKernel('relu-f32', 'f32', (_b, v) => v.max(0));
