/**
 * Element-wise maps: `y[i] = f(x[i])`, built from a callback that writes `f` with the builder.
 */
import { program, type ProgramBuilder, type Value } from '../program/builder.ts';
import type { ValueType } from '../protocol/ir.ts';

/** How {@link mapKernel} builds `f(x[i])`: any builder expression of the element's type. */
export type MapFunction<T extends ValueType> = (b: ProgramBuilder, value: Value<T>) => Value<T>;

/**
 * Builds an element-wise kernel `y[i] = f(x[i])` for every `i < x.length`.
 *
 * - Inputs: `x` (`read`, `type`).
 * - Outputs: `y` (`output`, `type`), as long as `x`.
 * - Params: none, unless `f` declares some with `b.param` (pass them in `options.params`).
 * - Dispatch options: none needed; the default grid covers `y`.
 * - Floats: whatever `f`'s operations allow (docs/semantics.md, "Floats and tolerances").
 *
 * Workgroup size 64; indexed by `linear-index`, so grids of any size fold. With a vector
 * `type` (`'vec4<f32>'`) each invocation maps one vector: the host arrays stay flat and
 * their length must be a multiple of the width; `f` works component-wise. This is the fast
 * form for element-wise work (one 16-byte load and store per invocation).
 *
 * @param name - the program's name (used in GPU labels).
 * @param type - element type of `x` and `y`, a scalar or a vector type.
 * @param f - called once, while the program is built, with the loaded element `x[i]`.
 * @returns a validated IR program.
 * @throws VyreError `invalid-program` when `f` builds something invalid.
 * @example
 * ```ts
 * const halve = mapKernel('halve', 'f32', (_b, v) => v.mul(0.5));
 * ```
 */
export function mapKernel<T extends ValueType>(name: string, type: T, f: MapFunction<T>) {
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

/**
 * ReLU four elements per invocation: `y = max(x, 0)` over f32, with `x` and `y` read and
 * written as `vec4<f32>`. Inputs `x` (a `Float32Array` whose length is a multiple of 4);
 * output `y` (f32, as long as `x`); no params or options. Exact, like {@link reluF32},
 * and the same results; faster on every GPU measured (docs/benchmarks.md, "The kernels suite").
 */
export const reluF32x4 = mapKernel('relu-f32x4', 'vec4<f32>', (_b, v) => v.max(0));

/**
 * {@link mapKernel} four elements per invocation over scalar buffers of any length: each
 * invocation reads `x[4v … 4v+3]` as one `vec4` (`loadVector`), applies `f` to it and writes
 * the four results (`storeVector`); a tail shorter than 4 reads zeros past the end and its
 * extra results are dropped (docs/semantics.md, "Vectors of scalar buffers"). The host
 * arrays are plain `Float32Array`s (or `Int32Array`, `Uint32Array`) of any length, where a
 * `vec4` buffer (`reluF32x4`) needs a multiple of 4.
 *
 * - Inputs: `x` (`read`, `type`). Outputs: `y` (`output`, `type`), as long as `x`.
 * - Dispatch options: {@link loads4Options}`(n)` (without them the default grid launches
 *   one invocation per element, and the three in four past `ceil(n/4)` do nothing).
 * - Floats: whatever `f`'s operations allow, component by component.
 */
export function mapKernelLoads4<C extends 'f32' | 'i32' | 'u32'>(name: string, type: C, f: MapFunction<`vec4<${C}>`>) {
  return program({ name, workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', type, 'read');
    const y = b.buffer('y', type, 'output', { sizing: { kind: 'same-as', buffer: 'x' } });
    const v = b.let('v', b.linearIndex());
    b.if(v.lt(x.length().add(3).div(4)), () => y.storeVector(4, v, f(b, x.loadVector(4, v))));
    return { x, y };
  });
}

/** Dispatch options of a {@link mapKernelLoads4} kernel over `n` elements: `{ invocations: ceil(n / 4) }`. */
export function loads4Options(n: number): { readonly invocations: number } {
  return { invocations: Math.max(1, Math.ceil(n / 4)) };
}

/**
 * ReLU over an f32 array of any length, four elements per invocation through vector loads of
 * the scalar buffer ({@link mapKernelLoads4}). The same inputs, outputs and results as
 * {@link reluF32}; options {@link loads4Options}`(n)`.
 */
export const reluF32Loads4 = mapKernelLoads4('relu-f32-loads4', 'f32', (_b, v) => v.max(0));
