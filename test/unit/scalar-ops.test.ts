/**
 * Scalar operators of the Program IR, one table row per rule of docs/semantics.md.
 *
 * Every expected value has a reason of its own: worked out by hand (the comment says how),
 * spelled as the f32 bit pattern of a known constant, or — for the integer operators —
 * recomputed with BigInt arithmetic, a method that shares nothing with the implementation.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { BINARY_OPS, SCALAR_TYPES, UNARY_OPS, type BinaryOp, type ScalarType, type UnaryOp } from '../../src/protocol/ir.ts';
import {
  binaryOpFor,
  binaryResultType,
  binaryRightType,
  castScalar,
  coerceScalar,
  evalBinary,
  evalUnary,
  fmaF32,
  selectScalar,
  unaryOpFor,
  unaryResultType,
  type Scalar,
} from '../../src/program/scalar-ops.ts';

const U32_MAX = 4294967295;
const I32_MAX = 2147483647;
const I32_MIN = -2147483648;
const F32_MAX = 3.4028234663852886e38; // 0x7f7fffff
const INF = Infinity;

/** The f32 with the given IEEE-754 bit pattern. */
function bits(pattern: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, pattern);
  return view.getFloat32(0);
}

type BinaryCase = readonly [op: BinaryOp, type: ScalarType, left: Scalar, right: Scalar, expected: Scalar];
type UnaryCase = readonly [op: UnaryOp, type: ScalarType, value: Scalar, expected: Scalar];

