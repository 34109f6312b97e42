/**
 * The reference interpreter runs vector programs exactly as docs/semantics.md ("## Vectors")
 * says: operators component by component with each component's scalar rule, `dot` in its
 * stated order and rounding, vector buffers as flat host arrays indexed in vectors, and
 * its own type checks on the new node kinds. Programs are written as IR data; expected
 * values are worked out by hand (the working is in the comments) or by a plain-JS
 * reference (BigInt for wrapping integers, Math.fround step by step for f32).
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { interpret, type InterpretRun } from '../../src/program/interpret.ts';
import type {
  AtomicOp,
  BinaryOp,
  Builtin,
  Expr,
  IrAccess,
  IrBuffer,
  IrProgram,
  ScalarType,
  Stmt,
  UnaryOp,
  ValueType,
  VectorType,
} from '../../src/protocol/ir.ts';

// ---- node constructors ---------------------------------------------------------------

const u32 = (value: number): Expr => ({ kind: 'literal', type: 'u32', value });
const i32 = (value: number): Expr => ({ kind: 'literal', type: 'i32', value });
const f32 = (value: number): Expr => ({ kind: 'literal', type: 'f32', value });
const TRUE: Expr = { kind: 'literal', type: 'bool', value: true };
const FALSE: Expr = { kind: 'literal', type: 'bool', value: false };
const v = (name: string): Expr => ({ kind: 'var', name });
const un = (op: UnaryOp, value: Expr): Expr => ({ kind: 'unary', op, value });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const builtin = (name: Builtin, axis: 0 | 1 | 2 = 0): Expr => ({ kind: 'builtin', name, axis });
const load = (buffer: string, index: Expr): Expr => ({ kind: 'load', buffer, index });
const length = (buffer: string): Expr => ({ kind: 'length', buffer });
const cast = (type: ValueType, value: Expr): Expr => ({ kind: 'cast', type, value });
const select = (cond: Expr, ifTrue: Expr, ifFalse: Expr): Expr => ({ kind: 'select', cond, ifTrue, ifFalse });
const fma = (a: Expr, b: Expr, c: Expr): Expr => ({ kind: 'fma', a, b, c });
const vec = (type: VectorType, ...components: Expr[]): Expr => ({ kind: 'vector', type, components });
const splat = (type: VectorType, value: Expr): Expr => ({ kind: 'splat', type, value });
const comp = (value: Expr, index: number): Expr => ({ kind: 'component', value, index });
const dot = (left: Expr, right: Expr): Expr => ({ kind: 'dot', left, right });
const atomic = (op: AtomicOp, buffer: string, index: Expr, value?: Expr): Expr => ({
  kind: 'atomic',
  op,
  buffer,
  index,
  ...(value === undefined ? {} : { value }),
});
const LI = builtin('local-index');
const LIN = builtin('linear-index');

const let_ = (name: string, value: Expr): Stmt => ({ kind: 'let', name, value });
const assign = (name: string, value: Expr): Stmt => ({ kind: 'assign', name, value });
const store = (buffer: string, index: Expr, value: Expr): Stmt => ({ kind: 'store', buffer, index, value });
const loop = (name: string, from: Expr, to: Expr, body: Stmt[]): Stmt => ({ kind: 'loop', var: name, from, to, body });
const BARRIER: Stmt = { kind: 'barrier' };

let nextBinding = 0;
function buf(name: string, access: IrAccess, type: ValueType, count?: number): IrBuffer {
  if (access === 'workgroup') return { name, binding: -1, access, type, count: count ?? 1 };
  return { name, binding: nextBinding++, access, type };
}

function program(workgroupSize: readonly [number, number, number], buffers: IrBuffer[], body: Stmt[]): IrProgram {
  return { kind: 'ir', workgroupSize, buffers, params: [], body };
}

const ONE: readonly [number, number, number] = [1, 1, 1];

function run(p: IrProgram, buffers: InterpretRun['buffers'], grid: InterpretRun['grid'] = ONE): void {
  interpret(p, { buffers, params: {}, grid });
}

function codeOf(action: () => void): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof VyreError) return error.code;
    throw error;
  }
  return undefined;
}

/** Runs a one-invocation program storing `values` into `out[0..]` of type `type`; returns out's components. */
function evaluate(type: ValueType, values: Expr[], inputs: InterpretRun['buffers'] = {}, extra: IrBuffer[] = []): number[] {
  const width = type.startsWith('vec2') ? 2 : type.startsWith('vec4') ? 4 : 1;
  const component = type.includes('f32') ? 'f32' : type.includes('i32') ? 'i32' : 'u32';
  const out =
    component === 'f32'
      ? new Float32Array(values.length * width)
      : component === 'i32'
        ? new Int32Array(values.length * width)
        : new Uint32Array(values.length * width);
  const p = program(ONE, [...extra, buf('out', 'output', type)], values.map((value, i) => store('out', u32(i), value)));
  run(p, { ...inputs, out });
  return [...out];
}

