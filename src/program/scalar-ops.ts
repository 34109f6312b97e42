/**
 * Scalar operators of the Program IR on JS numbers, exactly as `docs/semantics.md` defines them.
 *
 * Representation: a `u32` is an integer number in [0, 2³²), an `i32` an integer number in
 * [-2³¹, 2³¹), an `f32` a number already rounded by `Math.fround`, a `bool` a boolean.
 * Every function here takes and returns values in that representation, so the interpreter
 * and the tests can compare results with `===` (or `Object.is`).
 *
 * The `*For` lookups return a specialized function once, so the interpreter pays for the
 * dispatch on `(op, type)` when it compiles a program, not on every evaluation.
 */
import { VyreError } from '../errors.ts';
import type { BinaryOp, ScalarType, UnaryOp } from '../protocol/ir.ts';
import { binaryResultType as binaryResultForOperands } from './validate-types.ts';

/** A scalar value in the representation described above. */
export type Scalar = number | boolean;
export type UnaryFn = (value: Scalar) => Scalar;
export type BinaryFn = (left: Scalar, right: Scalar) => Scalar;

type Num1 = (a: number) => number;
type Num2 = (a: number, b: number) => Scalar;

const I32_MIN = -2147483648;
const TWO_16 = 65536;
const fround = Math.fround;


/** Result type of a unary operator; the one typing table lives in validate-types.ts. */
export { unaryResultType } from './validate-types.ts';

/**
 * Result type of a binary operator whose left operand has type `operand`, or `undefined`
 * when the operator does not take that type. The right operand has the left's type, except
 * for shifts and rotations, whose amount is always `u32` (see {@link binaryRightType}).
 */
export function binaryResultType(op: BinaryOp, operand: ScalarType): ScalarType | undefined {
  return binaryResultForOperands(op, operand, binaryRightType(op, operand));
}

/** Type of the right operand of `op` when the left has type `left`. */
export function binaryRightType(op: BinaryOp, left: ScalarType): ScalarType {
  return op === 'shl' || op === 'shr' || op === 'rotl' || op === 'rotr' ? 'u32' : left;
}

/** Population count of the 32 bits of `x` (SWAR; every step is taken modulo 2³²). */
function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

function ctz32(x: number): number {
  // x & -x isolates the lowest set bit; its leading-zero count locates it.
  return (x | 0) === 0 ? 32 : 31 - Math.clz32(x & -x);
}

/** Bit reversal as unsigned 32 bits; callers reinterpret for i32. */
function reverseBits32(x: number): number {
  let v = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

/**
 * Upper 32 bits of the unsigned 64-bit product, from 16-bit halves: every partial product
 * and the middle sum stay below 2⁵³, so JS numbers hold them exactly.
 */
function mulHighU32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const middle = ah * bl + al * bh + ((al * bl) >>> 16);
  return (ah * bh + Math.floor(middle / TWO_16)) >>> 0;
}

/** Signed high word = unsigned high word − (a < 0 ? b : 0) − (b < 0 ? a : 0), modulo 2³². */
function mulHighI32(a: number, b: number): number {
  const ua = a >>> 0;
  const ub = b >>> 0;
  return (mulHighU32(ua, ub) - (a < 0 ? ub : 0) - (b < 0 ? ua : 0)) | 0;
}

function rotl32(a: number, b: number): number {
  const s = b & 31;
  return (a << s) | (a >>> ((32 - s) & 31));
}

function rotr32(a: number, b: number): number {
  const s = b & 31;
  return (a >>> s) | (a << ((32 - s) & 31));
}

/** Round half to even; exact for every f32 (their fractional parts are exact in doubles). */
function roundTiesEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  const rounded = fraction < 0.5 ? floor : fraction > 0.5 ? floor + 1 : floor % 2 === 0 ? floor : floor + 1;
  // Keep the sign of a zero result, as IEEE roundTiesToEven does (round(-0.4) = -0).
  return rounded === 0 && (x < 0 || Object.is(x, -0)) ? -0 : rounded;
}

/** Operators every numeric type computes the same way on the number representation. */
const NUMERIC_COMMON: Partial<Record<BinaryOp, Num2>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  // Exact: the difference of two 32-bit integers fits a double, and is ≤ 2³² − 1.
  'abs-diff': (a, b) => Math.abs(a - b),
};

