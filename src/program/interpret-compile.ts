/**
 * Compiles IR expressions and statements into JS closures (and, for statements that
 * contain a barrier, generators) once per run: the hot loop then only calls functions.
 */
import { invariant, unreachable } from '../errors.ts';
import {
  isVectorType,
  widthOf,
  type BinaryOp,
  type Builtin,
  type Expr,
  type IrProgram,
  type Stmt,
  type UnaryOp,
  type ValueType,
} from '../protocol/ir.ts';
import {
  binaryOpFor,
  binaryResultType,
  binaryRightType,
  castFor,
  coerceScalar,
  fmaF32,
  unaryOpFor,
  unaryResultType,
  type BinaryFn,
} from './scalar-ops.ts';
import {
  ATOMIC_BINARY,
  BREAK,
  type ExprFn,
  type GenFn,
  Invocation,
  type Local,
  type Memory,
  NEXT,
  RETURN,
  type StmtFn,
  type Typed,
  type IndexFn,
  type ScalarFn,
  type Value,
  type VectorFn,
  WRITABLE,
  hasBarrier,
  internal,
  invalid,
  scalarType,
  sequence,
  valueType,
} from './interpret-model.ts';
import {
  buildVector,
  dotProduct,
  scalarBufferVectorLoad,
  scalarBufferVectorStore,
  scalarBufferVectorType,
  splatVector,
  takeComponent,
  vectorBinary,
  vectorCast,
  vectorFma,
  vectorLoad,
  vectorStore,
  vectorUnary,
} from './interpret-vector.ts';

/** Compiles one program against one run's buffers and parameters. */
export class Compiler {
  private readonly scopes: Map<string, Local>[] = [new Map()];
  private loopDepth = 0;
  private barrierCount = 0;
  /** Number of local slots an invocation needs. */
  slots = 0;

  constructor(
    private readonly program: IrProgram,
    private readonly memories: ReadonlyMap<string, Memory>,
    private readonly params: ReadonlyMap<string, Typed>,
    private readonly grid: readonly [number, number, number],
  ) {}

  // ---- expressions -------------------------------------------------------------------

  expr(e: Expr): Typed {
    switch (e.kind) {
      case 'literal': {
        const type = scalarType(e.type);
        const value = coerceScalar(type, e.value);
        return { type, fn: () => value };
      }
      case 'var': {
        const { slot, type } = this.lookup(e.name);
        return { type, fn: (inv) => inv.vars[slot] as Value };
      }
      case 'param': {
        const param = this.params.get(e.name);
        if (param === undefined) throw invalid(`Parameter ${e.name} is not declared.`);
        return param;
      }
      case 'load':
        return this.load(e.buffer, e.index);
      case 'load-vector':
        return scalarBufferVectorLoad(this.memory(e.buffer), e.width, this.index(e.index));
      case 'length': {
        const { array, decl } = this.memory(e.buffer);
        // Vector buffers count vectors; the flat array holds width · length components.
        const length = array.length / widthOf(decl.type);
        return { type: 'u32', fn: () => length };
      }
      case 'builtin':
        return { type: 'u32', fn: this.builtin(e.name, e.axis) };
      case 'unary':
        return this.unary(e.op, this.expr(e.value));
      case 'binary':
        return this.binary(e.op, this.expr(e.left), this.expr(e.right));
      case 'select':
        return this.select(e);
      case 'cast':
        return this.cast(valueType(e.type), this.expr(e.value));
      case 'fma':
        return this.fma(this.expr(e.a), this.expr(e.b), this.expr(e.c));
      case 'vector':
        if (!Array.isArray(e.components)) throw invalid('A vector has no list of components.');
        return buildVector(e.type, e.components.map((c) => this.expr(c)));
      case 'splat':
        return splatVector(e.type, this.expr(e.value));
      case 'component':
        return takeComponent(this.expr(e.value), e.index);
      case 'dot':
        return dotProduct(this.expr(e.left), this.expr(e.right));
      case 'atomic':
        return this.atomic(e);
      default:
        return unreachable(e);
    }
  }

