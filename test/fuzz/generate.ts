/**
 * A seeded generator of random **valid** IR Programs with inputs, for differential
 * testing of the WGSL lowering (on the GPU) against the reference interpreter.
 *
 * What it generates, and what it leaves out on purpose:
 * - every integer and bool operator, casts between all types, select, loops with
 *   break, nested ifs and blocks, params, out-of-bounds loads and stores, commutative
 *   atomics whose results are never read (so the final values do not depend on order);
 * - f32 only through correctly rounded operations (add, sub, mul, min, max, abs, neg,
 *   floor, ceil, trunc, round, sign, select, casts), on dyadic values, because WGSL
 *   allows approximate division and transcendentals and the comparison of those needs
 *   per-operation tolerances that the kernel tests state instead;
 * - in about half the programs ({@link VECTOR_SHARE}), vectors: vector buffers and
 *   locals, and every vector operator the semantics allow, with the same care about
 *   floats (generate-vector.ts); in a share of those ({@link SCALAR_VECTOR_SHARE}),
 *   whole vectors loaded from and stored to scalar buffers (generate-vector-access.ts);
 * - each invocation stores only to its own element (or, storing whole vectors, to its own
 *   vector's elements), so no result depends on the order invocations run in; barriers
 *   are covered by the kernel tests.
 */
import { SCALAR_TYPES, VECTOR_TYPES, isVectorType, type Expr, type IrParam, type IrProgram, type ScalarType, type Stmt, type ValueType } from '../../src/protocol/ir.ts';
import { BufferSet, GUARD_BUFFER, SCALAR_BUFFERS, makeInputs, vectorProgramBuffers, type HostArray } from './generate-buffers.ts';
import { COMPARISONS, FLOAT_BINARY, FLOAT_UNARY, INT_BINARY, INT_UNARY, OWN_INDEX, SHIFTS, binary, literal, randomDyadic, randomLiteral } from './generate-ops.ts';
import { VectorExprs, type ExprHost } from './generate-vector.ts';
import { takesVectorStores, vectorLoadOfScalars, vectorStoreOfScalars } from './generate-vector-access.ts';
import { Random } from './random.ts';

export interface FuzzCase {
  readonly seed: number;
  readonly program: IrProgram;
  readonly inputs: Record<string, HostArray>;
  readonly options: { outputs: Record<string, number>; params: Record<string, number>; foldAt?: number };
}

/** What kind of program to generate; by default the seed decides. */
export interface CaseShape {
  /** With vector buffers, locals and operators, or scalars only. */
  readonly vectors?: boolean;
  /** With whole vectors loaded from and stored to scalar buffers (vector programs only). */
  readonly scalarVectors?: boolean;
}

/** The share of seeds whose program uses vectors. */
export const VECTOR_SHARE = 0.5;
/** The share of vector programs that also load and store whole vectors of scalar buffers. */
export const SCALAR_VECTOR_SHARE = 1 / 3;

const WORKGROUP_SIZES: readonly (readonly [number, number, number])[] = [[1, 1, 1], [7, 1, 1], [32, 1, 1], [64, 1, 1], [4, 2, 1], [8, 8, 1], [2, 3, 4]];
const ATOMIC_OPS = ['add', 'min', 'max', 'and', 'or', 'xor'] as const;
const PARAMS: readonly IrParam[] = [{ name: 'pu', type: 'u32' }, { name: 'pi', type: 'i32' }, { name: 'pf', type: 'f32' }];
/** Buffers whose `length` a scalar program reads (kept from before vectors, so scalar programs did not change). */
const SCALAR_LENGTH_TARGETS = ['in_u', 'in_i', 'out_f', 'acc'];

interface Scope {
  readonly locals: Map<string, ValueType>;
}

class ProgramGenerator implements ExprHost {
  private names = 0;
  private readonly scopes: Scope[] = [{ locals: new Map([['i', 'u32']]) }];
  private loopDepth = 0;
  private readonly vectors: VectorExprs | undefined;

  /** One atomic operation per program: different commutative ops on one element do not commute with each other. */
  private readonly atomicOp: (typeof ATOMIC_OPS)[number];

