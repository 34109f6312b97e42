/**
 * The WGSL-source program kind on the calling thread: `wgsl()` checks its options and returns
 * plain data without parsing the code (the worker reflects it at compile: see
 * wgsl-artifact.test.ts), and never loads the parser; `parseWgslProgram` turns any malformed
 * data into an invalid-program error.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function expectInvalidProgram(run: () => unknown, problem?: RegExp): VyreError {
  const error = thrownBy(run);
  expect(error.code).toBe('invalid-program');
  expect(error.message).toMatch(/ Fix: .+$/);
  if (problem) expect(error.message).toMatch(problem);
  return error;
}

/** Every file under src/ that `entry` reaches through static value imports, and the packages it names. */
function staticValueImports(entry: string): string[] {
  // `import type` and `export type` are erased: they load nothing.
  const statement = /^\s*(?:import|export)\s+(type\s+)?(?:[\s\S]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  const seen = new Set<string>();
  const pending = [resolve(ROOT, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, typeOnly, specifier = ''] of readFileSync(file, 'utf8').matchAll(statement)) {
      if (typeOnly !== undefined) continue;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else seen.add(`package ${specifier}`);
    }
  }
  return [...seen].map((file) => (file.startsWith('package ') ? file : relative(ROOT, file)));
}

describe('wgsl()', () => {
  it('returns the code with the rest left to the worker: no entry point, no workgroup size, buffers reflected at compile', () => {
    expect(wgsl({ code: DOUBLE })).toEqual({
      kind: 'wgsl',
      code: DOUBLE,
      entryPoint: null,
      workgroupSize: null,
      buffers: [],
      reflected: true,
    });
  });

  it('returns plain data that survives structuredClone', () => {
    const program = wgsl({ code: DOUBLE });
    expect(structuredClone(program)).toEqual(program);
  });

  it('returns a frozen program, its buffers included', () => {
    const program = wgsl({ code: DOUBLE, buffers: [{ name: 'y', binding: 1, access: 'output', type: 'f32' }] });
    expect(Object.isFrozen(program)).toBe(true);
    expect(Object.isFrozen(program.buffers)).toBe(true);
    expect(Object.isFrozen(program.buffers[0])).toBe(true);
  });

  it('does not read the code: text that is not WGSL passes here and is rejected at compile', () => {
    const code = 'this is not WGSL @group(0) var image: texture_2d<f32>';
    expect(wgsl({ code })).toMatchObject({ code, entryPoint: null, workgroupSize: null, reflected: true });
  });

  it('keeps a named entry point as given, without looking for it in the code', () => {
    expect(wgsl({ code: DOUBLE, entryPoint: 'absent' }).entryPoint).toBe('absent');
  });

  it.each<[string, number | readonly number[], readonly number[]]>([
    ['a number', 64, [64, 1, 1]],
    ['a one-element list', [64], [64, 1, 1]],
    ['a two-element list', [8, 8], [8, 8, 1]],
    ['a full list', [4, 4, 4], [4, 4, 4]],
  ])('fills a workgroupSize option given as %s to three axes', (_what, workgroupSize, expected) => {
    expect(wgsl({ code: DOUBLE, workgroupSize }).workgroupSize).toEqual(expected);
  });

  it('keeps a workgroupSize option that the code contradicts: the worker compares the two at compile', () => {
    // DOUBLE says @workgroup_size(64).
    expect(wgsl({ code: DOUBLE, workgroupSize: 32 }).workgroupSize).toEqual([32, 1, 1]);
  });

  it('keeps declared buffers as given instead of reflecting them, and says so', () => {
    const code = `
      @group(0) @binding(0) var<uniform> params: vec4<f32>;
      @group(0) @binding(1) var<storage, read_write> out: array<f32>;
      @compute @workgroup_size(32) fn main() { out[0] = params.x; }`;
    const buffers = [{ name: 'out', binding: 1, access: 'output', type: 'f32' }] as const;
    const program = wgsl({ code, buffers });
    expect(program.buffers).toEqual([{ name: 'out', binding: 1, access: 'output', type: 'f32' }]);
    expect(program.buffers[0]).not.toBe(buffers[0]);
    expect(program.reflected).toBe(false);
  });

  it('never loads the WGSL parser: neither wgsl() nor the main-thread entry reaches it through a static import', () => {
    for (const entry of ['src/program/wgsl-program.ts', 'src/index.ts']) {
      const reached = staticValueImports(entry);
      expect(reached).toContain(entry);
      expect(reached).not.toContain('src/program/reflect-module.ts');
      expect(reached).not.toContain('src/program/wgsl-parse.ts');
      expect(reached).not.toContain('package wgsl_reflect');
    }
  });

  describe('rejects with invalid-program', () => {
    it.each<[string, number | readonly number[], RegExp]>([
      ['zero', 0, /outside 1…1024/],
      ['over 1024', 1025, /outside 1…1024/],
      ['a fraction', 1.5, /outside 1…1024/],
      ['four dimensions', [4, 4, 4, 4], /4 dimensions/],
      ['no dimensions', [], /0 dimensions/],
    ])('a workgroupSize option of %s', (_what, workgroupSize, problem) => {
      expectInvalidProgram(() => wgsl({ code: DOUBLE, workgroupSize }), problem);
    });

    it.each([
      ['an empty name', ''],
      ['a name with a space', 'my main'],
      ['a name starting with a digit', '1main'],
    ])('an entryPoint option that is %s, which no WGSL function can have', (_what, entryPoint) => {
      expectInvalidProgram(() => wgsl({ code: DOUBLE, entryPoint }), /not a WGSL identifier/);
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

    it('blank code', () => {
      expectInvalidProgram(() => wgsl({ code: ' \n\t ' }), /no WGSL code/);
    });

    it('explicit buffers that are malformed', () => {
      const buffers = [{ name: 'x', binding: 0, access: 'write', type: 'f32' }];
      expectInvalidProgram(
        () => wgsl({ code: DOUBLE, buffers: buffers as unknown as WgslProgram['buffers'] }),
        /access "write"/,
      );
    });

    it('explicit buffers outside group 0, pointing at reflection for other groups', () => {
      const code = '@group(1) @binding(0) var<storage, read_write> x: array<f32>;\n@compute @workgroup_size(64) fn main() { x[0] = 1.0; }';
      const buffers = [{ name: 'x', binding: 0, access: 'read-write', type: 'f32', group: 1 }] as const;
      expectInvalidProgram(() => wgsl({ code, buffers }), /group 0 only.*Fix: leave `buffers` out/);
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
    reflected: false,
  };
  const with_ = (patch: Record<string, unknown>): unknown => ({ ...valid, ...patch });
  const withBuffer = (patch: Record<string, unknown>): unknown => ({
    ...valid,
    buffers: [valid.buffers[0], { ...valid.buffers[1], ...patch }],
  });
  const { code: _code, ...withoutCode } = valid;
  const { buffers: _buffers, ...withoutBuffers } = valid;
  const { workgroupSize: _size, ...withoutSize } = valid;
  const { entryPoint: _entry, ...withoutEntryPoint } = valid;
  const { reflected: _reflected, ...withoutReflected } = valid;

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

  it('accepts a null entry point and a null workgroup size: both are read from the code in the worker', () => {
    const parsed = parseWgslProgram(with_({ entryPoint: null, workgroupSize: null }));
    expect(parsed.entryPoint).toBeNull();
    expect(parsed.workgroupSize).toBeNull();
  });

  it('accepts a reflected program, whose buffer list is empty', () => {
    const reflected = with_({ entryPoint: null, workgroupSize: null, buffers: [], reflected: true });
    expect(parseWgslProgram(reflected)).toEqual(reflected);
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

  it('accepts an empty list of declared buffers', () => {
    expect(parseWgslProgram(with_({ buffers: [] })).buffers).toEqual([]);
  });

  it('reads a group of 0 as no group', () => {
    const buffers = [{ name: 'a', binding: 0, access: 'read', type: 'f32', group: 0 }];
    expect(parseWgslProgram(with_({ buffers })).buffers).toEqual([{ name: 'a', binding: 0, access: 'read', type: 'f32' }]);
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
    ['a missing entry point (neither a name nor null)', withoutEntryPoint],
    ['an entry point with a space', with_({ entryPoint: 'my main' })],
    ['an entry point starting with a digit', with_({ entryPoint: '1main' })],
    ['an empty entry point', with_({ entryPoint: '' })],
    ['a non-string entry point', with_({ entryPoint: 7 })],
    ['a missing workgroup size (neither a size nor null)', withoutSize],
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
    ['a buffer in group 4, past maxBindGroups', withBuffer({ group: 4 })],
    ['a buffer with a negative group', withBuffer({ group: -1 })],
    ['a buffer with a fractional group', withBuffer({ group: 0.5 })],
    ['a buffer with a string group', withBuffer({ group: '1' })],
    ['a declared buffer outside group 0', withBuffer({ group: 1 })],
    ['a missing reflected flag', withoutReflected],
    ['a reflected flag that is not a boolean', with_({ reflected: 'yes' })],
  ])('rejects %s with invalid-program', (_what, value) => {
    expectInvalidProgram(() => parseWgslProgram(value));
  });

  it('rejects a reflected program that lists buffers: reflection happens in the worker, from the code alone', () => {
    expectInvalidProgram(() => parseWgslProgram(with_({ reflected: true })), /reflected buffers lists none/);
  });

  it('names the offending buffer in the details', () => {
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ type: 'f64' }))).details).toEqual({ buffer: 'y' });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ name: 'x' }))).details).toEqual({ buffer: 'x' });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ binding: 0 }))).details).toEqual({ binding: 0 });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ name: '9' }))).details).toEqual({ index: 1 });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ group: 7 }))).details).toEqual({ buffer: 'y' });
  });

  it.each([
    ['code alone', { code: DOUBLE }],
    ['declared buffers', { code: DOUBLE, buffers: [{ name: 'y', binding: 1, access: 'output', type: 'f32' }] as const }],
    ['an entry point picked by name', { code: DOUBLE, entryPoint: 'main' }],
    ['a declared workgroup size', { code: DOUBLE, workgroupSize: [64, 1] }],
  ])('accepts exactly what wgsl() returns: %s', (_what, source) => {
    const program = wgsl(source);
    expect(parseWgslProgram(structuredClone(program))).toEqual(program);
  });
});