const BINARY_CASES: readonly BinaryCase[] = [
  // ---- u32: everything modulo 2³²
  ['add', 'u32', U32_MAX, 1, 0],
  ['add', 'u32', U32_MAX, U32_MAX, 4294967294],
  ['add', 'u32', 0x80000000, 0x80000000, 0],
  ['sub', 'u32', 0, 1, U32_MAX],
  ['sub', 'u32', 5, 3, 2],
  ['mul', 'u32', 0x10000, 0x10000, 0],
  ['mul', 'u32', U32_MAX, U32_MAX, 1], // (2³² − 1)² = 2⁶⁴ − 2³³ + 1
  ['mul', 'u32', 0xffff, 0xffff, 4294836225], // 65535² still fits
  ['mul', 'u32', 0x80000001, 2, 2],
  ['div', 'u32', 7, 2, 3],
  ['div', 'u32', 7, 0, 7], // x / 0 = x
  ['div', 'u32', 0, 0, 0],
  ['div', 'u32', U32_MAX, U32_MAX, 1],
  ['div', 'u32', U32_MAX, 2, 2147483647],
  ['rem', 'u32', 7, 2, 1],
  ['rem', 'u32', 7, 0, 0], // x % 0 = 0
  ['rem', 'u32', U32_MAX, 10, 5],
  ['min', 'u32', 0x80000000, 1, 1], // unsigned order
  ['max', 'u32', 1, U32_MAX, U32_MAX],
  ['abs-diff', 'u32', 3, 10, 7],
  ['abs-diff', 'u32', 0, U32_MAX, U32_MAX],
  ['mul-high', 'u32', U32_MAX, U32_MAX, 4294967294], // high word of 2⁶⁴ − 2³³ + 1
  ['mul-high', 'u32', 0x10000, 0x10000, 1],
  ['mul-high', 'u32', 0x80000000, 2, 1],
  ['mul-high', 'u32', 3, 5, 0],
  ['bit-and', 'u32', 0xf0f0f0f0, 0xff00ff00, 0xf000f000],
  ['bit-or', 'u32', 0xf0f0f0f0, 0xff00ff00, 0xfff0fff0],
  ['bit-xor', 'u32', 0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0],
  ['shl', 'u32', 1, 0, 1],
  ['shl', 'u32', 1, 31, 0x80000000],
  ['shl', 'u32', 1, 32, 1], // amount & 31
  ['shl', 'u32', 1, 33, 2],
  ['shl', 'u32', U32_MAX, 4, 0xfffffff0],
  ['shr', 'u32', 0x80000000, 0, 0x80000000],
  ['shr', 'u32', 0x80000000, 31, 1], // logical on u32
  ['shr', 'u32', 0x80000000, 32, 0x80000000],
  ['shr', 'u32', 0x80000000, 33, 0x40000000],
  ['rotl', 'u32', 0x80000001, 1, 3],
  ['rotl', 'u32', 0x12345678, 0, 0x12345678],
  ['rotl', 'u32', 0x12345678, 4, 0x23456781],
  ['rotl', 'u32', 0x12345678, 32, 0x12345678],
  ['rotl', 'u32', 0x12345678, 33, 0x2468acf0],
  ['rotr', 'u32', 3, 1, 0x80000001],
  ['rotr', 'u32', 0x12345678, 4, 0x81234567],
  ['rotr', 'u32', 0x12345678, 31, 0x2468acf0], // rotr 31 = rotl 1
  ['rotr', 'u32', 0x12345678, 36, 0x81234567],
  ['eq', 'u32', U32_MAX, U32_MAX, true],
  ['ne', 'u32', 1, 2, true],
  ['lt', 'u32', 1, 0x80000000, true],
  ['le', 'u32', 5, 5, true],
  ['gt', 'u32', 0x80000000, 1, true],
  ['ge', 'u32', 0, 1, false],

  // ---- i32: two's complement, wrapping
  ['add', 'i32', I32_MAX, 1, I32_MIN],
  ['add', 'i32', I32_MIN, -1, I32_MAX],
  ['add', 'i32', -1, 1, 0],
  ['sub', 'i32', I32_MIN, 1, I32_MAX],
  ['sub', 'i32', 0, I32_MIN, I32_MIN],
  ['mul', 'i32', I32_MAX, 2, -2],
  ['mul', 'i32', I32_MIN, -1, I32_MIN],
  ['mul', 'i32', -3, 5, -15],
  ['mul', 'i32', 46341, 46341, -2147479015], // 2147488281 − 2³²
  ['div', 'i32', 7, 2, 3],
  ['div', 'i32', -7, 2, -3], // toward zero
  ['div', 'i32', 7, -2, -3],
  ['div', 'i32', -7, -2, 3],
  ['div', 'i32', -1, 2, 0], // a true 0, not -0
  ['div', 'i32', 5, 0, 5],
  ['div', 'i32', -5, 0, -5],
  ['div', 'i32', I32_MIN, -1, I32_MIN],
  ['div', 'i32', I32_MIN, 1, I32_MIN],
  ['rem', 'i32', 7, 2, 1],
  ['rem', 'i32', -7, 2, -1], // sign of the dividend
  ['rem', 'i32', 7, -2, 1],
  ['rem', 'i32', -7, -2, -1],
  ['rem', 'i32', -4, 2, 0], // a true 0, not -0
  ['rem', 'i32', 5, 0, 0],
  ['rem', 'i32', I32_MIN, -1, 0],
  ['min', 'i32', -1, 1, -1],
  ['max', 'i32', I32_MIN, I32_MAX, I32_MAX],
  ['abs-diff', 'i32', I32_MIN, I32_MAX, U32_MAX], // exact, as u32
  ['abs-diff', 'i32', I32_MAX, I32_MIN, U32_MAX],
  ['abs-diff', 'i32', -1, 1, 2],
  ['abs-diff', 'i32', 5, 5, 0],
  ['mul-high', 'i32', I32_MIN, I32_MIN, 0x40000000], // 2⁶² → 2³⁰
  ['mul-high', 'i32', I32_MAX, I32_MAX, 0x3fffffff], // 2⁶² − 2³² + 1
  ['mul-high', 'i32', I32_MIN, I32_MAX, -0x40000000], // floor((−2⁶² + 2³¹) / 2³²)
  ['mul-high', 'i32', -1, -1, 0],
  ['mul-high', 'i32', -1, 1, -1], // −1 is all ones in 64 bits
  ['mul-high', 'i32', -3, 5, -1],
  ['bit-and', 'i32', -1, 0x0f, 15],
  ['bit-or', 'i32', I32_MIN, 1, -2147483647],
  ['bit-xor', 'i32', -1, I32_MAX, I32_MIN],
  ['shl', 'i32', 3, 0, 3],
  ['shl', 'i32', 1, 31, I32_MIN],
  ['shl', 'i32', 1, 32, 1],
  ['shl', 'i32', -1, 33, -2],
  ['shr', 'i32', I32_MIN, 31, -1], // arithmetic on i32
  ['shr', 'i32', I32_MIN, 32, I32_MIN],
  ['shr', 'i32', I32_MIN, 33, -0x40000000],
  ['shr', 'i32', -8, 1, -4],
  ['shr', 'i32', 8, 1, 4],
  ['rotl', 'i32', I32_MIN, 1, 1],
  ['rotl', 'i32', -1, 7, -1],
  ['rotl', 'i32', 0x40000000, 2, 1],
  ['rotl', 'i32', 1, 33, 2],
  ['rotr', 'i32', 1, 1, I32_MIN],
  ['rotr', 'i32', 1, 32, 1],
  ['rotr', 'i32', -2, 1, I32_MAX], // 0xfffffffe → 0x7fffffff
  ['eq', 'i32', I32_MIN, I32_MIN, true],
  ['ne', 'i32', -1, 1, true],
  ['lt', 'i32', -1, 0, true], // signed order
  ['le', 'i32', I32_MAX, I32_MIN, false],
  ['gt', 'i32', I32_MIN, I32_MAX, false],
  ['ge', 'i32', -5, -5, true],

  // ---- f32: IEEE binary32, each result rounded to f32
  ['add', 'f32', bits(0x3dcccccd), bits(0x3e4ccccd), bits(0x3e99999a)], // 0.1f + 0.2f = 0.30000000447… → 0.3f
  ['add', 'f32', 16777216, 1, 16777216], // 2²⁴ + 1 ties to even
  ['add', 'f32', 1, 2 ** -24, 1], // half an ulp of 1: ties to even
  ['add', 'f32', 1, 2 ** -23, 1 + 2 ** -23],
  ['add', 'f32', F32_MAX, F32_MAX, INF],
  ['sub', 'f32', 1, bits(0x3f7fffff), 2 ** -24], // 1 − (1 − 2⁻²⁴)
  ['sub', 'f32', 0.5, 0.5, 0],
  ['mul', 'f32', 3, bits(0x3eaaaaab), 1], // 3 · 0.3333333433 = 1.0000000298 → 1
  ['mul', 'f32', 16777215, 16777215, 281474943156224], // 2⁴⁸ − 2²⁵ + 1 → 2⁴⁸ − 2²⁵
  ['mul', 'f32', 1.5, 1.5, 2.25],
  ['mul', 'f32', F32_MAX, 2, INF],
  ['div', 'f32', 1, 3, bits(0x3eaaaaab)],
  ['div', 'f32', 10, 4, 2.5],
  ['div', 'f32', 1, 0, INF],
  ['div', 'f32', -1, 0, -INF],
  ['div', 'f32', 0, 0, NaN],
  ['rem', 'f32', 5.5, 2, 1.5],
  ['rem', 'f32', -5.5, 2, -1.5],
  ['rem', 'f32', 5.5, -2, 1.5],
  ['rem', 'f32', 1, 0, NaN],
  // x / y = 8388608.99999988 rounds to 8388609 in f32; y · 8388609 = 8388610.0000001 → 8388610;
  // x − that = 0 (an exact fmod would give 1).
  ['rem', 'f32', 8388610, 1 + 2 ** -23, 0],
  ['min', 'f32', -0.5, 2, -0.5],
  ['max', 'f32', -INF, -1, -1],
  ['abs-diff', 'f32', 1, 3, 2],
  ['abs-diff', 'f32', 3, 1, 2],
  ['abs-diff', 'f32', -F32_MAX, F32_MAX, INF],
  ['eq', 'f32', 0, -0, true],
  ['eq', 'f32', NaN, NaN, false],
  ['ne', 'f32', NaN, NaN, true],
  ['lt', 'f32', -1, 0.5, true],
  ['le', 'f32', 0.5, 0.5, true],
  ['gt', 'f32', INF, F32_MAX, true],
  ['ge', 'f32', -INF, 0, false],
  ['pow', 'f32', 2, 10, 1024],
  ['pow', 'f32', 2, 0.5, bits(0x3fb504f3)], // √2 in f32 is 1.41421353816986
  ['pow', 'f32', 4, -0.5, 0.5],
  ['pow', 'f32', 0, 0, 1],

  // ---- bool
  ['eq', 'bool', true, true, true],
  ['eq', 'bool', true, false, false],
  ['ne', 'bool', true, false, true],
  ['ne', 'bool', false, false, false],
  ['and', 'bool', true, true, true],
  ['and', 'bool', true, false, false],
  ['and', 'bool', false, true, false],
  ['or', 'bool', false, false, false],
  ['or', 'bool', false, true, true],
  ['or', 'bool', true, false, true],
];