const fround = Math.fround;
const MIN = -2147483648;
const MAX = 2147483647;
const EPS = 2 ** -23; // one ULP of 1 in f32

// ---- arithmetic ---------------------------------------------------------------------------

describe('component-wise arithmetic', () => {
  it('adds and multiplies vec4<f32>, rounding each component to f32 on its own', () => {
    const a = vec('vec4<f32>', f32(1), f32(1 + EPS), f32(0.1), f32(3));
    const b = vec('vec4<f32>', f32(2 ** -24), f32(1 + EPS), f32(0.2), f32(-0.5));
    const [sum, product] = [evaluate('vec4<f32>', [bin('add', a, b)]), evaluate('vec4<f32>', [bin('mul', a, b)])];
    // 1 + 2⁻²⁴ is a tie between 1 and 1 + 2⁻²³: even wins, 1. (1+2⁻²³) + (1+2⁻²³) = 2 + 2⁻²² exactly.
    // 0.1f + 0.2f: the exact sum of the two f32 rounded once. 3 − 0.5 = 2.5.
    expect(sum).toEqual([1, 2 + 2 ** -22, fround(fround(0.1) + fround(0.2)), 2.5]);
    // (1+2⁻²³)² = 1 + 2⁻²² + 2⁻⁴⁶ rounds to 1 + 2⁻²²; 3 · −0.5 = −1.5.
    expect(product).toEqual([2 ** -24, 1 + 2 ** -22, fround(fround(0.1) * fround(0.2)), -1.5]);
  });

  it('wraps i32 and u32 vector arithmetic modulo 2³² per component', () => {
    expect(evaluate('vec2<i32>', [bin('add', vec('vec2<i32>', i32(MAX), i32(MIN)), vec('vec2<i32>', i32(1), i32(-1)))])).toEqual([
      MIN,
      MAX,
    ]);
    expect(
      evaluate('vec4<u32>', [bin('mul', vec('vec4<u32>', u32(0x10000), u32(0xffffffff), u32(3), u32(0)), splat('vec4<u32>', u32(0x10000)))]),
    ).toEqual([0, 0xffff0000, 0x30000, 0]);
  });

  it('divides vec2<i32> by zero, and i32::MIN by -1, by the scalar rules per component', () => {
    const a = vec('vec2<i32>', i32(7), i32(MIN));
    const b = vec('vec2<i32>', i32(0), i32(-1));
    // x / 0 = x; MIN / -1 = MIN; x % 0 = 0; MIN % -1 = 0.
    expect(evaluate('vec2<i32>', [bin('div', a, b), bin('rem', a, b)])).toEqual([7, MIN, 0, 0]);
    // Truncation toward zero, remainder with the dividend's sign.
    const c = vec('vec2<i32>', i32(-7), i32(7));
    const d = vec('vec2<i32>', i32(2), i32(-2));
    expect(evaluate('vec2<i32>', [bin('div', c, d), bin('rem', c, d)])).toEqual([-3, -3, -1, 1]);
  });

  it('shifts by a vecN<u32> amount masked to & 31 per component', () => {
    const left = vec('vec4<u32>', u32(1), u32(1), u32(0x80000000), u32(0xf0000000));
    const amounts = vec('vec4<u32>', u32(33), u32(31), u32(32), u32(4));
    // 33 & 31 = 1; 32 & 31 = 0 leaves the value; 0xf0000000 << 4 loses every bit.
    expect(evaluate('vec4<u32>', [bin('shl', left, amounts)])).toEqual([2, 0x80000000, 0x80000000, 0]);
    // i32 shr is arithmetic: -8 >> 1 = -4, and 33 is masked to 1.
    const signed = vec('vec2<i32>', i32(-8), i32(-8));
    expect(evaluate('vec2<i32>', [bin('shr', signed, vec('vec2<u32>', u32(1), u32(33)))])).toEqual([-4, -4]);
  });

  it('takes abs-diff of vec4<i32> exactly, as vec4<u32> components', () => {
    const a = vec('vec4<i32>', i32(MIN), i32(MAX), i32(-5), i32(3));
    const b = vec('vec4<i32>', i32(MAX), i32(MIN), i32(5), i32(3));
    // |MIN − MAX| = 2³² − 1 does not fit an i32: the result type is u32.
    expect(evaluate('vec4<u32>', [bin('abs-diff', a, b)])).toEqual([0xffffffff, 0xffffffff, 10, 0]);
  });

  it('applies unary operators per component (wrapping abs and neg included)', () => {
    expect(evaluate('vec4<i32>', [un('abs', vec('vec4<i32>', i32(MIN), i32(-3), i32(0), i32(4)))])).toEqual([MIN, 3, 0, 4]);
    expect(evaluate('vec2<i32>', [un('neg', vec('vec2<i32>', i32(MIN), i32(5)))])).toEqual([MIN, -5]);
    expect(evaluate('vec2<u32>', [un('bit-not', vec('vec2<u32>', u32(0), u32(0xff)))])).toEqual([0xffffffff, 0xffffff00]);
    expect(evaluate('vec4<u32>', [un('popcount', vec('vec4<u32>', u32(0), u32(7), u32(0xffffffff), u32(0x80000001)))])).toEqual([
      0, 3, 32, 2,
    ]);
    // Ties to even: 2.5 → 2, -0.5 → -0 (compared with Object.is by toEqual).
    expect(evaluate('vec4<f32>', [un('round', vec('vec4<f32>', f32(2.5), f32(3.5), f32(-0.5), f32(1.25)))])).toEqual([
      2, 4, -0, 1,
    ]);
  });

  it('computes fma on vec2<f32> per component with one rounding', () => {
    const a = vec('vec2<f32>', f32(1 + 2 ** -12), f32(2));
    const b = vec('vec2<f32>', f32(1 + 2 ** -12), f32(3));
    const c = vec('vec2<f32>', f32(-(1 + 2 ** -11)), f32(1));
    // (1+2⁻¹²)² − (1+2⁻¹¹) = 2⁻²⁴ exactly: the interpreter keeps the product exact
    // (where a rounded product would give 0). 2·3 + 1 = 7.
    expect(evaluate('vec2<f32>', [fma(a, b, c)])).toEqual([2 ** -24, 7]);
  });
});

