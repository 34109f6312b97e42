/**
 * Validation of vector programs (docs/semantics.md, "Vectors"): what the IR accepts —
 * vector buffers, locals, building, taking apart, component-wise operators, dot, casts of
 * one width, fma and select of vectors — and what it refuses, each with its rule and path.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import type { Expr, IrBuffer, IrProgram, Stmt } from '../../src/protocol/ir.ts';
import { DEFAULT_VALIDATION_LIMITS, findProgramIssues, validateProgram } from '../../src/program/validate.ts';

const f32 = (value: number): Expr => ({ kind: 'literal', type: 'f32', value });
const u32 = (value: number): Expr => ({ kind: 'literal', type: 'u32', value });
const i32 = (value: number): Expr => ({ kind: 'literal', type: 'i32', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const load = (buffer: string, index: Expr): Expr => ({ kind: 'load', buffer, index });
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const un = (op: Extract<Expr, { kind: 'unary' }>['op'], value: Expr): Expr => ({ kind: 'unary', op, value });
const splat = (type: Extract<Expr, { kind: 'splat' }>['type'], value: Expr): Expr => ({ kind: 'splat', type, value });
const vector = (type: Extract<Expr, { kind: 'vector' }>['type'], ...components: Expr[]): Expr => ({ kind: 'vector', type, components });
const component = (value: Expr, index: number): Expr => ({ kind: 'component', value, index });
const dot = (left: Expr, right: Expr): Expr => ({ kind: 'dot', left, right });
const let_ = (name: string, value: Expr): Stmt => ({ kind: 'let', name, value });
const store = (buffer: string, index: Expr, value: Expr): Stmt => ({ kind: 'store', buffer, index, value });

const BUFFERS: IrBuffer[] = [
  { name: 'a', binding: 0, access: 'read', type: 'vec4<f32>' },
  { name: 'n', binding: 1, access: 'read', type: 'vec2<i32>' },
  { name: 'y', binding: 2, access: 'output', type: 'vec4<f32>' },
  { name: 's', binding: 3, access: 'output', type: 'f32' },
  { name: 'h', binding: 4, access: 'read-write', type: 'vec4<u32>' },
  { name: 'tile', binding: -1, access: 'workgroup', type: 'vec4<f32>', count: 64 },
];

function kernel(body: unknown[], buffers: unknown[] = BUFFERS): Record<string, unknown> {
  return { kind: 'ir', workgroupSize: [64, 1, 1], buffers, params: [], body };
}

function rejection(value: unknown): { rule: unknown; path: unknown; message: string } {
  try {
    validateProgram(value);
  } catch (error) {
    if (error instanceof VyreError) return { rule: error.details['rule'], path: error.details['path'], message: error.message };
    throw error;
  }
  throw new Error('the program was accepted');
}

/** y[i] = a[i]·2 + splat(dot(a[i], a[i])); s[i] = a[i].w; the tile holds a[i]. */
const VECTOR_PROGRAM: IrProgram = {
  kind: 'ir',
  workgroupSize: [64, 1, 1],
  buffers: BUFFERS,
  params: [],
  body: [
    let_('i', { kind: 'builtin', name: 'linear-index', axis: 0 }),
    let_('x', load('a', v('i'))),
    store('tile', { kind: 'builtin', name: 'local-index', axis: 0 }, v('x')),
    let_('d', dot(v('x'), v('x'))),
    store('y', v('i'), bin('add', bin('mul', v('x'), splat('vec4<f32>', f32(2))), splat('vec4<f32>', v('d')))),
    store('s', v('i'), component(v('x'), 3)),
    let_('k', bin('shl', load('n', v('i')), vector('vec2<u32>', u32(1), u32(33)))),
    let_('diff', bin('abs-diff', v('k'), splat('vec2<i32>', i32(-1)))),
    store('h', v('i'), vector('vec4<u32>', component(v('diff'), 0), component(v('diff'), 1), u32(0), u32(7))),
    let_('f', { kind: 'cast', type: 'vec2<f32>', value: v('k') }),
    let_('g', { kind: 'fma', a: v('f'), b: v('f'), c: splat('vec2<f32>', f32(1)) }),
    let_('pick', { kind: 'select', cond: bin('lt', component(v('g'), 0), f32(0)), ifTrue: v('x'), ifFalse: splat('vec4<f32>', f32(0)) }),
    let_('root', un('sqrt', v('pick'))),
    let_('neg', un('neg', v('k'))),
  ],
};

describe('validateProgram accepts vector programs', () => {
  it('returns a vector program unchanged: buffers, locals, building, components, dot, shifts, abs-diff, casts, fma, select, math', () => {
    expect(findProgramIssues(VECTOR_PROGRAM)).toEqual([]);
    expect(validateProgram(VECTOR_PROGRAM)).toEqual(VECTOR_PROGRAM);
  });

  it('counts a vec4 workgroup buffer as 16 bytes per element against the workgroup memory limit', () => {
    const limit = DEFAULT_VALIDATION_LIMITS.maxComputeWorkgroupStorageSize;
    const fits = [...BUFFERS.slice(0, 5), { name: 'tile', binding: -1, access: 'workgroup', type: 'vec4<f32>', count: limit / 16 }];
    const over = [...BUFFERS.slice(0, 5), { name: 'tile', binding: -1, access: 'workgroup', type: 'vec4<f32>', count: limit / 16 + 1 }];
    expect(findProgramIssues(kernel([], fits))).toEqual([]);
    expect(rejection(kernel([], over)).rule).toBe('bad-workgroup-count');
  });
});