const UNARY_CASES: readonly UnaryCase[] = [
  ['abs', 'u32', U32_MAX, U32_MAX],
  ['bit-not', 'u32', 0, U32_MAX],
  ['bit-not', 'u32', 0xf0f0f0f0, 0x0f0f0f0f],
  ['popcount', 'u32', 0, 0],
  ['popcount', 'u32', U32_MAX, 32],
  ['popcount', 'u32', 0xf0f0f0f0, 16],
  ['popcount', 'u32', 0x80000001, 2],
  ['clz', 'u32', 0, 32],
  ['clz', 'u32', 1, 31],
  ['clz', 'u32', 0x80000000, 0],
  ['ctz', 'u32', 0, 32],
  ['ctz', 'u32', 1, 0],
  ['ctz', 'u32', 12, 2],
  ['ctz', 'u32', 0x80000000, 31],
  ['reverse-bits', 'u32', 0, 0],
  ['reverse-bits', 'u32', 1, 0x80000000],
  ['reverse-bits', 'u32', 0x80000000, 1],
  ['reverse-bits', 'u32', 0x12345678, 0x1e6a2c48], // nibbles reversed in order, each mirrored
  ['reverse-bits', 'u32', U32_MAX, U32_MAX],

  ['neg', 'i32', 5, -5],
  ['neg', 'i32', 0, 0], // a true 0, not -0
  ['neg', 'i32', I32_MIN, I32_MIN], // -i32::MIN == i32::MIN
  ['abs', 'i32', -5, 5],
  ['abs', 'i32', I32_MIN, I32_MIN], // abs(i32::MIN) == i32::MIN
  ['bit-not', 'i32', 0, -1],
  ['bit-not', 'i32', I32_MIN, I32_MAX],
  ['popcount', 'i32', -1, 32],
  ['popcount', 'i32', I32_MIN, 1],
  ['clz', 'i32', -1, 0],
  ['clz', 'i32', 1, 31],
  ['clz', 'i32', 0, 32],
  ['ctz', 'i32', 0, 32],
  ['ctz', 'i32', -2, 1],
  ['ctz', 'i32', I32_MIN, 31],
  ['reverse-bits', 'i32', 1, I32_MIN],
  ['reverse-bits', 'i32', I32_MIN, 1],
  ['reverse-bits', 'i32', -1, -1],
  ['reverse-bits', 'i32', 0x12345678, 0x1e6a2c48],
  ['sign', 'i32', I32_MIN, -1],
  ['sign', 'i32', 0, 0],
  ['sign', 'i32', 7, 1],

  ['neg', 'f32', 1.5, -1.5],
  ['neg', 'f32', 0, -0],
  ['abs', 'f32', -0.5, 0.5],
  ['abs', 'f32', -INF, INF],
  ['sqrt', 'f32', 4, 2],
  ['sqrt', 'f32', 2, bits(0x3fb504f3)],
  ['sqrt', 'f32', -1, NaN],
  ['inverse-sqrt', 'f32', 4, 0.5],
  ['inverse-sqrt', 'f32', 0.25, 2],
  ['inverse-sqrt', 'f32', 0, INF],
  ['exp', 'f32', 0, 1],
  ['exp', 'f32', 1, bits(0x402df854)], // e in f32 is 2.71828174591064
  ['exp2', 'f32', 10, 1024],
  ['exp2', 'f32', -1, 0.5],
  ['exp2', 'f32', 0.5, bits(0x3fb504f3)],
  ['log', 'f32', 1, 0],
  ['log', 'f32', 0, -INF],
  ['log', 'f32', -1, NaN],
  ['log2', 'f32', 8, 3],
  ['log2', 'f32', 0.25, -2],
  ['sin', 'f32', 0, 0],
  ['sin', 'f32', bits(0x3fc90fdb), 1], // f32(π/2): sin is 1 − 1e-15, which rounds to 1
  ['cos', 'f32', 0, 1],
  ['cos', 'f32', bits(0x40490fdb), -1], // f32(π)
  ['tan', 'f32', 0, 0],
  ['tan', 'f32', bits(0x3f490fdb), 1], // f32(π/4): tan is 1 + 4.4e-8, under half an ulp
  ['tanh', 'f32', 0, 0],
  ['tanh', 'f32', 20, 1],
  ['tanh', 'f32', -20, -1],
  ['floor', 'f32', -1.5, -2],
  ['floor', 'f32', 1.5, 1],
  ['ceil', 'f32', -1.5, -1],
  ['ceil', 'f32', 1.5, 2],
  ['round', 'f32', 0.5, 0], // ties to even
  ['round', 'f32', 1.5, 2],
  ['round', 'f32', 2.5, 2],
  ['round', 'f32', -2.5, -2],
  ['round', 'f32', 3.5, 4],
  ['round', 'f32', -0.5, -0],
  ['round', 'f32', bits(0x3effffff), 0], // 0.49999997
  ['round', 'f32', bits(0x3f000001), 1], // 0.50000006
  ['round', 'f32', 8388609, 8388609],
  ['trunc', 'f32', -1.75, -1],
  ['trunc', 'f32', 1.75, 1],
  ['sign', 'f32', -3, -1],
  ['sign', 'f32', 2.5, 1],
  ['sign', 'f32', 0, 0],
  ['sign', 'f32', -0, 0],

  ['not', 'bool', true, false],
  ['not', 'bool', false, true],
];