// ---- dot ------------------------------------------------------------------------------------

describe('dot', () => {
  it('sums a vec4<f32> dot as ((x + y) + z) + w, rounding every partial sum', () => {
    const a = vec('vec4<f32>', f32(2 ** 24), f32(1), f32(-(2 ** 24)), f32(1));
    const ones = splat('vec4<f32>', f32(1));
    // 2²⁴ + 1 is a tie that rounds to 2²⁴ (even); − 2²⁴ = 0; + 1 = 1. Pairwise (x + z) + (y + w)
    // would give 2, the exact value.
    const [stated] = evaluate('f32', [dot(a, ones)]);
    expect(stated).toBe(1);
    const reference = fround(fround(fround(2 ** 24 + 1) - 2 ** 24) + 1);
    expect(stated).toBe(reference);
    expect(fround(fround(2 ** 24 - 2 ** 24) + fround(1 + 1))).toBe(2);
  });

  it('rounds every f32 product of a dot on its own, before adding', () => {
    const a = vec('vec2<f32>', f32(1 + 2 ** -12), f32(1 + 2 ** -11));
    const b = vec('vec2<f32>', f32(1 + 2 ** -12), f32(-1));
    // (1+2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴ ties to 1 + 2⁻¹¹ (even), so the sum is 0; a fused
    // product would keep the 2⁻²⁴.
    expect(evaluate('f32', [dot(a, b)])).toEqual([0]);
  });

  it('wraps an integer dot modulo 2³² (i32 and u32)', () => {
    const xs = [MAX, 2, MIN, 3];
    const ys = [2, MAX, -1, 5];
    const i32Sum = xs.reduce((sum, x, k) => sum + BigInt(x) * BigInt(ys[k] ?? 0), 0n);
    const [signed] = evaluate('i32', [dot(vec('vec4<i32>', ...xs.map(i32)), vec('vec4<i32>', ...ys.map(i32)))]);
    expect(signed).toBe(Number(BigInt.asIntN(32, i32Sum)));
    expect(signed).toBe(MIN + 11); // −2 − 2 + MIN + 15, wrapped
    const [unsigned] = evaluate('u32', [
      dot(vec('vec2<u32>', u32(0xffffffff), u32(0x80000000)), vec('vec2<u32>', u32(0xffffffff), u32(2))),
    ]);
    // (2³² − 1)² + 2³² ≡ 1 (mod 2³²).
    expect(unsigned).toBe(Number(BigInt.asUintN(32, 0xffffffffn * 0xffffffffn + 0x80000000n * 2n)));
    expect(unsigned).toBe(1);
  });
});

