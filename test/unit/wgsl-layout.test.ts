/**
 * WGSL memory layout (https://www.w3.org/TR/WGSL/#alignment-and-size), rule by rule. Every
 * expected number is worked out from the spec's table in the comment beside it, never
 * copied from the code's output.
 */
import { describe, expect, it } from 'vitest';
import {
  arrayType,
  atomicType,
  isRuntimeSized,
  matrixType,
  scalarType,
  structType,
  vectorType,
  type HostScalar,
} from '../../src/program/wgsl-layout.ts';
import { thrownBy } from './support/thrown-by.ts';

const f32 = scalarType('f32');
const u32 = scalarType('u32');
const vec2f = vectorType('f32', 2);
const vec3f = vectorType('f32', 3);

describe('scalars', () => {
  it.each<[HostScalar, number, number]>([
    ['f32', 4, 4], // f32: SizeOf 4, AlignOf 4
    ['i32', 4, 4], // i32: SizeOf 4, AlignOf 4
    ['u32', 4, 4], // u32: SizeOf 4, AlignOf 4
    ['f16', 2, 2], // f16: SizeOf 2, AlignOf 2
  ])('%s is %i bytes aligned to %i', (scalar, size, align) => {
    expect(scalarType(scalar)).toEqual({ kind: 'scalar', scalar, size, align });
  });
});

describe('vectors', () => {
  it.each<{ type: string; scalar: HostScalar; components: 2 | 3 | 4; size: number; align: number }>([
    { type: 'vec2<f32>', scalar: 'f32', components: 2, size: 8, align: 8 }, // size 2×4 = 8, align 2×4 = 8
    { type: 'vec3<f32>', scalar: 'f32', components: 3, size: 12, align: 16 }, // size 3×4 = 12, align 4×4 = 16
    { type: 'vec4<f32>', scalar: 'f32', components: 4, size: 16, align: 16 }, // size 4×4 = 16, align 4×4 = 16
    { type: 'vec2<i32>', scalar: 'i32', components: 2, size: 8, align: 8 }, // 2×4 = 8, align 2×4 = 8
    { type: 'vec3<i32>', scalar: 'i32', components: 3, size: 12, align: 16 }, // 3×4 = 12, align 4×4 = 16
    { type: 'vec4<u32>', scalar: 'u32', components: 4, size: 16, align: 16 }, // 4×4 = 16, align 4×4 = 16
    { type: 'vec2<f16>', scalar: 'f16', components: 2, size: 4, align: 4 }, // size 2×2 = 4, align 2×2 = 4
    { type: 'vec3<f16>', scalar: 'f16', components: 3, size: 6, align: 8 }, // size 3×2 = 6, align 4×2 = 8
    { type: 'vec4<f16>', scalar: 'f16', components: 4, size: 8, align: 8 }, // size 4×2 = 8, align 4×2 = 8
  ])('$type is $size bytes aligned to $align', ({ scalar, components, size, align }) => {
    expect(vectorType(scalar, components)).toEqual({ kind: 'vector', scalar, components, size, align });
  });
});

