/**
 * Vector operators of the Program IR on JS arrays, exactly as `docs/semantics.md`
 * ("## Vectors") defines them: each component follows its scalar rule from scalar-ops.ts.
 *
 * Representation: a vector is a `number[]` of 2 or 4 components, x first, each in the
 * scalar representation of its component type (see scalar-ops.ts). A vector is never
 * mutated once built, so one array may be shared (by a local, a `select` arm, the zero
 * vector) without copying; every operator returns a fresh array.
 *
 * Like the scalar `*For` lookups, these return a function specialized for one
 * `(op, type)` (and width) once, so the interpreter pays for the dispatch when it compiles
 * a program, and the scalar paths never test whether a value is a vector.
 */
import { VyreError } from '../errors.ts';
import {
  componentOf,
  widthOf,
  type BinaryOp,
  type ComponentType,
  type UnaryOp,
  type VectorType,
  type VectorWidth,
} from '../protocol/ir.ts';
import {
  binaryOpFor,
  binaryResultType,
  binaryRightType,
  castFor,
  fmaF32,
  unaryOpFor,
  unaryResultType,
} from './scalar-ops.ts';

/** A vector value in the representation described above. */
export type Vector = readonly number[];
export type VectorUnaryFn = (value: Vector) => Vector;
export type VectorBinaryFn = (left: Vector, right: Vector) => Vector;
export type VectorTernaryFn = (a: Vector, b: Vector, c: Vector) => Vector;
/** `dot`: two vectors of one type to a scalar of their component type. */
export type DotFn = (left: Vector, right: Vector) => number;

type Vec2 = readonly [number, number];
type Vec4 = readonly [number, number, number, number];
type Num1 = (a: number) => number;
type Num2 = (a: number, b: number) => number;
type Num3 = (a: number, b: number, c: number) => number;

const fround = Math.fround;
const ZERO_2: Vector = Object.freeze([0, 0]);
const ZERO_4: Vector = Object.freeze([0, 0, 0, 0]);

/** Components of a vector type. */
export function vectorWidth(type: VectorType): VectorWidth {
  return widthOf(type) as VectorWidth;
}

/** The scalar type of each component of a vector type (never `bool`). */
export function vectorComponent(type: VectorType): ComponentType {
  return componentOf(type) as ComponentType;
}

/** The vector of `width` components of `component`. */
export function vectorTypeOf(component: ComponentType, width: VectorWidth): VectorType {
  return `vec${width}<${component}>`;
}

/** The zero vector of `width` components: what an out-of-bounds load reads. */
export function zeroVector(width: VectorWidth): Vector {
  return width === 2 ? ZERO_2 : ZERO_4;
}

function unsupported(what: string): VyreError {
  return new VyreError('invalid-program', `The operator ${what} does not exist.`, 'validate the program before running it.');
}

// ---- lifting -------------------------------------------------------------------------
// One closure per width, building the result as an array literal (x first), so V8 sees a
// small packed array and no loop.

function lift1(fn: Num1, width: VectorWidth): VectorUnaryFn {
  if (width === 2) {
    return (value) => {
      const a = value as Vec2;
      return [fn(a[0]), fn(a[1])];
    };
  }
  return (value) => {
    const a = value as Vec4;
    return [fn(a[0]), fn(a[1]), fn(a[2]), fn(a[3])];
  };
}

function lift2(fn: Num2, width: VectorWidth): VectorBinaryFn {
  if (width === 2) {
    return (left, right) => {
      const a = left as Vec2;
      const b = right as Vec2;
      return [fn(a[0], b[0]), fn(a[1], b[1])];
    };
  }
  return (left, right) => {
    const a = left as Vec4;
    const b = right as Vec4;
    return [fn(a[0], b[0]), fn(a[1], b[1]), fn(a[2], b[2]), fn(a[3], b[3])];
  };
}

function lift3(fn: Num3, width: VectorWidth): VectorTernaryFn {
  if (width === 2) {
    return (x, y, z) => {
      const a = x as Vec2;
      const b = y as Vec2;
      const c = z as Vec2;
      return [fn(a[0], b[0], c[0]), fn(a[1], b[1], c[1])];
    };
  }
  return (x, y, z) => {
    const a = x as Vec4;
    const b = y as Vec4;
    const c = z as Vec4;
    return [fn(a[0], b[0], c[0]), fn(a[1], b[1], c[1]), fn(a[2], b[2], c[2]), fn(a[3], b[3], c[3])];
  };
}

// ---- typing --------------------------------------------------------------------------

/** Result type of a unary operator on a vector, or `undefined` when it does not take it. */
export function vectorUnaryResultType(op: UnaryOp, type: VectorType): VectorType | undefined {
  const component = unaryResultType(op, vectorComponent(type));
  // No bool vectors: `not` (bool only) never applies.
  if (component === undefined || component === 'bool') return undefined;
  return vectorTypeOf(component, vectorWidth(type));
}

