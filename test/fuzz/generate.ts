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
 * - each invocation stores only to its own element, so no result depends on the order
 *   invocations run in; barriers are covered by the kernel tests.
 */
import type { BinaryOp, Expr, IrBuffer, IrParam, IrProgram, ScalarType, Stmt, UnaryOp } from '../../src/protocol/ir.ts';
import { Random } from './random.ts';

export interface FuzzCase {
  readonly seed: number;
  readonly program: IrProgram;
  readonly inputs: Record<string, Uint32Array | Int32Array | Float32Array>;
  readonly options: { outputs: Record<string, number>; params: Record<string, number>; foldAt?: number };
}


const INT_BINARY: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'rem', 'min', 'max', 'mul-high', 'bit-and', 'bit-or', 'bit-xor'];
const SHIFTS: readonly BinaryOp[] = ['shl', 'shr', 'rotl', 'rotr'];
const INT_UNARY: readonly UnaryOp[] = ['bit-not', 'popcount', 'clz', 'ctz', 'reverse-bits', 'abs'];
const FLOAT_BINARY: readonly BinaryOp[] = ['add', 'sub', 'mul', 'min', 'max'];
const FLOAT_UNARY: readonly UnaryOp[] = ['neg', 'abs', 'floor', 'ceil', 'trunc', 'round', 'sign'];
const COMPARISONS: readonly BinaryOp[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
const WORKGROUP_SIZES: readonly (readonly [number, number, number])[] = [[1, 1, 1], [7, 1, 1], [32, 1, 1], [64, 1, 1], [4, 2, 1], [8, 8, 1], [2, 3, 4]];
const ATOMIC_OPS = ['add', 'min', 'max', 'and', 'or', 'xor'] as const;

const BUFFERS: readonly IrBuffer[] = [
  { name: 'in_u', binding: 0, access: 'read', type: 'u32' },
  { name: 'in_i', binding: 1, access: 'read', type: 'i32' },
  { name: 'in_f', binding: 2, access: 'read', type: 'f32' },
  { name: 'out_u', binding: 3, access: 'output', type: 'u32' },
  { name: 'out_i', binding: 4, access: 'output', type: 'i32' },
  { name: 'out_f', binding: 5, access: 'output', type: 'f32' },
  { name: 'out_b', binding: 6, access: 'output', type: 'bool' },
  { name: 'acc', binding: 7, access: 'output', type: 'u32', sizing: { kind: 'static', count: 8 } },
];
const PARAMS: readonly IrParam[] = [{ name: 'pu', type: 'u32' }, { name: 'pi', type: 'i32' }, { name: 'pf', type: 'f32' }];

interface Scope {
  readonly locals: Map<string, ScalarType>;
}

class ProgramGenerator {
  private names = 0;
  private readonly scopes: Scope[] = [{ locals: new Map([['i', 'u32']]) }];
  private loopDepth = 0;

  /** One atomic operation per program: different commutative ops on one element do not commute with each other. */
  private readonly atomicOp: (typeof ATOMIC_OPS)[number];

  constructor(private readonly random: Random) {
    this.atomicOp = random.pick(ATOMIC_OPS);
  }

  body(): Stmt[] {
    const statements: Stmt[] = [{ kind: 'let', name: 'i', value: { kind: 'builtin', name: 'linear-index', axis: 0 } }];
    const inner = this.block(this.random.between(2, 6), 0);
    const stores = (['out_u', 'out_i', 'out_f', 'out_b'] as const).map((buffer): Stmt => ({
      kind: 'store',
      buffer,
      // Only to its own element (or past the end, where the store is dropped): no write races.
      index: this.random.chance(0.1) ? binary('add', { kind: 'var', name: 'i' }, { kind: 'length', buffer }) : { kind: 'var', name: 'i' },
      value: this.expr(typeOfOutput(buffer), 3),
    }));
    statements.push({ kind: 'if', cond: binary('lt', { kind: 'var', name: 'i' }, { kind: 'length', buffer: 'out_u' }), then: [...inner, ...stores], otherwise: [] });
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
    if (roll === 1) return this.letStatement(this.random.pick(['u32', 'i32', 'f32', 'bool'] as const));
    if (roll === 2) {
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
    if (roll === 5) {
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
    if (roll === 6) return { kind: 'block', body: this.block(this.random.between(1, 3), depth + 1) };
    return this.letStatement('u32');
  }

  /** The value is generated before the name becomes visible, so it never refers to itself. */
  private letStatement(type: ScalarType): Stmt {
    const value = this.expr(type, 3);
    const name = `v${this.names++}`;
    this.scopes.at(-1)?.locals.set(name, type);
    return { kind: 'let', name, value };
  }

  expr(type: ScalarType, depth: number): Expr {
    if (depth <= 0 || this.random.chance(0.25)) return this.leaf(type);
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
    if (roll === 3) return { kind: 'cast', type, value: this.expr(this.random.pick(['u32', 'i32', 'f32', 'bool'] as const), depth - 1) };
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
    const type = this.random.pick(['u32', 'i32', 'f32', 'bool'] as const);
    const op = type === 'bool' ? this.random.pick(['eq', 'ne'] as const) : this.random.pick(COMPARISONS);
    return binary(op, ...this.pair(type, depth));
  }

  private pair(type: ScalarType, depth: number): [Expr, Expr] {
    return [this.expr(type, depth - 1), this.expr(type, depth - 1)];
  }

  private leaf(type: ScalarType): Expr {
    const locals = this.visibleLocals().filter(([, t]) => t === type);
    const roll = this.random.below(5);
    if (roll === 0 && locals.length > 0) return { kind: 'var', name: this.random.pick(locals)[0] };
    if (roll === 1 && type !== 'bool') return { kind: 'param', name: { u32: 'pu', i32: 'pi', f32: 'pf' }[type] };
    if (roll === 2 && type !== 'bool') {
      const buffer = { u32: 'in_u', i32: 'in_i', f32: 'in_f' }[type];
      // Mostly in bounds, sometimes past the end (reads 0).
      const index = this.random.chance(0.8) ? ({ kind: 'var', name: 'i' } as Expr) : binary('add', { kind: 'var', name: 'i' }, literal('u32', this.random.between(1, 400)));
      return { kind: 'load', buffer, index };
    }
    if (roll === 3 && type === 'u32') {
      return this.random.chance(0.5)
        ? { kind: 'length', buffer: this.random.pick(['in_u', 'in_i', 'out_f', 'acc']) }
        : { kind: 'builtin', name: this.random.pick(['global-id', 'local-id', 'workgroup-id', 'num-workgroups'] as const), axis: this.random.pick([0, 1, 2] as const) };
    }
    return literal(type, randomLiteral(this.random, type));
  }

  private visibleLocals(): [string, ScalarType][] {
    return this.scopes.flatMap((scope) => [...scope.locals.entries()]);
  }

  private assignableLocals(): [string, ScalarType][] {
    return this.visibleLocals().filter(([name]) => name.startsWith('v'));
  }

  /** A name for values nobody may read (atomic results) or loop variables (not assignable). */
  private fresh(): string {
    return `t${this.names++}`;
  }

}

function typeOfOutput(buffer: 'out_u' | 'out_i' | 'out_f' | 'out_b'): ScalarType {
  return ({ out_u: 'u32', out_i: 'i32', out_f: 'f32', out_b: 'bool' } as const)[buffer];
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right };
}

function literal(type: ScalarType, value: number | boolean): Expr {
  return { kind: 'literal', type, value };
}

function randomLiteral(random: Random, type: ScalarType): number | boolean {
  switch (type) {
    case 'bool':
      return random.chance(0.5);
    case 'u32':
      return random.pick([0, 1, 2, 3, 31, 32, 33, 255, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, random.nextU32(), random.below(100)]);
    case 'i32':
      return random.pick([0, 1, -1, 2, -2, 31, 0x7fffffff, -0x80000000, random.nextU32() | 0, random.between(-100, 100)]);
    case 'f32':
      return randomDyadic(random);
  }
}

/** k / 8 with |k| < 2¹⁰: exact in f32, and small products stay exact too. */
function randomDyadic(random: Random): number {
  return random.between(-1023, 1023) / 8;
}

/** Generates one program and its inputs from `seed`. */
export function generateCase(seed: number): FuzzCase {
  const random = new Random(seed);
  const generator = new ProgramGenerator(random);
  const body = generator.body();
  const program: IrProgram = {
    kind: 'ir',
    name: `fuzz-${seed}`,
    workgroupSize: random.pick(WORKGROUP_SIZES),
    buffers: BUFFERS,
    params: PARAMS,
    body,
  };
  const n = random.between(1, 300);
  const inputs = {
    in_u: Uint32Array.from({ length: random.between(1, n) }, () => random.nextU32()),
    in_i: Int32Array.from({ length: random.between(1, n) }, () => random.nextU32() | 0),
    in_f: Float32Array.from({ length: random.between(1, n) }, () => randomDyadic(random)),
  };
  const [x, y, z] = program.workgroupSize;
  const workgroups = Math.ceil(n / (x * y * z));
  // Fold into two or three dimensions now and then; the limit always leaves room for every workgroup.
  const foldAt = random.chance(0.5) ? Math.ceil(Math.sqrt(workgroups)) : Math.ceil(Math.cbrt(workgroups));
  const options = {
    outputs: { out_u: n, out_i: n, out_f: n, out_b: n },
    params: { pu: random.nextU32(), pi: random.nextU32() | 0, pf: randomDyadic(random) },
    ...(random.chance(0.3) && workgroups > 1 ? { foldAt } : {}),
  };
  return { seed, program, inputs, options };
}
