/**
 * Typed expression values for the builder. Each operator method constrains `this`, so
 * an operator that does not exist for a type is a compile error, not a runtime one:
 * `bool.add(…)`, `f32.shl(…)`, `u32.neg()` and `vec4f.lt(…)` do not type-check.
 */
import { componentOf, isVectorType, widthOf, type BinaryOp, type Expr, type ScalarType, type UnaryOp, type ValueType, type VectorType } from '../protocol/ir.ts';

export type Numeric = 'u32' | 'i32' | 'f32';
export type Int = 'u32' | 'i32';
type Signed = 'i32' | 'f32';

/** Vectors of `C`: `vec2<C>` and `vec4<C>`. */
export type VectorOf<C extends Numeric> = `vec2<${C}>` | `vec4<${C}>`;
/** Numeric scalars and their vectors: what arithmetic takes, component-wise on vectors. */
export type NumericValue = Numeric | VectorType;
export type IntValue = Int | VectorOf<Int>;
type SignedValue = Signed | VectorOf<Signed>;
type FloatValue = 'f32' | VectorOf<'f32'>;
/** The component type of `T` (a scalar is its own). */
export type ComponentOf<T extends ValueType> = T extends `vec${number}<${infer C extends Numeric}>` ? C : T;
/** `T` with `C` components: a scalar for a scalar, the vector of the same width for a vector. */
export type Reshaped<T extends ValueType, C extends Numeric> = T extends `vec2<${string}>` ? `vec2<${C}>` : T extends `vec4<${string}>` ? `vec4<${C}>` : C;

/**
 * A value of type `T`, or a plain number (for `bool`, a boolean) taken as a literal of type
 * `T`; for a vector type, a number is splatted into every component.
 */
export type Operand<T extends ValueType> = Value<T> | (T extends 'bool' ? boolean : number);

/**
 * A typed expression of the builder: arithmetic, comparisons, casts and math return new
 * values, so `f32.add(u32)` does not compile. Pure recording; nothing runs until a dispatch.
 * Vector values (`vec4<f32>` …) take the arithmetic, bitwise and math methods component by
 * component, and add {@link Value.component}, `x()`…`w()` and {@link Value.dot}.
 */
export class Value<T extends ValueType> {
  constructor(
    readonly expr: Expr,
    readonly type: T,
  ) {}

