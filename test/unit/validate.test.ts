/**
 * Program validation: every Program passes one gate before it is hashed, lowered or
 * interpreted. Valid programs come back unchanged; every rule of src/program/ir.ts and
 * docs/semantics.md is named by a stable code and a path to the offending node; and no
 * value an untyped caller can send makes validation throw anything but that one error.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { IR_LIMITS, type Expr, type IrBuffer, type IrProgram, type ScalarType, type Stmt } from '../../src/protocol/ir.ts';
import {
  DEFAULT_VALIDATION_LIMITS,
  MAX_ERROR_ISSUES,
  VALIDATION_RULES,
  binaryResultType,
  findProgramIssues,
  unaryResultType,
  validateProgram,
  type ValidationLimits,
  type ValidationRule,
} from '../../src/program/validate.ts';

// ── Builders (plain data, so invalid programs are as easy to write as valid ones) ──

const lit = (type: ScalarType, value: number | boolean): Expr => ({ kind: 'literal', type, value });
const u32 = (value: number): Expr => lit('u32', value);
const i32 = (value: number): Expr => lit('i32', value);
const f32 = (value: number): Expr => lit('f32', value);
const bool = (value: boolean): Expr => lit('bool', value);
const v = (name: string): Expr => ({ kind: 'var', name });
const param = (name: string): Expr => ({ kind: 'param', name });
const load = (buffer: string, index: Expr): Expr => ({ kind: 'load', buffer, index });
const length = (buffer: string): Expr => ({ kind: 'length', buffer });
const builtin = (name: Extract<Expr, { kind: 'builtin' }>['name'], axis: 0 | 1 | 2 = 0): Expr => ({ kind: 'builtin', name, axis });
const un = (op: Extract<Expr, { kind: 'unary' }>['op'], value: Expr): Expr => ({ kind: 'unary', op, value });
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const select = (cond: Expr, ifTrue: Expr, ifFalse: Expr): Expr => ({ kind: 'select', cond, ifTrue, ifFalse });
const cast = (type: ScalarType, value: Expr): Expr => ({ kind: 'cast', type, value });
const atomic = (op: Extract<Expr, { kind: 'atomic' }>['op'], buffer: string, index: Expr, value?: Expr, expected?: Expr): Expr => ({
  kind: 'atomic',
  op,
  buffer,
  index,
  ...(value ? { value } : {}),
  ...(expected ? { expected } : {}),
});

const let_ = (name: string, value: Expr): Stmt => ({ kind: 'let', name, value });
const assign = (name: string, value: Expr): Stmt => ({ kind: 'assign', name, value });
const store = (buffer: string, index: Expr, value: Expr): Stmt => ({ kind: 'store', buffer, index, value });
const if_ = (cond: Expr, then: Stmt[], otherwise: Stmt[] = []): Stmt => ({ kind: 'if', cond, then, otherwise });
const loop = (name: string, from: Expr, to: Expr, body: Stmt[]): Stmt => ({ kind: 'loop', var: name, from, to, body });
const block = (body: Stmt[]): Stmt => ({ kind: 'block', body });
const region = (name: string, body: Stmt[]): Stmt => ({ kind: 'region', name, body });
const BREAK: Stmt = { kind: 'break' };
const RETURN: Stmt = { kind: 'return' };
const BARRIER: Stmt = { kind: 'barrier' };

// ── Valid programs ──

/** y[i] = 2·x[i]. */
const MAP: IrProgram = {
  kind: 'ir',
  name: 'double',
  workgroupSize: [64, 1, 1],
  buffers: [
    { name: 'x', binding: 0, access: 'read', type: 'f32' },
    { name: 'y', binding: 1, access: 'output', type: 'f32', sizing: { kind: 'same-as', buffer: 'x' } },
  ],
  params: [],
  body: [
    let_('i', builtin('linear-index')),
    if_(bin('lt', v('i'), length('x')), [store('y', v('i'), bin('mul', load('x', v('i')), f32(2)))]),
  ],
};

/** One partial sum per workgroup: a tree reduction in workgroup memory, with barriers in a uniform loop. */
const REDUCTION: IrProgram = {
  kind: 'ir',
  workgroupSize: [64, 1, 1],
  buffers: [
    { name: 'x', binding: 0, access: 'read', type: 'f32' },
    { name: 'sums', binding: 1, access: 'output', type: 'f32', sizing: { kind: 'dispatch' } },
    { name: 'scratch', binding: -1, access: 'workgroup', type: 'f32', count: 64 },
  ],
  params: [],
  body: [
    let_('lid', builtin('local-index')),
    let_('gid', builtin('linear-index')),
    store('scratch', v('lid'), select(bin('lt', v('gid'), length('x')), load('x', v('gid')), f32(0))),
    BARRIER,
    loop('s', u32(0), u32(6), [
      let_('stride', bin('shr', u32(32), v('s'))),
      if_(bin('lt', v('lid'), v('stride')), [
        store('scratch', v('lid'), bin('add', load('scratch', v('lid')), load('scratch', bin('add', v('lid'), v('stride'))))),
      ]),
      // Uniform: s is the variable of a loop with literal bounds.
      if_(bin('eq', bin('bit-and', v('s'), u32(1)), u32(0)), [BARRIER], [BARRIER]),
    ]),
    if_(bin('eq', v('lid'), u32(0)), [store('sums', builtin('workgroup-id'), load('scratch', u32(0)))]),
  ],
};

/** A 256-bin histogram: atomics in workgroup memory, then one atomic add per bin into the output. */
const HISTOGRAM: IrProgram = {
  kind: 'ir',
  name: 'histogram',
  workgroupSize: [256, 1, 1],
  buffers: [
    { name: 'data', binding: 0, access: 'read', type: 'u32' },
    { name: 'bins', binding: 1, access: 'output', type: 'u32', sizing: { kind: 'static', count: 256 } },
    { name: 'local', binding: -1, access: 'workgroup', type: 'u32', count: 256 },
  ],
  params: [],
  body: [
    let_('lid', builtin('local-index')),
    let_('i', builtin('linear-index')),
    if_(bin('lt', v('i'), length('data')), [let_('old', atomic('add', 'local', bin('bit-and', load('data', v('i')), u32(255)), u32(1)))]),
    BARRIER,
    let_('count', atomic('load', 'local', v('lid'))),
    if_(bin('ne', v('count'), u32(0)), [let_('previous', atomic('add', 'bins', v('lid'), v('count')))]),
  ],
};

