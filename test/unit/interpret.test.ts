/**
 * The reference interpreter runs IR programs exactly as docs/semantics.md says: the grid
 * and its builtins, bounds-checked memory, barriers, atomics, scopes, loops, evaluation
 * order. Programs are written as IR data; the short constructors below only spell nodes.
 * Expected results are worked out by hand or by a plain JS loop over the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { interpret, type InterpretRun } from '../../src/program/interpret.ts';
import type { AtomicOp, BinaryOp, Builtin, Expr, IrAccess, IrBuffer, IrProgram, ScalarType, Stmt } from '../../src/protocol/ir.ts';

// ---- node constructors ---------------------------------------------------------------

const u32 = (value: number): Expr => ({ kind: 'literal', type: 'u32', value });
const i32 = (value: number): Expr => ({ kind: 'literal', type: 'i32', value });
const f32 = (value: number): Expr => ({ kind: 'literal', type: 'f32', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const param = (name: string): Expr => ({ kind: 'param', name });
const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const builtin = (name: Builtin, axis: 0 | 1 | 2 = 0): Expr => ({ kind: 'builtin', name, axis });
const load = (buffer: string, index: Expr): Expr => ({ kind: 'load', buffer, index });
const cast = (type: ScalarType, value: Expr): Expr => ({ kind: 'cast', type, value });
const length = (buffer: string): Expr => ({ kind: 'length', buffer });
const atomic = (op: AtomicOp, buffer: string, index: Expr, value?: Expr, expected?: Expr): Expr => ({
  kind: 'atomic',
  op,
  buffer,
  index,
  ...(value === undefined ? {} : { value }),
  ...(expected === undefined ? {} : { expected }),
});
const LI = builtin('local-index');
const LIN = builtin('linear-index');

const let_ = (name: string, value: Expr): Stmt => ({ kind: 'let', name, value });
const assign = (name: string, value: Expr): Stmt => ({ kind: 'assign', name, value });
const store = (buffer: string, index: Expr, value: Expr): Stmt => ({ kind: 'store', buffer, index, value });
const if_ = (cond: Expr, then: Stmt[], otherwise: Stmt[] = []): Stmt => ({ kind: 'if', cond, then, otherwise });
const loop = (name: string, from: Expr, to: Expr, body: Stmt[]): Stmt => ({ kind: 'loop', var: name, from, to, body });
const BARRIER: Stmt = { kind: 'barrier' };
const BREAK: Stmt = { kind: 'break' };
const RETURN: Stmt = { kind: 'return' };

let nextBinding = 0;
function buf(name: string, access: IrAccess, type: ScalarType, count?: number): IrBuffer {
  if (access === 'workgroup') return { name, binding: -1, access, type, count: count ?? 1 };
  return { name, binding: nextBinding++, access, type };
}

function program(
  workgroupSize: readonly [number, number, number],
  buffers: IrBuffer[],
  body: Stmt[],
  params: IrProgram['params'] = [],
): IrProgram {
  return { kind: 'ir', workgroupSize, buffers, params, body };
}

function run(
  p: IrProgram,
  grid: InterpretRun['grid'],
  buffers: InterpretRun['buffers'],
  params: InterpretRun['params'] = {},
): void {
  interpret(p, { buffers, params, grid });
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

const ONE: readonly [number, number, number] = [1, 1, 1];

// ---- the grid ----------------------------------------------------------------------------

describe('the grid', () => {
  it('maps element-wise over linear-index, guarded by length', () => {
    const p = program(
      [8, 1, 1],
      [buf('x', 'read', 'f32'), buf('out', 'output', 'f32')],
      [
        let_('i', LIN),
        if_(bin('lt', v('i'), length('out')), [
          store('out', v('i'), bin('add', bin('mul', load('x', v('i')), param('alpha')), f32(1))),
        ]),
      ],
      [{ name: 'alpha', type: 'f32' }],
    );
    const x = Float32Array.from({ length: 36 }, (_, i) => i * 0.5);
    const out = new Float32Array(36);
    run(p, [5, 1, 1], { x, out }, { alpha: 3 });
    // x·3 + 1 = 1.5·i + 1, exact in f32.
    expect([...out]).toEqual(Array.from({ length: 36 }, (_, i) => 1.5 * i + 1));
  });

  it('covers each linear index exactly once on a folded grid [3, 2, 1]', () => {
    const p = program(
      [4, 1, 1],
      [buf('hits', 'output', 'u32'), buf('gid', 'output', 'u32'), buf('wgy', 'output', 'u32'), buf('nwg', 'output', 'u32')],
      [
        store('hits', LIN, bin('add', atomic('add', 'hits', LIN, u32(1)), u32(1))),
        store('gid', LIN, builtin('global-id', 0)),
        store('wgy', LIN, builtin('workgroup-id', 1)),
        store('nwg', u32(0), builtin('num-workgroups', 0)),
        store('nwg', u32(1), builtin('num-workgroups', 1)),
        store('nwg', u32(2), builtin('num-workgroups', 2)),
      ],
    );
    const [hits, gid, wgy, nwg] = [new Uint32Array(25), new Uint32Array(24), new Uint32Array(24), new Uint32Array(3)];
    run(p, [3, 2, 1], { hits, gid, wgy, nwg });
    expect([...hits]).toEqual([...Array<number>(24).fill(1), 0]);
    // Workgroup g = ⌊L/4⌋ sits at (g mod 3, ⌊g/3⌋); global x = wg.x·4 + local.x.
    expect([...gid]).toEqual(Array.from({ length: 24 }, (_, L) => (Math.floor(L / 4) % 3) * 4 + (L % 4)));
    expect([...wgy]).toEqual(Array.from({ length: 24 }, (_, L) => Math.floor(L / 12)));
    expect([...nwg]).toEqual([3, 2, 1]);
  });

  it('numbers a 3D workgroup x fastest, and runs workgroups in linear order', () => {
    const p = program(
      [2, 3, 2],
      [buf('lx', 'output', 'u32'), buf('ly', 'output', 'u32'), buf('lz', 'output', 'u32'), buf('li', 'output', 'u32')],
      [
        store('lx', LIN, builtin('local-id', 0)),
        store('ly', LIN, builtin('local-id', 1)),
        store('lz', LIN, builtin('local-id', 2)),
        store('li', LIN, LI),
      ],
    );
    const [lx, ly, lz, li] = [new Uint32Array(24), new Uint32Array(24), new Uint32Array(24), new Uint32Array(24)];
    run(p, [1, 1, 2], { lx, ly, lz, li });
    const local = Array.from({ length: 24 }, (_, L) => L % 12);
    expect([...li]).toEqual(local);
    expect([...lx]).toEqual(local.map((n) => n % 2));
    expect([...ly]).toEqual(local.map((n) => Math.floor(n / 2) % 3));
    expect([...lz]).toEqual(local.map((n) => Math.floor(n / 6)));
  });

  it('runs one invocation per workgroup of a [2, 2, 2] grid in linear order', () => {
    const p = program([1, 1, 1], [buf('counter', 'read-write', 'u32'), buf('order', 'output', 'u32')], [
      store('order', LIN, atomic('add', 'counter', u32(0), u32(1))),
    ]);
    const order = new Uint32Array(8);
    run(p, [2, 2, 2], { counter: new Uint32Array(1), order });
    expect([...order]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('runs nothing on an empty grid', () => {
    const p = program([4, 1, 1], [buf('out', 'output', 'u32')], [store('out', u32(0), u32(1))]);
    const out = new Uint32Array(1);
    run(p, [0, 5, 1], { out });
    expect(out[0]).toBe(0);
  });

  it('runs 4 million invocations of an element-wise body', () => {
    const n = 1 << 22;
    const p = program([256, 1, 1], [buf('x', 'read', 'u32'), buf('out', 'output', 'u32')], [
      store('out', LIN, bin('mul-high', load('x', LIN), u32(0x9e3779b9))),
    ]);
    const x = Uint32Array.from({ length: n }, (_, i) => Math.imul(i, 2654435761) >>> 0);
    const out = new Uint32Array(n);
    run(p, [n / 256, 1, 1], { x, out });
    for (const i of [0, 1, 12345, n - 1]) {
      const expected = Number((BigInt(x[i] ?? 0) * 0x9e3779b9n) >> 32n);
      expect(out[i]).toBe(expected);
    }
  });
});

// ---- memory ------------------------------------------------------------------------------

describe('memory', () => {
  it('reads 0 out of bounds, drops out-of-bounds stores, and ignores out-of-bounds atomics', () => {
    const p = program(
      ONE,
      [buf('x', 'read', 'u32'), buf('flags', 'read', 'bool'), buf('out', 'read-write', 'u32')],
      [
        store('out', u32(0), load('x', u32(3))),
        store('out', u32(1), load('x', u32(0xffffffff))),
        store('out', u32(2), cast('u32', load('flags', u32(5)))),
        store('out', u32(3), cast('u32', load('flags', u32(0)))),
        store('out', u32(4), load('x', i32(-1))),
        store('out', u32(5), atomic('add', 'out', u32(100), u32(5))),
        store('out', u32(8), u32(1)),
        store('out', i32(-1), u32(1)),
      ],
    );
    const x = new Uint32Array([10, 20, 30]);
    const out = new Uint32Array(8).fill(99);
    run(p, ONE, { x, flags: new Uint32Array([7, 0, 1]), out });
    expect([...out]).toEqual([0, 0, 0, 1, 0, 0, 99, 99]);
    expect([...x]).toEqual([10, 20, 30]);
  });

  it('loads any non-zero bool word as true and stores bools as 1 or 0', () => {
    const p = program(
      [4, 1, 1],
      [buf('flags', 'read', 'bool'), buf('x', 'read', 'i32'), buf('negated', 'output', 'bool'), buf('positive', 'output', 'bool')],
      [
        store('negated', LIN, { kind: 'unary', op: 'not', value: load('flags', LIN) }),
        store('positive', LIN, bin('gt', load('x', LIN), i32(0))),
      ],
    );
    const [negated, positive] = [new Uint32Array(4).fill(7), new Uint32Array(4).fill(7)];
    run(p, ONE, { flags: new Uint32Array([0, 1, 2, 0xffffffff]), x: new Int32Array([-5, 0, 3, 2147483647]), negated, positive });
    expect([...negated]).toEqual([1, 0, 0, 0]);
    expect([...positive]).toEqual([0, 0, 1, 1]);
  });

  it('gives each workgroup fresh zero-filled workgroup memory', () => {
    const p = program([4, 1, 1], [buf('w', 'workgroup', 'u32', 2), buf('out', 'output', 'u32')], [
      // Invocations run in local-index order, so the old values are 0, 1, 2, 3 in every workgroup.
      store('out', LIN, bin('add', atomic('add', 'w', u32(0), u32(1)), u32(1))),
    ]);
    const out = new Uint32Array(12);
    run(p, [3, 1, 1], { out });
    expect([...out]).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('reports the length of bound and workgroup buffers', () => {
    const p = program(ONE, [buf('x', 'read', 'f32'), buf('w', 'workgroup', 'i32', 17), buf('out', 'output', 'u32')], [
      store('out', u32(0), length('x')),
      store('out', u32(1), length('w')),
    ]);
    const out = new Uint32Array(2);
    run(p, ONE, { x: new Float32Array(5), out });
    expect([...out]).toEqual([5, 17]);
  });
});

// ---- atomics -----------------------------------------------------------------------------

describe('atomics', () => {
  it('counts a histogram', () => {
    const p = program([16, 1, 1], [buf('x', 'read', 'u32'), buf('hist', 'output', 'u32')], [
      if_(bin('lt', LIN, length('x')), [{ kind: 'let', name: 'old', value: atomic('add', 'hist', load('x', LIN), u32(1)) }]),
    ]);
    const x = Uint32Array.from({ length: 100 }, (_, i) => (i * i) % 8);
    const hist = new Uint32Array(8);
    run(p, [7, 1, 1], { x, hist });
    const expected = new Array<number>(8).fill(0);
    for (const value of x) expected[value] = (expected[value] ?? 0) + 1;
    expect([...hist]).toEqual(expected);
  });

  it('returns the old value from every read-modify-write, the value from load', () => {
    const ops: Expr[] = [
      atomic('add', 'a', u32(0), i32(5)), // 10 → 15
      atomic('sub', 'a', u32(0), i32(20)), // 15 → -5
      atomic('min', 'a', u32(0), i32(-7)), // -5 → -7
      atomic('max', 'a', u32(0), i32(3)), // -7 → 3
      atomic('and', 'a', u32(0), i32(6)), // 3 → 2
      atomic('or', 'a', u32(0), i32(8)), // 2 → 10
      atomic('xor', 'a', u32(0), i32(15)), // 10 → 5
      atomic('exchange', 'a', u32(0), i32(-100)), // 5 → -100
      atomic('compare-exchange', 'a', u32(0), i32(7), i32(1)), // -100 ≠ 1: unchanged
      atomic('compare-exchange', 'a', u32(0), i32(7), i32(-100)), // -100 → 7
      atomic('load', 'a', u32(0)),
      atomic('add', 'a', u32(0), i32(2147483647)), // 7 → wraps to -2147483642
    ];
    const p = program(ONE, [buf('a', 'read-write', 'i32'), buf('out', 'output', 'i32')], ops.map((op, k) => store('out', u32(k), op)));
    const a = new Int32Array([10]);
    const out = new Int32Array(ops.length);
    run(p, ONE, { a, out });
    expect([...out]).toEqual([10, 15, -5, -7, 3, 2, 10, 5, -100, -100, 7, 7]);
    expect(a[0]).toBe(-2147483642);
  });

  it('orders u32 atomics unsigned and wraps them', () => {
    const ops: Expr[] = [
      atomic('max', 'b', u32(0), u32(0x80000000)), // 5 → 0x80000000
      atomic('min', 'b', u32(0), u32(7)), // 0x80000000 → 7
      atomic('add', 'b', u32(0), u32(0xffffffff)), // 7 → 6
      atomic('sub', 'b', u32(0), u32(7)), // 6 → 0xffffffff
    ];
    const p = program(ONE, [buf('b', 'read-write', 'u32'), buf('out', 'output', 'u32')], ops.map((op, k) => store('out', u32(k), op)));
    const b = new Uint32Array([5]);
    const out = new Uint32Array(ops.length);
    run(p, ONE, { b, out });
    expect([...out]).toEqual([5, 0x80000000, 7, 6]);
    expect(b[0]).toBe(0xffffffff);
  });
});

// ---- barriers ------------------------------------------------------------------------------

/** A tree reduction of `size` invocations: s[l] += s[l + stride] for stride = size/2 … 1. */
function treeReduction(size: readonly [number, number, number], type: 'u32' | 'i32'): IrProgram {
  const total = size[0] * size[1] * size[2];
  const steps = Math.log2(total);
  return program(size, [buf('x', 'read', type), buf('sums', 'output', type), buf('s', 'workgroup', type, total)], [
    store('s', LI, load('x', LIN)),
    BARRIER,
    loop('k', u32(0), u32(steps), [
      let_('stride', bin('shr', u32(total / 2), v('k'))),
      if_(bin('lt', LI, v('stride')), [
        store('s', LI, bin('add', load('s', LI), load('s', bin('add', LI, v('stride'))))),
      ]),
      BARRIER,
    ]),
    if_(bin('eq', LI, u32(0)), [store('sums', builtin('workgroup-id', 0), load('s', u32(0)))]),
  ]);
}

