/**
 * The interpreter's model: per-invocation state, control signals, bound memories and
 * the small helpers the compiler and the scheduler share (see interpret.ts).
 */
import { VyreError, invariant } from '../errors.ts';
import {
  SCALAR_TYPES,
  isVectorType,
  type AtomicOp,
  type BinaryOp,
  type IrBuffer,
  type ScalarType,
  type Stmt,
  type ValueType,
  type VectorType,
} from '../protocol/ir.ts';
import type { Scalar } from './scalar-ops.ts';
import type { Vector } from './vector-ops.ts';

/**
 * A bound buffer's storage; `bool` buffers use `Uint32Array` words, vector buffers a flat
 * array of their component type (width · n components, x first).
 */
export type InterpretArray = Uint32Array | Int32Array | Float32Array;

/** What one interpreted dispatch reads and writes. */
export interface InterpretRun {
  /**
   * Every bound (non-`workgroup`) buffer by name, already sized; mutated in place. A buffer
   * of n `vec4<f32>` is a `Float32Array` of 4·n floats.
   */
  readonly buffers: Readonly<Record<string, InterpretArray>>;
  /** Every parameter by name; coerced as a store into the parameter's typed array would. */
  readonly params: Readonly<Record<string, number>>;
  /** Workgroups per axis. */
  readonly grid: readonly [number, number, number];
}

/** A value at run time: a scalar (scalar-ops.ts) or a vector (vector-ops.ts). */
export type Value = Scalar | Vector;

/** Per-invocation state the compiled closures read: locals by slot, and the builtins. */
export class Invocation {
  readonly vars: Value[];
  lx = 0;
  ly = 0;
  lz = 0;
  localIndex = 0;
  wx = 0;
  wy = 0;
  wz = 0;
  linearIndex = 0;
  constructor(slots: number) {
    this.vars = new Array<Value>(slots).fill(0);
  }
}

export type ExprFn = (inv: Invocation) => Value;
/** An expression whose static type is a scalar type. */
export type ScalarFn = (inv: Invocation) => Scalar;
/** An expression whose static type is a vector type. */
export type VectorFn = (inv: Invocation) => Vector;
/** An index expression (u32, or i32 where negative values are simply out of bounds). */
export type IndexFn = (inv: Invocation) => number;
/** A compiled expression and its static type; `fn` returns a `Vector` exactly when `type` is a vector type. */
export interface Typed {
  readonly type: ValueType;
  readonly fn: ExprFn;
}

/** How a statement ended: fall through, leave the innermost loop, or end the invocation. */
export const NEXT = 0;
export const BREAK = 1;
export const RETURN = 2;
export type Signal = typeof NEXT | typeof BREAK | typeof RETURN;
export type StmtFn = (inv: Invocation) => Signal;
/** A statement containing a barrier: yields the barrier's id each time it waits. */
export type GenFn = (inv: Invocation) => Generator<number, Signal, void>;

export interface Memory {
  readonly decl: IrBuffer;
  readonly array: InterpretArray;
  /** Set by every write; lets a workgroup re-zero only the workgroup memory that was touched. */
  dirty: boolean;
}

export interface Local {
  readonly slot: number;
  readonly type: ValueType;
  readonly mutable: boolean;
}

export const WRITABLE = new Set<IrBuffer['access']>(['read-write', 'output', 'workgroup']);

/** Atomic read-modify-write operators, as the binary operator that computes the new value. */
export const ATOMIC_BINARY: Partial<Record<AtomicOp, BinaryOp>> = {
  add: 'add',
  sub: 'sub',
  min: 'min',
  max: 'max',
  and: 'bit-and',
  or: 'bit-or',
  xor: 'bit-xor',
};

export function invalid(problem: string): VyreError {
  return new VyreError('invalid-program', problem, 'validate the program before interpreting it.');
}

/** @throws VyreError `internal`: a bug of this file, never of the program. */
export function internal(what: string): never {
  invariant(false, what);
}

export function invalidInput(problem: string, fix: string): VyreError {
  return new VyreError('invalid-input', problem, fix);
}

/** True when `stmt` is or contains a `barrier`. */
export function hasBarrier(stmt: Stmt): boolean {
  switch (stmt.kind) {
    case 'barrier':
      return true;
    case 'if':
      return stmt.then.some(hasBarrier) || stmt.otherwise.some(hasBarrier);
    case 'loop':
    case 'block':
    case 'region':
      return stmt.body.some(hasBarrier);
    default:
      return false;
  }
}

/** A scalar type, checked where a type comes straight from the IR (a literal's, a cast's). */
export function scalarType(type: unknown): ScalarType {
  if (!(SCALAR_TYPES as readonly unknown[]).includes(type)) throw invalid(`${String(type)} is not a scalar type.`);
  return type as ScalarType;
}

/** A vector type, checked where a type comes straight from the IR (a `vector`'s, a `splat`'s). */
export function vectorType(type: unknown): VectorType {
  if (!isVectorType(type)) throw invalid(`${String(type)} is not a vector type.`);
  return type;
}

/** A scalar or vector type, checked where a type comes straight from the IR (a cast's). */
export function valueType(type: unknown): ValueType {
  return isVectorType(type) ? type : scalarType(type);
}

/** Runs statements in order until one breaks or returns (NEXT is 0, hence the `||`). */
export function sequence(fns: readonly StmtFn[]): StmtFn {
  const [first, second] = fns;
  if (first === undefined) return () => NEXT;
  if (fns.length === 1) return first;
  if (fns.length === 2 && second !== undefined) return (inv) => first(inv) || second(inv);
  return (inv) => {
    for (const fn of fns) {
      const signal = fn(inv);
      if (signal !== NEXT) return signal;
    }
    return NEXT;
  };
}
