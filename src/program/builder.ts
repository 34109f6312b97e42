/**
 * The Program builder: write kernels as TypeScript that reads like the kernel.
 *
 * Values are typed by their scalar or vector type, so `f32.add(u32)` or `bool.mul(…)`
 * does not compile. The builder only records IR; `program()` returns plain data, validated and
 * deeply frozen.
 *
 * @example
 * ```ts
 * const saxpy = program({ name: 'saxpy', workgroupSize: 64 }, (b) => {
 *   const x = b.buffer('x', 'f32', 'read');
 *   const y = b.buffer('y', 'f32', 'read-write');
 *   const alpha = b.param('alpha', 'f32');
 *   const i = b.let('i', b.linearIndex());
 *   b.if(i.lt(x.length()), () => y.store(i, alpha.mul(x.load(i)).add(y.load(i))));
 * });
 * ```
 */
import type {
  AtomicOp,
  BufferSignature,
  ComponentType,
  Expr,
  IrAccess,
  IrBuffer,
  IrParam,
  IrProgram,
  OutputSizing,
  Stmt,
  ValueType,
  VectorType,
  VectorWidth,
} from '../protocol/ir.ts';
import { Value, lift, type ComponentOf, type Int, type Operand, type VectorOf } from './value.ts';
import { validateProgram } from './validate.ts';
import { deepFreeze } from './freeze.ts';

export { Value } from './value.ts';
export type { ComponentOf, Int, IntValue, Numeric, NumericValue, Operand, Reshaped, VectorOf } from './value.ts';

/** A local variable: a value you can also assign to. */
export class Local<T extends ValueType> extends Value<T> {
  constructor(
    readonly name: string,
    type: T,
    private readonly builder: ProgramBuilder,
  ) {
    super({ kind: 'var', name }, type);
  }

  /** `name = value`. */
  set(value: Operand<T>): void {
    this.builder.emit({ kind: 'assign', name: this.name, value: lift(value, this.type).expr });
  }
}

/**
 * A declared buffer: loads, stores, length and atomics. `N` and `A` keep its name and
 * access in the type, so a program whose body returns its buffers types its outputs.
 */
export class BufferRef<T extends ValueType, N extends string = string, A extends IrAccess = IrAccess> {
  constructor(
    readonly declaration: IrBuffer,
    private readonly builder: ProgramBuilder,
  ) {}

  get type(): T {
    return this.declaration.type as T;
  }

  get name(): N {
    return this.declaration.name as N;
  }

  get access(): A {
    return this.declaration.access as A;
  }

  load(index: Operand<'u32'>): Value<T> {
    return new Value({ kind: 'load', buffer: this.declaration.name, index: lift(index, 'u32').expr }, this.type);
  }

  store(index: Operand<'u32'>, value: Operand<T>): void {
    this.builder.emit({ kind: 'store', buffer: this.declaration.name, index: lift(index, 'u32').expr, value: lift(value, this.type).expr });
  }

  /**
   * Vector `v` of this buffer of `f32`, `i32` or `u32` scalars: elements
   * `width·v … width·v + width − 1` as one `vec{width}<T>`. `v` counts vectors, so the
   * access is always aligned; each component is bounds-checked on its own, a component
   * past the end reading 0 (docs/semantics.md, "Vectors").
   * @example `const v = x.loadVector(4, i); // vec4<f32> of x[4i], x[4i + 1], x[4i + 2], x[4i + 3]`
   */
  loadVector<C extends ComponentType, W extends VectorWidth>(this: BufferRef<C, N, A>, width: W, v: Operand<'u32'>): Value<`vec${W}<${C}>`> {
    const type: `vec${W}<${C}>` = `vec${width}<${this.type}>`;
    return new Value({ kind: 'load-vector', buffer: this.declaration.name, width, index: lift(v, 'u32').expr }, type);
  }

  /**
   * Writes `value`, a `vec{width}<T>`, to elements `width·v … width·v + width − 1` of this
   * buffer of scalars; a component whose element is past the end is dropped, the others are
   * written (docs/semantics.md, "Vectors").
   */
  storeVector<C extends ComponentType, W extends VectorWidth>(this: BufferRef<C, N, A>, width: W, v: Operand<'u32'>, value: Operand<NoInfer<`vec${W}<${C}>`>>): void {
    const type: `vec${W}<${C}>` = `vec${width}<${this.type}>`;
    this.builder.emit({ kind: 'store-vector', buffer: this.declaration.name, width, index: lift(v, 'u32').expr, value: lift(value, type).expr });
  }

  /** Element count (a workgroup buffer's static count); vectors for a vector buffer. */
  length(): Value<'u32'> {
    return new Value({ kind: 'length', buffer: this.declaration.name }, 'u32');
  }

  /** Atomic read-modify-write; returns the old value. Buffer elements must be u32 or i32. */
  atomic(op: Exclude<AtomicOp, 'compare-exchange' | 'load'>, index: Operand<'u32'>, value: Operand<T>): Value<T> {
    return new Value({ kind: 'atomic', op, buffer: this.declaration.name, index: lift(index, 'u32').expr, value: lift(value, this.type).expr }, this.type);
  }