/** Loops with break, params (one named like a local), an i32 loop, a region and a block. */
const LOOPS: IrProgram = {
  kind: 'ir',
  workgroupSize: [8, 8, 1],
  buffers: [
    { name: 'x', binding: 0, access: 'read', type: 'i32' },
    { name: 'out', binding: 1, access: 'read-write', type: 'i32' },
    { name: 'flags', binding: 2, access: 'output', type: 'bool' },
  ],
  params: [
    { name: 'limit', type: 'i32' },
    { name: 'rounds', type: 'u32' },
    { name: 'i', type: 'f32' },
  ],
  body: [
    let_('i', builtin('global-id', 1)),
    let_('acc', i32(0)),
    loop('r', u32(0), param('rounds'), [
      if_(bin('gt', v('acc'), param('limit')), [BREAK]),
      assign('acc', bin('add', v('acc'), load('x', bin('add', v('i'), v('r'))))),
    ]),
    loop('k', i32(-4), i32(4), [
      // A break every invocation takes together keeps the barrier after it uniform.
      if_(bin('eq', v('k'), i32(0)), [BREAK]),
      BARRIER,
    ]),
    block([let_('scaled', bin('mul', cast('f32', v('acc')), param('i')))]),
    block([let_('scaled', f32(-0.5))]),
    region('finish', [
      store('out', v('i'), v('acc')),
      store('flags', v('i'), bin('and', bin('ge', v('acc'), i32(0)), bool(true))),
    ]),
  ],
};

/** An atomic max through a compare-exchange retry loop. */
const COMPARE_EXCHANGE: IrProgram = {
  kind: 'ir',
  workgroupSize: [64, 1, 1],
  buffers: [
    { name: 'x', binding: 0, access: 'read', type: 'f32' },
    { name: 'best', binding: 1, access: 'read-write', type: 'u32' },
  ],
  params: [],
  body: [
    let_('value', cast('u32', load('x', builtin('linear-index')))),
    loop('attempt', u32(0), u32(16), [
      let_('seen', atomic('load', 'best', u32(0))),
      if_(bin('ge', v('seen'), v('value')), [BREAK]),
      let_('old', atomic('compare-exchange', 'best', u32(0), v('value'), v('seen'))),
      if_(bin('eq', v('old'), v('seen')), [BREAK]),
    ]),
  ],
};

const VALID: Record<string, IrProgram> = { MAP, REDUCTION, HISTOGRAM, LOOPS, COMPARE_EXCHANGE };

// ── A kernel with one of each kind of buffer, for the rule cases ──

const BUFFERS: IrBuffer[] = [
  { name: 'x', binding: 0, access: 'read', type: 'f32' },
  { name: 'y', binding: 1, access: 'output', type: 'f32' },
  { name: 'n', binding: 2, access: 'read-write', type: 'u32' },
  { name: 'ro', binding: 3, access: 'uniform', type: 'i32' },
  { name: 'counts', binding: 4, access: 'output', type: 'i32' },
  { name: 'flags', binding: 5, access: 'output', type: 'bool' },
  { name: 'wg', binding: -1, access: 'workgroup', type: 'u32', count: 64 },
];

function kernel(body: unknown[], patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'ir',
    workgroupSize: [64, 1, 1],
    buffers: BUFFERS,
    params: [
      { name: 'scale', type: 'f32' },
      { name: 'limit', type: 'u32' },
    ],
    body,
    ...patch,
  };
}

function withBuffers(...extra: unknown[]): Record<string, unknown> {
  return kernel([], { buffers: [...BUFFERS, ...extra] });
}

function rejection(value: unknown, limits?: ValidationLimits): VyreError {
  try {
    validateProgram(value, limits);
  } catch (error) {
    if (error instanceof VyreError) return error;
    throw error;
  }
  throw new Error('the program was accepted');
}

interface RuleCase {
  readonly name: string;
  readonly program: unknown;
  readonly rule: ValidationRule;
  readonly path: string;
  readonly limits?: ValidationLimits;
}

