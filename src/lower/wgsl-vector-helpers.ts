/**
 * WGSL helpers for vector operands, generated from the scalar ones.
 *
 * Where a scalar operation lowers to a helper function (checked division, rem, rotates,
 * mul-high, abs-diff, saturating casts, the opaque wrappers), its vector form applies
 * that very helper to each component: the semantics say a vector operator is its scalar
 * rule per component (docs/semantics.md, "Vectors"), and calling the scalar helper is the
 * one way that cannot drift from it. Being a function, the vector helper also evaluates
 * each operand once, however many components read it.
 *
 * The exact f32 product has a vector form of its own (see {@link exactProductHelper}), and
 * `dot` has helpers of its own: the semantics fix its order of summation
 * (`((x + y) + z) + w`), which WGSL's builtin `dot` does not promise.
 */
import { invariant } from '../errors.ts';
import { componentOf, type VectorType, type VectorWidth } from '../protocol/ir.ts';

const COMPONENTS = ['x', 'y', 'z', 'w'] as const;

/** The sum of the products `p` in the semantics' order; the parentheses are that order. */
const DOT_SUM: Record<VectorWidth, string> = { 2: 'p.x + p.y', 4: '((p.x + p.y) + p.z) + p.w' };

/** The width of a vector type, typed as a vector's (`widthOf` also answers 1 for scalars). */
export function vectorWidth(type: VectorType): VectorWidth {
  return type.startsWith('vec2') ? 2 : 4;
}

/**
 * The name of the vector form of scalar helper `scalarName`: its trailing component type
 * `T` becomes `vecN_T` (`vyre_div_i32` → `vyre_div_vec4_i32`, `vyre_f32_to_u32` →
 * `vyre_f32_to_vec2_u32`).
 */
export function vectorHelperName(scalarName: string, width: VectorWidth): string {
  const match = /^(\w+)_(u32|i32|f32)$/.exec(scalarName);
  invariant(match, `helper ${scalarName} ends with its component type`);
  return `${match[1]}_vec${width}_${match[2]}`;
}

/** A generated helper: its name, its WGSL, the fixed helpers it calls, and whether it takes the run-time 1.0 `one`. */
export interface GeneratedHelper {
  readonly name: string;
  readonly code: string;
  readonly calls: readonly string[];
  readonly takesOne: boolean;
}

/** One parameter of a scalar helper's signature. */
interface Parameter {
  readonly name: string;
  readonly type: string;
}

/**
 * The signature of a scalar helper, read from its WGSL text. The scalar helpers are
 * fixed strings of this module's own, so reading them back is safe; it keeps one source
 * of truth for each helper's parameters instead of a second table beside it.
 */
function signatureOf(scalarName: string, scalarCode: string): { readonly parameters: readonly Parameter[]; readonly result: string } {
  const match = /^fn (\w+)\(([^)]*)\) -> (\w+)/.exec(scalarCode);
  invariant(match && match[1] === scalarName && match[2] !== undefined && match[3] !== undefined, `helper ${scalarName} has a one-line signature`);
  const parameters = match[2].split(',').map((text) => {
    const [name, type] = text.split(':').map((part) => part.trim());
    invariant(name && type, `parameter "${text}" of ${scalarName} reads "name: type"`);
    return { name, type };
  });
  return { parameters, result: match[3] };
}

/**
 * The vector form of a scalar helper: each parameter becomes a vector of its type, except
 * `one` (the run-time 1.0 of exact f32 products), which every component shares; the
 * result is the vector of the scalar helper's result on each component. The exact f32
 * product (`vyre_mul_f32`) is the exception: it has a vector form of its own,
 * {@link exactProductHelper}.
 *
 * @example
 * ```ts
 * componentWiseHelper('vyre_div_i32', FIXED.vyre_div_i32, 2).code;
 * // fn vyre_div_vec2_i32(a: vec2<i32>, b: vec2<i32>) -> vec2<i32> {
 * //   return vec2<i32>(vyre_div_i32(a.x, b.x), vyre_div_i32(a.y, b.y));
 * // }
 * ```
 */
export function componentWiseHelper(scalarName: string, scalarCode: string, width: VectorWidth): GeneratedHelper {
  if (scalarName === 'vyre_mul_f32') return exactProductHelper(width);
  if (scalarName === 'vyre_keep_f32') return keepVectorHelper(width);
  if (scalarName.startsWith('vyre_opaque_')) return opaqueVectorHelper(scalarName, width);
  const { parameters, result } = signatureOf(scalarName, scalarCode);
  const name = vectorHelperName(scalarName, width);
  const shared = (parameter: Parameter): boolean => parameter.name === 'one';
  const declared = parameters.map((parameter) => `${parameter.name}: ${shared(parameter) ? parameter.type : `vec${width}<${parameter.type}>`}`);
  const calls = COMPONENTS.slice(0, width).map((component) => {
    const args = parameters.map((parameter) => (shared(parameter) ? parameter.name : `${parameter.name}.${component}`));
    return `${scalarName}(${args.join(', ')})`;
  });
  const code = `fn ${name}(${declared.join(', ')}) -> vec${width}<${result}> {
  return vec${width}<${result}>(${calls.join(', ')});
}`;
  return { name, code, calls: [scalarName], takesOne: parameters.some(shared) };
}

