/**
 * Surveys a generated program, independently of the generator: infers every expression's
 * type from docs/semantics.md, lists the features it uses (for coverage), and lists what
 * would make a GPU-vs-interpreter comparison unsound:
 * - an f32 operation that is not correctly rounded (its comparison would need a tolerance);
 * - an integer converted to f32 without the 16-bit mask that keeps it exact;
 * - an `fma` on operands that are not small dyadics (fused and unfused could differ);
 * - a comparison, logic or `not` on vectors (invalid; the validator agrees);
 * - a load or store of a read-write buffer other than at the own element or surely past
 *   the end (another invocation's element: a race);
 * - a whole-vector store of a scalar buffer other than at the own vector or surely past
 *   the end, a whole-vector load of a buffer that invocations write, or a buffer stored
 *   both ways or at two widths (each would let two invocations touch one element).
 */
import { componentOf, isVectorType, widthOf, type Expr, type IrBuffer, type IrProgram, type Stmt, type ValueType } from '../../src/protocol/ir.ts';

export interface Survey {
  /** A vector type appears in a buffer or any value. */
  readonly usesVectors: boolean;
  /** Feature names (see {@link surveyProgram}), and every vector type a value has. */
  readonly features: ReadonlySet<string>;
  /** Departures from what the fuzzer can compare bit for bit or run without races. */
  readonly problems: readonly string[];
}