describe('matrices: C column vectors vecR, each padded to its alignment', () => {
  it.each<{ type: string; scalar: 'f32' | 'f16'; columns: 2 | 3 | 4; rows: 2 | 3 | 4; size: number; align: number }>([
    // vec2f columns: size 8, align 8, padded 8
    { type: 'mat2x2<f32>', scalar: 'f32', columns: 2, rows: 2, size: 16, align: 8 }, // 2 × 8 = 16
    { type: 'mat3x2<f32>', scalar: 'f32', columns: 3, rows: 2, size: 24, align: 8 }, // 3 × 8 = 24
    { type: 'mat4x2<f32>', scalar: 'f32', columns: 4, rows: 2, size: 32, align: 8 }, // 4 × 8 = 32
    // vec3f columns: size 12, align 16, padded roundUp(16, 12) = 16
    { type: 'mat2x3<f32>', scalar: 'f32', columns: 2, rows: 3, size: 32, align: 16 }, // 2 × 16 = 32
    { type: 'mat3x3<f32>', scalar: 'f32', columns: 3, rows: 3, size: 48, align: 16 }, // 3 × 16 = 48
    { type: 'mat4x3<f32>', scalar: 'f32', columns: 4, rows: 3, size: 64, align: 16 }, // 4 × 16 = 64
    // vec4f columns: size 16, align 16
    { type: 'mat2x4<f32>', scalar: 'f32', columns: 2, rows: 4, size: 32, align: 16 }, // 2 × 16 = 32
    { type: 'mat3x4<f32>', scalar: 'f32', columns: 3, rows: 4, size: 48, align: 16 }, // 3 × 16 = 48
    { type: 'mat4x4<f32>', scalar: 'f32', columns: 4, rows: 4, size: 64, align: 16 }, // 4 × 16 = 64
    // vec2h columns: size 4, align 4 → 2 × 4 = 8
    { type: 'mat2x2<f16>', scalar: 'f16', columns: 2, rows: 2, size: 8, align: 4 },
    // vec3h columns: size 6, align 8, padded roundUp(8, 6) = 8 → 3 × 8 = 24
    { type: 'mat3x3<f16>', scalar: 'f16', columns: 3, rows: 3, size: 24, align: 8 },
    // vec4h columns: size 8, align 8 → 4 × 8 = 32
    { type: 'mat4x4<f16>', scalar: 'f16', columns: 4, rows: 4, size: 32, align: 8 },
  ])('$type is $size bytes aligned to $align', ({ scalar, columns, rows, size, align }) => {
    expect(matrixType(scalar, columns, rows)).toEqual({ kind: 'matrix', scalar, columns, rows, size, align });
  });
});

describe('atomics', () => {
  it.each(['u32', 'i32'] as const)('atomic<%s> is 4 bytes aligned to 4', (scalar) => {
    // atomic<T>: SizeOf 4, AlignOf 4
    expect(atomicType(scalar)).toEqual({ kind: 'atomic', scalar, size: 4, align: 4 });
  });
});

describe('arrays', () => {
  it('pads a vec3f element to its 16-byte alignment: array<vec3f, 4> has stride 16 and size 64', () => {
    // stride = roundUp(AlignOf(vec3f) = 16, SizeOf(vec3f) = 12) = 16; size = 4 × 16 = 64; align 16
    expect(arrayType(vec3f, 4)).toMatchObject({ count: 4, stride: 16, size: 64, align: 16 });
  });

  it('packs f32 elements: array<f32, 3> has stride 4 and size 12', () => {
    // stride = roundUp(4, 4) = 4; size = 3 × 4 = 12; align 4
    expect(arrayType(f32, 3)).toMatchObject({ count: 3, stride: 4, size: 12, align: 4 });
  });

  it('gives a runtime-sized array the size of one element: array<vec2f> has stride 8 and size 8', () => {
    // stride = roundUp(8, 8) = 8; SizeOf with one element (the minimum binding size) = 8
    expect(arrayType(vec2f, null)).toMatchObject({ count: null, stride: 8, size: 8, align: 8 });
  });

  it('strides an array of structs by the struct size: Particle { pos: vec2f, vel: vec2f } has stride 16', () => {
    // Particle: pos @0 (8 bytes), vel @roundUp(8, 8) = 8 (8 bytes), end 16, align 8 → size roundUp(8, 16) = 16
    const particle = structType('Particle', [{ name: 'pos', type: vec2f }, { name: 'vel', type: vec2f }]);
    // array<Particle, 10>: stride roundUp(8, 16) = 16; size 10 × 16 = 160; align 8
    expect(arrayType(particle, 10)).toMatchObject({ stride: 16, size: 160, align: 8 });
  });

  it('strides a struct with trailing padding by its rounded-up size', () => {
    // S { a: vec3f, b: f32 }: a @0 (12), b @roundUp(4, 12) = 12 (4), end 16, align 16 → size 16
    // T { s: S, c: f32 }: s @0 (16), c @16 (4), end 20, align 16 → size roundUp(16, 20) = 32
    const s = structType('S', [{ name: 'a', type: vec3f }, { name: 'b', type: f32 }]);
    const t = structType('T', [{ name: 's', type: s }, { name: 'c', type: f32 }]);
    // array<T, 2>: stride roundUp(16, 32) = 32; size 2 × 32 = 64
    expect(arrayType(t, 2)).toMatchObject({ stride: 32, size: 64, align: 16 });
  });

  it('nests arrays: array<array<f32, 3>, 2> has stride 12 and size 24', () => {
    // inner: stride 4, size 12, align 4; outer: stride roundUp(4, 12) = 12, size 2 × 12 = 24
    expect(arrayType(arrayType(f32, 3), 2)).toMatchObject({ stride: 12, size: 24, align: 4 });
  });

  it('rejects a runtime-sized element and a count that is not a positive integer', () => {
    expect(thrownBy(() => arrayType(arrayType(f32, null), 2)).code).toBe('invalid-program');
    for (const count of [0, -1, 2.5, Number.NaN]) {
      expect(thrownBy(() => arrayType(f32, count)).message).toContain(`element count ${count}`);
    }
  });
});

