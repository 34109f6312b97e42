/**
 * Typed expression values for the builder. Each operator method constrains `this`, so
 * an operator that does not exist for a type is a compile error, not a runtime one:
 * `bool.add(…)`, `f32.shl(…)` and `u32.neg()` do not type-check.
 */
import type { BinaryOp, Expr, ScalarType, UnaryOp } from '../protocol/ir.ts';

export type Numeric = 'u32' | 'i32' | 'f32';
export type Int = 'u32' | 'i32';
type Signed = 'i32' | 'f32';

/** A value of type `T`, or a plain number (for `bool`, a boolean) taken as a literal of type `T`. */
export type Operand<T extends ScalarType> = Value<T> | (T extends 'bool' ? boolean : number);

/**
 * A typed expression of the builder: arithmetic, comparisons, casts and math return new
 * values, so `f32.add(u32)` does not compile. Pure recording; nothing runs until a dispatch.
 */
export class Value<T extends ScalarType> {
  constructor(
    readonly expr: Expr,
    readonly type: T,
  ) {}

  add<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('add', other); }
  sub<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('sub', other); }
  mul<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('mul', other); }
  div<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('div', other); }
  rem<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('rem', other); }
  min<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('min', other); }
  max<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('max', other); }
  mulHigh<U extends Int>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('mul-high', other); }
  absDiff<U extends Int>(this: Value<U>, other: Operand<U>): Value<'u32'> {
    return new Value({ kind: 'binary', op: 'abs-diff', left: this.expr, right: lift(other, this.type).expr }, 'u32');
  }
  bitAnd<U extends Int>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('bit-and', other); }
  bitOr<U extends Int>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('bit-or', other); }
  bitXor<U extends Int>(this: Value<U>, other: Operand<U>): Value<U> { return this.binary('bit-xor', other); }
  shl<U extends Int>(this: Value<U>, amount: Operand<'u32'>): Value<U> { return this.shift('shl', amount); }
  shr<U extends Int>(this: Value<U>, amount: Operand<'u32'>): Value<U> { return this.shift('shr', amount); }
  rotl<U extends Int>(this: Value<U>, amount: Operand<'u32'>): Value<U> { return this.shift('rotl', amount); }
  rotr<U extends Int>(this: Value<U>, amount: Operand<'u32'>): Value<U> { return this.shift('rotr', amount); }
  pow(this: Value<'f32'>, other: Operand<'f32'>): Value<'f32'> { return this.binary('pow', other); }

  eq(other: Operand<T>): Value<'bool'> { return this.compare('eq', other); }
  ne(other: Operand<T>): Value<'bool'> { return this.compare('ne', other); }
  lt<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<'bool'> { return this.compare('lt', other); }
  le<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<'bool'> { return this.compare('le', other); }
  gt<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<'bool'> { return this.compare('gt', other); }
  ge<U extends Numeric>(this: Value<U>, other: Operand<U>): Value<'bool'> { return this.compare('ge', other); }
  and(this: Value<'bool'>, other: Operand<'bool'>): Value<'bool'> { return this.binary('and', other); }
  or(this: Value<'bool'>, other: Operand<'bool'>): Value<'bool'> { return this.binary('or', other); }
  not(this: Value<'bool'>): Value<'bool'> { return this.unary('not'); }

  neg<U extends Signed>(this: Value<U>): Value<U> { return this.unary('neg'); }
  abs<U extends Numeric>(this: Value<U>): Value<U> { return this.unary('abs'); }
  sign<U extends Signed>(this: Value<U>): Value<U> { return this.unary('sign'); }
  bitNot<U extends Int>(this: Value<U>): Value<U> { return this.unary('bit-not'); }
  popcount<U extends Int>(this: Value<U>): Value<U> { return this.unary('popcount'); }
  clz<U extends Int>(this: Value<U>): Value<U> { return this.unary('clz'); }
  ctz<U extends Int>(this: Value<U>): Value<U> { return this.unary('ctz'); }
  reverseBits<U extends Int>(this: Value<U>): Value<U> { return this.unary('reverse-bits'); }
  sqrt(this: Value<'f32'>): Value<'f32'> { return this.unary('sqrt'); }
  inverseSqrt(this: Value<'f32'>): Value<'f32'> { return this.unary('inverse-sqrt'); }
  exp(this: Value<'f32'>): Value<'f32'> { return this.unary('exp'); }
  exp2(this: Value<'f32'>): Value<'f32'> { return this.unary('exp2'); }
  log(this: Value<'f32'>): Value<'f32'> { return this.unary('log'); }
  log2(this: Value<'f32'>): Value<'f32'> { return this.unary('log2'); }
  sin(this: Value<'f32'>): Value<'f32'> { return this.unary('sin'); }
  cos(this: Value<'f32'>): Value<'f32'> { return this.unary('cos'); }
  tan(this: Value<'f32'>): Value<'f32'> { return this.unary('tan'); }
  tanh(this: Value<'f32'>): Value<'f32'> { return this.unary('tanh'); }
  floor(this: Value<'f32'>): Value<'f32'> { return this.unary('floor'); }
  ceil(this: Value<'f32'>): Value<'f32'> { return this.unary('ceil'); }
  round(this: Value<'f32'>): Value<'f32'> { return this.unary('round'); }
  trunc(this: Value<'f32'>): Value<'f32'> { return this.unary('trunc'); }

  /** Converts to `type` (see docs/semantics.md, "Casts"). */
  cast<U extends ScalarType>(type: U): Value<U> {
    return new Value({ kind: 'cast', type, value: this.expr }, type);
  }

  private binary<U extends ScalarType>(op: BinaryOp, other: Operand<U>): Value<U> {
    const type = this.type as ScalarType as U;
    return new Value({ kind: 'binary', op, left: this.expr, right: lift(other, type).expr }, type);
  }

  private compare(op: BinaryOp, other: Operand<ScalarType>): Value<'bool'> {
    return new Value({ kind: 'binary', op, left: this.expr, right: lift(other, this.type).expr }, 'bool');
  }

  private shift<U extends ScalarType>(op: BinaryOp, amount: Operand<'u32'>): Value<U> {
    return new Value({ kind: 'binary', op, left: this.expr, right: lift(amount, 'u32').expr }, this.type as ScalarType as U);
  }

  private unary<U extends ScalarType>(op: UnaryOp): Value<U> {
    return new Value({ kind: 'unary', op, value: this.expr }, this.type as ScalarType as U);
  }
}

/** Turns a plain number or boolean into a literal of `type`; values pass through. */
export function lift<T extends ScalarType>(value: Value<T> | number | boolean, type: T): Value<T> {
  if (value instanceof Value) return value;
  return new Value({ kind: 'literal', type, value }, type);
}