const CASES: readonly RuleCase[] = [
  // malformed
  { name: 'a program that is not an object', program: 'ir', rule: 'malformed', path: '' },
  {
    name: 'component 2 of a vec2',
    program: kernel([let_('a', { kind: 'component', value: { kind: 'splat', type: 'vec2<f32>', value: f32(1) }, index: 2 })]),
    rule: 'bad-component',
    path: 'body[0].value.index',
  },
  { name: 'a program that is a list', program: [kernel([])], rule: 'malformed', path: '' },
  { name: 'a WGSL program', program: kernel([], { kind: 'wgsl' }), rule: 'malformed', path: 'kind' },
  { name: 'a missing body', program: kernel([], { body: undefined }), rule: 'malformed', path: 'body' },
  { name: 'a typed array for the body', program: kernel([], { body: new Uint32Array(2) }), rule: 'malformed', path: 'body' },
  { name: 'an unknown statement kind', program: kernel([{ kind: 'while' }]), rule: 'malformed', path: 'body[0].kind' },
  { name: 'null as a statement', program: kernel([BARRIER, null]), rule: 'malformed', path: 'body[1]' },
  { name: 'a body that contains itself', program: (() => { const body: unknown[] = [BARRIER]; body.push(body); return kernel(body); })(), rule: 'malformed', path: 'body[1]' },
  { name: 'an unknown expression kind', program: kernel([let_('a', { kind: 'call' } as unknown as Expr)]), rule: 'malformed', path: 'body[0].value.kind' },
  { name: 'a function as an expression', program: kernel([let_('a', (() => 1) as unknown as Expr)]), rule: 'malformed', path: 'body[0].value' },
  { name: 'an unknown binary operator', program: kernel([let_('a', bin('xor' as 'add', u32(1), u32(2)))]), rule: 'malformed', path: 'body[0].value.op' },
  { name: 'an unknown unary operator', program: kernel([let_('a', un('negate' as 'neg', i32(1)))]), rule: 'malformed', path: 'body[0].value.op' },
  { name: 'an unknown atomic operation', program: kernel([let_('a', atomic('inc' as 'add', 'n', u32(0), u32(1)))]), rule: 'malformed', path: 'body[0].value.op' },
  { name: 'an unknown cast target', program: kernel([let_('a', cast('f64' as 'f32', u32(1)))]), rule: 'malformed', path: 'body[0].value.type' },
  { name: 'a string literal value', program: kernel([let_('a', { kind: 'literal', type: 'u32', value: '1' } as unknown as Expr)]), rule: 'malformed', path: 'body[0].value.value' },
  { name: 'a bigint binding', program: withBuffers({ name: 'b', binding: 7n, access: 'output', type: 'u32' }), rule: 'malformed', path: 'buffers[7].binding' },
  { name: 'a Symbol as a buffer name', program: withBuffers({ name: Symbol('b'), binding: 7, access: 'output', type: 'u32' }), rule: 'malformed', path: 'buffers[7].name' },
  { name: 'an unknown access mode', program: withBuffers({ name: 'b', binding: 7, access: 'write', type: 'u32' }), rule: 'malformed', path: 'buffers[7].access' },
  { name: 'an unknown element type', program: withBuffers({ name: 'b', binding: 7, access: 'output', type: 'f16' }), rule: 'malformed', path: 'buffers[7].type' },
  { name: 'a bool param', program: kernel([], { params: [{ name: 'p', type: 'bool' }] }), rule: 'malformed', path: 'params[0].type' },
  { name: 'a two-axis workgroup size', program: kernel([], { workgroupSize: [64, 1] }), rule: 'malformed', path: 'workgroupSize' },
  { name: 'a string workgroup axis', program: kernel([], { workgroupSize: [64, '1', 1] }), rule: 'malformed', path: 'workgroupSize[1]' },
  {
    name: 'a getter where a field belongs',
    program: kernel([Object.defineProperty({}, 'kind', { get: () => 'barrier', enumerable: true })]),
    rule: 'malformed',
    path: 'body[0].kind',
  },
  { name: 'an if without otherwise', program: kernel([{ kind: 'if', cond: bool(true), then: [] }]), rule: 'malformed', path: 'body[0].otherwise' },
  { name: 'a builtin without an axis', program: kernel([let_('a', { kind: 'builtin', name: 'global-id' } as unknown as Expr)]), rule: 'malformed', path: 'body[0].value.axis' },

  // names
  { name: 'a duplicate buffer name', program: withBuffers({ name: 'x', binding: 7, access: 'output', type: 'u32' }), rule: 'duplicate-buffer', path: 'buffers[7].name' },
  { name: 'a duplicate param name', program: kernel([], { params: [{ name: 'p', type: 'u32' }, { name: 'p', type: 'f32' }] }), rule: 'duplicate-param', path: 'params[1].name' },
  { name: 'a buffer name starting with a digit', program: withBuffers({ name: '1b', binding: 7, access: 'output', type: 'u32' }), rule: 'bad-name', path: 'buffers[7].name' },
  { name: 'a param name with a dash', program: kernel([], { params: [{ name: 'a-b', type: 'u32' }] }), rule: 'bad-name', path: 'params[0].name' },
  { name: 'an empty let name', program: kernel([let_('', u32(0))]), rule: 'bad-name', path: 'body[0].name' },
  { name: 'a loop variable name over 64 characters', program: kernel([loop('i'.repeat(65), u32(0), u32(1), [])]), rule: 'bad-name', path: 'body[0].var' },
  { name: 'a region name with a space', program: kernel([region('my region', [])]), rule: 'bad-name', path: 'body[0].name' },
  { name: 'a program name over 256 characters', program: kernel([], { name: 'p'.repeat(257) }), rule: 'bad-name', path: 'name' },

  // bindings and buffers
  { name: 'a duplicate binding', program: withBuffers({ name: 'b', binding: 3, access: 'output', type: 'u32' }), rule: 'duplicate-binding', path: 'buffers[7].binding' },
  { name: 'binding 1000', program: withBuffers({ name: 'b', binding: 1000, access: 'output', type: 'u32' }), rule: 'bad-binding', path: 'buffers[7].binding' },
  { name: 'a negative binding', program: withBuffers({ name: 'b', binding: -1, access: 'output', type: 'u32' }), rule: 'bad-binding', path: 'buffers[7].binding' },
  { name: 'a fractional binding', program: withBuffers({ name: 'b', binding: 7.5, access: 'output', type: 'u32' }), rule: 'bad-binding', path: 'buffers[7].binding' },
  { name: 'a workgroup buffer with a binding', program: withBuffers({ name: 'b', binding: 7, access: 'workgroup', type: 'u32', count: 4 }), rule: 'bad-binding', path: 'buffers[7].binding' },
  {
    name: 'binding 999 with params (the params uniform binds after it)',
    program: kernel([], { buffers: [{ name: 'y', binding: 999, access: 'output', type: 'f32' }] }),
    rule: 'bad-binding',
    path: 'buffers[0].binding',
  },
  { name: 'a workgroup buffer without a count', program: withBuffers({ name: 'b', binding: -1, access: 'workgroup', type: 'u32' }), rule: 'bad-workgroup-count', path: 'buffers[7].count' },
  { name: 'a workgroup count of 0', program: withBuffers({ name: 'b', binding: -1, access: 'workgroup', type: 'u32', count: 0 }), rule: 'bad-workgroup-count', path: 'buffers[7].count' },
  { name: 'a workgroup count over the IR limit', program: withBuffers({ name: 'b', binding: -1, access: 'workgroup', type: 'u32', count: IR_LIMITS.maxWorkgroupCount + 1 }), rule: 'bad-workgroup-count', path: 'buffers[7].count' },
  { name: 'a count on a read buffer', program: withBuffers({ name: 'b', binding: 7, access: 'read', type: 'u32', count: 4 }), rule: 'bad-workgroup-count', path: 'buffers[7].count' },
  {
    name: 'workgroup buffers over the workgroup memory limit',
    // 64 + 4000 + 40 elements of 4 bytes: 16416 > 16384.
    program: withBuffers({ name: 'a', binding: -1, access: 'workgroup', type: 'f32', count: 4000 }, { name: 'b', binding: -1, access: 'workgroup', type: 'u32', count: 40 }),
    rule: 'bad-workgroup-count',
    path: 'buffers[8].count',
  },
  { name: 'sizing on a read buffer', program: withBuffers({ name: 'b', binding: 7, access: 'read', type: 'u32', sizing: { kind: 'dispatch' } }), rule: 'bad-sizing', path: 'buffers[7].sizing' },
  { name: 'a negative static count', program: withBuffers({ name: 'b', binding: 7, access: 'output', type: 'u32', sizing: { kind: 'static', count: -1 } }), rule: 'bad-sizing', path: 'buffers[7].sizing.count' },
  { name: 'same-as an unknown buffer', program: withBuffers({ name: 'b', binding: 7, access: 'output', type: 'u32', sizing: { kind: 'same-as', buffer: 'zz' } }), rule: 'bad-sizing', path: 'buffers[7].sizing.buffer' },
  { name: 'same-as a workgroup buffer', program: withBuffers({ name: 'b', binding: 7, access: 'output', type: 'u32', sizing: { kind: 'same-as', buffer: 'wg' } }), rule: 'bad-sizing', path: 'buffers[7].sizing.buffer' },
  { name: 'same-as itself', program: withBuffers({ name: 'b', binding: 7, access: 'output', type: 'u32', sizing: { kind: 'same-as', buffer: 'b' } }), rule: 'bad-sizing', path: 'buffers[7].sizing.buffer' },
  {
    name: 'same-as sizings that loop',
    program: kernel([], {
      buffers: [
        { name: 'a', binding: 0, access: 'output', type: 'u32', sizing: { kind: 'same-as', buffer: 'b' } },
        { name: 'b', binding: 1, access: 'output', type: 'u32', sizing: { kind: 'same-as', buffer: 'a' } },
      ],
    }),
    rule: 'bad-sizing',
    path: 'buffers[0].sizing.buffer',
  },
  {
    name: 'nine storage buffers',
    program: kernel([], { buffers: Array.from({ length: 9 }, (_, i) => ({ name: `b${i}`, binding: i, access: 'output', type: 'u32' })) }),
    rule: 'too-many-buffers',
    path: 'buffers',
  },
  {
    name: 'more buffers than IR_LIMITS.maxBuffers',
    program: kernel([], { buffers: Array.from({ length: IR_LIMITS.maxBuffers + 1 }, (_, i) => ({ name: `b${i}`, binding: i, access: 'output', type: 'u32' })) }),
    rule: 'too-large',
    path: 'buffers',
  },
  {
    name: 'more params than IR_LIMITS.maxParams',
    program: kernel([], { params: Array.from({ length: IR_LIMITS.maxParams + 1 }, (_, i) => ({ name: `p${i}`, type: 'u32' })) }),
    rule: 'too-large',
    path: 'params',
  },
  { name: 'a program with only inputs', program: kernel([], { buffers: [BUFFERS[0], BUFFERS[3]] }), rule: 'empty-program', path: 'buffers' },

  // workgroup size
  { name: 'a zero workgroup axis', program: kernel([], { workgroupSize: [0, 1, 1] }), rule: 'bad-workgroup-size', path: 'workgroupSize[0]' },
  { name: 'x over 256', program: kernel([], { workgroupSize: [257, 1, 1] }), rule: 'bad-workgroup-size', path: 'workgroupSize[0]' },
  { name: 'z over 64', program: kernel([], { workgroupSize: [1, 1, 65] }), rule: 'bad-workgroup-size', path: 'workgroupSize[2]' },
  { name: 'a fractional axis', program: kernel([], { workgroupSize: [1, 1.5, 1] }), rule: 'bad-workgroup-size', path: 'workgroupSize[1]' },
  { name: 'more than 256 invocations', program: kernel([], { workgroupSize: [16, 16, 2] }), rule: 'bad-workgroup-size', path: 'workgroupSize' },

  // names in the body
  { name: 'a load of an unknown buffer', program: kernel([let_('a', load('zz', u32(0)))]), rule: 'unknown-buffer', path: 'body[0].value.buffer' },
  { name: 'a store into an unknown buffer', program: kernel([store('zz', u32(0), u32(0))]), rule: 'unknown-buffer', path: 'body[0].buffer' },
  { name: 'the length of an unknown buffer', program: kernel([let_('a', length('zz'))]), rule: 'unknown-buffer', path: 'body[0].value.buffer' },
  { name: 'an unknown param', program: kernel([let_('a', param('alpha'))]), rule: 'unknown-param', path: 'body[0].value.name' },
  { name: 'a local read as a param', program: kernel([let_('a', u32(0)), let_('b', param('a'))]), rule: 'unknown-param', path: 'body[1].value.name' },
  { name: 'an unknown variable', program: kernel([let_('a', bin('add', u32(1), v('q')))]), rule: 'unknown-variable', path: 'body[0].value.right.name' },
  { name: 'a let that reads itself', program: kernel([let_('a', v('a'))]), rule: 'unknown-variable', path: 'body[0].value.name' },
  { name: 'a variable used outside its block', program: kernel([block([let_('a', u32(0))]), let_('b', v('a'))]), rule: 'unknown-variable', path: 'body[1].value.name' },
  { name: 'a param read as a variable', program: kernel([let_('a', v('scale'))]), rule: 'unknown-variable', path: 'body[0].value.name' },

  // literals and builtins
  { name: 'a NaN f32 literal', program: kernel([let_('a', f32(Number.NaN))]), rule: 'non-finite-literal', path: 'body[0].value.value' },
  { name: 'an infinite f32 literal', program: kernel([let_('a', f32(-Infinity))]), rule: 'non-finite-literal', path: 'body[0].value.value' },
  { name: 'an f32 literal beyond the f32 range', program: kernel([let_('a', f32(1e39))]), rule: 'non-finite-literal', path: 'body[0].value.value' },
  { name: 'a negative u32 literal', program: kernel([let_('a', u32(-1))]), rule: 'bad-literal', path: 'body[0].value.value' },
  { name: 'a fractional u32 literal', program: kernel([let_('a', u32(1.5))]), rule: 'bad-literal', path: 'body[0].value.value' },
  { name: 'a u32 literal of 2^32', program: kernel([let_('a', u32(2 ** 32))]), rule: 'bad-literal', path: 'body[0].value.value' },
  { name: 'an i32 literal of 2^31', program: kernel([let_('a', i32(2 ** 31))]), rule: 'bad-literal', path: 'body[0].value.value' },
  { name: 'a bool literal of 1', program: kernel([let_('a', lit('bool', 1))]), rule: 'bad-literal', path: 'body[0].value.value' },
  { name: 'a u32 literal of true', program: kernel([let_('a', lit('u32', true))]), rule: 'bad-literal', path: 'body[0].value.value' },
  { name: 'a builtin axis of 3', program: kernel([let_('a', { kind: 'builtin', name: 'global-id', axis: 3 } as unknown as Expr)]), rule: 'bad-builtin-axis', path: 'body[0].value.axis' },
  { name: 'linear-index on axis 1', program: kernel([let_('a', builtin('linear-index', 1))]), rule: 'bad-builtin-axis', path: 'body[0].value.axis' },
  { name: 'local-index on axis 2', program: kernel([let_('a', builtin('local-index', 2))]), rule: 'bad-builtin-axis', path: 'body[0].value.axis' },

  // types
  ...(
    [
      ['add on bool', let_('a', bin('add', bool(true), bool(false))), 'body[0].value.left'],
      ['u32 plus i32', let_('a', bin('add', u32(1), i32(1))), 'body[0].value.right'],
      ['lt on bool', let_('a', bin('lt', bool(true), bool(false))), 'body[0].value.left'],
      ['eq across types', let_('a', bin('eq', f32(1), u32(1))), 'body[0].value.right'],
      ['shl by an i32 amount', let_('a', bin('shl', u32(1), i32(1))), 'body[0].value.right'],
      ['shr on f32', let_('a', bin('shr', f32(1), u32(1))), 'body[0].value.left'],
      ['rotl by an f32 amount', let_('a', bin('rotl', i32(1), f32(1))), 'body[0].value.right'],
      ['pow on u32', let_('a', bin('pow', u32(2), u32(3))), 'body[0].value.left'],
      ['bit-and on f32', let_('a', bin('bit-and', f32(1), f32(1))), 'body[0].value.left'],
      ['mul-high on f32', let_('a', bin('mul-high', f32(1), f32(1))), 'body[0].value.left'],
      ['abs-diff on bool', let_('a', bin('abs-diff', bool(true), bool(true))), 'body[0].value.left'],
      ['and on u32', let_('a', bin('and', u32(1), u32(1))), 'body[0].value.left'],
      ['neg on u32', let_('a', un('neg', u32(1))), 'body[0].value.value'],
      ['not on u32', let_('a', un('not', u32(1))), 'body[0].value.value'],
      ['sqrt on i32', let_('a', un('sqrt', i32(4))), 'body[0].value.value'],
      ['sign on u32', let_('a', un('sign', u32(4))), 'body[0].value.value'],
      ['popcount on f32', let_('a', un('popcount', f32(4))), 'body[0].value.value'],
      ['fma with a u32 operand', let_('a', { kind: 'fma', a: f32(1), b: u32(1), c: f32(1) }), 'body[0].value.b'],
      ['a load index of i32', let_('a', load('x', i32(0))), 'body[0].value.index'],
      ['an if condition of u32', if_(u32(1), []), 'body[0].cond'],
      ['a select condition of u32', let_('a', select(u32(1), f32(1), f32(2))), 'body[0].value.cond'],
      ['select arms of two types', let_('a', select(bool(true), f32(1), u32(2))), 'body[0].value.ifFalse'],
      ['loop bounds of u32 and i32', loop('k', u32(0), i32(4), []), 'body[0].to'],
      ['loop bounds of f32', loop('k', f32(0), f32(4), []), 'body[0].from'],
      ['a store of u32 into f32', store('y', u32(0), u32(1)), 'body[0].value'],
      ['a store of u32 into bool', store('flags', u32(0), u32(1)), 'body[0].value'],
      ['a store index of f32', store('y', f32(0), f32(1)), 'body[0].index'],
      ['an atomic value of i32 into u32', let_('a', atomic('add', 'n', u32(0), i32(1))), 'body[0].value.value'],
      ['an atomic expected of f32', let_('a', atomic('compare-exchange', 'n', u32(0), u32(1), f32(1))), 'body[0].value.expected'],
      ['an atomic index of i32', let_('a', atomic('add', 'n', i32(0), u32(1))), 'body[0].value.index'],
    ] as const
  ).map(([name, statement, path]): RuleCase => ({ name, program: kernel([statement]), rule: 'type-mismatch', path })),
  { name: 'an assign of f32 to a u32 let', program: kernel([let_('a', u32(0)), assign('a', f32(1))]), rule: 'type-mismatch', path: 'body[1].value' },
  { name: 'a var typed through its let', program: kernel([let_('a', u32(0)), let_('b', bin('mul', v('a'), f32(2)))]), rule: 'type-mismatch', path: 'body[1].value.right' },
  { name: 'a param typed as declared', program: kernel([let_('a', bin('add', param('scale'), param('limit')))]), rule: 'type-mismatch', path: 'body[0].value.right' },
  {
    name: 'a type error deep inside control flow',
    program: kernel([let_('a', u32(0)), BARRIER, if_(bool(true), [let_('b', bin('sub', bin('add', v('a'), bool(true)), u32(1)))])]),
    rule: 'type-mismatch',
    path: 'body[2].then[0].value.left.right',
  },

  // memory
  { name: 'a store into a read buffer', program: kernel([store('x', u32(0), f32(1))]), rule: 'store-to-read-only', path: 'body[0].buffer' },
  { name: 'a store into a uniform buffer', program: kernel([store('ro', u32(0), i32(1))]), rule: 'store-to-read-only', path: 'body[0].buffer' },
  { name: 'an atomic on f32 elements', program: kernel([let_('a', atomic('add', 'y', u32(0), f32(1)))]), rule: 'atomic-wrong-type', path: 'body[0].value.buffer' },
  { name: 'an atomic on bool elements', program: kernel([let_('a', atomic('load', 'flags', u32(0)))]), rule: 'atomic-wrong-type', path: 'body[0].value.buffer' },
  { name: 'an atomic on a uniform buffer', program: kernel([let_('a', atomic('add', 'ro', u32(0), i32(1)))]), rule: 'atomic-wrong-buffer', path: 'body[0].value.buffer' },
  { name: 'an atomic add without a value', program: kernel([let_('a', atomic('add', 'n', u32(0)))]), rule: 'atomic-bad-operands', path: 'body[0].value.value' },
  { name: 'an atomic load with a value', program: kernel([let_('a', atomic('load', 'n', u32(0), u32(1)))]), rule: 'atomic-bad-operands', path: 'body[0].value.value' },
  { name: 'a compare-exchange without expected', program: kernel([let_('a', atomic('compare-exchange', 'n', u32(0), u32(1)))]), rule: 'atomic-bad-operands', path: 'body[0].value.expected' },
  { name: 'an atomic add with expected', program: kernel([let_('a', atomic('add', 'n', u32(0), u32(1), u32(2)))]), rule: 'atomic-bad-operands', path: 'body[0].value.expected' },
  // whole vectors of scalar buffers (every case: validate-vector-access.test.ts)
  { name: 'a load-vector of width 3', program: kernel([let_('a', { kind: 'load-vector', buffer: 'x', width: 3, index: u32(0) } as unknown as Expr)]), rule: 'bad-vector-width', path: 'body[0].value.width' },
  { name: 'a load-vector of a bool buffer', program: kernel([let_('a', { kind: 'load-vector', buffer: 'flags', width: 2, index: u32(0) })]), rule: 'vector-access-wrong-buffer', path: 'body[0].value.buffer' },

  // statements and scopes
  { name: 'an assign to an undeclared name', program: kernel([assign('a', u32(1))]), rule: 'assign-to-undeclared', path: 'body[0].name' },
  { name: 'an assign to a loop variable', program: kernel([loop('k', u32(0), u32(4), [assign('k', u32(1))])]), rule: 'assign-to-loop-variable', path: 'body[0].body[0].name' },
  { name: 'a let shadowing an outer let', program: kernel([let_('a', u32(0)), if_(bool(true), [let_('a', u32(1))])]), rule: 'shadowing', path: 'body[1].then[0].name' },
  { name: 'a let declared twice in one scope', program: kernel([let_('a', u32(0)), let_('a', u32(1))]), rule: 'shadowing', path: 'body[1].name' },
  { name: 'a loop variable shadowing a let', program: kernel([let_('k', u32(0)), loop('k', u32(0), u32(4), [])]), rule: 'shadowing', path: 'body[1].var' },
  { name: 'a let shadowing its loop variable', program: kernel([loop('k', u32(0), u32(4), [let_('k', u32(1))])]), rule: 'shadowing', path: 'body[0].body[0].name' },
  { name: 'a let after a region that declared it (regions open no scope)', program: kernel([region('r', [let_('a', u32(0))]), let_('a', u32(1))]), rule: 'shadowing', path: 'body[1].name' },
  { name: 'a break outside any loop', program: kernel([BREAK]), rule: 'break-outside-loop', path: 'body[0]' },
  { name: 'a break in an if outside any loop', program: kernel([if_(bool(true), [BREAK])]), rule: 'break-outside-loop', path: 'body[0].then[0]' },

  // barriers
  { name: 'a barrier under a condition on the local id', program: kernel([if_(bin('lt', builtin('local-id'), u32(32)), [BARRIER])]), rule: 'barrier-non-uniform', path: 'body[0].then[0]' },
  { name: 'a barrier under a condition on a let', program: kernel([let_('a', u32(1)), if_(bin('eq', v('a'), u32(1)), [], [BARRIER])]), rule: 'barrier-non-uniform', path: 'body[1].otherwise[0]' },
  { name: 'a barrier under a condition on a load', program: kernel([if_(bin('gt', load('x', u32(0)), f32(0)), [block([BARRIER])])]), rule: 'barrier-non-uniform', path: 'body[0].then[0].body[0]' },
  { name: 'a barrier in a loop with non-uniform bounds', program: kernel([loop('k', u32(0), builtin('global-id'), [BARRIER])]), rule: 'barrier-non-uniform', path: 'body[0].body[0]' },
  {
    name: 'a barrier in a loop bounded by a let',
    program: kernel([let_('m', u32(4)), loop('j', u32(0), v('m'), [BARRIER])]),
    rule: 'barrier-non-uniform',
    path: 'body[1].body[0]',
  },
  { name: 'a barrier after a non-uniform return', program: kernel([if_(bin('gt', builtin('global-id'), u32(5)), [RETURN]), BARRIER]), rule: 'barrier-non-uniform', path: 'body[1]' },
  {
    name: 'a barrier in a later loop after a non-uniform return',
    program: kernel([if_(bin('gt', builtin('global-id'), u32(5)), [RETURN]), loop('k', u32(0), u32(4), [BARRIER])]),
    rule: 'barrier-non-uniform',
    path: 'body[1].body[0]',
  },
  {
    name: 'a barrier after a non-uniform break in the same loop',
    program: kernel([loop('k', u32(0), u32(4), [if_(bin('eq', builtin('local-index'), v('k')), [BREAK]), BARRIER])]),
    rule: 'barrier-non-uniform',
    path: 'body[0].body[1]',
  },
  {
    name: 'a barrier before a non-uniform break (the next iteration runs it)',
    program: kernel([loop('k', u32(0), u32(4), [BARRIER, if_(bin('eq', builtin('local-index'), v('k')), [BREAK])])]),
    rule: 'barrier-non-uniform',
    path: 'body[0].body[0]',
  },
  {
    name: 'a barrier in an outer loop before a non-uniform return in an inner loop',
    program: kernel([loop('k', u32(0), u32(4), [BARRIER, loop('j', u32(0), u32(4), [if_(bin('eq', builtin('local-index'), v('j')), [RETURN])])])]),
    rule: 'barrier-non-uniform',
    path: 'body[0].body[0]',
  },

  // size and depth
  {
    name: 'expressions nested deeper than IR_LIMITS.maxDepth',
    program: kernel([let_('a', Array.from({ length: IR_LIMITS.maxDepth + 5 }).reduce<Expr>((e) => un('neg', e), i32(1)))]),
    rule: 'too-deep',
    path: `body[0].value${'.value'.repeat(IR_LIMITS.maxDepth - 1)}`,
  },
  {
    name: 'a statement that contains itself',
    program: (() => {
      const s = { kind: 'block', body: [] as unknown[] };
      s.body.push(s);
      return kernel([s]);
    })(),
    rule: 'too-deep',
    path: `body[0]${'.body[0]'.repeat(IR_LIMITS.maxDepth)}`,
  },
  {
    name: 'more than IR_LIMITS.maxNodes statements',
    program: kernel(new Array<Stmt>(IR_LIMITS.maxNodes + 1).fill(BARRIER)),
    rule: 'too-large',
    path: `body[${IR_LIMITS.maxNodes}]`,
  },
];