  private unary(op: UnaryOp, value: Typed): Typed {
    if (isVectorType(value.type)) return vectorUnary(op, value);
    const fn = unaryOpFor(op, value.type);
    const type = unaryResultType(op, value.type);
    invariant(type !== undefined, `unary ${op} has a result type on ${value.type}`);
    const arg = value.fn as ScalarFn;
    return { type, fn: (inv) => fn(arg(inv)) };
  }

  private select(e: Extract<Expr, { kind: 'select' }>): Typed {
    const ifFalse = this.expr(e.ifFalse);
    const ifTrue = this.expr(e.ifTrue);
    const cond = this.typed(e.cond, 'bool', 'select condition');
    if (ifTrue.type !== ifFalse.type) {
      throw invalid(`The arms of a select differ in type (${ifTrue.type}, ${ifFalse.type}).`);
    }
    const [f, t] = [ifFalse.fn, ifTrue.fn];
    // Order from docs/semantics.md: ifFalse, then ifTrue, then cond. A vector arm is picked
    // whole (values are never mutated, so the arm's array itself is the result).
    const fn: ExprFn = (inv) => {
      const whenFalse = f(inv);
      const whenTrue = t(inv);
      return cond(inv) ? whenTrue : whenFalse;
    };
    return { type: ifTrue.type, fn };
  }

  private cast(type: ValueType, value: Typed): Typed {
    if (isVectorType(type) || isVectorType(value.type)) return vectorCast(type, value);
    const cast = castFor(value.type, type);
    const arg = value.fn as ScalarFn;
    return { type, fn: (inv) => cast(arg(inv)) };
  }

  private fma(a: Typed, b: Typed, c: Typed): Typed {
    if (isVectorType(a.type)) return vectorFma(a, b, c);
    if (a.type !== 'f32' || b.type !== 'f32' || c.type !== 'f32') {
      throw invalid(`fma takes three f32 (or three f32 vectors of one type), not ${a.type}, ${b.type}, ${c.type}.`);
    }
    const [fa, fb, fc] = [a.fn as ScalarFn, b.fn as ScalarFn, c.fn as ScalarFn];
    return { type: 'f32', fn: (inv) => fmaF32(fa(inv) as number, fb(inv) as number, fc(inv) as number) };
  }

  /** Compiles `e`, requiring its type to be `type`. */
  private typed(e: Expr, type: ValueType, what: string): ExprFn {
    const compiled = this.expr(e);
    if (compiled.type !== type) throw invalid(`The ${what} is ${compiled.type}, expected ${type}.`);
    return compiled.fn;
  }

  /** An index: u32, or i32 where negative values are simply out of bounds. */
  private index(e: Expr): IndexFn {
    const compiled = this.expr(e);
    if (compiled.type !== 'u32' && compiled.type !== 'i32') {
      throw invalid(`An index is ${compiled.type}, expected u32.`);
    }
    return compiled.fn as IndexFn;
  }

  private memory(name: string): Memory {
    const memory = this.memories.get(name);
    if (memory === undefined) throw invalid(`Buffer ${name} is not declared.`);
    return memory;
  }

  private load(buffer: string, indexExpr: Expr): Typed {
    const memory = this.memory(buffer);
    const { array, decl } = memory;
    const index = this.index(indexExpr);
    if (isVectorType(decl.type)) return vectorLoad(memory, decl.type, index);
    // A typed array reads `undefined` out of bounds (negative indices included): that is the 0.
    if (decl.type === 'bool') return { type: 'bool', fn: (inv) => (array[index(inv)] ?? 0) !== 0 };
    return { type: decl.type, fn: (inv) => array[index(inv)] ?? 0 };
  }