describe('structs', () => {
  it('places each member at the next multiple of its alignment: { a: f32, b: vec3f, c: f32 } → 0, 16, 28', () => {
    // a @0 (4 bytes) → end 4
    // b: align 16 → @roundUp(16, 4) = 16 (12 bytes) → end 28
    // c: align 4 → @roundUp(4, 28) = 28 (4 bytes) → end 32
    // align = max(4, 16, 4) = 16; size = roundUp(16, 32) = 32
    const s = structType('S', [{ name: 'a', type: f32 }, { name: 'b', type: vec3f }, { name: 'c', type: f32 }]);
    expect(s.members.map((member) => member.offset)).toEqual([0, 16, 28]);
    expect(s).toMatchObject({ size: 32, align: 16 });
  });

  it('rounds the size up to the struct alignment: { a: vec3f } is 16 bytes', () => {
    // a @0 (12 bytes) → end 12; align 16; size = roundUp(16, 12) = 16
    expect(structType('S', [{ name: 'a', type: vec3f }])).toMatchObject({ size: 16, align: 16 });
  });

  it('lays out a uniform parameter struct { n: u32, scale: f32, offset: vec2f, tint: vec4f }', () => {
    // n @0 (4) → 4; scale @4 (4) → 8; offset: align 8 → @8 (8) → 16; tint: align 16 → @16 (16) → 32
    // align = 16; size = roundUp(16, 32) = 32
    const params = structType('Params', [
      { name: 'n', type: u32 },
      { name: 'scale', type: f32 },
      { name: 'offset', type: vec2f },
      { name: 'tint', type: vectorType('f32', 4) },
    ]);
    expect(params.members.map((member) => member.offset)).toEqual([0, 4, 8, 16]);
    expect(params).toMatchObject({ size: 32, align: 16 });
  });

  it('pads around a nested struct by its alignment and size', () => {
    // Inner { v: vec3f, w: f32 }: v @0 (12), w @12 (4) → end 16; align 16; size 16
    // Outer { a: f32, inner: Inner, b: f32 }: a @0 → 4; inner @roundUp(16, 4) = 16 (16) → 32;
    //   b @32 (4) → 36; align 16; size roundUp(16, 36) = 48
    const inner = structType('Inner', [{ name: 'v', type: vec3f }, { name: 'w', type: f32 }]);
    const outer = structType('Outer', [{ name: 'a', type: f32 }, { name: 'inner', type: inner }, { name: 'b', type: f32 }]);
    expect(outer.members.map((member) => member.offset)).toEqual([0, 16, 32]);
    expect(outer).toMatchObject({ size: 48, align: 16 });
  });

  it('honors @align(n) and @size(n) on members', () => {
    // a: @size(12) f32 → @0, takes 12 → end 12
    // b: @align(16) f32 → @roundUp(16, 12) = 16 (4) → end 20
    // c: f32 → @20 (4) → end 24
    // align = max(4, 16, 4) = 16; size = roundUp(16, 24) = 32
    const s = structType('S', [
      { name: 'a', type: f32, size: 12 },
      { name: 'b', type: f32, align: 16 },
      { name: 'c', type: f32 },
    ]);
    expect(s.members.map((member) => member.offset)).toEqual([0, 16, 20]);
    expect(s).toMatchObject({ size: 32, align: 16 });
  });

  it('sizes a struct whose last member is a runtime-sized array as if the array held one element', () => {
    // n @0 (4) → 4; items: array<Particle>, Particle align 8 stride 16 → @roundUp(8, 4) = 8, one element 16 → 24
    // align 8; size = roundUp(8, 24) = 24
    const particle = structType('Particle', [{ name: 'pos', type: vec2f }, { name: 'vel', type: vec2f }]);
    const s = structType('Particles', [{ name: 'n', type: u32 }, { name: 'items', type: arrayType(particle, null) }]);
    expect(s.members.map((member) => member.offset)).toEqual([0, 8]);
    expect(s).toMatchObject({ size: 24, align: 8 });
    expect(isRuntimeSized(s)).toBe(true);
  });

  it('rounds that one-element size up to the struct alignment (WebGPU minimum binding size)', () => {
    // head: vec4f @0 (16) → 16; data: array<f32> @16, one element 4 → 20
    // align 16; size = roundUp(16, 20) = 32 (SizeOf with array<f32, 1>)
    const s = structType('S', [{ name: 'head', type: vectorType('f32', 4) }, { name: 'data', type: arrayType(f32, null) }]);
    expect(s).toMatchObject({ size: 32, align: 16 });
  });

  it('lays out atomics like u32: { count: atomic<u32>, flags: atomic<i32> } → 0, 4, size 8', () => {
    // count @0 (4) → 4; flags @4 (4) → 8; align 4; size 8
    const s = structType('Counters', [{ name: 'count', type: atomicType('u32') }, { name: 'flags', type: atomicType('i32') }]);
    expect(s.members.map((member) => member.offset)).toEqual([0, 4]);
    expect(s).toMatchObject({ size: 8, align: 4 });
  });

  it('lays out f16 members at 2-byte granularity: { a: f16, b: vec3<f16>, c: f16 } → 0, 8, 14', () => {
    // a @0 (2) → 2; b: align 8 → @8 (6) → 14; c: align 2 → @14 (2) → 16; align 8; size 16
    const f16 = scalarType('f16');
    const s = structType('H', [{ name: 'a', type: f16 }, { name: 'b', type: vectorType('f16', 3) }, { name: 'c', type: f16 }]);
    expect(s.members.map((member) => member.offset)).toEqual([0, 8, 14]);
    expect(s).toMatchObject({ size: 16, align: 8 });
  });

  it.each([
    ['no members', []],
    ['a runtime-sized member that is not last', [{ name: 'a', type: arrayType(f32, null) }, { name: 'b', type: f32 }]],
    ['@align that is not a power of two', [{ name: 'a', type: f32, align: 12 }]],
    ['@align below the type alignment', [{ name: 'a', type: vec3f, align: 8 }]],
    ['@size below the type size', [{ name: 'a', type: vec3f, size: 8 }]],
    ['@size on a runtime-sized array', [{ name: 'a', type: arrayType(f32, null), size: 16 }]],
  ])('rejects %s as invalid-program', (_what, members) => {
    expect(thrownBy(() => structType('S', members)).code).toBe('invalid-program');
  });
});