describe('validateProgram accepts valid programs', () => {
  for (const [name, program] of Object.entries(VALID)) {
    it(`returns ${name} as an equal, fresh copy`, () => {
      const checked = validateProgram(program);
      expect(checked).toEqual(program);
      expect(checked).not.toBe(program);
      expect(findProgramIssues(program)).toEqual([]);
    });

    it(`accepts ${name} after structured clone and after JSON`, () => {
      expect(validateProgram(structuredClone(program))).toEqual(program);
      expect(validateProgram(JSON.parse(JSON.stringify(program)))).toEqual(program);
    });
  }

  it('lets locals share a name with a param (separate namespaces)', () => {
    expect(() => validateProgram(kernel([let_('scale', param('scale')), store('y', u32(0), v('scale'))]))).not.toThrow();
  });

  it('lets sibling scopes reuse a name', () => {
    const body = [block([let_('a', u32(0))]), block([let_('a', f32(0))]), if_(bool(true), [let_('a', u32(1))], [let_('a', u32(2))]), loop('a', u32(0), u32(1), [])];
    expect(findProgramIssues(kernel(body))).toEqual([]);
  });

  it('accepts barriers after uniform exits and in branches on uniform values', () => {
    const body = [
      if_(bin('gt', param('limit'), u32(3)), [BARRIER]),
      if_(bin('gt', builtin('workgroup-id'), length('x')), [RETURN]),
      BARRIER,
      loop('k', u32(0), param('limit'), [if_(bin('ge', v('k'), builtin('num-workgroups', 2)), [BREAK]), BARRIER]),
      loop('k', u32(0), u32(4), [if_(bin('eq', builtin('local-index'), v('k')), [BREAK])]),
      BARRIER,
      loop('m', u32(0), u32(2), [loop('j', v('m'), bin('add', v('m'), length('x')), [BARRIER])]),
      if_(bin('gt', param('scale'), f32(0)), [if_(bin('eq', builtin('local-index'), u32(0)), [RETURN])], [BARRIER]),
    ];
    expect(findProgramIssues(kernel(body))).toEqual([]);
  });

  it('checks against the device limits it is given', () => {
    const big = kernel([], { workgroupSize: [1024, 1, 1] });
    expect(rejection(big).details['rule']).toBe('bad-workgroup-size');
    const limits: ValidationLimits = { ...DEFAULT_VALIDATION_LIMITS, maxComputeInvocationsPerWorkgroup: 1024, maxComputeWorkgroupSizeX: 1024 };
    expect(validateProgram(big, limits).workgroupSize).toEqual([1024, 1, 1]);
  });

  it('does not count workgroup buffers or params against storage buffers', () => {
    const buffers = [
      ...Array.from({ length: 8 }, (_, i) => ({ name: `b${i}`, binding: i, access: 'output', type: 'u32' })),
      { name: 'wg', binding: -1, access: 'workgroup', type: 'u32', count: 4096 },
    ];
    expect(findProgramIssues(kernel([], { buffers }))).toEqual([]);
  });

  it('leaves unknown fields and undefined optional fields out of the copy', () => {
    const program = { ...MAP, comment: 'mine', buffers: [{ ...MAP.buffers[0], count: undefined, extra: 1 }, MAP.buffers[1]] };
    const checked = validateProgram(program);
    expect(checked).toEqual(MAP);
    expect(Object.keys(checked)).not.toContain('comment');
    expect(Object.keys(checked.buffers[0] ?? {})).toEqual(['name', 'binding', 'access', 'type']);
  });

  it('keeps -0 as an f32 literal', () => {
    expect(findProgramIssues(kernel([let_('a', f32(-0)), store('y', u32(0), v('a'))]))).toEqual([]);
  });

  it('never calls a getter of the caller', () => {
    let calls = 0;
    const statement = Object.defineProperty({}, 'kind', { get: () => (calls += 1, 'barrier'), enumerable: true });
    expect(rejection(kernel([statement])).details['rule']).toBe('malformed');
    expect(calls).toBe(0);
  });
});

