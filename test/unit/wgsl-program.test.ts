/**
 * The WGSL-source program kind: `wgsl()` resolves everything the worker needs, and
 * `parseWgslProgram` turns any malformed data into an invalid-program error.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { parseWgslProgram, wgsl } from '../../src/program/wgsl-program.ts';
import { type WgslProgram } from '../../src/protocol/program.ts';
import { thrownBy } from './support/thrown-by.ts';

const DOUBLE = `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&x)) { y[id.x] = 2.0 * x[id.x]; }
}`;

const TWO_ENTRIES = `
@group(0) @binding(0) var<storage, read_write> v: array<u32>;
@compute @workgroup_size(64) fn first(@builtin(global_invocation_id) id: vec3u) { v[id.x] = 1u; }
@compute @workgroup_size(8, 8) fn second(@builtin(global_invocation_id) id: vec3u) { v[id.x] = 2u; }`;

const OVERRIDDEN_SIZE = `
override WG: u32 = 128;
@group(0) @binding(0) var<storage, read_write> v: array<i32>;
@compute @workgroup_size(WG) fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = 1; }`;

function expectInvalidProgram(run: () => unknown, problem?: RegExp): VyreError {
  const error = thrownBy(run);
  expect(error.code).toBe('invalid-program');
  expect(error.message).toMatch(/ Fix: .+$/);
  if (problem) expect(error.message).toMatch(problem);
  return error;
}

describe('wgsl()', () => {
  it('resolves the only entry point, its workgroup size and the reflected buffers', () => {
    expect(wgsl({ code: DOUBLE })).toEqual({
      kind: 'wgsl',
      code: DOUBLE,
      entryPoint: 'main',
      workgroupSize: [64, 1, 1],
      buffers: [
        { name: 'x', binding: 0, access: 'read', type: 'f32' },
        { name: 'y', binding: 1, access: 'read-write', type: 'f32' },
      ],
    });
  });

  it('returns plain data that survives structuredClone', () => {
    const program = wgsl({ code: DOUBLE });
    expect(structuredClone(program)).toEqual(program);
  });

  it.each([
    ['first', [64, 1, 1]],
    ['second', [8, 8, 1]],
  ])('picks the named entry point %s and its own workgroup size', (entryPoint, workgroupSize) => {
    const program = wgsl({ code: TWO_ENTRIES, entryPoint });
    expect(program.entryPoint).toBe(entryPoint);
    expect(program.workgroupSize).toEqual(workgroupSize);
  });

  it.each<[string, number | readonly number[]]>([
    ['a number', 64],
    ['a one-element list', [64]],
    ['a full list', [64, 1, 1]],
  ])('accepts a workgroupSize option given as %s that agrees with the code', (_what, workgroupSize) => {
    expect(wgsl({ code: DOUBLE, workgroupSize }).workgroupSize).toEqual([64, 1, 1]);
  });

  it('takes the workgroup size from the option when the code does not spell it as a literal', () => {
    expect(wgsl({ code: OVERRIDDEN_SIZE, workgroupSize: [128] }).workgroupSize).toEqual([128, 1, 1]);
    expect(wgsl({ code: OVERRIDDEN_SIZE, workgroupSize: [16, 8] }).workgroupSize).toEqual([16, 8, 1]);
  });

  it('uses explicit buffers instead of reflecting them', () => {
    // A uniform declaration would make reflection throw; explicit buffers never look at it.
    const code = `
      @group(0) @binding(0) var<uniform> params: vec4<f32>;
      @group(0) @binding(1) var<storage, read_write> out: array<f32>;
      @compute @workgroup_size(32) fn main() {}`;
    const buffers = [{ name: 'out', binding: 1, access: 'output', type: 'f32' }] as const;
    const program = wgsl({ code, buffers });
    expect(program.buffers).toEqual([{ name: 'out', binding: 1, access: 'output', type: 'f32' }]);
    expect(program.buffers[0]).not.toBe(buffers[0]);
  });

  it('trusts a named entry point it cannot see and takes the size from the option', () => {
    const code = `${DOUBLE}\n@compute @workgroup_size(min(8, 4)) fn odd() {}`;
    const program = wgsl({ code, entryPoint: 'odd', workgroupSize: 4 });
    expect(program.entryPoint).toBe('odd');
    expect(program.workgroupSize).toEqual([4, 1, 1]);
  });

  describe('rejects with invalid-program', () => {
    it('code without a @compute entry point', () => {
      expectInvalidProgram(() => wgsl({ code: 'fn helper() {}' }), /no @compute entry point/);
    });

    it('several entry points without entryPoint, naming them', () => {
      const error = expectInvalidProgram(() => wgsl({ code: TWO_ENTRIES }), /2 @compute entry points/);
      expect(error.message).toContain('first, second');
      expect(error.details['entryPoints']).toEqual(['first', 'second']);
    });

    it('a workgroupSize option that disagrees with @workgroup_size', () => {
      const error = expectInvalidProgram(() => wgsl({ code: DOUBLE, workgroupSize: 32 }), /disagrees/);
      expect(error.details).toEqual({ declared: [32, 1, 1], reflected: [64, 1, 1] });
    });

    it('a non-literal workgroup size without the option', () => {
      expectInvalidProgram(() => wgsl({ code: OVERRIDDEN_SIZE }), /not a literal/);
    });

    it('a named entry point that is not visible, without a workgroup size', () => {
      expectInvalidProgram(() => wgsl({ code: DOUBLE, entryPoint: 'missing' }), /not a literal/);
    });

    it.each<[string, number | readonly number[]]>([
      ['zero', 0],
      ['over 1024', 1025],
      ['a fraction', 1.5],
      ['four dimensions', [4, 4, 4, 4]],
      ['no dimensions', []],
    ])('a workgroupSize option of %s', (_what, workgroupSize) => {
      expectInvalidProgram(() => wgsl({ code: OVERRIDDEN_SIZE, workgroupSize }));
    });

    it.each<[string, unknown]>([
      ['null', null],
      ['undefined', undefined],
      ['a string', DOUBLE],
      ['an object without code', {}],
      ['an object whose code is not a string', { code: 42 }],
    ])('an input that is %s', (_what, input) => {
      expectInvalidProgram(() => wgsl(input as Parameters<typeof wgsl>[0]), /needs an object with a `code` string/);
    });

    it('reflection failures, with the line of the declaration', () => {
      const code = `@group(1) @binding(0) var<storage, read> x: array<f32>;\n${DOUBLE}`;
      const error = expectInvalidProgram(() => wgsl({ code }), /@group\(1\)/);
      expect(error.details['line']).toBe(1);
    });

    it('explicit buffers that are malformed', () => {
      const buffers = [{ name: 'x', binding: 0, access: 'write', type: 'f32' }];
      expectInvalidProgram(
        () => wgsl({ code: DOUBLE, buffers: buffers as unknown as WgslProgram['buffers'] }),
        /access "write"/,
      );
    });
  });
});

describe('parseWgslProgram', () => {
  const valid: WgslProgram = {
    kind: 'wgsl',
    code: DOUBLE,
    entryPoint: 'main',
    workgroupSize: [64, 1, 1],
    buffers: [
      { name: 'x', binding: 0, access: 'read', type: 'f32' },
      { name: 'y', binding: 1, access: 'output', type: 'f32' },
    ],
  };
  const with_ = (patch: Record<string, unknown>): unknown => ({ ...valid, ...patch });
  const withBuffer = (patch: Record<string, unknown>): unknown => ({
    ...valid,
    buffers: [valid.buffers[0], { ...valid.buffers[1], ...patch }],
  });
  const { code: _code, ...withoutCode } = valid;
  const { buffers: _buffers, ...withoutBuffers } = valid;
  const { workgroupSize: _size, ...withoutSize } = valid;

  it('returns a fresh copy of well-formed data', () => {
    const parsed = parseWgslProgram(valid);
    expect(parsed).toEqual(valid);
    expect(parsed).not.toBe(valid);
    expect(parsed.buffers[0]).not.toBe(valid.buffers[0]);
  });

  it('drops properties that are not part of the program', () => {
    const parsed = parseWgslProgram({ ...valid, extra: 'ignored', buffers: [{ ...valid.buffers[0], size: 9 }] });
    expect(parsed).not.toHaveProperty('extra');
    expect(parsed.buffers[0]).toEqual({ name: 'x', binding: 0, access: 'read', type: 'f32' });
  });

  it.each([
    ['1', [1, 1, 1]],
    ['1024 on every axis', [1024, 1024, 1024]],
  ])('accepts a workgroup size of %s', (_what, workgroupSize) => {
    expect(parseWgslProgram(with_({ workgroupSize })).workgroupSize).toEqual(workgroupSize);
  });

  it.each([[0], [5], [999]])('accepts binding number %i', (binding) => {
    const buffers = [{ name: 'only', binding, access: 'read-write', type: 'u32' }];
    expect(parseWgslProgram(with_({ buffers })).buffers[0]?.binding).toBe(binding);
  });

  it('accepts an empty buffer list', () => {
    expect(parseWgslProgram(with_({ buffers: [] })).buffers).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'wgsl'],
    ['an array', [valid]],
    ['the wrong kind', with_({ kind: 'ir' })],
    ['no kind', with_({ kind: undefined })],
    ['missing code', withoutCode],
    ['non-string code', with_({ code: 42 })],
    ['blank code', with_({ code: ' \n\t ' })],
    ['a missing entry point', with_({ entryPoint: undefined })],
    ['an entry point with a space', with_({ entryPoint: 'my main' })],
    ['an entry point starting with a digit', with_({ entryPoint: '1main' })],
    ['an empty entry point', with_({ entryPoint: '' })],
    ['a non-string entry point', with_({ entryPoint: 7 })],
    ['a missing workgroup size', withoutSize],
    ['a workgroup size of 0', with_({ workgroupSize: [0, 1, 1] })],
    ['a workgroup size of 1025', with_({ workgroupSize: [1025, 1, 1] })],
    ['a workgroup size over the limit in z', with_({ workgroupSize: [1, 1, 1025] })],
    ['a negative workgroup size', with_({ workgroupSize: [-64, 1, 1] })],
    ['a non-integer workgroup size', with_({ workgroupSize: [1.5, 1, 1] })],
    ['a NaN workgroup size', with_({ workgroupSize: [Number.NaN, 1, 1] })],
    ['a string workgroup axis', with_({ workgroupSize: ['64', 1, 1] })],
    ['a workgroup size of one number', with_({ workgroupSize: 64 })],
    ['a workgroup size with two entries', with_({ workgroupSize: [64, 1] })],
    ['a workgroup size with four entries', with_({ workgroupSize: [64, 1, 1, 1] })],
    ['missing buffers', withoutBuffers],
    ['a buffer list that is an object', with_({ buffers: { x: valid.buffers[0] } })],
    ['a buffer that is null', with_({ buffers: [null] })],
    ['a buffer that is a string', with_({ buffers: ['x'] })],
    ['a buffer with an unknown access', withBuffer({ access: 'write' })],
    ['a buffer with WGSL spelling of access', withBuffer({ access: 'read_write' })],
    ['a buffer with an unknown type', withBuffer({ type: 'f16' })],
    ['a buffer with a vector type', withBuffer({ type: 'vec4<f32>' })],
    ['a buffer with a non-identifier name', withBuffer({ name: 'my-buffer' })],
    ['a buffer with an empty name', withBuffer({ name: '' })],
    ['a buffer without a name', withBuffer({ name: undefined })],
    ['a buffer with a negative binding', withBuffer({ binding: -1 })],
    ['a buffer with a fractional binding', withBuffer({ binding: 0.5 })],
    ['a buffer with a string binding', withBuffer({ binding: '1' })],
    ['a buffer with a binding over 1000', withBuffer({ binding: 1001 })],
    ['two buffers with the same name', withBuffer({ name: 'x' })],
    ['two buffers with the same binding', withBuffer({ binding: 0 })],
  ])('rejects %s with invalid-program', (_what, value) => {
    expectInvalidProgram(() => parseWgslProgram(value));
  });

  it('names the offending buffer in the details', () => {
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ type: 'f64' }))).details).toEqual({ buffer: 'y' });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ name: 'x' }))).details).toEqual({ buffer: 'x' });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ binding: 0 }))).details).toEqual({ binding: 0 });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ name: '9' }))).details).toEqual({ index: 1 });
  });

  it('accepts exactly what wgsl() returns', () => {
    const program = wgsl({ code: TWO_ENTRIES, entryPoint: 'second' });
    expect(parseWgslProgram(structuredClone(program))).toEqual(program);
  });
});