describe('barriers', () => {
  it('make every write visible before any invocation goes on', () => {
    const p = program([4, 1, 1], [buf('s', 'workgroup', 'u32', 4), buf('out', 'output', 'u32')], [
      store('s', LI, bin('add', LI, u32(1))),
      BARRIER,
      store('out', LIN, load('s', bin('rem', bin('add', LI, u32(1)), u32(4)))),
    ]);
    const out = new Uint32Array(8);
    run(p, [2, 1, 1], { out });
    expect([...out]).toEqual([2, 3, 4, 1, 2, 3, 4, 1]);
  });

  it('run a tree reduction in workgroups of 8', () => {
    const x = Uint32Array.from({ length: 32 }, (_, i) => i * i + 1);
    const sums = new Uint32Array(4);
    run(treeReduction([8, 1, 1], 'u32'), [4, 1, 1], { x, sums });
    const expected = [0, 1, 2, 3].map((g) => x.slice(g * 8, g * 8 + 8).reduce((a, b) => a + b, 0));
    expect([...sums]).toEqual(expected);
  });

  it('run a tree reduction in 8×8 workgroups of 64 on i32', () => {
    const x = Int32Array.from({ length: 128 }, (_, i) => (i % 3 === 0 ? -i : 2 * i));
    const sums = new Int32Array(2);
    run(treeReduction([8, 8, 1], 'i32'), [2, 1, 1], { x, sums });
    expect([...sums]).toEqual([0, 1].map((g) => x.slice(g * 64, g * 64 + 64).reduce((a, b) => a + b, 0)));
  });

  it('let an invocation that returned simply finish, without holding the others', () => {
    const p = program([4, 1, 1], [buf('s', 'workgroup', 'u32', 4), buf('out', 'output', 'u32')], [
      store('s', LI, bin('add', LI, u32(1))),
      BARRIER,
      if_(bin('eq', bin('bit-and', LI, u32(1)), u32(1)), [RETURN]),
      store('out', LI, load('s', bin('rem', bin('add', LI, u32(1)), u32(4)))),
      BARRIER,
      store('out', LI, bin('add', load('out', LI), u32(100))),
    ]);
    const out = new Uint32Array(4);
    run(p, ONE, { out });
    expect([...out]).toEqual([102, 0, 104, 0]);
  });

  it('reject invocations waiting at different barriers', () => {
    const p = program([2, 1, 1], [buf('out', 'output', 'u32')], [if_(bin('eq', LI, u32(0)), [BARRIER], [BARRIER])]);
    expect(codeOf(() => run(p, ONE, { out: new Uint32Array(1) }))).toBe('invalid-program');
  });
});

