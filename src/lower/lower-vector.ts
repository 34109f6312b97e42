/**
 * Lowering of the expressions that only vectors have: building one (`vector`, `splat`),
 * taking one apart (`component`) and `dot`. Operators that scalars share (unary, binary,
 * cast, select, fma) stay in lower-expr.ts, which lowers a vector operand through the
 * component-wise form of the scalar's helper where there is one.
 *
 * Each function takes its operands already lowered, in evaluation order.
 */
import { invariant } from '../errors.ts';
import { componentOf, isVectorType, type VectorType } from '../protocol/ir.ts';
import { RUNTIME_ONE_F32, runtime, type ExprContext, type Lowered } from './lower-context.ts';

const COMPONENT_NAMES = ['x', 'y', 'z', 'w'] as const;

/**
 * `vecN<T>(c0, …)`: WGSL evaluates a constructor's arguments left to right, the order the
 * semantics give. Constant when every component is: WGSL then builds it at shader
 * creation, which is harmless for a constructor, but an operator applied to it must see
 * it as constant too (see `runtime`).
 */
export function lowerVector(type: VectorType, components: readonly Lowered[]): Lowered {
  return {
    code: `${type}(${components.map((component) => component.code).join(', ')})`,
    type,
    constant: components.every((component) => component.constant),
  };
}

/** `vecN<T>(s)`: WGSL's splat constructor evaluates `s` once. */
export function lowerSplat(type: VectorType, value: Lowered): Lowered {
  return { code: `${type}(${value.code})`, type, constant: value.constant };
}

/** `(v).x` … `(v).w`; the parentheses keep any vector expression a primary one. */
export function lowerComponent(value: Lowered, index: number): Lowered {
  const name = COMPONENT_NAMES[index];
  invariant(name !== undefined && isVectorType(value.type), `component ${index} of a ${value.type}`);
  return { code: `(${value.code}).${name}`, type: componentOf(value.type), constant: value.constant };
}

/**
 * `dot(a, b)` as the semantics define it (docs/semantics.md, "Vectors"). On integers and
 * on f32 under `exact`, a helper sums the products in the fixed order
 * `((x + y) + z) + w`; under `exact` each f32 product is rounded on its own, like every
 * f32 `mul`, so the result is the interpreter's bit for bit. WGSL's builtin `dot` may
 * reorder and fuse: it is used for f32 under `fast` only, where the semantics allow that.
 * Integer products and sums wrap in any order, but the helper leaves no doubt about a
 * backend's integer `dot`.
 */
export function lowerDot(rawLeft: Lowered, rawRight: Lowered, context: ExprContext): Lowered {
  const [left, right] = runtime([rawLeft, rawRight], context);
  invariant(isVectorType(left.type), `dot of ${left.type}`);
  const component = componentOf(left.type);
  if (component === 'f32' && context.floats === 'fast') {
    return { code: `dot(${left.code}, ${right.code})`, type: component, constant: false };
  }
  const exact = component === 'f32';
  const helper = context.helpers.useDot(left.type, exact);
  const one = exact ? `, ${RUNTIME_ONE_F32}` : '';
  return { code: `${helper}(${left.code}, ${right.code}${one})`, type: component, constant: false };
}