  /**
   * @param scalarVectors - whether to load and store whole vectors of scalar buffers. When
   *   false the generator draws exactly the random numbers it drew before they existed.
   */
  constructor(
    readonly random: Random,
    private readonly buffers: BufferSet,
    private readonly scalarVectors: boolean,
  ) {
    this.atomicOp = random.pick(ATOMIC_OPS);
    this.vectors = buffers.hasVectors ? new VectorExprs(this) : undefined;
  }

  body(): Stmt[] {
    const statements: Stmt[] = [{ kind: 'let', name: 'i', value: { kind: 'builtin', name: 'linear-index', axis: 0 } }];
    const inner = this.block(this.random.between(2, 6), 0);
    const stores = this.buffers.stored().map((buffer): Stmt => {
      if (this.scalarVectors && takesVectorStores(buffer) && this.random.chance(0.5)) {
        return vectorStoreOfScalars(this.random, buffer, (type) => this.expr(type, 3));
      }
      return {
        kind: 'store',
        buffer: buffer.name,
        // Only to its own element (or past the end, where the store is dropped): no write races.
        index: this.random.chance(0.1) ? binary('add', OWN_INDEX, { kind: 'length', buffer: buffer.name }) : OWN_INDEX,
        value: this.expr(buffer.type, 3),
      };
    });
    statements.push({ kind: 'if', cond: binary('lt', OWN_INDEX, { kind: 'length', buffer: GUARD_BUFFER }), then: [...inner, ...stores], otherwise: [] });
    return statements;
  }

  private block(count: number, depth: number): Stmt[] {
    this.scopes.push({ locals: new Map() });
    const out: Stmt[] = [];
    for (let n = 0; n < count; n++) out.push(this.statement(depth));
    this.scopes.pop();
    return out;
  }

  private statement(depth: number): Stmt {
    const roll = this.random.below(depth >= 2 ? 4 : 8);
    const assignable = this.assignableLocals();
    if (roll === 0 && assignable.length > 0) {
      const [name, type] = this.random.pick(assignable);
      return { kind: 'assign', name, value: this.expr(type, 3) };
    }
    if (roll === 1) return this.letStatement(this.letType());
    if (roll === 2 && this.buffers.has('acc')) {
      // A commutative atomic whose old value is never read: the final counts do not depend on order.
      const name = this.fresh();
      return {
        kind: 'let',
        name,
        value: { kind: 'atomic', op: this.atomicOp, buffer: 'acc', index: binary('bit-and', this.expr('u32', 2), literal('u32', 7)), value: this.expr('u32', 2) },
      };
    }
    if (roll === 3 && this.loopDepth > 0 && this.random.chance(0.3)) {
      return { kind: 'if', cond: this.expr('bool', 2), then: [{ kind: 'break' }], otherwise: [] };
    }
    if (roll === 4) {
      return { kind: 'if', cond: this.expr('bool', 3), then: this.block(this.random.between(1, 3), depth + 1), otherwise: this.random.chance(0.5) ? this.block(this.random.between(1, 2), depth + 1) : [] };
    }
    if (roll === 5) return this.loop(depth);
    if (roll === 6) return { kind: 'block', body: this.block(this.random.between(1, 3), depth + 1) };
    return this.letStatement('u32');
  }

  private loop(depth: number): Stmt {
    const type = this.random.pick(['u32', 'i32'] as const);
    const from = this.random.between(type === 'i32' ? -2 : 0, 2);
    const name = this.fresh();
    this.loopDepth++;
    this.scopes.push({ locals: new Map([[name, type]]) });
    const body = this.block(this.random.between(1, 3), depth + 1);
    this.scopes.pop();
    this.loopDepth--;
    return { kind: 'loop', var: name, from: literal(type, from), to: literal(type, from + this.random.between(0, 4)), body };
  }

  /** A vector program declares a vector local about half the time. */
  private letType(): ValueType {
    if (this.vectors !== undefined && this.random.chance(0.5)) return this.random.pick(VECTOR_TYPES);
    return this.random.pick(SCALAR_TYPES);
  }

  /** The value is generated before the name becomes visible, so it never refers to itself. */
  private letStatement(type: ValueType): Stmt {
    const value = this.expr(type, 3);
    const name = `v${this.names++}`;
    this.scopes.at(-1)?.locals.set(name, type);
    return { kind: 'let', name, value };
  }