// ---- control flow and scopes ---------------------------------------------------------------

describe('loops, break and return', () => {
  it('leaves only the innermost loop on break', () => {
    const p = program(ONE, [buf('out', 'output', 'u32')], [
      let_('acc', u32(0)),
      loop('i', u32(0), u32(100), [if_(bin('eq', v('i'), u32(5)), [BREAK]), assign('acc', bin('add', v('acc'), v('i')))]),
      store('out', u32(0), v('acc')), // 0 + 1 + 2 + 3 + 4
      let_('count', u32(0)),
      loop('i', u32(0), u32(4), [
        loop('j', u32(0), u32(4), [if_(bin('eq', v('j'), v('i')), [BREAK]), assign('count', bin('add', v('count'), u32(1)))]),
      ]),
      store('out', u32(1), v('count')), // 0 + 1 + 2 + 3
    ]);
    const out = new Uint32Array(2);
    run(p, ONE, { out });
    expect([...out]).toEqual([10, 6]);
  });

  it('runs half-open over i32, not at all when from ≥ to, and evaluates the bounds once', () => {
    const p = program(ONE, [buf('counter', 'read-write', 'u32'), buf('out', 'output', 'i32')], [
      let_('sum', i32(0)),
      loop('i', i32(-3), i32(2), [assign('sum', bin('add', v('sum'), v('i')))]),
      store('out', u32(0), v('sum')), // -3 - 2 - 1 + 0 + 1
      let_('runs', i32(0)),
      loop('i', i32(5), i32(5), [assign('runs', bin('add', v('runs'), i32(1)))]),
      loop('i', i32(7), i32(-3), [assign('runs', bin('add', v('runs'), i32(1)))]),
      store('out', u32(1), v('runs')),
      let_('n', u32(3)),
      let_('iterations', i32(0)),
      loop('i', u32(0), bin('add', v('n'), atomic('add', 'counter', u32(0), u32(1))), [
        assign('n', bin('add', v('n'), u32(1))),
        assign('iterations', bin('add', v('iterations'), i32(1))),
      ]),
      store('out', u32(2), v('iterations')),
    ]);
    const counter = new Uint32Array(1);
    const out = new Int32Array(3);
    run(p, ONE, { counter, out });
    expect([...out]).toEqual([-5, 0, 3]);
    expect(counter[0]).toBe(1);
  });

  it('gives the loop variable each value in turn', () => {
    const p = program(ONE, [buf('out', 'output', 'u32')], [loop('i', u32(1), u32(4), [store('out', v('i'), bin('mul', v('i'), u32(10)))])]);
    const out = new Uint32Array(5);
    run(p, ONE, { out });
    expect([...out]).toEqual([0, 10, 20, 30, 0]);
  });

  it('ends the invocation from inside a loop, skipping what follows', () => {
    const p = program([4, 1, 1], [buf('out', 'output', 'u32'), buf('steps', 'output', 'u32')], [
      loop('i', u32(0), u32(10), [
        if_(bin('eq', v('i'), LI), [RETURN]),
        store('steps', LI, bin('add', load('steps', LI), u32(1))),
      ]),
      store('out', LI, u32(1)),
    ]);
    const [out, steps] = [new Uint32Array(4), new Uint32Array(4)];
    run(p, ONE, { out, steps });
    expect([...steps]).toEqual([0, 1, 2, 3]);
    expect([...out]).toEqual([0, 0, 0, 0]);
  });
});

