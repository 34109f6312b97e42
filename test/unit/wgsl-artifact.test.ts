/**
 * The artifact of a WGSL-source program, built in the worker at compile: `wgslArtifact`
 * reflects the code `wgsl()` left unread, picks the entry point, checks the override
 * constants of the compile, resolves the workgroup size (const expressions, overrides, a
 * declared size that must agree) and lists the buffers the entry point uses with their
 * layouts. Layout numbers are worked out from the WGSL spec in the comment beside each
 * (https://www.w3.org/TR/WGSL/#alignment-and-size).
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { wgslArtifact } from '../../src/pipeline/wgsl-artifact.ts';
import { wgsl, type WgslProgramSource } from '../../src/program/wgsl-program.ts';
import type { WgslType } from '../../src/protocol/wgsl-module.ts';
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

/** An override on y beside a literal x. */
const OVERRIDDEN_Y = `
override ROWS: u32 = 4;
@group(0) @binding(0) var<storage, read_write> v: array<i32>;
@compute @workgroup_size(16, ROWS) fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = 1; }`;

const F32: WgslType = { kind: 'scalar', scalar: 'f32', size: 4, align: 4 };
const U32: WgslType = { kind: 'scalar', scalar: 'u32', size: 4, align: 4 };
/** array<f32>, runtime-sized: stride 4; its size is that of one element, 4; align 4. */
const F32_ARRAY: WgslType = { kind: 'array', element: F32, count: null, stride: 4, size: 4, align: 4 };

/** The artifact a compile with `constants` builds for `wgsl(source)`. */
function artifactOf(source: WgslProgramSource, constants: Readonly<Record<string, number>> = {}): ShaderArtifact {
  return wgslArtifact(wgsl(source), constants);
}

function expectRejected(code: 'invalid-program' | 'invalid-policy', run: () => unknown, problem?: RegExp): VyreError {
  const error = thrownBy(run);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(/ Fix: .+$/);
  if (problem) expect(error.message).toMatch(problem);
  return error;
}

describe('wgslArtifact: the module as one pipeline', () => {
  it('builds the code, its only entry point, its literal workgroup size and the buffers it uses with their layouts', () => {
    expect(artifactOf({ code: DOUBLE })).toStrictEqual({
      code: DOUBLE,
      entryPoint: 'main',
      workgroupSize: [64, 1, 1],
      buffers: [
        { name: 'x', binding: 0, group: 0, space: 'storage', access: 'read', type: 'f32', layout: F32_ARRAY },
        { name: 'y', binding: 1, group: 0, space: 'storage', access: 'read-write', type: 'f32', layout: F32_ARRAY },
      ],
      params: undefined,
      foldableGrid: false,
    });
  });

  it('carries the override constants of the compile, and none when it sets none', () => {
    expect(artifactOf({ code: OVERRIDDEN_SIZE }, { WG: 32 }).constants).toEqual({ WG: 32 });
    expect(artifactOf({ code: OVERRIDDEN_SIZE })).not.toHaveProperty('constants');
  });

  it('returns plain data that survives structuredClone, as the persistent tier stores it', () => {
    const artifact = artifactOf({ code: PARAMS_AND_POINTS });
    expect(structuredClone(artifact)).toEqual(artifact);
  });
});

