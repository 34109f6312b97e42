/**
 * Reflection of a WGSL module through wgsl_reflect: resources with full types and layout,
 * compute entry points with their workgroup sizes and the resources they use, overrides,
 * and the rejections that say what to write instead. Layout numbers are worked out from the
 * spec in the comment beside each (https://www.w3.org/TR/WGSL/#alignment-and-size).
 */
import { describe, expect, it } from 'vitest';
import { reflectModule } from '../../src/program/reflect-module.ts';
import type { WgslModule, WgslType } from '../../src/protocol/wgsl-module.ts';
import { thrownBy } from './support/thrown-by.ts';

const MAIN = '@compute @workgroup_size(64) fn main() {}';

function resource(module: WgslModule, name: string) {
  const found = module.resources.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
}

function typeOf(declarations: string, name = 'x'): WgslType {
  return resource(reflectModule(`${declarations}\n${MAIN}`), name).type;
}

function offsets(type: WgslType): number[] {
  if (type.kind !== 'struct') throw new Error(`${type.kind} is not a struct`);
  return type.members.map((member) => member.offset);
}

describe('resources', () => {
  it('reads group, binding, space and access of every buffer, sorted by group then binding', () => {
    const module = reflectModule(`
      @group(1) @binding(0) var<storage, read_write> out: array<f32>;
      @group(0) @binding(2) var<uniform> params: vec4f;
      @group(0) @binding(0) var<storage, read> input: array<f32>;
      @group(0) @binding(1) var<storage> plain: array<u32>;
      ${MAIN}`);
    expect(module.resources.map(({ name, group, binding, space, access }) => ({ name, group, binding, space, access }))).toEqual([
      { name: 'input', group: 0, binding: 0, space: 'storage', access: 'read' },
      // var<storage> with no access mode is read-only (WGSL's default).
      { name: 'plain', group: 0, binding: 1, space: 'storage', access: 'read' },
      { name: 'params', group: 0, binding: 2, space: 'uniform', access: 'read' },
      { name: 'out', group: 1, binding: 0, space: 'storage', access: 'read_write' },
    ]);
  });

  it('evaluates const expressions in @group and @binding', () => {
    const module = reflectModule(`
      const BASE = 2u;
      @group(BASE - 1) @binding(BASE * 3 + 1) var<storage> x: array<f32>;
      ${MAIN}`);
    expect(resource(module, 'x')).toMatchObject({ group: 1, binding: 7 });
  });

  it('skips private and workgroup variables', () => {
    const module = reflectModule(`
      var<private> seed: u32;
      var<workgroup> tile: array<f32, 64>;
      @group(0) @binding(0) var<storage> x: array<f32>;
      ${MAIN}`);
    expect(module.resources.map((candidate) => candidate.name)).toEqual(['x']);
  });
});

