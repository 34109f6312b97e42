/**
 * Lowering of whole-vector access to scalar buffers, `load-vector` and `store-vector`
 * (docs/semantics.md, "Vectors"): one helper per buffer and width, defined on first use.
 *
 * A helper takes the vector index `v` and the buffer's length `n` in elements:
 * - `v < n / width`: the whole vector is in bounds, and the components are read or written
 *   with plain indexing at `width·v + k`. The binding offset is 256-byte aligned and the
 *   index a multiple of the width, so a shader compiler may merge them into one 8- or
 *   16-byte access, as it would for an array of vectors;
 * - `v == n / width`: the vector that straddles the end when n is not a multiple of the
 *   width; its components below `n − width·v` are read or written one by one;
 * - any larger `v`: every component is past the end (reads the zero vector, writes nothing).
 * Comparing `v` with `n / width`, rather than `width·v + k` with `n`, is what keeps the
 * index exact: `width·v` wraps for a `v` of 2³²/width or more, but it is only used where
 * `v ≤ n / width`, so where it is at most n. The interpreter computes the same exact index.
 */
import { invariant } from '../errors.ts';
import { isVectorType, type ComponentType, type IrBuffer, type VectorType, type VectorWidth } from '../protocol/ir.ts';
import { lengthCode, wgslName, type ExprContext, type Lowered } from './lower-context.ts';

const COMPONENTS = ['x', 'y', 'z', 'w'] as const;

/** The names and text the load and store helpers of one buffer and width share. */
interface AccessParts {
  /** The WGSL array: `b_<name>` or `w_<name>`. */
  readonly array: string;
  /** `vec{width}<T>`. */
  readonly type: VectorType;
  /** The components the helper touches, x first. */
  readonly components: readonly (typeof COMPONENTS)[number][];
  /** The preamble: the length `n` and the first element `i = width·v`. */
  readonly prelude: string;
  readonly width: VectorWidth;
}

function accessParts(buffer: IrBuffer, width: VectorWidth, context: ExprContext): AccessParts {
  // The validator refuses these; an atomic buffer's accesses would have to be atomicLoad/atomicStore.
  invariant(!context.atomicBuffers.has(buffer.name), `a vector access of the atomic buffer ${buffer.name}`);
  return {
    array: wgslName.buffer(buffer),
    type: `vec${width}<${componentOfScalarBuffer(buffer)}>`,
    components: COMPONENTS.slice(0, width),
    prelude: `  let n = ${lengthCode(buffer)};\n  let i = v * ${width}u;`,
    width,
  };
}

/** The scalar type of `buffer`'s elements; the validator refuses vector and bool buffers. */
function componentOfScalarBuffer(buffer: IrBuffer): ComponentType {
  const { type } = buffer;
  invariant(!isVectorType(type) && type !== 'bool', `a vector access of the ${type} buffer ${buffer.name}`);
  return type;
}

/** `array[i + k]`, plain indexing (`array[i]` for k = 0). */
function element(array: string, k: number): string {
  return k === 0 ? `${array}[i]` : `${array}[i + ${k}u]`;
}

/** `load-vector` of `buffer` at the lowered vector index `index`: a call of its helper. */
export function lowerLoadVector(buffer: IrBuffer, width: VectorWidth, index: Lowered, context: ExprContext): Lowered {
  const parts = accessParts(buffer, width, context);
  return { code: `${loadVectorHelper(parts, context)}(${index.code})`, type: parts.type, constant: false };
}

/** `store-vector` of `value` into `buffer` at the lowered vector index `index`: a call of its helper, as a statement without its `;`. */
export function lowerStoreVector(buffer: IrBuffer, width: VectorWidth, index: Lowered, value: Lowered, context: ExprContext): string {
  return `${storeVectorHelper(accessParts(buffer, width, context), context)}(${index.code}, ${value.code})`;
}

/**
 * Name of the helper that reads vector `v` of a buffer as `vec{width}<T>`, defining it on
 * first use (one per buffer and width).
 *
 * @example
 * ```wgsl
 * fn vyre_load4_b_x(v: u32) -> vec4<f32> {
 *   let n = arrayLength(&b_x);
 *   let i = v * 4u;
 *   if (v < n / 4u) { return vec4<f32>(b_x[i], b_x[i + 1u], b_x[i + 2u], b_x[i + 3u]); }
 *   var r = vec4<f32>();
 *   if (v == n / 4u) {
 *     let tail = n - i;
 *     if (tail > 0u) { r.x = b_x[i]; }
 *     if (tail > 1u) { r.y = b_x[i + 1u]; }
 *     if (tail > 2u) { r.z = b_x[i + 2u]; }
 *   }
 *   return r;
 * }
 * ```
 */
function loadVectorHelper({ array, type, components, prelude, width }: AccessParts, context: ExprContext): string {
  const name = `vyre_load${width}_${array}`;
  const whole = components.map((_, k) => element(array, k)).join(', ');
  // The straddling vector has at most width − 1 components in bounds.
  const tail = components.slice(0, -1).map((component, k) => `    if (tail > ${k}u) { r.${component} = ${element(array, k)}; }`);
  return context.helpers.define(name, `fn ${name}(v: u32) -> ${type} {
${prelude}
  if (v < n / ${width}u) { return ${type}(${whole}); }
  var r = ${type}();
  if (v == n / ${width}u) {
    let tail = n - i;
${tail.join('\n')}
  }
  return r;
}`);
}

/**
 * Name of the helper that writes `value` (a `vec{width}<T>`) to vector `v` of a buffer,
 * defining it on first use (one per buffer and width).
 */
function storeVectorHelper({ array, type, components, prelude, width }: AccessParts, context: ExprContext): string {
  const name = `vyre_store${width}_${array}`;
  const whole = components.map((component, k) => `    ${element(array, k)} = value.${component};`);
  const tail = components.slice(0, -1).map((component, k) => `    if (tail > ${k}u) { ${element(array, k)} = value.${component}; }`);
  return context.helpers.define(name, `fn ${name}(v: u32, value: ${type}) {
${prelude}
  if (v < n / ${width}u) {
${whole.join('\n')}
  } else if (v == n / ${width}u) {
    let tail = n - i;
${tail.join('\n')}
  }
}`);
}