// ---- casts -------------------------------------------------------------------------------

describe('vector casts', () => {
  it('casts vec4<f32> to vec4<i32> truncating, saturating, and NaN to 0', () => {
    const x = new Float32Array([3.9, -3.9, 1e10, NaN, -1e10, 2147483520, -0.5, 0]);
    const p = [cast('vec4<i32>', load('x', u32(0))), cast('vec4<i32>', load('x', u32(1)))];
    const result = evaluate('vec4<i32>', p, { x }, [buf('x', 'read', 'vec4<f32>')]);
    expect(result).toEqual([3, -3, 2147483520, 0, MIN, 2147483520, 0, 0]);
  });

  it('casts vec4<f32> to vec4<u32> saturating at 0 and 4294967040', () => {
    const source = vec('vec4<f32>', f32(-5), f32(5e9), f32(7.5), f32(4294967040));
    expect(evaluate('vec4<u32>', [cast('vec4<u32>', source)])).toEqual([0, 4294967040, 7, 4294967040]);
  });

  it('reinterprets i32 components as u32, and converts integers to the nearest f32', () => {
    expect(evaluate('vec2<u32>', [cast('vec2<u32>', vec('vec2<i32>', i32(-1), i32(5)))])).toEqual([0xffffffff, 5]);
    // 16777217 is not an f32: it ties to 16777216.
    expect(evaluate('vec2<f32>', [cast('vec2<f32>', vec('vec2<u32>', u32(16777217), u32(3)))])).toEqual([16777216, 3]);
  });
});

// ---- building and taking apart --------------------------------------------------------------

