/**
 * The typing table of the Program IR, as data (docs/semantics.md, "Values and operators"):
 * which operand types each operator takes and what it yields. Validation checks programs
 * against it; builders and tests can read the same table instead of restating it.
 */
import {
  SCALAR_TYPES,
  VECTOR_TYPES,
  componentOf,
  isVectorType,
  vectorOf,
  widthOf,
  type AtomicOp,
  type BinaryOp,
  type ScalarType,
  type UnaryOp,
  type ValueType,
} from '../protocol/ir.ts';

export const NUMERIC_TYPES = ['u32', 'i32', 'f32'] as const satisfies readonly ScalarType[];
export const INTEGER_TYPES = ['u32', 'i32'] as const satisfies readonly ScalarType[];
const SIGNED: readonly ScalarType[] = ['i32', 'f32'];
const FLOAT: readonly ScalarType[] = ['f32'];
const BOOL: readonly ScalarType[] = ['bool'];
const UNSIGNED: readonly ScalarType[] = ['u32'];

/** Operand types of each unary operator; the result has the operand's type. */
export const UNARY_OPERAND_TYPES: { readonly [op in UnaryOp]: readonly ScalarType[] } = {
  neg: SIGNED,
  not: BOOL,
  'bit-not': INTEGER_TYPES,
  abs: NUMERIC_TYPES,
  popcount: INTEGER_TYPES,
  clz: INTEGER_TYPES,
  ctz: INTEGER_TYPES,
  'reverse-bits': INTEGER_TYPES,
  sqrt: FLOAT,
  'inverse-sqrt': FLOAT,
  exp: FLOAT,
  exp2: FLOAT,
  log: FLOAT,
  log2: FLOAT,
  sin: FLOAT,
  cos: FLOAT,
  tan: FLOAT,
  tanh: FLOAT,
  floor: FLOAT,
  ceil: FLOAT,
  round: FLOAT,
  trunc: FLOAT,
  sign: SIGNED,
};

/** How a binary operator is typed. */
export interface BinarySignature {
  /** Types the left operand may have. */
  readonly left: readonly ScalarType[];
  /** `same`: the right operand has the left operand's type; `u32`: a shift or rotate amount. */
  readonly right: 'same' | 'u32';
  /** `same`: the left operand's type; `bool`: a comparison; `abs-diff`: u32 for integers, f32 for f32. */
  readonly result: 'same' | 'bool' | 'abs-diff';
}

const ARITHMETIC: BinarySignature = { left: NUMERIC_TYPES, right: 'same', result: 'same' };
const BITWISE: BinarySignature = { left: INTEGER_TYPES, right: 'same', result: 'same' };
const SHIFT: BinarySignature = { left: INTEGER_TYPES, right: 'u32', result: 'same' };
const ORDER: BinarySignature = { left: NUMERIC_TYPES, right: 'same', result: 'bool' };
const EQUALITY: BinarySignature = { left: SCALAR_TYPES, right: 'same', result: 'bool' };
const LOGIC: BinarySignature = { left: BOOL, right: 'same', result: 'bool' };

export const BINARY_SIGNATURES: { readonly [op in BinaryOp]: BinarySignature } = {
  add: ARITHMETIC,
  sub: ARITHMETIC,
  mul: ARITHMETIC,
  div: ARITHMETIC,
  rem: ARITHMETIC,
  min: ARITHMETIC,
  max: ARITHMETIC,
  'abs-diff': { left: NUMERIC_TYPES, right: 'same', result: 'abs-diff' },
  'mul-high': BITWISE,
  'bit-and': BITWISE,
  'bit-or': BITWISE,
  'bit-xor': BITWISE,
  shl: SHIFT,
  shr: SHIFT,
  rotl: SHIFT,
  rotr: SHIFT,
  eq: EQUALITY,
  ne: EQUALITY,
  lt: ORDER,
  le: ORDER,
  gt: ORDER,
  ge: ORDER,
  and: LOGIC,
  or: LOGIC,
  pow: { left: FLOAT, right: 'same', result: 'same' },
};

/** Result type of `op` on `operand`, or `undefined` when the operator does not take it. */
export function unaryResultType(op: UnaryOp, operand: ScalarType): ScalarType | undefined {
  return UNARY_OPERAND_TYPES[op].includes(operand) ? operand : undefined;
}