describe('validateProgram names each rule with its path', () => {
  for (const { name, program, rule, path, limits } of CASES) {
    it(`rejects ${name} as ${rule} at ${path || 'the root'}`, () => {
      const error = rejection(program, limits);
      expect(error.code).toBe('invalid-program');
      expect({ rule: error.details['rule'], path: error.details['path'] }).toEqual({ rule, path });
      expect(error.message).toMatch(/ Fix: .+/);
    });
  }

  it('has at least one case for every rule', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    expect(VALIDATION_RULES.filter((rule) => !covered.has(rule))).toEqual([]);
  });
});

describe('validateProgram reports many issues as one error', () => {
  it('collects every issue, not just the first', () => {
    const program = kernel([let_('a', v('q')), store('x', u32(0), f32(1)), BREAK], { workgroupSize: [0, 1, 1] });
    const error = rejection(program);
    const issues = error.details['issues'] as { rule: string; path: string }[];
    expect(issues.map(({ rule, path }) => [rule, path])).toEqual([
      ['bad-workgroup-size', 'workgroupSize[0]'],
      ['unknown-variable', 'body[0].value.name'],
      ['store-to-read-only', 'body[1].buffer'],
      ['break-outside-loop', 'body[2]'],
    ]);
    expect(error.details['issueCount']).toBe(4);
    expect(error.details).toMatchObject({ rule: 'bad-workgroup-size', path: 'workgroupSize[0]' });
    expect(findProgramIssues(program)).toHaveLength(4);
  });

  it(`lists at most ${MAX_ERROR_ISSUES} issues in details, and counts them all`, () => {
    const error = rejection(kernel(Array.from({ length: 50 }, (_, i) => assign(`a${i}`, u32(0)))));
    expect(error.details['issues']).toHaveLength(MAX_ERROR_ISSUES);
    expect(error.details['issueCount']).toBe(50);
    expect(error.message).toContain('49 more');
  });

  it('has details that survive structured clone', () => {
    const error = rejection(kernel([let_('a', u32(-1))]));
    expect(structuredClone(error.details)).toEqual(error.details);
    expect(error.details['issues']).toEqual([{ rule: 'bad-literal', path: 'body[0].value.value', message: expect.stringContaining('-1') }]);
  });

  it('stops quickly on a shared subtree that would expand to 2^60 nodes', () => {
    let e: Expr = u32(1);
    for (let i = 0; i < 60; i += 1) e = bin('add', e, e);
    const started = Date.now();
    const rules = new Set(findProgramIssues(kernel([let_('a', e)])).map((issue) => issue.rule));
    expect([...rules].every((rule) => rule === 'too-deep' || rule === 'too-large')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('the typing table', () => {
  it('follows docs/semantics.md', () => {
    expect(binaryResultType('abs-diff', 'i32', 'i32')).toBe('u32');
    expect(binaryResultType('abs-diff', 'f32', 'f32')).toBe('f32');
    expect(binaryResultType('shl', 'i32', 'u32')).toBe('i32');
    expect(binaryResultType('shl', 'i32', 'i32')).toBeUndefined();
    expect(binaryResultType('eq', 'bool', 'bool')).toBe('bool');
    expect(binaryResultType('lt', 'bool', 'bool')).toBeUndefined();
    expect(binaryResultType('pow', 'f32', 'f32')).toBe('f32');
    expect(binaryResultType('mul-high', 'u32', 'u32')).toBe('u32');
    expect(unaryResultType('abs', 'u32')).toBe('u32');
    expect(unaryResultType('neg', 'u32')).toBeUndefined();
    expect(unaryResultType('reverse-bits', 'i32')).toBe('i32');
  });
});

// ── Robustness: random damage never escapes as anything but invalid-program ──

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'ir', 'let', 'assign', 'store', 'if', 'loop', 'break', 'return', 'barrier', 'block', 'region', 'literal', 'var', 'param',
  'load', 'length', 'builtin', 'unary', 'binary', 'select', 'cast', 'fma', 'atomic', 'add', 'shl', 'lt', 'neg', 'sqrt',
  'compare-exchange', 'u32', 'i32', 'f32', 'bool', 'read', 'output', 'workgroup', 'uniform', 'x', 'y', 'i', 'lid', 'zz',
  'global-id', 'linear-index', 'dispatch', 'static', 'same-as', '', '__proto__', 'constructor',
];

function junk(random: () => number, parent: object, root: object): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const choices: (() => unknown)[] = [
    () => undefined,
    () => null,
    () => pick([0, -1, 1, 1.5, -0, NaN, Infinity, -Infinity, 2 ** 32, 2 ** 31, 1e40, 64, 999, 1000]),
    () => pick([true, false]),
    () => pick(WORDS),
    () => 'x'.repeat(1000),
    () => 10n,
    () => Symbol('junk'),
    () => () => 1,
    () => [],
    () => ({}),
    () => [1, 2, 3],
    () => new Uint32Array(3),
    () => new Map([['kind', 'barrier']]),
    () => new Date(0),
    () => Object.create(null),
    () => ({ kind: pick(WORDS) }),
    () => ({ kind: pick(WORDS), name: pick(WORDS), op: pick(WORDS), type: pick(WORDS), value: u32(1), left: u32(1), right: u32(1) }),
    () => parent,
    () => root,
    () => new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } }),
    () => revocable.proxy,
    () => Object.defineProperty({}, 'kind', { get: () => { throw new Error('getter'); }, enumerable: true }),
    () => new Array(1e7),
    () => Array.from({ length: 80 }).reduce<unknown>((inner) => ({ kind: 'unary', op: 'neg', value: inner }), i32(1)),
    () => Array.from({ length: 80 }).reduce<unknown>((inner) => ({ kind: 'block', body: [inner] }), BARRIER),
  ];
  return pick(choices)();
}