describe('validateProgram refuses what vectors do not have', () => {
  const a = load('a', u32(0));
  const cases: readonly { name: string; body: unknown[]; buffers?: unknown[]; rule: string; path: string; says?: RegExp }[] = [
    { name: 'a vector comparison', body: [let_('c', bin('lt', a, a))], rule: 'type-mismatch', path: 'body[0].value.left', says: /compare components/ },
    { name: 'vector equality', body: [let_('c', bin('eq', a, a))], rule: 'type-mismatch', path: 'body[0].value.left' },
    { name: 'a scalar added to a vector', body: [let_('c', bin('add', a, f32(1)))], rule: 'type-mismatch', path: 'body[0].value.right' },
    { name: 'vectors of two widths added', body: [let_('c', bin('add', a, splat('vec2<f32>', f32(1))))], rule: 'type-mismatch', path: 'body[0].value.right' },
    { name: 'a shift by a scalar amount', body: [let_('c', bin('shl', load('h', u32(0)), u32(1)))], rule: 'type-mismatch', path: 'body[0].value.right' },
    { name: 'an integer operator on f32 vectors', body: [let_('c', bin('bit-and', a, a))], rule: 'type-mismatch', path: 'body[0].value.left' },
    { name: 'sqrt of an integer vector', body: [let_('c', un('sqrt', load('h', u32(0))))], rule: 'type-mismatch', path: 'body[0].value.value' },
    { name: 'a vec4 built from three components', body: [let_('c', vector('vec4<f32>', f32(1), f32(2), f32(3)))], rule: 'type-mismatch', path: 'body[0].value.components' },
    { name: 'a vec2<f32> built from a u32', body: [let_('c', vector('vec2<f32>', f32(1), u32(2)))], rule: 'type-mismatch', path: 'body[0].value.components[1]' },
    { name: 'a splat of a vector', body: [let_('c', splat('vec4<f32>', a))], rule: 'type-mismatch', path: 'body[0].value.value' },
    { name: 'component 4 of a vec4', body: [let_('c', component(a, 4))], rule: 'bad-component', path: 'body[0].value.index' },
    { name: 'a component of a scalar', body: [let_('c', component(f32(1), 0))], rule: 'type-mismatch', path: 'body[0].value.value' },
    { name: 'a fractional component index', body: [let_('c', component(a, 0.5))], rule: 'bad-component', path: 'body[0].value.index' },
    { name: 'dot of a scalar', body: [let_('c', dot(f32(1), f32(1)))], rule: 'type-mismatch', path: 'body[0].value.left' },
    { name: 'dot of two vector types', body: [let_('c', dot(a, load('h', u32(0))))], rule: 'type-mismatch', path: 'body[0].value.right' },
    { name: 'a cast from a scalar to a vector', body: [let_('c', { kind: 'cast', type: 'vec4<f32>', value: f32(1) })], rule: 'type-mismatch', path: 'body[0].value.value', says: /splat/ },
    { name: 'a cast between widths', body: [let_('c', { kind: 'cast', type: 'vec2<u32>', value: a })], rule: 'type-mismatch', path: 'body[0].value.value' },
    { name: 'fma of f32 and a vector', body: [let_('c', { kind: 'fma', a, b: f32(1), c: a })], rule: 'type-mismatch', path: 'body[0].value.b' },
    { name: 'a vec3', body: [let_('c', splat('vec3<f32>' as 'vec4<f32>', f32(1)))], rule: 'malformed', path: 'body[0].value.type' },
    { name: 'a bool vector buffer', body: [], buffers: [{ name: 'y', binding: 0, access: 'output', type: 'vec4<bool>' }], rule: 'malformed', path: 'buffers[0].type' },
    { name: 'an atomic on a vector buffer', body: [let_('c', { kind: 'atomic', op: 'add', buffer: 'h', index: u32(0), value: splat('vec4<u32>', u32(1)) })], rule: 'atomic-wrong-type', path: 'body[0].value.buffer' },
    { name: 'a store of a vec2 into a vec4 buffer', body: [store('y', u32(0), splat('vec2<f32>', f32(1)))], rule: 'type-mismatch', path: 'body[0].value' },
    { name: 'a vector literal', body: [let_('c', { kind: 'literal', type: 'vec4<f32>', value: 1 } as unknown as Expr)], rule: 'malformed', path: 'body[0].value.type' },
  ];
  for (const { name, body, buffers, rule, path, says } of cases) {
    it(`refuses ${name} (${rule} at ${path})`, () => {
      const found = rejection(kernel(body, buffers));
      expect({ rule: found.rule, path: found.path }).toEqual({ rule, path });
      expect(found.message).toMatch(/ Fix: .+/);
      if (says !== undefined) expect(found.message).toMatch(says);
    });
  }
});
