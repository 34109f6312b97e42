/**
 * Compiles the interpreter's vector nodes (docs/semantics.md, "## Vectors") from their
 * already compiled operands: the type checks, then closures over vector-ops.ts.
 *
 * interpret-compile.ts calls these only once an operand's static type is a vector, so its
 * scalar closures stay exactly as they were: no run-time test of whether a value is a
 * vector, anywhere.
 */
import { isVectorType, type BinaryOp, type IrBuffer, type UnaryOp, type ValueType, type VectorType, type VectorWidth } from '../protocol/ir.ts';
import {
  dotFor,
  vectorBinaryOpFor,
  vectorBinaryResultType,
  vectorBinaryRightType,
  vectorCastFor,
  vectorComponent,
  vectorFmaFor,
  vectorUnaryOpFor,
  vectorUnaryResultType,
  vectorWidth,
  zeroVector,
} from './vector-ops.ts';
import {
  type IndexFn,
  type Invocation,
  type Memory,
  NEXT,
  type StmtFn,
  type Typed,
  type VectorFn,
  internal,
  invalid,
  vectorType,
} from './interpret-model.ts';

/** A scalar expression of a vector's component type: always a number. */
type ComponentFn = (inv: Invocation) => number;

/** The function of `typed`, whose static type the caller has checked is a vector type. */
function vectorFn(typed: Typed): VectorFn {
  return typed.fn as VectorFn;
}

/** The type of `typed` when it is a vector type; `invalid-program` otherwise. */
function requireVector(typed: Typed, what: string): VectorType {
  if (!isVectorType(typed.type)) throw invalid(`The ${what} is ${typed.type}, expected a vector.`);
  return typed.type;
}

/** `vector`: exactly `width` scalars of the component type, evaluated x first. */
export function buildVector(rawType: unknown, components: readonly Typed[]): Typed {
  const type = vectorType(rawType);
  const width = vectorWidth(type);
  const component = vectorComponent(type);
  if (components.length !== width) {
    throw invalid(`A ${type} is built from ${components.length} components, expected ${width}.`);
  }
  for (const [i, c] of components.entries()) {
    if (c.type !== component) throw invalid(`Component ${i} of a ${type} is ${c.type}, expected ${component}.`);
  }
  const [x, y, z, w] = components.map((c) => c.fn as ComponentFn);
  if (x === undefined || y === undefined) return internal('a vector has at least two components');
  // An array literal evaluates its elements left to right: x first, as the semantics require.
  if (width === 2) return { type, fn: (inv) => [x(inv), y(inv)] };
  if (z === undefined || w === undefined) return internal('a vec4 has four components');
  return { type, fn: (inv) => [x(inv), y(inv), z(inv), w(inv)] };
}

/** `splat`: one scalar of the component type, evaluated once, in every component. */
export function splatVector(rawType: unknown, value: Typed): Typed {
  const type = vectorType(rawType);
  const component = vectorComponent(type);
  if (value.type !== component) throw invalid(`The value splat into a ${type} is ${value.type}, expected ${component}.`);
  const fn = value.fn as ComponentFn;
  if (vectorWidth(type) === 2) {
    return {
      type,
      fn: (inv) => {
        const v = fn(inv);
        return [v, v];
      },
    };
  }
  return {
    type,
    fn: (inv) => {
      const v = fn(inv);
      return [v, v, v, v];
    },
  };
}

/** `component`: component `index` (below the width) of a vector, as a scalar. */
export function takeComponent(value: Typed, index: unknown): Typed {
  const type = requireVector(value, 'operand of component');
  const width = vectorWidth(type);
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= width) {
    throw invalid(`Component ${String(index)} of a ${type} does not exist (its width is ${width}).`);
  }
  const fn = vectorFn(value);
  return { type: vectorComponent(type), fn: (inv) => fn(inv)[index] as number };
}

/** `dot`: two vectors of one type, to a scalar of their component type. */
export function dotProduct(left: Typed, right: Typed): Typed {
  const type = requireVector(left, 'left operand of dot');
  if (right.type !== type) throw invalid(`The operands of dot differ in type (${type}, ${right.type}).`);
  const dot = dotFor(type);
  const [l, r] = [vectorFn(left), vectorFn(right)];
  // Left before right.
  return { type: vectorComponent(type), fn: (inv) => dot(l(inv), r(inv)) };
}

/** A unary operator on a vector, component by component. */
export function vectorUnary(op: UnaryOp, value: Typed): Typed {
  const from = requireVector(value, `operand of ${op}`);
  const type = vectorUnaryResultType(op, from);
  if (type === undefined) throw invalid(`The operator ${op} does not take ${from}.`);
  const fn = vectorUnaryOpFor(op, from);
  const arg = vectorFn(value);
  return { type, fn: (inv) => fn(arg(inv)) };
}

/** A binary operator on vectors, component by component (a shift amount is the u32 vector). */
export function vectorBinary(op: BinaryOp, left: Typed, right: Typed): Typed {
  const from = requireVector(left, `left operand of ${op}`);
  const type = vectorBinaryResultType(op, from);
  if (type === undefined) throw invalid(`The operator ${op} does not take ${from}.`);
  const rightType = vectorBinaryRightType(op, from);
  if (right.type !== rightType) throw invalid(`The right operand of ${op} is ${right.type}, expected ${rightType}.`);
  const fn = vectorBinaryOpFor(op, from);
  const [l, r] = [vectorFn(left), vectorFn(right)];
  // Left before right.
  return { type, fn: (inv) => fn(l(inv), r(inv)) };
}