  private builtin(name: Builtin, axis: 0 | 1 | 2): ExprFn {
    if (axis !== 0 && axis !== 1 && axis !== 2) throw invalid(`Builtin ${name} has axis ${String(axis)}.`);
    const size = this.program.workgroupSize[axis];
    const groups = this.grid[axis];
    switch (name) {
      case 'local-id':
        return axis === 0 ? (inv) => inv.lx : axis === 1 ? (inv) => inv.ly : (inv) => inv.lz;
      case 'workgroup-id':
        return axis === 0 ? (inv) => inv.wx : axis === 1 ? (inv) => inv.wy : (inv) => inv.wz;
      case 'global-id':
        return axis === 0
          ? (inv) => (inv.wx * size + inv.lx) >>> 0
          : axis === 1
            ? (inv) => (inv.wy * size + inv.ly) >>> 0
            : (inv) => (inv.wz * size + inv.lz) >>> 0;
      case 'num-workgroups':
        return () => groups;
      case 'local-index':
        return (inv) => inv.localIndex;
      case 'linear-index':
        return (inv) => inv.linearIndex;
      default:
        return unreachable(name);
    }
  }

  private binary(op: BinaryOp, left: Typed, right: Typed): Typed {
    if (isVectorType(left.type)) return vectorBinary(op, left, right);
    const type = binaryResultType(op, left.type);
    if (type === undefined) throw invalid(`The operator ${op} does not take ${left.type}.`);
    const rightType = binaryRightType(op, left.type);
    if (right.type !== rightType) throw invalid(`The right operand of ${op} is ${right.type}, expected ${rightType}.`);
    const fn: BinaryFn = binaryOpFor(op, left.type);
    const [l, r] = [left.fn as ScalarFn, right.fn as ScalarFn];
    // Arguments are evaluated left to right, as the semantics require.
    return { type, fn: (inv) => fn(l(inv), r(inv)) };
  }

  private atomic(e: Extract<Expr, { kind: 'atomic' }>): Typed {
    const memory = this.memory(e.buffer);
    const { array, decl } = memory;
    if (!WRITABLE.has(decl.access) || (decl.type !== 'u32' && decl.type !== 'i32')) {
      throw invalid(`Atomic ${e.op} on ${decl.access} ${decl.type} buffer ${decl.name}.`);
    }
    const index = this.index(e.index);
    if (e.op === 'load') return { type: decl.type, fn: (inv) => array[index(inv)] ?? 0 };
    const operand = (what: Expr | undefined, role: string): ((inv: Invocation) => number) => {
      if (what === undefined) throw invalid(`Atomic ${e.op} on ${decl.name} has no ${role}.`);
      return this.typed(what, decl.type, `atomic ${role}`) as (inv: Invocation) => number;
    };
    if (e.op === 'compare-exchange') {
      // Order: index, expected, value.
      const expected = operand(e.expected, 'expected');
      const value = operand(e.value, 'value');
      return {
        type: decl.type,
        fn: (inv) => {
          const i = index(inv);
          const want = expected(inv);
          const replacement = value(inv);
          const old = array[i];
          if (old === undefined) return 0;
          if (old === want) {
            array[i] = replacement;
            memory.dirty = true;
          }
          return old;
        },
      };
    }
    const value = operand(e.value, 'value');
    const binary = ATOMIC_BINARY[e.op];
    if (binary === undefined && e.op !== 'exchange') throw invalid(`Unknown atomic operator ${String(e.op)}.`);
    // The binary operators wrap exactly as the atomics must (add/sub modulo 2³², min/max by type).
    const update: BinaryFn = binary === undefined ? (_old, v) => v : binaryOpFor(binary, decl.type);
    return {
      type: decl.type,
      fn: (inv) => {
        const i = index(inv);
        const v = value(inv);
        const old = array[i];
        if (old === undefined) return 0;
        array[i] = update(old, v) as number;
        memory.dirty = true;
        return old;
      },
    };
  }

  // ---- scopes ------------------------------------------------------------------------