describe('building vectors and taking them apart', () => {
  it('builds a vector from scalars, reads its components, and splats a scalar', () => {
    const built = vec('vec4<u32>', u32(10), u32(20), u32(30), u32(40));
    expect(evaluate('u32', [comp(built, 0), comp(built, 2), comp(built, 3)])).toEqual([10, 30, 40]);
    expect(evaluate('vec2<f32>', [splat('vec2<f32>', f32(1.5))])).toEqual([1.5, 1.5]);
  });

  it('evaluates vector components x first, and a splat value once', () => {
    const tick = atomic('add', 'counter', u32(0), u32(1));
    const p = program(ONE, [buf('counter', 'read-write', 'u32'), buf('out', 'output', 'vec4<u32>')], [
      store('out', u32(0), vec('vec4<u32>', tick, tick, tick, tick)),
      store('out', u32(1), splat('vec4<u32>', tick)),
    ]);
    const counter = new Uint32Array(1);
    const out = new Uint32Array(8);
    run(p, { counter, out });
    // Atomics return the old value: the components read 0, 1, 2, 3; the splat evaluates once (4).
    expect([...out]).toEqual([0, 1, 2, 3, 4, 4, 4, 4]);
    expect(counter[0]).toBe(5);
  });

  it('selects a whole vector with a scalar bool condition', () => {
    const a = vec('vec2<i32>', i32(1), i32(2));
    const b = vec('vec2<i32>', i32(3), i32(4));
    expect(evaluate('vec2<i32>', [select(TRUE, a, b), select(FALSE, a, b)])).toEqual([1, 2, 3, 4]);
  });

  it('keeps vectors in locals, assigned in a loop', () => {
    // acc = Σ_{k<4} (k, 2k, 3k, 4k) = (6, 12, 18, 24).
    const k = cast('u32', v('k'));
    const p = program(ONE, [buf('out', 'output', 'vec4<u32>')], [
      let_('acc', splat('vec4<u32>', u32(0))),
      loop('k', i32(0), i32(4), [
        assign('acc', bin('add', v('acc'), bin('mul', splat('vec4<u32>', k), vec('vec4<u32>', u32(1), u32(2), u32(3), u32(4))))),
      ]),
      store('out', u32(0), v('acc')),
    ]);
    const out = new Uint32Array(4);
    run(p, { out });
    expect([...out]).toEqual([6, 12, 18, 24]);
  });
});

// ---- memory -----------------------------------------------------------------------------------