const U32_BINARY: Partial<Record<BinaryOp, Num2>> = {
  ...NUMERIC_COMMON,
  add: (a, b) => (a + b) >>> 0,
  sub: (a, b) => (a - b) >>> 0,
  mul: (a, b) => Math.imul(a, b) >>> 0,
  // Double division of 32-bit integers is close enough that truncation is exact.
  div: (a, b) => (b === 0 ? a : Math.trunc(a / b) >>> 0),
  rem: (a, b) => (b === 0 ? 0 : a % b),
  'mul-high': mulHighU32,
  'bit-and': (a, b) => (a & b) >>> 0,
  'bit-or': (a, b) => (a | b) >>> 0,
  'bit-xor': (a, b) => (a ^ b) >>> 0,
  shl: (a, b) => (a << (b & 31)) >>> 0,
  shr: (a, b) => a >>> (b & 31),
  rotl: (a, b) => rotl32(a, b) >>> 0,
  rotr: (a, b) => rotr32(a, b) >>> 0,
};

const I32_BINARY: Partial<Record<BinaryOp, Num2>> = {
  ...NUMERIC_COMMON,
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: (a, b) => Math.imul(a, b),
  // MIN / -1 is 2³¹ as a double; `| 0` wraps it back to MIN, as the semantics require.
  div: (a, b) => (b === 0 ? a : Math.trunc(a / b) | 0),
  // JS % takes the dividend's sign like C; MIN % -1 is -0, which `| 0` turns into 0.
  rem: (a, b) => (b === 0 ? 0 : (a % b) | 0),
  'mul-high': mulHighI32,
  'bit-and': (a, b) => a & b,
  'bit-or': (a, b) => a | b,
  'bit-xor': (a, b) => a ^ b,
  shl: (a, b) => a << (b & 31),
  shr: (a, b) => a >> (b & 31),
  rotl: (a, b) => rotl32(a, b) | 0,
  rotr: (a, b) => rotr32(a, b) | 0,
};

/**
 * f32: each JS double operation on f32 inputs is rounded once more by fround; for + − × ÷
 * the double result is exact or double rounding is innocuous (53 ≥ 2·24 + 2 bits).
 */
const F32_BINARY: Partial<Record<BinaryOp, Num2>> = {
  ...NUMERIC_COMMON,
  add: (a, b) => fround(a + b),
  sub: (a, b) => fround(a - b),
  mul: (a, b) => fround(a * b),
  div: (a, b) => fround(a / b),
  // x − y·trunc(x / y), rounding each step to f32 as the GPU does.
  rem: (a, b) => fround(a - fround(b * Math.trunc(fround(a / b)))),
  'abs-diff': (a, b) => fround(Math.abs(a - b)),
  pow: (a, b) => fround(Math.pow(a, b)),
};

const BOOL_BINARY: Partial<Record<BinaryOp, (a: boolean, b: boolean) => boolean>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  and: (a, b) => a && b,
  or: (a, b) => a || b,
};

const U32_UNARY: Partial<Record<UnaryOp, Num1>> = {
  abs: (a) => a,
  'bit-not': (a) => ~a >>> 0,
  popcount: popcount32,
  clz: (a) => Math.clz32(a),
  ctz: ctz32,
  'reverse-bits': reverseBits32,
};

const I32_UNARY: Partial<Record<UnaryOp, Num1>> = {
  neg: (a) => -a | 0,
  abs: (a) => Math.abs(a) | 0,
  'bit-not': (a) => ~a,
  popcount: popcount32,
  clz: (a) => Math.clz32(a),
  ctz: ctz32,
  'reverse-bits': (a) => reverseBits32(a) | 0,
  sign: (a) => Math.sign(a),
};

const F32_UNARY: Partial<Record<UnaryOp, Num1>> = {
  neg: (a) => -a,
  abs: (a) => Math.abs(a),
  sqrt: (a) => fround(Math.sqrt(a)),
  'inverse-sqrt': (a) => fround(1 / Math.sqrt(a)),
  exp: (a) => fround(Math.exp(a)),
  exp2: (a) => fround(Math.pow(2, a)),
  log: (a) => fround(Math.log(a)),
  log2: (a) => fround(Math.log2(a)),
  sin: (a) => fround(Math.sin(a)),
  cos: (a) => fround(Math.cos(a)),
  tan: (a) => fround(Math.tan(a)),
  tanh: (a) => fround(Math.tanh(a)),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundTiesEven,
  trunc: Math.trunc,
  // WGSL: 1 if e > 0, 0 if e = 0 (either zero), -1 if e < 0; NaN stays NaN.
  sign: (a) => (a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : NaN),
};

const BOOL_UNARY: Partial<Record<UnaryOp, (a: boolean) => boolean>> = { not: (a) => !a };