describe('resource types', () => {
  it.each<[string, Partial<WgslType>]>([
    ['f32', { kind: 'scalar', scalar: 'f32', size: 4, align: 4 }],
    ['vec4f', { kind: 'vector', scalar: 'f32', components: 4, size: 16, align: 16 }],
    ['vec2u', { kind: 'vector', scalar: 'u32', components: 2, size: 8, align: 8 }],
    ['vec3i', { kind: 'vector', scalar: 'i32', components: 3, size: 12, align: 16 }],
    ['vec3<f32>', { kind: 'vector', scalar: 'f32', components: 3, size: 12, align: 16 }],
    // mat4x4f: 4 columns of vec4f, 4 × 16 = 64, align 16
    ['mat4x4f', { kind: 'matrix', scalar: 'f32', columns: 4, rows: 4, size: 64, align: 16 }],
    // mat2x3<f32>: 2 columns of vec3f, 2 × roundUp(16, 12) = 32, align 16
    ['mat2x3<f32>', { kind: 'matrix', scalar: 'f32', columns: 2, rows: 3, size: 32, align: 16 }],
    // mat3x2<f32>: 3 columns of vec2f, 3 × 8 = 24, align 8
    ['mat3x2<f32>', { kind: 'matrix', scalar: 'f32', columns: 3, rows: 2, size: 24, align: 8 }],
    ['atomic<u32>', { kind: 'atomic', scalar: 'u32', size: 4, align: 4 }],
    // array<vec3f, 4>: stride roundUp(16, 12) = 16, size 4 × 16 = 64
    ['array<vec3f, 4>', { kind: 'array', count: 4, stride: 16, size: 64, align: 16 }],
    // array<f32, 3>: stride 4, size 12
    ['array<f32, 3>', { kind: 'array', count: 3, stride: 4, size: 12, align: 4 }],
    // array<atomic<i32>>: runtime-sized, stride 4, size one element = 4
    ['array<atomic<i32>>', { kind: 'array', count: null, stride: 4, size: 4, align: 4 }],
  ])('reflects var<storage> x: %s', (type, expected) => {
    expect(typeOf(`@group(0) @binding(0) var<storage, read_write> x: ${type};`)).toMatchObject(expected);
  });

  it('lays out a uniform parameter struct from the spec, not from the library', () => {
    // a @0 (4) → 4; b: vec3f align 16 → @16 (12) → 28; c: f32 → @28 → 32; align 16; size 32
    const type = typeOf(`
      struct Params { a: f32, b: vec3f, c: f32 }
      @group(0) @binding(0) var<uniform> x: Params;`);
    expect(offsets(type)).toEqual([0, 16, 28]);
    expect(type).toMatchObject({ kind: 'struct', name: 'Params', size: 32, align: 16 });
  });

  it('follows nested structs, aliases and @align/@size attributes', () => {
    // Inner { @size(16) a: f32, @align(16) b: f32 }: a @0 takes 16 → 16; b @16 (4) → 20; align 16; size 32
    // Outer { x: f32, inner: Inner, y: f32 }: x @0 → 4; inner @16 (32) → 48; y @48 → 52; align 16; size 64
    const type = typeOf(`
      struct Inner { @size(16) a: f32, @align(16) b: f32 }
      alias Wrapped = Inner;
      struct Outer { x: f32, inner: Wrapped, y: f32 }
      @group(0) @binding(0) var<storage> x: Outer;`);
    expect(offsets(type)).toEqual([0, 16, 48]);
    expect(type).toMatchObject({ size: 64, align: 16 });
    if (type.kind !== 'struct') throw new Error('not a struct');
    expect(type.members[1]?.type).toMatchObject({ kind: 'struct', name: 'Inner', size: 32, align: 16 });
    expect(offsets(type.members[1]?.type ?? type)).toEqual([0, 16]);
  });

  it('reflects an array of aliased structs: Particle { pos: vec2f, vel: vec2f } has stride 16', () => {
    // pos @0 (8) → 8; vel @8 (8) → 16; align 8; size 16; stride roundUp(8, 16) = 16; runtime size 16
    const type = typeOf(`
      struct P { pos: vec2f, vel: vec2f }
      alias Particle = P;
      @group(0) @binding(0) var<storage, read_write> x: array<Particle>;`);
    expect(type).toMatchObject({ kind: 'array', count: null, stride: 16, size: 16, align: 8 });
  });

  it('sizes a struct ending in a runtime-sized array by one element of it', () => {
    // count: atomic<u32> @0 → 4; items: array<vec4f>, align 16 → @16, one element 16 → 32; align 16; size 32
    const type = typeOf(`
      struct Bins { count: atomic<u32>, items: array<vec4f> }
      @group(0) @binding(0) var<storage, read_write> x: Bins;`);
    expect(offsets(type)).toEqual([0, 16]);
    expect(type).toMatchObject({ size: 32, align: 16 });
  });

  it('evaluates array counts from consts, even ones declared further down', () => {
    // N * 2 = 6 elements of f32: stride 4, size 24 (wgsl_reflect alone reads this count as 1)
    const type = typeOf(`
      @group(0) @binding(0) var<storage> x: array<f32, N * 2>;
      const N = 3;`);
    expect(type).toMatchObject({ count: 6, size: 24 });
  });

  it('reflects f16 types when the module enables f16', () => {
    // a: f16 @0 (2) → 2; b: vec3h align 8 → @8 (6) → 14; c: mat2x2<f16>, vec2h columns 2 × 4 = 8, align 4 → @16 → 24
    // align 8; size 24
    const type = typeOf(`
      enable f16;
      struct H { a: f16, b: vec3h, c: mat2x2<f16> }
      @group(0) @binding(0) var<storage> x: H;`);
    expect(offsets(type)).toEqual([0, 8, 16]);
    expect(type).toMatchObject({ size: 24, align: 8 });
  });

  it('rejects f16 without `enable f16;`', () => {
    const error = thrownBy(() => typeOf('@group(0) @binding(0) var<storage> x: array<f16>;'));
    expect(error.code).toBe('invalid-program');
    expect(error.message).toContain('enable f16;');
  });

  it.each([
    ['bool, which is not host-shareable', 'var<storage> x: bool', 'type bool'],
    ['a uniform holding a runtime-sized array', 'var<uniform> x: array<vec4f>', 'runtime-sized'],
    ['a storage buffer with write-only access', 'var<storage, write> x: array<f32>', 'access mode write'],
  ])('rejects %s, naming the declaration', (_what, declaration, mentions) => {
    const error = thrownBy(() => typeOf(`@group(0) @binding(0) ${declaration};`));
    expect(error.code).toBe('invalid-program');
    expect(error.details).toMatchObject({ declaration: 'x', line: 1, column: 1 });
    expect(error.message).toContain(mentions);
  });
});

