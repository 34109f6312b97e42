/**
 * Whole vectors loaded from and stored to scalar buffers (docs/semantics.md, "Vectors"):
 * what the builder records for `loadVector`/`storeVector`, what the validator accepts
 * (both widths, every scalar type, every readable buffer, workgroup buffers), and each
 * refusal with its rule, its path and a `Fix:`.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { program, type ProgramBuilder } from '../../src/program/builder.ts';
import { findProgramIssues, validateProgram } from '../../src/program/validate.ts';
import type { Expr, IrBuffer, IrProgram, Stmt } from '../../src/protocol/ir.ts';

const u32 = (value: number): Expr => ({ kind: 'literal', type: 'u32', value });
const f32 = (value: number): Expr => ({ kind: 'literal', type: 'f32', value });
const v = (name: string): Expr => ({ kind: 'var', name });
const let_ = (name: string, value: Expr): Stmt => ({ kind: 'let', name, value });
const loadVector = (buffer: string, width: number, index: Expr = v('i')): Expr => ({ kind: 'load-vector', buffer, width, index }) as Expr;
const storeVector = (buffer: string, width: number, value: Expr, index: Expr = v('i')): Stmt => ({ kind: 'store-vector', buffer, width, index, value }) as Stmt;
const splat = (type: Extract<Expr, { kind: 'splat' }>['type'], value: Expr): Expr => ({ kind: 'splat', type, value });
const I = let_('i', { kind: 'builtin', name: 'linear-index', axis: 0 });

const BUFFERS: IrBuffer[] = [
  { name: 'x', binding: 0, access: 'read', type: 'f32' },
  { name: 'n', binding: 1, access: 'uniform', type: 'i32' },
  { name: 'y', binding: 2, access: 'output', type: 'f32' },
  { name: 'h', binding: 3, access: 'read-write', type: 'u32' },
  { name: 'flags', binding: 4, access: 'output', type: 'bool' },
  { name: 'pairs', binding: 5, access: 'read', type: 'vec2<f32>' },
  { name: 'counts', binding: 6, access: 'read-write', type: 'u32' },
  { name: 'tile', binding: -1, access: 'workgroup', type: 'i32', count: 64 },
];

function kernel(body: unknown[]): IrProgram {
  return { kind: 'ir', workgroupSize: [64, 1, 1], buffers: BUFFERS, params: [], body: [I, ...body] } as IrProgram;
}

function rejection(value: unknown): { rule: unknown; path: unknown; message: string; code: string } {
  try {
    validateProgram(value);
  } catch (error) {
    if (error instanceof VyreError) return { rule: error.details['rule'], path: error.details['path'], message: error.message, code: error.code };
    throw error;
  }
  throw new Error('the program was accepted');
}

describe('the builder records whole-vector access to scalar buffers', () => {
  it('records loadVector as load-vector and storeVector as store-vector, with the width and the vector index', () => {
    const p = program({ name: 'copy4', workgroupSize: 64 }, (b) => {
      const x = b.buffer('x', 'f32', 'read');
      const y = b.buffer('y', 'f32', 'output');
      const i = b.let('i', b.linearIndex());
      y.storeVector(4, i, x.loadVector(4, i).add(1));
    });
    const load: Expr = { kind: 'load-vector', buffer: 'x', width: 4, index: v('i') };
    expect(p.body[1]).toEqual({
      kind: 'store-vector',
      buffer: 'y',
      width: 4,
      index: v('i'),
      value: { kind: 'binary', op: 'add', left: load, right: splat('vec4<f32>', f32(1)) },
    });
  });

  it('types the loaded vector by the width and the buffer element type: vec2<i32> from an i32 buffer', () => {
    program({ name: 'types' }, (b) => {
      const n = b.buffer('n', 'i32', 'read');
      const y = b.buffer('y', 'i32', 'output');
      const pair = n.loadVector(2, 0);
      expect(pair.type).toBe('vec2<i32>');
      y.storeVector(2, 0, pair.shl(1));
      // A number is splatted into the stored vector, as for every vector operand.
      y.storeVector(2, 1, 7);
    });
  });

  it('refuses a vector buffer, a bool buffer and widths other than 2 or 4 at compile time', () => {
    // Type-level: each @ts-expect-error fails the typecheck if the call ever compiles.
    const build = (b: ProgramBuilder): void => {
      const pairs = b.buffer('pairs', 'vec2<f32>', 'read');
      const flags = b.buffer('flags', 'bool', 'output');
      const y = b.buffer('y', 'f32', 'output');
      // @ts-expect-error a vector buffer has load, which reads whole vectors
      pairs.loadVector(2, 0);
      // @ts-expect-error there are no bool vectors
      flags.storeVector(2, 0, b.splat('vec2<u32>', 1));
      // @ts-expect-error no vec3
      y.loadVector(3, 0);
      // @ts-expect-error a vec2 stored as 4 elements
      y.storeVector(4, 0, b.splat('vec2<f32>', 1));
    };
    expect(build).toBeTypeOf('function');
  });

  it('refuses through an untyped call what the validator refuses (a width of 3)', () => {
    const attempt = (): unknown =>
      program({ name: 'bad' }, (b) => {
        const y = b.buffer('y', 'f32', 'output');
        y.storeVector(3 as 4, 0, 1);
      });
    expect(() => attempt()).toThrow(/bad-vector-width/);
  });
});

describe('validateProgram accepts whole-vector access to scalar buffers', () => {
  it('accepts both widths of f32, i32 and u32 buffers: read, uniform, output, read-write and workgroup', () => {
    const body = [
      storeVector('y', 4, loadVector('x', 4)),
      storeVector('y', 2, loadVector('x', 2)),
      storeVector('tile', 4, loadVector('n', 4)),
      storeVector('h', 2, loadVector('h', 2)),
      let_('fromOutput', loadVector('y', 2)),
      let_('fromTile', loadVector('tile', 4, u32(15))),
    ];
    expect(findProgramIssues(kernel(body))).toEqual([]);
    expect(validateProgram(kernel(body))).toEqual(kernel(body));
  });

  it('accepts a vector access beside atomics on other buffers', () => {
    const atomic: Expr = { kind: 'atomic', op: 'add', buffer: 'counts', index: u32(0), value: u32(1) };
    expect(findProgramIssues(kernel([let_('old', atomic), storeVector('h', 4, loadVector('h', 4))]))).toEqual([]);
  });
});

describe('validateProgram refuses what whole-vector access to scalar buffers does not allow', () => {
  const atomic: Expr = { kind: 'atomic', op: 'add', buffer: 'h', index: u32(0), value: u32(1) };
  const cases: readonly { name: string; body: unknown[]; rule: string; path: string; says: RegExp }[] = [
    { name: 'a width of 3', body: [let_('c', loadVector('x', 3))], rule: 'bad-vector-width', path: 'body[1].value.width', says: /2 or 4/ },
    { name: 'a width of 1 in a store', body: [storeVector('y', 1, f32(1))], rule: 'bad-vector-width', path: 'body[1].width', says: /got a width of 1/ },
    { name: 'a width that is not a number', body: [let_('c', loadVector('x', '4' as unknown as number))], rule: 'malformed', path: 'body[1].value.width', says: /number 2 or 4/ },
    { name: 'a load from a vector buffer', body: [let_('c', loadVector('pairs', 2))], rule: 'vector-access-wrong-buffer', path: 'body[1].value.buffer', says: /already vectors/ },
    { name: 'a store into a bool buffer', body: [storeVector('flags', 2, splat('vec2<u32>', u32(1)))], rule: 'vector-access-wrong-buffer', path: 'body[1].buffer', says: /no bool vectors/ },
    { name: 'a load from a buffer an atomic touches later', body: [let_('c', loadVector('h', 4)), let_('old', atomic)], rule: 'vector-access-wrong-buffer', path: 'body[1].value.buffer', says: /atomic touches "h"/ },
    { name: 'a store into a buffer an atomic touched before', body: [let_('old', atomic), storeVector('h', 2, splat('vec2<u32>', u32(1)))], rule: 'vector-access-wrong-buffer', path: 'body[2].buffer', says: /one element at a time/ },
    { name: 'a store into a read buffer', body: [storeVector('x', 4, splat('vec4<f32>', f32(1)))], rule: 'store-to-read-only', path: 'body[1].buffer', says: /read buffer/ },
    { name: 'a store into a uniform buffer', body: [storeVector('n', 2, splat('vec2<i32>', { kind: 'literal', type: 'i32', value: 1 }))], rule: 'store-to-read-only', path: 'body[1].buffer', says: /uniform buffer/ },
    { name: 'a stored vector of the wrong width', body: [storeVector('y', 4, splat('vec2<f32>', f32(1)))], rule: 'type-mismatch', path: 'body[1].value', says: /vec4<f32>/ },
    { name: 'a stored vector of the wrong component type', body: [storeVector('y', 2, splat('vec2<u32>', u32(1)))], rule: 'type-mismatch', path: 'body[1].value', says: /vec2<f32>/ },
    { name: 'a stored scalar', body: [storeVector('y', 2, f32(1))], rule: 'type-mismatch', path: 'body[1].value', says: /vec2<f32>/ },
    { name: 'an f32 vector index', body: [let_('c', loadVector('x', 4, f32(1)))], rule: 'type-mismatch', path: 'body[1].value.index', says: /u32/ },
    { name: 'an unknown buffer', body: [let_('c', loadVector('nope', 4))], rule: 'unknown-buffer', path: 'body[1].value.buffer', says: /nope/ },
    { name: 'a loaded vec4 assigned to a vec2 local', body: [let_('c', loadVector('x', 2)), { kind: 'assign', name: 'c', value: loadVector('x', 4) }], rule: 'type-mismatch', path: 'body[2].value', says: /vec2<f32>/ },
  ];
  for (const { name, body, rule, path, says } of cases) {
    it(`refuses ${name} (${rule} at ${path}), with a Fix`, () => {
      const found = rejection(kernel(body));
      expect({ code: found.code, rule: found.rule, path: found.path }).toEqual({ code: 'invalid-program', rule, path });
      expect(found.message).toMatch(/ Fix: .+/);
      expect(found.message).toMatch(says);
    });
  }

  it('says in the Fix what to use instead', () => {
    expect(rejection(kernel([let_('c', loadVector('x', 3))])).message).toMatch(/Fix: use width 2 or 4/);
    expect(rejection(kernel([let_('c', loadVector('pairs', 2))])).message).toMatch(/Fix: use loadVector\/storeVector on a buffer of f32, i32 or u32 scalars/);
  });
});