describe('wgslArtifact: entry points', () => {
  it.each([
    ['sum', [64, 1, 1], ['input', 'sums']],
    ['count', [8, 8, 1], ['counts']],
  ])('picks the named entry point %s, its own workgroup size and only the buffers it uses', (entryPoint, workgroupSize, buffers) => {
    const artifact = artifactOf({ code: TWO_ENTRIES, entryPoint });
    expect(artifact.entryPoint).toBe(entryPoint);
    expect(artifact.workgroupSize).toEqual(workgroupSize);
    expect(artifact.buffers.map((buffer) => buffer.name)).toEqual(buffers);
  });

  it('names the only entry point when wgsl() was given none', () => {
    expect(wgsl({ code: DOUBLE }).entryPoint).toBeNull();
    expect(artifactOf({ code: DOUBLE }).entryPoint).toBe('main');
  });

  describe('rejects with invalid-program', () => {
    it('code without a @compute entry point', () => {
      expectRejected('invalid-program', () => artifactOf({ code: 'fn helper() {}' }), /no @compute entry point/);
    });

    it('several entry points without entryPoint, naming them', () => {
      const error = expectRejected('invalid-program', () => artifactOf({ code: TWO_ENTRIES }), /2 @compute entry points/);
      expect(error.message).toContain('sum, count');
      expect(error.details['entryPoints']).toEqual(['sum', 'count']);
    });

    it('a named entry point the module does not have, listing the ones it has', () => {
      const error = expectRejected('invalid-program', () => artifactOf({ code: TWO_ENTRIES, entryPoint: 'missing' }), /no @compute entry point "missing"/);
      expect(error.message).toContain('sum, count');
      expect(error.details['entryPoints']).toEqual(['sum', 'count']);
    });

    it('a named function that is not marked @compute, pointing at it', () => {
      // DOUBLE opens with a line break and spans six lines; the helper starts line 7.
      const code = `${DOUBLE}\nfn helper() {}`;
      const error = expectRejected('invalid-program', () => artifactOf({ code, entryPoint: 'helper' }), /line 7, column 1: fn helper is not marked @compute/);
      expect(error.details).toEqual({ entryPoints: ['main'], line: 7, column: 1 });
    });
  });
});

describe('wgslArtifact: workgroup size', () => {
  it.each([
    ['a const per axis', 'const N = 8u;', '@workgroup_size(N, N)', [8, 8, 1]],
    // W * 4 = 64, W / 8 = 2
    ['arithmetic on consts', 'const W = 16;', '@workgroup_size(W * 4, W / 8)', [64, 2, 1]],
    // B = A * 2 = 8
    ['a const defined from another', 'const A = 4u; const B = A * 2u;', '@workgroup_size(B, A, 2)', [8, 4, 2]],
  ])('evaluates a workgroup size made of const expressions: %s', (_what, consts, attribute, workgroupSize) => {
    const code = `${consts}\n@group(0) @binding(0) var<storage, read_write> v: array<u32>;\n@compute ${attribute} fn main(@builtin(global_invocation_id) id: vec3u) { v[id.x] = 1u; }`;
    expect(artifactOf({ code }).workgroupSize).toEqual(workgroupSize);
  });

  it("takes an override's default when the compile does not set it", () => {
    expect(artifactOf({ code: OVERRIDDEN_SIZE }).workgroupSize).toEqual([128, 1, 1]);
  });

  it.each<[string, string, Record<string, number>, readonly number[]]>([
    ['an override with a default, set to another size', OVERRIDDEN_SIZE, { WG: 256 }, [256, 1, 1]],
    ['an override without a default', OVERRIDE_WITHOUT_DEFAULT, { WG: 16 }, [16, 1, 1]],
    ['an override on y beside a literal x', OVERRIDDEN_Y, { ROWS: 8 }, [16, 8, 1]],
  ])('sizes the workgroup from the constants of the compile: %s', (_what, code, constants, workgroupSize) => {
    expect(artifactOf({ code }, constants).workgroupSize).toEqual(workgroupSize);
  });

  it.each<[string, string, number | readonly number[], Record<string, number>, readonly number[]]>([
    ['a literal, as a number', DOUBLE, 64, {}, [64, 1, 1]],
    ['a literal, as a one-element list', DOUBLE, [64], {}, [64, 1, 1]],
    ['a literal, as a full list', DOUBLE, [64, 1, 1], {}, [64, 1, 1]],
    ["an override's default", OVERRIDDEN_SIZE, 128, {}, [128, 1, 1]],
    ['an override set by the compile', OVERRIDE_WITHOUT_DEFAULT, 16, { WG: 16 }, [16, 1, 1]],
  ])('accepts a declared workgroupSize that agrees with %s', (_what, code, workgroupSize, constants, expected) => {
    expect(artifactOf({ code, workgroupSize }, constants).workgroupSize).toEqual(expected);
  });

  describe('rejects with invalid-program', () => {
    it.each<[string, string, number | readonly number[], Record<string, number>, readonly number[], readonly number[]]>([
      ['a literal @workgroup_size', DOUBLE, 32, {}, [32, 1, 1], [64, 1, 1]],
      ["an override's default", OVERRIDDEN_SIZE, [16, 8], {}, [16, 8, 1], [128, 1, 1]],
      // The pipeline runs with the compile's value, not the default the declaration matched.
      ['an override set by the compile', OVERRIDDEN_SIZE, 128, { WG: 64 }, [128, 1, 1], [64, 1, 1]],
    ])('a declared workgroupSize that disagrees with %s, giving both', (_what, code, workgroupSize, constants, declared, reflected) => {
      const error = expectRejected('invalid-program', () => artifactOf({ code, workgroupSize }, constants), /disagrees/);
      expect(error.details).toEqual({ declared, reflected });
    });

    it('a workgroup size that cannot be evaluated, naming the entry point and its line', () => {
      const code = `${DOUBLE}\n@compute @workgroup_size(min(8, 4)) fn odd() {}`;
      const error = expectRejected('invalid-program', () => artifactOf({ code, entryPoint: 'odd' }), /odd at line 7.*cannot be evaluated/);
      expect(error.details).toMatchObject({ declaration: 'odd', line: 7 });
    });
  });
});