describe('locals and scopes', () => {
  it('opens a scope per block but not per region', () => {
    const p = program(ONE, [buf('out', 'output', 'u32')], [
      let_('a', u32(1)),
      {
        kind: 'block',
        body: [
          let_('b', u32(2)),
          assign('a', bin('add', v('a'), v('b'))),
          { kind: 'block', body: [let_('c', u32(3)), assign('a', bin('add', v('a'), v('c')))] },
        ],
      },
      { kind: 'block', body: [let_('b', u32(10)), assign('a', bin('add', v('a'), v('b')))] },
      { kind: 'region', name: 'setup', body: [let_('d', u32(100))] },
      assign('a', bin('add', v('a'), v('d'))),
      store('out', u32(0), v('a')),
    ]);
    const out = new Uint32Array(1);
    run(p, ONE, { out });
    expect(out[0]).toBe(116);
  });

  it('gives every invocation its own locals, and re-initializes a let on every iteration', () => {
    const p = program([4, 1, 1], [buf('out', 'output', 'u32')], [
      let_('mine', bin('mul', LI, u32(2))),
      let_('acc', u32(0)),
      loop('i', u32(0), u32(3), [let_('t', u32(0)), assign('t', bin('add', v('t'), u32(1))), assign('acc', bin('add', v('acc'), v('t')))]),
      store('out', LI, bin('add', v('mine'), v('acc'))),
    ]);
    const out = new Uint32Array(4);
    run(p, ONE, { out });
    expect([...out]).toEqual([3, 5, 7, 9]);
  });

  it.each<[string, Stmt[]]>([
    ['a local used after its block', [{ kind: 'block', body: [let_('b', u32(1))] }, store('out', u32(0), v('b'))]],
    ['a local used after its if branch', [if_({ kind: 'literal', type: 'bool', value: true }, [let_('b', u32(1))]), store('out', u32(0), v('b'))]],
    ['a shadowing let', [let_('a', u32(1)), { kind: 'block', body: [let_('a', u32(2))] }]],
    ['an assignment to a loop variable', [loop('i', u32(0), u32(2), [assign('i', u32(0))])]],
    ['an assignment of another type', [let_('a', u32(1)), assign('a', i32(1))]],
    ['a break outside a loop', [BREAK]],
    ['a store into a read buffer', [store('x', u32(0), u32(1))]],
    ['a store of the wrong type', [store('out', u32(0), f32(1))]],
    ['an undeclared buffer', [store('nope', u32(0), u32(1))]],
    ['mixed operand types', [store('out', u32(0), bin('add', u32(1), i32(1)))]],
    ['an atomic on a read buffer', [let_('old', atomic('add', 'x', u32(0), u32(1)))]],
  ])('rejects %s as invalid-program', (_name, body) => {
    const p = program(ONE, [buf('x', 'read', 'u32'), buf('out', 'output', 'u32')], body);
    expect(codeOf(() => run(p, ONE, { x: new Uint32Array(1), out: new Uint32Array(1) }))).toBe('invalid-program');
  });
});