describe('entry points', () => {
  it('reflects a realistic reduction kernel: builtins, workgroup memory, atomics, loops, pointers', () => {
    const module = reflectModule(`
      const WG = 256u;
      struct Params { n: u32, scale: f32 }
      @group(0) @binding(0) var<uniform> params: Params;
      @group(0) @binding(1) var<storage, read> input: array<f32>;
      @group(0) @binding(2) var<storage, read_write> output: array<f32>;
      @group(0) @binding(3) var<storage, read_write> counter: atomic<u32>;
      var<workgroup> tile: array<f32, WG>;
      fn accumulate(p: ptr<function, f32>, v: f32) { *p = *p + v; }
      @compute @workgroup_size(WG)
      fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
        var acc = 0.0;
        for (var i = gid.x; i < params.n; i += WG * 64u) { accumulate(&acc, input[i] * params.scale); }
        tile[lid] = acc;
        workgroupBarrier();
        for (var s = WG / 2u; s > 0u; s >>= 1u) {
          if (lid < s) { tile[lid] += tile[lid + s]; }
          workgroupBarrier();
        }
        if (lid == 0u) { output[atomicAdd(&counter, 1u)] = tile[0]; }
      }`);
    expect(module.entryPoints).toEqual([
      { name: 'main', workgroupSize: [256, 1, 1], resources: ['params', 'input', 'output', 'counter'] },
    ]);
    // Params { n: u32, scale: f32 }: n @0, scale @4 → end 8; align 4; size 8
    expect(resource(module, 'params').type).toMatchObject({ kind: 'struct', size: 8, align: 4 });
  });

  it("lists each entry point's resources, including those used through called functions", () => {
    const module = reflectModule(`
      @group(0) @binding(0) var<storage, read> a: array<f32>;
      @group(0) @binding(1) var<storage, read_write> b: array<f32>;
      @group(0) @binding(2) var<storage, read_write> c: array<f32>;
      fn load() -> f32 { return a[0]; }
      fn store() { c[0] = load(); }
      @compute @workgroup_size(1) fn first() { store(); }
      @compute @workgroup_size(1) fn second() { b[0] = 1.0; }`);
    expect(module.entryPoints.map(({ name, resources }) => ({ name, resources }))).toEqual([
      { name: 'first', resources: ['a', 'c'] },
      { name: 'second', resources: ['b'] },
    ]);
  });

  it('does not count a parameter or a local that shares a buffer name as a use of the buffer', () => {
    const module = reflectModule(`
      @group(0) @binding(0) var<storage, read_write> a: array<f32>;
      fn twice(a: f32) -> f32 { return a * 2.0; }
      @compute @workgroup_size(1) fn main() {
        let a = twice(1.0);
        if (a > 0.0) { _ = a + 1.0; }
      }`);
    expect(module.entryPoints[0]?.resources).toEqual([]);
  });

  it("counts a buffer read in a local's own initializer (`let a = a[0];`)", () => {
    const module = reflectModule(`
      @group(0) @binding(0) var<storage, read_write> a: array<f32>;
      @compute @workgroup_size(1) fn main() { let a = a[0]; _ = a; }`);
    expect(module.entryPoints[0]?.resources).toEqual(['a']);
  });

  it.each<[string, string, readonly (number | { override: string })[]]>([
    ['literals, missing axes are 1', '@workgroup_size(64)', [64, 1, 1]],
    ['suffixed literals (the library alone reads 8u as 1)', '@workgroup_size(8u, 2i, 1)', [8, 2, 1]],
    ['a const expression', '@workgroup_size(N, N)', [8, 8, 1]],
    ['arithmetic on consts (the library alone does not parse it)', '@workgroup_size(N * 2, N / 3)', [16, 2, 1]],
    ['a trailing comma', '@workgroup_size(32,)', [32, 1, 1]],
    ['an override, as the override (not its default)', '@workgroup_size(wg, 4)', [{ override: 'wg' }, 4, 1]],
  ])('reads a workgroup size given by %s', (_what, attribute, expected) => {
    const module = reflectModule(`
      const N = 8u;
      override wg: u32 = 64;
      @compute ${attribute} fn main() {}`);
    expect(module.entryPoints[0]?.workgroupSize).toEqual(expected);
  });

  it('rejects a workgroup size computed from an override, saying to name the override alone', () => {
    const error = thrownBy(() => reflectModule('override wg: u32 = 64;\n@compute @workgroup_size(wg * 2) fn main() {}'));
    expect(error.code).toBe('invalid-program');
    expect(error.message).toContain('main at line 2');
    expect(error.message).toMatch(/Fix: .*override/);
  });

  it.each([
    ['zero', '@workgroup_size(0)'],
    ['a float', '@workgroup_size(1.5)'],
    ['an unknown name', '@workgroup_size(SIZE)'],
    ['missing', ''],
  ])('rejects a workgroup size that is %s', (_what, attribute) => {
    expect(thrownBy(() => reflectModule(`@compute ${attribute} fn main() {}`)).code).toBe('invalid-program');
  });

  it('rejects a module with no @compute entry point', () => {
    const error = thrownBy(() => reflectModule('@group(0) @binding(0) var<storage> x: array<f32>;\nfn helper() {}'));
    expect(error.code).toBe('invalid-program');
    expect(error.message).toContain('no @compute entry point');
  });
});