  atomicLoad(index: Operand<'u32'>): Value<T> {
    return new Value({ kind: 'atomic', op: 'load', buffer: this.declaration.name, index: lift(index, 'u32').expr }, this.type);
  }

  /** Replaces the element with `value` when it equals `expected`; returns the old value. May fail spuriously on the GPU. */
  compareExchange(index: Operand<'u32'>, expected: Operand<T>, value: Operand<T>): Value<T> {
    return new Value(
      { kind: 'atomic', op: 'compare-exchange', buffer: this.declaration.name, index: lift(index, 'u32').expr, expected: lift(expected, this.type).expr, value: lift(value, this.type).expr },
      this.type,
    );
  }
}

export interface BufferOptions {
  /** Binding number; default: the next free one in declaration order. */
  readonly binding?: number;
  readonly sizing?: OutputSizing;
}

/** Records statements into nested lists while the kernel's callbacks run. */
export class ProgramBuilder {
  private readonly buffers: IrBuffer[] = [];
  private readonly params: IrParam[] = [];
  private readonly blocks: Stmt[][] = [[]];

  /** @internal Appends a statement to the innermost block. */
  emit(statement: Stmt): void {
    this.blocks.at(-1)?.push(statement);
  }

  buffer<const N extends string, T extends ValueType, A extends Exclude<IrAccess, 'workgroup'>>(name: N, type: T, access: A, options: BufferOptions = {}): BufferRef<T, N, A> {
    const used = this.buffers.filter((b) => b.access !== 'workgroup').map((b) => b.binding);
    const binding = options.binding ?? (used.length === 0 ? 0 : Math.max(...used) + 1);
    const declaration: IrBuffer = options.sizing === undefined ? { name, binding, access, type } : { name, binding, access, type, sizing: options.sizing };
    this.buffers.push(declaration);
    return new BufferRef<T, N, A>(declaration, this);
  }

  /** Per-workgroup scratch memory of `count` elements, zero-filled. */
  workgroup<const N extends string, T extends ValueType>(name: N, type: T, count: number): BufferRef<T, N, 'workgroup'> {
    const declaration: IrBuffer = { name, binding: -1, access: 'workgroup', type, count };
    this.buffers.push(declaration);
    return new BufferRef<T, N, 'workgroup'>(declaration, this);
  }

  /** A per-dispatch scalar: `dispatch(…, { params: { [name]: value } })`. */
  param<T extends 'u32' | 'i32' | 'f32'>(name: string, type: T): Value<T> {
    this.params.push({ name, type });
    return new Value<T>({ kind: 'param', name }, type);
  }

  let<T extends ValueType>(name: string, value: Value<T>): Local<T> {
    this.emit({ kind: 'let', name, value: value.expr });
    return new Local(name, value.type, this);
  }

  if(cond: Value<'bool'>, then: () => void, otherwise?: () => void): void {
    const thenBody = this.collect(then);
    const elseBody = otherwise ? this.collect(otherwise) : [];
    this.emit({ kind: 'if', cond: cond.expr, then: thenBody, otherwise: elseBody });
  }

  /**
   * Half-open loop `from ≤ name < to` over u32 (plain numbers) or i32 (pass an i32 value);
   * bounds are evaluated once and the loop variable is immutable.
   */
  loop(name: string, from: Operand<'u32'>, to: Operand<'u32'>, body: (index: Value<'u32'>) => void): void;
  loop(name: string, from: Operand<'i32'>, to: Operand<'i32'>, body: (index: Value<'i32'>) => void): void;
  loop(name: string, from: Value<Int> | number, to: Value<Int> | number, body: (index: Value<'u32'> & Value<'i32'>) => void): void {
    const type: Int = from instanceof Value ? from.type : to instanceof Value ? to.type : 'u32';
    const start = lift<Int>(from, type);
    const end = lift<Int>(to, type);
    const index = new Value<Int>({ kind: 'var', name }, type) as Value<'u32'> & Value<'i32'>;
    this.emit({ kind: 'loop', var: name, from: start.expr, to: end.expr, body: this.collect(() => body(index)) });
  }

  break(): void {
    this.emit({ kind: 'break' });
  }

  return(): void {
    this.emit({ kind: 'return' });
  }

  barrier(): void {
    this.emit({ kind: 'barrier' });
  }

  block(body: () => void): void {
    this.emit({ kind: 'block', body: this.collect(body) });
  }

  region(name: string, body: () => void): void {
    this.emit({ kind: 'region', name, body: this.collect(body) });
  }

  u32(value: number): Value<'u32'> {
    return lift(value, 'u32');
  }

  i32(value: number): Value<'i32'> {
    return lift(value, 'i32');
  }

  f32(value: number): Value<'f32'> {
    return lift(value, 'f32');
  }

  bool(value: boolean): Value<'bool'> {
    return new Value({ kind: 'literal', type: 'bool', value }, 'bool');
  }

  globalId(axis: 0 | 1 | 2 = 0): Value<'u32'> {
    return builtin('global-id', axis);
  }

