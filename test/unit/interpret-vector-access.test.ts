/**
 * The reference interpreter loads and stores whole vectors of scalar buffers exactly as
 * docs/semantics.md ("Vectors") says: component k is element width·v + k; bounds per
 * component (a ragged tail reads 0 past the end, and only its in-bounds components are
 * written); the exact index, never wrapped to 32 bits; index before value; and its own
 * checks on nodes that skipped validation. Expected values are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { interpret, type InterpretArray } from '../../src/program/interpret.ts';
import type { Expr, IrBuffer, IrProgram, Stmt, ValueType, VectorType } from '../../src/protocol/ir.ts';

const u32 = (value: number): Expr => ({ kind: 'literal', type: 'u32', value });
const f32 = (value: number): Expr => ({ kind: 'literal', type: 'f32', value });
const i32 = (value: number): Expr => ({ kind: 'literal', type: 'i32', value });
const LIN: Expr = { kind: 'builtin', name: 'linear-index', axis: 0 };
const loadVector = (buffer: string, width: 2 | 4, index: Expr): Expr => ({ kind: 'load-vector', buffer, width, index });
const storeVector = (buffer: string, width: 2 | 4, index: Expr, value: Expr): Stmt => ({ kind: 'store-vector', buffer, width, index, value });
const vector = (type: VectorType, ...components: Expr[]): Expr => ({ kind: 'vector', type, components });
const store = (buffer: string, index: Expr, value: Expr): Stmt => ({ kind: 'store', buffer, index, value });

function program(buffers: IrBuffer[], body: Stmt[], workgroupSize: readonly [number, number, number] = [1, 1, 1]): IrProgram {
  return { kind: 'ir', workgroupSize, buffers, params: [], body };
}

function arrayOf(type: ValueType, values: readonly number[]): InterpretArray {
  return type.includes('f32') ? Float32Array.from(values) : type.includes('i32') ? Int32Array.from(values) : Uint32Array.from(values);
}

/** Loads vector `v` of a scalar `input` with one invocation and returns its components. */
function loaded(type: 'f32' | 'i32' | 'u32', width: 2 | 4, input: readonly number[], v: number): number[] {
  const vectorType: VectorType = `vec${width}<${type}>`;
  const out = arrayOf(vectorType, new Array<number>(width).fill(7));
  const p = program(
    [{ name: 'x', binding: 0, access: 'read', type }, { name: 'out', binding: 1, access: 'output', type: vectorType }],
    [store('out', u32(0), loadVector('x', width, u32(v)))],
  );
  interpret(p, { buffers: { x: arrayOf(type, input), out }, params: {}, grid: [1, 1, 1] });
  return [...out];
}

/** Stores `value` (a vector of `type` components) at vector `v` of a scalar buffer of `length` 9s; returns the buffer. */
function stored(type: 'f32' | 'i32' | 'u32', width: 2 | 4, length: number, v: number, value: readonly number[]): number[] {
  const vectorType: VectorType = `vec${width}<${type}>`;
  const literal = type === 'f32' ? f32 : type === 'i32' ? i32 : u32;
  const y = arrayOf(type, new Array<number>(length).fill(9));
  const p = program([{ name: 'y', binding: 0, access: 'output', type }], [storeVector('y', width, u32(v), vector(vectorType, ...value.map(literal)))]);
  interpret(p, { buffers: { y }, params: {}, grid: [1, 1, 1] });
  return [...y];
}

const TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('load-vector reads elements width·v … width·v + width − 1 of a scalar buffer', () => {
  it.each<[string, 'f32' | 'i32' | 'u32', 2 | 4, number[], number, number[]]>([
    ['vec4<f32>, in bounds', 'f32', 4, TEN, 1, [5, 6, 7, 8]],
    ['vec4<f32>, the first vector', 'f32', 4, TEN, 0, [1, 2, 3, 4]],
    ['vec4<f32>, a ragged tail of two (10 = 2·4 + 2)', 'f32', 4, TEN, 2, [9, 10, 0, 0]],
    ['vec4<f32>, past the tail', 'f32', 4, TEN, 3, [0, 0, 0, 0]],
    ['vec2<f32>, -0 kept', 'f32', 2, [1.5, -0, 0.25], 0, [1.5, -0]],
    ['vec2<f32>, a ragged tail of one (3 = 2·1 + 1)', 'f32', 2, [1.5, -0, 0.25], 1, [0.25, 0]],
    ['vec2<i32>, in bounds', 'i32', 2, [-1, 2, -3], 0, [-1, 2]],
    ['vec2<i32>, a ragged tail of one', 'i32', 2, [-1, 2, -3], 1, [-3, 0]],
    ['vec4<i32>, a ragged tail of three (7 = 4 + 3)', 'i32', 4, [0, 0, 0, 0, -2147483648, 2147483647, -5], 1, [-2147483648, 2147483647, -5, 0]],
    ['vec4<u32>, a ragged tail of one (5 = 4 + 1)', 'u32', 4, [0xffffffff, 1, 2, 3, 4], 1, [4, 0, 0, 0]],
    ['vec2<u32>, a length that is a multiple of the width: no tail', 'u32', 2, [0, 1, 0xfffffffe, 0xffffffff], 1, [0xfffffffe, 0xffffffff]],
    ['vec2<u32>, just past a whole buffer', 'u32', 2, [0, 1, 2, 3], 2, [0, 0]],
  ])('%s', (_, type, width, input, v, expected) => {
    expect(loaded(type, width, input, v)).toEqual(expected);
  });

  it.each<[string, 2 | 4, number]>([
    ['vec4 at v = 2³⁰ (4·v = 2³², which wraps to element 0)', 4, 0x4000_0000],
    ['vec4 at v = 2³⁰ + 1 (wraps to element 4)', 4, 0x4000_0001],
    ['vec2 at v = 2³¹ (wraps to element 0)', 2, 0x8000_0000],
    ['vec2 at v = 2³² − 1 (wraps to element 2³² − 2)', 2, 0xffff_ffff],
    ['vec4 at v = 2³² − 1 (wraps to element 2³² − 4)', 4, 0xffff_ffff],
  ])('reads the zero vector for %s: the exact index is past 2³², never wrapped', (_, width, v) => {
    expect(loaded('f32', width, TEN, v)).toEqual(new Array<number>(width).fill(0));
  });
});