// ---- evaluation order ----------------------------------------------------------------------

describe('evaluation order', () => {
  /** Each step swaps in its own marker and yields the previous one, recording the order. */
  const mark = (k: number): Expr => atomic('exchange', 'seq', u32(0), u32(k));

  it('evaluates select as ifFalse, ifTrue, then cond — both arms always', () => {
    const p = program(ONE, [buf('seq', 'read-write', 'u32'), buf('out', 'output', 'u32')], [
      store('out', u32(0), { kind: 'select', ifFalse: mark(1), ifTrue: mark(2), cond: bin('eq', mark(3), u32(2)) }),
    ]);
    const [seq, out] = [new Uint32Array(1), new Uint32Array(1)];
    run(p, ONE, { seq, out });
    // ifFalse read 0, ifTrue read 1 (ifFalse's mark), cond read 2 (ifTrue's mark) → true → 1.
    expect(out[0]).toBe(1);
    expect(seq[0]).toBe(3);
  });

  it('evaluates binary operands left to right, and both sides of and/or', () => {
    const p = program(ONE, [buf('seq', 'read-write', 'u32'), buf('out', 'output', 'u32')], [
      store('out', u32(0), bin('sub', mark(1), mark(2))), // 10 − 1
      store('out', u32(1), cast('u32', bin('and', bin('eq', mark(3), u32(0)), bin('eq', mark(4), u32(3))))),
    ]);
    const [seq, out] = [new Uint32Array([10]), new Uint32Array(2)];
    run(p, ONE, { seq, out });
    expect([...out]).toEqual([9, 0]);
    expect(seq[0]).toBe(4); // the right side of `and` ran although the left was false
  });

  it('evaluates a store index before its value', () => {
    const p = program(ONE, [buf('seq', 'read-write', 'u32'), buf('out', 'output', 'u32')], [store('out', mark(5), mark(6))]);
    const [seq, out] = [new Uint32Array([2]), new Uint32Array(8)];
    run(p, ONE, { seq, out });
    expect([...out]).toEqual([0, 0, 5, 0, 0, 0, 0, 0]);
  });

  it('evaluates an atomic as index, expected, then value', () => {
    const p = program(ONE, [buf('seq', 'read-write', 'u32'), buf('cell', 'read-write', 'u32'), buf('out', 'output', 'u32')], [
      store('out', u32(0), atomic('compare-exchange', 'cell', mark(1), mark(3), mark(2))),
    ]);
    const [seq, cell, out] = [new Uint32Array(1), new Uint32Array([1, 0]), new Uint32Array(1)];
    run(p, ONE, { seq, cell, out });
    // index = 0, expected = 1 (index's mark), value = 2 (expected's mark): cell[0] 1 → 2.
    expect([...cell]).toEqual([2, 0]);
    expect(out[0]).toBe(1);
  });

  it('evaluates loop bounds as from, then to', () => {
    const p = program(ONE, [buf('seq', 'read-write', 'u32'), buf('out', 'output', 'u32')], [
      loop('i', mark(1), bin('add', mark(2), u32(3)), [store('out', v('i'), u32(1))]),
    ]);
    const [seq, out] = [new Uint32Array([2]), new Uint32Array(6)];
    run(p, ONE, { seq, out });
    // from = 2 (the initial value), to = 1 (from's mark) + 3 = 4.
    expect([...out]).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('evaluates fma as a, b, then c', () => {
    const p = program(ONE, [buf('seq', 'read-write', 'u32'), buf('out', 'output', 'f32')], [
      store('out', u32(0), { kind: 'fma', a: cast('f32', mark(1)), b: cast('f32', mark(2)), c: cast('f32', mark(3)) }),
    ]);
    const [seq, out] = [new Uint32Array([5]), new Float32Array(1)];
    run(p, ONE, { seq, out });
    expect(out[0]).toBe(5 * 1 + 2);
  });
});

// ---- parameters and inputs -----------------------------------------------------------------

describe('parameters and inputs', () => {
  const p = program(
    ONE,
    [buf('ou', 'output', 'u32'), buf('oi', 'output', 'i32'), buf('of', 'output', 'f32')],
    [store('ou', u32(0), param('n')), store('oi', u32(0), param('k')), store('of', u32(0), param('alpha'))],
    [
      { name: 'n', type: 'u32' },
      { name: 'k', type: 'i32' },
      { name: 'alpha', type: 'f32' },
    ],
  );
  const outputs = (): InterpretRun['buffers'] => ({ ou: new Uint32Array(1), oi: new Int32Array(1), of: new Float32Array(1) });

  it('coerces parameters as a store into their typed array would', () => {
    const buffers = outputs();
    run(p, ONE, buffers, { n: -1, k: 2147483648, alpha: 0.1 });
    expect(buffers['ou']?.[0]).toBe(4294967295);
    expect(buffers['oi']?.[0]).toBe(-2147483648);
    expect(buffers['of']?.[0]).toBe(new Float32Array([0.1])[0]);
  });

  it.each<[string, () => void]>([
    ['a missing parameter', () => run(p, ONE, outputs(), { n: 1, k: 1 })],
    ['an unknown parameter', () => run(p, ONE, outputs(), { n: 1, k: 1, alpha: 1, beta: 2 })],
    ['a missing buffer', () => run(p, ONE, { ou: new Uint32Array(1), oi: new Int32Array(1) }, { n: 1, k: 1, alpha: 1 })],
    ['a buffer of the wrong array type', () => run(p, ONE, { ...outputs(), oi: new Uint32Array(1) }, { n: 1, k: 1, alpha: 1 })],
    ['an unknown buffer', () => run(p, ONE, { ...outputs(), extra: new Uint32Array(1) }, { n: 1, k: 1, alpha: 1 })],
    ['a fractional grid', () => run(p, [1.5, 1, 1], outputs(), { n: 1, k: 1, alpha: 1 })],
    ['a negative grid', () => run(p, [1, -1, 1], outputs(), { n: 1, k: 1, alpha: 1 })],
  ])('rejects %s as invalid-input', (_name, action) => {
    expect(codeOf(action)).toBe('invalid-input');
  });

  it('rejects a bool buffer given as anything but a Uint32Array', () => {
    const q = program(ONE, [buf('flags', 'output', 'bool')], [store('flags', u32(0), { kind: 'literal', type: 'bool', value: true })]);
    expect(codeOf(() => run(q, ONE, { flags: new Int32Array(1) }))).toBe('invalid-input');
    const flags = new Uint32Array(1);
    run(q, ONE, { flags });
    expect(flags[0]).toBe(1);
  });
});

describe('operators inside programs', () => {
  it('types abs-diff of i32 as u32, comparisons as bool, and casts as their target', () => {
    const p = program(ONE, [buf('out', 'output', 'u32'), buf('flags', 'output', 'bool'), buf('f', 'output', 'f32')], [
      store('out', u32(0), bin('abs-diff', i32(-2147483648), i32(2147483647))),
      store('out', u32(1), bin('shl', cast('u32', i32(-1)), u32(33))),
      store('flags', u32(0), bin('lt', i32(-1), i32(0))),
      store('f', u32(0), cast('f32', u32(16777217))),
      store('out', u32(2), cast('u32', f32(-5))),
    ]);
    const [out, flags, f] = [new Uint32Array(3), new Uint32Array(1), new Float32Array(1)];
    run(p, ONE, { out, flags, f });
    expect([...out]).toEqual([4294967295, 4294967294, 0]);
    expect(flags[0]).toBe(1);
    expect(f[0]).toBe(16777216);
  });
});
