/**
 * The vector half of the fuzz generator: vector expressions, and the scalars taken from
 * vectors (`component`, `dot`), following docs/semantics.md "Vectors" exactly:
 * - operators are component-wise and both operands share the vector type, except a shift
 *   or rotate amount (the `u32` vector of that width) and `abs-diff` of integer vectors
 *   (which gives the `u32` vector); no comparisons, logic or `eq`/`ne` on vectors;
 * - `select` picks a whole vector on a scalar `bool`; `cast` keeps the width;
 * - floats get the scalar generator's care: only correctly rounded operators, integers
 *   masked to 16 bits before they become f32, and `fma` only on dyadic inputs, literals
 *   and params (see `randomDyadic`), where a·b + c is exact, so fused or not agree bit for
 *   bit. An f32 `dot` is allowed: under the default `exact` policy every product and
 *   partial sum is rounded on its own, in order, on both sides.
 */
import { componentOf, widthOf, type ComponentType, type Expr, type ScalarType, type UnaryOp, type ValueType, type VectorType, type VectorWidth } from '../../src/protocol/ir.ts';
import { F32_VECTORS } from './generate-buffers.ts';
import { FLOAT_BINARY, FLOAT_UNARY, INT_BINARY, INT_UNARY, SHIFTS, SIGNED_UNARY, binary, literal, randomDyadic } from './generate-ops.ts';
import type { Random } from './random.ts';

/** What the vector generator needs from the program generator around it. */
export interface ExprHost {
  readonly random: Random;
  /** Any expression of `type`, scalar or vector, at most `depth` levels deep. */
  expr(type: ValueType, depth: number): Expr;
  /** A scalar leaf: a local, param, load, builtin or literal. */
  leaf(type: ScalarType): Expr;
  /** Names of the visible locals of `type`. */
  locals(type: ValueType): string[];
  /** A load of an element of `type` (from an input or, at its own element, a read-write buffer), if a buffer holds it. */
  load(type: ValueType): Expr | undefined;
  /** A load from a read-only input of `type`, whose values are all dyadic, if one holds it. */
  loadInput(type: ValueType): Expr | undefined;
}

/** The vector of `width` components of `component`. */
export function vectorType(component: ComponentType, width: VectorWidth): VectorType {
  return `vec${width}<${component}>`;
}

function unaryOps(component: ComponentType): readonly UnaryOp[] {
  return component === 'f32' ? FLOAT_UNARY : component === 'i32' ? SIGNED_UNARY : INT_UNARY;
}

export class VectorExprs {
  private readonly random: Random;

  constructor(private readonly host: ExprHost) {
    this.random = host.random;
  }

  /** A vector expression of `type`, at most `depth` generator levels deep. */
  expr(type: VectorType, depth: number): Expr {
    if (depth <= 0 || this.random.chance(0.25)) return this.leaf(type);
    const component = componentOf(type) as ComponentType;
    const width = widthOf(type) as VectorWidth;
    const roll = this.random.below(8);
    if (roll === 0) return { kind: 'unary', op: this.random.pick(unaryOps(component)), value: this.expr(type, depth - 1) };
    if (roll === 1) return { kind: 'select', cond: this.host.expr('bool', depth - 1), ifTrue: this.expr(type, depth - 1), ifFalse: this.expr(type, depth - 1) };
    if (roll === 2) return this.cast(type, depth);
    if (roll === 3 && component === 'f32') return this.fma(type);
    if (roll === 3) return binary(this.random.pick(SHIFTS), this.expr(type, depth - 1), this.expr(vectorType('u32', width), depth - 1));
    if (roll === 4 && component === 'u32') {
      const operands = vectorType(this.random.pick(['u32', 'i32'] as const), width);
      return binary('abs-diff', this.expr(operands, depth - 1), this.expr(operands, depth - 1));
    }
    if (roll === 5) return this.build(type, depth);
    const ops = component === 'f32' ? FLOAT_BINARY : INT_BINARY;
    return binary(this.random.pick(ops), this.expr(type, depth - 1), this.expr(type, depth - 1));
  }

  /** A scalar taken from vectors: one component, or a dot product. */
  scalar(type: ComponentType, depth: number): Expr {
    const width = this.random.pick([2, 4] as const);
    const source = vectorType(type, width);
    if (this.random.chance(0.5)) return { kind: 'component', value: this.expr(source, depth - 1), index: this.random.below(width) };
    return { kind: 'dot', left: this.expr(source, depth - 1), right: this.expr(source, depth - 1) };
  }

  private leaf(type: VectorType): Expr {
    const roll = this.random.below(4);
    const locals = this.host.locals(type);
    if (roll === 0 && locals.length > 0) return { kind: 'var', name: this.random.pick(locals) };
    const load = roll === 1 ? this.host.load(type) : undefined;
    if (load !== undefined) return load;
    const component = componentOf(type);
    if (roll === 2) return { kind: 'splat', type, value: this.host.leaf(component) };
    return { kind: 'vector', type, components: this.times(widthOf(type), () => this.host.leaf(component)) };
  }

  /** `vector` of scalar expressions, or `splat` of one. */
  private build(type: VectorType, depth: number): Expr {
    const component = componentOf(type);
    if (this.random.chance(0.5)) return { kind: 'splat', type, value: this.host.expr(component, depth - 1) };
    return { kind: 'vector', type, components: this.times(widthOf(type), () => this.host.expr(component, depth - 1)) };
  }

  /** A cast from a vector of the same width; integers are masked to 16 bits first so the conversion to f32 is exact. */
  private cast(type: VectorType, depth: number): Expr {
    const width = widthOf(type) as VectorWidth;
    if (componentOf(type) === 'f32') {
      const source = vectorType(this.random.pick(['u32', 'i32'] as const), width);
      const mask: Expr = { kind: 'splat', type: source, value: literal(componentOf(source), 0xffff) };
      return { kind: 'cast', type, value: binary('bit-and', this.expr(source, depth - 1), mask) };
    }
    const source = vectorType(this.random.pick(['u32', 'i32', 'f32'] as const), width);
    return { kind: 'cast', type, value: this.expr(source, depth - 1) };
  }

  /** fma on dyadic operands only: a·b + c is then exact, so fused and unfused agree. */
  private fma(type: VectorType): Expr {
    return { kind: 'fma', a: this.dyadicVector(type), b: this.dyadicVector(type), c: this.dyadicVector(type) };
  }

  private dyadicVector(type: VectorType): Expr {
    const roll = this.random.below(3);
    const load = roll === 0 ? this.host.loadInput(type) : undefined;
    if (load !== undefined) return load;
    if (roll === 1) return { kind: 'splat', type, value: this.dyadicScalar() };
    return { kind: 'vector', type, components: this.times(widthOf(type), () => this.dyadicScalar()) };
  }

  /** A param, a literal, or a load or component of an f32 input: k / 8 with |k| < 2¹⁰ (or 0 past the end). */
  private dyadicScalar(): Expr {
    const roll = this.random.below(4);
    if (roll === 0) return { kind: 'param', name: 'pf' };
    if (roll === 1) return this.host.loadInput('f32') ?? literal('f32', randomDyadic(this.random));
    if (roll === 2) {
      const source = this.random.pick(F32_VECTORS);
      const load = this.host.loadInput(source);
      if (load !== undefined) return { kind: 'component', value: load, index: this.random.below(widthOf(source)) };
    }
    return literal('f32', randomDyadic(this.random));
  }

  private times(count: number, make: () => Expr): Expr[] {
    return Array.from({ length: count }, make);
  }
}