function unsupported(what: string): VyreError {
  return new VyreError(
    'invalid-program',
    `The operator ${what} does not exist.`,
    'validate the program before running it.',
  );
}

/**
 * The function computing `op` on an operand of `type`.
 * The result is only defined for arguments in the representation of `type`.
 * @throws VyreError `invalid-program` when `op` does not take `type`.
 */
export function unaryOpFor(op: UnaryOp, type: ScalarType): UnaryFn {
  const table = type === 'u32' ? U32_UNARY : type === 'i32' ? I32_UNARY : type === 'f32' ? F32_UNARY : BOOL_UNARY;
  const fn = table[op];
  if (fn === undefined) throw unsupported(`${op} on ${type}`);
  // The static types of a valid program guarantee the argument's kind (number or boolean).
  return fn as UnaryFn;
}

/**
 * The function computing `op` with a left operand of `type` (the right operand's type is
 * {@link binaryRightType}).
 * @throws VyreError `invalid-program` when `op` does not take `type`.
 */
export function binaryOpFor(op: BinaryOp, type: ScalarType): BinaryFn {
  const table = type === 'u32' ? U32_BINARY : type === 'i32' ? I32_BINARY : type === 'f32' ? F32_BINARY : BOOL_BINARY;
  const fn = table[op];
  if (fn === undefined) throw unsupported(`${op} on ${type}`);
  return fn as BinaryFn;
}

/** Evaluates a unary operator once. @throws VyreError `invalid-program` on an unsupported pair. */
export function evalUnary(op: UnaryOp, type: ScalarType, value: Scalar): Scalar {
  return unaryOpFor(op, type)(value);
}

/** Evaluates a binary operator once. @throws VyreError `invalid-program` on an unsupported pair. */
export function evalBinary(op: BinaryOp, type: ScalarType, left: Scalar, right: Scalar): Scalar {
  return binaryOpFor(op, type)(left, right);
}

/** The largest f32 values below 2³¹ and 2³², where f32 → integer casts saturate. */
const F32_I32_MAX = 2147483520;
const F32_U32_MAX = 4294967040;

function f32ToI32(v: number): number {
  if (Number.isNaN(v)) return 0;
  return Math.min(Math.max(Math.trunc(v), I32_MIN), F32_I32_MAX) | 0;
}

function f32ToU32(v: number): number {
  if (Number.isNaN(v)) return 0;
  return Math.min(Math.max(Math.trunc(v), 0), F32_U32_MAX) >>> 0;
}

/**
 * The function converting a value of type `from` to type `to` (see the casts table of
 * docs/semantics.md); every pair exists, and a cast to the same type is the identity.
 */
export function castFor(from: ScalarType, to: ScalarType): UnaryFn {
  if (from === to) return (v) => v;
  if (from === 'bool') {
    return (v) => (v ? 1 : 0);
  }
  if (to === 'bool') return (v) => v !== 0;
  const cast: Num1 =
    to === 'f32' ? fround
    : from === 'f32' ? (to === 'i32' ? f32ToI32 : f32ToU32)
    : to === 'i32' ? (v) => v | 0 // u32 → i32: reinterpret the bits
    : (v) => v >>> 0; // i32 → u32
  return cast as UnaryFn;
}

/** Converts `value` of type `from` to type `to` once. */
export function castScalar(from: ScalarType, to: ScalarType, value: Scalar): Scalar {
  return castFor(from, to)(value);
}

/**
 * `select`: `ifTrue` when `cond` holds, else `ifFalse`. Both arms are evaluated by the
 * caller beforehand (ifFalse, ifTrue, then cond), so this only picks.
 */
export function selectScalar(cond: Scalar, ifTrue: Scalar, ifFalse: Scalar): Scalar {
  return cond === true ? ifTrue : ifFalse;
}

/**
 * `fma(a, b, c)` on f32: the product of two f32 is exact in a double, so this rounds
 * `a·b + c` twice at most (once to double, once to f32), within the 1-ULP tolerance.
 */
export function fmaF32(a: number, b: number, c: number): number {
  return fround(a * b + c);
}

/**
 * Converts a JS number (or boolean) into the representation of `type`, exactly as storing it
 * into the matching typed array would (`ToUint32`, `ToInt32`, `Math.fround`); for `bool`,
 * `value != 0`. Used for parameters and literals.
 */
export function coerceScalar(type: ScalarType, value: number | boolean): Scalar {
  const n = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  switch (type) {
    case 'u32':
      return n >>> 0;
    case 'i32':
      return n | 0;
    case 'f32':
      return fround(n);
    case 'bool':
      return n !== 0;
  }
}