  private lookup(name: string): Local {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const local = this.scopes[i]?.get(name);
      if (local !== undefined) return local;
    }
    throw invalid(`Local ${name} is not declared in this scope.`);
  }

  private declare(name: string, type: ValueType, mutable: boolean): number {
    if (this.scopes.some((scope) => scope.has(name))) throw invalid(`Local ${name} shadows a visible local.`);
    const scope = this.scopes[this.scopes.length - 1];
    invariant(scope !== undefined, 'a scope is open');
    // Every declaration gets its own slot; `let` re-initializes it each time it runs.
    const slot = this.slots++;
    scope.set(name, { slot, type, mutable });
    return slot;
  }

  private scoped<T>(compile: () => T): T {
    this.scopes.push(new Map());
    try {
      return compile();
    } finally {
      this.scopes.pop();
    }
  }

  // ---- statements without barriers ---------------------------------------------------

  /** A list of statements in the current scope, none containing a barrier. */
  stmts(list: readonly Stmt[]): StmtFn {
    return sequence(list.map((stmt) => this.stmt(stmt)));
  }

  private stmt(s: Stmt): StmtFn {
    switch (s.kind) {
      case 'let': {
        // The initializer is compiled before the name exists: it cannot refer to itself.
        const { type, fn: value } = this.expr(s.value);
        const slot = this.declare(s.name, type, true);
        return (inv) => {
          inv.vars[slot] = value(inv);
          return NEXT;
        };
      }
      case 'assign': {
        const local = this.lookup(s.name);
        if (!local.mutable) throw invalid(`Loop variable ${s.name} is immutable.`);
        const value = this.typed(s.value, local.type, `value assigned to ${s.name}`);
        const slot = local.slot;
        return (inv) => {
          inv.vars[slot] = value(inv);
          return NEXT;
        };
      }
      case 'store':
        return this.store(s);
      case 'store-vector':
        return this.storeVector(s);
      case 'if': {
        const cond = this.typed(s.cond, 'bool', 'if condition');
        const then = this.scoped(() => this.stmts(s.then));
        const otherwise = this.scoped(() => this.stmts(s.otherwise));
        return (inv) => (cond(inv) ? then(inv) : otherwise(inv));
      }
      case 'loop': {
        const { from, to, slot, body } = this.loopParts(s, (list) => this.stmts(list));
        return (inv) => {
          // Bounds once, in IR order: from, then to.
          const start = from(inv);
          const end = to(inv);
          for (let i = start; i < end; i++) {
            inv.vars[slot] = i;
            const signal = body(inv);
            if (signal === BREAK) break;
            if (signal === RETURN) return RETURN;
          }
          return NEXT;
        };
      }
      case 'break':
        if (this.loopDepth === 0) throw invalid('break outside a loop.');
        return () => BREAK;
      case 'return':
        return () => RETURN;
      case 'barrier':
        return internal('a barrier compiled as a plain statement');
      case 'block':
        return this.scoped(() => this.stmts(s.body));
      case 'region':
        return this.stmts(s.body);
      default:
        return unreachable(s);
    }
  }

  private store(s: Extract<Stmt, { kind: 'store' }>): StmtFn {
    const memory = this.memory(s.buffer);
    const { array, decl } = memory;
    if (!WRITABLE.has(decl.access)) throw invalid(`Store into ${decl.access} buffer ${decl.name}.`);
    // Order: the index before the value.
    const index = this.index(s.index);
    const value = this.typed(s.value, decl.type, `value stored into ${decl.name}`);
    if (isVectorType(decl.type)) return vectorStore(memory, decl.type, index, value as VectorFn);
    const length = array.length;
    if (decl.type === 'bool') {
      return (inv) => {
        const i = index(inv);
        const v = value(inv) ? 1 : 0;
        if (i >= 0 && i < length) {
          array[i] = v;
          memory.dirty = true;
        }
        return NEXT;
      };
    }
    return (inv) => {
      const i = index(inv);
      const v = value(inv) as number;
      if (i >= 0 && i < length) {
        array[i] = v;
        memory.dirty = true;
      }
      return NEXT;
    };
  }

  private storeVector(s: Extract<Stmt, { kind: 'store-vector' }>): StmtFn {
    const memory = this.memory(s.buffer);
    const { decl } = memory;
    if (!WRITABLE.has(decl.access)) throw invalid(`Store into ${decl.access} buffer ${decl.name}.`);
    const type = scalarBufferVectorType(decl, s.width);
    // Order: the index before the value.
    const index = this.index(s.index);
    const value = this.typed(s.value, type, `vector stored into ${decl.name}`);
    return scalarBufferVectorStore(memory, s.width, index, value as VectorFn);
  }

  /** Bounds (compiled outside the loop's scope), the loop variable's slot, and the body. */
  private loopParts<B>(s: Extract<Stmt, { kind: 'loop' }>, compileBody: (list: readonly Stmt[]) => B) {
    const from = this.expr(s.from);
    const to = this.expr(s.to);
    if ((from.type !== 'u32' && from.type !== 'i32') || to.type !== from.type) {
      throw invalid(`Loop ${s.var} has bounds of types ${from.type} and ${to.type}; expected both u32 or both i32.`);
    }
    return this.scoped(() => {
      const slot = this.declare(s.var, from.type, false);
      this.loopDepth++;
      try {
        const body = this.scoped(() => compileBody(s.body));
        return { from: from.fn as (inv: Invocation) => number, to: to.fn as (inv: Invocation) => number, slot, body };
      } finally {
        this.loopDepth--;
      }
    });
  }

  // ---- statements with barriers ------------------------------------------------------

  /** A list of statements in the current scope; runs of barrier-free ones stay plain calls. */
  genStmts(list: readonly Stmt[]): GenFn {
    const parts: ({ gen: false; fn: StmtFn } | { gen: true; fn: GenFn })[] = [];
    let plain: StmtFn[] = [];
    for (const stmt of list) {
      if (!hasBarrier(stmt)) {
        plain.push(this.stmt(stmt));
        continue;
      }
      if (plain.length > 0) parts.push({ gen: false, fn: sequence(plain) });
      plain = [];
      parts.push({ gen: true, fn: this.genStmt(stmt) });
    }
    if (plain.length > 0) parts.push({ gen: false, fn: sequence(plain) });
    return function* (inv) {
      for (const part of parts) {
        const signal = part.gen ? yield* part.fn(inv) : part.fn(inv);
        if (signal !== NEXT) return signal;
      }
      return NEXT;
    };
  }

  private genStmt(s: Stmt): GenFn {
    switch (s.kind) {
      case 'barrier': {
        const id = this.barrierCount++;
        return function* () {
          yield id;
          return NEXT;
        };
      }
      case 'if': {
        const cond = this.typed(s.cond, 'bool', 'if condition');
        const then = this.scoped(() => this.genStmts(s.then));
        const otherwise = this.scoped(() => this.genStmts(s.otherwise));
        return function* (inv) {
          return cond(inv) ? yield* then(inv) : yield* otherwise(inv);
        };
      }
      case 'loop': {
        const { from, to, slot, body } = this.loopParts(s, (list) => this.genStmts(list));
        return function* (inv) {
          // Bounds once, in IR order: from, then to.
          const start = from(inv);
          const end = to(inv);
          for (let i = start; i < end; i++) {
            inv.vars[slot] = i;
            const signal = yield* body(inv);
            if (signal === BREAK) break;
            if (signal === RETURN) return RETURN;
          }
          return NEXT;
        };
      }
      case 'block':
        return this.scoped(() => this.genStmts(s.body));
      case 'region':
        return this.genStmts(s.body);
      default:
        return internal(`${s.kind} compiled as a statement containing a barrier`);
    }
  }
}