describe('binary operators', () => {
  it.each(BINARY_CASES)('%s on %s: (%s, %s) → %s', (op, type, left, right, expected) => {
    expect(evalBinary(op, type, left, right)).toBe(expected);
  });

  it('has a row for every operator and operand type that exists, and rejects the rest', () => {
    for (const op of BINARY_OPS) {
      for (const type of SCALAR_TYPES) {
        const covered = BINARY_CASES.some(([o, t]) => o === op && t === type);
        if (binaryResultType(op, type) === undefined) {
          expect(covered, `${op} on ${type} has no row`).toBe(false);
          expect(() => binaryOpFor(op, type)).toThrowError(VyreError);
        } else {
          expect(covered, `${op} on ${type} needs a row`).toBe(true);
        }
      }
    }
  });
});

describe('unary operators', () => {
  it.each(UNARY_CASES)('%s on %s: %s → %s', (op, type, value, expected) => {
    expect(evalUnary(op, type, value)).toBe(expected);
  });

  it('has a row for every operator and operand type that exists, and rejects the rest', () => {
    for (const op of UNARY_OPS) {
      for (const type of SCALAR_TYPES) {
        const covered = UNARY_CASES.some(([o, t]) => o === op && t === type);
        if (unaryResultType(op, type) === undefined) {
          expect(covered, `${op} on ${type} has no row`).toBe(false);
          expect(() => unaryOpFor(op, type)).toThrowError(VyreError);
        } else {
          expect(covered, `${op} on ${type} needs a row`).toBe(true);
        }
      }
    }
  });

  it('keeps the operand type for every unary operator', () => {
    for (const op of UNARY_OPS) {
      for (const type of SCALAR_TYPES) {
        const result = unaryResultType(op, type);
        if (result !== undefined) expect(result).toBe(type);
      }
    }
  });
});