/** Every (container, key) in the tree, found without following cycles. */
function slots(root: object): [Record<string, unknown>, string][] {
  const found: [Record<string, unknown>, string][] = [];
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    try {
      if (ArrayBuffer.isView(node)) return;
      for (const key of Object.keys(node)) {
        const descriptor = Object.getOwnPropertyDescriptor(node, key);
        // Junk may hold getters and throwing proxies; the sweep itself must not trip on them.
        if (descriptor === undefined || !('value' in descriptor)) continue;
        found.push([node as Record<string, unknown>, key]);
        visit(descriptor.value);
      }
    } catch {
      // A throwing or revoked proxy: nothing inside to mutate.
    }
  };
  visit(root);
  return found;
}

/**
 * Damages `program` in 1–3 places. `gentle` keeps JS types (a string for a string, a number
 * for a number, a node for a node), so the damage reaches the semantic rules past the shape checks.
 */
function mutate(random: () => number, program: Record<string, unknown>, gentle: boolean): void {
  const rounds = 1 + Math.floor(random() * 3);
  for (let round = 0; round < rounds; round += 1) {
    const all = slots(program);
    const slot = all[Math.floor(random() * all.length)];
    if (slot === undefined) return;
    const [container, key] = slot;
    const action = random();
    if (gentle) {
      const current = container[key];
      if (typeof current === 'string') container[key] = WORDS[Math.floor(random() * WORDS.length)];
      else if (typeof current === 'number') container[key] = [0, 1, 2, 3, -1, 0.5, 255, 256, 4096, 2 ** 32][Math.floor(random() * 10)];
      else if (typeof current === 'boolean') container[key] = !current;
      else {
        const donor = all[Math.floor(random() * all.length)];
        if (donor && typeof donor[0][donor[1]] === 'object') container[key] = donor[0][donor[1]];
      }
    } else if (action < 0.2) {
      delete container[key];
    } else if (action < 0.35) {
      // Move another node of the program here: valid shapes, wrong places (types, scopes, uniformity).
      const donor = all[Math.floor(random() * all.length)];
      if (donor) container[key] = donor[0][donor[1]];
    } else if (action < 0.45 && Array.isArray(container)) {
      container.push(container[Math.floor(random() * container.length)]);
    } else {
      container[key] = junk(random, container, program);
    }
  }
}