  expr(type: ValueType, depth: number): Expr {
    if (isVectorType(type)) {
      if (this.vectors === undefined) throw new Error(`a scalar program asked for a ${type}`);
      return this.vectors.expr(type, depth);
    }
    if (depth <= 0 || this.random.chance(0.25)) return this.leaf(type);
    if (this.vectors !== undefined && type !== 'bool' && this.random.chance(0.2)) return this.vectors.scalar(type, depth);
    switch (type) {
      case 'bool':
        return this.boolExpr(depth);
      case 'f32':
        return this.floatExpr(depth);
      default:
        return this.intExpr(type, depth);
    }
  }

  private intExpr(type: 'u32' | 'i32', depth: number): Expr {
    const roll = this.random.below(7);
    if (roll === 0) return { kind: 'unary', op: this.random.pick(type === 'i32' ? [...INT_UNARY, 'neg', 'sign'] : INT_UNARY), value: this.expr(type, depth - 1) };
    if (roll === 1) return binary(this.random.pick(SHIFTS), this.expr(type, depth - 1), this.expr('u32', depth - 1));
    if (roll === 2) return { kind: 'select', cond: this.expr('bool', depth - 1), ifTrue: this.expr(type, depth - 1), ifFalse: this.expr(type, depth - 1) };
    if (roll === 3) return { kind: 'cast', type, value: this.expr(this.random.pick(SCALAR_TYPES), depth - 1) };
    if (roll === 4 && type === 'u32') return binary('abs-diff', ...this.pair(this.random.pick(['u32', 'i32'] as const), depth));
    return binary(this.random.pick(INT_BINARY), this.expr(type, depth - 1), this.expr(type, depth - 1));
  }

  private floatExpr(depth: number): Expr {
    const roll = this.random.below(5);
    if (roll === 0) return { kind: 'unary', op: this.random.pick(FLOAT_UNARY), value: this.expr('f32', depth - 1) };
    if (roll === 1) return { kind: 'select', cond: this.expr('bool', depth - 1), ifTrue: this.expr('f32', depth - 1), ifFalse: this.expr('f32', depth - 1) };
    if (roll === 2) {
      // Integers are masked to 16 bits first so the conversion to f32 is exact.
      const source = this.random.pick(['u32', 'i32', 'bool'] as const);
      const value = source === 'bool' ? this.expr('bool', depth - 1) : binary('bit-and', this.expr(source, depth - 1), literal(source, 0xffff));
      return { kind: 'cast', type: 'f32', value };
    }
    return binary(this.random.pick(FLOAT_BINARY), this.expr('f32', depth - 1), this.expr('f32', depth - 1));
  }

  private boolExpr(depth: number): Expr {
    const roll = this.random.below(5);
    if (roll === 0) return binary(this.random.pick(['and', 'or'] as const), this.expr('bool', depth - 1), this.expr('bool', depth - 1));
    if (roll === 1) return { kind: 'unary', op: 'not', value: this.expr('bool', depth - 1) };
    if (roll === 2) return { kind: 'cast', type: 'bool', value: this.expr(this.random.pick(['u32', 'i32', 'f32'] as const), depth - 1) };
    const type = this.random.pick(SCALAR_TYPES);
    const op = type === 'bool' ? this.random.pick(['eq', 'ne'] as const) : this.random.pick(COMPARISONS);
    return binary(op, ...this.pair(type, depth));
  }

  private pair(type: ScalarType, depth: number): [Expr, Expr] {
    return [this.expr(type, depth - 1), this.expr(type, depth - 1)];
  }

  leaf(type: ScalarType): Expr {
    const locals = this.locals(type);
    const roll = this.random.below(5);
    if (roll === 0 && locals.length > 0) return { kind: 'var', name: this.random.pick(locals) };
    if (roll === 1 && type !== 'bool') return { kind: 'param', name: { u32: 'pu', i32: 'pi', f32: 'pf' }[type] };
    const load = roll === 2 ? this.load(type) : undefined;
    if (load !== undefined) return load;
    if (roll === 3 && type === 'u32') {
      return this.random.chance(0.5)
        ? { kind: 'length', buffer: this.random.pick(this.buffers.hasVectors ? this.buffers.buffers.map((b) => b.name) : SCALAR_LENGTH_TARGETS) }
        : { kind: 'builtin', name: this.random.pick(['global-id', 'local-id', 'workgroup-id', 'num-workgroups'] as const), axis: this.random.pick([0, 1, 2] as const) };
    }
    return literal(type, randomLiteral(this.random, type));
  }

