/**
 * The WGSL-source program kind: `wgsl()` parses and reflects the module, picks the entry
 * point, resolves its workgroup size and lists the buffers it uses; `parseWgslProgram`
 * turns any malformed data into an invalid-program error.
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

/** Two entry points over three buffers: `sum` uses input and sums, `count` only counts (through a helper). */
const TWO_ENTRIES = `
@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> sums: array<f32>;
@group(0) @binding(2) var<storage, read_write> counts: array<u32>;
fn bump(i: u32) { counts[i] += 1u; }
@compute @workgroup_size(64) fn sum(@builtin(global_invocation_id) id: vec3u) { sums[id.x] = input[id.x]; }
@compute @workgroup_size(8, 8) fn count(@builtin(global_invocation_id) id: vec3u) { bump(id.x); }`;

/** A uniform params struct next to a storage array of vectors. */
const PARAMS_AND_POINTS = `
struct Params { N: u32, eps: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> points: array<vec4f>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < params.N) { points[id.x] *= params.eps; }
}`;

const OVERRIDDEN_SIZE = `
override WG: u32 = 128;
@group(0) @binding(0) var<storage, read_write> v: array<i32>;
@compute @workgroup_size(WG) fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = 1; }`;

const OVERRIDE_WITHOUT_DEFAULT = `
override WG: u32;
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
      reflected: true,
    });
  });

  it('returns plain data that survives structuredClone', () => {
    const program = wgsl({ code: DOUBLE });
    expect(structuredClone(program)).toEqual(program);
  });

  it('reflects a uniform params struct and an array<vec4f> storage buffer, each typed by its leaf scalar', () => {
    // Params mixes u32 and f32 leaves, so it has no one leaf type and reads as u32;
    // every leaf of array<vec4f> is f32. A uniform is read-only.
    expect(wgsl({ code: PARAMS_AND_POINTS }).buffers).toEqual([
      { name: 'params', binding: 0, access: 'read', type: 'u32' },
      { name: 'points', binding: 1, access: 'read-write', type: 'f32' },
    ]);
  });

  it('reflects a buffer of another group with its group, listed after group 0 whatever its binding', () => {
    const code = `
      @group(1) @binding(0) var<storage, read> lookup: array<i32>;
      @group(0) @binding(3) var<storage, read_write> out: array<i32>;
      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = lookup[id.x]; }`;
    expect(wgsl({ code }).buffers).toEqual([
      { name: 'out', binding: 3, access: 'read-write', type: 'i32' },
      { name: 'lookup', binding: 0, access: 'read', type: 'i32', group: 1 },
    ]);
  });

  it.each([
    ['sum', [64, 1, 1], ['input', 'sums']],
    ['count', [8, 8, 1], ['counts']],
  ])('picks the named entry point %s, its own workgroup size and only the buffers it uses', (entryPoint, workgroupSize, buffers) => {
    const program = wgsl({ code: TWO_ENTRIES, entryPoint });
    expect(program.entryPoint).toBe(entryPoint);
    expect(program.workgroupSize).toEqual(workgroupSize);
    expect(program.buffers.map((buffer) => buffer.name)).toEqual(buffers);
  });

  it('leaves out a buffer the module declares but the entry point never uses', () => {
    const code = `
      @group(0) @binding(0) var<storage, read> unused: array<f32>;
      @group(0) @binding(1) var<storage, read_write> y: array<f32>;
      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { y[id.x] = 1.0; }`;
    expect(wgsl({ code }).buffers).toEqual([{ name: 'y', binding: 1, access: 'read-write', type: 'f32' }]);
  });

  it.each([
    ['a const per axis', 'const N = 8u;', '@workgroup_size(N, N)', [8, 8, 1]],
    ['arithmetic on consts', 'const W = 16;', '@workgroup_size(W * 4, W / 8)', [64, 2, 1]],
    ['a const defined from another', 'const A = 4u; const B = A * 2u;', '@workgroup_size(B, A, 2)', [8, 4, 2]],
  ])('evaluates a workgroup size made of const expressions: %s', (_what, consts, attribute, workgroupSize) => {
    const code = `${consts}\n@group(0) @binding(0) var<storage, read_write> v: array<u32>;\n@compute ${attribute} fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = 1u; }`;
    expect(wgsl({ code }).workgroupSize).toEqual(workgroupSize);
  });

  it("takes an override's default as the workgroup size", () => {
    expect(wgsl({ code: OVERRIDDEN_SIZE }).workgroupSize).toEqual([128, 1, 1]);
  });

  it('sizes the workgroup [1, 1, 1] for an override without a default: a compile sets it through constants', () => {
    expect(wgsl({ code: OVERRIDE_WITHOUT_DEFAULT }).workgroupSize).toEqual([1, 1, 1]);
  });

  it.each<[string, number | readonly number[]]>([
    ['a number', 64],
    ['a one-element list', [64]],
    ['a full list', [64, 1, 1]],
  ])('accepts a workgroupSize option given as %s that agrees with the code', (_what, workgroupSize) => {
    expect(wgsl({ code: DOUBLE, workgroupSize }).workgroupSize).toEqual([64, 1, 1]);
  });

  it("accepts a workgroupSize option that agrees with an override's default", () => {
    expect(wgsl({ code: OVERRIDDEN_SIZE, workgroupSize: 128 }).workgroupSize).toEqual([128, 1, 1]);
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

  it('marks reflected buffers as reflected', () => {
    expect(wgsl({ code: DOUBLE }).reflected).toBe(true);
  });

  describe('rejects with invalid-program', () => {
    it('code without a @compute entry point', () => {
      expectInvalidProgram(() => wgsl({ code: 'fn helper() {}' }), /no @compute entry point/);
    });

    it('several entry points without entryPoint, naming them', () => {
      const error = expectInvalidProgram(() => wgsl({ code: TWO_ENTRIES }), /2 @compute entry points/);
      expect(error.message).toContain('sum, count');
      expect(error.details['entryPoints']).toEqual(['sum', 'count']);
    });

    it('a named entry point the module does not have, listing the ones it has', () => {
      const error = expectInvalidProgram(() => wgsl({ code: TWO_ENTRIES, entryPoint: 'missing' }), /no @compute entry point "missing"/);
      expect(error.message).toContain('sum, count');
      expect(error.details['entryPoints']).toEqual(['sum', 'count']);
    });

    it('a workgroupSize option that disagrees with @workgroup_size', () => {
      const error = expectInvalidProgram(() => wgsl({ code: DOUBLE, workgroupSize: 32 }), /disagrees/);
      expect(error.details).toEqual({ declared: [32, 1, 1], reflected: [64, 1, 1] });
    });

    it("a workgroupSize option that disagrees with an override's default", () => {
      const error = expectInvalidProgram(() => wgsl({ code: OVERRIDDEN_SIZE, workgroupSize: [16, 8] }), /disagrees/);
      expect(error.details).toEqual({ declared: [16, 8, 1], reflected: [128, 1, 1] });
    });

    it('a workgroup size that cannot be evaluated, naming the entry point and its line', () => {
      const code = `${DOUBLE}\n@compute @workgroup_size(min(8, 4)) fn odd() {}`;
      const error = expectInvalidProgram(() => wgsl({ code, entryPoint: 'odd' }), /odd at line 7.*cannot be evaluated/);
      expect(error.details).toMatchObject({ declaration: 'odd', line: 7 });
    });

    it.each<[string, number | readonly number[], RegExp]>([
      ['zero', 0, /outside 1…1024/],
      ['over 1024', 1025, /outside 1…1024/],
      ['a fraction', 1.5, /outside 1…1024/],
      ['four dimensions', [4, 4, 4, 4], /4 dimensions/],
      ['no dimensions', [], /0 dimensions/],
    ])('a workgroupSize option of %s', (_what, workgroupSize, problem) => {
      // An override without a default: nothing in the code for the option to disagree with.
      expectInvalidProgram(() => wgsl({ code: OVERRIDE_WITHOUT_DEFAULT, workgroupSize }), problem);
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

    it('a texture, naming the declaration with its line and column', () => {
      const code = '@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n  @group(0) @binding(1) var image: texture_2d<f32>;\n@compute @workgroup_size(1) fn main() { y[0] = 1.0; }';
      const error = expectInvalidProgram(() => wgsl({ code }), /image at line 2 is a texture/);
      expect(error.details).toMatchObject({ declaration: 'image', line: 2, column: 3, kind: 'texture' });
    });

    it('a sampler, naming the declaration with its line', () => {
      const code = `@group(0) @binding(0) var smp: sampler;\n@compute @workgroup_size(1) fn main() {}`;
      const error = expectInvalidProgram(() => wgsl({ code }), /smp at line 1 is a sampler/);
      expect(error.details).toMatchObject({ declaration: 'smp', line: 1, column: 1, kind: 'sampler' });
    });

    it('a syntax error, with its line and column', () => {
      // `;` is missing at the end of line 1: the parser stops at the `@` that starts line 2.
      const code = '@group(0) @binding(0) var<storage, read_write> y: array<f32>\n@compute @workgroup_size(1) fn main() {}';
      const error = expectInvalidProgram(() => wgsl({ code }), /line 2, column 1/);
      expect(error.details).toMatchObject({ line: 2, column: 1 });
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

  it('accepts reflected buffers in groups 0 to 3, the same binding once per group', () => {
    const buffers = [
      { name: 'a', binding: 0, access: 'read', type: 'f32' },
      { name: 'b', binding: 0, access: 'read', type: 'f32', group: 1 },
      { name: 'c', binding: 0, access: 'read-write', type: 'u32', group: 3 },
    ];
    expect(parseWgslProgram(with_({ reflected: true, buffers })).buffers).toEqual(buffers);
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
    ['two reflected buffers with the same group and binding', with_({ reflected: true, buffers: [{ ...valid.buffers[0], group: 2 }, { ...valid.buffers[1], binding: 0, group: 2 }] })],
    ['a buffer in group 4, past maxBindGroups', with_({ reflected: true, buffers: [{ ...valid.buffers[0], group: 4 }] })],
    ['a buffer with a negative group', with_({ reflected: true, buffers: [{ ...valid.buffers[0], group: -1 }] })],
    ['a buffer with a fractional group', with_({ reflected: true, buffers: [{ ...valid.buffers[0], group: 0.5 }] })],
    ['a buffer with a string group', with_({ reflected: true, buffers: [{ ...valid.buffers[0], group: '1' }] })],
    ['a declared buffer outside group 0', withBuffer({ group: 1 })],
    ['a missing reflected flag', withoutReflected],
    ['a reflected flag that is not a boolean', with_({ reflected: 'yes' })],
  ])('rejects %s with invalid-program', (_what, value) => {
    expectInvalidProgram(() => parseWgslProgram(value));
  });

  it('names the offending buffer in the details', () => {
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ type: 'f64' }))).details).toEqual({ buffer: 'y' });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ name: 'x' }))).details).toEqual({ buffer: 'x' });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ binding: 0 }))).details).toEqual({ binding: 0 });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ name: '9' }))).details).toEqual({ index: 1 });
    expect(expectInvalidProgram(() => parseWgslProgram(withBuffer({ group: 7 }))).details).toEqual({ buffer: 'y' });
  });

  it.each([
    ['reflected buffers in two groups', { code: DOUBLE.replace('@group(0) @binding(0)', '@group(2) @binding(0)') }],
    ['declared buffers', { code: DOUBLE, buffers: [{ name: 'y', binding: 1, access: 'output', type: 'f32' }] as const }],
    ['an entry point picked by name', { code: TWO_ENTRIES, entryPoint: 'count' }],
  ])('accepts exactly what wgsl() returns: %s', (_what, source) => {
    const program = wgsl(source);
    expect(program.buffers.length).toBeGreaterThan(0);
    expect(parseWgslProgram(structuredClone(program))).toEqual(program);
  });
});