describe('overrides', () => {
  it('reads type, @id, whether it is required and its literal default', () => {
    const module = reflectModule(`
      override wg: u32 = 64;
      @id(7) override scale: f32;
      override flag = true;
      override gain = -1.5;
      override count: i32 = wg_base * 2;
      const wg_base = 4;
      ${MAIN}`);
    expect(module.overrides).toEqual([
      { name: 'wg', type: 'u32', id: null, required: false, default: 64 },
      { name: 'scale', type: 'f32', id: 7, required: true, default: null },
      { name: 'flag', type: 'bool', id: null, required: false, default: true },
      { name: 'gain', type: 'f32', id: null, required: false, default: -1.5 },
      // An expression initializer: not required, but no literal default to report.
      { name: 'count', type: 'i32', id: null, required: false, default: null },
    ]);
  });

  it('rejects an override whose type is neither written nor a literal', () => {
    const error = thrownBy(() => reflectModule(`const K = 2; override k = K * 2;\n${MAIN}`));
    expect(error.message).toMatch(/k at line 1.*Fix: write its type/);
  });
});

describe('image resources', () => {
  const IMAGE_MODULE = `
@group(0) @binding(0) var samp: sampler;
@group(0) @binding(1) var src: texture_2d<f32>;
@group(0) @binding(2) var depth: texture_depth_2d;
@group(0) @binding(3) var shadow: sampler_comparison;
@group(1) @binding(0) var dst: texture_storage_2d<rgba8unorm, write>;
@group(1) @binding(1) var layers: texture_2d_array<u32>;
@group(1) @binding(2) var volume: texture_3d<i32>;
@group(1) @binding(3) var acc: texture_storage_2d<r32float, read_write>;
@group(2) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(8, 8) fn main(@builtin(global_invocation_id) gid: vec3u) {
  let c = textureSampleLevel(src, samp, vec2f(0.5), 0.0);
  textureStore(dst, gid.xy, c);
  out[0] = c.x;
}`;

  it('reflects samplers, sampled, depth and storage textures with their group, binding, type and access, in binding order', () => {
    const { resources, images } = reflectModule(IMAGE_MODULE);
    expect(resources.map((resource) => resource.name)).toEqual(['out']);
    expect(images).toEqual([
      { kind: 'sampler', name: 'samp', group: 0, binding: 0, comparison: false },
      { kind: 'texture', name: 'src', group: 0, binding: 1, dimension: '2d', sampleType: 'float', multisampled: false },
      { kind: 'texture', name: 'depth', group: 0, binding: 2, dimension: '2d', sampleType: 'depth', multisampled: false },
      { kind: 'sampler', name: 'shadow', group: 0, binding: 3, comparison: true },
      { kind: 'storage-texture', name: 'dst', group: 1, binding: 0, dimension: '2d', format: 'rgba8unorm', access: 'write-only' },
      { kind: 'texture', name: 'layers', group: 1, binding: 1, dimension: '2d-array', sampleType: 'uint', multisampled: false },
      { kind: 'texture', name: 'volume', group: 1, binding: 2, dimension: '3d', sampleType: 'sint', multisampled: false },
      { kind: 'storage-texture', name: 'acc', group: 1, binding: 3, dimension: '2d', format: 'r32float', access: 'read-write' },
    ]);
  });

  it('lists the images an entry point uses among its resources, and leaves out the ones it does not', () => {
    const [entry] = reflectModule(IMAGE_MODULE).entryPoints;
    expect(entry?.resources).toEqual(expect.arrayContaining(['samp', 'src', 'dst', 'out']));
    expect(entry?.resources).not.toContain('volume');
    expect(entry?.resources).not.toContain('acc');
  });

  it.each([
    ['an external texture', 'var e: texture_external', 'texture_external'],
    ['a multisampled texture', 'var m: texture_multisampled_2d<f32>', 'texture_multisampled_2d'],
  ])('rejects %s by name and line, as invalid-program with a Fix', (_what, declaration, kind) => {
    const name = /var (\w+)/.exec(declaration)?.[1] ?? '';
    const error = thrownBy(() =>
      reflectModule(`@group(0) @binding(0) var<storage> ok: array<f32>;\n@group(0) @binding(1) ${declaration};\n${MAIN}`),
    );
    expect(error.code).toBe('invalid-program');
    expect(error.message).toContain(`${name} at line 2 is a ${kind}`);
    expect(error.message).toMatch(/Fix: /);
    expect(error.details).toMatchObject({ declaration: name, line: 2, column: 1, kind });
  });
});

describe('rejections', () => {
  it.each([
    // `;` is missing after line 1: the parser stops at the `@` that starts line 2.
    ['a missing semicolon', '@group(0) @binding(0) var<storage> x: array<f32>\n@compute @workgroup_size(1) fn main() {}', 2, 1],
    // "fn main( {}": the `{` at column 10 is where an argument name was expected.
    ['a malformed parameter list', '\n\nfn main( {}', 3, 10],
    // `#` at column 20 starts no WGSL token: the scanner rejects it.
    ['a character that starts no token', 'fn f() { let x = 1 # 2; }', 1, 20],
  ])('reports %s as invalid-program with line and column', (_what, code, line, column) => {
    const error = thrownBy(() => reflectModule(code));
    expect(error.code).toBe('invalid-program');
    expect(error.details).toMatchObject({ line, column });
    expect(error.message).toContain(`line ${line}, column ${column}`);
  });
});