  load(type: ValueType): Expr | undefined {
    if (this.scalarVectors && isVectorType(type) && this.random.chance(0.5)) {
      const load = vectorLoadOfScalars(this.random, this.buffers, type);
      if (load !== undefined) return load;
    }
    const candidates = this.buffers.readable(type);
    if (candidates.length === 0) return undefined;
    const buffer = candidates.length === 1 ? candidates[0] : this.random.pick(candidates);
    if (buffer === undefined) return undefined;
    if (buffer.access === 'read-write') {
      // Other invocations store into it: only the own element, or one surely past the end, is free of races.
      return { kind: 'load', buffer: buffer.name, index: this.random.chance(0.8) ? OWN_INDEX : binary('add', OWN_INDEX, { kind: 'length', buffer: buffer.name }) };
    }
    return this.inputLoad(buffer.name);
  }

  loadInput(type: ValueType): Expr | undefined {
    const candidates = this.buffers.inputsOf(type);
    return candidates.length === 0 ? undefined : this.inputLoad(this.random.pick(candidates).name);
  }

  /** Mostly in bounds, sometimes past the end (reads 0, the zero vector for a vector buffer). */
  private inputLoad(buffer: string): Expr {
    const index = this.random.chance(0.8) ? OWN_INDEX : binary('add', OWN_INDEX, literal('u32', this.random.between(1, 400)));
    return { kind: 'load', buffer, index };
  }

  locals(type: ValueType): string[] {
    return this.visibleLocals()
      .filter(([, t]) => t === type)
      .map(([name]) => name);
  }

  private visibleLocals(): [string, ValueType][] {
    return this.scopes.flatMap((scope) => [...scope.locals.entries()]);
  }

  private assignableLocals(): [string, ValueType][] {
    return this.visibleLocals().filter(([name]) => name.startsWith('v'));
  }

  /** A name for values nobody may read (atomic results) or loop variables (not assignable). */
  private fresh(): string {
    return `t${this.names++}`;
  }
}

/**
 * Whether `seed`'s program uses vectors. Drawn from a stream of its own, so a seed whose
 * program is scalar generates the program it generated before vectors existed.
 */
export function seedHasVectors(seed: number): boolean {
  return new Random(seed ^ 0x5bd1e995).chance(VECTOR_SHARE);
}

/**
 * Whether `seed`'s program, if it uses vectors, also loads and stores whole vectors of
 * scalar buffers. From a stream of its own, like {@link seedHasVectors}: every other seed
 * generates the program it generated before these accesses existed.
 */
export function seedAccessesScalarsAsVectors(seed: number): boolean {
  return new Random(seed ^ 0x2c1b3c6d).chance(SCALAR_VECTOR_SHARE);
}

/** Generates one program and its inputs from `seed`. */
export function generateCase(seed: number, shape: CaseShape = {}): FuzzCase {
  const random = new Random(seed);
  const vectors = shape.vectors ?? seedHasVectors(seed);
  const buffers = new BufferSet(vectors ? vectorProgramBuffers(random) : SCALAR_BUFFERS);
  const scalarVectors = vectors && (shape.scalarVectors ?? seedAccessesScalarsAsVectors(seed));
  const body = new ProgramGenerator(random, buffers, scalarVectors).body();
  const program: IrProgram = {
    kind: 'ir',
    name: `fuzz-${seed}`,
    workgroupSize: random.pick(WORKGROUP_SIZES),
    buffers: buffers.buffers,
    params: PARAMS,
    body,
  };
  const n = random.between(1, 300);
  const { inputs, outputs } = makeInputs(random, buffers.buffers, n);
  const [x, y, z] = program.workgroupSize;
  const workgroups = Math.ceil(n / (x * y * z));
  // Fold into two or three dimensions now and then; the limit always leaves room for every workgroup.
  const foldAt = random.chance(0.5) ? Math.ceil(Math.sqrt(workgroups)) : Math.ceil(Math.cbrt(workgroups));
  const options = {
    outputs,
    params: { pu: random.nextU32(), pi: random.nextU32() | 0, pf: randomDyadic(random) },
    ...(random.chance(0.3) && workgroups > 1 ? { foldAt } : {}),
  };
  return { seed, program, inputs, options };
}
