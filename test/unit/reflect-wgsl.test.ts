/**
 * Reflection of WGSL source: which storage buffers a kernel declares and how its entry
 * points are sized, and a precise, actionable rejection of everything else.
 */
import { describe, expect, it } from 'vitest';
import { reflectBindings, reflectEntryPoints } from '../../src/program/reflect-wgsl.ts';
import { thrownBy } from './support/thrown-by.ts';

const ENTRY = '@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {}';

describe('reflectBindings', () => {
  it('reads name, binding, access and element type of each storage buffer', () => {
    const code = [
      '@group(0) @binding(0) var<storage, read> x: array<f32>;',
      '@group(0) @binding(1) var<storage, read_write> y: array<u32>;',
      '@group(0) @binding(2) var<storage, read> z: array<i32>;',
      ENTRY,
    ].join('\n');
    expect(reflectBindings(code)).toEqual([
      { name: 'x', binding: 0, access: 'read', type: 'f32' },
      { name: 'y', binding: 1, access: 'read-write', type: 'u32' },
      { name: 'z', binding: 2, access: 'read', type: 'i32' },
    ]);
  });

  it('sorts the buffers by binding number, whatever order they are declared in', () => {
    const code = [
      '@group(0) @binding(7) var<storage, read_write> c: array<f32>;',
      '@group(0) @binding(0) var<storage, read> a: array<f32>;',
      '@group(0) @binding(3) var<storage, read> b: array<f32>;',
      ENTRY,
    ].join('\n');
    expect(reflectBindings(code).map((b) => [b.binding, b.name])).toEqual([
      [0, 'a'],
      [3, 'b'],
      [7, 'c'],
    ]);
  });

  it.each([
    ['atomic<u32>', 'u32'],
    ['atomic<i32>', 'i32'],
    ['atomic< u32 >', 'u32'],
  ])('reads array<%s> as its %s element type', (element, type) => {
    const code = `@group(0) @binding(0) var<storage, read_write> counts: array<${element}>;\n${ENTRY}`;
    expect(reflectBindings(code)).toEqual([{ name: 'counts', binding: 0, access: 'read-write', type }]);
  });

  it.each([
    ['attributes in either order', '@binding(1) @group(0) var<storage, read> x: array<f32>;', 1, 'read', 'f32'],
    ['var<storage> without an access mode as read', '@group(0) @binding(0) var<storage> x: array<f32>;', 0, 'read', 'f32'],
    ['an explicit read access mode', '@group(0) @binding(0) var<storage,read> x: array<u32>;', 0, 'read', 'u32'],
    ['a u-suffixed integer literal', '@group(0u) @binding(2u) var<storage, read_write> x: array<f32>;', 2, 'read-write', 'f32'],
    ['an i-suffixed integer literal', '@group(0i) @binding(3i) var<storage, read> x: array<i32>;', 3, 'read', 'i32'],
    ['spacing inside attributes and types', '@group( 0 )  @binding( 4 )\n  var < storage , read_write >  x : array < f32 > ;', 4, 'read-write', 'f32'],
    ['a declaration split over lines', '@group(0)\n@binding(5)\nvar<storage, read>\n  x:\n  array<f32>;', 5, 'read', 'f32'],
  ])('accepts %s', (_what, declaration, binding, access, type) => {
    expect(reflectBindings(`${declaration}\n${ENTRY}`)).toEqual([{ name: 'x', binding, access, type }]);
  });

  it('ignores declarations inside line and block comments, nested ones included', () => {
    const code = [
      '// @group(0) @binding(9) var<storage, read> hidden1: array<f32>;',
      '/* @group(0) @binding(8) var<storage, read> hidden2: array<f32>;',
      '   /* @group(3) @binding(7) var<uniform> hidden3: P; */',
      '   @group(0) @binding(6) var<storage, read> hidden4: array<f32>; */',
      '@group(0) @binding(0) var<storage, read> x: array<f32>; // @group(5) @binding(0) var t: texture_2d<f32>;',
      ENTRY,
    ].join('\n');
    expect(reflectBindings(code)).toEqual([{ name: 'x', binding: 0, access: 'read', type: 'f32' }]);
  });

  it('leaves variables without @group/@binding alone', () => {
    const code = [
      '@group(0) @binding(0) var<storage, read> x: array<f32>;',
      'var<workgroup> tile: array<f32, 64>;',
      'var<private> seed: u32 = 7u;',
      '@compute @workgroup_size(64) fn main() { var local: vec4<f32>; }',
    ].join('\n');
    expect(reflectBindings(code).map((b) => b.name)).toEqual(['x']);
  });

  it('returns an empty list for a kernel without bindings', () => {
    expect(reflectBindings(ENTRY)).toEqual([]);
  });

  const OK = '@group(0) @binding(0) var<storage, read> ok: array<f32>;';

  // Each bad declaration sits on line 3, after a comment and one valid buffer.
  it.each([
    ['a group other than 0', '@group(1) @binding(1) var<storage, read> x: array<f32>;', /@group\(1\)/],
    ['a binding that is not an integer literal', '@group(0) @binding(B) var<storage, read> x: array<f32>;', /not an integer literal/],
    ['a hexadecimal binding', '@group(0) @binding(0x1) var<storage, read> x: array<f32>;', /not an integer literal/],
    ['a uniform buffer', '@group(0) @binding(1) var<uniform> params: Params;', /var<uniform>/],
    ['a texture', '@group(0) @binding(1) var t: texture_2d<f32>;', /texture or sampler/],
    ['a sampler', '@group(0) @binding(1) var s: sampler;', /texture or sampler/],
    ['an array of vectors', '@group(0) @binding(1) var<storage, read> v: array<vec4<f32>>;', /array<vec4<f32>>/],
    ['a fixed-size array', '@group(0) @binding(1) var<storage, read> v: array<f32, 4>;', /array<f32, 4>/],
    ['a non-array type', '@group(0) @binding(1) var<storage, read> v: f32;', /"f32"/],
    ['an f16 element type', '@group(0) @binding(1) var<storage, read> v: array<f16>;', /array<f16>/],
    ['an unknown access mode', '@group(0) @binding(1) var<storage, write> v: array<f32>;', /access mode "write"/],
    ['a duplicate binding', '@group(0) @binding(0) var<storage, read> again: array<f32>;', /reuses @binding\(0\)/],
    ['a missing @group', '@binding(1) var<storage, read> x: array<f32>;', /no @group/],
    ['a missing @binding', '@group(0) var<storage, read> x: array<f32>;', /no @binding/],
  ])('rejects %s with invalid-program, the line, and a Fix: hint', (_what, bad, problem) => {
    const code = ['// kernel', OK, bad, ENTRY].join('\n');
    const error = thrownBy(() => reflectBindings(code));
    expect(error.code).toBe('invalid-program');
    expect(error.message).toMatch(problem);
    expect(error.message).toContain('line 3, column 1');
    expect(error.message).toMatch(/ Fix: .+$/);
    expect(error.details['line']).toBe(3);
    expect(error.details['column']).toBe(1);
    expect(error.details['declaration']).toBe(bad);
  });

  it('reports the column of an indented declaration and counts lines of the original text', () => {
    const code = `/* a\n   comment */\n\n    @group(2) @binding(0) var<storage, read> x: array<f32>;\n${ENTRY}`;
    const error = thrownBy(() => reflectBindings(code));
    expect(error.code).toBe('invalid-program');
    expect(error.details).toEqual({
      line: 4,
      column: 5,
      declaration: '@group(2) @binding(0) var<storage, read> x: array<f32>;',
    });
  });
});

