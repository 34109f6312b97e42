/**
 * What the fuzz generators (scalar, generate.ts; vector, generate-vector.ts) share: the
 * operators they draw from, which are exactly those whose results the fuzzer can compare
 * bit for bit, and small constructors for IR nodes and literals.
 */
import type { BinaryOp, Expr, ScalarType, UnaryOp } from '../../src/protocol/ir.ts';
import type { Random } from './random.ts';

export const INT_BINARY: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'rem', 'min', 'max', 'mul-high', 'bit-and', 'bit-or', 'bit-xor'];
export const SHIFTS: readonly BinaryOp[] = ['shl', 'shr', 'rotl', 'rotr'];
export const INT_UNARY: readonly UnaryOp[] = ['bit-not', 'popcount', 'clz', 'ctz', 'reverse-bits', 'abs'];
/** i32 also takes these (u32 has no sign). */
export const SIGNED_UNARY: readonly UnaryOp[] = [...INT_UNARY, 'neg', 'sign'];
/**
 * Only correctly rounded f32 operators: WGSL allows approximate division and
 * transcendentals, whose comparison needs per-operation tolerances that the kernel tests
 * state instead (docs/semantics.md, "Floats and tolerances").
 */
export const FLOAT_BINARY: readonly BinaryOp[] = ['add', 'sub', 'mul', 'min', 'max'];
export const FLOAT_UNARY: readonly UnaryOp[] = ['neg', 'abs', 'floor', 'ceil', 'trunc', 'round', 'sign'];
export const COMPARISONS: readonly BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];

export function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right };
}

export function literal(type: ScalarType, value: number | boolean): Expr {
  return { kind: 'literal', type, value };
}

/** The invocation's own element: the local `i` every generated program declares first. */
export const OWN_INDEX: Expr = { kind: 'var', name: 'i' };

export function randomLiteral(random: Random, type: ScalarType): number | boolean {
  switch (type) {
    case 'bool':
      return random.chance(0.5);
    case 'u32':
      return random.pick([0, 1, 2, 3, 31, 32, 33, 255, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, random.nextU32(), random.below(100)]);
    case 'i32':
      return random.pick([0, 1, -1, 2, -2, 31, 0x7fffffff, -0x80000000, random.nextU32() | 0, random.between(-100, 100)]);
    case 'f32':
      return randomDyadic(random);
  }
}

/**
 * k / 8 with |k| < 2¹⁰: exact in f32, and small products stay exact too. Every f32 the
 * fuzzer feeds a program (literals, inputs, params) is one of these; `fma` takes only such
 * values, so a·b + c is exact and fused or not gives the same bits.
 */
export function randomDyadic(random: Random): number {
  return random.between(-1023, 1023) / 8;
}