describe('result types', () => {
  it.each([
    ['add', 'u32', 'u32'],
    ['add', 'f32', 'f32'],
    ['add', 'bool', undefined],
    ['abs-diff', 'i32', 'u32'],
    ['abs-diff', 'u32', 'u32'],
    ['abs-diff', 'f32', 'f32'],
    ['mul-high', 'f32', undefined],
    ['shl', 'i32', 'i32'],
    ['bit-and', 'bool', undefined],
    ['eq', 'bool', 'bool'],
    ['eq', 'f32', 'bool'],
    ['lt', 'i32', 'bool'],
    ['lt', 'bool', undefined],
    ['and', 'bool', 'bool'],
    ['and', 'u32', undefined],
    ['pow', 'f32', 'f32'],
    ['pow', 'i32', undefined],
  ] as const)('%s on %s gives %s', (op, operand, expected) => {
    expect(binaryResultType(op, operand)).toBe(expected);
  });

  it('takes every shift and rotate amount as u32, every other right operand as the left type', () => {
    for (const op of BINARY_OPS) {
      const shift = op === 'shl' || op === 'shr' || op === 'rotl' || op === 'rotr';
      expect(binaryRightType(op, 'i32')).toBe(shift ? 'u32' : 'i32');
    }
  });
});

// ---- integer operators against BigInt ------------------------------------------------