/**
 * Result type of a binary operator whose left operand is the vector type `left`, or
 * `undefined` when it does not take it: the scalar rule of the component type, except that
 * operators yielding `bool` (comparisons, `eq`/`ne`, `and`/`or`) do not exist on vectors.
 */
export function vectorBinaryResultType(op: BinaryOp, left: VectorType): VectorType | undefined {
  const component = binaryResultType(op, vectorComponent(left));
  if (component === undefined || component === 'bool') return undefined;
  return vectorTypeOf(component, vectorWidth(left));
}

/** Type of the right operand: the left's type, or the `u32` vector of its width for a shift amount. */
export function vectorBinaryRightType(op: BinaryOp, left: VectorType): VectorType {
  const component = binaryRightType(op, vectorComponent(left)) as ComponentType;
  return vectorTypeOf(component, vectorWidth(left));
}

// ---- operators -----------------------------------------------------------------------

/**
 * `op` on a vector of `type`, component by component.
 * @throws VyreError `invalid-program` when `op` does not take `type`.
 */
export function vectorUnaryOpFor(op: UnaryOp, type: VectorType): VectorUnaryFn {
  if (vectorUnaryResultType(op, type) === undefined) throw unsupported(`${op} on ${type}`);
  // Components of a numeric type are numbers in, numbers out.
  return lift1(unaryOpFor(op, vectorComponent(type)) as Num1, vectorWidth(type));
}

/**
 * `op` with a left operand of `type` (the right one's type is {@link vectorBinaryRightType}),
 * component by component.
 * @throws VyreError `invalid-program` when `op` does not take `type`.
 */
export function vectorBinaryOpFor(op: BinaryOp, type: VectorType): VectorBinaryFn {
  if (vectorBinaryResultType(op, type) === undefined) throw unsupported(`${op} on ${type}`);
  return lift2(binaryOpFor(op, vectorComponent(type)) as Num2, vectorWidth(type));
}

/**
 * Converts a vector of type `from` to the vector `to` of the same width, component by
 * component with the scalar cast rules.
 * @throws VyreError `invalid-program` when the widths differ.
 */
export function vectorCastFor(from: VectorType, to: VectorType): VectorUnaryFn {
  const width = vectorWidth(from);
  if (vectorWidth(to) !== width) throw unsupported(`cast from ${from} to ${to}`);
  if (from === to) return (value) => value;
  return lift1(castFor(vectorComponent(from), vectorComponent(to)) as Num1, width);
}

/**
 * `fma(a, b, c)` on three `f32` vectors of `type`, each component as the scalar `fma`.
 * @throws VyreError `invalid-program` when `type` is not an `f32` vector.
 */
export function vectorFmaFor(type: VectorType): VectorTernaryFn {
  if (vectorComponent(type) !== 'f32') throw unsupported(`fma on ${type}`);
  return lift3(fmaF32, vectorWidth(type));
}

/** `((a.x·b.x + a.y·b.y) + a.z·b.z) + a.w·b.w` on f32, each product and partial sum rounded on its own. */
function dotF32(width: VectorWidth): DotFn {
  // A product of two f32 is exact in a double, and a sum of two f32 rounds harmlessly
  // twice (53 ≥ 2·24 + 2), so each fround below is that step's single f32 rounding.
  if (width === 2) {
    return (left, right) => {
      const a = left as Vec2;
      const b = right as Vec2;
      return fround(fround(a[0] * b[0]) + fround(a[1] * b[1]));
    };
  }
  return (left, right) => {
    const a = left as Vec4;
    const b = right as Vec4;
    const xy = fround(fround(a[0] * b[0]) + fround(a[1] * b[1]));
    return fround(fround(xy + fround(a[2] * b[2])) + fround(a[3] * b[3]));
  };
}

/**
 * Integer dot product modulo 2³²: Math.imul gives each product's low 32 bits (the same for
 * signed and unsigned inputs); the sum of up to four of them is exact in a double, and
 * wrapping once at the end equals wrapping after every step.
 */
function dotInteger(width: VectorWidth, wrap: Num1): DotFn {
  const imul = Math.imul;
  if (width === 2) {
    return (left, right) => {
      const a = left as Vec2;
      const b = right as Vec2;
      return wrap(imul(a[0], b[0]) + imul(a[1], b[1]));
    };
  }
  return (left, right) => {
    const a = left as Vec4;
    const b = right as Vec4;
    return wrap(imul(a[0], b[0]) + imul(a[1], b[1]) + imul(a[2], b[2]) + imul(a[3], b[3]));
  };
}

/** `dot` of two vectors of `type`: a scalar of its component type (docs/semantics.md). */
export function dotFor(type: VectorType): DotFn {
  const width = vectorWidth(type);
  switch (vectorComponent(type)) {
    case 'f32':
      return dotF32(width);
    case 'i32':
      return dotInteger(width, (sum) => sum | 0);
    case 'u32':
      return dotInteger(width, (sum) => sum >>> 0);
  }
}
