/**
 * The interpreter's model: per-invocation state, control signals, bound memories and
 * the small helpers the compiler and the scheduler share (see interpret.ts).
 */
import { VyreError, invariant } from '../errors.ts';
import {
  SCALAR_TYPES,
  type AtomicOp,
  type BinaryOp,
  type IrBuffer,
  type ScalarType,
  type Stmt,
} from '../protocol/ir.ts';
import type { Scalar } from './scalar-ops.ts';

/** A bound buffer's storage; `bool` buffers use `Uint32Array` words. */
export type InterpretArray = Uint32Array | Int32Array | Float32Array;

/** What one interpreted dispatch reads and writes. */
export interface InterpretRun {
  /** Every bound (non-`workgroup`) buffer by name, already sized; mutated in place. */
  readonly buffers: Readonly<Record<string, InterpretArray>>;
  /** Every parameter by name; coerced as a store into the parameter's typed array would. */
  readonly params: Readonly<Record<string, number>>;
  /** Workgroups per axis. */
  readonly grid: readonly [number, number, number];
}

/** Per-invocation state the compiled closures read: locals by slot, and the builtins. */
export class Invocation {
  readonly vars: Scalar[];
  lx = 0;
  ly = 0;
  lz = 0;
  localIndex = 0;
  wx = 0;
  wy = 0;
  wz = 0;
  linearIndex = 0;
  constructor(slots: number) {
    this.vars = new Array<Scalar>(slots).fill(0);
  }
}

export type ExprFn = (inv: Invocation) => Scalar;
export interface Typed {
  readonly type: ScalarType;
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
  readonly type: ScalarType;
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