/** Correctly rounded f32 operators: exact (0 ULP) in docs/semantics.md's tolerance table. */
const EXACT_F32_BINARY: readonly string[] = ['add', 'sub', 'mul', 'min', 'max'];
const EXACT_F32_UNARY: readonly string[] = ['neg', 'abs', 'floor', 'ceil', 'trunc', 'round', 'sign'];
const BOOL_RESULT: readonly string[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or'];
const SHIFTS: readonly string[] = ['shl', 'shr', 'rotl', 'rotr'];

/** Surveys `program` (a generated, valid one). */
export function surveyProgram(program: IrProgram): Survey {
  const surveyor = new Surveyor(program);
  surveyor.stmts(program.body);
  const features = surveyor.features;
  const usesVectors = program.buffers.some((buffer) => isVectorType(buffer.type)) || [...features].some(isVectorType);
  return { usesVectors, features, problems: surveyor.problems };
}

function isOwnIndex(index: Expr): boolean {
  return index.kind === 'var' && index.name === 'i';
}

/** `i + length(buffer)`: past the end of `buffer` for every invocation. */
function isSurelyPastEnd(index: Expr, buffer: string): boolean {
  return index.kind === 'binary' && index.op === 'add' && isOwnIndex(index.left) && index.right.kind === 'length' && index.right.buffer === buffer;
}

function isLiteralOrSplat(expr: Expr, value: number): boolean {
  if (expr.kind === 'splat') return isLiteralOrSplat(expr.value, value);
  return expr.kind === 'literal' && expr.value === value;
}

class Surveyor {
  readonly features = new Set<string>();
  readonly problems: string[] = [];
  private readonly locals = new Map<string, ValueType>([['i', 'u32']]);
  private readonly buffers: Map<string, IrBuffer>;
  private readonly params: Map<string, ValueType>;
  /** How each buffer is stored into: `element`, or the width of its whole-vector stores. */
  private readonly storeShapes = new Map<string, Set<string>>();

  constructor(program: IrProgram) {
    this.buffers = new Map(program.buffers.map((buffer) => [buffer.name, buffer]));
    this.params = new Map(program.params.map((param) => [param.name, param.type]));
    for (const buffer of program.buffers) if (isVectorType(buffer.type)) this.features.add(`${buffer.access} vector buffer`);
  }

  stmts(list: readonly Stmt[]): void {
    for (const stmt of list) this.stmt(stmt);
  }

  private stmt(stmt: Stmt): void {
    switch (stmt.kind) {
      case 'let':
      case 'assign': {
        const type = this.expr(stmt.value);
        if (stmt.kind === 'let') this.locals.set(stmt.name, type);
        if (isVectorType(type)) this.features.add(stmt.kind === 'let' ? 'vector local' : 'assignment of a vector');
        return;
      }
      case 'store':
        return this.store(stmt);
      case 'store-vector':
        return this.storeVector(stmt);
      case 'if':
        this.expr(stmt.cond);
        this.stmts(stmt.then);
        return this.stmts(stmt.otherwise);
      case 'loop':
        this.features.add('loop');
        this.locals.set(stmt.var, this.expr(stmt.from));
        this.expr(stmt.to);
        return this.stmts(stmt.body);
      case 'block':
      case 'region':
        return this.stmts(stmt.body);
      default:
        this.features.add(stmt.kind);
    }
  }

  private store(stmt: Extract<Stmt, { kind: 'store' }>): void {
    this.noteStoreShape(stmt.buffer, 'element');
    const pastEnd = isSurelyPastEnd(stmt.index, stmt.buffer);
    if (!isOwnIndex(stmt.index) && !pastEnd) this.problems.push(`a store into ${stmt.buffer} at another invocation's element`);
    this.expr(stmt.index);
    if (isVectorType(this.expr(stmt.value))) this.features.add(pastEnd ? 'store of a vector past the end' : 'store of a vector');
  }

  /** A whole vector into a scalar buffer: at the own vector `i` (elements width·i …, no one else's) or surely past the end. */
  private storeVector(stmt: Extract<Stmt, { kind: 'store-vector' }>): void {
    this.noteStoreShape(stmt.buffer, `vec${stmt.width}`);
    const pastEnd = isSurelyPastEnd(stmt.index, stmt.buffer);
    if (!isOwnIndex(stmt.index) && !pastEnd) this.problems.push(`a vector store into ${stmt.buffer} at another invocation's vector`);
    this.expr(stmt.index);
    this.expr(stmt.value);
    this.features.add(`store of a vec${stmt.width} of scalars${pastEnd ? ' past the end' : ''}`);
    this.features.add(`vector access of ${this.known(this.buffers.get(stmt.buffer)?.type, `buffer ${stmt.buffer}`)} scalars`);
  }

  /** Element stores and vector stores of one width each give every element one writer; mixed, they do not. */
  private noteStoreShape(buffer: string, shape: string): void {
    const shapes = this.storeShapes.get(buffer) ?? new Set<string>();
    shapes.add(shape);
    this.storeShapes.set(buffer, shapes);
    if (shapes.size === 2) this.problems.push(`${buffer} is stored both as ${[...shapes].join(' and ')}`);
  }

  private expr(expr: Expr): ValueType {
    const type = this.typeOf(expr);
    if (isVectorType(type)) this.features.add(type);
    return type;
  }

  private typeOf(expr: Expr): ValueType {
    switch (expr.kind) {
      case 'literal':
        return expr.type;
      case 'var':
        return this.known(this.locals.get(expr.name), `local ${expr.name}`);
      case 'param':
        return this.known(this.params.get(expr.name), `param ${expr.name}`);
      case 'length':
      case 'builtin':
        return 'u32';
      case 'load':
        return this.load(expr);
      case 'load-vector':
        return this.loadVector(expr);
      case 'unary':
        return this.unary(expr);
      case 'binary':
        return this.binary(expr);
      case 'select':
        return this.select(expr);
      case 'cast':
        return this.cast(expr);
      case 'fma':
        return this.fma(expr);
      default:
        return this.vectorPart(expr);
    }
  }

  private vectorPart(expr: Extract<Expr, { kind: 'vector' | 'splat' | 'component' | 'dot' | 'atomic' }>): ValueType {
    switch (expr.kind) {
      case 'vector':
        this.features.add('vector');
        for (const component of expr.components) this.expr(component);
        return expr.type;
      case 'splat':
        this.features.add('splat');
        this.expr(expr.value);
        return expr.type;
      case 'component':
        this.features.add('component');
        return componentOf(this.expr(expr.value));
      case 'dot': {
        const type = componentOf(this.expr(expr.left));
        this.expr(expr.right);
        this.features.add(`dot of ${type}`);
        return type;
      }
      case 'atomic':
        this.features.add('atomic');
        this.expr(expr.index);
        if (expr.value !== undefined) this.expr(expr.value);
        return this.known(this.buffers.get(expr.buffer)?.type, `buffer ${expr.buffer}`);
    }
  }

  private load(expr: Extract<Expr, { kind: 'load' }>): ValueType {
    const buffer = this.buffers.get(expr.buffer);
    const pastEnd = isSurelyPastEnd(expr.index, expr.buffer);
    const offset = expr.index.kind === 'binary' && expr.index.op === 'add' && isOwnIndex(expr.index.left) && expr.index.right.kind === 'literal';
    if (buffer?.access === 'read-write' && !isOwnIndex(expr.index) && !pastEnd) this.problems.push(`a load of ${expr.buffer} at another invocation's element`);
    this.expr(expr.index);
    const type = this.known(buffer?.type, `buffer ${expr.buffer}`);
    if (isVectorType(type)) this.features.add(pastEnd ? 'load of a vector at i + its length' : offset ? 'load of a vector at i + k' : 'load of a vector');
    return type;
  }

  /** A whole vector of a scalar buffer: only inputs, which no invocation writes, may be read at any index. */
  private loadVector(expr: Extract<Expr, { kind: 'load-vector' }>): ValueType {
    const buffer = this.buffers.get(expr.buffer);
    const element = this.known(buffer?.type, `buffer ${expr.buffer}`);
    if (buffer?.access !== 'read' && buffer?.access !== 'uniform') this.problems.push(`a vector load of ${expr.buffer}, which invocations write`);
    this.expr(expr.index);
    const offset = expr.index.kind === 'binary' && expr.index.op === 'add' && isOwnIndex(expr.index.left) && expr.index.right.kind === 'literal' ? Number(expr.index.right.value) : 0;
    const past = offset * expr.width >= 2 ** 32 ? ' at an index past 2³²' : offset > 0 ? ' at i + k' : '';
    this.features.add(`load of a vec${expr.width} of scalars${past}`);
    this.features.add(`vector access of ${element} scalars`);
    return `vec${expr.width}<${componentOf(element)}>` as ValueType;
  }

  private unary(expr: Extract<Expr, { kind: 'unary' }>): ValueType {
    const type = this.expr(expr.value);
    if (componentOf(type) === 'f32' && !EXACT_F32_UNARY.includes(expr.op)) this.problems.push(`${expr.op} of f32 is not exact`);
    if (isVectorType(type)) {
      if (expr.op === 'not') this.problems.push('not of a vector');
      this.features.add('unary on a vector');
    }
    return type;
  }

  private binary(expr: Extract<Expr, { kind: 'binary' }>): ValueType {
    const left = this.expr(expr.left);
    const right = this.expr(expr.right);
    const vectors = isVectorType(left) || isVectorType(right);
    if (BOOL_RESULT.includes(expr.op)) {
      if (vectors) this.problems.push(`${expr.op} of vectors`);
      return 'bool';
    }
    if (componentOf(left) === 'f32' && !EXACT_F32_BINARY.includes(expr.op)) this.problems.push(`${expr.op} of f32 is not exact`);
    if (vectors) {
      this.features.add(SHIFTS.includes(expr.op) ? 'shift by a vector' : expr.op === 'abs-diff' ? 'abs-diff of integer vectors' : 'arithmetic on vectors');
    }
    if (expr.op !== 'abs-diff' || componentOf(left) === 'f32') return left;
    return isVectorType(left) ? (widthOf(left) === 2 ? 'vec2<u32>' : 'vec4<u32>') : 'u32';
  }

  private select(expr: Extract<Expr, { kind: 'select' }>): ValueType {
    this.expr(expr.cond);
    const type = this.expr(expr.ifTrue);
    this.expr(expr.ifFalse);
    if (isVectorType(type)) this.features.add('select of vectors');
    return type;
  }

  private cast(expr: Extract<Expr, { kind: 'cast' }>): ValueType {
    const from = this.expr(expr.value);
    const exactSource = componentOf(from) === 'bool' || componentOf(from) === 'f32';
    const masked = expr.value.kind === 'binary' && expr.value.op === 'bit-and' && isLiteralOrSplat(expr.value.right, 0xffff);
    if (componentOf(expr.type) === 'f32' && !exactSource && !masked) this.problems.push(`an unmasked ${from} converted to f32 may round`);
    if (isVectorType(expr.type)) this.features.add('cast between vectors');
    return expr.type;
  }

  private fma(expr: Extract<Expr, { kind: 'fma' }>): ValueType {
    const type = this.expr(expr.a);
    this.expr(expr.b);
    this.expr(expr.c);
    if (![expr.a, expr.b, expr.c].every((operand) => this.isDyadic(operand))) this.problems.push('fma of operands that are not small dyadics');
    if (isVectorType(type)) this.features.add('fma of vectors');
    return type;
  }

  /** k / 8 with |k| < 2¹⁰ in every component: a literal, a param or a read-only input (the generator fills those so). */
  private isDyadic(expr: Expr): boolean {
    switch (expr.kind) {
      case 'literal':
        return typeof expr.value === 'number' && Number.isInteger(expr.value * 8) && Math.abs(expr.value * 8) < 1024;
      case 'param':
        return true;
      case 'load':
      case 'load-vector':
        return this.buffers.get(expr.buffer)?.access === 'read';
      case 'splat':
      case 'component':
        return this.isDyadic(expr.value);
      case 'vector':
        return expr.components.every((component) => this.isDyadic(component));
      default:
        return false;
    }
  }

  private known(type: ValueType | undefined, what: string): ValueType {
    if (type === undefined) throw new Error(`survey: unknown ${what}`);
    return type;
  }
}
