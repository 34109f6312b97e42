/**
 * What expression lowering passes around: a lowered expression, the context it is lowered
 * in, the WGSL names of IR things, and the helper lookups every operator shares. A file of
 * its own so that the scalar lowering (lower-expr.ts) and the vector lowering
 * (lower-vector.ts) both build on it without importing each other.
 */
import { invariant } from '../errors.ts';
import { componentOf, isVectorType, type IrBuffer, type IrParam, type ValueType } from '../protocol/ir.ts';
import type { FloatPolicy } from '../protocol/program.ts';
import type { HelperSet } from './wgsl-helpers.ts';
import { vectorWidth } from './wgsl-vector-helpers.ts';

export interface Lowered {
  readonly code: string;
  readonly type: ValueType;
  /** Built only from literals: WGSL would evaluate it at shader creation. */
  readonly constant: boolean;
}

export interface ExprContext {
  readonly buffers: ReadonlyMap<string, IrBuffer>;
  readonly atomicBuffers: ReadonlySet<string>;
  readonly params: ReadonlyMap<string, IrParam>;
  readonly helpers: HelperSet;
  /** Innermost scope last. */
  readonly scopes: Map<string, ValueType>[];
  /** `exact`: f32 products rounded on their own; `fast`: plain operators, fusable. */
  readonly floats: FloatPolicy;
  /** Locals that never hold a sum, so an exact product need not guard them (sum-free.ts). */
  readonly sumFreeLocals: ReadonlySet<string>;
}

/** WGSL names: buffers, workgroup arrays and locals get prefixes so they never collide. */
export const wgslName = {
  buffer: (buffer: IrBuffer): string => (buffer.access === 'workgroup' ? `w_${buffer.name}` : `b_${buffer.name}`),
  local: (name: string): string => `v_${name}`,
  param: (name: string): string => `vyre_params.p_${name}`,
} as const;

/** A buffer's element count in WGSL: `arrayLength` of a bound buffer, the static count of a workgroup one. */
export function lengthCode(buffer: IrBuffer): string {
  return buffer.access === 'workgroup' ? `${buffer.count ?? 0}u` : `arrayLength(&${wgslName.buffer(buffer)})`;
}

/** The entry point's run-time 1.0 that strict f32 products multiply by (see wgsl-helpers.ts). */
export const RUNTIME_ONE_F32 = 'vyre_one_f32';

/**
 * The helper `vyre_<stem>_<T>` for operands of `type`: the fixed scalar helper for a
 * scalar, its component-wise vector form for a vector (`div` of `vec4<i32>` →
 * `vyre_div_vec4_i32`, which applies `vyre_div_i32` to each component).
 */
export function typedHelper(context: ExprContext, stem: string, type: ValueType): string {
  const scalarName = `vyre_${stem}_${componentOf(type)}`;
  return isVectorType(type) ? context.helpers.useVector(scalarName, vectorWidth(type)) : context.helpers.use(scalarName);
}

/** Makes sure at least one operand is a run-time value (see wgsl-helpers.ts for why). */
export function runtime<T extends Lowered[]>(operands: [...T], context: ExprContext): T {
  if (!operands.every((operand) => operand.constant)) return operands;
  const [first, ...rest] = operands;
  invariant(first, 'an operator has operands');
  const opaque = typedHelper(context, 'opaque', first.type);
  return [{ ...first, code: `${opaque}(${first.code})`, constant: false }, ...rest] as T;
}