describe('wgslArtifact: override constants', () => {
  /** One override of each type beside DOUBLE; none sizes the workgroup. */
  const TYPED = `
override flag: bool = true;
override count: u32 = 1;
override offset: i32 = 0;
override gain: f32 = 1.0;
${DOUBLE}`;

  it('passes a value of each override type through as given', () => {
    const constants = { flag: 0, count: 4_000_000_000, offset: -5, gain: 0.25 };
    expect(artifactOf({ code: TYPED }, constants).constants).toEqual(constants);
  });

  describe('rejects with invalid-policy', () => {
    it('a constant the module does not declare, listing the ones it does', () => {
      const error = expectRejected('invalid-policy', () => artifactOf({ code: OVERRIDDEN_SIZE }, { SIZE: 64 }), /constants\.SIZE sets no override .*declares: WG\)/);
      expect(error.details).toEqual({ constant: 'SIZE', known: ['WG'] });
    });

    it('a constant for a module without overrides, saying it declares none', () => {
      expectRejected('invalid-policy', () => artifactOf({ code: DOUBLE }, { WG: 64 }), /declares: none/);
    });

    it.each<[string, Record<string, number>, string, string]>([
      ['a fraction for a u32', { count: 1.5 }, 'count', 'u32'],
      ['a negative number for a u32', { count: -1 }, 'count', 'u32'],
      ['2³² for a u32', { count: 2 ** 32 }, 'count', 'u32'],
      ['2³¹ for an i32', { offset: 2 ** 31 }, 'offset', 'i32'],
      ['a fraction for an i32', { offset: 0.5 }, 'offset', 'i32'],
      ['2 for a bool', { flag: 2 }, 'flag', 'bool'],
      ['a number past the largest f32', { gain: 1e39 }, 'gain', 'f32'],
    ])('a constant of the wrong type: %s', (_what, constants, constant, expected) => {
      const error = expectRejected('invalid-policy', () => artifactOf({ code: TYPED }, constants), new RegExp(`constants\\.${constant} is .*, not a ${expected}\\.`));
      expect(error.details).toEqual({ constant, expected });
    });

    it('a required override the compile does not set, saying how to set it', () => {
      const error = expectRejected('invalid-policy', () => artifactOf({ code: OVERRIDE_WITHOUT_DEFAULT }), /WG have no default and were not set\. Fix: compile with \{ constants: \{ WG: … \} \}/);
      expect(error.details).toEqual({ missing: ['WG'] });
    });

    it('a required override that sizes nothing, when the compile does not set it', () => {
      const code = `override scale: f32;\n${DOUBLE}`;
      const error = expectRejected('invalid-policy', () => artifactOf({ code }), /scale have no default/);
      expect(error.details).toEqual({ missing: ['scale'] });
    });
  });
});