/** `cast` of a vector to the vector of the same width of another component type. */
export function vectorCast(to: ValueType, value: Typed): Typed {
  if (!isVectorType(value.type)) throw invalid(`A ${value.type} cannot be cast to ${to}: build a vector with splat.`);
  const from = value.type;
  if (!isVectorType(to) || vectorWidth(to) !== vectorWidth(from)) {
    throw invalid(`A ${from} cannot be cast to ${to} (only to a vector of the same width).`);
  }
  const cast = vectorCastFor(from, to);
  const arg = vectorFn(value);
  return { type: to, fn: (inv) => cast(arg(inv)) };
}

/** `fma` on three `f32` vectors of one type, component by component. */
export function vectorFma(a: Typed, b: Typed, c: Typed): Typed {
  const type = requireVector(a, 'first operand of fma');
  if (vectorComponent(type) !== 'f32' || b.type !== type || c.type !== type) {
    throw invalid(`fma takes three f32 vectors of one type, not ${type}, ${b.type}, ${c.type}.`);
  }
  const fma = vectorFmaFor(type);
  const [fa, fb, fc] = [vectorFn(a), vectorFn(b), vectorFn(c)];
  // a, then b, then c.
  return { type, fn: (inv) => fma(fa(inv), fb(inv), fc(inv)) };
}

/**
 * A load from a vector buffer: vector `i` is components [i·w, i·w + w) of the flat array;
 * out of bounds (negative i32 indices included) reads the zero vector.
 */
export function vectorLoad(memory: Memory, type: VectorType, index: IndexFn): Typed {
  const { array } = memory;
  const width = vectorWidth(type);
  const count = array.length / width;
  const zero = zeroVector(width);
  if (width === 2) {
    return {
      type,
      fn: (inv) => {
        const i = index(inv);
        if (!(i >= 0 && i < count)) return zero;
        const base = i * 2;
        return [array[base] as number, array[base + 1] as number];
      },
    };
  }
  return {
    type,
    fn: (inv) => {
      const i = index(inv);
      if (!(i >= 0 && i < count)) return zero;
      const base = i * 4;
      return [array[base] as number, array[base + 1] as number, array[base + 2] as number, array[base + 3] as number];
    },
  };
}

/** A store into a vector buffer: the whole vector, or nothing when the index is out of bounds. */
export function vectorStore(memory: Memory, type: VectorType, index: IndexFn, value: VectorFn): StmtFn {
  const { array } = memory;
  const width = vectorWidth(type);
  const count = array.length / width;
  return (inv) => {
    // Order: the index before the value.
    const i = index(inv);
    const v = value(inv);
    if (i >= 0 && i < count) {
      const base = i * width;
      for (let k = 0; k < width; k++) array[base + k] = v[k] as number;
      memory.dirty = true;
    }
    return NEXT;
  };
}

/**
 * The vector type of a `load-vector` or `store-vector` of `width` elements of the scalar
 * buffer `decl`; `invalid-program` for any other width or element type.
 */
export function scalarBufferVectorType(decl: IrBuffer, width: unknown): VectorType {
  if (width !== 2 && width !== 4) throw invalid(`A vector access of ${decl.name} has width ${String(width)}, expected 2 or 4.`);
  if (decl.type !== 'f32' && decl.type !== 'i32' && decl.type !== 'u32') {
    throw invalid(`A vector access needs a buffer of f32, i32 or u32 scalars; ${decl.name} holds ${decl.type}.`);
  }
  return `vec${width}<${decl.type}>`;
}

/**
 * `load-vector`: component k is element `width·v + k` of a scalar buffer, 0 when that
 * index is past the end. The index is the exact product in a JS number (v < 2³², so
 * width·v + k < 2³⁵ is exact), never wrapped to 32 bits, so a `v` past 2³²/width reads
 * zeros as docs/semantics.md says; a typed array reads `undefined` past its end (and at
 * the negative indices of a negative i32 `v`), which is the 0.
 */
export function scalarBufferVectorLoad(memory: Memory, width: unknown, index: IndexFn): Typed {
  const type = scalarBufferVectorType(memory.decl, width);
  const { array } = memory;
  if (width === 2) {
    return {
      type,
      fn: (inv) => {
        const base = index(inv) * 2;
        return [array[base] ?? 0, array[base + 1] ?? 0];
      },
    };
  }
  return {
    type,
    fn: (inv) => {
      const base = index(inv) * 4;
      return [array[base] ?? 0, array[base + 1] ?? 0, array[base + 2] ?? 0, array[base + 3] ?? 0];
    },
  };
}

/**
 * `store-vector`: component k goes to element `width·v + k` when that exact index is in
 * bounds; the components past the end are dropped, the others written.
 */
export function scalarBufferVectorStore(memory: Memory, width: VectorWidth, index: IndexFn, value: VectorFn): StmtFn {
  const { array } = memory;
  const length = array.length;
  return (inv) => {
    // Order: the index before the value.
    const base = index(inv) * width;
    const v = value(inv);
    for (let k = 0; k < width; k++) {
      const element = base + k;
      if (element >= 0 && element < length) {
        array[element] = v[k] as number;
        memory.dirty = true;
      }
    }
    return NEXT;
  };
}