/**
 * The vector form of an opaque wrapper: the identity on the whole vector, not a vector of
 * scalar identities. Both hide a vector of literals from WGSL constant evaluation, but
 * Chrome's SwiftShader miscompiled the component-wise form: `opaque(vec4<i32>(0)) ^
 * vec4<i32>(7)` (and `|`) gave zeros on 2026-11-30 (Chromium 156; fuzz seed 10096), while
 * this form, and `+`, `-`, `&`, `<<` of either, gave the right values.
 */
function opaqueVectorHelper(scalarName: string, width: VectorWidth): GeneratedHelper {
  const name = vectorHelperName(scalarName, width);
  const type = `vec${width}<${componentOfHelper(scalarName)}>`;
  return { name, code: `fn ${name}(x: ${type}) -> ${type} { return x; }`, calls: [], takesOne: false };
}

/** The component type that a scalar helper's name ends with (`vyre_opaque_i32` → `i32`). */
function componentOfHelper(scalarName: string): string {
  const match = /_(u32|i32|f32|bool)$/.exec(scalarName);
  invariant(match?.[1], `helper ${scalarName} ends with its component type`);
  return match[1];
}

/**
 * The f32 vector product with each component rounded on its own, never fused into a
 * following addition (docs/semantics.md, "Contraction"), for the `exact` float policy.
 *
 * The scalar helper's barrier, a product multiplied by a run-time 1.0, does not hold for
 * a sum of two products: on an H200 through Dawn (Vulkan), `a·b + c·d` with both
 * products written as `(a * b) * one` came out up to 39 ULP from the twice-rounded sum,
 * in scalars and in vectors alike, and a `dot` built on it up to 3 ULP; the compiler
 * evidently saw through the multiplication by `one`. Here the product's bits pass through an XOR
 * with a run-time zero (`one`'s bits XOR those of 1.0): no compiler can drop it without
 * knowing that value, so the product must be rounded to f32 bits first. On that GPU this
 * form gave the interpreter's results bit for bit, dot included.
 */
export function exactProductHelper(width: VectorWidth): GeneratedHelper {
  const name = `vyre_mul_vec${width}_f32`;
  const code = `fn ${name}(a: vec${width}<f32>, b: vec${width}<f32>, one: f32) -> vec${width}<f32> {
  let zero = vec${width}<u32>(bitcast<u32>(one) ^ 0x3f800000u);
  return bitcast<vec${width}<f32>>(bitcast<vec${width}<u32>>(a * b) ^ zero);
}`;
  return { name, code, calls: [], takesOne: true };
}

/** The vector form of `vyre_keep_f32`: the whole vector's bits through one XOR, like the product's. */
function keepVectorHelper(width: VectorWidth): GeneratedHelper {
  const name = `vyre_keep_vec${width}_f32`;
  const code = `fn ${name}(x: vec${width}<f32>, one: f32) -> vec${width}<f32> {
  return bitcast<vec${width}<f32>>(bitcast<vec${width}<u32>>(x) ^ vec${width}<u32>(bitcast<u32>(one) ^ 0x3f800000u));
}`;
  return { name, code, calls: [], takesOne: true };
}

/**
 * The helper for `dot` of two vectors of `type`, summing the component products in the
 * order the semantics fix. `exactProduct` names the vector helper that rounds each f32
 * product on its own (`vyre_mul_vecN_f32`, taking `one`); integer products are WGSL's
 * `*`, which wraps, as do the sums.
 */
export function dotHelper(type: VectorType, exactProduct: string | undefined): GeneratedHelper {
  const component = componentOf(type);
  const width = vectorWidth(type);
  const name = `vyre_dot_vec${width}_${component}`;
  const product = exactProduct === undefined ? 'a * b' : `${exactProduct}(a, b, one)`;
  const parameters = `a: ${type}, b: ${type}${exactProduct === undefined ? '' : ', one: f32'}`;
  const code = `fn ${name}(${parameters}) -> ${component} {
  let p = ${product};
  return ${DOT_SUM[width]};
}`;
  // The exact product it calls is a vector helper, which the caller registers.
  return { name, code, calls: [], takesOne: exactProduct !== undefined };
}