describe('wgslArtifact: buffers', () => {
  it('reflects a uniform params struct and an array<vec4f> storage buffer with their layouts, each typed by its leaf scalar', () => {
    // Params { N: u32, eps: f32 }: N @0 (4) → 4; eps @4 (4) → 8; align 4; size roundUp(4, 8) = 8.
    // Its leaves mix u32 and f32, so it has no one leaf type and is kept as u32. A uniform is read-only.
    const params: WgslType = {
      kind: 'struct',
      name: 'Params',
      members: [
        { name: 'N', type: U32, offset: 0 },
        { name: 'eps', type: F32, offset: 4 },
      ],
      size: 8,
      align: 4,
    };
    // array<vec4f>, runtime-sized: vec4f is 16 bytes, align 16; stride 16; size one element, 16.
    const vec4f: WgslType = { kind: 'vector', scalar: 'f32', components: 4, size: 16, align: 16 };
    const points: WgslType = { kind: 'array', element: vec4f, count: null, stride: 16, size: 16, align: 16 };
    expect(artifactOf({ code: PARAMS_AND_POINTS }).buffers).toEqual([
      { name: 'params', binding: 0, group: 0, space: 'uniform', access: 'read', type: 'u32', layout: params },
      { name: 'points', binding: 1, group: 0, space: 'storage', access: 'read-write', type: 'f32', layout: points },
    ]);
  });

  it('lists a buffer of another group with its group, after group 0 whatever its binding', () => {
    const code = `
      @group(1) @binding(0) var<storage, read> lookup: array<i32>;
      @group(0) @binding(3) var<storage, read_write> out: array<i32>;
      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { out[id.x] = lookup[id.x]; }`;
    expect(artifactOf({ code }).buffers.map(({ name, group, binding }) => ({ name, group, binding }))).toEqual([
      { name: 'out', group: 0, binding: 3 },
      { name: 'lookup', group: 1, binding: 0 },
    ]);
  });

  it('leaves out a buffer the module declares but the entry point never uses', () => {
    const code = `
      @group(0) @binding(0) var<storage, read> unused: array<f32>;
      @group(0) @binding(1) var<storage, read_write> y: array<f32>;
      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { y[id.x] = 1.0; }`;
    expect(artifactOf({ code }).buffers.map((buffer) => buffer.name)).toEqual(['y']);
  });

  it.each([
    [', read_write', 'array<atomic<i32>>', 'i32', 'read-write'],
    [', read', 'array<vec2u>', 'u32', 'read'],
    [', read', 'mat4x4f', 'f32', 'read'],
    // var<storage> with no access mode is read-only (WGSL's default).
    ['', 'array<f32>', 'f32', 'read'],
  ])('keeps var<storage%s> b: %s as %s, %s', (access, type, elementType, bufferAccess) => {
    const code = `@group(0) @binding(0) var<storage${access}> b: ${type};\n@compute @workgroup_size(1) fn main() { _ = &b; }`;
    expect(artifactOf({ code }).buffers[0]).toMatchObject({ name: 'b', type: elementType, access: bufferAccess });
  });

  it('keeps a buffer of f16 as u32: f16 is not a 4-byte scalar', () => {
    const code = 'enable f16;\n@group(0) @binding(0) var<storage, read_write> h: array<f16>;\n@compute @workgroup_size(1) fn main() { h[0] = 1.0h; }';
    expect(artifactOf({ code }).buffers[0]).toMatchObject({ name: 'h', type: 'u32' });
  });

  it('passes declared buffers through as given, without layouts, instead of reflecting them', () => {
    const buffers = [
      { name: 'x', binding: 0, access: 'read', type: 'f32' },
      { name: 'y', binding: 1, access: 'output', type: 'f32' },
    ] as const;
    expect(artifactOf({ code: DOUBLE, buffers }).buffers).toStrictEqual([
      { name: 'x', binding: 0, access: 'read', type: 'f32' },
      { name: 'y', binding: 1, access: 'output', type: 'f32' },
    ]);
  });

  describe('rejects with invalid-program', () => {
    it('an external texture, naming the declaration with its line and column', () => {
      const code = '@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n  @group(0) @binding(1) var video: texture_external;\n@compute @workgroup_size(1) fn main() { y[0] = 1.0; }';
      const error = expectRejected('invalid-program', () => artifactOf({ code }), /video at line 2 is a texture_external/);
      expect(error.details).toMatchObject({ declaration: 'video', line: 2, column: 3, kind: 'texture_external' });
    });

    it('a syntax error, with its line and column', () => {
      // `;` is missing at the end of line 1: the parser stops at the `@` that starts line 2.
      const code = '@group(0) @binding(0) var<storage, read_write> y: array<f32>\n@compute @workgroup_size(1) fn main() {}';
      const error = expectRejected('invalid-program', () => artifactOf({ code }), /line 2, column 1/);
      expect(error.details).toMatchObject({ line: 2, column: 1 });
    });

    it('code that is not WGSL at all, which wgsl() let through', () => {
      const program = wgsl({ code: 'this is not WGSL' });
      expectRejected('invalid-program', () => wgslArtifact(program, {}));
    });
  });
});