describe('vector buffers', () => {
  it('loads and stores whole vec4s from a flat Float32Array, indexed in vectors', () => {
    const p = program([4, 1, 1], [buf('x', 'read', 'vec4<f32>'), buf('out', 'output', 'vec4<f32>')], [
      store('out', LIN, bin('mul', load('x', LIN), splat('vec4<f32>', f32(2)))),
    ]);
    const x = Float32Array.from({ length: 12 }, (_, i) => i + 0.5);
    const out = new Float32Array(12);
    run(p, { x, out });
    // Invocation 3 loads vector 3 (out of bounds: zero) and its store is dropped.
    expect([...out]).toEqual(Array.from({ length: 12 }, (_, i) => 2 * i + 1));
  });

  it('reads the zero vector out of bounds and drops an out-of-bounds store whole', () => {
    const p = program(ONE, [buf('x', 'read', 'vec4<i32>'), buf('out', 'read-write', 'vec4<i32>')], [
      store('out', u32(0), load('x', u32(2))),
      store('out', u32(1), load('x', i32(-1))),
      store('out', u32(2), load('x', u32(0xffffffff))),
      store('out', u32(3), load('x', u32(1))),
      store('out', i32(-1), splat('vec4<i32>', i32(9))),
      store('out', u32(5), splat('vec4<i32>', i32(9))),
    ]);
    const x = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = new Int32Array(20).fill(-7);
    run(p, { x, out });
    // x holds 2 vectors and out 5: vectors 0–2 read zeros, 3 is x's vector 1, 4 is untouched.
    expect([...out]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 7, 8, -7, -7, -7, -7]);
  });

  it('gives length in vectors', () => {
    const p = program(ONE, [buf('a', 'read', 'vec4<f32>'), buf('b', 'read', 'vec2<u32>'), buf('out', 'output', 'u32')], [
      store('out', u32(0), length('a')),
      store('out', u32(1), length('b')),
      store('out', u32(2), length('wg')),
    ]);
    const withWorkgroup = { ...p, buffers: [...p.buffers, buf('wg', 'workgroup', 'vec4<i32>', 7)] };
    const out = new Uint32Array(3);
    run(withWorkgroup, { a: new Float32Array(12), b: new Uint32Array(10), out });
    expect([...out]).toEqual([3, 5, 7]);
  });

  it('shares a workgroup vec4 buffer across a barrier, zero-filled per workgroup', () => {
    // Invocation li writes (li, 10·li, 100·li, wg) into slot li + 1 of 5; workgroup 0 alone
    // also fills slot 0 with 99s. After the barrier, invocation li reads slot 3 − li.
    const wg = builtin('workgroup-id');
    const p = program([4, 1, 1], [buf('scratch', 'workgroup', 'vec4<u32>', 5), buf('out', 'output', 'vec4<u32>')], [
      store('scratch', bin('add', LI, u32(1)), vec('vec4<u32>', LI, bin('mul', LI, u32(10)), bin('mul', LI, u32(100)), wg)),
      { kind: 'if', cond: bin('eq', wg, u32(0)), then: [store('scratch', u32(0), splat('vec4<u32>', u32(99)))], otherwise: [] },
      BARRIER,
      store('out', LIN, load('scratch', bin('sub', u32(3), LI))),
    ]);
    const out = new Uint32Array(32);
    run(p, { out }, [2, 1, 1]);
    const expected = Array.from({ length: 8 }, (_, n) => {
      const [group, local] = [Math.floor(n / 4), n % 4];
      const writer = 2 - local; // slot 3 − local was written by invocation 2 − local
      if (writer >= 0) return [writer, 10 * writer, 100 * writer, group];
      // Slot 0: 99s in workgroup 0, zeros again in workgroup 1.
      return group === 0 ? [99, 99, 99, 99] : [0, 0, 0, 0];
    });
    expect([...out]).toEqual(expected.flat());
  });

  it.each<[string, IrBuffer, InterpretRun['buffers'][string]]>([
    ['a vec4<f32> buffer of 6 floats', buf('x', 'read', 'vec4<f32>'), new Float32Array(6)],
    ['a vec2<u32> buffer of 3 words', buf('x', 'read', 'vec2<u32>'), new Uint32Array(3)],
    ['a vec4<f32> buffer given as an Int32Array', buf('x', 'read', 'vec4<f32>'), new Int32Array(8)],
    ['a vec2<i32> buffer given as a Uint32Array', buf('x', 'read', 'vec2<i32>'), new Uint32Array(4)],
    ['a vec4<u32> output of 5 words', buf('x', 'output', 'vec4<u32>'), new Uint32Array(5)],
  ])('rejects %s as invalid-input, with a fix', (_name, decl, array) => {
    const p = program(ONE, [decl], []);
    let error: unknown;
    try {
      run(p, { x: array });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(VyreError);
    expect((error as VyreError).code).toBe('invalid-input');
    expect((error as VyreError).message).toMatch(/Fix: pass a (flat )?(Float32|Int32|Uint32)Array/);
  });
});

// ---- the interpreter's own type checks -----------------------------------------------------