describe('reflectEntryPoints', () => {
  it.each([
    ['a one-dimensional size', '@compute @workgroup_size(64) fn main() {}', [64, 1, 1]],
    ['a two-dimensional size', '@compute @workgroup_size(8, 4) fn main() {}', [8, 4, 1]],
    ['a three-dimensional size', '@compute @workgroup_size(4, 2, 3) fn main() {}', [4, 2, 3]],
    ['a size of one', '@compute @workgroup_size(1) fn main() {}', [1, 1, 1]],
    ['suffixed literals', '@compute @workgroup_size(16u, 2i) fn main() {}', [16, 2, 1]],
    ['a trailing comma', '@compute @workgroup_size(32,) fn main() {}', [32, 1, 1]],
    ['attributes in the other order', '@workgroup_size(128) @compute fn main() {}', [128, 1, 1]],
    ['attributes over several lines', '@compute\n@workgroup_size(\n  16,\n  16\n)\nfn main() {}', [16, 16, 1]],
  ])('reads %s', (_what, code, workgroupSize) => {
    expect(reflectEntryPoints(code)).toEqual([{ name: 'main', workgroupSize }]);
  });

  it.each([
    ['an identifier', 'const WG = 64;\n@compute @workgroup_size(WG) fn main() {}'],
    ['an identifier in the second dimension', '@compute @workgroup_size(8, ROWS) fn main() {}'],
    ['an override expression', '@compute @workgroup_size(WG * 2) fn main() {}'],
    ['no @workgroup_size at all', '@compute fn main() {}'],
  ])('leaves the size undefined for %s', (_what, code) => {
    expect(reflectEntryPoints(code)).toEqual([{ name: 'main', workgroupSize: undefined }]);
  });

  it('finds every @compute function and skips other stages, helpers and commented-out code', () => {
    const code = [
      'fn helper(a: f32) -> f32 { return a; }',
      '@vertex fn vs() -> @builtin(position) vec4f { return vec4f(); }',
      '// @compute @workgroup_size(1) fn commented() {}',
      '/* @compute @workgroup_size(2) fn blocked() {} */',
      '@compute @workgroup_size(64) fn first() {}',
      '@compute @workgroup_size(8, 8) fn second(@builtin(local_invocation_id) l: vec3u) {}',
    ].join('\n');
    expect(reflectEntryPoints(code)).toEqual([
      { name: 'first', workgroupSize: [64, 1, 1] },
      { name: 'second', workgroupSize: [8, 8, 1] },
    ]);
  });

  it('returns nothing for code without a compute entry point', () => {
    expect(reflectEntryPoints('fn helper() {}')).toEqual([]);
  });
});