/** Types the right operand of `op` may have, given the left operand's type when known. */
export function binaryRightTypes(op: BinaryOp, left: ScalarType | undefined): readonly ScalarType[] {
  const signature = BINARY_SIGNATURES[op];
  if (signature.right === 'u32') return UNSIGNED;
  return left !== undefined && signature.left.includes(left) ? [left] : signature.left;
}

/** Result type of `op` given a valid left operand type. */
export function binaryResultFromLeft(op: BinaryOp, left: ScalarType): ScalarType {
  const signature = BINARY_SIGNATURES[op];
  switch (signature.result) {
    case 'same':
      return left;
    case 'bool':
      return 'bool';
    case 'abs-diff':
      return left === 'f32' ? 'f32' : 'u32';
  }
}

/** Result type of `op` on `left` and `right`, or `undefined` when the operator does not take them. */
export function binaryResultType(op: BinaryOp, left: ScalarType, right: ScalarType): ScalarType | undefined {
  if (!BINARY_SIGNATURES[op].left.includes(left) || !binaryRightTypes(op, left).includes(right)) return undefined;
  return binaryResultFromLeft(op, left);
}

/**
 * Whether `op` works on vectors, component by component: every operator whose result has
 * its operand's shape (arithmetic, bitwise, shifts, `abs-diff`, `pow`); not comparisons or
 * logic, which would need `bool` vectors (docs/semantics.md, "Vectors").
 */
export function isComponentWise(op: BinaryOp): boolean {
  return BINARY_SIGNATURES[op].result !== 'bool';
}

/** Result type of unary `op` on a scalar or vector `operand`, or `undefined` when it does not take it. */
export function unaryValueResult(op: UnaryOp, operand: ValueType): ValueType | undefined {
  const component = unaryResultType(op, componentOf(operand));
  return component === undefined ? undefined : vectorOf(component, widthOf(operand));
}

/** Types a unary operator takes, scalars and vectors, for messages. */
export function unaryValueOperands(op: UnaryOp): readonly ValueType[] {
  const scalars = UNARY_OPERAND_TYPES[op];
  return [...scalars, ...VECTOR_TYPES.filter((type) => scalars.includes(componentOf(type)))];
}

/** Types the left operand of `op` may have: its scalars, and their vectors when it is component-wise. */
export function binaryLeftValueTypes(op: BinaryOp): readonly ValueType[] {
  const scalars = BINARY_SIGNATURES[op].left;
  return isComponentWise(op) ? [...scalars, ...VECTOR_TYPES.filter((type) => scalars.includes(componentOf(type)))] : scalars;
}

/** Types the right operand of `op` may have, given a left operand of a type it takes (else the scalar rule). */
export function binaryRightValueTypes(op: BinaryOp, left: ValueType | undefined): readonly ValueType[] {
  if (left === undefined || !isVectorType(left)) return binaryRightTypes(op, left);
  const width = widthOf(left);
  return binaryRightTypes(op, componentOf(left)).flatMap((component) => vectorOf(component, width) ?? []);
}

/** Result type of `op` given a left operand of a type it takes (see {@link binaryLeftValueTypes}). */
export function binaryValueResultFromLeft(op: BinaryOp, left: ValueType): ValueType | undefined {
  return vectorOf(binaryResultFromLeft(op, componentOf(left)), widthOf(left));
}

/** Whether a cast from `from` to `to` exists: scalar to scalar, or vector to vector of one width. */
export function castExists(from: ValueType, to: ValueType): boolean {
  return widthOf(from) === widthOf(to);
}

/** Whether atomics may work on elements of `type`. */
export function isAtomicElementType(type: ValueType): boolean {
  return type === 'u32' || type === 'i32';
}

/** Which operands an atomic takes besides its index. */
export function atomicOperands(op: AtomicOp): { readonly value: boolean; readonly expected: boolean } {
  if (op === 'load') return { value: false, expected: false };
  return { value: true, expected: op === 'compare-exchange' };
}

/** `u32, i32 or f32`, for messages. */
export function typeList(types: readonly ValueType[]): string {
  if (types.length <= 1) return types.join('');
  return `${types.slice(0, -1).join(', ')} or ${types[types.length - 1] ?? ''}`;
}