describe('vector programs the interpreter rejects', () => {
  const v4f = vec('vec4<f32>', f32(1), f32(2), f32(3), f32(4));
  const v2f = vec('vec2<f32>', f32(1), f32(2));
  const v4u = splat('vec4<u32>', u32(1));
  const v4i = splat('vec4<i32>', i32(1));
  const sink = (type: ValueType, value: Expr): IrProgram =>
    program(ONE, [buf('out', 'output', type)], [store('out', u32(0), value)]);
  const bad = (type: ScalarType | VectorType, value: Expr): [ValueType, Expr] => [type, value];

  it.each<[string, [ValueType, Expr]]>([
    ['a component index at the width', bad('f32', comp(v2f, 2))],
    ['a negative component index', bad('f32', comp(v4f, -1))],
    ['a component of a scalar', bad('f32', comp(f32(1), 0))],
    ['a vector with too few components', bad('vec4<f32>', vec('vec4<f32>', f32(1), f32(2), f32(3)))],
    ['a vector with a component of the wrong type', bad('vec2<f32>', vec('vec2<f32>', f32(1), u32(2)))],
    ['a vector of a vector', bad('vec2<f32>', vec('vec2<f32>', v2f, f32(1)))],
    ['a vector of a non-vector type', bad('f32', { kind: 'vector', type: 'f32' as VectorType, components: [f32(1)] })],
    ['a splat of the wrong component type', bad('vec4<u32>', splat('vec4<u32>', i32(1)))],
    ['a vector plus a scalar', bad('vec4<f32>', bin('add', v4f, f32(1)))],
    ['a scalar plus a vector', bad('vec4<f32>', bin('add', f32(1), v4f))],
    ['vectors of different widths', bad('vec4<f32>', bin('add', v4f, v2f))],
    ['a vector comparison', bad('u32', bin('lt', v4u, v4u))],
    ['vector equality', bad('u32', bin('eq', v4u, v4u))],
    ['a shift by a vector of i32', bad('vec4<u32>', bin('shl', v4u, v4i))],
    ['a shift by a scalar amount', bad('vec4<u32>', bin('shl', v4u, u32(1)))],
    ['a bit operator on f32 vectors', bad('vec4<f32>', bin('bit-and', v4f, v4f))],
    ['a float function on integer vectors', bad('vec4<u32>', un('sqrt', v4u))],
    ['not on a vector', bad('vec4<u32>', un('not', v4u))],
    ['a dot of different vector types', bad('f32', dot(v4f, v4u))],
    ['a dot of scalars', bad('f32', dot(f32(1), f32(2)))],
    ['an fma on integer vectors', bad('vec4<u32>', fma(v4u, v4u, v4u))],
    ['an fma mixing a vector and scalars', bad('vec4<f32>', fma(v4f, f32(1), f32(1)))],
    ['a cast between widths', bad('vec2<u32>', cast('vec2<u32>', v4f))],
    ['a cast of a scalar to a vector', bad('vec4<f32>', cast('vec4<f32>', f32(1)))],
    ['a cast of a vector to a scalar', bad('u32', cast('u32', v4u))],
    ['a select between a vector and a scalar', bad('vec4<f32>', select(TRUE, v4f, f32(1)))],
    ['a select with a vector condition', bad('vec4<u32>', select(v4u, v4u, v4u))],
    ['a vector index', bad('vec4<u32>', load('out', v4u))],
    ['a scalar stored into a vector buffer', bad('vec4<f32>', f32(1))],
    ['a vec2 stored into a vec4 buffer', bad('vec4<f32>', v2f)],
  ])('rejects %s as invalid-program', (_name, [type, value]) => {
    const p = sink(type, value);
    const size = type.startsWith('vec4') ? 4 : type.startsWith('vec2') ? 2 : 1;
    const out = type.includes('f32') ? new Float32Array(size) : type.includes('i32') ? new Int32Array(size) : new Uint32Array(size);
    expect(codeOf(() => run(p, { out }))).toBe('invalid-program');
  });

  it('rejects atomics on a vector buffer', () => {
    const p = program(ONE, [buf('out', 'read-write', 'vec4<u32>')], [store('out', u32(0), splat('vec4<u32>', atomic('add', 'out', u32(0), u32(1))))]);
    expect(codeOf(() => run(p, { out: new Uint32Array(4) }))).toBe('invalid-program');
  });

  it('rejects assigning a vector to a scalar local, and a vec4 to a vec2 local', () => {
    const toScalar = program(ONE, [], [let_('s', u32(0)), assign('s', v4u)]);
    const toNarrower = program(ONE, [], [let_('w', splat('vec2<u32>', u32(0))), assign('w', v4u)]);
    expect(codeOf(() => run(toScalar, {}))).toBe('invalid-program');
    expect(codeOf(() => run(toNarrower, {}))).toBe('invalid-program');
  });

  it('rejects a workgroup buffer of an unknown element type', () => {
    const p = program(ONE, [buf('wg', 'workgroup', 'vec3<f32>' as VectorType, 4)], []);
    expect(codeOf(() => run(p, {}))).toBe('invalid-program');
  });
});