describe('store-vector writes the components whose elements are in bounds', () => {
  it.each<[string, 'f32' | 'i32' | 'u32', 2 | 4, number, number, number[], number[]]>([
    ['vec4<f32>, in bounds', 'f32', 4, 10, 1, [1, 2, 3, 4], [9, 9, 9, 9, 1, 2, 3, 4, 9, 9]],
    ['vec4<f32>, a ragged tail: x and y written, z and w dropped', 'f32', 4, 10, 2, [1, 2, 3, 4], [9, 9, 9, 9, 9, 9, 9, 9, 1, 2]],
    ['vec4<f32>, past the tail: nothing written', 'f32', 4, 10, 3, [1, 2, 3, 4], [9, 9, 9, 9, 9, 9, 9, 9, 9, 9]],
    ['vec2<i32>, a ragged tail of one', 'i32', 2, 3, 1, [-7, -8], [9, 9, -7]],
    ['vec2<i32>, in bounds', 'i32', 2, 3, 0, [-7, -2147483648], [-7, -2147483648, 9]],
    ['vec4<u32>, a ragged tail of three', 'u32', 4, 7, 1, [0xffffffff, 5, 6, 7], [9, 9, 9, 9, 0xffffffff, 5, 6]],
    ['vec2<u32>, exactly filling the end', 'u32', 2, 4, 1, [5, 6], [9, 9, 5, 6]],
    ['vec4<u32> at v = 2³⁰: nothing written (a wrapped index would write elements 0…3)', 'u32', 4, 8, 0x4000_0000, [1, 2, 3, 4], [9, 9, 9, 9, 9, 9, 9, 9]],
    ['vec2<f32> at v = 2³¹ + 1: nothing written (a wrapped index would write elements 2, 3)', 'f32', 2, 8, 0x8000_0001, [1, 2], [9, 9, 9, 9, 9, 9, 9, 9]],
  ])('%s', (_, type, width, length, v, value, expected) => {
    expect(stored(type, width, length, v, value)).toEqual(expected);
  });

  it('evaluates the index before the value', () => {
    // Both read-and-add the counter: the index gets 0, the value 1; the other order would store 0s at vector 1.
    const next: Expr = { kind: 'atomic', op: 'add', buffer: 'counter', index: u32(0), value: u32(1) };
    const p = program(
      [{ name: 'counter', binding: 0, access: 'read-write', type: 'u32' }, { name: 'y', binding: 1, access: 'output', type: 'u32' }],
      [storeVector('y', 2, next, { kind: 'splat', type: 'vec2<u32>', value: next })],
    );
    const y = new Uint32Array(4).fill(9);
    interpret(p, { buffers: { counter: new Uint32Array(1), y }, params: {}, grid: [1, 1, 1] });
    expect([...y]).toEqual([1, 1, 9, 9]);
  });

  it('stores to and loads from a workgroup buffer with a ragged end (6 = 4 + 2)', () => {
    const p = program(
      [{ name: 'tile', binding: -1, access: 'workgroup', type: 'i32', count: 6 }, { name: 'out', binding: 0, access: 'output', type: 'vec4<i32>' }],
      [storeVector('tile', 4, u32(1), vector('vec4<i32>', i32(-1), i32(-2), i32(-3), i32(-4))), store('out', u32(0), loadVector('tile', 4, u32(1)))],
    );
    const out = new Int32Array(4).fill(9);
    interpret(p, { buffers: { out }, params: {}, grid: [1, 1, 1] });
    expect([...out]).toEqual([-1, -2, 0, 0]);
  });

  it('computes relu over 10 floats, one vec4 per invocation, as plain JS does', () => {
    const input = [-1.5, 2, -0, 3.25, -4, 5, 6, -7, 8.5, -9];
    const p = program(
      [{ name: 'x', binding: 0, access: 'read', type: 'f32' }, { name: 'y', binding: 1, access: 'output', type: 'f32' }],
      [storeVector('y', 4, LIN, { kind: 'binary', op: 'max', left: loadVector('x', 4, LIN), right: { kind: 'splat', type: 'vec4<f32>', value: f32(0) } })],
      [2, 1, 1],
    );
    const y = new Float32Array(10).fill(Number.NaN);
    interpret(p, { buffers: { x: Float32Array.from(input), y }, params: {}, grid: [2, 1, 1] });
    expect([...y]).toEqual(input.map((value) => Math.max(value, 0)));
  });
});

describe('the interpreter checks vector access nodes that skipped validation', () => {
  const run = (body: Stmt[], type: ValueType = 'f32', access: IrBuffer['access'] = 'output'): unknown => {
    const x = arrayOf(type, [0, 0, 0, 0]);
    try {
      interpret(program([{ name: 'x', binding: 0, access, type }], body), { buffers: { x }, params: {}, grid: [1, 1, 1] });
    } catch (error) {
      return error instanceof VyreError ? error.code : error;
    }
    return 'ran';
  };
  const splat4 = { kind: 'splat', type: 'vec4<f32>', value: f32(1) } as const;

  it.each<[string, Stmt[], ValueType?, IrBuffer['access']?]>([
    ['a width of 3', [{ kind: 'let', name: 'c', value: { kind: 'load-vector', buffer: 'x', width: 3 as 4, index: u32(0) } }]],
    ['a vector buffer', [{ kind: 'let', name: 'c', value: loadVector('x', 2, u32(0)) }], 'vec2<f32>'],
    ['a store into a read buffer', [storeVector('x', 4, u32(0), splat4)], 'f32', 'read'],
    ['a stored vector of the wrong width', [storeVector('x', 2, u32(0), splat4)]],
  ])('refuses %s with invalid-program', (_, body, type, access) => {
    expect(run(body, type, access)).toBe('invalid-program');
  });
});