  add<U extends NumericValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('add', other); }
  sub<U extends NumericValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('sub', other); }
  mul<U extends NumericValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('mul', other); }
  div<U extends NumericValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('div', other); }
  rem<U extends NumericValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('rem', other); }
  min<U extends NumericValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('min', other); }
  max<U extends NumericValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('max', other); }
  mulHigh<U extends IntValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('mul-high', other); }
  /** `|a − b|` exactly, as u32 (component-wise for vectors: the u32 vector). */
  absDiff<U extends IntValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<Reshaped<U, 'u32'>> {
    const type = reshape(this.type, 'u32') as Reshaped<U, 'u32'>;
    return new Value({ kind: 'binary', op: 'abs-diff', left: this.expr, right: lift(other, this.type).expr }, type);
  }
  bitAnd<U extends IntValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('bit-and', other); }
  bitOr<U extends IntValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('bit-or', other); }
  bitXor<U extends IntValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('bit-xor', other); }
  shl<U extends IntValue>(this: Value<U>, amount: Operand<NoInfer<Reshaped<U, 'u32'>>>): Value<U> { return this.shift('shl', amount); }
  shr<U extends IntValue>(this: Value<U>, amount: Operand<NoInfer<Reshaped<U, 'u32'>>>): Value<U> { return this.shift('shr', amount); }
  rotl<U extends IntValue>(this: Value<U>, amount: Operand<NoInfer<Reshaped<U, 'u32'>>>): Value<U> { return this.shift('rotl', amount); }
  rotr<U extends IntValue>(this: Value<U>, amount: Operand<NoInfer<Reshaped<U, 'u32'>>>): Value<U> { return this.shift('rotr', amount); }
  pow<U extends FloatValue>(this: Value<U>, other: Operand<NoInfer<U>>): Value<U> { return this.binary('pow', other); }

  eq<U extends ScalarType>(this: Value<U>, other: Operand<NoInfer<U>>): Value<'bool'> { return this.compare('eq', other); }
  ne<U extends ScalarType>(this: Value<U>, other: Operand<NoInfer<U>>): Value<'bool'> { return this.compare('ne', other); }
  lt<U extends Numeric>(this: Value<U>, other: Operand<NoInfer<U>>): Value<'bool'> { return this.compare('lt', other); }
  le<U extends Numeric>(this: Value<U>, other: Operand<NoInfer<U>>): Value<'bool'> { return this.compare('le', other); }
  gt<U extends Numeric>(this: Value<U>, other: Operand<NoInfer<U>>): Value<'bool'> { return this.compare('gt', other); }
  ge<U extends Numeric>(this: Value<U>, other: Operand<NoInfer<U>>): Value<'bool'> { return this.compare('ge', other); }
  and(this: Value<'bool'>, other: Operand<'bool'>): Value<'bool'> { return this.binary('and', other); }
  or(this: Value<'bool'>, other: Operand<'bool'>): Value<'bool'> { return this.binary('or', other); }
  not(this: Value<'bool'>): Value<'bool'> { return this.unary('not'); }

  neg<U extends SignedValue>(this: Value<U>): Value<U> { return this.unary('neg'); }
  abs<U extends NumericValue>(this: Value<U>): Value<U> { return this.unary('abs'); }
  sign<U extends SignedValue>(this: Value<U>): Value<U> { return this.unary('sign'); }
  bitNot<U extends IntValue>(this: Value<U>): Value<U> { return this.unary('bit-not'); }
  popcount<U extends IntValue>(this: Value<U>): Value<U> { return this.unary('popcount'); }
  clz<U extends IntValue>(this: Value<U>): Value<U> { return this.unary('clz'); }
  ctz<U extends IntValue>(this: Value<U>): Value<U> { return this.unary('ctz'); }
  reverseBits<U extends IntValue>(this: Value<U>): Value<U> { return this.unary('reverse-bits'); }
  sqrt<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('sqrt'); }
  inverseSqrt<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('inverse-sqrt'); }
  exp<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('exp'); }
  exp2<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('exp2'); }
  log<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('log'); }
  log2<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('log2'); }
  sin<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('sin'); }
  cos<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('cos'); }
  tan<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('tan'); }
  tanh<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('tanh'); }
  floor<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('floor'); }
  ceil<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('ceil'); }
  round<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('round'); }
  trunc<U extends FloatValue>(this: Value<U>): Value<U> { return this.unary('trunc'); }

  /** Converts to `type` (see docs/semantics.md, "Casts"); a vector to the vector of the same width. */
  cast<U extends T extends VectorType ? Reshaped<T, Numeric> : ScalarType>(type: U): Value<U> {
    return new Value({ kind: 'cast', type, value: this.expr }, type);
  }

  /** Component `index` (0 = x … 3 = w) of a vector. */
  component<U extends VectorType>(this: Value<U>, index: 0 | 1 | 2 | 3): Value<ComponentOf<U>> {
    return new Value({ kind: 'component', value: this.expr, index }, componentOf(this.type) as ComponentOf<U>);
  }
  x<U extends VectorType>(this: Value<U>): Value<ComponentOf<U>> { return this.component(0); }
  y<U extends VectorType>(this: Value<U>): Value<ComponentOf<U>> { return this.component(1); }
  z<U extends VectorOf<Numeric> & `vec4<${string}>`>(this: Value<U>): Value<ComponentOf<U>> { return this.component(2); }
  w<U extends VectorOf<Numeric> & `vec4<${string}>`>(this: Value<U>): Value<ComponentOf<U>> { return this.component(3); }

  /** Dot product (docs/semantics.md, "Vectors": fixed order, each step rounded under `exact`). */
  dot<U extends VectorType>(this: Value<U>, other: Operand<NoInfer<U>>): Value<ComponentOf<U>> {
    return new Value({ kind: 'dot', left: this.expr, right: lift(other, this.type).expr }, componentOf(this.type) as ComponentOf<U>);
  }

  private binary<U extends ValueType>(op: BinaryOp, other: Operand<U>): Value<U> {
    const type = this.type as ValueType as U;
    return new Value({ kind: 'binary', op, left: this.expr, right: lift(other, type).expr }, type);
  }

  private compare(op: BinaryOp, other: Operand<ValueType>): Value<'bool'> {
    return new Value({ kind: 'binary', op, left: this.expr, right: lift(other, this.type).expr }, 'bool');
  }

  private shift<U extends ValueType>(op: BinaryOp, amount: Operand<ValueType>): Value<U> {
    return new Value({ kind: 'binary', op, left: this.expr, right: lift(amount, reshape(this.type, 'u32')).expr }, this.type as ValueType as U);
  }

  private unary<U extends ValueType>(op: UnaryOp): Value<U> {
    return new Value({ kind: 'unary', op, value: this.expr }, this.type as ValueType as U);
  }
}

/** `type` with `component` components, keeping its width. */
function reshape(type: ValueType, component: Numeric): ValueType {
  const width = widthOf(type);
  return width === 1 ? component : `vec${width}<${component}>`;
}

/**
 * Turns a plain number or boolean into a literal of `type` (for a vector type, the literal
 * of its component type splatted); values pass through.
 */
export function lift<T extends ValueType>(value: Value<T> | number | boolean, type: T): Value<T> {
  if (value instanceof Value) return value;
  if (!isVectorType(type)) return new Value({ kind: 'literal', type, value }, type);
  return new Value({ kind: 'splat', type, value: { kind: 'literal', type: componentOf(type), value } }, type);
}