const U32_SAMPLES = [
  0, 1, 2, 3, 7, 31, 32, 33, 0xffff, 0x10000, 0x12345678, 0x7fffffff, 0x80000000, 0x80000001, 0xdeadbeef, 0xfffffffe, U32_MAX,
];
const I32_SAMPLES = [0, 1, -1, 2, -2, 7, -7, 31, 32, 33, 0xffff, -0x10000, 0x12345678, -0x21524111, I32_MAX, I32_MIN, I32_MIN + 1];

function wrap(type: 'u32' | 'i32', value: bigint): number {
  return Number(type === 'u32' ? BigInt.asUintN(32, value) : BigInt.asIntN(32, value));
}

/** The integer operators, restated on BigInt straight from the semantics table. */
function bigintReference(op: BinaryOp, type: 'u32' | 'i32', a: number, b: number): Scalar {
  const x = BigInt(a);
  const y = BigInt(b);
  const amount = BigInt(b & 31);
  const bitsOf = (v: bigint): bigint => BigInt.asUintN(32, v);
  switch (op) {
    case 'add': return wrap(type, x + y);
    case 'sub': return wrap(type, x - y);
    case 'mul': return wrap(type, x * y);
    case 'div': return y === 0n ? a : wrap(type, x / y); // BigInt division truncates
    case 'rem': return y === 0n ? 0 : wrap(type, x % y); // BigInt remainder takes the dividend's sign
    case 'min': return x < y ? a : b;
    case 'max': return x > y ? a : b;
    case 'abs-diff': return Number(x > y ? x - y : y - x);
    case 'mul-high': return wrap(type, (x * y) >> 32n); // >> on BigInt floors: arithmetic
    case 'bit-and': return wrap(type, x & y);
    case 'bit-or': return wrap(type, x | y);
    case 'bit-xor': return wrap(type, x ^ y);
    case 'shl': return wrap(type, x << amount);
    case 'shr': return wrap(type, (type === 'u32' ? x : BigInt.asIntN(32, x)) >> amount);
    case 'rotl': return wrap(type, (bitsOf(x) << amount) | (bitsOf(x) >> (32n - amount)));
    case 'rotr': return wrap(type, (bitsOf(x) >> amount) | (bitsOf(x) << (32n - amount)));
    case 'eq': return x === y;
    case 'ne': return x !== y;
    case 'lt': return x < y;
    case 'le': return x <= y;
    case 'gt': return x > y;
    case 'ge': return x >= y;
    default: throw new Error(`no reference for ${op}`);
  }
}

describe('integer operators agree with BigInt arithmetic', () => {
  const integerOps = BINARY_OPS.filter((op) => binaryResultType(op, 'u32') !== undefined);
  for (const type of ['u32', 'i32'] as const) {
    const samples = type === 'u32' ? U32_SAMPLES : I32_SAMPLES;
    it.each(integerOps)(`%s on ${type} over every pair of edge values`, (op) => {
      for (const a of samples) {
        // Shift amounts are u32 whatever the left type.
        for (const b of binaryRightType(op, type) === 'u32' ? U32_SAMPLES : samples) {
          expect(evalBinary(op, type, a, b), `${op}(${a}, ${b})`).toBe(bigintReference(op, type, a, b));
        }
      }
    });
  }

  it.each(['u32', 'i32'] as const)('popcount, clz, ctz and reverse-bits on %s agree with the binary string', (type) => {
    for (const v of type === 'u32' ? U32_SAMPLES : I32_SAMPLES) {
      const text = (v >>> 0).toString(2).padStart(32, '0');
      expect(evalUnary('popcount', type, v)).toBe([...text].filter((c) => c === '1').length);
      expect(evalUnary('clz', type, v)).toBe(text.indexOf('1') === -1 ? 32 : text.indexOf('1'));
      expect(evalUnary('ctz', type, v)).toBe(text.lastIndexOf('1') === -1 ? 32 : 31 - text.lastIndexOf('1'));
      expect(evalUnary('reverse-bits', type, v)).toBe(wrap(type, BigInt(`0b${[...text].reverse().join('')}`)));
    }
  });
});

// ---- casts -----------------------------------------------------------------------------

type CastCase = readonly [from: ScalarType, to: ScalarType, value: Scalar, expected: Scalar];