describe('validateProgram survives random damage', () => {
  it('throws only invalid-program for 600 mutations of valid programs (seeded)', () => {
    const random = prng(0x5eed);
    const bases = Object.values(VALID);
    const outcomes = { accepted: 0, rejected: 0 };
    for (let i = 0; i < 600; i += 1) {
      const program = structuredClone(bases[i % bases.length]) as unknown as Record<string, unknown>;
      mutate(random, program, i % 2 === 1);
      let issues: unknown;
      try {
        issues = findProgramIssues(program);
        const checked = validateProgram(program);
        outcomes.accepted += 1;
        expect(issues).toEqual([]);
        // Damage may leave fields the new kind does not have; the copy drops them and is a fixed point.
        expect(validateProgram(checked)).toEqual(checked);
      } catch (error) {
        if (!(error instanceof VyreError) || error.code !== 'invalid-program') {
          throw new Error(`mutation ${i} escaped as ${String(error)}`, { cause: error });
        }
        outcomes.rejected += 1;
        expect((issues as unknown[]).length).toBeGreaterThan(0);
        expect(VALIDATION_RULES).toContain(error.details['rule']);
        expect(structuredClone(error.details)).toEqual(error.details);
      }
    }
    // Both outcomes occur, so the sweep exercises the checks and not only the shape gate.
    expect(outcomes.accepted).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(300);
  });

  it('rejects every junk value in place of the whole program', () => {
    const random = prng(7);
    const root = {};
    for (let i = 0; i < 100; i += 1) {
      expect(() => validateProgram(junk(random, root, root))).toThrow(VyreError);
    }
  });
});