  localId(axis: 0 | 1 | 2 = 0): Value<'u32'> {
    return builtin('local-id', axis);
  }

  workgroupId(axis: 0 | 1 | 2 = 0): Value<'u32'> {
    return builtin('workgroup-id', axis);
  }

  numWorkgroups(axis: 0 | 1 | 2 = 0): Value<'u32'> {
    return builtin('num-workgroups', axis);
  }

  /** Dense global index, valid whatever shape the runtime gives the grid. */
  linearIndex(): Value<'u32'> {
    return builtin('linear-index', 0);
  }

  localIndex(): Value<'u32'> {
    return builtin('local-index', 0);
  }

  select<T extends ValueType>(cond: Value<'bool'>, ifTrue: Value<T>, ifFalse: Operand<T>): Value<T> {
    return new Value({ kind: 'select', cond: cond.expr, ifTrue: ifTrue.expr, ifFalse: lift(ifFalse, ifTrue.type).expr }, ifTrue.type);
  }

  /** `a·b + c`, fused or not (docs/semantics.md); on f32 or component-wise on f32 vectors. */
  fma<T extends 'f32' | VectorOf<'f32'>>(a: Value<T>, b: Operand<T>, c: Operand<T>): Value<T> {
    return new Value({ kind: 'fma', a: a.expr, b: lift(b, a.type).expr, c: lift(c, a.type).expr }, a.type);
  }

  /** A vector from its components, x first: `b.vector('vec4<f32>', a, b, c, d)`; numbers are literals. */
  vector<T extends VectorType>(type: T, ...components: readonly Operand<ComponentOf<T>>[]): Value<T> {
    const component = type.slice(5, 8) as ComponentOf<T>;
    return new Value({ kind: 'vector', type, components: components.map((c) => lift(c, component).expr) }, type);
  }

  /** A vector with `value` in every component. */
  splat<T extends VectorType>(type: T, value: Operand<ComponentOf<T>>): Value<T> {
    const component = type.slice(5, 8) as ComponentOf<T>;
    return new Value({ kind: 'splat', type, value: lift(value, component).expr }, type);
  }

  /** @internal */
  finish(name: string | undefined, workgroupSize: readonly [number, number, number]): IrProgram {
    const body = this.blocks[0] ?? [];
    const base = { kind: 'ir' as const, workgroupSize, buffers: this.buffers, params: this.params, body };
    return name === undefined ? base : { ...base, name };
  }

  private collect(body: () => void): Stmt[] {
    this.blocks.push([]);
    try {
      body();
      return this.blocks.at(-1) ?? [];
    } finally {
      // Pop even when the callback throws, so the builder is never left mid-block.
      this.blocks.pop();
    }
  }
}

function builtin(name: Extract<Expr, { kind: 'builtin' }>['name'], axis: 0 | 1 | 2): Value<'u32'> {
  return new Value({ kind: 'builtin', name, axis }, 'u32');
}

/** What `program()` takes besides the body: a name for labels, and the workgroup size. */
export interface ProgramOptions {
  readonly name?: string;
  /** 1 to 3 axes; default 64. */
  readonly workgroupSize?: number | readonly number[];
}

/** Any buffer reference, whatever its element type, name and access. */
type AnyBufferRef = BufferRef<ValueType, string, IrAccess>;

/**
 * The buffers a program's body returned (an object or a list of buffer references), as a
 * {@link BufferSignature}; the loose signature when it returned nothing.
 */
export type SignatureOfBuffers<R> = [R] extends [void | undefined] ? BufferSignature : SignatureOfRefs<R extends readonly AnyBufferRef[] ? R[number] : R[keyof R]>;

type SignatureOfRefs<Ref> = { [B in Ref & AnyBufferRef as B['name']]: { readonly type: B['type']; readonly access: B['access'] } };

/**
 * Builds and validates an IR Program.
 *
 * Return the buffers from `build` (`return { x, y }`) and the program's type carries them:
 * a dispatch's outputs are then typed per buffer (`Float32Array` for an `f32` output) and a
 * misspelled output name is a type error. Returning nothing keeps the outputs loosely typed.
 * @throws VyreError `invalid-program` with the rule and the path of the offending node.
 */
export function program<R extends Readonly<Record<string, AnyBufferRef>> | readonly AnyBufferRef[] | void>(options: ProgramOptions, build: (b: ProgramBuilder) => R): IrProgram<SignatureOfBuffers<R>> {
  const builder = new ProgramBuilder();
  build(builder);
  const size = options.workgroupSize ?? 64;
  const axes = typeof size === 'number' ? [size] : [...size];
  const workgroupSize = [axes[0] ?? 1, axes[1] ?? 1, axes[2] ?? 1] as const;
  // Frozen: the program can be hashed once and recognized by identity on later compiles.
  const checked: IrProgram = deepFreeze(validateProgram(builder.finish(options.name, workgroupSize)));
  // The signature lives in the type only: the data is the same for every signature.
  return checked as IrProgram<SignatureOfBuffers<R>>;
}