const CAST_CASES: readonly CastCase[] = [
  ['u32', 'u32', U32_MAX, U32_MAX],
  ['u32', 'i32', U32_MAX, -1], // reinterpret the bits
  ['u32', 'i32', 0x80000000, I32_MIN],
  ['u32', 'i32', 5, 5],
  ['u32', 'f32', 16777217, 16777216], // nearest f32 (ties to even)
  ['u32', 'f32', U32_MAX, 4294967296],
  ['u32', 'bool', 0, false],
  ['u32', 'bool', 2, true],
  ['i32', 'i32', I32_MIN, I32_MIN],
  ['i32', 'u32', -1, U32_MAX],
  ['i32', 'u32', I32_MIN, 0x80000000],
  ['i32', 'f32', -16777217, -16777216],
  ['i32', 'f32', I32_MAX, 2147483648],
  ['i32', 'bool', -1, true],
  ['i32', 'bool', 0, false],
  ['f32', 'f32', -0, -0],
  ['f32', 'i32', 1.75, 1], // truncate toward zero
  ['f32', 'i32', -1.75, -1],
  ['f32', 'i32', -0.5, 0], // a true 0
  ['f32', 'i32', NaN, 0],
  ['f32', 'i32', INF, 2147483520], // saturate to the largest f32 below 2³¹
  ['f32', 'i32', 2147483648, 2147483520],
  ['f32', 'i32', 2147483520, 2147483520],
  ['f32', 'i32', 3e9, 2147483520],
  ['f32', 'i32', -INF, I32_MIN],
  ['f32', 'i32', -2147483648, I32_MIN],
  ['f32', 'i32', -3e9, I32_MIN],
  ['f32', 'u32', 3.99, 3],
  ['f32', 'u32', -0.9, 0],
  ['f32', 'u32', -1, 0],
  ['f32', 'u32', NaN, 0],
  ['f32', 'u32', INF, 4294967040], // saturate to the largest f32 below 2³²
  ['f32', 'u32', 4294967296, 4294967040],
  ['f32', 'u32', 4294967040, 4294967040],
  ['f32', 'u32', -INF, 0],
  ['f32', 'bool', 0, false],
  ['f32', 'bool', -0, false],
  ['f32', 'bool', 0.5, true],
  ['f32', 'bool', NaN, true], // NaN != 0
  ['bool', 'bool', true, true],
  ['bool', 'u32', true, 1],
  ['bool', 'u32', false, 0],
  ['bool', 'i32', true, 1],
  ['bool', 'i32', false, 0],
  ['bool', 'f32', true, 1],
  ['bool', 'f32', false, 0],
];

describe('casts', () => {
  it.each(CAST_CASES)('%s → %s: %s → %s', (from, to, value, expected) => {
    expect(castScalar(from, to, value)).toBe(expected);
  });

  it('has a row for every pair of types', () => {
    for (const from of SCALAR_TYPES) {
      for (const to of SCALAR_TYPES) {
        expect(CAST_CASES.some(([f, t]) => f === from && t === to), `${from} → ${to}`).toBe(true);
      }
    }
  });
});

describe('select, fma and coercion', () => {
  it('select picks ifTrue when the condition holds', () => {
    expect(selectScalar(true, 1, 2)).toBe(1);
    expect(selectScalar(false, 1, 2)).toBe(2);
  });

  it('fma keeps the exact product before adding', () => {
    expect(fmaF32(2, 3, 1)).toBe(7);
    // f32(0.1) = 13421773·2⁻²⁷, so ·10 = 1 + 2⁻²⁶ exactly; minus 1 leaves 2⁻²⁶.
    expect(fmaF32(bits(0x3dcccccd), 10, -1)).toBe(2 ** -26);
  });

  it.each([
    ['u32', -1],
    ['u32', 4294967296],
    ['u32', 1.7],
    ['u32', NaN],
    ['i32', 2147483648],
    ['i32', -1.5],
    ['i32', -INF],
    ['f32', 0.1],
    ['f32', 1e40],
  ] as const)('coerces %s %s exactly as a typed-array store does', (type, value) => {
    const array = type === 'u32' ? new Uint32Array(1) : type === 'i32' ? new Int32Array(1) : new Float32Array(1);
    array[0] = value;
    expect(coerceScalar(type, value)).toBe(array[0]);
  });

  it('coerces to bool as value != 0', () => {
    expect(coerceScalar('bool', 0)).toBe(false);
    expect(coerceScalar('bool', 2)).toBe(true);
    expect(coerceScalar('bool', true)).toBe(true);
    expect(coerceScalar('u32', true)).toBe(1);
  });
});
